using System.Text.Json;
using InMood.Engine.Formats;
using InMood.Training;
using ScottPlot;

namespace InMood.Cli.Plots;

/// <summary>Draws a training log (JSONL of <see cref="EpochMetrics"/>) as two panels: loss and accuracy per epoch, train and val.</summary>
internal static class TrainingCurvesPlot
{
    public static void Write(string metricsLog, string pngPath)
    {
        EmbeddedFontResolver.Install();
        List<EpochMetrics> epochs = File.ReadLines(metricsLog)
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize(line, TrainingJsonContext.Default.EpochMetrics)!)
            .ToList();
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Plot loss = multiplot.GetPlot(0), accuracy = multiplot.GetPlot(1);
        AddSeries(loss, x, epochs.Select(e => e.TrainLoss), "train");
        AddSeries(loss, x, epochs.Select(e => e.ValLoss), "val");
        loss.Title("Loss");
        loss.XLabel("epoch");
        AddSeries(accuracy, x, epochs.Select(e => e.TrainAccuracy * 100), "train");
        AddSeries(accuracy, x, epochs.Select(e => e.ValAccuracy * 100), "val");
        accuracy.Title("Accuracy (%)");
        accuracy.XLabel("epoch");
        foreach (Plot plot in (Plot[])[loss, accuracy])
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

            // NOTE: below the data area, so the legend never covers the end of a curve.
            plot.ShowLegend(Edge.Bottom);
        }

        byte[] png = multiplot.Render(1200, 500).GetImageBytes(ImageFormat.Png);
        AtomicFile.Write(pngPath, stream => stream.Write(png));
    }

    private static void AddSeries(Plot plot, double[] x, IEnumerable<double> y, string label)
    {
        var scatter = plot.Add.Scatter(x, y.ToArray());
        scatter.LegendText = label;
    }
}
