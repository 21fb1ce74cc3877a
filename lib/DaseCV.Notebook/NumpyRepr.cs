using System.Globalization;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Notebook;

/// <summary>A matrix or vector as numpy's <c>repr</c> prints a float64 array: <c>array([[ 8.12904078e-05, -1.2e-04, …]])</c>.</summary>
/// <remarks>
/// The notebook mirrors the Python one, whose <c>W[1:4]</c> shows every number this way. Ported from numpy 1.24's
/// <c>numpy/core/arrayprint.py</c> with its defaults: precision 8 in "maxprec" mode (the shortest digits that read
/// back to the same double, at most 8 after the point), scientific notation when a nonzero magnitude is below 1e-4,
/// at least 1e8, or the largest is over 1000 times the smallest, elements aligned, lines wrapped at 75 characters,
/// and arrays of more than 1000 elements shown by their first and last 3 items along each axis.
/// </remarks>
public static class NumpyRepr
{
    private const int Precision = 8;
    private const int LineWidth = 75;
    private const int Threshold = 1000;
    private const int EdgeItems = 3;
    private const string Prefix = "array(";
    private const string Separator = ", ";

    /// <summary>numpy's repr of the matrix as a 2-D array, shape (rows, columns).</summary>
    public static string Format(Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Format([matrix.RowCount, matrix.ColumnCount], index => matrix.At(index[0], index[1]));
    }

    /// <summary>numpy's repr of the vector as a 1-D array.</summary>
    public static string Format(Vector<double> vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return Format([vector.Count], index => vector.At(index[0]));
    }

    /// <summary>numpy's repr of an array of the given shape whose elements <paramref name="at"/> returns.</summary>
    internal static string Format(int[] shape, Func<int[], double> at)
    {
        long size = shape.Aggregate(1L, (product, n) => product * n);
        if (size == 0)
            return shape.Length == 1 ? "array([], dtype=float64)" : $"array([], shape=({string.Join(", ", shape)}), dtype=float64)";

        bool summarize = size > Threshold;
        // Widths come from the elements shown, as numpy formats only the leading and trailing items of a summary.
        var shown = shape.Select(n => Shown(n, summarize)).ToArray();
        var format = FloatFormat.Create(Indices(shown).Select(at).ToList());

        var formatter = new ArrayFormatter(shape, at, format, summarize);
        // The ")" after the array counts against the line width; continuation lines line up after "array([".
        return Prefix + formatter.Recurse([], new string(' ', Prefix.Length + 1), LineWidth - 1) + ")";
    }

    private static int[] Shown(int length, bool summarize) =>
        summarize && length > 2 * EdgeItems
            ? [.. Enumerable.Range(0, EdgeItems), .. Enumerable.Range(length - EdgeItems, EdgeItems)]
            : [.. Enumerable.Range(0, length)];

    private static IEnumerable<int[]> Indices(int[][] shown, int axis = 0)
    {
        if (axis == shown.Length)
        {
            yield return [];
            yield break;
        }
        foreach (int i in shown[axis])
            foreach (var rest in Indices(shown, axis + 1))
                yield return [i, .. rest];
    }

    /// <summary>numpy's <c>_formatArray</c>: brackets per axis, rows wrapped to the line width, "..." for a summary.</summary>
    private sealed class ArrayFormatter(int[] shape, Func<int[], double> at, FloatFormat format, bool summarize)
    {
        public string Recurse(int[] index, string hangingIndent, int width)
        {
            int axesLeft = shape.Length - index.Length;
            if (axesLeft == 0) return format.Format(at(index));

            string nextIndent = hangingIndent + " ";
            int nextWidth = width - 1; // the "]" that closes this axis
            int length = shape[index.Length];
            bool showSummary = summarize && 2 * EdgeItems < length;
            int leading = showSummary ? EdgeItems : 0;
            int trailing = showSummary ? EdgeItems : length;
            var s = new StringBuilder();

            if (axesLeft == 1)
            {
                int elementWidth = width - 1; // room for "," or "]"
                string line = hangingIndent;
                for (int i = 0; i < leading; i++)
                {
                    line = Extend(s, line, Recurse([.. index, i], nextIndent, nextWidth), elementWidth, hangingIndent) + Separator;
                }
                if (showSummary) line = Extend(s, line, "...", elementWidth, hangingIndent) + Separator;
                for (int i = trailing; i > 1; i--)
                {
                    line = Extend(s, line, Recurse([.. index, length - i], nextIndent, nextWidth), elementWidth, hangingIndent) + Separator;
                }
                line = Extend(s, line, Recurse([.. index, length - 1], nextIndent, nextWidth), elementWidth, hangingIndent);
                s.Append(line);
            }
            else
            {
                string lineSeparator = Separator.TrimEnd() + new string('\n', axesLeft - 1);
                for (int i = 0; i < leading; i++)
                    s.Append(hangingIndent).Append(Recurse([.. index, i], nextIndent, nextWidth)).Append(lineSeparator);
                if (showSummary) s.Append(hangingIndent).Append("...").Append(lineSeparator);
                for (int i = trailing; i > 1; i--)
                    s.Append(hangingIndent).Append(Recurse([.. index, length - i], nextIndent, nextWidth)).Append(lineSeparator);
                s.Append(hangingIndent).Append(Recurse([.. index, length - 1], nextIndent, nextWidth));
            }
            return "[" + s.ToString(hangingIndent.Length, s.Length - hangingIndent.Length) + "]";
        }

        // numpy's _extendLine: wrap before a word that would pass the width, unless the line holds nothing yet.
        private static string Extend(StringBuilder s, string line, string word, int width, string nextLinePrefix)
        {
            if (line.Length + word.Length > width && line.Length > nextLinePrefix.Length)
            {
                s.Append(line.TrimEnd()).Append('\n');
                line = nextLinePrefix;
            }
            return line + word;
        }
    }

    /// <summary>numpy's <c>FloatingFormat</c> in "maxprec" mode: one width and notation for every element of an array.</summary>
    private sealed class FloatFormat
    {
        private bool _scientific;
        private int _padLeft;
        private int _padRight;
        private int _fractionDigits; // scientific: the same number of mantissa digits for every element
        private int _exponentDigits;

        public static FloatFormat Create(IReadOnlyList<double> values)
        {
            var format = new FloatFormat();
            var finite = values.Where(double.IsFinite).ToList();
            var magnitudes = finite.Where(v => v != 0).Select(Math.Abs).ToList();
            if (magnitudes.Count > 0)
            {
                double max = magnitudes.Max(), min = magnitudes.Min();
                format._scientific = max >= 1e8 || min < 0.0001 || max / min > 1000;
            }

            if (finite.Count == 0) { }
            else if (format._scientific)
            {
                var parts = finite.Select(Scientific).ToList();
                format._fractionDigits = parts.Max(p => p.Fraction.Length);
                format._exponentDigits = parts.Max(p => Math.Max(2, Math.Abs(p.Exponent).ToString(CultureInfo.InvariantCulture).Length));
                format._padLeft = parts.Max(p => p.Integer.Length);
                format._padRight = format._exponentDigits + 2 + format._fractionDigits;
            }
            else
            {
                var parts = finite.Select(Positional).ToList();
                format._padLeft = parts.Max(p => p.Integer.Length);
                format._padRight = parts.Max(p => p.Fraction.Length);
            }

            // nan and inf take the whole width; widen it when they are longer than the numbers.
            if (finite.Count != values.Count)
            {
                int infLength = values.Any(double.IsNegativeInfinity) ? 4 : 3;
                format._padLeft = Math.Max(format._padLeft, Math.Max(3, infLength) - (format._padRight + 1));
            }
            return format;
        }

        public string Format(double x)
        {
            if (!double.IsFinite(x))
            {
                string text = double.IsNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
                return new string(' ', Math.Max(0, _padLeft + _padRight + 1 - text.Length)) + text;
            }
            if (_scientific)
            {
                var (integer, fraction, exponent) = Scientific(x);
                string exponentText = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(_exponentDigits, '0');
                return integer.PadLeft(_padLeft) + "." + fraction.PadRight(_fractionDigits, '0') + "e" + (exponent < 0 ? "-" : "+") + exponentText;
            }
            var (whole, digits) = Positional(x);
            return whole.PadLeft(_padLeft) + "." + digits.PadRight(_padRight);
        }

        // Shortest digits that read back to x, cut to 8 after the point (rounded from the exact value): "-12" "25" for -12.25.
        private static (string Integer, string Fraction) Positional(double x)
        {
            string sign = double.IsNegative(x) ? "-" : "";
            var (digits, point) = ShortestDigits(Math.Abs(x));
            if (digits.Length - point > Precision)
            {
                var rounded = Math.Abs(x).ToString("F" + Precision, CultureInfo.InvariantCulture).Split('.');
                return (sign + rounded[0], rounded[1].TrimEnd('0'));
            }
            string integer = point <= 0 ? "0" : digits.PadRight(point, '0')[..point];
            string fraction = point <= 0 ? new string('0', -point) + digits : digits.Length > point ? digits[point..] : "";
            return (sign + integer, fraction.TrimEnd('0'));
        }

        // d.ddd × 10^e with the shortest round-trip digits, at most 8 after the point: ("-8", "12904078", -5).
        private static (string Integer, string Fraction, int Exponent) Scientific(double x)
        {
            string sign = double.IsNegative(x) ? "-" : "";
            var (digits, point) = ShortestDigits(Math.Abs(x));
            if (digits.Length - 1 > Precision)
            {
                var text = Math.Abs(x).ToString("E" + Precision, CultureInfo.InvariantCulture); // "8.12904078E-005"
                int e = text.IndexOf('E');
                var mantissa = text[..e].Split('.');
                return (sign + mantissa[0], mantissa[1].TrimEnd('0'), int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture));
            }
            return digits == "0" ? (sign + "0", "", 0) : (sign + digits[..1], digits[1..], point - 1);
        }

        // The shortest round-trip digits of a ≥ 0 without leading or trailing zeros, and where the point goes:
        // a = 0.digits × 10^point ("1225", 2 for 12.25; "0", 1 for zero).
        private static (string Digits, int Point) ShortestDigits(double a)
        {
            if (a == 0) return ("0", 1);
            string r = a.ToString("R", CultureInfo.InvariantCulture); // "12.25", "1E-05", "1.2345E+20"
            int exponent = 0;
            int e = r.IndexOf('E');
            if (e >= 0)
            {
                exponent = int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
                r = r[..e];
            }
            int dot = r.IndexOf('.');
            string integer = dot >= 0 ? r[..dot] : r;
            string all = integer + (dot >= 0 ? r[(dot + 1)..] : "");
            string trimmed = all.TrimStart('0');
            int point = integer.Length + exponent - (all.Length - trimmed.Length);
            return (trimmed.TrimEnd('0'), point);
        }
    }
}
