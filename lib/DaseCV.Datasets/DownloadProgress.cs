using System.Globalization;

namespace DaseCV.Data;

/// <summary>Progress of a download, reported a few times a second and once at the end.</summary>
/// <param name="BytesReceived">Bytes of the file on disk so far, including any resumed part.</param>
/// <param name="TotalBytes">Size of the whole file, when the server announces it.</param>
/// <param name="BytesPerSecond">Average rate of this download session.</param>
/// <param name="EstimatedTimeLeft">Time left at that rate, when the size is known.</param>
public sealed record DownloadProgress(long BytesReceived, long? TotalBytes, double BytesPerSecond, TimeSpan? EstimatedTimeLeft)
{
    /// <summary>Percent done (0–100), when the size is known.</summary>
    public double? Percent => TotalBytes is > 0 ? Math.Min(100.0, 100.0 * BytesReceived / TotalBytes.Value) : null;

    /// <summary>One line for a progress display, e.g. <c>45.2 % · 73.3 of 162.2 MB · 11.8 MB/s · 0:08 left</c>.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Percent is double p) parts.Add(p.ToString("0.0", CultureInfo.InvariantCulture) + " %");
        parts.Add(TotalBytes is long total ? $"{Megabytes(BytesReceived)} of {Megabytes(total)} MB" : $"{Megabytes(BytesReceived)} MB");
        parts.Add($"{Megabytes((long)BytesPerSecond)} MB/s");
        if (EstimatedTimeLeft is TimeSpan left)
            parts.Add((left.TotalHours >= 1 ? left.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
                                             : left.ToString(@"m\:ss", CultureInfo.InvariantCulture)) + " left");
        return string.Join(" · ", parts);
    }

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}
