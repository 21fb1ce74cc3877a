namespace DaseCV.Classifiers;

/// <summary>
/// 你选定的两层网络超参数。The hyperparameters a student chose for <see cref="TwoLayerNet"/> after tuning, written as
/// literals in the notebook's choice cell (the cell after the tuning cell).
/// </summary>
/// <remarks>
/// The grader reads this cell's literals without running it and retrains a net of these hyperparameters with the
/// student's own <see cref="TwoLayerNet"/> on a fixed, seeded subset of CIFAR-10 (or of its image features), then
/// compares the validation accuracy with the instructor's choice trained the same way. Nothing the notebook prints counts.
/// </remarks>
/// <param name="HiddenSize">Hidden units H, 1 to 1000.</param>
/// <param name="LearningRate">SGD step size, finite and &gt; 0 (the <c>learningRate</c> of <see cref="TwoLayerNet.Train"/>).</param>
/// <param name="LearningRateDecay">Factor applied to the learning rate after each epoch, in (0, 1].</param>
/// <param name="Reg">L2 regularization strength, finite and ≥ 0.</param>
public sealed record TwoLayerNetChoice(int HiddenSize, double LearningRate, double LearningRateDecay, double Reg);
