using System.Globalization;

namespace DaseCV;

/// <summary>Python printf-style number formatting, so output reads exactly like the original notebook's.</summary>
/// <remarks>Invariant culture; digits are correctly rounded (ties to even on exact binary values), as in CPython.</remarks>
public static class Py
{
    /// <summary>Python <c>%f</c> (<c>%.{digits}f</c>): <c>1.957841</c>, <c>-0.000000</c>, <c>inf</c>, <c>nan</c>.</summary>
    /// <param name="x">The value.</param>
    /// <param name="digits">Digits after the decimal point, ≥ 0 (Python's default 6).</param>
    public static string F(double x, int digits = 6)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        return NonFinite(x) ?? x.ToString("F" + digits, CultureInfo.InvariantCulture);
    }

    /// <summary>Python <c>%e</c> (<c>%.{digits}e</c>): <c>6.166928e-08</c>, <c>2.489394e+00</c>, <c>1.000000e+100</c>, <c>inf</c>, <c>nan</c>.</summary>
    /// <param name="x">The value.</param>
    /// <param name="digits">Digits after the decimal point, ≥ 0 (Python's default 6).</param>
    public static string E(double x, int digits = 6)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        if (NonFinite(x) is string special) return special;
        // .NET writes at least three exponent digits (e-008); Python at least two (e-08).
        string s = x.ToString("e" + digits, CultureInfo.InvariantCulture);
        int e = s.IndexOf('e');
        int exponent = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return string.Concat(s.AsSpan(0, e + 1), exponent < 0 ? "-" : "+",
            Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
    }

    /// <summary>Python's <c>repr</c> / <c>print</c> of a float: the shortest round-trip digits, <c>3.6802720745909845e-08</c>, <c>0.296</c>, <c>1.0</c>.</summary>
    /// <param name="x">The value.</param>
    /// <remarks>Scientific notation from 1e16 up and below 1e-4, as in CPython; exponents of at least two digits.</remarks>
    public static string Repr(double x)
    {
        if (NonFinite(x) is string special) return special;
        if (x == 0) return double.IsNegative(x) ? "-0.0" : "0.0";
        double magnitude = Math.Abs(x);
        string r = x.ToString("R", CultureInfo.InvariantCulture);
        if (magnitude >= 1e16 || magnitude < 1e-4)
        {
            string e = x.ToString("E16", CultureInfo.InvariantCulture);  // find the exponent, then keep R's digits
            int exponent = int.Parse(e.AsSpan(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            string digits = r.Replace("-", "").Replace(".", "");
            int k = digits.IndexOf('E');
            if (k >= 0) digits = digits[..k];
            digits = digits.TrimStart('0');
            string mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..].TrimEnd('0') : digits;
            if (mantissa.EndsWith('.')) mantissa = mantissa[..^1];
            return (x < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        return r.Contains('.') || r.Contains('E') ? r : r + ".0";
    }

    private static string? NonFinite(double x) =>
        double.IsNaN(x) ? "nan" : double.IsPositiveInfinity(x) ? "inf" : double.IsNegativeInfinity(x) ? "-inf" : null;
}
