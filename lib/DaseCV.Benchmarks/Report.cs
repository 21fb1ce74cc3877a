using System.Globalization;

namespace DaseCV.Benchmarks;

/// <summary>The side-by-side lines and table that <c>compare</c> and <c>student</c> print.</summary>
internal static class Report
{
    /// <summary>One workload: C# seconds, numpy seconds (same run), and the ratio it should stay under.</summary>
    public sealed record Row(string Workload, double Ours, double Numpy, string Note, double Target)
    {
        public double Ratio => Ours / Numpy;
    }

    /// <summary>Prints what ran: CPU model, cores, runtime, and the vector width of the kernels.</summary>
    public static void Header() => Console.WriteLine($"machine: {Machine.Description}; numpy: {Numpy}");

    private static string Numpy => NumpyReference.CoreType is string core
        ? $"OpenBLAS's {core} kernels (OPENBLAS_CORETYPE={core}: the AVX2 machine this run stands for)"
        : "OpenBLAS's own choice of kernels";

    /// <summary>Prints one row as it is measured and returns it.</summary>
    public static Row Add(string workload, double ours, double numpy, string note, double target)
    {
        var row = new Row(workload, ours, numpy, note, target);
        Console.WriteLine($"{workload}: C# {Ms(ours)}, numpy {Ms(numpy)}, ratio {row.Ratio:0.00} (target {Target(target)}; {note})");
        return row;
    }

    /// <summary>Prints the Markdown table; exit code 1 when a ratio misses its target.</summary>
    public static int Table(IReadOnlyList<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"machine: {Machine.Description}; numpy: {Numpy}");
        Console.WriteLine("| workload | C# | numpy (same run) | ratio | target | note |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var row in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Workload} | {Ms(row.Ours)} | {Ms(row.Numpy)} | {row.Ratio:0.00}× | {Target(row.Target)} | {row.Note} |"));
        var missed = rows.Where(r => r.Ratio > r.Target).ToList();
        foreach (var row in missed) Console.Error.WriteLine($"missed: {row.Workload} at {row.Ratio:0.00}× (target ≤ {row.Target:0.0#}×)");
        return missed.Count == 0 ? 0 : 1;
    }

    /// <summary>"≤ 0.5×", or "none" for a row shown for information (an infinite target).</summary>
    private static string Target(double target) =>
        double.IsPositiveInfinity(target) ? "none" : string.Create(CultureInfo.InvariantCulture, $"≤ {target:0.0#}×");

    public static string Ms(double seconds) => (seconds * 1e3).ToString("0.000", CultureInfo.InvariantCulture) + " ms";
}
