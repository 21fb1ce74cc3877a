using System.Reflection;
using System.Runtime.Loader;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Execution;

/// <summary>
/// Loads DaseCV and its packages for <c>get-data</c> from lib/DaseCV's Release build folder. They are kept out
/// of the runner's own output and deps.json (see the .csproj) so that, during <c>run</c>, the notebook's
/// <c>#r "../lib/DaseCV.Notebook/bin/Release/net10.0/DaseCV.dll"</c> is the only copy the kernel can bind to.
/// </summary>
internal static class DaseCVLoader
{
    /// <summary>lib/DaseCV/bin/Release/net10.0/, recorded at build time.</summary>
    public static string BuildDirectory { get; } =
        typeof(DaseCVLoader).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "DaseCV.BuildDirectory").Value!;

    /// <summary>Runs <paramref name="command"/> with DaseCV resolvable from <see cref="BuildDirectory"/>.</summary>
    /// <exception cref="UsageException">The library has not been built.</exception>
    public static int Run(Func<int> command)
    {
        if (!File.Exists(Path.Combine(BuildDirectory, "DaseCV.dll")))
            throw new UsageException($"{Path.Combine(BuildDirectory, "DaseCV.dll")} does not exist; build it with `dotnet build lib/DaseCV -c Release`.");
        AssemblyLoadContext.Default.Resolving += Resolve;
        try
        {
            return command();
        }
        finally
        {
            AssemblyLoadContext.Default.Resolving -= Resolve;
        }
    }

    internal static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        var path = Path.Combine(BuildDirectory, name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
