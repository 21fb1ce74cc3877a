using System.Net;
using System.Text;

namespace DaseCV.Runner.Html;

/// <summary>
/// Renders the LaTeX of notebook math as styled HTML text (Unicode symbols, sub/superscripts, stacked fractions),
/// so that formulas read well in a file that may not load MathJax from the network. Unknown commands are shown
/// by name rather than dropped.
/// </summary>
internal static class LatexText
{
    private static readonly Dictionary<string, string> Symbols = new()
    {
        ["alpha"] = "α", ["beta"] = "β", ["gamma"] = "γ", ["delta"] = "δ", ["epsilon"] = "ϵ", ["varepsilon"] = "ε",
        ["zeta"] = "ζ", ["eta"] = "η", ["theta"] = "θ", ["vartheta"] = "ϑ", ["iota"] = "ι", ["kappa"] = "κ",
        ["lambda"] = "λ", ["mu"] = "μ", ["nu"] = "ν", ["xi"] = "ξ", ["pi"] = "π", ["rho"] = "ρ", ["sigma"] = "σ",
        ["tau"] = "τ", ["upsilon"] = "υ", ["phi"] = "ϕ", ["varphi"] = "φ", ["chi"] = "χ", ["psi"] = "ψ", ["omega"] = "ω",
        ["Gamma"] = "Γ", ["Delta"] = "Δ", ["Theta"] = "Θ", ["Lambda"] = "Λ", ["Xi"] = "Ξ", ["Pi"] = "Π", ["Sigma"] = "Σ",
        ["Upsilon"] = "Υ", ["Phi"] = "Φ", ["Psi"] = "Ψ", ["Omega"] = "Ω",
        ["sum"] = "∑", ["prod"] = "∏", ["int"] = "∫", ["partial"] = "∂", ["nabla"] = "∇", ["infty"] = "∞",
        ["cdot"] = "·", ["times"] = "×", ["div"] = "÷", ["pm"] = "±", ["mp"] = "∓", ["ast"] = "∗", ["circ"] = "∘",
        ["le"] = "≤", ["leq"] = "≤", ["ge"] = "≥", ["geq"] = "≥", ["ne"] = "≠", ["neq"] = "≠", ["approx"] = "≈",
        ["sim"] = "∼", ["equiv"] = "≡", ["propto"] = "∝", ["ll"] = "≪", ["gg"] = "≫",
        ["in"] = "∈", ["notin"] = "∉", ["subset"] = "⊂", ["subseteq"] = "⊆", ["cup"] = "∪", ["cap"] = "∩",
        ["forall"] = "∀", ["exists"] = "∃", ["neg"] = "¬", ["land"] = "∧", ["lor"] = "∨",
        ["to"] = "→", ["rightarrow"] = "→", ["leftarrow"] = "←", ["Rightarrow"] = "⇒", ["Leftarrow"] = "⇐",
        ["Leftrightarrow"] = "⇔", ["iff"] = "⇔", ["mapsto"] = "↦", ["implies"] = "⇒",
        ["ldots"] = "…", ["dots"] = "…", ["cdots"] = "⋯", ["vdots"] = "⋮", ["ddots"] = "⋱",
        ["top"] = "⊤", ["intercal"] = "⊺", ["prime"] = "′", ["ell"] = "ℓ", ["emptyset"] = "∅",
        ["langle"] = "⟨", ["rangle"] = "⟩", ["lVert"] = "‖", ["rVert"] = "‖", ["Vert"] = "‖", ["|"] = "‖",
        ["lvert"] = "|", ["rvert"] = "|", ["vert"] = "|", ["mid"] = "∣",
        ["lfloor"] = "⌊", ["rfloor"] = "⌋", ["lceil"] = "⌈", ["rceil"] = "⌉",
        ["{"] = "{", ["}"] = "}", ["_"] = "_", ["%"] = "%", ["#"] = "#", ["$"] = "$", ["&"] = "&",
        ["quad"] = "\u2003", ["qquad"] = "\u2003\u2003", [","] = "\u2009", [";"] = "\u2005", [":"] = "\u2005",
        [" "] = " ", ["!"] = "",
        ["log"] = "log", ["ln"] = "ln", ["exp"] = "exp", ["max"] = "max", ["min"] = "min", ["lim"] = "lim",
        ["arg"] = "arg", ["sin"] = "sin", ["cos"] = "cos", ["tan"] = "tan", ["det"] = "det", ["dim"] = "dim",
        ["sup"] = "sup", ["inf"] = "inf", ["argmax"] = "argmax", ["argmin"] = "argmin",
    };

    // Relations and arrows get spaces around them, as TeX sets them.
    private static readonly HashSet<string> Relations =
    [
        "le", "leq", "ge", "geq", "ne", "neq", "approx", "sim", "equiv", "propto", "ll", "gg", "in", "notin", "subset",
        "subseteq", "to", "rightarrow", "leftarrow", "Rightarrow", "Leftarrow", "Leftrightarrow", "iff", "mapsto", "implies",
    ];

    private static readonly HashSet<string> Ignored =
        ["left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "displaystyle", "limits", "nolimits"];

    private static readonly Dictionary<string, char> Accents = new()
    {
        ["hat"] = '\u0302', ["widehat"] = '\u0302', ["bar"] = '\u0304', ["overline"] = '\u0305', ["tilde"] = '\u0303',
        ["vec"] = '\u20D7', ["dot"] = '\u0307', ["ddot"] = '\u0308',
    };

    /// <summary>
    /// Groups, scripts and commands nested deeper than this are shown as their LaTeX source: real formulas
    /// nest a few levels, while an untrusted notebook's 6,000 nested braces would overflow the stack.
    /// </summary>
    public const int MaxDepth = 40;

    /// <summary>HTML for one formula (without the surrounding <c>$</c> delimiters).</summary>
    public static string ToHtml(string latex)
    {
        var parser = new Parser(latex);
        return parser.ParseUntil(null);
    }

    private sealed class Parser(string text)
    {
        private int _pos;
        private int _depth;

        public string ParseUntil(char? close)
        {
            if (_depth >= MaxDepth)
                return TooDeep();
            _depth++;
            try
            {
                return ParseGroup(close);
            }
            finally
            {
                _depth--;
            }
        }

        // The rest of the formula as source text, in the style of unknown commands.
        private string TooDeep()
        {
            var rest = text[_pos..];
            _pos = text.Length;
            return $"<span class=\"text latex-source\">{WebUtility.HtmlEncode(rest)}</span>";
        }

        private string ParseGroup(char? close)
        {
            var html = new StringBuilder();
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (close is not null && c == close)
                {
                    _pos++;
                    return html.ToString();
                }

                html.Append(ParseAtom());
            }

            return html.ToString();
        }

        private string ParseAtom()
        {
            if (_depth >= MaxDepth)
                return TooDeep();
            _depth++;
            try
            {
                return ParseOneAtom();
            }
            finally
            {
                _depth--;
            }
        }

        private string ParseOneAtom()
        {
            var c = text[_pos];
            switch (c)
            {
                case '{':
                    _pos++;
                    return ParseUntil('}');
                case '}':
                    _pos++;
                    return "";
                case '^':
                    _pos++;
                    return $"<sup>{ParseArgument()}</sup>";
                case '_':
                    _pos++;
                    return $"<sub>{ParseArgument()}</sub>";
                case '\\':
                    return ParseCommand();
                case '&':
                    _pos++;
                    return " ";
                case '~':
                    _pos++;
                    return "\u00A0";
                case '\'':
                    _pos++;
                    return "′";
            }

            if (char.IsAsciiLetter(c))
            {
                _pos++;
                return $"<i>{c}</i>";
            }

            if (char.IsWhiteSpace(c))
            {
                _pos++;
                return "";
            }

            _pos++;
            return c is '=' or '<' or '>' or '+' or '−' ? $" {WebUtility.HtmlEncode(c.ToString())} "
                : c == '-' ? " − "
                : WebUtility.HtmlEncode(c.ToString());
        }

        private string ParseArgument()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                _pos++;
            if (_pos >= text.Length)
                return "";
            if (text[_pos] == '{')
            {
                _pos++;
                return ParseUntil('}');
            }

            if (char.IsAsciiDigit(text[_pos]))
                return text[_pos++].ToString();
            return ParseAtom().Trim();
        }

        private string ReadRawGroup()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
                _pos++;
            if (_pos >= text.Length || text[_pos] != '{')
                return _pos < text.Length ? text[_pos++].ToString() : "";
            var depth = 0;
            var start = _pos + 1;
            for (; _pos < text.Length; _pos++)
            {
                if (text[_pos] == '{')
                    depth++;
                else if (text[_pos] == '}' && --depth == 0)
                    break;
            }

            var raw = text[start..Math.Min(_pos, text.Length)];
            _pos++;
            return raw;
        }

        private string ParseCommand()
        {
            _pos++; // backslash
            if (_pos >= text.Length)
                return "\\";
            string name;
            if (char.IsAsciiLetter(text[_pos]))
            {
                var start = _pos;
                while (_pos < text.Length && char.IsAsciiLetter(text[_pos]))
                    _pos++;
                name = text[start.._pos];
            }
            else
            {
                name = text[_pos++].ToString();
            }

            if (name == "\\")
                return "<br>";
            if (Ignored.Contains(name))
                return "";
            if (Relations.Contains(name))
                return $" {Symbols[name]} ";
            if (Symbols.TryGetValue(name, out var symbol))
                return name.All(char.IsAsciiLetterLower) && name.Length > 2 && symbol == name ? $"{symbol}\u2009" : symbol;
            if (Accents.TryGetValue(name, out var accent))
                return ParseArgument() + accent;

            switch (name)
            {
                case "frac" or "dfrac" or "tfrac":
                    var num = ParseArgument();
                    var den = ParseArgument();
                    return $"<span class=\"frac\"><span>{num}</span><span>{den}</span></span>";
                case "sqrt":
                    return $"√<span class=\"sqrt\">{ParseArgument()}</span>";
                case "text" or "textrm" or "mathrm" or "operatorname" or "textit" or "mbox":
                    return $"<span class=\"text\">{WebUtility.HtmlEncode(ReadRawGroup())}</span>";
                case "mathbf" or "boldsymbol" or "bm" or "textbf":
                    return $"<b>{ParseArgument()}</b>";
                case "mathbb":
                    return string.Concat(ReadRawGroup().Select(DoubleStruck));
                case "mathcal" or "mathit" or "mathsf" or "mathtt":
                    return ParseArgument();
                case "color" or "textcolor":
                    // \color{blue}{...} / \textcolor{blue}{...}: the next group in that colour (named or #hex only).
                    var color = new string(ReadRawGroup().Where(ch => char.IsAsciiLetterOrDigit(ch) || ch == '#').ToArray());
                    return $"<span style=\"color:{color}\">{ParseArgument()}</span>";
                case "begin" or "end":
                    var env = ReadRawGroup();
                    return env.EndsWith("matrix", StringComparison.Ordinal) ? (name == "begin" ? "[" : "]") : "";
            }

            return $"<span class=\"text\">\\{WebUtility.HtmlEncode(name)}</span>";
        }

        private static string DoubleStruck(char c) => c switch
        {
            'R' => "ℝ", 'N' => "ℕ", 'Z' => "ℤ", 'Q' => "ℚ", 'C' => "ℂ", 'E' => "𝔼", 'P' => "ℙ",
            _ => c.ToString(),
        };
    }
}
