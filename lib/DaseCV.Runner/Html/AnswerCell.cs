using System.Text.RegularExpressions;

namespace DaseCV.Runner.Html;

/// <summary>
/// A written-answer cell (CS231n's <c>pdf-inline</c> tag): the question text, then the student's answers, each
/// starting at a paragraph that opens with an answer label, as the handout writes them
/// (<c>$\color{blue}{\textit 答:}$ …</c>, <c>**你的回答:**</c>, <c>你的解释：</c>, <c>Your Answer:</c>).
/// </summary>
/// <param name="Title">The question's first line without markdown marks (e.g. "问题 1"), for links.</param>
/// <param name="Question">Markdown before the first answer label.</param>
/// <param name="Answers">Label (without the colon) and answer markdown, in order; empty when no label is found.</param>
internal sealed partial record AnswerCell(string Title, string Question, IReadOnlyList<(string Label, string Markdown)> Answers)
{
    /// <summary>The tag CS231n's grading export uses for cells shown inline with their answers.</summary>
    public const string Tag = "pdf-inline";

    /// <summary>Splits a <c>pdf-inline</c> markdown cell's source.</summary>
    public static AnswerCell Parse(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var starts = new List<(int Line, string Label, int Skip)>();
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

        string Join(int from, int to) => string.Join("\n", lines[from..to]).Trim('\n');
        var question = Join(0, starts.Count > 0 ? starts[0].Line : lines.Length);
        var answers = new List<(string, string)>();
        for (var k = 0; k < starts.Count; k++)
        {
            var (line, label, skip) = starts[k];
            var end = k + 1 < starts.Count ? starts[k + 1].Line : lines.Length;
            var body = lines[line][skip..].TrimStart() + "\n" + string.Join("\n", lines[(line + 1)..end]);
            answers.Add((label, body.Trim()));
        }

        var title = question.Split('\n').Select(l => Marks().Replace(l, "").Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return new AnswerCell(title, question, answers);
    }

    // A label at the start of a paragraph: in the handout's LaTeX colour box, in bold, or plain; colon ASCII or full-width.
    [GeneratedRegex(@"^\s*(?:\$\s*\\color\{[^}]*\}\{\s*(?:\\text(?:it|bf|rm)?\s*)?\{?\s*(?<label>答|你的回答|你的解释|你的答案|Your Answer|Your Explanation)\s*[:：]?\s*\}?\s*\}\s*\$|\*\*\s*(?<label>答|你的回答|你的解释|你的答案|Your Answer|Your Explanation)\s*[:：]?\s*\*\*|(?<label>答|你的回答|你的解释|你的答案|Your Answer|Your Explanation)\s*[:：])\s*[:：]?")]
    private static partial Regex Label();

    [GeneratedRegex(@"[*_#`]")]
    private static partial Regex Marks();
}
