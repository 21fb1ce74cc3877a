using System.Text.RegularExpressions;

namespace DaseCV.Runner.Ipynb;

/// <summary>One written answer: the text after 答: / 你的回答: / 你的解释: in a <c>pdf-inline</c> cell.</summary>
/// <param name="Question">The question's heading, e.g. <c>问题 1</c>.</param>
/// <param name="Label">答, 你的回答 or 你的解释 (as written, without the colon).</param>
/// <param name="Text">The answer as written (trimmed markdown).</param>
/// <param name="Number">N of the bold <c>**问题 N**</c> heading; null for a cell without one, which no question number finds.</param>
internal sealed record NotebookAnswer(string Question, string Label, string Text, int? Number = null)
{
    /// <summary>True when the student wrote something other than the handout's placeholder.</summary>
    public bool IsAnswered => Text.Length > 0 && Text.Trim('*', ' ') != NotebookAnswers.PlaceholderText;
}

/// <summary>A written-answer cell split: the question's markdown, then each answer with the label that opens it.</summary>
/// <param name="Title">The question's first line without markdown marks (e.g. "问题 2 - 对或错"), for links.</param>
/// <param name="Question">Markdown before the first answer label.</param>
/// <param name="Answers">Each answer in order; empty when no label is found.</param>
internal sealed record AnswerCell(string Title, string Question, IReadOnlyList<AnswerCell.Answer> Answers)
{
    /// <param name="Label">The label without its colon.</param>
    /// <param name="Marker">The label as written, up to the answer text (e.g. <c>$\color{blue}{\textit 答:}$</c>).</param>
    /// <param name="Markdown">The answer's markdown, trimmed.</param>
    internal sealed record Answer(string Label, string Marker, string Markdown);
}

/// <summary>
/// The notebook's written answers (CS231n's <c>pdf-inline</c> cells), as the HTML boxes them, the handout blanks them
/// and the grader reads them: one parser for all three. An answer starts at a paragraph that opens with an answer
/// label, as the handout writes them (<c>$\color{blue}{\textit 答:}$ …</c>, <c>**你的回答:**</c>, <c>你的解释：</c>,
/// <c>Your Answer:</c>), and runs to the next such paragraph or the end of the cell; labels inside a paragraph or a
/// code block do not count.
/// </summary>
internal static partial class NotebookAnswers
{
    /// <summary>The tag CS231n's grading export uses for cells shown inline with their answers.</summary>
    public const string Tag = "pdf-inline";

    public const string PlaceholderText = "在这里写下你的答案。";

    /// <summary>Splits a <c>pdf-inline</c> markdown cell's source.</summary>
    public static AnswerCell Parse(string markdown)
    {
        var (lines, starts) = Split(markdown);
        string Join(int from, int to) => string.Join("\n", lines[from..to]).Trim('\n');
        var question = Join(0, starts.Count > 0 ? starts[0].Line : lines.Length);
        var answers = new List<AnswerCell.Answer>();
        for (var k = 0; k < starts.Count; k++)
        {
            var (line, label, length) = starts[k];
            var end = k + 1 < starts.Count ? starts[k + 1].Line : lines.Length;
            var body = lines[line][length..].TrimStart() + "\n" + string.Join("\n", lines[(line + 1)..end]);
            answers.Add(new AnswerCell.Answer(label, lines[line][..length].Trim(), body.Trim()));
        }

        var title = question.Split('\n').Select(l => Marks().Replace(l, "").Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return new AnswerCell(title, question, answers);
    }

    /// <summary>Every answer of every <c>pdf-inline</c> markdown cell, in order.</summary>
    public static IReadOnlyList<NotebookAnswer> Find(IpynbNotebook notebook) =>
        notebook.Cells.Where(IsAnswerCell).SelectMany(c => Find(c.Source)).ToList();

    /// <summary>The answers of one cell's markdown, under the question's heading (问题 N, else the title).</summary>
    public static IEnumerable<NotebookAnswer> Find(string markdown)
    {
        var cell = Parse(markdown);
        var heading = QuestionNumber().Match(cell.Question);
        var question = heading.Success ? heading.Groups[1].Value.Trim() : cell.Title.Length > 0 ? cell.Title : "问题";
        int? number = heading.Success && int.TryParse(heading.Groups["n"].ValueSpan, out var n) ? n : null;
        return cell.Answers.Select(a => new NotebookAnswer(question, a.Label, a.Markdown, number));
    }

    /// <summary>
    /// The answers by question number (<c>**问题 N**</c>), each number's answers in notebook order: a grader finds
    /// 问题 N by its number, never by position, so an added cell before 问题 1 cannot stand in for it. Cells without
    /// a number are left out; a number the notebook asks twice (a copied cell) keeps both cells' answers.
    /// </summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<NotebookAnswer>> FindByNumber(IpynbNotebook notebook) =>
        Find(notebook).Where(a => a.Number is not null)
            .GroupBy(a => a.Number!.Value)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<NotebookAnswer>)g.ToList());

    /// <summary>The cell's markdown with every answer replaced by the placeholder (the question and labels kept).</summary>
    public static string Blank(string markdown)
    {
        var cell = Parse(markdown);
        if (cell.Answers.Count == 0)
            return markdown;
        var blanks = cell.Answers.Select(a => $"{a.Marker} *{PlaceholderText}*");
        return (cell.Question.Length > 0 ? cell.Question + "\n\n" : "") + string.Join("\n\n", blanks);
    }

    /// <summary>A <c>pdf-inline</c> markdown cell with at least one answer label.</summary>
    public static bool IsAnswerCell(IpynbCell cell) => cell.Type == "markdown" && cell.Tags.Contains(Tag) && Parse(cell.Source).Answers.Count > 0;

    // The lines, and where each answer starts: line, label, length of the label as written.
    private static (string[] Lines, List<(int Line, string Label, int Length)> Starts) Split(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var starts = new List<(int, string, int)>();
        var previousBlank = true;
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal) || line.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
                inFence = !inFence;
            if (!inFence && previousBlank && Label().Match(line) is { Success: true } m)
                starts.Add((i, m.Groups["label"].Value.Trim(), m.Length));
            previousBlank = string.IsNullOrWhiteSpace(line);
        }

        return (lines, starts);
    }

    // A label at the start of a paragraph: in the handout's LaTeX colour box, in bold, or plain; colon ASCII or full-width.
    [GeneratedRegex(@"^\s*(?:\$\s*\\color\{[^}]*\}\{\s*(?:\\text(?:it|bf|rm)?\s*)?\{?\s*(?<label>答|你的回答|你的解释|你的答案|Your Answer|Your Explanation)\s*[:：]?\s*\}?\s*\}\s*\$|\*\*\s*(?<label>答|你的回答|你的解释|你的答案|Your Answer|Your Explanation)\s*[:：]?\s*\*\*|(?<label>答|你的回答|你的解释|你的答案|Your Answer|Your Explanation)\s*[:：])\s*[:：]?")]
    private static partial Regex Label();

    [GeneratedRegex(@"[*_#`]")]
    private static partial Regex Marks();

    [GeneratedRegex(@"\*\*(问题\s*(?<n>\d+))\*\*")]
    private static partial Regex QuestionNumber();
}
