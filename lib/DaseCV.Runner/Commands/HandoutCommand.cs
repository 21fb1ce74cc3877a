using System.CommandLine;
using DaseCV.Runner.Coursework;

namespace DaseCV.Runner.Commands;

/// <summary><c>handout --out DIR [--keep-svm]</c>: writes the student release of this repository.</summary>
internal static class HandoutCommand
{
    /// <summary>The command for the runner's parser; its action calls <see cref="Run(string, bool)"/>.</summary>
    public static Command CommandLine()
    {
        var outDir = new Option<string>("--out", "-o") { Description = "A new or empty folder for the release.", HelpName = "DIR", Required = true };
        var keepSvm = new Option<bool>("--keep-svm") { Description = "Keep SvmLoss and LinearClassifier.Train/Predict solved (the SVM exercise)." };
        var command = new Command("handout", "Write the student release: solutions replaced by stubs, answers blanked, instructor files left out.")
        {
            outDir, keepSvm,
        };
        command.SetAction(result => Run(result.GetRequiredValue(outDir), result.GetValue(keepSvm)));
        return command;
    }

    /// <summary>The command with parsed values.</summary>
    /// <param name="outDir">A new or empty folder.</param>
    /// <param name="keepSvm">Keep SvmLoss and LinearClassifier.Train/Predict solved (the SVM exercise done earlier).</param>
    public static int Run(string outDir, bool keepSvm)
    {
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (CourseLayout.Default.MarkedFiles(root).Count == 0)
            throw new UsageException($"No file under {CourseLayout.Default.StudentCodeFolder} has solution markers ({SolutionMarkers.Start}); nothing to hand out.");
        var summary = Handout.Write(root, outDir, CourseLayout.Default, keepSvm);
        Console.WriteLine($"Wrote the student release to {outDir}: {summary.FilesWritten} files, {summary.FilesLeftOut} instructor-only files left out.");
        Console.WriteLine("Stubs (students complete these):");
        foreach (var stub in summary.Stubbed)
            Console.WriteLine("  " + stub);
        foreach (var kept in summary.KeptSolved)
            Console.WriteLine("  kept solved: " + kept);
        return Cli.Success;
    }
}
