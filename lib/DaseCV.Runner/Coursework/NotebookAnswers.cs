using System.Text.RegularExpressions;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Coursework;

/// <summary>One written answer: the text after 答: / 你的回答: / 你的解释: in a <c>pdf-inline</c> cell.</summary>
/// <param name="Question">The question's heading, e.g. <c>问题 1</c>.</param>
/// <param name="Label">答, 你的回答 or 你的解释.</param>
/// <param name="Text">The answer as written (trimmed).</param>
internal sealed record NotebookAnswer(string Question, string Label, string Text)
{
    /// <summary>True when the student wrote something other than the handout's placeholder.</summary>
    public bool IsAnswered => Text.Length > 0 && Text.Trim('*', ' ') != NotebookAnswers.PlaceholderText;
}

/// <summary>The notebook's written answers (CS231n's <c>pdf-inline</c> cells), as the handout blanks them and the grader reads them.</summary>
internal static partial class NotebookAnswers
{
    public const string PlaceholderText = "在这里写下你的答案。";

    /// <summary>Every answer of every <c>pdf-inline</c> markdown cell, in order.</summary>
    public static IReadOnlyList<NotebookAnswer> Find(IpynbNotebook notebook) =>
        notebook.Cells.Where(IsAnswerCell).SelectMany(c => Find(c.Source)).ToList();

    /// <summary>The answers of one cell's markdown.</summary>
    public static IEnumerable<NotebookAnswer> Find(string markdown)
    {
        var question = Question().Match(markdown) is { Success: true } q ? q.Groups[1].Value.Trim() : "问题";
        return Answer().Matches(markdown).Select(m => new NotebookAnswer(question, m.Groups["label"].Value, m.Groups["text"].Value.Trim()));
    }

    /// <summary>The cell's markdown with every answer replaced by the placeholder.</summary>
    public static string Blank(string markdown) =>
        Answer().Replace(markdown, m => m.Groups["marker"].Value + " *" + PlaceholderText + "*" + m.Groups["gap"].Value);

    public static bool IsAnswerCell(IpynbCell cell) => cell.Type == "markdown" && cell.Tags.Contains("pdf-inline") && Answer().IsMatch(cell.Source);

    // $\color{blue}{\textit 答:}$ followed by the answer, up to the next such marker or the end of the cell.
    [GeneratedRegex(@"(?<marker>\$\\color\{blue\}\{\\textit\s*(?<label>答|你的回答|你的解释)\s*[:：]\s*\}\$)(?<text>.*?)(?<gap>\s*)(?=\$\\color\{blue\}\{\\textit|\z)", RegexOptions.Singleline)]
    private static partial Regex Answer();

    [GeneratedRegex(@"\*\*(问题\s*\d+)\*\*")]
    private static partial Regex Question();
}
