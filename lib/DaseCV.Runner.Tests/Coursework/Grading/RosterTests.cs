using System.Text;
using DaseCV.Runner.Coursework.Grading;

namespace DaseCV.Runner.Tests.Coursework.Grading;

public sealed class RosterTests
{
    private static Roster Parse(string text, Encoding? encoding = null) => Roster.Parse((encoding ?? new UTF8Encoding(false)).GetBytes(text), "roster.csv");

    private const string Class = "学号,姓名\r\n2023001,张三\r\n2023002,李四\r\n2023003,\"Wang, Wu\"\r\n";

    public sealed class TheParseMethod
    {
        [Theory]
        [InlineData("学号,姓名\n2023001,张三\n")]
        [InlineData("Name,Student ID\n张三,2023001\n")]
        [InlineData("email,姓名,学号\nz@example.edu,张三,2023001\n")]
        [InlineData("\"ID\",\"name\"\r\n\"2023001\",\"张三\"")]
        public void Should_Find_The_Name_And_Id_Columns_By_Chinese_Or_English_Header(string text)
        {
            var student = Assert.Single(Parse(text).Students);

            Assert.Equal(("张三", "2023001", 2), (student.Name, student.Id, student.Line));
        }

        [Fact]
        public void Should_Take_The_Sis_User_Id_Over_Canvas_Own_Id_And_Keep_That_As_An_Alias()
        {
            var student = Assert.Single(Parse("Student,ID,SIS User ID,SIS Login ID,Section\n张三,12345,2023001,zhangsan,A\n").Students);

            Assert.Equal("2023001", student.Id);
            Assert.Equal(["12345", "zhangsan", "A"], student.Aliases);
        }

        [Fact]
        public void Should_Read_Utf8_With_Bom_And_Gbk_As_Chinese_Excel_Writes_It()
        {
            var gbk = CodePagesEncodingProvider.Instance.GetEncoding(936)!;

            Assert.Equal(["张三", "李四", "Wang, Wu"], Parse(Class).Students.Select(s => s.Name));
            Assert.Equal(["张三", "李四", "Wang, Wu"], Roster.Parse([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Class)], "r.csv").Students.Select(s => s.Name));
            Assert.Equal(["张三", "李四", "Wang, Wu"], Roster.Parse(gbk.GetBytes(Class), "r.csv").Students.Select(s => s.Name));
        }

        [Fact]
        public void Should_Read_Quoted_Fields_With_Commas_Quotes_And_Line_Breaks()
        {
            var students = Parse("学号,姓名,备注\n2023001,\"张\"\"小\"\"三\",\"第一行\n第二行\"\n\n2023002,李四,\n").Students;

            Assert.Equal("张\"小\"三", students[0].Name);
            Assert.Equal(["第一行\n第二行"], students[0].Aliases);
            Assert.Equal(5, students[1].Line); // the quoted line break and the blank line counted
        }

        [Theory]
        [InlineData("", "roster.csv is empty")]
        [InlineData("学号,班级\n2023001,1\n", "roster.csv: line 1, the header, has no name")]
        [InlineData("姓名,班级\n张三,1\n", "roster.csv: line 1, the header, has no ID")]
        [InlineData("学号,姓名\n2023001,张三\n2023002,\n", "roster.csv: line 3, column 2 (name) is empty")]
        [InlineData("学号,姓名\n2023001,张三\n,李四\n", "roster.csv: line 3, column 1 (ID) is empty")]
        [InlineData("学号,姓名\n2023001,张三\n2023001,李四\n", "roster.csv: line 3, column 1: ID 2023001 is already on line 2")]
        [InlineData("学号,姓名\n2023001,张\"三\n", "roster.csv: line 2, column 2: a quote inside an unquoted field")]
        [InlineData("学号,姓名\n2023001,\"张三\"x\n", "roster.csv: line 2, column 2: text after a closing quote")]
        [InlineData("学号,姓名\n2023001,张三\n2023002,\"李四\n", "roster.csv: line 3, column 2: a quoted field is never closed")]
        public void Should_Name_The_File_Line_And_Column_At_Fault(string text, string expected)
        {
            var e = Assert.Throws<InvalidDataException>(() => Parse(text));

            Assert.Contains(expected, e.Message);
            Assert.StartsWith("roster.csv", e.Message); // Chinese first, then the English in brackets
        }
    }

    public sealed class TheMatchMethod
    {
        private readonly Roster _roster = Parse("学号,姓名,Canvas ID\n2023001,张三,12345\n2023002,李四,22222\n2023003,Wang Wu,33333\n");

        [Theory]
        [InlineData("2023001_张三_softmax.zip")]                                  // the course's own name
        [InlineData("zhangsan_12345_67890_submission.zip")]                      // Canvas: the LMS user id, kept as an alias
        [InlineData("zhangsan_LATE_12345_67890_submission.zip")]
        [InlineData("张三_123456_assignsubmission_file_")]                        // Moodle: the full name
        [InlineData("/class/张三_123456_assignsubmission_file_/")]
        public void Should_Find_The_Student_From_An_Lms_File_Name(string fileName)
        {
            var match = _roster.Match(fileName, "张三", "2023001");

            Assert.Equal("2023001", match.Student?.Id);
            Assert.Equal("file name", match.FoundBy);
            Assert.Empty(match.Flags);
        }

        [Fact]
        public void Should_Match_A_Moodle_Name_With_Spaces_Ignoring_Case_And_Spacing()
        {
            Assert.Equal("2023003", _roster.Match("WANG  WU_98765_assignsubmission_file_", "Wang Wu", "2023003").Student?.Id);
        }

        [Fact]
        public void Should_Flag_A_Typed_Name_And_Id_That_Are_Not_The_File_Names_Student()
        {
            // 张三's upload, with 李四's name and ID typed in the notebook.
            var match = _roster.Match("2023001_张三_softmax.zip", "李四", "2023002");

            Assert.Equal("2023001", match.Student?.Id);
            Assert.Equal(2, match.Flags.Count);
            Assert.Contains(match.Flags, f => f.StartsWith("填写的学号 2023002 与文件名对应的学号 2023001 不同", StringComparison.Ordinal));
            Assert.Contains(match.Flags, f => f.Contains("(the typed name 李四 is not 张三, the file name's student's)", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_Fall_Back_To_The_Typed_Id_When_The_File_Name_Names_No_One_And_Say_So()
        {
            var match = _roster.Match("submission.zip", "张三", "2023001");

            Assert.Equal(("2023001", "typed ID"), (match.Student?.Id, match.FoundBy));
            Assert.Equal(["文件名 submission.zip 不对应名单上的任何学生 (the file name submission.zip names no one on the roster)"], match.Flags);
        }

        [Fact]
        public void Should_Flag_A_File_Name_That_Names_Two_Students()
        {
            var match = _roster.Match("2023001_2023002_softmax.zip", "张三", "2023001");

            Assert.Contains(match.Flags, f => f.Contains("names several students", StringComparison.Ordinal));
            Assert.Equal("typed ID", match.FoundBy);
        }

        [Fact]
        public void Should_Say_When_Nothing_Finds_The_Student()
        {
            var match = _roster.Match("submission.zip", "赵六", "2029999");

            Assert.Null(match.Student);
            Assert.Contains(match.Flags, f => f.Contains("are not on the roster", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_List_Who_Has_No_Submission_In_Roster_Order()
        {
            var matches = new[] { _roster.Match("2023002_李四.zip", "李四", "2023002"), _roster.Match("x.zip", "赵六", "9") };

            Assert.Equal(["2023001", "2023003"], _roster.WithoutSubmission(matches).Select(s => s.Id));
        }
    }
}
