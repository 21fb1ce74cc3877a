using System.Globalization;
using System.Text.Json;
using DaseCV.Grader;
using DaseCV.Runner.IO;

// The trusted side of grading, started by `DaseCV.Runner grade`:
//   catalog                                the checks (id, name, points, visibility, kind) as JSON
//   serve SECONDS MB [--allow-unlimited]   one line of ServeStatus, then for each GradeRequest line on stdin (any
//                                          number at once) one GradeResponse line: the spliced library compiled by
//                                          the sandboxed compiler, every code check run in one sandboxed harness.
// This process never loads the student's code: it hands the compiled DLL to the harness and compares its replies.
var json = JsonFiles.Lines;
switch (args)
{
    case ["catalog"]:
        Console.WriteLine(JsonSerializer.Serialize(Catalog.All, json));
        return 0;
    case ["serve", var seconds, var megabytes, .. var flags]
        when double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
             && long.TryParse(megabytes, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb > 0
             && flags.All(f => f == "--allow-unlimited"):
        return await Serve.RunAsync(new Limits(TimeSpan.FromSeconds(s), mb << 20, AllowUnlimited: flags.Length > 0), json);
    default:
        Console.Error.WriteLine("usage: DaseCV.Grader catalog | serve TIME_LIMIT_SECONDS MEMORY_LIMIT_MB [--allow-unlimited] (started by `DaseCV.Runner grade`)");
        return 2;
}
