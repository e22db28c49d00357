using System.Globalization;
using InMood.Engine.Formats;
using InMood.Training.Evaluation;
using ScottPlot;

namespace InMood.Cli.Plots;

/// <summary>Draws a confusion matrix as a heat map of row-normalised recall, each cell labelled with its count.</summary>
internal static class ConfusionMatrixPlot
{
    public static void Write(ConfusionMatrix matrix, string pngPath)
    {
        EmbeddedFontResolver.Install();
        int n = matrix.ClassNames.Count;
        double[,] share = new double[n, n];
        var plot = new Plot();
        for (int actual = 0; actual < n; actual++)
        {
            int rowTotal = Enumerable.Range(0, n).Sum(p => matrix[actual, p]);
            for (int predicted = 0; predicted < n; predicted++)
            {
                share[actual, predicted] = rowTotal == 0 ? 0 : (double)matrix[actual, predicted] / rowTotal;
            }
        }

        var heatmap = plot.Add.Heatmap(share);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        for (int actual = 0; actual < n; actual++)
        {
            for (int predicted = 0; predicted < n; predicted++)
            {
                // NOTE: heat map row 0 is drawn at the top, at y = n - 1.
                var label = plot.Add.Text(matrix[actual, predicted].ToString(CultureInfo.InvariantCulture), predicted, n - 1 - actual);
                label.LabelFontColor = share[actual, predicted] > 0.5 ? Colors.Black : Colors.White;
                label.LabelFontSize = 16;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        }

        double[] ticks = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, matrix.ClassNames.ToArray());
        plot.Axes.Left.SetTicks(ticks, matrix.ClassNames.Reverse().ToArray());
        plot.XLabel("predicted");
        plot.YLabel("actual");
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Confusion matrix ({matrix.Total} images, accuracy {matrix.Accuracy:P2})"));
        plot.Add.ColorBar(heatmap);
        byte[] png = plot.GetImage(900, 800).GetImageBytes(ImageFormat.Png);
        AtomicFile.Write(pngPath, stream => stream.Write(png));
    }
}
