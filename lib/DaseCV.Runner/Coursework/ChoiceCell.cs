namespace DaseCV.Runner.Coursework;

/// <summary>
/// A notebook cell where the student writes the hyperparameters they chose, as literals of a library record
/// (<c>DaseCV.Classifiers.TwoLayerNetChoice</c>, <c>LinearSvmChoice</c>), for a retraining check of the grader. It is
/// read as syntax, never run, and never from printed output, by <c>grade</c> (<c>Grading/ChoiceReader.cs</c>: not in
/// a student's release). The runner never loads the library (DaseCVLoader), so the record is named here by its name
/// and parameters; a test keeps them equal to the library's.
/// </summary>
/// <param name="Check">The grader's retraining check (its catalog id).</param>
/// <param name="CellId">The cell's nbformat id.</param>
/// <param name="Record">The record the cell creates.</param>
/// <param name="Parameters">The record's parameters, in order.</param>
internal sealed record ChoiceCell(string Check, string CellId, string Record, IReadOnlyList<string> Parameters)
{
    /// <summary>Largest hidden layer the retraining runs within a check's time on half a CPU.</summary>
    public const int MaxHiddenSize = 500;

    public const string HiddenSize = "HiddenSize", LearningRate = "LearningRate", LearningRateDecay = "LearningRateDecay", Reg = "Reg";

    /// <summary>A cell creating a <c>TwoLayerNetChoice(HiddenSize, LearningRate, LearningRateDecay, Reg)</c>.</summary>
    public static ChoiceCell TwoLayerNet(string check, string cellId) => new(check, cellId, "TwoLayerNetChoice", [HiddenSize, LearningRate, LearningRateDecay, Reg]);

    /// <summary>A cell creating a <c>LinearSvmChoice(LearningRate, Reg)</c>.</summary>
    public static ChoiceCell LinearSvm(string check, string cellId) => new(check, cellId, "LinearSvmChoice", [LearningRate, Reg]);
}
