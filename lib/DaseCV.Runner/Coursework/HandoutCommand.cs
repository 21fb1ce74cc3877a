namespace DaseCV.Runner.Coursework;

/// <summary><c>handout --out DIR [--keep-svm]</c>: writes the student release of this repository.</summary>
internal static class HandoutCommand
{
    public const string Usage = "handout --out DIR [--keep-svm]";

    /// <summary>Parses the command's arguments (the current Cli's style) and calls <see cref="Run(string, bool)"/>.</summary>
    public static int Run(string[] args)
    {
        var keepSvm = args.Contains("--keep-svm");
        var parsed = CommandArguments.Parse("handout", args.Where(a => a != "--keep-svm").ToArray(), "--out", "-o");
        if (parsed.Help)
        {
            Console.WriteLine(Cli.HelpText);
            return Cli.Success;
        }

        if (parsed.Notebook is not null)
            throw new UsageException($"handout takes no positional argument (got '{parsed.Notebook}'): {Usage}");
        return Run(parsed.Last("--out", "-o") ?? throw new UsageException($"handout needs --out DIR: {Usage}"), keepSvm);
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
