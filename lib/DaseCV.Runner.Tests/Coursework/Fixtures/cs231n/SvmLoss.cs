using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Classifiers;

/// <summary>Multiclass SVM (hinge) loss and its gradient: CS231n <c>classifiers/linear_svm.py</c>.</summary>
/// <remarks>
/// N examples, D features, C classes. With scores S = X·W and margin 1:
/// <c>loss = (1/N)·Σ_i Σ_{j ≠ y_i} max(0, S[i, j] − S[i, y_i] + 1) + reg·Σ W²</c>;
/// <c>dW = Xᵀ·dS/N + 2·reg·W</c>, where dS[i, j] = 1 for each positive margin and dS[i, y_i] = −(their count).
/// </remarks>
public static class SvmLoss
{
    /// <summary>结构化 SVM 损失函数，使用循环实现（naive）。Hinge loss with explicit loops; same contract as <see cref="Vectorized"/>.</summary>
    /// <param name="W">Weights, shape (D, C).</param>
    /// <param name="X">Minibatch, shape (N, D), one example per row.</param>
    /// <param name="y">Labels, length N; y[i] = c means X[i] has label c, 0 ≤ c &lt; C.</param>
    /// <param name="reg">L2 regularization strength, ≥ 0.</param>
    /// <returns>Mean loss, and dW with the same shape as W.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a label is outside [0, C), X is empty, or X or W holds NaN or infinity.</exception>
    public static (double Loss, Matrix<double> Grad) Naive(Matrix<double> W, Matrix<double> X, int[] y, double reg)
    {
        LossArguments.Check(W, X, y, reg);
        LossArguments.CheckFinite(W, X);
        double loss = 0.0;
        var dW = Matrix<double>.Build.Dense(W.RowCount, W.ColumnCount);

        /////////////////////////////////////////////////////////////////////////////
        // TODO: 使用显式循环计算 SVM 损失及其梯度，损失存储在 loss 中，
        // 梯度存储在 dW 中。不要忘了正则化！
        /////////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // CS231n's svm_loss_naive, with the gradient added where the loss is.
        int numClasses = W.ColumnCount;
        int numTrain = X.RowCount;
        for (int i = 0; i < numTrain; i++)
        {
            var scores = X.Row(i) * W;
            double correctClassScore = scores[y[i]];
            for (int j = 0; j < numClasses; j++)
            {
                if (j == y[i])
                    continue;
                double margin = scores[j] - correctClassScore + 1; // note delta = 1
                if (margin > 0)
                {
                    loss += margin;
                    for (int d = 0; d < X.ColumnCount; d++)
                    {
                        dW[d, j] += X[i, d];     // dW[:, j] += X[i]
                        dW[d, y[i]] -= X[i, d];  // dW[:, y[i]] -= X[i]
                    }
                }
            }
        }

        // Right now the loss is a sum over all training examples, but we want it to be an average instead so we divide by numTrain.
        loss /= numTrain;
        dW /= numTrain;

        // Add regularization to the loss.
        loss += reg * W.PointwiseMultiply(W).Enumerate().Sum();
        dW += 2 * reg * W;

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        LossArguments.CheckResult(loss, dW, W, X);
        return (loss, dW);
    }

    /// <summary>结构化 SVM 损失函数，矢量化版本。Hinge loss without a loop over examples; same contract as <see cref="Naive"/>.</summary>
    /// <param name="W">Weights, shape (D, C).</param>
    /// <param name="X">Minibatch, shape (N, D), one example per row.</param>
    /// <param name="y">Labels, length N; y[i] = c means X[i] has label c, 0 ≤ c &lt; C.</param>
    /// <param name="reg">L2 regularization strength, ≥ 0.</param>
    /// <returns>Mean loss, and dW with the same shape as W.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a label is outside [0, C), X is empty, or X or W holds NaN or infinity.</exception>
    public static (double Loss, Matrix<double> Grad) Vectorized(Matrix<double> W, Matrix<double> X, int[] y, double reg)
    {
        LossArguments.Check(W, X, y, reg);
        double loss = 0.0;
        var dW = Matrix<double>.Build.Dense(W.RowCount, W.ColumnCount);

        /////////////////////////////////////////////////////////////////////////////
        // TODO: 实现结构化 SVM 损失和梯度的矢量化版本，损失存储在 loss 中，
        // 梯度存储在 dW 中。不要忘了正则化！
        /////////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        int numTrain = X.RowCount;
        var scores = X * W;
        // correct_class_scores = scores[np.arange(num_train), y][:, np.newaxis]
        var correctClassScores = Vector<double>.Build.Dense(numTrain, i => scores[i, y[i]]);
        var margins = scores.MapIndexed((i, j, s) => Math.Max(0, s - correctClassScores[i] + 1));
        for (int i = 0; i < numTrain; i++)
            margins[i, y[i]] = 0;
        loss = margins.Enumerate().Sum() / numTrain + reg * W.PointwiseMultiply(W).Enumerate().Sum();

        // binary = margins > 0; binary[np.arange(num_train), y] = -np.sum(binary, axis=1)
        var binary = margins.Map(m => m > 0 ? 1.0 : 0.0);
        var rowSum = binary.RowSums();
        for (int i = 0; i < numTrain; i++)
            binary[i, y[i]] = -rowSum[i];
        dW = X.Transpose() * binary / numTrain + 2 * reg * W;

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        LossArguments.CheckResult(loss, dW, W, X);
        return (loss, dW);
    }
}
