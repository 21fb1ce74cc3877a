using DaseCV.Runner.Coursework;

namespace DaseCV.Runner.Tests.Coursework;

public sealed class SolutionMarkersTests
{
    public sealed class TheFindMethod
    {
        [Fact]
        public void Should_Name_Each_Region_By_Its_Class_And_Method()
        {
            var regions = SolutionMarkers.Find(SyntheticCourse.LossSource, SyntheticCourse.LossFile);

            Assert.Equal(["SoftmaxLoss.Naive", "SvmLoss.Naive"], regions.Select(r => r.Function));
            Assert.Contains("SecretSquare(w[i])", regions[0].Code);
            Assert.Equal("        ", regions[0].Indent);
        }

        [Fact]
        public void Should_Name_The_File_And_Line_Of_A_Start_Without_End()
        {
            var text = "class A\n{\n    public static void F()\n    {\n        " + SolutionMarkers.Start + "\n    }\n}\n";

            var e = Assert.Throws<InvalidDataException>(() => SolutionMarkers.Find(text, "A.cs"));

            Assert.Contains("A.cs:5", e.Message);
            Assert.Contains("without a matching END", e.Message);
        }

        [Fact]
        public void Should_Reject_An_End_Without_A_Start()
        {
            var e = Assert.Throws<InvalidDataException>(() => SolutionMarkers.Find("x\n" + SolutionMarkers.End + "\n", "B.cs"));

            Assert.Contains("B.cs:2", e.Message);
        }

        [Fact]
        public void Should_Use_The_Fallback_Name_Outside_Any_Method()
        {
            var regions = SolutionMarkers.Find($"var a = 1;\n{SolutionMarkers.Start}\nvar b = 2;\n{SolutionMarkers.End}\n", "cell", "the marked block of cell 3");

            Assert.Equal("the marked block of cell 3", Assert.Single(regions).Function);
        }
    }

    public sealed class TheReplaceMethod
    {
        [Fact]
        public void Should_Keep_The_Markers_And_Everything_Outside_Them()
        {
            var regions = SolutionMarkers.Find(SyntheticCourse.LossSource, SyntheticCourse.LossFile);

            var replaced = SolutionMarkers.Replace(SyntheticCourse.LossSource, regions, r => r.Indent + "// " + r.Function);

            Assert.Equal(2, SolutionMarkers.Lines(replaced).Count(l => l.Trim() == SolutionMarkers.Start));
            Assert.Contains("// SoftmaxLoss.Naive\n        // *****END OF YOUR CODE", replaced);
            Assert.Contains("private static double SecretSquare(double v) => v * v;", replaced);
            Assert.DoesNotContain("loss /= n;", replaced);
        }
    }

    public sealed class TheCSharpStubMethod
    {
        [Fact]
        public void Should_Throw_NotImplementedException_Naming_Function_And_File()
        {
            var region = SolutionMarkers.Find(SyntheticCourse.LossSource, SyntheticCourse.LossFile)[0];

            var stub = SolutionMarkers.CSharpStub(region, SyntheticCourse.LossFile);

            Assert.Contains("throw new NotImplementedException(\"尚未完成：请在 lib/DaseCV/Classifiers/Loss.cs 中完成 SoftmaxLoss.Naive", stub);
            Assert.Contains("not implemented yet: complete SoftmaxLoss.Naive in lib/DaseCV/Classifiers/Loss.cs", stub);
            Assert.True(SolutionMarkers.IsStub(region with { Code = stub }));
            Assert.False(SolutionMarkers.IsStub(region));
        }
    }

    public sealed class TheIsStubMethod
    {
        private static readonly MarkedRegion Region = SolutionMarkers.Find(SyntheticCourse.LossSource, SyntheticCourse.LossFile)[0];

        [Theory]
        [InlineData("throw new NotImplementedException();")]
        [InlineData("loss = 1;\nthrow new System.NotImplementedException(\"later\");")]
        [InlineData("#pragma warning disable CS0162\nthrow new NotImplementedException(\"x\");")]
        public void Should_Be_True_For_A_Throw_Of_NotImplementedException(string code) =>
            Assert.True(SolutionMarkers.IsStub(Region with { Code = code }));

        [Theory]
        [InlineData("// replaced the NotImplementedException stub\nloss = 1;")]
        [InlineData("var note = \"no NotImplementedException here\";")]
        [InlineData("if (w.Length == 0) throw new ArgumentException(\"empty\");")]
        public void Should_Be_False_When_It_Only_Mentions_It(string code) =>
            Assert.False(SolutionMarkers.IsStub(Region with { Code = code }));
    }

    public sealed class TheOutsideRegionsProblemMethod
    {
        private static string Splice(string naive, string svm)
        {
            var regions = SolutionMarkers.Find(SyntheticCourse.LossSource, SyntheticCourse.LossFile);
            return SolutionMarkers.Replace(SyntheticCourse.LossSource, regions, r => r.Function == "SoftmaxLoss.Naive" ? naive : svm);
        }

        [Fact]
        public void Should_Accept_Any_Statements_Inside_The_Regions()
        {
            var spliced = Splice("        loss = w.Sum(); /* a comment */ var s = \"//\";\n        double Local(double v) => v;", "        return 0;");
            Assert.Null(SolutionMarkers.OutsideRegionsProblem(SyntheticCourse.LossSource, spliced, SyntheticCourse.LossFile));
        }

        [Theory]
        [InlineData("        /*", "        */ return 0;", "changes the file outside the markers")]
        [InlineData("        var s = \"\"\"", "        \"\"\"; return 0;", "changes the file outside the markers")]
        [InlineData("#if false", "#endif\n        return 0;", "changes the file outside the markers")]
        [InlineData("        return (0, dW); }\n        public static int Extra() { return 1;", "        return 0;", "declare or close types or members")]
        public void Should_Refuse_Code_That_Reaches_Outside(string naive, string svm, string reason)
        {
            var problem = SolutionMarkers.OutsideRegionsProblem(SyntheticCourse.LossSource, Splice(naive, svm), SyntheticCourse.LossFile);
            Assert.NotNull(problem);
            Assert.Contains(reason, problem);
        }
    }
}
