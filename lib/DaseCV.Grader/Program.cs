using System.Text.Json;
using DaseCV.Grader;
using DaseCV.Runner.Coursework.Grading;

// run CHECK_ID REFERENCE_DLL: runs one check on the student's library and reports on stdout as the line
// "<nonce> {json}". The nonce comes on stdin, read before any student code runs, so what the student's code prints
// cannot pass for a result; the parent process writes the results, never this one.
if (args is not ["run", var id, var referenceDll])
{
    Console.Error.WriteLine("usage: DaseCV.Grader run CHECK_ID REFERENCE_DLL (started by `DaseCV.Runner grade`)");
    return 2;
}

var nonce = Console.In.ReadLine() ?? "";
Console.SetIn(TextReader.Null);
var results = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };

CheckOutcome outcome;
if (CheckCatalog.Find(id) is not { RunsStudentCode: true })
    outcome = new CheckOutcome(0, $"unknown check '{id}'");
else
{
    try
    {
        var reference = ReferenceLibrary.Load(referenceDll);
        outcome = Checks.Run(id, reference);
    }
    catch (Exception e)
    {
        outcome = CheckOutcome.FromException(e);
    }
}

Console.Out.Flush();
results.WriteLine();
results.WriteLine(nonce + " " + JsonSerializer.Serialize(outcome));
return 0;
