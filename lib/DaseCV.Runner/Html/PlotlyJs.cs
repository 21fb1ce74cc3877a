using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace DaseCV.Runner.Html;

/// <summary>
/// plotly.js 2.28.0 as shipped inside the Plotly.NET 6.0.0 package. The package DLL is embedded in the runner
/// as an opaque resource (see the .csproj); its own manifest resource is read here with
/// <see cref="PEReader"/>, so Plotly.NET's code and its FSharp.Core 10.1 are never loaded.
/// </summary>
internal static class PlotlyJs
{
    public const string Version = "2.28.0";
    private const string PackageResource = "DaseCV.Runner.Plotly.NET.dll";
    private const string ScriptResource = "Plotly.NET.plotly-" + Version + ".min.js";

    private static readonly Lazy<string> Script = new(Load);

    /// <summary>The minified plotly.js source.</summary>
    public static string Source => Script.Value;

    private static string Load()
    {
        using var dll = typeof(PlotlyJs).Assembly.GetManifestResourceStream(PackageResource)
            ?? throw new InvalidOperationException(
                $"The runner was built without {PackageResource}; restore must download Plotly.NET 6.0.0 (PackageDownload).");
        return ReadManifestResource(dll, ScriptResource);
    }

    /// <summary>Reads an embedded manifest resource of a .NET assembly image without loading the assembly.</summary>
    /// <exception cref="InvalidDataException">The image has no such resource.</exception>
    public static string ReadManifestResource(Stream assemblyImage, string resourceName)
    {
        using var pe = new PEReader(assemblyImage, PEStreamOptions.PrefetchEntireImage);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != resourceName)
                continue;

            // Embedded resources live in the CLI resources directory: a 4-byte length, then the bytes.
            var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            var length = reader.ReadInt32();
            return Encoding.UTF8.GetString(reader.ReadBytes(length));
        }

        throw new InvalidDataException($"The assembly image has no embedded resource '{resourceName}'.");
    }
}
