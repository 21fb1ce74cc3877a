using System.Globalization;
using DaseCV.Grader;
using DaseCV.Runner.Ipynb;
using DaseCV.Runner.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DaseCV.Runner.Coursework.Grading;

/// <summary>
/// Reads a <see cref="ChoiceCell"/> for <c>grade</c>: instructor-only, as the grader's contract it fills
/// (<see cref="Hyperparameters"/>) is not in a student's release.
/// </summary>
internal static class ChoiceReader
{
    /// <summary>
    /// The hyperparameters in the cell, checked for range, or why there are none (bilingual, naming the cell and the
    /// value). The record is created once as <c>new Record(…)</c> (or <c>new(…)</c> in a declaration of that type),
    /// each argument a number literal, positional or named as the record's parameters are.
    /// </summary>
    public static (Hyperparameters? Choice, string? Problem) Read(this ChoiceCell cell, IpynbNotebook notebook)
    {
        var where = $"单元 {cell.CellId}（{cell.Record}）";
        var whereEn = $"cell {cell.CellId} ({cell.Record})";
        var cells = notebook.Cells.Where(c => c.Id == cell.CellId && c.Type == "code").ToList();
        if (cells.Count != 1)
            return (null, Feedback.Say($"笔记本中{(cells.Count == 0 ? "没有" : "有多个")}选定超参数的{where}", $"the notebook has {(cells.Count == 0 ? "no" : "more than one")} {whereEn} with the chosen hyperparameters"));
        var creations = (CellSyntax.Parse(cells[0].Source)?.DescendantNodes() ?? []).OfType<BaseObjectCreationExpressionSyntax>().Where(c => Creates(c, cell.Record)).ToList();
        if (creations.Count != 1)
            return (null, Feedback.Say($"{where}中应当正好有一个 new {cell.Record}(…)，现在有 {creations.Count} 个（还没有填写？）",
                $"{whereEn} should create exactly one new {cell.Record}(…); it has {creations.Count} (not filled in yet?)"));

        var names = cell.Parameters;
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
        return (new Hyperparameters(values[ChoiceCell.LearningRate], values[ChoiceCell.Reg], values.TryGetValue(ChoiceCell.HiddenSize, out var hidden) ? (int)hidden : null,
            values.TryGetValue(ChoiceCell.LearningRateDecay, out var decay) ? decay : null), null);
    }

    private static bool Creates(BaseObjectCreationExpressionSyntax creation, string record) => creation switch
    {
        ObjectCreationExpressionSyntax explicitType => LastName(explicitType.Type) == record,
        ImplicitObjectCreationExpressionSyntax { Parent.Parent.Parent: VariableDeclarationSyntax declaration } => LastName(declaration.Type) == record,
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
        ChoiceCell.HiddenSize => value is >= 1 and <= ChoiceCell.MaxHiddenSize && value == Math.Floor(value) ? null : $"1 … {ChoiceCell.MaxHiddenSize}, an integer",
        ChoiceCell.LearningRate => double.IsFinite(value) && value is > 0 and <= 10 ? null : "> 0, ≤ 10",
        ChoiceCell.LearningRateDecay => double.IsFinite(value) && value is > 0 and <= 1 ? null : "> 0, ≤ 1",
        ChoiceCell.Reg => double.IsFinite(value) && value is >= 0 and <= 1e7 ? null : "≥ 0, ≤ 1e7",
        _ => null,
    };

    private static string Clip(ExpressionSyntax expression) => Feedback.Clip(expression.ToString(), 60);

    private static string N(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
