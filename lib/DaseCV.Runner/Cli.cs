namespace DaseCV.Runner;

/// <summary>Command dispatch and help. Exit codes: 0 success, 1 a notebook cell failed, 2 bad usage or input.</summary>
internal static class Cli
{
    public const int Success = 0;
    public const int CellFailed = 1;
    public const int UsageError = 2;

    public const string HelpText = """
        DaseCV.Runner: run a C# Polyglot notebook headless and hand it in as one HTML file.

        Usage:
          dotnet run --project lib/DaseCV.Runner -- run NOTEBOOK.ipynb [--out DIR] [-p NAME=VALUE]...
          dotnet run --project lib/DaseCV.Runner -- export EXECUTED.ipynb [--out FILE.html]
          dotnet run --project lib/DaseCV.Runner -- get-data [options]      (see: get-data --help)
          dotnet run --project lib/DaseCV.Runner -- handout --out DIR [--keep-svm]
          dotnet run --project lib/DaseCV.Runner -- submit [--out FILE.zip] [--executed NOTEBOOK.ipynb] [-p NAME=VALUE]...
          dotnet run --project lib/DaseCV.Runner -- grade SUBMISSION [--out DIR] [--work DIR] [--time-limit S] [--memory-limit MB]
          dotnet run --project lib/DaseCV.Runner -- gradescope-bundle [--out autograder.zip]
          dotnet run --project lib/DaseCV.Runner -- --help

        run     Executes every code cell in order, in process, on the .NET Interactive C# kernel
                (1.0.0-beta.26120.1, as VS Code Polyglot Notebooks; #r "nuget:..." works), with the
                notebook's folder as current directory. Writes DIR/NAME.ipynb (executed, nbformat 4.5)
                and DIR/NAME.html (self-contained). DIR defaults to artifacts/.
                Stops at the first failing cell, still writes both files with the error in place,
                prints the cell number and error, and exits 1.
          -p NAME=VALUE  Overrides a variable declared in the cell tagged "parameters" (papermill
                convention): a cell setting it is inserted right after that cell. VALUE is typed as a
                C# literal: numbers and true/false as they are, anything else as a string
                (-p dataset=synthetic -p numIters=200 -p learningRate=1e-7).
          --out DIR      Output folder.

        export  Turns an executed notebook (from run, or saved by VS Code) into the same HTML,
                without running it. Writes FILE.html (default: next to the notebook).

        get-data  Downloads and checks the CIFAR-10 data set.

        Coursework (see README, "For instructors"):
        handout   Writes the student release to DIR (new or empty): solutions between the START/END OF YOUR
                  CODE markers replaced by stubs that throw NotImplementedException, answers blanked, outputs
                  cleared, instructor-only files left out. --keep-svm keeps SvmLoss and LinearClassifier solved.
        submit    Runs the notebook (or takes --executed, run top to bottom in VS Code) and writes one zip
                  (default artifacts/submission.zip): executed notebook, its HTML with the student's code as an
                  appendix, and the files with marked regions. Refuses while a stub remains or a cell failed.
        grade     Builds the submission (zip or folder) in a scratch copy (--work, reused across gradings) and
                  runs each check in its own process (--time-limit per check, default 60 s; --memory-limit,
                  default 2048 MB). Writes DIR/results.json (Gradescope format) and DIR/report.html
                  (default artifacts/grade/).
        gradescope-bundle  Writes Gradescope's autograder zip (setup.sh, run_autograder, grading sources).

        Exit codes: 0 success, 1 a cell failed, 2 bad arguments or unreadable notebook.
        """;

    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help" or "-?")
        {
            Console.WriteLine(HelpText);
            return args.Length == 0 ? UsageError : Success;
        }

        try
        {
            return args[0] switch
            {
                "run" => await RunCommand.RunAsync(args[1..]),
                "export" => ExportCommand.Run(args[1..]),
                // get-data lives in its own class so that `run` never loads DaseCV into the runner.
                "get-data" => DaseCVLoader.Run(() => GetDataCommand.Run(args[1..])),
                "handout" => Coursework.HandoutCommand.Run(args[1..]),
                "submit" => await Coursework.SubmitCommand.RunAsync(args[1..]),
                "grade" => await Coursework.GradeCommand.RunAsync(args[1..]),
                "gradescope-bundle" => Coursework.GradescopeBundleCommand.Run(args[1..]),
                _ => throw new UsageException($"Unknown command '{args[0]}'. Commands: run, export, get-data, handout, submit, grade, gradescope-bundle, --help."),
            };
        }
        catch (Exception e) when (e is UsageException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (e is UsageException)
                Console.Error.WriteLine("Run with --help for usage.");
            return UsageError;
        }
    }
}
