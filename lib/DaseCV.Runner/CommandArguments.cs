namespace DaseCV.Runner;

/// <summary>
/// The arguments after a command name: one notebook path, options that take a value (in order, repeats kept),
/// and whether help was asked for.
/// </summary>
internal sealed record CommandArguments(string? Notebook, IReadOnlyList<KeyValuePair<string, string>> Options, bool Help)
{
    /// <exception cref="UsageException">An unknown option, a missing value, or more than one notebook.</exception>
    public static CommandArguments Parse(string command, string[] args, params string[] valueOptions)
    {
        string? notebook = null;
        var options = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
                return new CommandArguments(notebook, options, Help: true);
            if (valueOptions.Contains(arg))
            {
                if (i + 1 >= args.Length)
                    throw new UsageException($"{command}: {arg} needs a value.");
                options.Add(new(arg, args[++i]));
            }
            else if (arg.StartsWith('-'))
                throw new UsageException($"{command}: unknown option '{arg}'.");
            else
                notebook = notebook is null ? arg : throw new UsageException($"{command} takes one notebook; got '{notebook}' and '{arg}'.");
        }

        return new CommandArguments(notebook, options, Help: false);
    }

    /// <summary>Values given for any of <paramref name="names"/>, in order.</summary>
    public IEnumerable<string> All(params string[] names) => Options.Where(o => names.Contains(o.Key)).Select(o => o.Value);

    /// <summary>The last value given for any of <paramref name="names"/>, or null.</summary>
    public string? Last(params string[] names) => All(names).LastOrDefault();
}
