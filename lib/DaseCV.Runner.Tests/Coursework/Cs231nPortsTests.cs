using DaseCV.Runner.Coursework;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>The CS231n ports the class grading writes in (cs231n-port): one for every marked region of the library, in its order.</summary>
public sealed class Cs231nPortsTests
{
    [Fact]
    public void Should_Port_Every_Marked_Region_Of_The_Course_Library_In_Order()
    {
        var root = TestPaths.RepositoryRoot;
        var ports = GradingRuns.Cs231nPorts(root).ToDictionary(p => p.LibraryFile, p => p.Port);

        Assert.Equal(CourseLayout.Default.MarkedFiles(root).Order(StringComparer.Ordinal), ports.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, port) in ports)
        {
            var library = SolutionMarkers.Find(File.ReadAllText(Path.Combine(root, file)), file);
            var ported = SolutionMarkers.Find(File.ReadAllText(port), port);
            Assert.Equal(library.Select(r => r.Function), ported.Select(r => r.Function));
            // A port is the student's own code, not the solution copied.
            Assert.All(library.Zip(ported), p => Assert.NotEqual(p.First.Code.Trim(), p.Second.Code.Trim()));
        }
    }
}
