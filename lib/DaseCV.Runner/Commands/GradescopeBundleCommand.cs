using System.CommandLine;
using System.IO.Compression;
using System.Text;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Coursework.Grading;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Commands;

/// <summary>
/// <c>gradescope-bundle --out autograder.zip [--exercise ID,...]</c>: Gradescope's autograder bundle for the whole
/// assignment or the exercises of one release (a Gradescope assignment each). <c>setup.sh</c> installs the .NET 10
/// SDK and bubblewrap when the image lacks them, builds the runner (which builds the grader and its sandbox harness)
/// and grades the solution once as a self-test; <c>run_autograder</c>
/// grades /autograder/submission into /autograder/results/results.json. The retraining checks' CIFAR-10 subset is in the
/// bundle's <c>data/</c>, where <c>grade</c> looks by default. AUTOGRADER_ROOT replaces /autograder (tests).
/// </summary>
internal static class GradescopeBundleCommand
{
    // What grading needs from the repository: its root marker and build settings, the library (the reference), its support
    // projects, the grader, the runner (the grade command) and the exercises' notebooks (the answers' layout).
    private static readonly string[] BundledFiles = ["DaseCV.slnx", "Directory.Build.props", "Directory.Packages.props", "global.json", "nuget.config"];
    private static readonly string[] BundledFolders = ["lib/DaseCV", "lib/DaseCV.LinearAlgebra", "lib/DaseCV.Datasets", "lib/DaseCV.Grader", "lib/DaseCV.Runner"];

    public const string SetupScript = """
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
        set -euo pipefail
        cd "$(dirname "$0")"
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
        if ! command -v bwrap >/dev/null; then
          # The sandbox for student code; without it grading still works, unisolated, and results.json says so.
          apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null || true
        fi
        if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
          apt-get update -qq
          DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl ca-certificates libicu-dev >/dev/null
          curl -fsSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
          bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet
          ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
        fi
        dotnet build lib/DaseCV.Runner -c Release -nologo -v q
        # Grade the solution itself once: a self-test of the image (full marks expected).
        # A container is its own limit: where it gives no cgroup, --allow-unlimited grades within the container's.
        dotnet lib/DaseCV.Runner/bin/Release/net10.0/DaseCV.Runner.dll grade . --one --allow-unlimited --out "$ROOT/setup-check"{EXERCISES}
        # Where bwrap cannot run (no user namespaces in the container), student code runs as an unprivileged uid:
        # the solution, the grader and their builds must then be unreadable to it.
        chmod -R go-rwx "$(pwd)" "$ROOT/setup-check"
        """;

    public const string RunScript = """
        #!/usr/bin/env bash
        # Gradescope runs this for every submission: /autograder/submission in, /autograder/results/results.json out.
        # AUTOGRADER_ROOT and DASECV_RUNNER (the runner's DLL) let tests map them.
        set -uo pipefail
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        RUNNER="${DASECV_RUNNER:-lib/DaseCV.Runner/bin/Release/net10.0/DaseCV.Runner.dll}"
        export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
        cd "$ROOT/source"
        mkdir -p "$ROOT/results"
        dotnet "$RUNNER" grade "$ROOT/submission" --one --allow-unlimited --skip-self-test --out "$ROOT/results"{EXERCISES}
        status=$?
        if [ ! -s "$ROOT/results/results.json" ]; then
          # The grader itself failed: still give Gradescope a result it can show.
          printf '{"score": 0, "output": "The autograder failed (exit code %s); please contact the course staff.", "tests": []}\n' "$status" \
            > "$ROOT/results/results.json"
        fi
        """;

    /// <summary>The command for the runner's parser; its action calls <see cref="Run(string, IReadOnlyList{string}, string?)"/>.</summary>
    public static Command CommandLine()
    {
        var outFile = new Option<string>("--out", "-o") { Description = "The bundle to write [default: artifacts/autograder.zip].", HelpName = "FILE.zip" };
        var exercises = CommandArguments.Exercises("The exercises this Gradescope assignment grades, comma-separated or repeated [default: every exercise the grader has checks for].");
        var dataDir = new Option<string?>("--data-dir") { Description = "CIFAR-10, from which the retraining checks' subset is drawn into the bundle [default: the repository's data/].", HelpName = "DIR" };
        var command = new Command("gradescope-bundle", "Write Gradescope's autograder bundle (setup.sh, run_autograder, the grading sources).") { outFile, exercises, dataDir };
        command.SetAction(result => Run(result.GetValue(outFile) ?? "artifacts/autograder.zip", result.GetValue(exercises) ?? [], result.GetValue(dataDir)));
        return command;
    }

    /// <summary>The command with parsed values: writes the bundle to <paramref name="outFile"/>.</summary>
    /// <param name="exercises">Exercise ids (comma-separated lists allowed) the bundle grades; none grades every exercise the grader has checks for.</param>
    /// <param name="dataDir">CIFAR-10 for the retraining subset; null for the repository's data/.</param>
    public static int Run(string outFile, IReadOnlyList<string> exercises, string? dataDir = null)
    {
        var root = CourseLayout.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var count = Write(root, CourseLayout.Default, outFile, exercises.Count == 0 ? null : CourseLayout.Default.Choose(exercises), dataDir);
        Console.WriteLine($"Wrote {outFile} ({count} files). Upload it as the assignment's autograder on Gradescope.");
        return ExitCode.Success;
    }

    /// <summary>The scripts' <c>grade</c> option for <paramref name="exercises"/>: none for every exercise.</summary>
    internal static string Script(string script, IReadOnlyList<Exercise>? exercises) =>
        script.Replace("{EXERCISES}", exercises is null ? "" : " --exercise " + string.Join(',', exercises.Select(e => e.Id)), StringComparison.Ordinal);

    /// <summary>Writes the bundle; returns the number of files in it.</summary>
    /// <param name="exercises">The exercises it grades; null for every exercise the grader has checks for.</param>
    /// <param name="dataDir">CIFAR-10 (or the subset itself) for the retraining checks: the bundle's <c>data/</c> holds the subset, where <c>grade</c> finds it by default.</param>
    /// <exception cref="UsageException">The bundle grades a retraining check and no CIFAR-10 was found; nothing is written.</exception>
    public static int Write(string repositoryRoot, CourseLayout layout, string outFile, IReadOnlyList<Exercise>? exercises = null, string? dataDir = null)
    {
        var zipPath = Path.GetFullPath(outFile);
        var work = Directory.CreateTempSubdirectory("dasecv-bundle-").FullName;
        try
        {
            return WriteZip(repositoryRoot, layout, zipPath, exercises, Subset(repositoryRoot, layout, exercises, dataDir, work));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The subset's batches folder when the bundle grades a retraining check, else null.</summary>
    private static string? Subset(string repositoryRoot, CourseLayout layout, IReadOnlyList<Exercise>? exercises, string? dataDir, string work)
    {
        if (!(exercises ?? layout.Exercises).Any(e => e.ChoiceCells.Count > 0))
            return null;
        try
        {
            return Path.Combine(TuningData.Prepare(dataDir ?? Path.Combine(repositoryRoot, "data"), work), "cifar-10-batches-bin");
        }
        catch (InfrastructureException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int WriteZip(string repositoryRoot, CourseLayout layout, string zipPath, IReadOnlyList<Exercise>? exercises, string? subset)
    {
        var count = 0;
        // Through a temporary file and a rename (AtomicFile): a failed write never leaves a partial zip.
        AtomicFile.Write(zipPath, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);

            void AddText(string name, string text, bool executable)
            {
                var entry = zip.CreateEntry(name);
                // Unix permissions in the upper 16 bits: rwxr-xr-x for the scripts, rw-r--r-- otherwise.
                entry.ExternalAttributes = (executable ? 0b1000_000_111_101_101 : 0b1000_000_110_100_100) << 16;
                using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
                writer.Write(text.ReplaceLineEndings("\n") + "\n");
                count++;
            }

            void AddFile(string relative)
            {
                var entry = zip.CreateEntryFromFile(Path.Combine(repositoryRoot, relative), relative);
                entry.ExternalAttributes = 0b1000_000_110_100_100 << 16;
                count++;
            }

            AddText("setup.sh", Script(SetupScript, exercises), executable: true);
            AddText("run_autograder", Script(RunScript, exercises), executable: true);
            foreach (var file in BundledFiles.Where(f => File.Exists(Path.Combine(repositoryRoot, f))))
                AddFile(file);
            foreach (var exercise in layout.Exercises)
                AddFile(exercise.Notebook);
            foreach (var file in subset is null ? [] : Directory.EnumerateFiles(subset).Order(StringComparer.Ordinal).ToArray())
            {
                zip.CreateEntryFromFile(file, "data/cifar-10-batches-bin/" + Path.GetFileName(file)).ExternalAttributes = 0b1000_000_110_100_100 << 16;
                count++;
            }

            foreach (var folder in BundledFolders)
                foreach (var file in Directory.EnumerateFiles(Path.Combine(repositoryRoot, folder), "*", SearchOption.AllDirectories))
                {
                    var relative = CourseLayout.ToRelative(repositoryRoot, file);
                    if (!CourseLayout.IsBuildOutput(relative))
                        AddFile(relative);
                }
        });
        return count;
    }
}
