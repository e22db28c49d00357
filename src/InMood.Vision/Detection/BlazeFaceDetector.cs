using InMood.Engine.Formats;
using InMood.Engine.Threading;
using InMood.Onnx;
using InMood.Onnx.Compiled;
using InMood.Onnx.Model;
using InMood.Vision.Imaging;

namespace InMood.Vision.Detection;

/// <summary>
/// Finds faces with MediaPipe BlazeFace on InMood's compiled ONNX path: the image is letterboxed into the
/// model's square RGB input scaled to [-1, 1], the 896 anchors are decoded (<see cref="BlazeFaceDecoder"/>),
/// overlaps are merged (<see cref="NonMaxSuppression"/>), and boxes and key points are mapped back to source
/// pixels, boxes clipped to the image. The ONNX files are embedded resources of this assembly, so a
/// single-file or Native AOT build carries them.
/// </summary>
/// <remarks>
/// Not thread-safe: one <see cref="Detect"/> at a time per instance (it reuses its buffers). For several threads,
/// build one detector and give each thread a <see cref="CreateSibling"/>: the weights are compiled once and shared.
/// </remarks>
public sealed class BlazeFaceDetector
{
    private readonly CompiledModel _model;
    private readonly FaceDetectorOptions _options;
    private readonly float[] _input;
    private readonly float[] _scores = new float[BlazeFaceAnchors.Count];
    private readonly float[] _boxes = new float[BlazeFaceAnchors.Count * BlazeFaceDecoder.ValuesPerAnchor];
    private readonly int[] _outputOrder;

    public BlazeFaceDetector(BlazeFaceModel model = BlazeFaceModel.Back256, FaceDetectorOptions? options = null, WorkerPool? pool = null)
        : this(LoadEmbedded(model), model == BlazeFaceModel.Back256 ? 256 : 128, options, pool)
    {
    }

    /// <summary>A detector over a BlazeFace ONNX model with input [1, size, size, 3] and the four outputs described in weights/blazeface/README.md.</summary>
    public BlazeFaceDetector(OnnxModel onnx, int inputSize, FaceDetectorOptions? options = null, WorkerPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        _options = options ?? FaceDetectorOptions.Default;
        if (_options.ScoreThreshold is <= 0f or >= 1f || _options.IouThreshold is <= 0f or >= 1f)
        {
            throw new ArgumentException($"Face detector thresholds must be in (0, 1); got score {_options.ScoreThreshold} and IoU {_options.IouThreshold}.", nameof(options));
        }

        _model = CompiledModel.Compile(onnx, 1, pool);
        InputSize = inputSize;
        if (!_model.InputShape.SequenceEqual([1, inputSize, inputSize, 3]))
        {
            throw new ArgumentException($"BlazeFace input must be [1, {inputSize}, {inputSize}, 3]; the model's is [{string.Join(", ", _model.InputShape)}].", nameof(onnx));
        }

        _input = new float[inputSize * inputSize * 3];
        _outputOrder = [FindOutput(BlazeFaceAnchors.FineCount, 1), FindOutput(BlazeFaceAnchors.CoarseCount, 1),
            FindOutput(BlazeFaceAnchors.FineCount, 16), FindOutput(BlazeFaceAnchors.CoarseCount, 16)];
    }

    private BlazeFaceDetector(BlazeFaceDetector template, WorkerPool? pool)
    {
        _model = template._model.CreateSibling(pool);
        _options = template._options;
        InputSize = template.InputSize;
        _input = new float[template._input.Length];
        _outputOrder = template._outputOrder;
    }

    /// <summary>The model's square input side in pixels (256 or 128).</summary>
    public int InputSize { get; }

    /// <summary>
    /// A detector with the same options that shares this one's compiled model and weights (nothing is parsed or
    /// compiled again) and owns its buffers, run on <paramref name="pool"/> (default: the shared pool). Give each
    /// thread its own sibling: siblings may detect at the same time.
    /// </summary>
    public BlazeFaceDetector CreateSibling(WorkerPool? pool = null) => new(this, pool);

    /// <summary>Faces in <paramref name="image"/>, best score first, in source pixels.</summary>
    public IReadOnlyList<FaceDetection> Detect(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        LetterboxTransform letterbox = TensorWriter.WriteNhwcLetterbox(image, InputSize, Normalization.MinusOneToOne, _input, 0);
        _model.Run(_input);
        _model.Output(_outputOrder[0]).CopyTo(_scores);
        _model.Output(_outputOrder[1]).CopyTo(_scores.AsSpan(BlazeFaceAnchors.FineCount));
        _model.Output(_outputOrder[2]).CopyTo(_boxes);
        _model.Output(_outputOrder[3]).CopyTo(_boxes.AsSpan(BlazeFaceAnchors.FineCount * BlazeFaceDecoder.ValuesPerAnchor));
        List<FaceDetection> candidates = BlazeFaceDecoder.Decode(_scores, _boxes, InputSize, _options.ScoreThreshold);
        List<FaceDetection> faces = _options.Weighted
            ? NonMaxSuppression.Weighted(candidates, _options.IouThreshold)
            : NonMaxSuppression.Plain(candidates, _options.IouThreshold);
        return [.. faces.Select(face => ToSource(face, letterbox, image.Width, image.Height))];
    }

    /// <summary>Maps a detection from [0, 1] input coordinates to source pixels through the letterbox; the box is clipped to the image.</summary>
    public static FaceDetection ToSource(FaceDetection face, LetterboxTransform letterbox, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(face);
        FacePoint Map(float x, float y)
        {
            (double sx, double sy) = letterbox.ToSource(x * letterbox.Size, y * letterbox.Size);
            return new FacePoint((float)sx, (float)sy);
        }

        FacePoint topLeft = Map(face.Box.Left, face.Box.Top), bottomRight = Map(face.Box.Right, face.Box.Bottom);
        var box = new FaceBox(
            Math.Clamp(topLeft.X, 0f, width), Math.Clamp(topLeft.Y, 0f, height),
            Math.Clamp(bottomRight.X, 0f, width), Math.Clamp(bottomRight.Y, 0f, height));
        return new FaceDetection(box, face.Score, [.. face.KeyPoints.Select(p => Map(p.X, p.Y))]);
    }

    private static OnnxModel LoadEmbedded(BlazeFaceModel model)
    {
        string file = model == BlazeFaceModel.Back256 ? "face_detection_back_256x256_barracuda.onnx" : "face_detection_front_128x128_barracuda.onnx";
        string resource = "InMood.Vision.Detection." + file;
        using Stream stream = typeof(BlazeFaceDetector).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing from InMood.Vision (see weights/blazeface/README.md).");
        return OnnxReader.Read(ResourceBytes.Read(stream));
    }

    private int FindOutput(int anchors, int values)
    {
        for (int i = 0; i < _model.OutputNames.Count; i++)
        {
            if (_model.OutputShape(i).SequenceEqual([1, anchors, values]))
            {
                return i;
            }
        }

        throw new ArgumentException($"BlazeFace model has no output of shape [1, {anchors}, {values}].");
    }
}
