using System.Globalization;

namespace DaseCV.Runner.Text;

/// <summary>Elapsed times as the terminal and the HTML header show them: <c>4.2 s</c>, <c>3:07</c>.</summary>
internal static class Durations
{
    public static string Format(TimeSpan t) =>
        t.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");
}
