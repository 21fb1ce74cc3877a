using System.Globalization;
using DaseCV.Grader;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DaseCV.Runner.Coursework;

/// <summary>
/// A notebook cell where the student writes the hyperparameters they chose, as literals of a library record
/// (<c>DaseCV.Classifiers.TwoLayerNetChoice</c>, <c>LinearSvmChoice</c>), for a retraining check of the grader. It is
/// read as syntax, never run, and never from printed output. The runner never loads the library (DaseCVLoader), so the
/// record is named here by its name and parameters; a test keeps them equal to the library's.
/// </summary>
/// <param name="Check">The grader's retraining check (<see cref="CatalogEntry.Id"/>).</param>
/// <param name="CellId">The cell's nbformat id.</param>
/// <param name="Record">The record the cell creates.</param>
/// <param name="Parameters">The record's parameters, in order.</param>
internal sealed record ChoiceCell(string Check, string CellId, string Record, IReadOnlyList<string> Parameters)
{
    /// <summary>Largest hidden layer the retraining runs within a check's time on half a CPU.</summary>
    public const int MaxHiddenSize = 500;

    private const string HiddenSize = "HiddenSize", LearningRate = "LearningRate", LearningRateDecay = "LearningRateDecay", Reg = "Reg";

    /// <summary>A cell creating a <c>TwoLayerNetChoice(HiddenSize, LearningRate, LearningRateDecay, Reg)</c>.</summary>
    public static ChoiceCell TwoLayerNet(string check, string cellId) => new(check, cellId, "TwoLayerNetChoice", [HiddenSize, LearningRate, LearningRateDecay, Reg]);

    /// <summary>A cell creating a <c>LinearSvmChoice(LearningRate, Reg)</c>.</summary>
    public static ChoiceCell LinearSvm(string check, string cellId) => new(check, cellId, "LinearSvmChoice", [LearningRate, Reg]);

    /// <summary>
    /// The hyperparameters in the cell, checked for range, or why there are none (bilingual, naming the cell and the
    /// value). The record is created once as <c>new Record(…)</c> (or <c>new(…)</c> in a declaration of that type),
    /// each argument a number literal, positional or named as the record's parameters are.
    /// </summary>
    public (Hyperparameters? Choice, string? Problem) Read(IpynbNotebook notebook)
    {
        var where = $"单元 {CellId}（{Record}）";
        var whereEn = $"cell {CellId} ({Record})";
        var cells = notebook.Cells.Where(c => c.Id == CellId && c.Type == "code").ToList();
        if (cells.Count != 1)
            return (null, Feedback.Say($"笔记本中{(cells.Count == 0 ? "没有" : "有多个")}选定超参数的{where}", $"the notebook has {(cells.Count == 0 ? "no" : "more than one")} {whereEn} with the chosen hyperparameters"));
        var creations = (CellSyntax.Parse(cells[0].Source)?.DescendantNodes() ?? []).OfType<BaseObjectCreationExpressionSyntax>().Where(Creates).ToList();
        if (creations.Count != 1)
            return (null, Feedback.Say($"{where}中应当正好有一个 new {Record}(…)，现在有 {creations.Count} 个（还没有填写？）",
                $"{whereEn} should create exactly one new {Record}(…); it has {creations.Count} (not filled in yet?)"));

        var names = Parameters;
        var values = new Dictionary<string, double>();
        var arguments = creations[0].ArgumentList?.Arguments ?? [];
        for (var i = 0; i < arguments.Count; i++)
        {
            var name = arguments[i].NameColon?.Name.Identifier.ValueText ?? (i < names.Count ? names[i] : null);
            if (name is null || !names.Contains(name))
                return (null, Feedback.Say($"{where}：多余的参数 {arguments[i]}", $"{whereEn}: an extra argument {arguments[i]}"));
            if (Number(arguments[i].Expression) is not { } value)
                return (null, Feedback.Say($"{where}：{name} = {Clip(arguments[i].Expression)} 不是数字字面量", $"{whereEn}: {name} = {Clip(arguments[i].Expression)} is not a number literal"));
            values[name] = value;
        }

        if (names.FirstOrDefault(n => !values.ContainsKey(n)) is { } missing)
            return (null, Feedback.Say($"{where}：缺少 {missing}", $"{whereEn}: {missing} is missing"));
        foreach (var (name, value) in values)
            if (OutOfRange(name, value) is { } expected)
                return (null, Feedback.Say($"{where}：{name} = {N(value)} 超出范围（{expected}）", $"{whereEn}: {name} = {N(value)} is out of range ({expected})"));
        return (new Hyperparameters(values[LearningRate], values[Reg], values.TryGetValue(HiddenSize, out var hidden) ? (int)hidden : null,
            values.TryGetValue(LearningRateDecay, out var decay) ? decay : null), null);
    }

    private bool Creates(BaseObjectCreationExpressionSyntax creation) => creation switch
    {
        ObjectCreationExpressionSyntax explicitType => LastName(explicitType.Type) == Record,
        ImplicitObjectCreationExpressionSyntax { Parent.Parent.Parent: VariableDeclarationSyntax declaration } => LastName(declaration.Type) == Record,
        _ => false,
    };

    private static string LastName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => type.ToString(),
    };

    /// <summary>A number literal, signed or not; null for anything else (a name, an expression).</summary>
    private static double? Number(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression) => Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture),
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: var operand } => -Number(operand),
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryPlusExpression, Operand: var operand } => Number(operand),
        _ => null,
    };

    /// <summary>What the value must be, when it is not; null when it is in range.</summary>
    private static string? OutOfRange(string name, double value) => name switch
    {
        HiddenSize => value is >= 1 and <= MaxHiddenSize && value == Math.Floor(value) ? null : $"1 … {MaxHiddenSize}, an integer",
        LearningRate => double.IsFinite(value) && value is > 0 and <= 10 ? null : "> 0, ≤ 10",
        LearningRateDecay => double.IsFinite(value) && value is > 0 and <= 1 ? null : "> 0, ≤ 1",
        Reg => double.IsFinite(value) && value is >= 0 and <= 1e7 ? null : "≥ 0, ≤ 1e7",
        _ => null,
    };

    private static string Clip(ExpressionSyntax expression) => Feedback.Clip(expression.ToString(), 60);

    private static string N(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
