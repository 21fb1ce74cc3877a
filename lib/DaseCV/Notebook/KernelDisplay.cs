using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive.Formatting;

namespace DaseCV.Notebook;

/// <summary>The only code that touches the kernel's display types, kept apart so the rest of Notebook/ runs anywhere.</summary>
/// <remarks>
/// The .NET Interactive assemblies are compile-time references only (<c>ExcludeAssets="runtime"</c>): the kernel
/// provides them, a test host does not. The runtime resolves them when a method that uses them is compiled, so
/// they stay inside these non-inlined methods, which only notebook cells reach.
/// </remarks>
internal static class KernelDisplay
{
    /// <summary>A function whose first call displays a plain-text value in the running cell and whose later calls replace it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Action<string> ShowUpdatable()
    {
        DisplayedValue? displayed = null;
        return text =>
        {
            if (displayed is null) displayed = text.Display(PlainTextFormatter.MimeType);
            else displayed.Update(text);
        };
    }
}
