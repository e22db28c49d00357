using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using InMood.Engine.Threading;
using InMood.Onnx.Compiled;
using InMood.Onnx.Execution;
using InMood.Onnx.Model;
using InMood.Onnx.Tests.Execution;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InMood.Onnx.Tests.Compiled;

/// <summary>The compiled path against the reference executor and ONNX Runtime (max abs diff 1e-4), and its allocation budget.</summary>
[Collection(AllocationCollection.Name)]
public sealed class CompiledModelTests
{
    // NOTE: WorkerPool(1).Dispose() throws (it releases a semaphore by 0), so the pools live for the test run.
    private static readonly WorkerPool[] s_pools = [new WorkerPool(1), new WorkerPool(2)];

    public static TheoryData<string, int, int> Cases => new()
    {
        { "blazeface-back", 1, 1 },
        { "blazeface-back", 1, 2 },
        { "blazeface-front", 1, 1 },
        { "blazeface-front", 1, 2 },
        { "big-xception", 1, 1 },
        { "big-xception", 1, 2 },
        { "big-xception", 5, 1 },
        { "big-xception", 5, 2 },
    };

    [ReferenceModelTheory]
    [MemberData(nameof(Cases))]
    public void Run_ReferenceModel_MatchesReferenceExecutorAndOnnxRuntime(string modelName, int batch, int workers)
    {
        (string path, string input, int[] imageShape) = Model(modelName);
        OnnxModel model = OnnxReader.ReadFile(path);
        int[] shape = [batch, .. imageShape];
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([(input, shape)], seed: 31 + batch);
        WorkerPool pool = s_pools[workers - 1];
        CompiledModel compiled = CompiledModel.Compile(model, batch, pool);
        Dictionary<string, OnnxValue> reference = new OnnxExecutor(model).Run(feeds);
        using var session = new InferenceSession(path);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> ort = session.Run(
            [NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(feeds[input].Floats!, shape))]);

        compiled.Run(feeds[input].Floats);

        for (int i = 0; i < compiled.OutputNames.Count; i++)
        {
            string name = compiled.OutputNames[i];
            float[] ours = compiled.Output(i).ToArray();
            Assert.Equal(reference[name].Shape, compiled.OutputShape(i));
            Assert.True(MaxAbsDiff(ours, reference[name].Floats!) <= 1e-4, $"{name}: vs reference {MaxAbsDiff(ours, reference[name].Floats!):E2}");
            float[] expected = [.. ort.Single(o => o.Name == name).AsTensor<float>()];
            Assert.True(MaxAbsDiff(ours, expected) <= 1e-4, $"{name}: vs ONNX Runtime {MaxAbsDiff(ours, expected):E2}");
        }
    }

    [ReferenceModelTheory]
    [InlineData("blazeface-back", 1, 1)]
    [InlineData("blazeface-front", 1, 2)]
    [InlineData("big-xception", 4, 2)]
    public void Run_Warm_AllocatesNothing(string modelName, int batch, int workers)
    {
        (string path, _, int[] imageShape) = Model(modelName);
        WorkerPool pool = s_pools[workers - 1];
        CompiledModel compiled = CompiledModel.Compile(OnnxReader.ReadFile(path), batch, pool);
        float[] input = TestGraphs.Random(batch * imageShape.Aggregate(1, (a, d) => a * d), seed: 5);
        // NOTE: tiered JIT recompiles hot methods on a background thread for a while (and that allocates),
        // so warm up in rounds with pauses until it has settled.
        for (int round = 0; round < 4; round++)
        {
            for (int i = 0; i < 50; i++)
            {
                compiled.Run(input);
            }

            Thread.Sleep(100);
        }

        // NOTE: GC.GetTotalAllocatedBytes is process-wide, so the test runner's own threads can show up in a
        // window; a run that allocated would do so in every window, hence the smallest of several one-run windows.
        // The exact count is the calling thread's plus the pool's helper threads' (WorkerPool.HelperAllocatedBytes).
        long smallestTotal = long.MaxValue, exact = 0;
        for (int i = 0; i < 10; i++)
        {
            long total = GC.GetTotalAllocatedBytes(precise: true);
            long thread = GC.GetAllocatedBytesForCurrentThread(), helpers = pool.HelperAllocatedBytes;
            compiled.Run(input);
            exact += GC.GetAllocatedBytesForCurrentThread() - thread + pool.HelperAllocatedBytes - helpers;
            smallestTotal = Math.Min(smallestTotal, GC.GetTotalAllocatedBytes(precise: true) - total);
        }

        Assert.True(exact == 0, $"{exact} bytes allocated by the model's threads in 10 warm runs");
        Assert.True(smallestTotal == 0, $"{smallestTotal} bytes allocated by a warm run (process-wide)");
    }

    [ReferenceModelFact]
    public void Compile_BlazeFace_FusesPaddingResidualAndRelu()
    {
        CompiledModel compiled = CompiledModel.Compile(OnnxReader.ReadFile(TestPaths.BlazeFaceFront), 1);

        IReadOnlyList<string> steps = compiled.Describe();

        Assert.DoesNotContain(steps, s => s.StartsWith("Concat", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, s => s.StartsWith("Relu", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, s => s.StartsWith("Transpose ", StringComparison.Ordinal) && s.Contains("[1, 3, 128, 128]", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith("Conv+Add+Relu", StringComparison.Ordinal));
    }

    [ReferenceModelFact]
    public void Compile_BlazeFaceWithBatchTwo_ThrowsNamingTheFixedBatch()
    {
        OnnxModel model = OnnxReader.ReadFile(TestPaths.BlazeFaceFront);

        var exception = Assert.Throws<ArgumentException>(() => CompiledModel.Compile(model, 2));

        Assert.Contains("fixes the batch at 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_UnsupportedOp_ThrowsNamingNode()
    {
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [new OnnxNode("Sigmoid", ["x"], ["y"], "act")],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 1, 4)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 1, 4)],
            },
        };

        var exception = Assert.Throws<NotSupportedException>(() => CompiledModel.Compile(model, 1));

        Assert.Contains("'act' (Sigmoid)", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_NarrowStrideOneConvWithResidualAndRelu_MatchesReferenceExecutor(int workers)
    {
        var conv = new OnnxNode("Conv", ["x", "W", "B"], ["c"], "conv")
        {
            Attributes = [OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", 1, 1, 1, 1)],
        };
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [conv, new OnnxNode("Add", ["c", "x"], ["s"], "add"), new OnnxNode("Relu", ["s"], ["y"], "relu")],
                Initializers = [OnnxTensor.FromFloats("W", [4, 4, 3, 3], TestGraphs.Random(144, 1)), OnnxTensor.FromFloats("B", [4], TestGraphs.Random(4, 2))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 3, 4, 7, 6)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 3, 4, 7, 6)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [3, 4, 7, 6])], seed: 5);
        CompiledModel compiled = CompiledModel.Compile(model, 3, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.Contains(compiled.Describe(), d => d.StartsWith("Conv+Add+Relu", StringComparison.Ordinal));
        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-5, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    /// <summary>
    /// Dense 3 x 3 stride-1 convs on AVX-512 run by Winograd F(2 x 2, 3 x 3): odd output sizes (the last tile row and
    /// column half used), rows of more than 32 outputs (two masked runs), asymmetric and no pads, several blocks of
    /// tile rows split over two workers, channel counts off the kernel's 8-row tiles, and a fused residual and ReLU.
    /// </summary>
    [Theory]
    [InlineData(48, 48, 1, 1, 1, 1, 16, 16, false, 1)]
    [InlineData(23, 23, 0, 0, 0, 0, 32, 24, false, 2)]
    [InlineData(13, 37, 1, 0, 0, 2, 17, 20, false, 1)]
    [InlineData(12, 12, 1, 1, 1, 1, 24, 24, true, 1)]
    [InlineData(64, 64, 1, 1, 1, 1, 16, 16, true, 2)]
    [InlineData(13, 12, 2, 1, 1, 0, 40, 16, false, 2)]
    public void Run_DenseConv3x3StrideOne_MatchesReferenceExecutor(int height, int width, int top, int left, int bottom, int right, int channels, int outputs, bool residual, int workers)
    {
        var conv = new OnnxNode("Conv", ["x", "W", "B"], ["c"], "conv")
        {
            Attributes = [OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", top, left, bottom, right)],
        };
        int oh = height + top + bottom - 2, ow = width + left + right - 2;
        List<OnnxNode> nodes = residual
            ? [conv, new OnnxNode("Add", ["c", "x"], ["s"], "add"), new OnnxNode("Relu", ["s"], ["y"], "relu")]
            : [conv, new OnnxNode("Relu", ["c"], ["y"], "relu")];
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = nodes,
                Initializers = [OnnxTensor.FromFloats("W", [outputs, channels, 3, 3], TestGraphs.Random(outputs * channels * 9, 41)), OnnxTensor.FromFloats("B", [outputs], TestGraphs.Random(outputs, 42))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, channels, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, outputs, oh, ow)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [2, channels, height, width])], seed: 43);
        CompiledModel compiled = CompiledModel.Compile(model, 2, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            Assert.Contains(compiled.Describe(), d => d.StartsWith(residual ? "WinogradConv+Add+Relu" : "WinogradConv+Relu", StringComparison.Ordinal));
        }

        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-4, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    /// <summary>
    /// Dense convs over maps too small for Winograd, with 64 or more outputs, on AVX-512 run in 6-pixel x 64-channel
    /// tiles: rows of exactly 6 outputs, rows of 7 to 12 (the last tile shifted back over the one before), channel
    /// counts off the 64-channel panels (the last panel shifted back), a fused residual and ReLU, and rows split over
    /// two workers.
    /// </summary>
    [Theory]
    [InlineData(6, 6, 1, 32, 64, false, 1)]
    [InlineData(6, 6, 1, 80, 80, true, 2)]
    [InlineData(8, 8, 1, 16, 64, false, 2)]
    [InlineData(7, 9, 1, 24, 100, false, 1)]
    [InlineData(9, 14, 0, 16, 256, false, 2)]
    public void Run_DenseConv3x3OnSmallMap_RunsChannelTiledAndMatchesReferenceExecutor(int height, int width, int pad, int channels, int outputs, bool residual, int workers)
    {
        var conv = new OnnxNode("Conv", ["x", "W", "B"], ["c"], "conv")
        {
            Attributes = [OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", pad, pad, pad, pad)],
        };
        int oh = height + (2 * pad) - 2, ow = width + (2 * pad) - 2;
        List<OnnxNode> nodes = residual
            ? [conv, new OnnxNode("Add", ["c", "x"], ["s"], "add"), new OnnxNode("Relu", ["s"], ["y"], "relu")]
            : [conv, new OnnxNode("Relu", ["c"], ["y"], "relu")];
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = nodes,
                Initializers = [OnnxTensor.FromFloats("W", [outputs, channels, 3, 3], TestGraphs.Random(outputs * channels * 9, 51)), OnnxTensor.FromFloats("B", [outputs], TestGraphs.Random(outputs, 52))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, channels, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, outputs, oh, ow)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [2, channels, height, width])], seed: 53);
        CompiledModel compiled = CompiledModel.Compile(model, 2, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
        {
            Assert.Contains(compiled.Describe(), d => d.StartsWith(residual ? "ChannelTiledConv+Add+Relu" : "ChannelTiledConv+Relu", StringComparison.Ordinal));
        }

        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-4, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void Run_GemmWithAlphaBetaAndTransB_MatchesReferenceExecutor(bool transB, int workers)
    {
        var gemm = new OnnxNode("Gemm", ["x", "W", "C"], ["y"], "dense")
        {
            Attributes = [OnnxAttribute.FromInt("transB", transB ? 1 : 0), OnnxAttribute.FromFloat("alpha", 0.75f), OnnxAttribute.FromFloat("beta", 2f)],
        };
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [gemm],
                Initializers = [OnnxTensor.FromFloats("W", transB ? [6, 5] : [5, 6], TestGraphs.Random(30, 3)), OnnxTensor.FromFloats("C", [6], TestGraphs.Random(6, 4))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 3, 5)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 3, 6)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [3, 5])], seed: 6);
        CompiledModel compiled = CompiledModel.Compile(model, 3, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-5, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    /// <summary>2 x 2 / 2 max pooling read in place: an odd-sized plane (the last row and column are dropped), rows of 4, 13, 16 + 4, 6, 3 and 16 + 15 outputs.</summary>
    [Theory]
    [InlineData(7, 9, 1)]
    [InlineData(6, 26, 1)]
    [InlineData(4, 40, 2)]
    [InlineData(12, 12, 1)]
    [InlineData(6, 7, 1)]
    [InlineData(3, 62, 1)]
    public void Run_MaxPool2x2Stride2_MatchesReferenceExecutor(int height, int width, int workers)
    {
        var pool = new OnnxNode("MaxPool", ["x"], ["y"], "pool")
        {
            Attributes = [OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2)],
        };
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [pool],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, 3, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, 3, height / 2, width / 2)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [2, 3, height, width])], seed: 9);
        CompiledModel compiled = CompiledModel.Compile(model, 2, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.Equal(expected, compiled.Output(0).ToArray());
    }

    /// <summary>
    /// 3 x 3 / 2 max pooling: planes up to 32 wide are read in place with clamped rows and columns (one and two
    /// vectors per row, pads 0 to 2 on the leading sides); a 33-wide plane takes the padded copy.
    /// </summary>
    [Theory]
    [InlineData(29, 29, "SAME_UPPER", 1)]
    [InlineData(15, 15, "SAME_UPPER", 2)]
    [InlineData(9, 16, "SAME_LOWER", 1)]
    [InlineData(5, 7, "VALID", 1)]
    [InlineData(8, 32, "SAME_UPPER", 1)]
    [InlineData(3, 1, "SAME_UPPER", 1)]
    [InlineData(7, 33, "SAME_UPPER", 2)]
    [InlineData(10, 30, "PADS", 1)]
    public void Run_MaxPool3x3Stride2_MatchesReferenceExecutor(int height, int width, string padding, int workers)
    {
        var attributes = new List<OnnxAttribute> { OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("strides", 2, 2) };
        int outHeight, outWidth;
        if (padding == "PADS")
        {
            attributes.Add(OnnxAttribute.FromInts("pads", 2, 2, 1, 0));
            (outHeight, outWidth) = (((height + 3 - 3) / 2) + 1, ((width + 2 - 3) / 2) + 1);
        }
        else
        {
            attributes.Add(OnnxAttribute.FromString("auto_pad", padding));
            (outHeight, outWidth) = padding == "VALID" ? (((height - 3) / 2) + 1, ((width - 3) / 2) + 1) : ((height + 1) / 2, (width + 1) / 2);
        }

        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [new OnnxNode("MaxPool", ["x"], ["y"], "pool") { Attributes = attributes }],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, 3, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, 3, outHeight, outWidth)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [2, 3, height, width])], seed: 10);
        CompiledModel compiled = CompiledModel.Compile(model, 2, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.Equal(expected, compiled.Output(0).ToArray());
    }

    /// <summary>
    /// big_XCEPTION's block ending: a max pool whose output is added to an earlier strided 1x1 conv (the shortcut) runs
    /// as one step that adds the shortcut to each pooled plane, on every pool path: 3 x 3 / 2 read in place (at most
    /// 32 wide) and through the padded copy (wider), 2 x 2 / 2, and the generic rows (3 x 3 / 1); either operand order.
    /// </summary>
    [Theory]
    [InlineData(29, 29, 3, 2, false, 1)]
    [InlineData(15, 15, 3, 2, true, 2)]
    [InlineData(9, 40, 3, 2, false, 2)]
    [InlineData(8, 12, 2, 2, true, 1)]
    [InlineData(7, 9, 3, 1, false, 1)]
    public void Run_MaxPoolThenAddOfAnEarlierConv_RunsFusedAndMatchesReferenceExecutor(int height, int width, int kernel, int stride, bool poolFirst, int workers)
    {
        int outHeight = kernel == 2 ? height / 2 : (height + stride - 1) / stride, outWidth = kernel == 2 ? width / 2 : (width + stride - 1) / stride;
        var shortcut = new OnnxNode("Conv", ["x", "W", "B"], ["r"], "shortcut")
        {
            Attributes = [OnnxAttribute.FromInts("kernel_shape", 1, 1), OnnxAttribute.FromInts("strides", stride, stride)],
        };
        var pool = new OnnxNode("MaxPool", ["x"], ["p"], "pool")
        {
            Attributes = kernel == 2
                ? [OnnxAttribute.FromInts("kernel_shape", 2, 2), OnnxAttribute.FromInts("strides", 2, 2)]
                : [OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("strides", stride, stride), OnnxAttribute.FromString("auto_pad", "SAME_UPPER")],
        };
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [shortcut, pool, new OnnxNode("Add", poolFirst ? ["p", "r"] : ["r", "p"], ["y"], "add")],
                Initializers = [OnnxTensor.FromFloats("W", [3, 3, 1, 1], TestGraphs.Random(9, 3)), OnnxTensor.FromFloats("B", [3], TestGraphs.Random(3, 4))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, 3, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, 3, outHeight, outWidth)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [2, 3, height, width])], seed: 12);
        CompiledModel compiled = CompiledModel.Compile(model, 2, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.Contains(compiled.Describe(), d => d.StartsWith("MaxPool+Add", StringComparison.Ordinal));
        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-5, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    /// <summary>
    /// 3 x 3 depthwise conv (+ ReLU) on maps of every width class: under 16 output columns (one masked Vector512 per
    /// row), exactly 16, and wider with a shifted-back last vector; stride 1 with SAME pads and stride 2.
    /// </summary>
    [Theory]
    [InlineData(5, 3, 1, 1)]
    [InlineData(8, 8, 1, 2)]
    [InlineData(15, 15, 1, 1)]
    [InlineData(16, 16, 1, 1)]
    [InlineData(29, 29, 1, 2)]
    [InlineData(9, 9, 2, 1)]
    [InlineData(30, 17, 2, 1)]
    public void Run_DepthwiseConv3x3_MatchesReferenceExecutor(int height, int width, int stride, int workers)
    {
        const int channels = 6;
        var conv = new OnnxNode("Conv", ["x", "W", "B"], ["c"], "depthwise")
        {
            Attributes =
            [
                OnnxAttribute.FromInt("group", channels), OnnxAttribute.FromInts("kernel_shape", 3, 3),
                OnnxAttribute.FromInts("strides", stride, stride), OnnxAttribute.FromString("auto_pad", "SAME_UPPER"),
            ],
        };
        int outHeight = (height + stride - 1) / stride, outWidth = (width + stride - 1) / stride;
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [conv, new OnnxNode("Relu", ["c"], ["y"], "relu")],
                Initializers = [OnnxTensor.FromFloats("W", [channels, 1, 3, 3], TestGraphs.Random(channels * 9, 11)), OnnxTensor.FromFloats("B", [channels], TestGraphs.Random(channels, 12))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, channels, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, channels, outHeight, outWidth)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [2, channels, height, width])], seed: 13);
        CompiledModel compiled = CompiledModel.Compile(model, 2, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.Contains(compiled.Describe(), d => d.Contains("DepthwiseConv", StringComparison.Ordinal));
        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-5, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    /// <summary>
    /// A dense layer of at least 2^18 weights after a conv and Flatten (FerVgg's shape) runs once for the whole batch
    /// (blocks of four images and four rows, with two images and two rows left over): same results as the reference,
    /// for a full batch and for its first five images, on one worker and on two, and the very same floats as each
    /// image run alone (batch 1).
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_LargeDenseLayerBatched_MatchesReferenceExecutor(int workers)
    {
        OnnxModel model = DenseHeadModel(6);
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [6, 2, 32, 32])], seed: 27);
        CompiledModel compiled = CompiledModel.Compile(model, 6, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);
        float[] full = compiled.Output(0).ToArray();
        compiled.Run(TestGraphs.Random(6 * 2 * 32 * 32, 28));
        compiled.Run(feeds["x"].Floats.AsSpan(0, 5 * 2 * 32 * 32), 5);
        CompiledModel single = CompiledModel.Compile(DenseHeadModel(1), 1, s_pools[workers - 1]);
        float[] alone = new float[6 * 7];
        for (int image = 0; image < 6; image++)
        {
            single.Run(feeds["x"].Floats.AsSpan(image * 2 * 32 * 32, 2 * 32 * 32));
            single.Output(0).CopyTo(alone.AsSpan(image * 7));
        }

        Assert.True(MaxAbsDiff(full, expected) <= 1e-5, $"max abs diff {MaxAbsDiff(full, expected):E2}");
        Assert.Equal(full.AsSpan(0, 5 * 7).ToArray(), compiled.Output(0)[..(5 * 7)].ToArray());
        Assert.Equal(alone, full);
    }

    /// <summary>Conv, ReLU, Flatten, Gemm 2048 -> 130, ReLU, Gemm 130 -> 7, Softmax, for batches of <paramref name="batch"/>.</summary>
    private static OnnxModel DenseHeadModel(int batch)
    {
        var conv = new OnnxNode("Conv", ["x", "Wc", "Bc"], ["c"], "conv")
        {
            Attributes = [OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("pads", 1, 1, 1, 1)],
        };
        return new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes =
                [
                    conv, new OnnxNode("Relu", ["c"], ["r"], "relu"), new OnnxNode("Flatten", ["r"], ["f"], "flatten"),
                    new OnnxNode("Gemm", ["f", "W1", "B1"], ["h"], "fc1") { Attributes = [OnnxAttribute.FromInt("transB", 1)] },
                    new OnnxNode("Relu", ["h"], ["hr"], "fc1_relu"),
                    new OnnxNode("Gemm", ["hr", "W2", "B2"], ["logits"], "logits") { Attributes = [OnnxAttribute.FromInt("transB", 1)] },
                    new OnnxNode("Softmax", ["logits"], ["y"], "softmax") { Attributes = [OnnxAttribute.FromInt("axis", 1)] },
                ],
                Initializers =
                [
                    OnnxTensor.FromFloats("Wc", [2, 2, 3, 3], TestGraphs.Random(36, 21)), OnnxTensor.FromFloats("Bc", [2], TestGraphs.Random(2, 22)),
                    OnnxTensor.FromFloats("W1", [130, 2048], TestGraphs.Random(130 * 2048, 23)), OnnxTensor.FromFloats("B1", [130], TestGraphs.Random(130, 24)),
                    OnnxTensor.FromFloats("W2", [7, 130], TestGraphs.Random(7 * 130, 25)), OnnxTensor.FromFloats("B2", [7], TestGraphs.Random(7, 26)),
                ],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, batch, 2, 32, 32)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, batch, 7)],
            },
        };
    }

    /// <summary>
    /// A 3 x 3 depthwise conv read only by a 1x1 conv runs fused, band by band, when its output is large (not at
    /// 30 x 64 x 64, under 128 K floats): stride 1 with a residual, zero-padded to more channels as in BlazeFace (batch 1,
    /// so two workers split the bands), stride 2 with odd sizes and a depthwise ReLU (batch 2), on one worker and two. Same as the reference executor, and the very same
    /// floats as the two steps run apart (the depthwise output made a graph output keeps them apart).
    /// </summary>
    [Theory]
    [InlineData(32, 64, 32, 1, false, 1, true)]
    [InlineData(24, 128, 28, 1, false, 2, true)]
    [InlineData(24, 128, 24, 1, false, 1, true)]
    [InlineData(32, 129, 20, 2, true, 1, true)]
    [InlineData(36, 121, 16, 2, true, 2, true)]
    [InlineData(30, 64, 30, 1, false, 1, false)]
    public void Run_DepthwiseThenPointwiseConv_RunsFusedWhenLargeAndMatchesReferenceExecutor(int channels, int size, int outputs, int stride, bool depthwiseRelu, int workers, bool large)
    {
        bool residual = stride == 1;
        int batch = residual ? 1 : 2, outSize = (size + stride - 1) / stride;
        OnnxModel Model(bool depthwiseIsOutput)
        {
            var depthwise = new OnnxNode("Conv", ["x", "Wd", "Bd"], [depthwiseRelu ? "dc" : "d"], "depthwise")
            {
                Attributes =
                [
                    OnnxAttribute.FromInt("group", channels), OnnxAttribute.FromInts("kernel_shape", 3, 3),
                    OnnxAttribute.FromInts("strides", stride, stride), OnnxAttribute.FromString("auto_pad", "SAME_UPPER"),
                ],
            };
            List<OnnxNode> nodes = [depthwise];
            if (depthwiseRelu)
            {
                nodes.Add(new OnnxNode("Relu", ["dc"], ["d"], "depthwise_relu"));
            }

            nodes.Add(new OnnxNode("Conv", ["d", "W", "B"], ["p"], "pointwise") { Attributes = [OnnxAttribute.FromInts("kernel_shape", 1, 1)] });
            nodes.Add(residual ? new OnnxNode("Add", ["p", "xr"], ["s"], "add") : new OnnxNode("Identity", ["p"], ["s"], "same"));
            nodes.Add(new OnnxNode("Relu", ["s"], ["y"], "relu"));
            List<OnnxValueInfo> graphOutputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, batch, outputs, outSize, outSize)];
            if (depthwiseIsOutput)
            {
                graphOutputs.Add(OnnxValueInfo.Tensor("d", OnnxDataType.Float, batch, channels, outSize, outSize));
            }

            OnnxNode channelPad = outputs > channels ? new OnnxNode("Concat", ["x", "zeros"], ["xr"], "channel_pad") { Attributes = [OnnxAttribute.FromInt("axis", 1)] }
                : new OnnxNode("Identity", ["x"], ["xr"], "same_channels");

            return new OnnxModel
            {
                Graph = new OnnxGraph
                {
                    Nodes = residual ? [channelPad, .. nodes] : nodes,
                    Initializers =
                    [
                        OnnxTensor.FromFloats("Wd", [channels, 1, 3, 3], TestGraphs.Random(channels * 9, 41)), OnnxTensor.FromFloats("Bd", [channels], TestGraphs.Random(channels, 42)),
                        OnnxTensor.FromFloats("W", [outputs, channels, 1, 1], TestGraphs.Random(outputs * channels, 43)), OnnxTensor.FromFloats("B", [outputs], TestGraphs.Random(outputs, 44)),
                        OnnxTensor.FromFloats("zeros", [1, Math.Max(outputs - channels, 0), size, size], new float[Math.Max(outputs - channels, 0) * size * size]),
                    ],
                    Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, batch, channels, size, size)],
                    Outputs = graphOutputs,
                },
            };
        }

        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [batch, channels, size, size])], seed: 45);
        CompiledModel fused = CompiledModel.Compile(Model(depthwiseIsOutput: false), batch, s_pools[workers - 1]);
        CompiledModel apart = CompiledModel.Compile(Model(depthwiseIsOutput: true), batch, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(Model(depthwiseIsOutput: false)).Run(feeds)["y"].Floats!;

        fused.Run(feeds["x"].Floats);
        apart.Run(feeds["x"].Floats);

        bool fuses = large && Vector512.IsHardwareAccelerated;
        Assert.Equal(fuses, fused.Describe().Any(d => d.StartsWith("DepthwiseConv", StringComparison.Ordinal) && d.Contains("+Conv", StringComparison.Ordinal)));
        Assert.DoesNotContain(apart.Describe(), d => d.Contains("+Conv", StringComparison.Ordinal));
        Assert.True(MaxAbsDiff(fused.Output(0), expected) <= 1e-4, $"max abs diff {MaxAbsDiff(fused.Output(0), expected):E2}");
        Assert.True(fused.Output(0).SequenceEqual(apart.Output(0)), "the fused pair computed different floats from the two steps apart");
    }

    /// <summary>
    /// A conv read only by a GlobalAveragePool runs as the pooled sums (big_XCEPTION's 7-class head): SAME and
    /// asymmetric pads, stride 2, dilation 2, odd sizes, a 1x1 kernel. A ReLU between them keeps them apart.
    /// </summary>
    [Theory]
    [InlineData(8, 8, 3, 1, 1, "SAME_UPPER", false)]
    [InlineData(9, 7, 3, 2, 1, "NOTSET", false)]
    [InlineData(11, 13, 5, 1, 2, "SAME_UPPER", false)]
    [InlineData(6, 6, 1, 1, 1, "VALID", false)]
    [InlineData(8, 8, 3, 1, 1, "SAME_UPPER", true)]
    public void Run_ConvThenGlobalAveragePool_MatchesReferenceExecutor(int height, int width, int kernel, int stride, int dilation, string autoPad, bool relu)
    {
        const int channels = 12, outputs = 7;
        var conv = new OnnxNode("Conv", ["x", "W", "B"], [relu ? "c" : "r"], "head")
        {
            Attributes =
            [
                OnnxAttribute.FromInts("kernel_shape", kernel, kernel), OnnxAttribute.FromInts("strides", stride, stride),
                OnnxAttribute.FromInts("dilations", dilation, dilation),
                autoPad == "NOTSET" ? OnnxAttribute.FromInts("pads", 2, 0, 1, 1) : OnnxAttribute.FromString("auto_pad", autoPad),
            ],
        };
        List<OnnxNode> nodes = relu ? [conv, new OnnxNode("Relu", ["c"], ["r"], "relu")] : [conv];
        nodes.Add(new OnnxNode("GlobalAveragePool", ["r"], ["y"], "gap"));
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = nodes,
                Initializers =
                [
                    OnnxTensor.FromFloats("W", [outputs, channels, kernel, kernel], TestGraphs.Random(outputs * channels * kernel * kernel, 51)),
                    OnnxTensor.FromFloats("B", [outputs], TestGraphs.Random(outputs, 52)),
                ],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 3, channels, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 3, outputs, 1, 1)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [3, channels, height, width])], seed: 53);
        CompiledModel compiled = CompiledModel.Compile(model, 3, s_pools[0]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.Equal(!relu, compiled.Describe().Any(d => d.StartsWith("Conv+GlobalAveragePool", StringComparison.Ordinal)));
        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-5, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    /// <summary>A 3 x 3 stride-2 conv copies x into its two column phases: odd and even widths, left pad 0 and 1.</summary>
    [Theory]
    [InlineData(48, 48, 0, 1)]
    [InlineData(17, 35, 1, 1)]
    [InlineData(9, 64, 1, 2)]
    [InlineData(6, 7, 0, 1)]
    public void Run_StridedConv3x3_MatchesReferenceExecutor(int height, int width, int pad, int workers)
    {
        var conv = new OnnxNode("Conv", ["x", "W", "B"], ["c"], "conv")
        {
            Attributes = [OnnxAttribute.FromInts("kernel_shape", 3, 3), OnnxAttribute.FromInts("strides", 2, 2), OnnxAttribute.FromInts("pads", pad, pad, pad, pad)],
        };
        int outHeight = ((height + (2 * pad) - 3) / 2) + 1, outWidth = ((width + (2 * pad) - 3) / 2) + 1;
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [conv, new OnnxNode("Relu", ["c"], ["y"], "relu")],
                Initializers = [OnnxTensor.FromFloats("W", [8, 2, 3, 3], TestGraphs.Random(144, 34)), OnnxTensor.FromFloats("B", [8], TestGraphs.Random(8, 35))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, 2, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, 8, outHeight, outWidth)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [2, 2, height, width])], seed: 36);
        CompiledModel compiled = CompiledModel.Compile(model, 2, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-5, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    /// <summary>A 1x1 stride-2 conv (a residual shortcut) gathers x's even columns: rows of 15 and 21 outputs from odd and even widths.</summary>
    [Theory]
    [InlineData(29, 29, 1)]
    [InlineData(8, 42, 2)]
    [InlineData(5, 41, 1)]
    [InlineData(3, 2, 1)]
    public void Run_StridedPointwiseConv_MatchesReferenceExecutor(int height, int width, int workers)
    {
        var conv = new OnnxNode("Conv", ["x", "W", "B"], ["y"], "shortcut")
        {
            Attributes = [OnnxAttribute.FromInts("kernel_shape", 1, 1), OnnxAttribute.FromInts("strides", 2, 2)],
        };
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [conv],
                Initializers = [OnnxTensor.FromFloats("W", [40, 3, 1, 1], TestGraphs.Random(120, 31)), OnnxTensor.FromFloats("B", [40], TestGraphs.Random(40, 32))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 2, 3, height, width)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 2, 40, (height + 1) / 2, (width + 1) / 2)],
            },
        };
        Dictionary<string, OnnxValue> feeds = OnnxRuntimeParity.RandomFeeds([("x", [2, 3, height, width])], seed: 33);
        CompiledModel compiled = CompiledModel.Compile(model, 2, s_pools[workers - 1]);
        float[] expected = new OnnxExecutor(model).Run(feeds)["y"].Floats!;

        compiled.Run(feeds["x"].Floats);

        Assert.True(MaxAbsDiff(compiled.Output(0), expected) <= 1e-5, $"max abs diff {MaxAbsDiff(compiled.Output(0), expected):E2}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_FirstImagesOfABatch_GivesTheFullRunsRowsForThem(int workers)
    {
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [new OnnxNode("Gemm", ["x", "W"], ["y"], "dense")],
                Initializers = [OnnxTensor.FromFloats("W", [5, 6], TestGraphs.Random(30, 3))],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 4, 5)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 4, 6)],
            },
        };
        float[] input = TestGraphs.Random(4 * 5, seed: 8);
        CompiledModel full = CompiledModel.Compile(model, 4, s_pools[workers - 1]);
        full.Run(input);
        float[] expected = full.Output(0)[..(3 * 6)].ToArray();
        CompiledModel partial = full.CreateSibling(s_pools[workers - 1]);

        partial.Run(input.AsSpan(0, 3 * 5), images: 3);

        Assert.Equal(expected, partial.Output(0)[..(3 * 6)].ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => partial.Run(input, images: 5));
        Assert.Throws<ArgumentException>(() => partial.Run(input, images: 3));
    }

    [Fact]
    public void Run_WrongInputLength_ThrowsNamingExpectedShape()
    {
        var model = new OnnxModel
        {
            Graph = new OnnxGraph
            {
                Nodes = [new OnnxNode("Relu", ["x"], ["y"], "act")],
                Inputs = [OnnxValueInfo.Tensor("x", OnnxDataType.Float, 1, 4)],
                Outputs = [OnnxValueInfo.Tensor("y", OnnxDataType.Float, 1, 4)],
            },
        };
        CompiledModel compiled = CompiledModel.Compile(model, 1);

        var exception = Assert.Throws<ArgumentException>(() => compiled.Run(new float[3]));

        Assert.Contains("[1, 4] needs 4", exception.Message, StringComparison.Ordinal);
    }

    private static (string Path, string Input, int[] ImageShape) Model(string name) => name switch
    {
        "blazeface-back" => (TestPaths.BlazeFaceBack, "input:0", [256, 256, 3]),
        "blazeface-front" => (TestPaths.BlazeFaceFront, "input:0", [128, 128, 3]),
        _ => (TestPaths.BigXception, "input_1", [64, 64, 1]),
    };

    private static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        return worst;
    }
}
