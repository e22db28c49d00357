using InMood.Vision.Imaging;

namespace InMood.Vision.Tests.Imaging;

public sealed class EncodedImageReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("inmood-reader-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Read_EndlessZerosFromAPipe_RefusedAfterTheFirstChunkAsNotAnImage()
    {
        // Arrange
        var pipe = new EndlessStream([]);

        // Act
        var exception = Assert.Throws<ImageDecodeException>(() => EncodedImageReader.Read(pipe, "-", maxBytes: long.MaxValue));

        // Assert
        Assert.Equal(ImageDecodeError.NotAnImage, exception.Error);
        Assert.Equal("-: not an image, it does not start like JPEG, PNG, BMP, GIF or WebP", exception.Message);
        Assert.InRange(pipe.BytesRead, 12, 1 << 16);
    }

    [Fact]
    public void Read_EndlessPngFromAPipe_RefusedAtTheByteLimit()
    {
        // Arrange
        var pipe = new EndlessStream([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        // Act
        var exception = Assert.Throws<ImageDecodeException>(() => EncodedImageReader.Read(pipe, "-", maxBytes: 300_000));

        // Assert
        Assert.Equal(ImageDecodeError.TooLarge, exception.Error);
        Assert.Equal("-: more than 300000 bytes, larger than any image within the pixel limit", exception.Message);
        Assert.InRange(pipe.BytesRead, 300_000, 300_000 + (1 << 16));
    }

    [Fact]
    public void Read_ImageFromAPipe_ReturnsItsBytesWhole()
    {
        // Arrange
        byte[] png = PngBuilder.Build(2, 1, 8, PngBuilder.Gray, [[17, 240]]);
        var pipe = new EndlessStream(png, endless: false);

        // Act
        byte[] read = EncodedImageReader.Read(pipe, "-", maxBytes: png.Length);

        // Assert
        Assert.Equal(png, read);
        Assert.Equal([17, 240], ImageDecoder.DecodeGray(read).GetRow(0).ToArray());
    }

    [Fact]
    public void ReadFile_DevZero_RefusedAfterTheFirstChunkAsNotAnImage()
    {
        // Arrange
        const string device = "/dev/zero";

        // Act
        var exception = Assert.Throws<ImageDecodeException>(() => EncodedImageReader.ReadFile(device, maxBytes: long.MaxValue));

        // Assert
        Assert.Equal(ImageDecodeError.NotAnImage, exception.Error);
    }

    [Fact]
    public void ReadFile_WithinTheLimit_ReturnsItsBytes()
    {
        // Arrange
        string path = Path.Combine(_folder, "face.png");
        byte[] png = PngBuilder.Build(2, 1, 8, PngBuilder.Gray, [[17, 240]]);
        File.WriteAllBytes(path, png);

        // Act
        byte[] read = EncodedImageReader.ReadFile(path, maxBytes: png.Length);

        // Assert
        Assert.Equal(png, read);
    }

    [Fact]
    public void ReadFile_LargerThanTheLimit_RefusedAsTooLarge()
    {
        // Arrange
        string path = Path.Combine(_folder, "big.png");
        File.WriteAllBytes(path, new byte[1001]);

        // Act
        var exception = Assert.Throws<ImageDecodeException>(() => EncodedImageReader.ReadFile(path, maxBytes: 1000));

        // Assert
        Assert.Equal(ImageDecodeError.TooLarge, exception.Error);
        Assert.StartsWith(path + ": more than 1000 bytes", exception.Message);
    }

    [Fact]
    public void ReadFile_Missing_UnreadableWithNoSuchFile()
    {
        // Arrange
        string path = Path.Combine(Path.GetTempPath(), $"inmood-missing-{Guid.NewGuid():N}.jpg");

        // Act
        var exception = Assert.Throws<ImageDecodeException>(() => EncodedImageReader.ReadFile(path, maxBytes: 1000));

        // Assert
        Assert.Equal(ImageDecodeError.Unreadable, exception.Error);
        Assert.Equal($"{path}: cannot read the file (no such file)", exception.Message);
    }

    [Theory]
    [InlineData(100_000_000, 901_048_576)]
    [InlineData(0, 1_048_576)]
    [InlineData(long.MaxValue, 2_147_483_591)]
    public void MaxBytesFor_PixelLimit_NineBytesAPixelAndAMebibyteUpToTheLargestArray(long maxPixels, long expected)
    {
        // Arrange
        long pixels = maxPixels;

        // Act
        long maxBytes = EncodedImageReader.MaxBytesFor(pixels);

        // Assert
        Assert.Equal(expected, maxBytes);
    }

    /// <summary>A pipe: not seekable, its prefix and then zeros for ever (or only the prefix), counting what is read.</summary>
    private sealed class EndlessStream(byte[] prefix, bool endless = true) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = endless ? count : (int)Math.Min(count, prefix.Length - BytesRead);
            for (int i = 0; i < n; i++)
            {
                long at = BytesRead + i;
                buffer[offset + i] = at < prefix.Length ? prefix[at] : (byte)0;
            }

            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
