using DaseCV.Classifiers;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Benchmarks;

/// <summary>
/// CS231n's <c>softmax_loss_vectorized</c> ported line by line to MathNet, the way a student writes it: no library
/// internals, no in-place tricks. What the <c>student</c> benchmark times, and what a test checks against the library.
/// </summary>
public static class StudentSoftmax
{
    /// <summary>Loss and gradient, shapes as in <see cref="SoftmaxLoss.Vectorized"/>.</summary>
    public static (double Loss, Matrix<double> Grad) Loss(Matrix<double> W, Matrix<double> X, int[] y, double reg) =>
        Loss(W, X, y, reg, transpose: false);

    /// <summary>
    /// The same, with numpy's <c>X.T.dot(dscores)</c> written as <c>X.Transpose() * dScores</c> when
    /// <paramref name="transpose"/> (MathNet makes a dense (D, N) copy of X first), else as
    /// <c>X.TransposeThisAndMultiply(dScores)</c>.
    /// </summary>
    public static (double Loss, Matrix<double> Grad) Loss(Matrix<double> W, Matrix<double> X, int[] y, double reg, bool transpose)
    {
        int numTrain = X.RowCount;
        var scores = X * W;                                            // scores = X.dot(W)
        var rowMax = scores.EnumerateRows().Select(r => r.Maximum()).ToArray();
        scores = scores.MapIndexed((i, j, s) => s - rowMax[i]);        // scores -= np.max(scores, axis=1, keepdims=True)
        var expScores = scores.PointwiseExp();
        var rowSums = expScores.RowSums();
        var probs = expScores.MapIndexed((i, j, e) => e / rowSums[i]); // probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
        double loss = 0;
        for (int i = 0; i < numTrain; i++) loss -= Math.Log(probs[i, y[i]]);
        loss = loss / numTrain + reg * W.PointwiseMultiply(W).Enumerate().Sum();
        var dScores = probs.Clone();
        for (int i = 0; i < numTrain; i++) dScores[i, y[i]] -= 1;     // dscores[np.arange(num_train), y] -= 1
        var dW = (transpose ? X.Transpose() * dScores : X.TransposeThisAndMultiply(dScores)) / numTrain + 2 * reg * W;
        return (loss, dW);
    }

    /// <summary>CS231n's <c>predict</c>: <c>np.argmax(X.dot(W), axis=1)</c>.</summary>
    public static int[] Predict(Matrix<double> W, Matrix<double> X) =>
        (X * W).EnumerateRows().Select(r => r.MaximumIndex()).ToArray();

    /// <summary>A <see cref="LinearClassifier"/> subclass whose <c>Loss</c> is the student's port.</summary>
    /// <param name="seed">Seed for W and the minibatches.</param>
    /// <param name="transpose">Write Xᵀ·dS as <c>X.Transpose() * dScores</c>.</param>
    public sealed class Classifier(int seed, bool transpose = false) : LinearClassifier(seed)
    {
        /// <inheritdoc/>
        public override (double Loss, Matrix<double> Grad) Loss(Matrix<double> XBatch, int[] yBatch, double reg) =>
            StudentSoftmax.Loss(RequireW(), XBatch, yBatch, reg, transpose);
    }
}
