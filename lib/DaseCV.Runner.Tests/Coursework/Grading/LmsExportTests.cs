using System.Text;
using DaseCV.Runner.Coursework.Grading;
using Microsoft.VisualBasic.FileIO;

namespace DaseCV.Runner.Tests.Coursework.Grading;

public sealed class LmsExportTests
{
    private static readonly LmsRow[] Rows =
    [
        new("张三", "2023001", Grades(87.5, 60), [("softmax/naive-loss", 15), ("softmax/vectorized-loss", 12.5)], "dW 未除以 N / dW not divided by N"),
        new("=HYPERLINK(\"http://evil.example/\",\"点我\")", "2023002", Grades(40, 0), [("softmax/naive-loss", 15)], ""),
        new("-2+3", "+2023003", Grades(0, 0), [], "@SUM(A1:A9)"),
        new("Ali\u202Ece, \"the\" student", "\t2023004", Grades(100, 100), [], "第一行\n第二行"),
    ];

    /// <summary>Points in the softmax (12345) and knn exercises, of 100 each.</summary>
    private static LmsGrade[] Grades(double softmax, double knn) => [new("softmax (12345)", softmax, 100), new("knn", knn, 100)];

    /// <summary>The file as a spreadsheet or an LMS reads it: through a CSV parser that is not ours (RFC 4180 quoting).</summary>
    private static List<string[]> ReadBack(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        using var parser = new TextFieldParser(new StringReader(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3)))
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = false,
        };
        parser.SetDelimiters(",");
        var records = new List<string[]>();
        while (!parser.EndOfData)
            records.Add(parser.ReadFields()!);
        return records;
    }

    // What a spreadsheet would evaluate: a cell opening with a formula character that has no apostrophe before it.
    private static bool CouldRunAsFormula(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n';

    public sealed class TheCanvasMethod
    {
        private readonly string _folder = TestPaths.NewTempDirectory();

        [Fact]
        public void Should_Write_Canvas_Columns_A_Column_Per_Exercise_A_Points_Possible_Row_And_One_Row_Per_Student()
        {
            var path = Path.Combine(_folder, "canvas.csv");

            LmsExport.WriteCanvas(path, Rows);

            var records = ReadBack(path);
            Assert.Equal(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "softmax (12345)", "knn"], records[0]);
            Assert.Equal(["Points Possible", "", "", "", "", "100", "100"], records[1]);
            Assert.Equal(Rows.Length + 2, records.Count);
            Assert.Equal(["张三", "", "2023001", "", "", "87.5", "60"], records[2]);
            Assert.All(records, r => Assert.Equal(7, r.Length));
            Assert.Equal(Rows.Select(r => r.Grades[0].Points), records.Skip(2).Select(r => double.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)));
        }

        [Fact]
        public void Should_Keep_Hostile_Names_And_Ids_As_Text()
        {
            var path = Path.Combine(_folder, "canvas.csv");

            LmsExport.WriteCanvas(path, [.. Rows.Select(r => r with { Grades = [r.Grades[0] with { Assignment = "=softmax" }] })]);

            var records = ReadBack(path);
            Assert.All(records.SelectMany(r => r), cell => Assert.False(CouldRunAsFormula(cell), $"'{cell}' would run as a formula"));
            Assert.Equal("'=HYPERLINK(\"http://evil.example/\",\"点我\")", records[3][0]);
            Assert.Equal(("'-2+3", "'+2023003"), (records[4][0], records[4][2]));
            Assert.Equal("Ali[U+202E]ce, \"the\" student", records[5][0]);
            Assert.Equal("'\t2023004", records[5][2]);
            Assert.Equal("'=softmax", records[0][5]);
            Assert.DoesNotContain('\u202E', File.ReadAllText(path));
        }

        [Fact]
        public void Should_Refuse_Rows_That_Disagree_On_The_Points_Possible()
        {
            var e = Assert.Throws<ArgumentException>(() => LmsExport.Canvas([Rows[0], Rows[1] with { Grades = [Rows[1].Grades[0], Rows[1].Grades[1] with { Max = 90 }] }]));

            Assert.Contains("knn: 100, 90", e.Message);
        }

        [Fact]
        public void Should_Refuse_Rows_That_Disagree_On_The_Exercises()
        {
            var e = Assert.Throws<ArgumentException>(() => LmsExport.Canvas([Rows[0], Rows[1] with { Grades = [Rows[1].Grades[0]] }]));

            Assert.Contains("disagree on the assignments", e.Message);
        }
    }

    public sealed class TheMoodleMethod
    {
        private readonly string _folder = TestPaths.NewTempDirectory();

        [Fact]
        public void Should_Write_An_Id_Number_A_Grade_And_Feedback_With_The_Checks()
        {
            var path = Path.Combine(_folder, "moodle.csv");

            LmsExport.WriteMoodle(path, Rows);

            var records = ReadBack(path);
            Assert.Equal(["ID number", "Full name", "softmax (12345)", "knn", "Feedback"], records[0]);
            Assert.Equal(["2023001", "张三", "87.5", "60", "dW 未除以 N / dW not divided by N\nsoftmax/naive-loss 15; softmax/vectorized-loss 12.5"], records[1]);
            Assert.Equal("softmax/naive-loss 15", records[2][4]);
            Assert.Equal("第一行\n第二行", records[4][4]); // a line break inside a quoted field survives
            Assert.All(records, r => Assert.Equal(5, r.Length));
        }

        [Fact]
        public void Should_Keep_Hostile_Cells_As_Text()
        {
            var path = Path.Combine(_folder, "moodle.csv");

            LmsExport.WriteMoodle(path, Rows);

            var records = ReadBack(path);
            Assert.All(records.SelectMany(r => r), cell => Assert.False(CouldRunAsFormula(cell), $"'{cell}' would run as a formula"));
            Assert.Equal(("'+2023003", "'-2+3", "'@SUM(A1:A9)"), (records[3][0], records[3][1], records[3][4]));
        }
    }

    public sealed class TheCellMethod
    {
        [Theory]
        [InlineData("张三", "\"张三\"")]
        [InlineData("a,b", "\"a,b\"")]
        [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
        [InlineData("=1+1", "\"'=1+1\"")]
        [InlineData("＝1+1", "\"'＝1+1\"")]
        [InlineData("\r=1", "\"'\r=1\"")]
        [InlineData("2-1", "\"2-1\"")]
        [InlineData("\u202E=cmd", "\"[U+202E]=cmd\"")]
        public void Should_Quote_Every_Cell_And_Disarm_Formulas(string text, string expected) => Assert.Equal(expected, CsvFile.Cell(text));
    }
}
