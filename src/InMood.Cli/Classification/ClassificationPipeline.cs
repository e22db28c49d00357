using System.Diagnostics;
using System.Threading.Channels;
using InMood.Music;

namespace InMood.Cli.Classification;

/// <summary>
/// Classifies a stream of images with bounded memory, every core busy and results in input order.
/// </summary>
/// <remarks>
/// Stages joined by bounded channels:
/// 1. the producer walks the inputs lazily and, for each, posts a pending result to the ordered channel and a
///    work item to the work channel (both hold at most <see cref="Window"/> items, so a million-file folder
///    never has more than that many images in flight);
/// 2. <see cref="ClassifySettings.Threads"/> workers each read, decode, detect and crop images in parallel
///    (<see cref="ImagePreparer"/>), completing the pending results in whatever order they finish;
/// 3. the batcher takes pending results in input order and gathers every consecutive one already done (up to
///    <see cref="EmotionClassifier.MaxBatch"/> faces) into a batch;
/// 4. up to <see cref="ClassifySettings.Threads"/> lanes each run whole batches through their own copy of the
///    emotion network on one thread (parallel over batches, the outer level, instead of splitting every layer of
///    one batch over the cores) and turn them into results with playlists; a lane beyond the first starts only
///    when a batch finds every lane busy, so a one-photo run never copies the network;
/// 5. the caller writes each batch's results in batch order.
/// The models load while the first images are decoded and searched for faces; nothing is written before they
/// have loaded. A worker keeps only cropped 48x48 faces of an image, not its pixels, once it is done with it.
/// </remarks>
internal sealed class ClassificationPipeline(ClassifySettings settings, Task<ClassificationModels> models, Func<byte[]> readStandardInput)
{
    /// <summary>Most images between the producer and the writer: enough to keep every worker busy while a batch runs.</summary>
    public const int Window = 256;

    /// <summary>How long a stopped run waits for its workers before it returns without those blocked in a read.</summary>
    private static readonly TimeSpan s_blockedWorkerGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs the inputs through the pipeline. Once the models have loaded, <paramref name="begin"/> runs (it returns
    /// false when the output is closed), then <paramref name="emit"/> gets each result in input order and returns
    /// false to stop (the output was closed). Cancelling <paramref name="cancellationToken"/> (Ctrl+C) stops after
    /// the results already written; no result is half-written. A model that fails to load throws here, before
    /// <paramref name="begin"/>.
    /// </summary>
    public async Task<ClassifySummary> RunAsync(IEnumerable<ClassifyInput> inputs, Func<bool> begin, Func<ImageResult, bool> emit, Action<ImageResult>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ReserveThreads(2 * settings.Threads + 3);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Channel<TaskCompletionSource<PreparedImage>> ordered = Channel.CreateBounded<TaskCompletionSource<PreparedImage>>(
            new BoundedChannelOptions(Window) { SingleWriter = true, SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Channel<(ClassifyInput Input, TaskCompletionSource<PreparedImage> Result)> work = Channel.CreateBounded<(ClassifyInput, TaskCompletionSource<PreparedImage>)>(
            new BoundedChannelOptions(Window) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var detectors = new DetectorSource();
        if (settings.Detect)
        {
            // NOTE: compiling BlazeFace overlaps the model load and the first image's decode instead of following them.
            _ = Task.Run(detectors.Compile, CancellationToken.None);
        }

        Task producer = Task.Run(() => ProduceAsync(inputs, ordered.Writer, work.Writer, stop.Token), CancellationToken.None);
        Task[] workers = [.. Enumerable.Range(0, settings.Threads).Select(_ => Task.Run(() => PrepareAsync(work.Reader, detectors, stop.Token), CancellationToken.None))];
        var tasks = new List<Task>([producer, .. workers]);
        var totals = new Totals();
        bool outputClosed = false;
        try
        {
            ClassificationModels loaded = await models.WaitAsync(stop.Token);
            outputClosed = !begin();
            if (!outputClosed)
            {
                Channel<TaskCompletionSource<ImageResult[]>> results = Channel.CreateBounded<TaskCompletionSource<ImageResult[]>>(
                    new BoundedChannelOptions(settings.Threads + 1) { SingleWriter = true, SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
                tasks.Add(Task.Run(() => BatchAsync(ordered.Reader, results.Writer, loaded, stop.Token), CancellationToken.None));
                await foreach (TaskCompletionSource<ImageResult[]> batch in results.Reader.ReadAllAsync(stop.Token))
                {
                    foreach (ImageResult result in await batch.Task.WaitAsync(stop.Token))
                    {
                        if (!emit(result))
                        {
                            outputClosed = true;
                            break;
                        }

                        totals.Add(result);
                        progress?.Invoke(result);
                    }

                    if (outputClosed)
                    {
                        break;
                    }
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

            // NOTE: a worker blocked in a read (a FIFO nobody writes to, stdin with no data, a hung network share)
            // never sees the token; once the results are written it is left behind rather than holding the process.
            try
            {
                await Task.WhenAll(tasks).WaitAsync(s_blockedWorkerGrace, CancellationToken.None);
            }
            catch (TimeoutException)
            {
            }
        }

        return new ClassifySummary(totals.Images, totals.Faces, totals.Failures, clock.Elapsed.TotalSeconds, cancellationToken.IsCancellationRequested, outputClosed, totals.Mood);
    }

    /// <summary>
    /// NOTE: workers and lanes run long CPU-bound items on the thread pool; with no spare threads, a continuation
    /// (the writer, the batcher) would wait for the pool's starvation heuristic to add one, idling the cores.
    /// </summary>
    private static void ReserveThreads(int threads)
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        if (workers < threads)
        {
            ThreadPool.SetMinThreads(threads, completionPorts);
        }
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

    private async Task PrepareAsync(ChannelReader<(ClassifyInput Input, TaskCompletionSource<PreparedImage> Result)> work, DetectorSource detectors, CancellationToken cancellationToken)
    {
        var preparer = new ImagePreparer(settings, detectors, readStandardInput);
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

    /// <summary>
    /// Gathers prepared images in input order into batches, queues each batch's result slot for the writer (in
    /// order) and hands the batch to a free lane, starting another lane (up to one per thread) when none is free.
    /// </summary>
    private async Task BatchAsync(
        ChannelReader<TaskCompletionSource<PreparedImage>> ordered,
        ChannelWriter<TaskCompletionSource<ImageResult[]>> results,
        ClassificationModels models,
        CancellationToken cancellationToken)
    {
        Channel<(List<PreparedImage> Images, TaskCompletionSource<ImageResult[]> Results)> batches = Channel.CreateBounded<(List<PreparedImage>, TaskCompletionSource<ImageResult[]>)>(
            new BoundedChannelOptions(1) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var lanes = new List<Task> { Task.Run(() => ClassifyAsync(batches.Reader, () => models.Classifier, models.Playlists, cancellationToken), CancellationToken.None) };
        try
        {
            while (await ordered.WaitToReadAsync(cancellationToken))
            {
                var batch = new List<PreparedImage>();
                int faces = 0;
                while (faces < EmotionClassifier.MaxBatch && ordered.TryPeek(out TaskCompletionSource<PreparedImage>? next) && (batch.Count == 0 || next.Task.IsCompleted))
                {
                    PreparedImage image = await next.Task.WaitAsync(cancellationToken);
                    ordered.TryRead(out _);
                    batch.Add(image);
                    faces += image.FaceCount;
                }

                var slot = new TaskCompletionSource<ImageResult[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                await results.WriteAsync(slot, cancellationToken);
                if (!batches.Writer.TryWrite((batch, slot)))
                {
                    if (lanes.Count < settings.Threads)
                    {
                        lanes.Add(Task.Run(() => ClassifyAsync(batches.Reader, models.Classifier.Copy, models.Playlists, cancellationToken), CancellationToken.None));
                    }

                    await batches.Writer.WriteAsync((batch, slot), cancellationToken);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // NOTE: stopped by Ctrl+C or a closed output.
        }
        finally
        {
            batches.Writer.Complete();
            results.Complete();
            await Task.WhenAll(lanes);
        }
    }

    /// <summary>
    /// One lane: classifies batches with a classifier of its own (made by <paramref name="createClassifier"/> on the
    /// lane's first batch, on the lane's thread) and completes each batch's results.
    /// </summary>
    private static async Task ClassifyAsync(
        ChannelReader<(List<PreparedImage> Images, TaskCompletionSource<ImageResult[]> Results)> batches,
        Func<EmotionClassifier> createClassifier,
        PlaylistMaker playlists,
        CancellationToken cancellationToken)
    {
        EmotionClassifier? classifier = null;
        float[] crops = [];
        float[] probabilities = [];
        try
        {
            await foreach ((List<PreparedImage> batch, TaskCompletionSource<ImageResult[]> done) in batches.ReadAllAsync(cancellationToken))
            {
                try
                {
                    classifier ??= createClassifier();
                    int faces = batch.Sum(image => image.FaceCount);
                    if (faces > crops.Length / ClassifySettings.FaceSize)
                    {
                        crops = new float[Math.Max(faces, EmotionClassifier.MaxBatch) * ClassifySettings.FaceSize];
                        probabilities = new float[Math.Max(faces, EmotionClassifier.MaxBatch) * Emotions.Count];
                    }

                    int offset = 0;
                    foreach (PreparedImage image in batch)
                    {
                        image.Crops.CopyTo(crops, offset * ClassifySettings.FaceSize);
                        offset += image.FaceCount;
                    }

                    classifier.Classify(crops, faces, probabilities);
                    var results = new ImageResult[batch.Count];
                    offset = 0;
                    for (int i = 0; i < batch.Count; i++)
                    {
                        results[i] = Finish(batch[i], playlists, probabilities.AsSpan(offset * Emotions.Count, batch[i].FaceCount * Emotions.Count));
                        offset += batch[i].FaceCount;
                    }

                    done.SetResult(results);
                }
                catch (Exception e)
                {
                    done.SetException(e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // NOTE: stopped by Ctrl+C or a closed output.
        }
    }

    /// <summary>Turns a prepared image and its faces' probabilities into the reported result. Shape: probabilities [faces, 7].</summary>
    private static ImageResult Finish(PreparedImage image, PlaylistMaker playlists, ReadOnlySpan<float> probabilities)
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
