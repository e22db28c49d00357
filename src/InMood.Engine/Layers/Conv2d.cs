using System.Globalization;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using InMood.Engine.Gemm;
using InMood.Engine.Tensors;
using InMood.Engine.Threading;

namespace InMood.Engine.Layers;

/// <summary>
/// 2-D convolution (cross-correlation) with groups:
/// y[n, o, p, q] = b[o] + sum over c in o's group, i, j of W[o, c, i, j] x[n, g*icg + c, p*sH - padTop + i, q*sW - padLeft + j].
/// Shapes: x [N, inC, H, W], W [outC, inC/groups, kH, kW], b [outC], y [N, outC, OH, OW].
/// Each image and group is one GEMM, W_g [ocg, K] x col [K, OH*OW] with K = icg*kH*kW, run in parallel
/// over the batch; depthwise convolutions (groups = inC = outC) use a direct kernel instead, and small maps with
/// many output channels <see cref="ChannelTileKernel"/> tiles over the padded input.
/// </summary>
public sealed class Conv2d : Layer
{
    private readonly int _inChannels;
    private readonly int _outChannels;
    private readonly int _groups;
    private readonly Parameter _weight;
    private readonly Parameter? _bias;
    private readonly ForwardJob _forwardJob;
    private readonly BackwardJob _backwardJob;
    private ConvGeometry _geometry;
    private Shape _input;
    private float[][] _columns = [];
    private float[][] _outputs = [];
    private float[][] _weightGrads = [];
    private float[][] _padded = [];
    private float[][] _wide = [];
    private int[] _shiftOffsets = [];
    private float[] _tilePanels = [];
    private float[][] _tileResults = [];
    private float[] _gradPadded = [];
    private float[] _gradTransposed = [];
    private int[] _pixelOffsets = [];
    private readonly WeightGradPrepJob _weightGradPrepJob;
    private readonly WeightGradJob _weightGradJob;
    private Conv2d? _inputGradConv;
    private readonly Tensor[] _inputGradSource = new Tensor[1];

    public Conv2d(int inChannels, int outChannels, ConvGeometry geometry, int groups = 1, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"conv2d: channels {inChannels} -> {outChannels} must be positive multiples of groups {groups}.");
        }

        _inChannels = inChannels;
        _outChannels = outChannels;
        _groups = groups;
        _geometry = geometry;
        _weight = new Parameter("weight", [outChannels, inChannels / groups, geometry.KernelHeight, geometry.KernelWidth], decay: true);
        _bias = bias ? new Parameter("bias", [outChannels], decay: false) : null;
        Parameters = _bias is null ? [_weight] : [_weight, _bias];
        _forwardJob = new ForwardJob(this);
        _backwardJob = new BackwardJob(this);
        _weightGradPrepJob = new WeightGradPrepJob(this);
        _weightGradJob = new WeightGradJob(this);
    }

    public override string Kind => "conv2d";

    public Parameter Weight => _weight;

    public Parameter? Bias => _bias;

    public ConvGeometry Geometry => _geometry;

    public int InChannels => _inChannels;

    public int OutChannels => _outChannels;

    public int Groups => _groups;

    /// <summary>When set, y = max(0, conv(x)) in one pass (inference only; set by BatchNorm folding).</summary>
    public bool FusedRelu { get; set; }

    public override IReadOnlyList<Parameter> Parameters { get; }

    private bool IsDepthwise => _groups == _inChannels && _groups == _outChannels;

    private int InGroupChannels => _inChannels / _groups;

    private int OutGroupChannels => _outChannels / _groups;

    private int ColumnRows => InGroupChannels * _geometry.KernelHeight * _geometry.KernelWidth;

    /// <summary>
    /// Whether the forward pass runs as an implicit GEMM over the zero-padded input (ForwardJob.Shifted):
    /// stride 1, a real window, and an output plane wide enough that the kW - 1 extra columns per row cost little.
    /// </summary>
    private bool UsesShiftedInput => _geometry.StrideHeight == 1 && _geometry.StrideWidth == 1 && !_geometry.IsPointwise
        && !IsDepthwise && _geometry.OutHeight * _geometry.OutWidth >= 256 && _geometry.OutWidth >= 4 * (_geometry.KernelWidth - 1);

    /// <summary>
    /// Whether the forward pass runs on <see cref="ChannelTileKernel"/> tiles (6 pixels x 64 output channels, the vector
    /// across channels) over the zero-padded input: dense, stride 1, a real window, at least 64 output channels and
    /// output rows of 6 to 12 pixels, where a GEMM with its vectors along the pixels leaves most lanes empty. Forward
    /// time against the im2col GEMM's on FerVgg (four alternating process pairs of the profile-train benchmark mode):
    /// 0.53-0.70 on its 6 x 6 convs, 0.61-0.91 on its 12 x 12 ones.
    /// </summary>
    private bool UsesChannelTiles => ChannelTileKernel.IsSupported && _groups == 1 && _geometry.StrideHeight == 1
        && _geometry.StrideWidth == 1 && !_geometry.IsPointwise && _outChannels >= ChannelTileKernel.Channels
        && _geometry.OutWidth >= ChannelTileKernel.Pixels && _geometry.OutWidth <= 2 * ChannelTileKernel.Pixels;

    private int PaddedHeight => _input.Height + _geometry.PadTop + _geometry.PadBottom;

    private int PaddedWidth => _input.Width + _geometry.PadLeft + _geometry.PadRight;

    /// <summary>Floats of one zero-padded input [icg, Hp, Wp] plus the tail that the last shifted rows read past its end.</summary>
    private int PaddedFloats => InGroupChannels * PaddedHeight * PaddedWidth + PaddedWidth + 64;

    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        Shape x = inputs[0];
        if (x.Channels != _inChannels)
        {
            throw new ArgumentException($"conv2d: input has {x.Channels} channels, the layer expects {_inChannels}.");
        }

        _input = x;
        _geometry = _geometry.For(x.Height, x.Width, "conv2d");
        return new Shape(_outChannels, _geometry.OutHeight, _geometry.OutWidth);
    }

    public override long FlopsPerSample(IReadOnlyList<Shape> inputs)
        => 2L * _outChannels * _geometry.OutHeight * _geometry.OutWidth * ColumnRows;

    public override IEnumerable<KeyValuePair<string, string>> Settings()
    {
        ConvGeometry g = _geometry;
        yield return new("out", _outChannels.ToString(CultureInfo.InvariantCulture));
        yield return new("kernel", $"{g.KernelHeight}x{g.KernelWidth}");
        yield return new("stride", $"{g.StrideHeight}x{g.StrideWidth}");
        yield return new("pad", $"{g.PadTop},{g.PadLeft},{g.PadBottom},{g.PadRight}");
        yield return new("groups", _groups.ToString(CultureInfo.InvariantCulture));
        yield return new("bias", _bias is null ? "false" : "true");
        if (FusedRelu)
        {
            yield return new("relu", "true");
        }
    }

    public override void Forward(Tensor[] inputs, Tensor output, bool training)
    {
        WorkerPool pool = WorkerPool.Shared;
        int perGemm = IsDepthwise || UsesChannelTiles ? 1 : ImagesPerGemm(output.Batch, pool.Workers);
        EnsureScratch(pool.Workers, perGemm, backward: false);
        if (UsesShiftedInput || UsesChannelTiles)
        {
            EnsureShiftedScratch(pool.Workers);
        }

        if (UsesChannelTiles)
        {
            EnsureTileScratch(pool.Workers);
            ChannelTileKernel.PackInto(_weight.Value, _outChannels, ColumnRows, _tilePanels);
        }

        _forwardJob.X = inputs[0];
        _forwardJob.Y = output;
        _forwardJob.ImagesPerGemm = perGemm;
        pool.Run(_forwardJob, (output.Batch + perGemm - 1) / perGemm);
    }

    public override void Backward(Tensor[] inputs, Tensor output, Tensor outputGrad, Tensor?[] inputGrads)
    {
        WorkerPool pool = WorkerPool.Shared;
        Tensor? dx = inputGrads[0];
        bool dxByConv = dx is not null && HasInputGradConv;
        if (UsesChannelTiles && ColumnRows >= ChannelTileKernel.Pixels && (dx is null || dxByConv))
        {
            ChannelTiledWeightGrad(inputs[0], outputGrad, pool);
        }
        else
        {
            GemmBackward(inputs[0], outputGrad, dxByConv ? null : dx, pool);
        }

        if (dxByConv)
        {
            Conv2d transposed = InputGradConv();
            _inputGradSource[0] = outputGrad;
            transposed.Forward(_inputGradSource, dx!, training: false);
        }
    }

    /// <summary>
    /// dW (and db) by im2col GEMMs over a fixed split of the batch into chunks, each adding into its own buffer, the
    /// buffers then summed in chunk order; dx too when <paramref name="dx"/> is given (col2im of W^T dY).
    /// </summary>
    private void GemmBackward(Tensor x, Tensor outputGrad, Tensor? dx, WorkerPool pool)
    {
        int perGemm = ImagesPerGemm(outputGrad.Batch, pool.Workers);
        EnsureScratch(pool.Workers, perGemm, backward: true);
        foreach (float[] grad in _weightGrads)
        {
            Array.Clear(grad);
        }

        _backwardJob.X = x;
        _backwardJob.DY = outputGrad;
        _backwardJob.DX = dx;
        _backwardJob.ImagesPerGemm = perGemm;
        _backwardJob.Chunks = Math.Min(pool.Workers, (outputGrad.Batch + perGemm - 1) / perGemm);
        pool.Run(_backwardJob, _backwardJob.Chunks);

        int weightSize = _weight.Value.Length;
        foreach (float[] grad in _weightGrads)
        {
            TensorPrimitives.Add(_weight.Grad, grad.AsSpan(0, weightSize), _weight.Grad);
            if (_bias is not null)
            {
                TensorPrimitives.Add(_bias.Grad, grad.AsSpan(weightSize, _outChannels), _bias.Grad);
            }
        }
    }

    /// <summary>
    /// dW (and db) of a channel-tiled conv in <see cref="ChannelTileKernel.WeightGradTile"/> tiles: every image's
    /// input zero-padded and its dY transposed to [P, 64] per panel (in parallel over images), then each tile of 64 output
    /// channels x 6 im2col rows sums over the whole batch in registers. Tiles own disjoint parts of dW (the last
    /// panel and the last block of rows, shifted back to fit, add only what the ones before did not), so the sum
    /// order is fixed whatever the threads do.
    /// </summary>
    private void ChannelTiledWeightGrad(Tensor x, Tensor outputGrad, WorkerPool pool)
    {
        int batch = outputGrad.Batch, plane = _geometry.OutHeight * _geometry.OutWidth;
        EnsureShiftedScratch(pool.Workers);
        EnsureTileScratch(pool.Workers);
        if (_gradPadded.Length < batch * PaddedFloats)
        {
            _gradPadded = GC.AllocateArray<float>(batch * PaddedFloats, pinned: true);
            _gradTransposed = GC.AllocateArray<float>(ChannelTileKernel.Panels(_outChannels) * batch * plane * ChannelTileKernel.Channels, pinned: true);
        }

        if (_pixelOffsets.Length != plane)
        {
            _pixelOffsets = [.. Enumerable.Range(0, plane).Select(q => (q / _geometry.OutWidth * PaddedWidth) + (q % _geometry.OutWidth))];
        }

        _weightGradPrepJob.X = x;
        _weightGradPrepJob.DY = outputGrad;
        pool.Run(_weightGradPrepJob, batch);
        _weightGradJob.DY = outputGrad;
        pool.Run(_weightGradJob, ChannelTileKernel.Panels(_outChannels) * WeightGradJob.RowRanges);
    }

    /// <summary>
    /// Whether dx is computed as a forward convolution (stride 1, not pointwise, every pad below the kernel size): then
    /// dx = conv(dy, W~) with W~[g icg + c, o, i, j] = W[g ocg + o, c, kH - 1 - i, kW - 1 - j] and pads kH - 1 - padTop
    /// (likewise each side), which runs on the forward's fast paths instead of a GEMM into columns and a col2im.
    /// </summary>
    private bool HasInputGradConv => _geometry.StrideHeight == 1 && _geometry.StrideWidth == 1 && !_geometry.IsPointwise
        && _geometry.PadTop < _geometry.KernelHeight && _geometry.PadBottom < _geometry.KernelHeight
        && _geometry.PadLeft < _geometry.KernelWidth && _geometry.PadRight < _geometry.KernelWidth;

    /// <summary>The transposed convolution of <see cref="HasInputGradConv"/>, built once, with W~ refreshed from W on every call.</summary>
    private Conv2d InputGradConv()
    {
        ConvGeometry g = _geometry;
        int kh = g.KernelHeight, kw = g.KernelWidth, icg = InGroupChannels, ocg = OutGroupChannels;
        if (_inputGradConv is null)
        {
            var geometry = new ConvGeometry(kh, kw, 1, 1, kh - 1 - g.PadTop, kw - 1 - g.PadLeft, kh - 1 - g.PadBottom, kw - 1 - g.PadRight);
            _inputGradConv = new Conv2d(_outChannels, _inChannels, geometry, _groups, bias: false);
            _inputGradConv.OutputShape([new Shape(_outChannels, g.OutHeight, g.OutWidth)]);
        }

        float[] w = _weight.Value, flipped = _inputGradConv._weight.Value;
        for (int group = 0; group < _groups; group++)
        {
            for (int c = 0; c < icg; c++)
            {
                for (int o = 0; o < ocg; o++)
                {
                    int source = (((group * ocg) + o) * icg + c) * kh * kw;
                    int target = (((group * icg) + c) * ocg + o) * kh * kw;
                    for (int t = 0; t < kh * kw; t++)
                    {
                        flipped[target + t] = w[source + (kh * kw) - 1 - t];
                    }
                }
            }
        }

        return _inputGradConv;
    }

    /// <summary>
    /// Images per GEMM: small output planes (deep layers) are batched side by side so each GEMM has about
    /// 256 columns, keeping the micro-kernel's tiles full, while leaving at least one group per worker.
    /// </summary>
    private int ImagesPerGemm(int batch, int workers)
    {
        int plane = _geometry.OutHeight * _geometry.OutWidth;
        if (_groups != 1 || plane >= 256 || batch <= 1)
        {
            return 1;
        }

        int groups = Math.Max(workers, batch * plane / 256 / workers * workers);
        return Math.Max(1, (batch + groups - 1) / groups);
    }

    /// <summary>
    /// Sizes the per-worker im2col and product buffers for a pass. They only grow (every use overwrites what it
    /// reads), so a batch that groups its images differently, or a forward pass after a backward one, allocates
    /// nothing; a forward pass that needs no im2col (depthwise, shifted, pointwise) asks for none.
    /// </summary>
    private void EnsureScratch(int workers, int imagesPerGemm, bool backward)
    {
        int plane = _geometry.OutHeight * _geometry.OutWidth;
        bool noColumns = (_geometry.IsPointwise && imagesPerGemm == 1) || (!backward && (IsDepthwise || UsesShiftedInput || UsesChannelTiles));
        Grow(ref _columns, workers, noColumns ? 0 : ColumnRows * plane * imagesPerGemm);
        Grow(ref _outputs, workers, imagesPerGemm == 1 ? 0 : _outChannels * plane * imagesPerGemm);
        if (backward && _weightGrads.Length != workers)
        {
            _weightGrads = new float[workers][];
            for (int w = 0; w < workers; w++)
            {
                _weightGrads[w] = GC.AllocateArray<float>(_weight.Value.Length + _outChannels, pinned: true);
            }
        }
    }

    /// <summary>Makes <paramref name="buffers"/> one pinned array per worker of at least <paramref name="size"/> floats.</summary>
    private static void Grow(ref float[][] buffers, int workers, int size)
    {
        if (buffers.Length != workers)
        {
            buffers = [.. Enumerable.Repeat(Array.Empty<float>(), workers)];
        }

        for (int w = 0; w < workers; w++)
        {
            if (buffers[w].Length < size)
            {
                buffers[w] = GC.AllocateArray<float>(size, pinned: true);
            }
        }
    }

    /// <summary>
    /// Scratch of the shifted forward, per worker: the zero-padded input of one channel group [icg, Hp, Wp] (plus a
    /// tail the GEMM may read past the last row), the wide product [ocg, OH * Wp], and the offset of each im2col
    /// row (c, i, j) in the padded input, c * Hp * Wp + i * Wp + j.
    /// </summary>
    private void EnsureShiftedScratch(int workers)
    {
        int hp = PaddedHeight, wp = PaddedWidth, taps = _geometry.KernelHeight * _geometry.KernelWidth;
        int paddedSize = PaddedFloats;
        int wideSize = OutGroupChannels * _geometry.OutHeight * wp;
        if (_padded.Length != workers || _padded[0].Length != paddedSize || _wide[0].Length != wideSize)
        {
            _padded = new float[workers][];
            _wide = new float[workers][];
            for (int w = 0; w < workers; w++)
            {
                _padded[w] = GC.AllocateArray<float>(paddedSize, pinned: true);
                _wide[w] = GC.AllocateArray<float>(wideSize, pinned: true);
            }

            _shiftOffsets = new int[ColumnRows];
            for (int c = 0; c < InGroupChannels; c++)
            {
                for (int i = 0; i < _geometry.KernelHeight; i++)
                {
                    for (int j = 0; j < _geometry.KernelWidth; j++)
                    {
                        _shiftOffsets[c * taps + i * _geometry.KernelWidth + j] = c * hp * wp + i * wp + j;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies x [channels, H, W] into the interior of padded [channels, Hp, Wp]. The border is never written, so it
    /// stays zero from the buffer's allocation for every later image.
    /// </summary>
    private void PadInto(ReadOnlySpan<float> x, int channels, Span<float> padded)
    {
        int h = _input.Height, w = _input.Width, hp = PaddedHeight, wp = PaddedWidth;
        for (int c = 0; c < channels; c++)
        {
            int origin = c * hp * wp + _geometry.PadTop * wp + _geometry.PadLeft;
            for (int row = 0; row < h; row++)
            {
                x.Slice((c * h + row) * w, w).CopyTo(padded.Slice(origin + row * wp, w));
            }
        }
    }

    /// <summary>The packed weights of the channel-tiled forward [<see cref="ChannelTileKernel.PackedFloats"/>] and one tile result [6, 64] per worker.</summary>
    private void EnsureTileScratch(int workers)
    {
        int packed = ChannelTileKernel.PackedFloats(_outChannels, ColumnRows);
        if (_tilePanels.Length != packed)
        {
            _tilePanels = GC.AllocateArray<float>(packed, pinned: true);
        }

        if (_tileResults.Length != workers)
        {
            _tileResults = [.. Enumerable.Range(0, workers).Select(_ => GC.AllocateArray<float>(ChannelTileKernel.Pixels * ChannelTileKernel.Channels, pinned: true))];
        }
    }

    /// <summary>
    /// Writes the im2col matrix of images [n0, n0 + count) side by side into col [K, count * P] (row stride count * P);
    /// for a pointwise conv the matrix is the images' channel planes themselves.
    /// </summary>
    private void BuildColumns(Tensor x, int n0, int count, Span<float> col)
    {
        int plane = _geometry.OutHeight * _geometry.OutWidth, stride = count * plane;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> image = x.Sample(n0 + i);
            Span<float> target = col[(i * plane)..];
            if (_geometry.IsPointwise)
            {
                for (int c = 0; c < _inChannels; c++)
                {
                    image.Slice(c * plane, plane).CopyTo(target.Slice(c * stride, plane));
                }
            }
            else
            {
                Im2Col.Forward(image, _inChannels, _input.Height, _input.Width, _geometry, target, stride);
            }
        }
    }

    /// <summary>Depthwise forward for one image: y[c] = b[c] + sum over i, j of W[c, i, j] x[c] shifted. Shapes: x [C, H, W], y [C, OH, OW].</summary>
    private void DepthwiseForward(ReadOnlySpan<float> x, Span<float> y)
    {
        ConvGeometry g = _geometry;
        int h = _input.Height, w = _input.Width, oh = g.OutHeight, ow = g.OutWidth;
        int kh = g.KernelHeight, kw = g.KernelWidth;
        float[] weight = _weight.Value;
        for (int c = 0; c < _outChannels; c++)
        {
            ReadOnlySpan<float> xc = x.Slice(c * h * w, h * w);
            Span<float> yc = y.Slice(c * oh * ow, oh * ow);
            yc.Fill(_bias is null ? 0f : _bias.Value[c]);
            for (int p = 0; p < oh; p++)
            {
                Span<float> yRow = yc.Slice(p * ow, ow);
                for (int i = 0; i < kh; i++)
                {
                    int ih = p * g.StrideHeight - g.PadTop + i;
                    if ((uint)ih >= (uint)h)
                    {
                        continue;
                    }

                    ReadOnlySpan<float> xRow = xc.Slice(ih * w, w);
                    for (int j = 0; j < kw; j++)
                    {
                        float wt = weight[(c * kh + i) * kw + j];
                        int shift = j - g.PadLeft;
                        if (g.StrideWidth == 1)
                        {
                            int lo = Math.Clamp(-shift, 0, ow), hi = Math.Clamp(w - shift, lo, ow);
                            Span<float> dst = yRow[lo..hi];
                            TensorPrimitives.MultiplyAdd(xRow.Slice(lo + shift, hi - lo), wt, dst, dst);
                        }
                        else
                        {
                            for (int q = 0; q < ow; q++)
                            {
                                int iw = q * g.StrideWidth + shift;
                                if ((uint)iw < (uint)w)
                                {
                                    yRow[q] += wt * xRow[iw];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Forward of one group of images: per channel group a GEMM y_g [ocg, P] = W_g [ocg, K] x col [K, P]; with
    /// several images per GEMM the product goes to scratch [outC, count * P] and is scattered into the images.</summary>
    private sealed unsafe class ForwardJob(Conv2d layer) : IParallelJob
    {
        public Tensor X = null!;
        public Tensor Y = null!;
        public int ImagesPerGemm;

        public void Execute(int item, int worker)
        {
            Conv2d l = layer;
            int n0 = item * ImagesPerGemm, count = Math.Min(ImagesPerGemm, Y.Batch - n0);
            if (l.IsDepthwise)
            {
                l.DepthwiseForward(X.Sample(n0), Y.Sample(n0));
            }
            else if (l.UsesChannelTiles)
            {
                ChannelTiled(n0, worker);
            }
            else if (count == 1 && l.UsesShiftedInput)
            {
                Shifted(n0, worker);
            }
            else if (count == 1)
            {
                Single(n0, worker);
            }
            else
            {
                Batched(n0, count, worker);
            }

            if (l.FusedRelu)
            {
                Span<float> y = Y.Data.AsSpan(n0 * Y.Shape.Size, count * Y.Shape.Size);
                TensorPrimitives.Max(y, 0f, y);
            }
        }

        private void Single(int n, int worker)
        {
            Conv2d l = layer;
            int plane = l._geometry.OutHeight * l._geometry.OutWidth;
            int k = l.ColumnRows, icg = l.InGroupChannels, ocg = l.OutGroupChannels, inPlane = l._input.Plane;
            ReadOnlySpan<float> x = X.Sample(n);
            Span<float> y = Y.Sample(n);
            float[] col = l._columns[worker];
            fixed (float* px = x, py = y, pw = l._weight.Value, pcol = col)
            {
                for (int g = 0; g < l._groups; g++)
                {
                    float* b = pcol;
                    if (l._geometry.IsPointwise)
                    {
                        b = px + (long)g * icg * inPlane;
                    }
                    else
                    {
                        Im2Col.Forward(x.Slice(g * icg * inPlane, icg * inPlane), icg, l._input.Height, l._input.Width, l._geometry, col, plane);
                    }

                    float* c = py + (long)g * ocg * plane;
                    if (l._bias is not null)
                    {
                        for (int o = 0; o < ocg; o++)
                        {
                            new Span<float>(c + (long)o * plane, plane).Fill(l._bias.Value[g * ocg + o]);
                        }
                    }

                    Sgemm.Multiply(ocg, plane, k, pw + (long)g * ocg * k, k, 1, b, plane, 1, c, plane, accumulate: l._bias is not null);
                }
            }
        }

        /// <summary>
        /// Stride-1 forward of one image without im2col: with x zero-padded to xp [icg, Hp, Wp], im2col row (c, i, j)
        /// at wide column q = oh * Wp + ow is xp[c * Hp * Wp + i * Wp + j + q], a shifted run of xp. So per group
        /// wide [ocg, OH * Wp] = W_g x B(offsets), then y[o, oh, ow] = wide[o, oh * Wp + ow] + b[o] for ow &lt; OW
        /// (the kW - 1 columns per row beyond OW mix neighbouring rows and are dropped).
        /// </summary>
        private void Shifted(int n, int worker)
        {
            Conv2d l = layer;
            ConvGeometry geo = l._geometry;
            int wp = l.PaddedWidth;
            int oh = geo.OutHeight, ow = geo.OutWidth, plane = oh * ow, wideColumns = oh * wp;
            int k = l.ColumnRows, icg = l.InGroupChannels, ocg = l.OutGroupChannels, inPlane = l._input.Plane;
            ReadOnlySpan<float> x = X.Sample(n);
            Span<float> y = Y.Sample(n);
            float[] padded = l._padded[worker], wide = l._wide[worker];
            for (int g = 0; g < l._groups; g++)
            {
                l.PadInto(x.Slice(g * icg * inPlane, icg * inPlane), icg, padded);

                fixed (float* pw = l._weight.Value, pp = padded, pwide = wide)
                fixed (int* offsets = l._shiftOffsets)
                {
                    Sgemm.MultiplyRowOffsets(GemmKernels.Best, ocg, wideColumns, k, pw + (long)g * ocg * k, k, 1, pp, offsets, pwide, wideColumns, accumulate: false);
                }

                for (int o = 0; o < ocg; o++)
                {
                    Span<float> target = y.Slice((g * ocg + o) * plane, plane);
                    float bias = l._bias is null ? 0f : l._bias.Value[g * ocg + o];
                    for (int row = 0; row < oh; row++)
                    {
                        TensorPrimitives.Add(wide.AsSpan(o * wideColumns + row * wp, ow), bias, target.Slice(row * ow, ow));
                    }
                }
            }
        }

        /// <summary>
        /// Stride-1 forward of one image in <see cref="ChannelTileKernel"/> tiles: x zero-padded to xp [C, Hp, Wp] as in
        /// <see cref="Shifted"/>, then per 64-channel panel and output row, tiles of 6 pixels starting at columns 0 and
        /// OW - 6 (they overlap when OW &lt; 12 and write the same values), y[m0 + j, oh, ow0 + i] = tile[i, j] + b[m0 + j].
        /// </summary>
        private void ChannelTiled(int n, int worker)
        {
            Conv2d l = layer;
            ConvGeometry geo = l._geometry;
            const int pixels = ChannelTileKernel.Pixels, channels = ChannelTileKernel.Channels;
            int wp = l.PaddedWidth;
            int oh = geo.OutHeight, ow = geo.OutWidth, plane = oh * ow, m = l._outChannels, k = l.ColumnRows;
            ReadOnlySpan<float> x = X.Sample(n);
            float[] padded = l._padded[worker];
            l.PadInto(x, l._inChannels, padded);

            float[]? bias = l._bias?.Value;
            fixed (float* pp = padded, panels = l._tilePanels, result = l._tileResults[worker], py = Y.Sample(n))
            fixed (int* offsets = l._shiftOffsets)
            {
                for (int t = 0; t < ChannelTileKernel.Panels(m); t++)
                {
                    int m0 = ChannelTileKernel.FirstChannel(t, m);
                    float* panel = panels + ((long)t * k * channels);
                    for (int row = 0; row < oh; row++)
                    {
                        for (int ow0 = 0; ow0 < ow; ow0 = ow0 + pixels >= ow ? ow : Math.Min(ow0 + pixels, ow - pixels))
                        {
                            ChannelTileKernel.Tile(k, panel, pp + (row * wp) + ow0, offsets, result);
                            for (int j = 0; j < channels; j++)
                            {
                                float b = bias is null ? 0f : bias[m0 + j];
                                float* target = py + ((long)(m0 + j) * plane) + (row * ow) + ow0;
                                for (int i = 0; i < pixels; i++)
                                {
                                    target[i] = result[(i * channels) + j] + b;
                                }
                            }
                        }
                    }
                }
            }
        }

        private void Batched(int n0, int count, int worker)
        {
            Conv2d l = layer;
            int plane = l._geometry.OutHeight * l._geometry.OutWidth, columns = count * plane, k = l.ColumnRows;
            float[] col = l._columns[worker], product = l._outputs[worker];
            l.BuildColumns(X, n0, count, col);
            fixed (float* pw = l._weight.Value, pcol = col, pout = product)
            {
                Sgemm.Multiply(l._outChannels, columns, k, pw, k, 1, pcol, columns, 1, pout, columns, accumulate: false);
            }

            Scatter(n0, count, product);
        }

        /// <summary>Copies the group's product [outC, count * P] into the images' outputs [outC, P], adding the bias.</summary>
        private void Scatter(int n0, int count, float[] product)
        {
            Conv2d l = layer;
            int plane = l._geometry.OutHeight * l._geometry.OutWidth, columns = count * plane;
            for (int i = 0; i < count; i++)
            {
                Span<float> y = Y.Sample(n0 + i);
                for (int o = 0; o < l._outChannels; o++)
                {
                    Span<float> target = y.Slice(o * plane, plane);
                    ReadOnlySpan<float> source = product.AsSpan(o * columns + i * plane, plane);
                    if (l._bias is null)
                    {
                        source.CopyTo(target);
                    }
                    else
                    {
                        TensorPrimitives.Add(source, l._bias.Value[o], target);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Backward over a fixed split of the batch's image groups into chunks, each adding into its own weight-gradient
    /// buffer; the buffers are summed in chunk order, so the result does not depend on thread scheduling.
    /// Per group: dW_g [ocg, K] += dY_g [ocg, P] x col^T [P, K]; dcol [K, P] = W_g^T [K, ocg] x dY_g, scattered into dx.
    /// </summary>
    private sealed class BackwardJob(Conv2d layer) : IParallelJob
    {
        public Tensor X = null!;
        public Tensor DY = null!;
        public Tensor? DX;
        public int Chunks;
        public int ImagesPerGemm;

        public void Execute(int item, int worker)
        {
            int groups = (DY.Batch + ImagesPerGemm - 1) / ImagesPerGemm;
            int end = (int)((long)groups * (item + 1) / Chunks);
            for (int group = (int)((long)groups * item / Chunks); group < end; group++)
            {
                int n0 = group * ImagesPerGemm, count = Math.Min(ImagesPerGemm, DY.Batch - n0);
                if (count == 1)
                {
                    Single(n0, worker, layer._weightGrads[item]);
                }
                else
                {
                    Batched(n0, count, worker, layer._weightGrads[item]);
                }
            }
        }

        private unsafe void Single(int n, int worker, float[] grads)
        {
            Conv2d l = layer;
            ConvGeometry geo = l._geometry;
            int plane = geo.OutHeight * geo.OutWidth;
            int k = l.ColumnRows, icg = l.InGroupChannels, ocg = l.OutGroupChannels, inPlane = l._input.Plane;
            ReadOnlySpan<float> x = X.Sample(n);
            ReadOnlySpan<float> dy = DY.Sample(n);
            float[] col = l._columns[worker];
            int weightSize = l._weight.Value.Length;
            if (l._bias is not null)
            {
                for (int o = 0; o < l._outChannels; o++)
                {
                    grads[weightSize + o] += TensorPrimitives.Sum(dy.Slice(o * plane, plane));
                }
            }

            Span<float> dx = DX is null ? default : DX.Sample(n);
            if (DX is not null && !geo.IsPointwise)
            {
                dx.Clear();
            }

            fixed (float* px = x, pdy = dy, pw = l._weight.Value, pcol = col, pgrad = grads, pdx = dx)
            {
                for (int g = 0; g < l._groups; g++)
                {
                    float* b = pcol;
                    if (geo.IsPointwise)
                    {
                        b = px + (long)g * icg * inPlane;
                    }
                    else
                    {
                        Im2Col.Forward(x.Slice(g * icg * inPlane, icg * inPlane), icg, l._input.Height, l._input.Width, geo, col, plane);
                    }

                    float* dyg = pdy + (long)g * ocg * plane;
                    Sgemm.Multiply(ocg, k, plane, dyg, plane, 1, b, 1, plane, pgrad + (long)g * ocg * k, k, accumulate: true);
                    if (DX is null)
                    {
                        continue;
                    }

                    float* wg = pw + (long)g * ocg * k;
                    if (geo.IsPointwise)
                    {
                        Sgemm.Multiply(k, plane, ocg, wg, 1, k, dyg, plane, 1, pdx + (long)g * icg * inPlane, plane, accumulate: false);
                    }
                    else
                    {
                        Sgemm.Multiply(k, plane, ocg, wg, 1, k, dyg, plane, 1, pcol, plane, accumulate: false);
                        Im2Col.Backward(col, icg, l._input.Height, l._input.Width, geo, dx.Slice(g * icg * inPlane, icg * inPlane), plane);
                    }
                }
            }
        }

        private unsafe void Batched(int n0, int count, int worker, float[] grads)
        {
            Conv2d l = layer;
            ConvGeometry geo = l._geometry;
            int plane = geo.OutHeight * geo.OutWidth, columns = count * plane, k = l.ColumnRows, outC = l._outChannels;
            float[] col = l._columns[worker], gathered = l._outputs[worker];
            int weightSize = l._weight.Value.Length;
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<float> dy = DY.Sample(n0 + i);
                for (int o = 0; o < outC; o++)
                {
                    dy.Slice(o * plane, plane).CopyTo(gathered.AsSpan(o * columns + i * plane, plane));
                }
            }

            if (l._bias is not null)
            {
                for (int o = 0; o < outC; o++)
                {
                    grads[weightSize + o] += TensorPrimitives.Sum(gathered.AsSpan(o * columns, columns));
                }
            }

            l.BuildColumns(X, n0, count, col);
            fixed (float* pw = l._weight.Value, pcol = col, pdy = gathered, pgrad = grads)
            {
                Sgemm.Multiply(outC, k, columns, pdy, columns, 1, pcol, 1, columns, pgrad, k, accumulate: true);
                if (DX is null)
                {
                    return;
                }

                Sgemm.Multiply(k, columns, outC, pw, 1, k, pdy, columns, 1, pcol, columns, accumulate: false);
            }

            int stride = columns;
            for (int i = 0; i < count; i++)
            {
                Span<float> dx = DX.Sample(n0 + i);
                ReadOnlySpan<float> source = col.AsSpan(i * plane);
                if (geo.IsPointwise)
                {
                    for (int c = 0; c < l._inChannels; c++)
                    {
                        source.Slice(c * stride, plane).CopyTo(dx.Slice(c * plane, plane));
                    }
                }
                else
                {
                    dx.Clear();
                    Im2Col.Backward(source, l._inChannels, l._input.Height, l._input.Width, geo, dx, stride);
                }
            }
        }
    }

    /// <summary>
    /// Per image n: x[n] zero-padded into the batch's padded inputs, and dY[n] [M, P] transposed panel by panel into
    /// [panels, N, P, 64], so the tiles of one 64-channel panel read one contiguous block (about 590 KB for FerVgg's
    /// 6 x 6 convs at batch 64, within L2) instead of 256 bytes of every 1 KB row.
    /// </summary>
    private sealed class WeightGradPrepJob(Conv2d layer) : IParallelJob
    {
        public Tensor X = null!;
        public Tensor DY = null!;

        public void Execute(int item, int worker)
        {
            Conv2d l = layer;
            ConvGeometry geo = l._geometry;
            int plane = geo.OutHeight * geo.OutWidth, m = l._outChannels;
            ReadOnlySpan<float> x = X.Sample(item);
            l.PadInto(x, l._inChannels, l._gradPadded.AsSpan(item * l.PaddedFloats, l.PaddedFloats));

            const int channels = ChannelTileKernel.Channels;
            ReadOnlySpan<float> dy = DY.Sample(item);
            for (int t = 0; t < ChannelTileKernel.Panels(m); t++)
            {
                int m0 = ChannelTileKernel.FirstChannel(t, m);
                Span<float> transposed = l._gradTransposed.AsSpan(((t * DY.Batch) + item) * plane * channels, plane * channels);
                for (int j = 0; j < channels; j++)
                {
                    ReadOnlySpan<float> source = dy.Slice((m0 + j) * plane, plane);
                    for (int q = 0; q < plane; q++)
                    {
                        transposed[q * channels + j] = source[q];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Item (panel t, row range r): dW[m0 + j, k0 + i] += tile[i, j] for the 6-row blocks of range r, over the whole
    /// batch; db for the panel's channels with range 0.
    /// </summary>
    private sealed unsafe class WeightGradJob(Conv2d layer) : IParallelJob
    {
        /// <summary>Ranges of im2col rows per panel, so a layer with few panels still has an item for every worker.</summary>
        public const int RowRanges = 8;

        public Tensor DY = null!;

        public void Execute(int item, int worker)
        {
            Conv2d l = layer;
            const int pixels = ChannelTileKernel.Pixels, channels = ChannelTileKernel.Channels;
            int m = l._outChannels, k = l.ColumnRows, batch = DY.Batch, plane = l._geometry.OutHeight * l._geometry.OutWidth;
            int t = item / RowRanges, range = item % RowRanges;
            int m0 = ChannelTileKernel.FirstChannel(t, m), firstNew = (t * channels) - m0;
            int blocks = (k + pixels - 1) / pixels;
            int firstBlock = (int)((long)blocks * range / RowRanges), endBlock = (int)((long)blocks * (range + 1) / RowRanges);
            float[] grad = l._weight.Grad;
            fixed (float* dyt = l._gradTransposed, x = l._gradPadded, result = l._tileResults[worker])
            fixed (int* pixelOffsets = l._pixelOffsets, rows = l._shiftOffsets)
            {
                for (int block = firstBlock; block < endBlock; block++)
                {
                    int k0 = Math.Min(block * pixels, k - pixels), firstRow = (block * pixels) - k0;
                    ChannelTileKernel.WeightGradTile(batch, plane, channels, dyt + ((long)t * batch * plane * channels), x, l.PaddedFloats, pixelOffsets, rows + k0, result);
                    for (int j = firstNew; j < channels; j++)
                    {
                        int at = ((m0 + j) * k) + k0;
                        for (int i = firstRow; i < pixels; i++)
                        {
                            grad[at + i] += result[(i * channels) + j];
                        }
                    }
                }
            }

            if (range == 0 && l._bias is not null)
            {
                for (int j = firstNew; j < channels; j++)
                {
                    int o = m0 + j;
                    float sum = 0;
                    for (int n = 0; n < batch; n++)
                    {
                        sum += TensorPrimitives.Sum(DY.Sample(n).Slice(o * plane, plane));
                    }

                    l._bias.Grad[o] += sum;
                }
            }
        }
    }
}
