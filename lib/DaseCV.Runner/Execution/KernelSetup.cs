using System.Linq.Expressions;
using System.Reactive.Disposables;
using System.Reflection;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Formatting.Csv;
using Microsoft.DotNet.Interactive.Formatting.TabularData;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace DaseCV.Runner.Execution;

/// <summary>
/// Builds the C# kernel the way the final .NET Interactive tool (1.0.712001, the one VS Code Polyglot Notebooks
/// starts) builds it in <c>KernelBuilder.CreateKernel</c>: a <see cref="CompositeKernel"/> holding
/// <c>new CSharpKernel().UseNugetDirective().UseKernelHelpers().UseWho().UseValueSharing()</c> under the aliases
/// c# and C#, and the browser front end's formatter defaults (HTML by default, strings as plain text).
/// The other languages, connection directives, telemetry and secret store are left out: the course notebook is C#.
/// </summary>
internal static class KernelSetup
{
    public const string CSharpKernelName = "csharp";

    /// <summary>Creates the kernel; formatter defaults are process-wide, as in the real kernel.</summary>
    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel()
            // The tool's own UseNugetDirective for C#: restored assemblies become script references.
            .UseNugetDirective((kernel, resolved) =>
            {
                kernel.AddAssemblyReferences(resolved.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            }, forceRestore: false)
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();

        var composite = new CompositeKernel();
        composite.Add(csharp, ["c#", "C#"]);
        composite.DefaultKernelName = CSharpKernelName;

        UseBrowserFormatterDefaults();
        return composite;
    }

    /// <summary>What <c>KernelBuilder.SetUpFormatters</c> does for a browser front end such as VS Code.</summary>
    public static void UseBrowserFormatterDefaults()
    {
        Formatter.ResetToDefault();
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(TabularDataResource), HtmlFormatter.MimeType, CsvFormatter.MimeType);
    }

    /// <summary>
    /// Keeps the kernel's console capture installed for the whole run and puts a router in front of it that sends
    /// what the kernel would lose to <paramref name="late"/>. The kernel routes
    /// each console write to the command whose async flow it comes from; a write from a flow whose command has
    /// ended (a background task printing after its cell returned) gets a fresh writer nobody listens to, and is
    /// lost. The router sends writes from flows the kernel no longer listens to elsewhere. The kernel's types are
    /// internal, so they are found by reflection; a kernel that renames them leaves late output lost (a test shows it).
    /// </summary>
    /// <param name="late">Receives each write the kernel would lose: stream name, the writing flow's console context
    /// (null for none), text.</param>
    /// <param name="live">Told the console context of each write the kernel takes (the running cell's).</param>
    /// <returns>Undoes it: the kernel then restores the console it found.</returns>
    public static IDisposable KeepConsoleCapture(Action<string, int?, string> late, Action<int> live)
    {
        const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        var assembly = typeof(Kernel).Assembly;
        var consoleOutput = assembly.GetType("Microsoft.DotNet.Interactive.Utility.ConsoleOutput");
        var contextId = assembly.GetType("Microsoft.DotNet.Interactive.Utility.AsyncContext")?.GetProperty("Id", Static);
        if (consoleOutput?.GetMethod("Subscribe", Static) is not { } subscribe || contextId is null ||
            subscribe.GetParameters() is not [{ ParameterType: { IsGenericType: true } callback }])
            return Disposable.Empty;
        var ignore = Expression.Lambda(callback, Expression.Constant(Disposable.Empty, typeof(IDisposable)),
                                       Expression.Parameter(callback.GetGenericArguments()[0])).Compile();

        // Subscribed in a flow of its own: the subscription marks its async flow as a console context, and were that
        // the runner's flow, every cell (sent from it) would write into this ignored context instead of its own.
        Task<IDisposable> subscribing;
        using (ExecutionContext.SuppressFlow())
            subscribing = Task.Run(() => (IDisposable)subscribe.Invoke(null, [ignore])!);
        var subscription = subscribing.GetAwaiter().GetResult();

        TextWriter? Router(string field, string stream)
        {
            var multiplexer = consoleOutput.GetField(field, Static)?.GetValue(null) as TextWriter;
            var writers = multiplexer?.GetType().GetField("_writers", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(multiplexer)
                as System.Collections.IDictionary;
            if (multiplexer is null || writers is null)
                return null;
            return new ConsoleRouter(multiplexer, text =>
            {
                var id = contextId.GetValue(null) as int?;
                if (id is { } listened && writers.Contains(listened))
                {
                    live(listened);
                    return true;
                }

                late(stream, id, text);
                return false;
            });
        }

        var (previousOut, previousError) = (Console.Out, Console.Error);
        if (Router("_multiplexingOutputWriter", "stdout") is { } outRouter)
            Console.SetOut(outRouter);
        if (Router("_multiplexingErrorWriter", "stderr") is { } errorRouter)
            Console.SetError(errorRouter);
        return Disposable.Create(() =>
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            subscription.Dispose();
        });
    }

    /// <summary>
    /// Passes a console write on to the kernel's capture when <c>takes</c> says the kernel listens to the writing
    /// flow; otherwise <c>takes</c> has already sent the text elsewhere.
    /// </summary>
    private sealed class ConsoleRouter(TextWriter kernel, Func<string, bool> takes) : TextWriter
    {
        public override System.Text.Encoding Encoding => kernel.Encoding;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

        public override void Write(string? value)
        {
            if (!string.IsNullOrEmpty(value) && takes(value))
                kernel.Write(value);
        }

        public override void WriteLine(string? value) => Write(value + NewLine);

        public override void WriteLine() => Write(NewLine);

        public override void Flush() => kernel.Flush();
    }
}
