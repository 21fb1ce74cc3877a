using System.CommandLine;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Commands;

/// <summary><c>handout --out DIR [--exercise knn,svm]</c>: writes the student release of this repository, of every exercise or the chosen ones.</summary>
internal static class HandoutCommand
{
    /// <summary>The command for the runner's parser; its action calls <see cref="Run(string, IReadOnlyList{string})"/>.</summary>
    public static Command CommandLine()
    {
        var outDir = new Option<string>("--out", "-o") { Description = "A new or empty folder for the release.", HelpName = "DIR", Required = true };
        var exercises = CommandArguments.Exercises($"The exercises to release, comma-separated or repeated ({string.Join(", ", CourseLayout.Default.Exercises.Select(e => e.Id))}) [default: all].");
        var command = new Command("handout", "Write the student release from git's tracked files: solutions replaced by stubs, answers blanked, instructor files left out, the student README.")
        {
            outDir, exercises,
        };
        command.SetAction(result => Run(result.GetRequiredValue(outDir), result.GetValue(exercises) ?? []));
        return command;
    }

    /// <summary>The command with parsed values.</summary>
    /// <param name="outDir">A new or empty folder.</param>
    /// <param name="exercises">Exercise ids (comma-separated lists allowed); none releases every exercise.</param>
    public static int Run(string outDir, IReadOnlyList<string> exercises)
    {
        var chosen = CourseLayout.Default.Choose(exercises);
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        if (CourseLayout.Default.MarkedFiles(root).Count == 0)
            throw new UsageException($"No file under {CourseLayout.Default.StudentCodeFolder} has solution markers ({SolutionMarkers.Start}); nothing to hand out.");
        var summary = Handout.Write(root, outDir, CourseLayout.Default, chosen);
        Console.WriteLine($"Wrote the student release of {string.Join(", ", summary.Exercises)} to {outDir}: {summary.FilesWritten} files, {summary.FilesLeftOut} instructor-only files left out (only files git tracks are considered).");
        Console.WriteLine("Stubs (students complete these):");
        foreach (var stub in summary.Stubbed)
            Console.WriteLine("  " + stub);
        foreach (var kept in summary.KeptSolved)
            Console.WriteLine("  kept solved: " + kept);
        foreach (var withheld in summary.Withheld)
            Console.WriteLine("  withheld (an exercise not released, stubbed): " + withheld);
        return ExitCode.Success;
    }
}
