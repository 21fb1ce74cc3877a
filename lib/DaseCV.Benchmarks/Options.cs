namespace DaseCV.Benchmarks;

/// <summary>Minimal <c>--name value</c> / <c>--flag</c> parsing for the bench commands.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> _named = new(StringComparer.Ordinal);

    /// <summary>Arguments that are not options, in order.</summary>
    public List<string> Positional { get; } = [];

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (int k = 0; k < args.Length; k++)
        {
            if (!args[k].StartsWith("--", StringComparison.Ordinal)) options.Positional.Add(args[k]);
            else if (k + 1 < args.Length && !args[k + 1].StartsWith("--", StringComparison.Ordinal)) options._named[args[k]] = args[++k];
            else options._named[args[k]] = null;
        }
        return options;
    }

    public string Get(string name, string fallback) => _named.TryGetValue(name, out var v) && v is not null ? v : fallback;

    public bool Has(string name) => _named.ContainsKey(name);
}
