using System.Buffers.Binary;
using System.Text;
using InMood.Engine.Formats;
using InMood.Engine.Networks;

namespace InMood.Engine.Tests.Formats;

public class SafeTensorsTests
{
    [Fact]
    public void Parse_HandBuiltFile_ReadsTensorsAndMetadata()
    {
        byte[] bytes = Build(
            """{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]},"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""",
            [1f, 2f, 3f, 4f, 5f]);

        (IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata) = SafeTensors.Parse(bytes);

        Assert.Equal("pt", metadata["format"]);
        Assert.Equal(["b", "a"], tensors.Select(t => t.Name));
        Assert.Equal([4f, 5f], tensors[0].Data);
        Assert.Equal([1f, 2f, 3f], tensors[1].Data);
        Assert.Equal([3], tensors[1].Shape);
    }

    [Fact]
    public void Serialize_ThenParse_RoundTripsExactly()
    {
        SafeTensor[] tensors = [new("w", [2, 3], TestData.Random(6, 1)), new("scalar", [], [42f]), new("empty", [0, 4], [])];
        var metadata = new Dictionary<string, string> { ["k"] = "v\nwith \"quotes\"" };

        byte[] bytes = SafeTensors.Serialize(tensors, metadata);
        (IReadOnlyList<SafeTensor> read, IReadOnlyDictionary<string, string> readMetadata) = SafeTensors.Parse(bytes);

        Assert.Equal(0, (BinaryPrimitives.ReadInt64LittleEndian(bytes) + 8) % 8);
        Assert.Equal(metadata["k"], readMetadata["k"]);
        for (int i = 0; i < tensors.Length; i++)
        {
            Assert.Equal(tensors[i].Name, read[i].Name);
            Assert.Equal(tensors[i].Shape, read[i].Shape);
            Assert.Equal(tensors[i].Data, read[i].Data);
        }
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "shorter than the 8-byte header length", new byte[5] },
        { "exceeds the", Header(ulong.MaxValue) },
        { "exceeds the", Header(200UL * 1024 * 1024) },
        { "runs past the end", Header(1000) },
        { "not valid JSON", Build("""{"a":{"dtype":"F32",""", []) },
        { "dtype F16 is not supported", Build("""{"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""", [0f]) },
        { "do not match shape", Build("""{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,8]}}""", [0f, 0f]) },
        { "run past the", Build("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", [0f, 0f]) },
        { "leaves a gap", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", [0f, 0f, 0f]) },
        { "overlaps", Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", [0f, 0f]) },
        { "belong to no tensor", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", [0f, 0f]) },
        { "appears twice", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", [0f, 0f]) },
        { "needs dtype, shape and data_offsets", Build("""{"a":{"dtype":"F32","shape":[1]}}""", [0f]) },
        { "non-negative integers", Build("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", [0f]) },
        { "begin <= end", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}""", [0f]) },
        { "not valid JSON", Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} {}""", [0f]) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_MalformedFile_ThrowsInvalidDataExceptionSayingWhy(string expected, byte[] bytes)
    {
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => SafeTensors.Parse(bytes));

        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_EveryTruncationOfAValidFile_ThrowsInvalidDataException()
    {
        byte[] bytes = SafeTensors.Serialize([new SafeTensor("w", [3, 2], TestData.Random(6, 2))]);

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => SafeTensors.Parse(bytes.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Write_ExistingFile_IsReplacedAtomicallyWithoutLeftovers()
    {
        string folder = Directory.CreateTempSubdirectory("inmood-st-").FullName;
        try
        {
            string path = Path.Combine(folder, "w.safetensors");
            File.WriteAllText(path, "old");

            SafeTensors.Write(path, [new SafeTensor("w", [1], [7f])]);

            Assert.Equal([7f], SafeTensors.Read(path).Tensors[0].Data);
            Assert.Equal(["w.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void NetworkFileLoad_SavedNetwork_RebuildsSameFunctionFromTheFileAlone()
    {
        string folder = Directory.CreateTempSubdirectory("inmood-net-").FullName;
        try
        {
            Network network = StandardNetworks.FerVgg();
            Initializer.HeNormal(network, 7);
            network.Forward(TestData.Random(4 * 2304, 1), 4, training: true);
            Network folded = network.FoldForInference();
            string path = Path.Combine(folder, "m.safetensors");
            float[] x = TestData.Random(3 * 2304, 2);
            float[] expected = folded.Forward(x, 3, training: false).Span.ToArray();

            NetworkFile.Save(folded, path);
            Network loaded = NetworkFile.Load(path).Network;

            Assert.Equal(folded.ToSpec(), loaded.ToSpec());
            Assert.Equal(expected, loaded.Forward(x, 3, training: false).Span.ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void LoadState_TensorWithWrongShape_ThrowsNamingTheTensor()
    {
        Network network = StandardNetworks.FerVgg();
        List<SafeTensor> tensors = network.State().Select(s => new SafeTensor(s.Name, s.Shape, s.Data)).ToList();
        tensors[0] = tensors[0] with { Shape = [tensors[0].Data.Length] };

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NetworkFile.LoadState(network, tensors));

        Assert.StartsWith("s1c1.weight: shape", e.Message);
    }

    [Fact]
    public void NetworkFileLoadBytes_MissingOrExtraTensor_ThrowsNamingTheSourceAndTheTensor()
    {
        Network network = StandardNetworks.FerVgg();
        Initializer.HeNormal(network, 3);
        var spec = new Dictionary<string, string> { [NetworkFile.ArchitectureKey] = network.ToSpec() };
        List<SafeTensor> tensors = network.State().Select(s => new SafeTensor(s.Name, s.Shape, s.Data)).ToList();
        byte[] missing = SafeTensors.Serialize(tensors.Skip(1).ToList(), spec);
        byte[] extra = SafeTensors.Serialize([.. tensors, new SafeTensor("stray.weight", [1], [0f])], spec);
        byte[] complete = SafeTensors.Serialize(tensors, spec);

        InvalidDataException noFirst = Assert.Throws<InvalidDataException>(() => NetworkFile.Load(missing, "m.safetensors"));
        InvalidDataException stray = Assert.Throws<InvalidDataException>(() => NetworkFile.Load(extra, "m.safetensors"));
        Network loaded = NetworkFile.Load(complete, "m.safetensors").Network;

        Assert.StartsWith("m.safetensors: s1c1.weight: missing", noFirst.Message);
        Assert.StartsWith("m.safetensors: stray.weight: not part of the architecture", stray.Message);
        Assert.All(loaded.State().Zip(network.State()), pair => Assert.Equal(pair.Second.Data, pair.First.Data));
    }

    [Fact]
    public void NetworkFileLoadBytes_NonFiniteWeight_ThrowsNamingTheTensorAndTheValue()
    {
        Network network = StandardNetworks.FerVgg();
        Initializer.HeNormal(network, 3);
        var spec = new Dictionary<string, string> { [NetworkFile.ArchitectureKey] = network.ToSpec() };
        List<SafeTensor> tensors = network.State().Select(s => new SafeTensor(s.Name, s.Shape, (float[])s.Data.Clone())).ToList();
        tensors[2].Data[5] = float.NaN;
        tensors[4].Data[1] = float.PositiveInfinity;
        byte[] bytes = SafeTensors.Serialize(tensors, spec);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NetworkFile.Load(bytes, "m.safetensors"));

        Assert.Matches(@"^m\.safetensors: [\w.]+: value (5 is NaN|1 is Infinity); a model holds finite numbers", e.Message);
    }

    [Fact]
    public void NetworkFileLoadBytes_TrainingCheckpointTensor_SaysItLooksLikeACheckpoint()
    {
        Network network = StandardNetworks.FerVgg();
        var spec = new Dictionary<string, string> { [NetworkFile.ArchitectureKey] = network.ToSpec() };
        List<SafeTensor> tensors = network.State().Select(s => new SafeTensor(s.Name, s.Shape, s.Data)).ToList();
        byte[] bytes = SafeTensors.Serialize([new SafeTensor("optimizer.s1c1.weight.velocity", [1], [0f]), .. tensors], spec);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => NetworkFile.Load(bytes, "run.ckpt"));

        Assert.Contains("(a training checkpoint? A model is the file inmood train writes to --out)", e.Message);
    }

    private static byte[] Header(ulong length)
    {
        byte[] bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length);
        return bytes;
    }

    private static byte[] Build(string json, float[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        byte[] bytes = new byte[8 + header.Length + data.Length * 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (int i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + header.Length + i * 4), data[i]);
        }

        return bytes;
    }
}
