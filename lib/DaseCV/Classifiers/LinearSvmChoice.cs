namespace DaseCV.Classifiers;

/// <summary>
/// 你选定的 SVM 超参数。The learning rate and regularization strength a student chose for <see cref="LinearSvm"/> after
/// tuning, written as literals in the notebook's choice cell (the cell after the tuning cell).
/// </summary>
/// <remarks>
/// The grader reads this cell's literals without running it and retrains an SVM of these hyperparameters on the image
/// features of a fixed, seeded subset of CIFAR-10, then compares the validation accuracy with the instructor's choice
/// trained the same way. Nothing the notebook prints counts.
/// </remarks>
/// <param name="LearningRate">SGD step size, finite and &gt; 0 (the <c>learningRate</c> of <see cref="LinearClassifier.Train"/>).</param>
/// <param name="Reg">L2 regularization strength, finite and ≥ 0.</param>
public sealed record LinearSvmChoice(double LearningRate, double Reg);
