using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace DaseCV.Notebook;

/// <summary>The code that touches the kernel's display types, kept apart so the rest of Notebook/ runs anywhere.</summary>
/// <remarks>
/// The .NET Interactive assemblies are compile-time references only (<c>ExcludeAssets="runtime"</c>): the kernel
/// provides them, a test host does not. The runtime resolves them when a method that uses them is compiled, so
/// they stay inside non-inlined methods called through <see cref="RequireKernel{T}"/>, which turns the missing
/// assembly into an error that says what is needed.
/// </remarks>
internal static class KernelDisplay
{
    /// <summary>A function whose first call displays a plain-text value in the running cell and whose later calls replace it.</summary>
    public static Action<string> ShowUpdatable() => RequireKernel(ShowUpdatableInKernel);

    /// <summary>Runs <paramref name="action"/>, which uses the kernel's types, with a clear error outside a kernel.</summary>
    public static T RequireKernel<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (FileNotFoundException e) when (e.FileName?.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException(
                "This needs the .NET Interactive kernel (a Polyglot notebook in VS Code, dotnet-repl or the DaseCV runner); " +
                $"{e.FileName} is not loaded in this process.", e);
        }
    }

    /// <summary>
    /// In a notebook kernel, makes every later cell of this kernel fail at once with <paramref name="message"/>
    /// (a kernel middleware on code submissions; completions and hovers pass). Outside a kernel it does nothing.
    /// </summary>
    public static void StopLaterCellsIfInKernel(string message)
    {
        try
        {
            StopLaterCells(message);
        }
        catch (FileNotFoundException e) when (e.FileName?.StartsWith("Microsoft.DotNet.Interactive", StringComparison.Ordinal) == true)
        {
            // Not in a kernel (a test host): there are no later cells.
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StopLaterCells(string message)
    {
        if (KernelInvocationContext.Current?.HandlingKernel is not { } kernel) return;
        kernel.AddMiddleware(async (command, context, next) =>
        {
            if (command is Microsoft.DotNet.Interactive.Commands.SubmitCode)
                context.Fail(command, new LibraryChangedException(message), message);
            else
                await next(command, context);
        }, nameof(LoadedLibrary));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Action<string> ShowUpdatableInKernel()
    {
        // Captured now, on the cell's thread: later calls may come from worker threads (Parallel.ForEach, a download).
        var context = KernelInvocationContext.Current
            ?? throw new InvalidOperationException("No notebook cell is running: a progress display belongs to the cell that creates it.");
        DisplayedValue? displayed = null;
        return text =>
        {
            // Not the kernel's obj.Display() extension: the DisplayedValue it returns sends its updates under another
            // value id than the output it produced (Microsoft.DotNet.Interactive 1.0.712001), so VS Code shows a frozen
            // first line above a second, live one. The context's Display keeps one id for the output and its updates.
            if (displayed is null) displayed = KernelInvocationContextExtensions.Display(context, text, PlainTextFormatter.MimeType);
            else displayed.Update(text);
        };
    }
}
