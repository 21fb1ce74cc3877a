using System.Globalization;
using System.Text.Json;
using DaseCV.Grader;

// The trusted side of grading, started by `DaseCV.Runner grade`:
//   catalog                       the checks (id, name, points, visibility, kind) as JSON
//   check STUDENT_DLL SECONDS MB  runs every code check on the student's compiled DaseCV.dll, each in its own
//                                 sandboxed harness, and prints {"sandbox": ..., "outcomes": [...]} as JSON.
// This process never loads the student's DLL: it copies it into the sandbox's folder and talks to the harness.
var json = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
switch (args)
{
    case ["catalog"]:
        Console.WriteLine(JsonSerializer.Serialize(Catalog.All, json));
        return 0;
    case ["check", var studentDll, var seconds, var megabytes]
        when File.Exists(studentDll)
             && double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
             && long.TryParse(megabytes, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb > 0:
    {
        var limits = new Limits(TimeSpan.FromSeconds(s), mb << 20, 1L << 20);
        var parent = Path.GetTempPath();
        var checkFolder = Sandbox.PrepareCheckFolder(parent, studentDll);
        try
        {
            var sandbox = Sandbox.Detect(checkFolder);
            if (!sandbox.IsIsolated && Environment.GetEnvironmentVariable("DASECV_GRADE_REQUIRE_SANDBOX") == "1")
            {
                Console.Error.WriteLine($"DASECV_GRADE_REQUIRE_SANDBOX=1 but the sandbox is {sandbox.Description}");
                return 3;
            }

            var checks = new Checks(sandbox, checkFolder, limits);
            var outcomes = new List<CheckVerdict>();
            foreach (var check in Catalog.All.Where(c => c.Kind == "code"))
                outcomes.Add(await checks.RunAsync(check));
            Console.WriteLine(JsonSerializer.Serialize(new GraderReport(sandbox.Description, sandbox.IsIsolated, outcomes), json));
            return 0;
        }
        finally
        {
            Directory.Delete(checkFolder, recursive: true);
        }
    }
    default:
        Console.Error.WriteLine("usage: DaseCV.Grader catalog | check STUDENT_DLL TIME_LIMIT_SECONDS MEMORY_LIMIT_MB (started by `DaseCV.Runner grade`)");
        return 2;
}
