using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.DotNet.Interactive.Formatting;
using XPlot.Plotly;

namespace DaseCV.Notebook;

/// <summary>Registers how the notebook shows the library's values: numbers as plain text, charts as HTML, images as PNG.</summary>
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

        // MathNet's ToString prints the shape and the corner elements, like numpy's repr of a large array.
        foreach (var type in new[] { typeof(Matrix<double>), typeof(MathNet.Numerics.LinearAlgebra.Double.DenseMatrix), typeof(LinearAlgebra.CenteredPixelMatrix) })
        {
            Formatter.Register(type, (value, writer) => writer.Write(((Matrix<double>)value).ToString()), PlainTextFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(type, PlainTextFormatter.MimeType);
        }

        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(PlotlyHtml.From(chart)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(PlotlyChart), HtmlFormatter.MimeType);

        // Jupyter's image/png output is the base64 of the file: no script, no network, shown by every viewer.
        Formatter.Register<RgbImage>((image, writer) => writer.Write(Convert.ToBase64String(image.ToPng())), "image/png");
        Formatter.SetPreferredMimeTypesFor(typeof(RgbImage), "image/png");
        return true;
    }
}
