using DaseCV.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Classifiers;

/// <summary>Softmax (cross-entropy) loss and its gradient: CS231n <c>classifiers/softmax.py</c>.</summary>
/// <remarks>
/// N examples, D features (3073 for CIFAR-10 with the bias column), C classes.
/// <c>loss = (1/N)·Σ_i −log softmax(X·W)[i, y_i] + reg·Σ W²</c>,
/// <c>dW = Xᵀ·(P − onehot(y))/N + 2·reg·W</c>, with P the row-wise softmax of the scores X·W.
/// Both functions subtract each row's maximum score before exp, so scores of ±1e4 give a finite loss.
/// </remarks>
public static class SoftmaxLoss
{
    /// <summary>Softmax loss using explicit loops; same contract as <see cref="Vectorized"/>.</summary>
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
            // Subtract the max before exp: big scores would overflow, and softmax is unchanged by the shift.
            double max = scores.Maximum();
            double sumExp = 0.0;
            for (int j = 0; j < numClasses; j++) sumExp += Math.Exp(scores[j] - max);
            // −log p[y_i] = log Σ exp(s − max) − (s[y_i] − max); stays finite even if p[y_i] underflows.
            loss += Math.Log(sumExp) - (scores[y[i]] - max);
            for (int j = 0; j < numClasses; j++)
            {
                double p = Math.Exp(scores[j] - max) / sumExp;
                double dScore = p - (j == y[i] ? 1.0 : 0.0);
                for (int d = 0; d < dim; d++) dW[d, j] += dScore * xi[d];
            }
        }
        loss /= numTrain;
        dW /= numTrain;
        loss += reg * (W.PointwiseMultiply(W)).Enumerate().Sum();
        dW += 2 * reg * W;
        return (loss, dW);
    }

    /// <summary>Softmax loss without a per-example loop: matrix algebra on fast kernels. Same contract as <see cref="Naive"/>.</summary>
    /// <remarks>
    /// Fastest when X is a <see cref="LinearAlgebra.RowMajorMatrix"/> (each example contiguous) and W a MathNet
    /// <see cref="DenseMatrix"/> (column-major, each class contiguous): the kernels then read their arrays directly.
    /// Any other <see cref="Matrix{T}"/> is copied into those layouts first (a
    /// <see cref="LinearAlgebra.CenteredPixelMatrix"/>, the byte-backed training set, is converted to doubles once:
    /// train on minibatches, as <see cref="LinearClassifier.Train"/> does, rather than on all of it). X and W are scanned for NaN or
    /// infinity only when the loss or the gradient comes out non-finite.
    /// </remarks>
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

        // P = row-wise softmax(scores), max-shifted; loss = mean of −log P[i, y_i] + reg·ΣW²
        double loss = RowSoftmax.SoftmaxCrossEntropy(scores.Data, N, C, y) / N + reg * L2Penalty.SumOfSquares(W);

        // dS = (P − onehot(y)) / N, (N, C)
        var dS = scores;
        RowSoftmax.SubtractOneHot(dS.Data, N, C, y, 1.0 / N);

        // dW = Xᵀ·dS + 2·reg·W, (D, C)
        var dW = WeightMatrix.NewGradient(W);
        TallSkinnyGemm.TransposeMultiply(XRows, dS, dW);
        L2Penalty.AddScaled(dW, 2 * reg, W);

        LossArguments.ThrowIfResultNotFinite(loss, dW, W, X);
        return (loss, dW);
    }
}
