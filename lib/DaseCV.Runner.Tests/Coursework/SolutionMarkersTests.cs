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
}
