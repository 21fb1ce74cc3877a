using System.CommandLine;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Commands;

/// <summary><c>handout --out DIR [--include-svm-exercise]</c>: writes the student release of this repository.</summary>
internal static class HandoutCommand
{
    /// <summary>The command for the runner's parser; its action calls <see cref="Run(string, bool)"/>.</summary>
    public static Command CommandLine()
    {
        var outDir = new Option<string>("--out", "-o") { Description = "A new or empty folder for the release.", HelpName = "DIR", Required = true };
        var includeSvm = new Option<bool>("--include-svm-exercise")
        {
            Description = "A combined release: also stub SvmLoss and LinearClassifier.Train/Predict (the SVM exercise); by default they ship solved.",
        };
        var command = new Command("handout", "Write the student release from git's tracked files: solutions replaced by stubs, answers blanked, instructor files left out, the student README.")
        {
            outDir, includeSvm,
        };
        command.SetAction(result => Run(result.GetRequiredValue(outDir), result.GetValue(includeSvm)));
        return command;
    }

    /// <summary>The command with parsed values.</summary>
    /// <param name="outDir">A new or empty folder.</param>
    /// <param name="includeSvmExercise">Also stub the SVM exercise's functions (a combined release).</param>
    public static int Run(string outDir, bool includeSvmExercise)
    {
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (CourseLayout.Default.MarkedFiles(root).Count == 0)
            throw new UsageException($"No file under {CourseLayout.Default.StudentCodeFolder} has solution markers ({SolutionMarkers.Start}); nothing to hand out.");
        var summary = Handout.Write(root, outDir, CourseLayout.Default, includeSvmExercise);
        Console.WriteLine($"Wrote the student release to {outDir}: {summary.FilesWritten} files, {summary.FilesLeftOut} instructor-only files left out (only files git tracks are considered).");
        Console.WriteLine("Stubs (students complete these):");
        foreach (var stub in summary.Stubbed)
            Console.WriteLine("  " + stub);
        foreach (var kept in summary.KeptSolved)
            Console.WriteLine("  kept solved: " + kept);
        return ExitCode.Success;
    }
}
