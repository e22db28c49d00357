using InMood.Vision.Detection;

namespace InMood.Vision.Tests.Detection;

public sealed class BlazeFaceAnchorsTests
{
    [Fact]
    public void Centers_Count_Is896()
    {
        IReadOnlyList<FacePoint> anchors = BlazeFaceAnchors.Centers;

        Assert.Equal(896, anchors.Count);
        Assert.Equal(512, BlazeFaceAnchors.FineCount);
        Assert.Equal(384, BlazeFaceAnchors.CoarseCount);
    }

    [Theory]
    [InlineData(0, 0.5f / 16, 0.5f / 16)]
    [InlineData(1, 0.5f / 16, 0.5f / 16)]
    [InlineData(2, 1.5f / 16, 0.5f / 16)]
    [InlineData(32, 0.5f / 16, 1.5f / 16)]
    [InlineData(511, 15.5f / 16, 15.5f / 16)]
    [InlineData(512, 0.5f / 8, 0.5f / 8)]
    [InlineData(517, 0.5f / 8, 0.5f / 8)]
    [InlineData(518, 1.5f / 8, 0.5f / 8)]
    [InlineData(512 + 48, 0.5f / 8, 1.5f / 8)]
    [InlineData(895, 7.5f / 8, 7.5f / 8)]
    public void Centers_Index_IsCellCentreOfItsGrid(int index, float x, float y)
    {
        FacePoint anchor = BlazeFaceAnchors.Centers[index];

        Assert.Equal(x, anchor.X, 6);
        Assert.Equal(y, anchor.Y, 6);
    }
}
