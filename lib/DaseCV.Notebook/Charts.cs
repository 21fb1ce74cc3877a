using System.Globalization;
using XPlot.Plotly;

namespace DaseCV.Notebook;

/// <summary>The notebook's extra interactive charts, built with XPlot.Plotly (shown through <see cref="PlotlyHtml"/>).</summary>
public static class Charts
{
    /// <summary>Loss of every SGD iteration, as the CS231n SVM notebook plots it, on a log y axis.</summary>
    /// <remarks>
    /// The first iterations start near 250 (the regularization term of the initial W) and the loss ends near 2; on a
    /// linear axis everything after the first few iterations would be a flat line. The axis title says so.
    /// </remarks>
    /// <param name="lossHistory">Loss per iteration, as returned by <c>LinearClassifier.Train</c>.</param>
    public static PlotlyChart LossHistory(IReadOnlyList<double> lossHistory)
    {
        ArgumentNullException.ThrowIfNull(lossHistory);
        if (lossHistory.Count == 0) throw new ArgumentException("The loss history is empty.", nameof(lossHistory));
        var line = new Scatter { x = Enumerable.Range(0, lossHistory.Count).ToArray(), y = lossHistory.ToArray(), mode = "lines", name = "loss" };
        var chart = Chart.Plot(line, new Layout.Layout
        {
            title = "Loss history",
            xaxis = new Xaxis { title = "Iteration number" },
            yaxis = new Yaxis { title = "Loss value (log scale)", type = "log" },
        });
        chart.WithSize(900, 450);
        return chart;
    }

    /// <summary>
    /// The two-layer net's training curves, as two_layer_net.ipynb plots them: the loss of every iteration (linear
    /// axis: it starts near ln 10, not in the hundreds as the SVM's does).
    /// </summary>
    /// <param name="lossHistory">Loss per iteration, <c>TrainingHistory.LossHistory</c>.</param>
    /// <param name="title">Chart title; the original's are "Loss history" and "Training Loss history".</param>
    public static PlotlyChart NetLossHistory(IReadOnlyList<double> lossHistory, string title = "Loss history")
    {
        ArgumentNullException.ThrowIfNull(lossHistory);
        if (lossHistory.Count == 0) throw new ArgumentException("The loss history is empty.", nameof(lossHistory));
        var line = new Scatter { x = Enumerable.Range(0, lossHistory.Count).ToArray(), y = lossHistory.ToArray(), mode = "lines", name = "loss" };
        var chart = Chart.Plot(line, new Layout.Layout
        {
            title = title,
            xaxis = new Xaxis { title = "Iteration" },
            yaxis = new Yaxis { title = "Loss" },
        });
        chart.WithSize(900, 400);
        return chart;
    }

    /// <summary>Training (minibatch) and validation accuracy at the start of every epoch: the original's second subplot.</summary>
    /// <param name="trainAccHistory">Accuracy per epoch on the minibatch, <c>TrainingHistory.TrainAccHistory</c>.</param>
    /// <param name="valAccHistory">Accuracy per epoch on the validation set, <c>TrainingHistory.ValAccHistory</c>.</param>
    public static PlotlyChart AccuracyHistory(IReadOnlyList<double> trainAccHistory, IReadOnlyList<double> valAccHistory)
    {
        ArgumentNullException.ThrowIfNull(trainAccHistory);
        ArgumentNullException.ThrowIfNull(valAccHistory);
        if (valAccHistory.Count == 0) throw new ArgumentException("The accuracy history is empty.", nameof(valAccHistory));
        var train = new Scatter { x = Enumerable.Range(0, trainAccHistory.Count).ToArray(), y = trainAccHistory.ToArray(), mode = "lines+markers", name = "train" };
        var val = new Scatter { x = Enumerable.Range(0, valAccHistory.Count).ToArray(), y = valAccHistory.ToArray(), mode = "lines+markers", name = "val" };
        var chart = Chart.Plot(new[] { train, val }, new Layout.Layout
        {
            title = "Classification accuracy history",
            xaxis = new Xaxis { title = "Epoch" },
            yaxis = new Yaxis { title = "Classification accuracy" },
        });
        chart.WithSize(900, 400);
        return chart;
    }

    /// <summary>Validation accuracy over the learning-rate × regularization grid of the tuning cell.</summary>
    /// <param name="results">Accuracies by (learning rate, regularization strength), as the tuning loop collects them.</param>
    public static PlotlyChart ValidationAccuracyHeatmap(IReadOnlyDictionary<(double LearningRate, double Reg), (double TrainAccuracy, double ValAccuracy)> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("No tuning results.", nameof(results));
        var rates = results.Keys.Select(k => k.LearningRate).Distinct().Order().ToArray();
        var regs = results.Keys.Select(k => k.Reg).Distinct().Order().ToArray();
        // Rows are learning rates, columns regularization strengths; a pair that was not tried stays empty.
        var z = rates.Select(lr => regs.Select(reg => results.TryGetValue((lr, reg), out var acc) ? (double?)acc.ValAccuracy : null).ToArray()).ToArray();
        var heatmap = new Heatmap
        {
            z = z,
            x = regs.Select(Label).ToArray(),
            y = rates.Select(Label).ToArray(),
            colorscale = "Viridis",
        };
        var chart = Chart.Plot(heatmap, new Layout.Layout
        {
            title = "Validation accuracy",
            xaxis = new Xaxis { title = "regularization strength", type = "category" },
            yaxis = new Yaxis { title = "learning rate", type = "category" },
            annotations = CellLabels(z, v => v.ToString("0.000", CultureInfo.InvariantCulture), darkHigh: false),
        });
        chart.WithSize(900, 400);
        return chart;
    }

    /// <summary>
    /// The SVM notebook's tuning figure: one marker per tried (learning rate, regularization strength) at
    /// (log10 lr, log10 reg), coloured by its training or validation accuracy on the coolwarm scale, with a colour bar.
    /// </summary>
    /// <param name="results">Accuracies by (learning rate, regularization strength), as the tuning loop collects them.</param>
    /// <param name="validation">True for the validation accuracy, false for the training accuracy.</param>
    public static PlotlyChart TuningScatter(IReadOnlyDictionary<(double LearningRate, double Reg), (double TrainAccuracy, double ValAccuracy)> results, bool validation)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("No tuning results.", nameof(results));
        var keys = results.Keys.Order().ToArray();
        var points = new Scatter
        {
            x = keys.Select(k => Math.Log10(k.LearningRate)).ToArray(),
            y = keys.Select(k => Math.Log10(k.Reg)).ToArray(),
            mode = "markers",
            marker = new Marker
            {
                size = 14,
                color = keys.Select(k => validation ? results[k].ValAccuracy : results[k].TrainAccuracy).ToArray(),
                colorscale = CoolWarm,
                showscale = true,
            },
        };
        var chart = Chart.Plot(points, new Layout.Layout
        {
            title = validation ? "CIFAR-10 validation accuracy" : "CIFAR-10 training accuracy",
            xaxis = new Xaxis { title = "log learning rate" },
            yaxis = new Yaxis { title = "log regularization strength" },
        });
        chart.WithSize(700, 400);
        return chart;
    }

    // matplotlib's coolwarm: blue (low) through light grey to red (high).
    private static readonly object[][] CoolWarm = [[0.0, "#3b4cc0"], [0.5, "#dddddd"], [1.0, "#b40426"]];

    /// <summary>Counts of (true class, predicted class) on a labelled set, as a heatmap.</summary>
    /// <param name="yTrue">True labels, length N, each in [0, C).</param>
    /// <param name="yPred">Predicted labels, length N, each in [0, C).</param>
    /// <param name="classNames">C class names, in label order.</param>
    public static PlotlyChart ConfusionMatrix(int[] yTrue, int[] yPred, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        var counts = CountConfusion(yTrue, yPred, classNames.Count);
        var heatmap = new Heatmap
        {
            z = counts,
            x = classNames.ToArray(),
            y = classNames.ToArray(),
            colorscale = "Blues",
            reversescale = true, // plotly's "Blues" runs dark to light; more examples should look darker
        };
        var chart = Chart.Plot(heatmap, new Layout.Layout
        {
            title = "Confusion matrix (test set)",
            annotations = CellLabels(
                counts.Select(row => row.Select(c => (double?)c).ToArray()).ToArray(),
                v => v.ToString("0", CultureInfo.InvariantCulture), darkHigh: true),
            xaxis = new Xaxis { title = "predicted class", type = "category" },
            yaxis = new Yaxis { title = "true class", type = "category", autorange = "reversed" },
        });
        chart.WithSize(700, 600);
        return chart;
    }

    /// <summary>
    /// The kNN notebook's cross-validation figure: every fold's accuracy as a point above its k, and the mean
    /// accuracy per k as a line with error bars of one standard deviation (<c>np.std</c>, over the folds).
    /// </summary>
    /// <param name="kToAccuracies">Accuracies by k, one per fold (the notebook's <c>kToAccuracies</c>).</param>
    public static PlotlyChart CrossValidation(IReadOnlyDictionary<int, List<double>> kToAccuracies)
    {
        ArgumentNullException.ThrowIfNull(kToAccuracies);
        if (kToAccuracies.Count == 0 || kToAccuracies.Values.Any(a => a.Count == 0))
            throw new ArgumentException("Every k needs at least one accuracy to plot.", nameof(kToAccuracies));
        var ks = kToAccuracies.Keys.Order().ToArray();
        // One trace per k, as plt.scatter is called once per k: each k gets its own colour.
        var points = ks.Select(k => new Scatter
        {
            x = Enumerable.Repeat(k, kToAccuracies[k].Count).ToArray(),
            y = kToAccuracies[k].ToArray(),
            mode = "markers",
            name = $"k = {k}",
            showlegend = false,
        });
        var trend = new Scatter
        {
            x = ks,
            y = ks.Select(k => kToAccuracies[k].Average()).ToArray(),
            mode = "lines",
            name = "mean ± std",
            error_y = new Error_y { type = "data", array = ks.Select(k => StandardDeviation(kToAccuracies[k])).ToArray(), visible = true },
        };
        var chart = Chart.Plot(points.Append(trend), new Layout.Layout
        {
            title = "Cross-validation on k",
            xaxis = new Xaxis { title = "k" },
            yaxis = new Yaxis { title = "Cross-validation accuracy" },
        });
        chart.WithSize(900, 500);
        return chart;
    }

    /// <summary>numpy's <c>np.std</c>: the population standard deviation (divides by n, not n − 1).</summary>
    internal static double StandardDeviation(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }

    /// <summary>counts[t][p] = number of examples with true class t predicted as p; shape (C, C).</summary>
    internal static int[][] CountConfusion(int[] yTrue, int[] yPred, int classes)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"yTrue has {yTrue.Length} labels but yPred has {yPred.Length}.", nameof(yPred));
        var counts = new int[classes][];
        for (int c = 0; c < classes; c++) counts[c] = new int[classes];
        for (int i = 0; i < yTrue.Length; i++)
        {
            if ((uint)yTrue[i] >= (uint)classes)
                throw new ArgumentException($"yTrue[{i}] = {yTrue[i]} is outside [0, {classes}).", nameof(yTrue));
            if ((uint)yPred[i] >= (uint)classes)
                throw new ArgumentException($"yPred[{i}] = {yPred[i]} is outside [0, {classes}).", nameof(yPred));
            counts[yTrue[i]][yPred[i]]++;
        }
        return counts;
    }

    /// <summary>One annotation per filled cell of a heatmap: its value, in black or white, whichever reads on the cell's color.</summary>
    /// <param name="z">Cell values by row (y category index) and column (x category index); null cells get no label.</param>
    /// <param name="format">Text of a value.</param>
    /// <param name="darkHigh">True when the colorscale is dark at the high end (reversed Blues), false when dark at the low end (Viridis).</param>
    internal static Annotation[] CellLabels(double?[][] z, Func<double, string> format, bool darkHigh)
    {
        var values = z.SelectMany(row => row).OfType<double>().ToArray();
        double min = values.DefaultIfEmpty(0).Min(), max = values.DefaultIfEmpty(0).Max();
        var labels = new List<Annotation>();
        for (int i = 0; i < z.Length; i++)
            for (int j = 0; j < z[i].Length; j++)
            {
                if (z[i][j] is not double value) continue;
                double t = max > min ? (value - min) / (max - min) : 0.5;
                bool dark = darkHigh ? t > 0.5 : t < 0.6;
                // Positions as category indices: plotly reads a label such as "7e+3" as the number 7000, which would
                // stretch the axis far past the cells.
                labels.Add(new Annotation
                {
                    x = j,
                    y = i,
                    xref = "x",
                    yref = "y",
                    text = format(value),
                    showarrow = false,
                    font = new Font { color = dark ? "white" : "black" },
                });
            }
        return [.. labels];
    }

    private static string Label(double value) => value.ToString("0.##e+0", CultureInfo.InvariantCulture);
}
