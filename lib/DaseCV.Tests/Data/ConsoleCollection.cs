namespace DaseCV.Tests.Data;

/// <summary>Tests that redirect Console.Error run alone, so other tests' output does not mix in.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console redirection";

    /// <summary>Runs <paramref name="action"/> and returns what it wrote to stderr.</summary>
    public static string CaptureStandardError(Action action)
    {
        var original = Console.Error;
        var writer = new StringWriter();
        Console.SetError(writer);
        try
        {
            action();
        }
        finally
        {
            Console.SetError(original);
        }
        return writer.ToString();
    }
}
