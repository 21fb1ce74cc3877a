using System.Text.RegularExpressions;

namespace DaseCV.Runner.Text;

/// <summary>
/// Errors a student meets, in Chinese first and English after (the course is taught in Chinese; the English line
/// is the one to search for, and the one scripts and tests match: it starts with <c>error: </c>).
/// </summary>
internal static partial class Messages
{
    public static string Error(string chinese, string english) => $"错误：{chinese}\nerror: {english}";

    /// <summary>Something went wrong that the command worked around; its result stands.</summary>
    public static string Warning(string chinese, string english) => $"警告：{chinese}\nwarning: {english}";

    /// <summary>A cell as messages name it in Chinese: "cell 7" → "第 7 个单元格"; null → "某个单元格".</summary>
    public static string Cell(string? label) => label switch
    {
        null => "某个单元格",
        "the injected parameters cell" => "注入参数的单元格",
        _ when CellNumber().Match(label) is { Success: true } m => $"第 {m.Groups[1].Value} 个单元格",
        _ => label,
    };

    [GeneratedRegex(@"^cell (\d+)$")]
    private static partial Regex CellNumber();
}
