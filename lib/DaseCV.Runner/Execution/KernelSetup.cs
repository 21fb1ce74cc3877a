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
}
