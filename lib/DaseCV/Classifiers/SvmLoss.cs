using DaseCV.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Classifiers;

/// <summary>Multiclass SVM (hinge) loss and its gradient: CS231n <c>classifiers/linear_svm.py</c>.</summary>
/// <remarks>
/// N examples, D features, C classes. With scores S = X·W and margin 1:
/// <c>loss = (1/N)·Σ_i Σ_{j ≠ y_i} max(0, S[i, j] − S[i, y_i] + 1) + reg·Σ W²</c>;
/// <c>dW = Xᵀ·dS/N + 2·reg·W</c>, where dS[i, j] = 1 for each positive margin and dS[i, y_i] = −(their count).
/// </remarks>
public static class SvmLoss
{
    /// <summary>Hinge loss using explicit loops; same contract as <see cref="Vectorized"/>.</summary>
    /// <param name="W">Weights, shape (D, C).</param>
    /// <param name="X">Minibatch, shape (N, D), one example per row.</param>
    /// <param name="y">Labels, length N, each in [0, C).</param>
    /// <param name="reg">L2 regularization strength, ≥ 0.</param>
    /// <returns>Mean loss, and dW with the same shape as W.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a label is outside [0, C), X is empty, or X or W holds NaN or infinity.</exception>
    public static (double Loss, Matrix<double> Grad) Naive(Matrix<double> W, Matrix<double> X, int[] y, double reg)
    {
        LossArguments.Check(W, X, y, reg);
        LossArguments.ThrowIfNonFinite(W, X);
        int numTrain = X.RowCount, numClasses = W.ColumnCount, dim = W.RowCount;
        double loss = 0.0;
        var dW = Matrix<double>.Build.Dense(dim, numClasses);
        for (int i = 0; i < numTrain; i++)
        {
            var xi = X.Row(i);
            var scores = xi * W;  // (C,), numpy's X[i].dot(W)
            double correctClassScore = scores[y[i]];
            for (int j = 0; j < numClasses; j++)
            {
                if (j == y[i]) continue;
                double margin = scores[j] - correctClassScore + 1.0;
                if (margin > 0)
                {
                    loss += margin;
                    for (int d = 0; d < dim; d++)
                    {
                        dW[d, j] += xi[d];
                        dW[d, y[i]] -= xi[d];
                    }
                }
            }
        }
        loss /= numTrain;
        dW /= numTrain;
        loss += reg * (W.PointwiseMultiply(W)).Enumerate().Sum();
        dW += 2 * reg * W;
        return (loss, dW);
    }

    /// <summary>Hinge loss without a per-example loop: matrix algebra on fast kernels. Same contract as <see cref="Naive"/>.</summary>
    /// <remarks>Layouts and checks as in <see cref="SoftmaxLoss.Vectorized"/>.</remarks>
    /// <param name="W">Weights, shape (D, C).</param>
    /// <param name="X">Minibatch, shape (N, D), one example per row.</param>
    /// <param name="y">Labels, length N, each in [0, C).</param>
    /// <param name="reg">L2 regularization strength, ≥ 0.</param>
    /// <returns>Mean loss, and dW with the same shape as W (a column-major <see cref="DenseMatrix"/>).</returns>
    /// <exception cref="ArgumentException">Shapes disagree, a label is outside [0, C), X is empty, or X or W holds NaN or infinity.</exception>
    public static (double Loss, Matrix<double> Grad) Vectorized(Matrix<double> W, Matrix<double> X, int[] y, double reg)
    {
        LossArguments.Check(W, X, y, reg);
        int N = X.RowCount, C = W.ColumnCount;
        var XRows = MatrixData.RowMajor(X);  // X itself when row-major, else one copy

        var scores = TallSkinnyGemm.Multiply(XRows, W);  // (N, C)

        // margins = max(0, S − S[i, y_i] + 1) off the correct class; dS = 1[margin > 0]/N, −(count)/N at y_i
        double loss = RowHinge.HingeLoss(scores.Data, N, C, y, 1.0 / N) / N + reg * L2Penalty.SumOfSquares(W);
        var dS = scores;

        // dW = Xᵀ·dS + 2·reg·W, (D, C)
        var dW = TallSkinnyGemm.TransposeMultiply(XRows, dS);
        L2Penalty.AddScaled(dW, 2 * reg, W);

        LossArguments.ThrowIfResultNotFinite(loss, dW, W, X);
        return (loss, dW);
    }
}
