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
                _ => throw new UsageException($"Unknown command '{args[0]}'. Commands: run, export, get-data, --help."),
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
