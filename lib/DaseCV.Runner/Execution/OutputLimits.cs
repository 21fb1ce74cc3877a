namespace DaseCV.Runner.Execution;

/// <summary>
/// How much of a cell's output the executed notebook keeps. A cell that prints hundreds of megabytes would make a
/// notebook no one can open (and one System.Text.Json cannot write: it refuses strings over 166 MB); the beginning
/// is kept with a note saying how much was left out, as Jupyter front ends truncate long outputs.
/// </summary>
internal static class OutputLimits
{
    /// <summary>Characters of one stream (stdout or stderr) kept per cell.</summary>
    public const int StreamChars = 1_000_000;

    /// <summary>Characters of one displayed or returned value (e.g. an image's base64) kept; a larger one is replaced by a note.</summary>
    public const int DataChars = 20_000_000;

    public static string StreamNote(string name, long dropped) =>
        $"\n[输出已截断：此单元格写入 {name} 的内容超过 {StreamChars:N0} 个字符，其余 {dropped:N0} 个字符未保存。 " +
        $"Output truncated: this cell wrote more than {StreamChars:N0} characters to {name}; the remaining {dropped:N0} were not kept.]\n";

    public static string DataNote(string mimeType, long length) =>
        $"[输出已省略：{mimeType} 的值有 {length:N0} 个字符，超过 {DataChars:N0} 的上限。 " +
        $"Output left out: the {mimeType} value has {length:N0} characters, more than the {DataChars:N0} kept.]";
}
