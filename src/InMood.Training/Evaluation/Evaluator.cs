using InMood.Engine.Losses;
using InMood.Engine.Networks;
using InMood.Engine.Tensors;
using InMood.Training.Data;

namespace InMood.Training.Evaluation;

/// <summary>
/// Runs a classifier over a whole dataset in inference mode. With test-time views, each image's class
/// probabilities are the mean of the softmax over its K views; the prediction is their arg max.
/// </summary>
public static class Evaluator
{
    public static EvaluationResult Evaluate(Network network, FerDataset dataset, TestTimeViews views = TestTimeViews.Identity, int batchSize = 128, IProgress<int>? progress = null)
    {
        int classes = network.OutputShape.Size;
        int k = TestTimeAugmentation.ViewCount(views);
        int imagesPerBatch = Math.Max(1, batchSize / k);
        float[] input = new float[imagesPerBatch * k * FerDataset.ImageSize];
        float[] probabilities = new float[imagesPerBatch * k * classes];
        float[] mean = new float[classes];
        float[] gradScratch = new float[probabilities.Length];
        int[] labels = new int[imagesPerBatch * k];
        var loss = new SoftmaxCrossEntropy(classes);
        var matrix = new ConfusionMatrix(FerClasses.Names);
        double lossSum = 0;
        for (int start = 0; start < dataset.Count; start += imagesPerBatch)
        {
            int count = Math.Min(imagesPerBatch, dataset.Count - start);
            Parallel.For(0, count, i => TestTimeAugmentation.WriteViews(
                dataset.GetImage(start + i), views, TestTimeAugmentation.DefaultShift,
                input.AsSpan(i * k * FerDataset.ImageSize, k * FerDataset.ImageSize)));
            for (int i = 0; i < count * k; i++)
            {
                labels[i] = dataset.Labels[start + i / k];
            }

            Tensor logits = network.Forward(input.AsSpan(0, count * k * FerDataset.ImageSize), count * k, training: false);
            lossSum += count * k * loss.Compute(logits.Span, labels.AsSpan(0, count * k), probabilities.AsSpan(0, count * k * classes), gradScratch.AsSpan(0, count * k * classes));
            for (int i = 0; i < count; i++)
            {
                Array.Clear(mean);
                for (int v = 0; v < k; v++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(mean, probabilities.AsSpan((i * k + v) * classes, classes), mean);
                }

                int predicted = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(mean);
                matrix.Add(dataset.Labels[start + i], predicted);
            }

            progress?.Report(start + count);
        }

        return new EvaluationResult(matrix, dataset.Count == 0 ? 0 : lossSum / (dataset.Count * k));
    }
}
