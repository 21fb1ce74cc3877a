using System.Globalization;
using System.Text;
using DaseCV.Runner.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>One record of a CSV file: its fields and the line it starts on (1-based; a quoted field may span lines).</summary>
internal sealed record CsvRecord(IReadOnlyList<string> Fields, int Line);

/// <summary>
/// RFC 4180 CSV, the way a TA's spreadsheet and an LMS read and write it: fields separated by commas, a field in
/// double quotes when it holds a comma, a quote or a line break (quotes doubled inside), records ended by CRLF.
/// Cells written for a spreadsheet are also made safe from formula injection (OWASP's CSV injection advice).
/// </summary>
internal static class CsvFile
{
    /// <summary>UTF-8 with a byte order mark: Excel reads such a file as UTF-8 (without it, in the ANSI code page).</summary>
    public static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    /// <summary>
    /// The records of <paramref name="text"/>, blank lines left out. Lenient only where spreadsheets differ (LF or
    /// CRLF, a last line without an end); anything else that is not RFC 4180 is an error naming the place.
    /// </summary>
    /// <param name="fileName">Names the file in errors.</param>
    /// <exception cref="InvalidDataException">A quote inside an unquoted field, text after a closing quote, or a quote never closed: names file, line and column.</exception>
    public static IReadOnlyList<CsvRecord> Read(string text, string fileName)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        InvalidDataException Error(int atLine, string zh, string en) =>
            new($"{fileName}：第 {atLine} 行第 {fields.Count + 1} 列：{zh} ({fileName}: line {atLine}, column {fields.Count + 1}: {en})");

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (fields.Count > 1 || fields[0].Length > 0)
                records.Add(new CsvRecord([.. fields], recordLine));
            fields.Clear();
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0)
            {
                var opened = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw Error(opened, "引号没有闭合", "a quoted field is never closed");
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        if (text[i] == '\n')
                            line++;
                        field.Append(text[i++]);
                    }
                }

                if (i < text.Length && text[i] is not (',' or '\r' or '\n'))
                    throw Error(line, "右引号后面还有文字；整个字段要放在引号里", "text after a closing quote; quote the whole field");
                continue;
            }

            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    EndRecord();
                    recordLine = ++line;
                    break;
                case '"':
                    throw Error(line, "没有引号的字段中有引号；把整个字段放在引号里，其中的引号写两次", "a quote inside an unquoted field; quote the whole field and double the quote");
                default:
                    field.Append(c);
                    break;
            }

            i++;
        }

        if (field.Length > 0 || fields.Count > 0)
            EndRecord();
        return records;
    }

    /// <summary>
    /// A text cell for a spreadsheet: safe, then always quoted (RFC 4180). Safe means a cell that opens with a
    /// formula character (= + - @, their full-width forms, tab, CR or LF) gets a leading apostrophe, so Excel or
    /// LibreOffice shows it as text and never evaluates it; bidirectional controls (U+202E …) are written as
    /// <c>[U+202E]</c>, so a name cannot reorder what is shown around it.
    /// </summary>
    public static string Cell(string text)
    {
        var visible = BidiControls.Visible(text);
        var safe = visible.Length > 0 && visible[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' or '＝' or '＋' or '－' or '＠'
            ? "'" + visible
            : visible.ToString();
        return "\"" + safe.Replace("\"", "\"\"") + "\"";
    }

    /// <summary>A number cell: invariant culture, at most 4 decimals, never a formula (a number cannot start one).</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(value), value, "a CSV number must be finite.");

    /// <summary>One record: the cells as given (already made by <see cref="Cell"/> or <see cref="Number"/>), ended by CRLF.</summary>
    public static string Line(IEnumerable<string> cells) => string.Join(",", cells) + "\r\n";
}
