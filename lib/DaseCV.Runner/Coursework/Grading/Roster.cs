using System.Text;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>One student of the class list.</summary>
/// <param name="Name">The name column (姓名 / name).</param>
/// <param name="Id">The ID column (学号 / student id / SIS user id / id).</param>
/// <param name="Aliases">The row's other cells (a login, an LMS user id, a pinyin name): an LMS file name may carry one of them instead.</param>
/// <param name="Line">The roster line it was read from (1-based).</param>
internal sealed record RosterEntry(string Name, string Id, IReadOnlyList<string> Aliases, int Line);

/// <summary>Who a submission belongs to, and what does not agree.</summary>
/// <param name="Student">The roster entry; null when neither the file name nor the typed ID finds one.</param>
/// <param name="FoundBy"><c>file name</c> (an ID, name or alias in the LMS file name), <c>typed ID</c>, <c>typed name</c>, or null.</param>
/// <param name="Flags">Disagreements for the TA, each Chinese first then English: a typed name or ID that is not the file name's student's, a file name that names no one or two students.</param>
internal sealed record RosterMatch(RosterEntry? Student, string? FoundBy, IReadOnlyList<string> Flags);

/// <summary>
/// The class list a TA may give <c>grade</c>: a CSV file with a name and an ID column, as the school's system or Excel
/// writes it. Header names in Chinese or English (姓名 / name / student name, 学号 / student id / student number /
/// SIS user id / ID number / id); when several ID columns are there (a Canvas export has ID and SIS User ID), the more
/// specific one is the ID and the others are aliases, as are all other columns. UTF-8 with or without BOM, UTF-16
/// with BOM, or GB18030/GBK (what Chinese Excel writes as "CSV").
/// </summary>
internal sealed class Roster
{
    // Most specific first: the first one a header has is the column used.
    private static readonly string[] IdHeaders = ["学号", "studentid", "studentnumber", "sisuserid", "idnumber", "学生编号", "编号", "id"];
    private static readonly string[] NameHeaders = ["姓名", "name", "studentname", "fullname", "名字", "student"];

    private Roster(IReadOnlyList<RosterEntry> students) => Students = students;

    /// <summary>Everyone on the list, in file order.</summary>
    public IReadOnlyList<RosterEntry> Students { get; }

    /// <summary>Reads a roster file.</summary>
    /// <exception cref="InvalidDataException">Not a roster: the message names the file, and the line and column at fault.</exception>
    public static Roster Load(string path) => Parse(File.ReadAllBytes(path), Path.GetFileName(path));

    /// <summary>Reads a roster from its bytes (encoding detected as described on the class).</summary>
    /// <param name="fileName">Names the file in errors.</param>
    /// <exception cref="InvalidDataException">As <see cref="Load"/>.</exception>
    public static Roster Parse(byte[] bytes, string fileName)
    {
        var records = CsvFile.Read(Decode(bytes), fileName);
        if (records.Count == 0)
            throw new InvalidDataException($"{fileName} 是空的：第一行应是表头，含 姓名/name 和 学号/ID 两列 " +
                                           $"({fileName} is empty: expected a header line with a name (姓名) and an ID (学号) column).");
        var header = records[0].Fields.Select(Key).ToList();
        int Column(string[] names, string what) =>
            names.Select(n => header.IndexOf(n)).FirstOrDefault(i => i >= 0, -1) is var at and >= 0 ? at
                : throw new InvalidDataException($"{fileName}：第 {records[0].Line} 行（表头）没有{what}列；表头是：{string.Join(", ", records[0].Fields)} " +
                                                 $"({fileName}: line {records[0].Line}, the header, has no {(what == "姓名" ? "name (姓名, name)" : "ID (学号, student id, id)")} column).");
        var idColumn = Column(IdHeaders, "学号");
        var nameColumn = Column(NameHeaders, "姓名");

        var students = new List<RosterEntry>();
        var lineOfId = new Dictionary<string, int>();
        foreach (var record in records.Skip(1))
        {
            string Cell(int column, string what)
            {
                var value = column < record.Fields.Count ? record.Fields[column].Trim() : "";
                return value.Length > 0 ? value
                    : throw new InvalidDataException($"{fileName}：第 {record.Line} 行第 {column + 1} 列（{records[0].Fields[column]}）是空的 " +
                                                     $"({fileName}: line {record.Line}, column {column + 1} ({what}) is empty).");
            }

            var id = Cell(idColumn, "ID");
            var name = Cell(nameColumn, "name");
            if (lineOfId.TryGetValue(Normalize(id), out var first))
                throw new InvalidDataException($"{fileName}：第 {record.Line} 行第 {idColumn + 1} 列的学号 {id} 在第 {first} 行已经出现 " +
                                               $"({fileName}: line {record.Line}, column {idColumn + 1}: ID {id} is already on line {first}).");
            lineOfId[Normalize(id)] = record.Line;
            var aliases = record.Fields.Where((f, i) => i != idColumn && i != nameColumn && f.Trim().Length > 0).Select(f => f.Trim()).ToList();
            students.Add(new RosterEntry(name, id, aliases, record.Line));
        }

        return new Roster(students);
    }

    /// <summary>
    /// Finds the student of one submission. The LMS file name is split at '_' (as Canvas, Moodle and the course's own
    /// <c>ID_name_…</c> write it) and each part compared with the roster's IDs, then aliases, then names (ignoring
    /// case, spaces, commas and full-width forms); without a match there, the typed ID, then the typed name. A typed
    /// name or ID that is not the found student's is flagged, and so is a file name that names two students.
    /// </summary>
    /// <param name="lmsFileName">The submission's file or folder name as the LMS wrote it (a path is cut to its last part).</param>
    /// <param name="typedName">submission.json's studentName; null when there is none.</param>
    /// <param name="typedId">submission.json's studentId.</param>
    public RosterMatch Match(string lmsFileName, string? typedName, string? typedId)
    {
        var file = Path.GetFileName(lmsFileName.TrimEnd('/', '\\'));
        var parts = Path.GetFileNameWithoutExtension(file).Split('_').Select(Normalize).Where(p => p.Length > 0).ToHashSet();
        var byFile = Students.Where(s => parts.Contains(Normalize(s.Id))).ToList();
        if (byFile.Count == 0)
            byFile = [.. Students.Where(s => s.Aliases.Any(a => parts.Contains(Normalize(a))))];
        if (byFile.Count == 0)
            byFile = [.. Students.Where(s => parts.Contains(Normalize(s.Name)))];

        var flags = new List<string>();
        RosterEntry? student;
        string? foundBy;
        if (byFile.Count == 1)
            (student, foundBy) = (byFile[0], "file name");
        else
        {
            if (byFile.Count > 1)
                flags.Add($"文件名 {file} 对应多名学生：{string.Join("、", byFile.Select(s => $"{s.Name}（{s.Id}）"))} " +
                          $"(the file name {file} names several students: {string.Join(", ", byFile.Select(s => $"{s.Name} ({s.Id})"))})");
            else
                flags.Add($"文件名 {file} 不对应名单上的任何学生 (the file name {file} names no one on the roster)");
            student = Find(s => s.Id, typedId) ?? Find(s => s.Name, typedName);
            foundBy = student is null ? null : Find(s => s.Id, typedId) is not null ? "typed ID" : "typed name";
            if (student is null)
                flags.Add($"填写的学号 {typedId ?? "（无）"} 和姓名 {typedName ?? "（无）"} 都不在名单上 " +
                          $"(the typed ID {typedId ?? "(none)"} and name {typedName ?? "(none)"} are not on the roster)");
        }

        if (student is not null && foundBy == "file name")
        {
            if (typedId is not null && Normalize(typedId) != Normalize(student.Id))
                flags.Add($"填写的学号 {typedId} 与文件名对应的学号 {student.Id} 不同 (the typed ID {typedId} is not {student.Id}, the file name's student's)");
            if (typedName is not null && Normalize(typedName) != Normalize(student.Name))
                flags.Add($"填写的姓名 {typedName} 与文件名对应的姓名 {student.Name} 不同 (the typed name {typedName} is not {student.Name}, the file name's student's)");
        }
        else if (student is not null && foundBy == "typed ID" && typedName is not null && Normalize(typedName) != Normalize(student.Name))
            flags.Add($"填写的姓名 {typedName} 与学号 {student.Id} 在名单上的姓名 {student.Name} 不同 (the typed name {typedName} is not {student.Name}, the roster's name for ID {student.Id})");

        return new RosterMatch(student, foundBy, flags);
    }

    /// <summary>Who has no submission: everyone on the roster that none of <paramref name="matches"/> found, in roster order.</summary>
    public IReadOnlyList<RosterEntry> WithoutSubmission(IEnumerable<RosterMatch> matches)
    {
        var found = matches.Select(m => m.Student).OfType<RosterEntry>().ToHashSet();
        return [.. Students.Where(s => !found.Contains(s))];
    }

    private RosterEntry? Find(Func<RosterEntry, string> field, string? value) =>
        value is null ? null : Students.Where(s => Normalize(field(s)) == Normalize(value)).ToList() is [var one] ? one : null;

    /// <summary>UTF-8 with BOM, UTF-16 with BOM, UTF-8 when the bytes are valid UTF-8, else GB18030 (a superset of GBK).</summary>
    private static string Decode(byte[] bytes)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
            return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        if (bytes is [0xFF, 0xFE, ..])
            return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
        if (bytes is [0xFE, 0xFF, ..])
            return Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // GBK text is almost never valid UTF-8; the provider is used directly, so no process-wide registration.
            return CodePagesEncodingProvider.Instance.GetEncoding(54936)!.GetString(bytes);
        }
    }

    // Header names and values compared as a person would: case, spaces, '_', commas and full-width forms ignored.
    private static string Key(string header) => Normalize(header).Replace("_", "");

    private static string Normalize(string text) =>
        new string([.. text.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c) && c is not (',' or '，'))]).ToLowerInvariant();
}
