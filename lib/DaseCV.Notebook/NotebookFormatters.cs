using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.DotNet.Interactive.Formatting;
using XPlot.Plotly;

namespace DaseCV.Notebook;

/// <summary>Registers how the notebook shows the library's values: numbers as plain text, matrices as numpy prints them, charts as plotly JSON and HTML, images as PNG, titled figures as SVG.</summary>
/// <remarks>
/// Call <see cref="Register"/> once from the notebook after <c>#r</c> of the library (a plain <c>#r</c> does not
/// load kernel extensions).
/// </remarks>
public static class NotebookFormatters
{
    // The kernel's default HTML for a number wraps it in a div with a style block; plain text keeps outputs small.
    private static readonly Type[] PlainTextTypes =
    [
        typeof(double), typeof(float), typeof(decimal), typeof(int), typeof(long), typeof(bool), typeof(string),
        typeof(double[]), typeof(int[]), typeof(TimeSpan),
    ];

    /// <summary>Registers the formatters in the running kernel.</summary>
    /// <exception cref="InvalidOperationException">Not running in a .NET Interactive kernel.</exception>
    public static void Register() => KernelDisplay.RequireKernel(RegisterInKernel);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool RegisterInKernel()
    {
        foreach (var type in PlainTextTypes)
            Formatter.SetPreferredMimeTypesFor(type, PlainTextFormatter.MimeType);

        // numpy's repr, as the Python notebook prints W[1:4]: every number, no MathNet "DenseMatrix 3x10-Double" header
        // and no hidden columns. The formatter of the nearest registered base type applies, so Matrix<double> and
        // Vector<double> cover MathNet's dense types and the library's own matrices.
        Formatter.Register<Matrix<double>>((matrix, writer) => writer.Write(NumpyRepr.Format(matrix)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Matrix<double>), PlainTextFormatter.MimeType);
        Formatter.Register<Vector<double>>((vector, writer) => writer.Write(NumpyRepr.Format(vector)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Vector<double>), PlainTextFormatter.MimeType);

        // Two forms of each chart: VS Code draws the plotly MIME bundle itself, offline (its notebook renderers ship
        // plotly.js); the runner's HTML export takes the HTML form and inlines plotly.js once. Both hold the chart's
        // JSON only, a few kilobytes, never plotly.js.
        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(PlotlyMime.From(chart)), PlotlyMime.MimeType);
        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(PlotlyHtml.From(chart)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(PlotlyChart), PlotlyMime.MimeType, HtmlFormatter.MimeType);

        // Jupyter's image/png output is the base64 of the file: no script, no network, shown by every viewer.
        Formatter.Register<RgbImage>((image, writer) => writer.Write(Convert.ToBase64String(image.ToPng())), "image/png");
        Formatter.SetPreferredMimeTypesFor(typeof(RgbImage), "image/png");
        // A titled figure as SVG text (the PNG inside it); viewers show it as an image, which runs no script.
        Formatter.Register<TitledImage>((image, writer) => writer.Write(image.ToSvg()), "image/svg+xml");
        Formatter.SetPreferredMimeTypesFor(typeof(TitledImage), "image/svg+xml");
        return true;
    }
}
