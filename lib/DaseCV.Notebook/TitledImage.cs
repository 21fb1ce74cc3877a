using System.Globalization;
using System.Security;
using System.Text;

namespace DaseCV.Notebook;

/// <summary>A title drawn as text over a <see cref="TitledImage"/>: centred on <paramref name="CenterX"/>, its baseline at <paramref name="Baseline"/> (pixels).</summary>
public sealed record ImageTitle(string Text, double CenterX, double Baseline);

/// <summary>
/// An image with titles written as text over it, the way matplotlib's <c>plt.title</c> is text and not pixels. The
/// notebook shows it as SVG: the image as an embedded PNG and each title as a <c>&lt;text&gt;</c> element, so titles
/// are sharp, selectable and in any script the viewer's fonts have (class names can be Chinese), with no font here.
/// </summary>
public sealed class TitledImage
{
    /// <summary>Font size of the titles, in pixels.</summary>
    public const double FontSize = 14;

    /// <summary>The pixels (the titles' bands left white).</summary>
    public RgbImage Image { get; }

    /// <summary>The titles, in drawing order.</summary>
    public IReadOnlyList<ImageTitle> Titles { get; }

    /// <param name="image">The pixels, with room left for the titles.</param>
    /// <param name="titles">Titles in the image's pixel coordinates.</param>
    public TitledImage(RgbImage image, IReadOnlyList<ImageTitle> titles)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(titles);
        Image = image;
        Titles = titles;
    }

    /// <summary>A generous estimate of a title's width in pixels (a CJK character is a full em, others at most 0.62 em), so that cells leave room for it.</summary>
    public static int EstimateWidth(string title) =>
        (int)Math.Ceiling((title ?? "").Sum(c => c >= '\u2E80' ? 1.0 : 0.62) * FontSize);

    /// <summary>The image as one SVG document: the PNG, then the titles as text (XML-escaped).</summary>
    public string ToSvg()
    {
        string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var (w, h) = (Image.Width, Image.Height);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">");
        // pixelated: enlarged tiles stay blocks of colour, as the PNG has them, when the viewer scales the figure.
        svg.Append(CultureInfo.InvariantCulture, $"<image width=\"{w}\" height=\"{h}\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{Convert.ToBase64String(Image.ToPng())}\"/>");
        foreach (var title in Titles)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(title.CenterX)}\" y=\"{N(title.Baseline)}\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"{N(FontSize)}\" fill=\"#000\">{SecurityElement.Escape(title.Text)}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
