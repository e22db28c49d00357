using System.Diagnostics;
using System.Threading.Channels;
using InMood.Music;

namespace InMood.Cli.Classification;

/// <summary>
/// Classifies a stream of images with bounded memory, every core busy and results in input order.
/// </summary>
/// <remarks>
/// Three stages joined by bounded channels:
/// 1. the producer walks the inputs lazily and, for each, posts a pending result to the ordered channel and a
///    work item to the work channel (both hold at most <see cref="Window"/> items, so a million-file folder
///    never has more than that many images in flight);
/// 2. <see cref="ClassifySettings.Threads"/> workers each read, decode, detect and crop images in parallel
///    (<see cref="ImagePreparer"/>), completing the pending results in whatever order they finish;
/// 3. the caller's task takes pending results in input order, gathers every consecutive one already done
///    (up to <see cref="EmotionClassifier.MaxBatch"/> faces) into one forward pass, and hands each finished
///    image to the writer before the next batch.
/// A worker keeps only cropped 48x48 faces of an image, not its pixels, once it is done with it.
/// </remarks>
internal sealed class ClassificationPipeline(ClassifySettings settings, EmotionClassifier classifier, PlaylistMaker playlists, Func<byte[]> readStandardInput)
{
    /// <summary>Most images between the producer and the writer: enough to keep every worker busy while a batch runs.</summary>
    public const int Window = 256;

    /// <summary>
    /// Runs the inputs through the pipeline; <paramref name="emit"/> gets each result in input order and returns
    /// false to stop (the output was closed). Cancelling <paramref name="cancellationToken"/> (Ctrl+C) stops after
    /// the results already written; no result is half-written.
    /// </summary>
    public async Task<ClassifySummary> RunAsync(IEnumerable<ClassifyInput> inputs, Func<ImageResult, bool> emit, Action<ImageResult>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Channel<TaskCompletionSource<PreparedImage>> ordered = Channel.CreateBounded<TaskCompletionSource<PreparedImage>>(
            new BoundedChannelOptions(Window) { SingleWriter = true, SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Channel<(ClassifyInput Input, TaskCompletionSource<PreparedImage> Result)> work = Channel.CreateBounded<(ClassifyInput, TaskCompletionSource<PreparedImage>)>(
            new BoundedChannelOptions(Window) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        Task producer = Task.Run(() => ProduceAsync(inputs, ordered.Writer, work.Writer, stop.Token), CancellationToken.None);
        Task[] workers = [.. Enumerable.Range(0, settings.Threads).Select(_ => Task.Run(() => PrepareAsync(work.Reader, stop.Token), CancellationToken.None))];

        var totals = new Totals();
        var batch = new List<PreparedImage>();
        var crops = new float[EmotionClassifier.MaxBatch * ClassifySettings.FaceSize];
        var probabilities = new float[EmotionClassifier.MaxBatch * Emotions.Count];
        bool outputClosed = false;
        try
        {
            while (!outputClosed && await ordered.Reader.WaitToReadAsync(stop.Token))
            {
                batch.Clear();
                int faces = 0;
                while (faces < EmotionClassifier.MaxBatch && ordered.Reader.TryPeek(out TaskCompletionSource<PreparedImage>? next) && (batch.Count == 0 || next.Task.IsCompleted))
                {
                    PreparedImage image = await next.Task.WaitAsync(stop.Token);
                    ordered.Reader.TryRead(out _);
                    batch.Add(image);
                    faces += image.FaceCount;
                }

                if (faces > crops.Length / ClassifySettings.FaceSize)
                {
                    crops = new float[faces * ClassifySettings.FaceSize];
                    probabilities = new float[faces * Emotions.Count];
                }

                int offset = 0;
                foreach (PreparedImage image in batch)
                {
                    image.Crops.CopyTo(crops, offset * ClassifySettings.FaceSize);
                    offset += image.FaceCount;
                }

                classifier.Classify(crops, faces, probabilities);
                offset = 0;
                foreach (PreparedImage image in batch)
                {
                    ImageResult result = Finish(image, probabilities.AsSpan(offset * Emotions.Count, image.FaceCount * Emotions.Count));
                    offset += image.FaceCount;
                    if (!emit(result))
                    {
                        outputClosed = true;
                        break;
                    }

                    totals.Add(result);
                    progress?.Invoke(result);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // NOTE: Ctrl+C: every result before this point was written whole; the rest are dropped.
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll([producer, .. workers]);
        }

        return new ClassifySummary(totals.Images, totals.Faces, totals.Failures, clock.Elapsed.TotalSeconds, cancellationToken.IsCancellationRequested, outputClosed, totals.Mood);
    }

    private static async Task ProduceAsync(
        IEnumerable<ClassifyInput> inputs,
        ChannelWriter<TaskCompletionSource<PreparedImage>> ordered,
        ChannelWriter<(ClassifyInput, TaskCompletionSource<PreparedImage>)> work,
        CancellationToken cancellationToken)
    {
        try
        {
            foreach (ClassifyInput input in inputs)
            {
                var result = new TaskCompletionSource<PreparedImage>(TaskCreationOptions.RunContinuationsAsynchronously);
                await ordered.WriteAsync(result, cancellationToken);
                await work.WriteAsync((input, result), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // NOTE: stopped by Ctrl+C or a closed output; the consumer stops reading too.
        }
        finally
        {
            ordered.Complete();
            work.Complete();
        }
    }

    private async Task PrepareAsync(ChannelReader<(ClassifyInput Input, TaskCompletionSource<PreparedImage> Result)> work, CancellationToken cancellationToken)
    {
        var preparer = new ImagePreparer(settings, readStandardInput);
        try
        {
            await foreach ((ClassifyInput input, TaskCompletionSource<PreparedImage> result) in work.ReadAllAsync(cancellationToken))
            {
                try
                {
                    result.SetResult(preparer.Prepare(input));
                }
                catch (Exception e)
                {
                    result.SetException(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // NOTE: stopped by Ctrl+C or a closed output.
        }
    }

    /// <summary>Turns a prepared image and its faces' probabilities into the reported result. Shape: probabilities [faces, 7].</summary>
    private ImageResult Finish(PreparedImage image, ReadOnlySpan<float> probabilities)
    {
        if (image.Error is not null || image.FaceCount == 0)
        {
            return new ImageResult(image.Input, image.Width, image.Height, [], null, null, image.Error);
        }

        var faces = new FaceResult[image.FaceCount];
        var areas = new float[image.FaceCount];
        int largest = 0;
        for (int i = 0; i < faces.Length; i++)
        {
            float[] p = probabilities.Slice(i * Emotions.Count, Emotions.Count).ToArray();
            int top = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(p);
            faces[i] = new FaceResult(image.Boxes[i], image.Scores[i], (Emotion)top, p[top], p);

            // NOTE: a box clipped to a sliver at the border still counts, with a tiny weight.
            areas[i] = Math.Max(image.Boxes[i].Area, 1f);
            largest = areas[i] > areas[largest] ? i : largest;
        }

        return new ImageResult(image.Input, image.Width, image.Height, faces, faces[largest].Emotion, playlists.For(probabilities, areas), null);
    }

    /// <summary>Running totals and the run's mood (each face's mood weighted by the share of its photo it covers).</summary>
    private sealed class Totals
    {
        private double _valence;
        private double _arousal;
        private double _weight;

        public int Images { get; private set; }

        public int Faces { get; private set; }

        public int Failures { get; private set; }

        public Mood? Mood => _weight > 0 ? new Mood((float)(_valence / _weight), (float)(_arousal / _weight)) : null;

        public void Add(ImageResult result)
        {
            Images++;
            Faces += result.Faces.Count;
            Failures += result.Error is null ? 0 : 1;
            foreach (FaceResult face in result.Faces)
            {
                Mood mood = MoodMapper.FromProbabilities(face.Probabilities);
                double weight = Math.Max(face.Box.Area, 1f) / Math.Max(1.0, (double)result.Width * result.Height);
                _valence += weight * mood.Valence;
                _arousal += weight * mood.Arousal;
                _weight += weight;
            }
        }
    }
}
