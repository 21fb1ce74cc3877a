namespace DaseCV.Runner.Execution;

/// <summary>
/// Runtime variables the notebook's kernel process gets that no runtimeconfig can set (.vscode/settings.json gives VS
/// Code's kernel the same; a test keeps them equal). Linked into the benchmarks, whose fresh processes stand for it.
/// </summary>
/// <remarks>
/// The JIT recompiles a hot method fully optimized only after counting 30 calls, and starts counting 100 ms after the
/// last method it compiled for the first time, a pause that a cell running new code keeps putting off. Counting at
/// once: a notebook's first 1500-step training run took 1.33-1.41 s instead of 1.67-1.79 (steady state 1.15-1.29 s),
/// and the second dev-set loss of a fresh process 3-4 ms instead of 14-28 (with the runtimeconfig's TieredPGO off).
/// </remarks>
internal static class KernelRuntimeVariables
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["DOTNET_TC_CallCountingDelayMs"] = "0",
    };

    /// <summary>Adds <see cref="All"/> to <paramref name="environment"/>, leaving any the user set.</summary>
    public static void AddTo(IDictionary<string, string?> environment)
    {
        foreach (var (name, value) in All)
            if (Environment.GetEnvironmentVariable(name) is null) environment[name] = value;
    }
}
