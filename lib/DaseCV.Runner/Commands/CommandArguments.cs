using System.CommandLine;
using System.Globalization;

namespace DaseCV.Runner.Commands;

/// <summary>Argument conventions the command-line parser has no notion of.</summary>
internal static class CommandArguments
{
    /// <summary>The names of the parameter option.</summary>
    public static readonly string[] ParameterAliases = ["-p", "--parameter"];

    /// <summary>
    /// Rewrites papermill's two-token form <c>-p NAME VALUE</c> into <c>-p NAME=VALUE</c>, so that both forms
    /// reach the parser as one token. A <c>-p</c> whose next token has no '=' takes the token after it as the
    /// value, unless that one is an option (<c>--out</c>, <c>-h</c>; a negative number is a value).
    /// Everything after <c>--</c> is left alone.
    /// </summary>
    public static string[] JoinPapermillParameters(IReadOnlyList<string> args)
    {
        var joined = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            joined.Add(arg);
            if (arg == "--")
            {
                joined.AddRange(args.Skip(i + 1));
                break;
            }

            if (ParameterAliases.Contains(arg) && i + 2 < args.Count && !args[i + 1].Contains('=') && !IsOption(args[i + 1])
                && !IsOption(args[i + 2]))
            {
                joined.Add(args[i + 1] + "=" + args[i + 2]);
                i += 2;
            }
        }

        return [.. joined];
    }

    /// <summary>
    /// A per-cell time limit: seconds (<c>600</c>), or a number with a unit <c>s</c>, <c>m</c> or <c>h</c>
    /// (<c>90s</c>, <c>20m</c>, <c>1.5h</c>); <c>0</c>, <c>off</c> or <c>none</c> for no limit (null).
    /// </summary>
    /// <exception cref="FormatException">Anything else; the message names the value.</exception>
    public static TimeSpan? ParseTimeout(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value is "off" or "none")
            return null;
        var (number, unit) = value.Length > 0 && char.IsAsciiLetter(value[^1]) ? (value[..^1], value[^1]) : (value, 's');
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || !double.IsFinite(amount) || unit is not ('s' or 'm' or 'h'))
            throw new FormatException($"'{text}' is not a time limit; give seconds (600), 90s, 20m, 1.5h, or 0/off for none.");
        var seconds = amount * unit switch { 'h' => 3600, 'm' => 60, _ => 1 };
        if (seconds > TimeSpan.FromDays(1).TotalSeconds)
            throw new FormatException($"'{text}' is over a day; give a shorter limit, or 0/off for none.");
        return seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
    }

    private static bool IsOption(string token) =>
        token.StartsWith('-') && token.Length > 1 && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    /// <summary>An option given as <c>--name=</c> or <c>--name ""</c> is an error, not an empty value.</summary>
    /// <summary>
    /// <c>--exercise ID[,ID...]</c>, comma-separated or repeated, as handout, submit, grade and gradescope-bundle take it
    /// (<see cref="Coursework.CourseLayout.Choose"/> reads the ids).
    /// </summary>
    /// <param name="description">What the chosen exercises are for, and the default.</param>
    public static Option<string[]> Exercises(string description) => new("--exercise", "-e")
    {
        Description = description,
        HelpName = "ID[,ID...]",
        AllowMultipleArgumentsPerToken = true,
    };

    public static void NotBlank(Option<string> option) => option.Validators.Add(result =>
    {
        if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
            result.AddError($"{option.Name} needs a value.");
    });
}
