using InMood.Engine.Gemm;

namespace InMood.Engine.Tests.Gemm;

public class BlockTransposeTests
{
    [Theory]
    [InlineData(8, 8)]
    [InlineData(13, 32)]
    [InlineData(2304, 9)]
    public unsafe void Transpose8x8_AnyStrides_EqualsScalarDefinition(int srcStride, int dstStride)
    {
        if (!BlockTranspose.IsAccelerated)
        {
            return;
        }

        float[] source = TestData.Random(7 * srcStride + 8, 1);
        float[] destination = new float[7 * dstStride + 8];
        float[] expected = new float[destination.Length];
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                expected[j * dstStride + i] = source[i * srcStride + j];
            }
        }

        fixed (float* src = source, dst = destination)
        {
            BlockTranspose.Transpose8x8(src, srcStride, dst, dstStride);
        }

        Assert.Equal(expected, destination);
    }
}
