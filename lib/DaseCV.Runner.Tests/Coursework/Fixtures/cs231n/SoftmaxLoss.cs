using DaseCV.Runner.Tests;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Classifiers;

/// <summary>Softmax (cross-entropy) loss and its gradient: CS231n <c>classifiers/softmax.py</c>.</summary>
/// <remarks>
/// N examples, D features (3073 for CIFAR-10 with the bias column), C classes.
/// <c>loss = (1/N)·Σ_i −log softmax(X·W)[i, y_i] + reg·Σ W²</c>,
/// <c>dW = Xᵀ·(P − onehot(y))/N + 2·reg·W</c>, with P the row-wise softmax of the scores X·W.
/// Plain MathNet code: <c>X * W</c> and <c>X.TransposeThisAndMultiply(dScores)</c> run on the SIMD provider that
/// DaseCV installs under MathNet, so this is as fast as the library gets.
/// </remarks>
public static class SoftmaxLoss
{
    /// <summary>Softmax 损失函数，使用循环实现（naive）。Softmax loss with explicit loops; same contract as <see cref="Vectorized"/>.</summary>
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
        // TODO: 使用显式循环计算 softmax 损失及其梯度。
        // 将损失存储在 loss 中，将梯度存储在 dW 中。如果您不小心，
        // 很容易遇到数值不稳定的情况。不要忘了正则化！
        /////////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // CS231n's softmax_loss_naive, line by line: probs = exp(shifted) / sum, loss = -log(probs[y]).
        int numClasses = W.ColumnCount;
        int numTrain = X.RowCount;
        for (int i = 0; i < numTrain; i++)
        {
            var scores = X.Row(i) * W;
            scores = scores - scores.Maximum();
            var expScores = scores.PointwiseExp();
            var probs = expScores / expScores.Sum();
            loss += -Math.Log(probs[y[i]]);
            for (int j = 0; j < numClasses; j++)
            {
                double dscore = probs[j] - (j == y[i] ? 1 : 0);
                for (int d = 0; d < W.RowCount; d++)
                    dW[d, j] += dscore * X[i, d];
            }
        }
        loss /= numTrain;
        loss += reg * W.PointwiseMultiply(W).Enumerate().Sum();  // reg * np.sum(W * W)
        dW = dW / numTrain + 2 * reg * W;

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        LossArguments.CheckResult(loss, dW, W, X);
        return (loss, dW);
    }

    /// <summary>Softmax 损失函数，矢量化版本。Softmax loss without a loop over examples; same contract as <see cref="Naive"/>.</summary>
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
        // TODO: 不使用显式循环计算 softmax 损失及其梯度。
        // 将损失存储在 loss 中，将梯度存储在 dW 中。如果您不小心，
        // 很容易遇到数值不稳定的情况。不要忘了正则化！
        /////////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // CS231n's softmax_loss_vectorized, line by line.
        int numTrain = X.RowCount;
        var scores = X * W;
        var maxes = Vector<double>.Build.DenseOfEnumerable(scores.EnumerateRows().Select(r => r.Maximum()));
        scores = scores - Matrix<double>.Build.Dense(scores.RowCount, scores.ColumnCount, (i, j) => maxes[i]);
        var expScores = scores.PointwiseExp();
        var sums = expScores.RowSums();
        var probs = Matrix<double>.Build.Dense(scores.RowCount, scores.ColumnCount, (i, j) => expScores[i, j] / sums[i]);
        loss = Enumerable.Range(0, numTrain).Sum(i => -Math.Log(probs[i, y[i]])) / numTrain;
        loss += reg * W.PointwiseMultiply(W).Enumerate().Sum();  // reg * np.sum(W * W)
        var dscores = probs.Clone();
        for (int i = 0; i < numTrain; i++)
            dscores[i, y[i]] -= 1;
        dscores = dscores / numTrain;
        dW = X.Transpose() * dscores + 2 * reg * W;

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        LossArguments.CheckResult(loss, dW, W, X);
        return (loss, dW);
    }
}
