using DaseCV.Runner.Commands;
using DaseCV.Runner.IO;
namespace DaseCV.Runner.Tests;

public sealed class ExportCommandTests
{
    public sealed class TheExportMethod : IDisposable
    {
        private readonly string _root = TestPaths.NewTempDirectory();
        private readonly StringWriter _out = new();
        private readonly StringWriter _err = new();

        public void Dispose() => Directory.Delete(_root, recursive: true);

        private string Copy(string testNotebook, string? name = null)
        {
            var path = Path.Combine(_root, name ?? testNotebook);
            File.Copy(Path.Combine(TestPaths.TestData, testNotebook), path);
            return path;
        }

        private int Invoke(params string[] args) => Cli.InvokeAsync(args, _out, _err).GetAwaiter().GetResult();

        // A course checkout in miniature: the notebook (with the course's result cells) and one marked library file.
        private string Course(string folder, string code)
        {
            var root = Directory.CreateDirectory(Path.Combine(_root, folder)).FullName;
            var library = Directory.CreateDirectory(Path.Combine(root, "lib", "DaseCV", "Classifiers")).FullName;
            File.WriteAllText(Path.Combine(library, "Loss.cs"), $$"""
                public static class Loss
                {
                    public static double Square(double w)
                    {
                        {{DaseCV.Runner.Coursework.SolutionMarkers.Start}}
                        {{code}}
                        {{DaseCV.Runner.Coursework.SolutionMarkers.End}}
                    }
                }
                """);
            var notebooks = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
            var cells = DaseCV.Runner.Coursework.CourseLayout.Default.Find("softmax").Results.Cells.Select((id, i) =>
                $$"""{"cell_type": "code", "id": "{{id}}", "execution_count": {{i + 1}}, "metadata": {}, "source": "// result", "outputs": []}""");
            File.WriteAllText(Path.Combine(notebooks, "softmax.ipynb"), $$"""
                {"cells": [{{string.Join(",\n", cells)}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
            return Path.Combine(notebooks, "softmax.ipynb");
        }

        private static string TextOf(string html) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", ""));

        [Fact]
        public void Should_Append_The_Students_Marked_Code_Highlighted()
        {
            var notebook = Course("repo", "return w * w; // mine");

            var html = File.ReadAllText(ExportCommand.Export(notebook, null, _root, _err));

            var appendix = html[html.IndexOf("<section id=\"student-code\"", StringComparison.Ordinal)..];
            Assert.Contains("附录：学生的代码 Appendix", appendix);
            Assert.Contains("<code>Loss.Square</code> — <code>lib/DaseCV/Classifiers/Loss.cs</code>", appendix);
            Assert.Contains("<code class=\"language-csharp\"><span class=\"k\">return</span>", appendix);
            Assert.Contains("return w * w; // mine", TextOf(appendix));
        }

        [Fact]
        public void Should_Show_The_Code_Next_To_A_Submission_Unpacked_Inside_Another_Checkout()
        {
            var outer = Course("ta", "return 0; // the TA's");
            var inner = Course(Path.Combine("ta", "grades", "ann"), "return w * w; // Ann's");

            var html = TextOf(File.ReadAllText(ExportCommand.Export(inner, null, _root, _err)));

            Assert.True(File.Exists(outer));
            Assert.Contains("// Ann's", html);
            Assert.DoesNotContain("the TA's", html);
        }

        [Fact]
        public void Should_Append_No_Code_To_A_Notebook_That_Is_Not_The_Courses()
        {
            var course = Course("repo", "return w * w;");
            var other = Path.Combine(Path.GetDirectoryName(course)!, "other.ipynb");
            File.Copy(Path.Combine(TestPaths.TestData, "vscode-saved.ipynb"), other);

            var html = File.ReadAllText(ExportCommand.Export(other, null, _root, _err));

            Assert.DoesNotContain("<section id=\"student-code\"", html);
        }

        [Fact]
        public void Should_Write_Under_Artifacts_Of_The_Current_Directory_By_Default()
        {
            var notebook = Copy("vscode-saved.ipynb");
            var current = Path.Combine(_root, "elsewhere");
            Directory.CreateDirectory(current);

            var written = ExportCommand.Export(notebook, null, current, _err);

            Assert.Equal(Path.Combine(current, "artifacts", "vscode-saved.html"), written);
            Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(written), StringComparison.OrdinalIgnoreCase);
            Assert.False(File.Exists(Path.ChangeExtension(notebook, ".html")), "nothing is written next to the notebook");
        }

        [Fact]
        public void Should_Warn_But_Still_Export_A_Notebook_That_Never_Ran()
        {
            var notebook = Copy("parameters.ipynb");
            var html = Path.Combine(_root, "out", "p.html");

            Assert.Equal(ExitCode.Success, Invoke("export", notebook, "--out", html));

            Assert.StartsWith($"warning: {notebook} has no outputs (it never ran, or was saved without them); the HTML shows the code only.", _err.ToString());
            Assert.Contains($"run {notebook}", _err.ToString());
            Assert.True(File.Exists(html));
            Assert.Equal($"Wrote {html}", _out.ToString().Trim());
        }

        [Fact]
        public void Should_Warn_About_Code_Cells_That_Did_Not_Run()
        {
            var notebook = Copy("vscode-saved.ipynb"); // four cells ran (the fourth failed), the fifth did not

            Assert.Equal(ExitCode.Success, Invoke("export", notebook, $"--out={_root}/html/"));

            Assert.Equal($"warning: 1 of 5 code cells in {notebook} have not run; their results are missing from the HTML.", _err.ToString().Trim());
            Assert.True(File.Exists(Path.Combine(_root, "html", "vscode-saved.html")));
        }

        [Fact]
        public void Should_Refuse_To_Write_Over_The_Notebook_Even_Through_A_Linked_Folder()
        {
            // A notebook that happens to be named .html, reached through a symbolic link to its folder.
            var folder = Path.Combine(_root, "real");
            Directory.CreateDirectory(folder);
            var notebook = Path.Combine(folder, "nb.html");
            File.Copy(Path.Combine(TestPaths.TestData, "vscode-saved.ipynb"), notebook);
            var before = File.ReadAllText(notebook);
            var link = Path.Combine(_root, "link");
            Directory.CreateSymbolicLink(link, folder);

            Assert.Equal(ExitCode.UsageError, Invoke("export", notebook, "--out", notebook));
            Assert.Equal(ExitCode.UsageError, Invoke("export", notebook, "--out", Path.Combine(link, "nb.html")));

            Assert.Contains("(the same file on disk)", _err.ToString());
            Assert.Equal(before, File.ReadAllText(notebook));
        }

        [Fact]
        public void Should_Refuse_An_Output_That_Is_Not_Html()
        {
            var notebook = Copy("vscode-saved.ipynb");
            var before = File.ReadAllText(notebook);

            Assert.Equal(ExitCode.UsageError, Invoke("export", notebook, "--out", notebook));

            Assert.Contains($"\nerror: --out {notebook}: export writes HTML; give a FILE.html or a folder", _err.ToString());
            Assert.Equal(before, File.ReadAllText(notebook));
        }

        [Fact]
        public void Should_Name_A_Missing_Notebook()
        {
            var missing = Path.Combine(_root, "none.ipynb");

            Assert.Equal(ExitCode.UsageError, Invoke("export", missing));

            Assert.EndsWith($"\nerror: Notebook not found: {missing}", _err.ToString().Trim());
        }
    }
}
