using static System.FormattableString;
using DaseCV.Kernels;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using System.Numerics.Tensors;

namespace DaseCV.Classifiers;

/// <summary>A linear classifier <c>scores = X·W</c> trained by minibatch SGD: CS231n <c>linear_classifier.py</c>.</summary>
/// <remarks>
/// N examples, D features, C classes. W is a column-major MathNet <see cref="DenseMatrix"/> (D, C), so each class's
/// weights are contiguous. Training is fastest when X is a <see cref="RowMajorMatrix"/> or a
/// <see cref="CenteredPixelMatrix"/> (the CIFAR-10 training set, stored as bytes): each step copies its minibatch
/// rows, one contiguous row at a time (bytes converted to doubles on the way), into a (batchSize, D) buffer that
/// every step overwrites; X is never copied as a whole. The buffer belongs to the training thread (reused by its next
/// <see cref="Train"/> call), the random generator to the instance, so separate instances can train concurrently and
/// a seed makes training reproducible whatever else runs. A trained classifier keeps only W.
/// </remarks>
public abstract class LinearClassifier
{
    private readonly Random _random;

    // The minibatch buffer (4.9 MB for CIFAR), reused by every Train call on this thread. Not a field: the notebook
    // keeps its 42 trained classifiers (42 buffers = 200 MB). Not new per call either: that is large-object garbage
    // the GC reclaims late. Every step overwrites it whole, so reuse never changes a result.
    [ThreadStatic]
    private static double[]? t_batchBuffer;

    /// <summary>Creates an untrained classifier.</summary>
    /// <param name="seed">Seed for W's initialization and the minibatch sampling; null draws a random seed.</param>
    protected LinearClassifier(int? seed) => _random = seed is int s ? new Random(s) : new Random();

    /// <summary>Weights, shape (D, C); null until <see cref="Train"/> initializes them (or you assign them).</summary>
    public Matrix<double>? W { get; set; }

    /// <summary>Trains by stochastic gradient descent on minibatches sampled with replacement.</summary>
    /// <param name="X">Training data, shape (N, D), one example per row.</param>
    /// <param name="y">Labels, length N, each in [0, C).</param>
    /// <param name="learningRate">Step size, finite and &gt; 0.</param>
    /// <param name="reg">L2 regularization strength, finite and ≥ 0.</param>
    /// <param name="numIters">Number of SGD steps, &gt; 0.</param>
    /// <param name="batchSize">Examples per step, &gt; 0.</param>
    /// <param name="verbose">Print <c>iteration %d / %d: loss %f</c> every 100 iterations.</param>
    /// <returns>The loss at every iteration.</returns>
    /// <remarks>
    /// When W is null it is set to <c>0.001·randn(D, C)</c> with C = max(y) + 1, as in CS231n.
    /// </remarks>
    /// <exception cref="ArgumentException">Bad shapes, labels or values; NaN or infinity in a sampled row of X (named by its row in X) or in W.</exception>
    /// <exception cref="OverflowException">The loss overflowed (the learning rate is too large); names the iteration.</exception>
    public IReadOnlyList<double> Train(Matrix<double> X, int[] y, double learningRate = 1e-3, double reg = 1e-5,
        int numIters = 100, int batchSize = 200, bool verbose = false)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(y);
        LossArguments.CheckX(X);
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, Invariant($"learningRate = {learningRate} must be a finite number > 0."));
        LossArguments.CheckReg(reg);
        if (numIters <= 0)
            throw new ArgumentOutOfRangeException(nameof(numIters), numIters, Invariant($"numIters = {numIters} must be > 0."));
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, Invariant($"batchSize = {batchSize} must be > 0."));
        int numTrain = X.RowCount, dim = X.ColumnCount;
        LossArguments.CheckLabels(y, numTrain, int.MaxValue, nameof(y));

        if (W is null)
        {
            int numClasses = y.Max() + 1;  // assume y takes values 0 … C−1
            W = InitialWeights(dim, numClasses);
        }
        else
        {
            if (W.RowCount != dim)
                throw new ArgumentException(
                    Invariant($"X is ({numTrain}, {dim}) but W is ({W.RowCount}, {W.ColumnCount}); expected X (N, D) and W (D, C) with the same D."), nameof(X));
            LossArguments.CheckLabels(y, numTrain, W.ColumnCount, nameof(y));
            LossArguments.ThrowIfNonFinite(W, nameof(W));
            if (W is not WeightMatrix) W = new WeightMatrix(W.RowCount, W.ColumnCount, W.ToColumnMajorArray());
        }

        // Taken out of the thread's slot while in use, so a Train nested in a Loss override gets its own buffer.
        var buffer = t_batchBuffer is { } cached && cached.LongLength == (long)batchSize * dim ? cached : null;
        t_batchBuffer = null;
        var xBatch = buffer is null ? new RowMajorMatrix(batchSize, dim) : new RowMajorMatrix(batchSize, dim, buffer);
        var yBatch = new int[batchSize];
        var batchRows = new int[batchSize];
        try
        {
            return TrainSteps(X, y, learningRate, reg, numIters, verbose, xBatch, yBatch, batchRows);
        }
        finally
        {
            t_batchBuffer = xBatch.Data;
        }
    }

    /// <summary>The SGD loop of <see cref="Train"/>, on validated arguments and an initialized W.</summary>
    private List<double> TrainSteps(Matrix<double> X, int[] y, double learningRate, double reg, int numIters, bool verbose,
        RowMajorMatrix xBatch, int[] yBatch, int[] batchRows)
    {
        int numTrain = X.RowCount, batchSize = yBatch.Length;

        var lossHistory = new List<double>(numIters);
        using var training = Cores.EnterTraining();  // concurrent trainings keep their kernels on one core each
        for (int it = 0; it < numIters; it++)
        {
            // Sample batchSize rows with replacement and copy them, row by row, into the reused buffer.
            for (int b = 0; b < batchSize; b++)
            {
                batchRows[b] = _random.Next(numTrain);
                yBatch[b] = y[batchRows[b]];
            }
            GatherRows(X, batchRows, xBatch);

            var (loss, grad) = Loss(xBatch, yBatch, reg);
            if (!double.IsFinite(loss))
                throw new OverflowException(
                    Invariant($"Training diverged at iteration {it} of {numIters}: the loss is {Py.F(loss)} with learningRate = {learningRate} ") +
                    Invariant($"and reg = {reg}. W grew until the loss overflowed; try a smaller learning rate (e.g. {learningRate / 10})."));
            lossHistory.Add(loss);
            Step(grad, learningRate);

            if (verbose && it % 100 == 0)
                Console.WriteLine(Invariant($"iteration {it} / {numIters}: loss {Py.F(loss)}"));
        }
        return lossHistory;
    }

    /// <summary>Predicts a label for every row: <c>argmax_c (X·W)[i, c]</c>.</summary>
    /// <param name="X">Data, shape (N, D), one example per row.</param>
    /// <returns>Labels, length N, each in [0, C).</returns>
    /// <remarks>
    /// A <see cref="RowMajorMatrix"/> or <see cref="CenteredPixelMatrix"/> X is streamed in blocks of rows on all cores,
    /// without an (N, D) double copy or an (N, C) score matrix; any other matrix goes through MathNet's product.
    /// </remarks>
    /// <exception cref="InvalidOperationException">W is not set yet.</exception>
    /// <exception cref="ArgumentException">X's width differs from W's height, X is empty, or a score is not finite because of NaN or infinity in X or W.</exception>
    public int[] Predict(Matrix<double> X)
    {
        ArgumentNullException.ThrowIfNull(X);
        var W = this.W ?? throw new InvalidOperationException("W is not set: call Train first (or assign W).");
        LossArguments.CheckX(X);
        if (X.ColumnCount != W.RowCount)
            throw new ArgumentException(
                Invariant($"X is ({X.RowCount}, {X.ColumnCount}) but W is ({W.RowCount}, {W.ColumnCount}); expected X (N, D) and W (D, C) with the same D."), nameof(X));
        int N = X.RowCount, D = X.ColumnCount, C = W.ColumnCount;
        var yPred = new int[N];
        int badRow;
        if (X is RowMajorMatrix rm)
        {
            badRow = ArgMaxProduct.Predict(rm.Data, N, D, MatrixData.ColumnMajor(W), C, yPred);
        }
        else if (X is CenteredPixelMatrix pixels)
        {
            badRow = ArgMaxProduct.PredictCentered(pixels.PixelArray, pixels.MeanArray, N, MatrixData.ColumnMajor(W), C, yPred);
        }
        else
        {
            badRow = -1;
            var scores = X * W;
            for (int i = 0; i < N; i++)
            {
                int best = 0;
                for (int c = 0; c < C; c++)
                {
                    if (!double.IsFinite(scores.At(i, c)) && badRow < 0) badRow = i;
                    if (scores.At(i, c) > scores.At(i, best)) best = c;
                }
                yPred[i] = best;
            }
        }
        if (badRow >= 0) ThrowNonFiniteScores(X, W, badRow);
        return yPred;
    }

    /// <summary>Loss and gradient on a minibatch at the current W, like CS231n's <c>loss(X_batch, y_batch, reg)</c>.</summary>
    /// <param name="XBatch">Minibatch, shape (N, D).</param>
    /// <param name="yBatch">Labels, length N.</param>
    /// <param name="reg">L2 regularization strength.</param>
    /// <returns>The loss, and dW with W's shape (D, C).</returns>
    public abstract (double Loss, Matrix<double> Grad) Loss(Matrix<double> XBatch, int[] yBatch, double reg);

    /// <summary>W, or an error saying it is not set yet.</summary>
    protected Matrix<double> RequireW() =>
        W ?? throw new InvalidOperationException("W is not set: call Train first (or assign W).");

    private WeightMatrix InitialWeights(int dim, int numClasses)
    {
        var w = new WeightMatrix(dim, numClasses, new double[dim * numClasses]);
        for (int d = 0; d < dim; d++)
            for (int c = 0; c < numClasses; c++)
                w[d, c] = 0.001 * Normal.Sample(_random, 0.0, 1.0);
        return w;
    }

    /// <summary><c>W −= learningRate·dW</c>, in place on W's array; dW is then handed back to W for reuse.</summary>
    private void Step(Matrix<double> grad, double learningRate)
    {
        var w = (WeightMatrix)W!;
        if (grad.RowCount != w.RowCount || grad.ColumnCount != w.ColumnCount)
            throw new InvalidOperationException(
                Invariant($"Loss returned a gradient of shape ({grad.RowCount}, {grad.ColumnCount}); expected W's shape ({w.RowCount}, {w.ColumnCount})."));
        if (grad is DenseMatrix g)
            TensorPrimitives.MultiplyAdd(g.Values, -learningRate, w.Values, w.Values);
        else
            w.Subtract(grad.Multiply(learningRate), w);
        w.ReturnGradient(grad);
    }

    /// <summary>Copies the rows <paramref name="rows"/> of X into <paramref name="xBatch"/>, rejecting NaN and infinity.</summary>
    private static void GatherRows(Matrix<double> X, int[] rows, RowMajorMatrix xBatch)
    {
        int D = X.ColumnCount;
        if (X is RowMajorMatrix rm)
        {
            // Each copied row is checked while in cache: nearly free, unlike scanning all of X every iteration.
            int bad = RowGather.Gather(rm.Data, D, rows, xBatch.Data);
            if (bad >= 0) ThrowNonFiniteRow(X, rows[bad]);
            return;
        }
        if (X is CenteredPixelMatrix pixels)
        {
            RowGather.GatherCentered(pixels.PixelArray, pixels.MeanArray, rows, xBatch.Data);  // always finite: no check
            return;
        }
        for (int b = 0; b < rows.Length; b++)
        {
            // Any other layout, e.g. a column-major DenseMatrix: element by element, correct but slow.
            var destination = xBatch.RowSpan(b);
            for (int j = 0; j < D; j++) destination[j] = X.At(rows[b], j);
            if (!TensorPrimitives.IsFiniteAll<double>(destination)) ThrowNonFiniteRow(X, rows[b]);
        }
    }

    private static void ThrowNonFiniteRow(Matrix<double> X, int row)
    {
        for (int j = 0; j < X.ColumnCount; j++)
            if (!double.IsFinite(X.At(row, j))) LossArguments.ThrowNonFinite(nameof(X), X, row, j);
    }

    private static void ThrowNonFiniteScores(Matrix<double> X, Matrix<double> W, int row)
    {
        ThrowNonFiniteRow(X, row);
        LossArguments.ThrowIfNonFinite(W, nameof(W));
        throw new OverflowException(
            Invariant($"The scores X·W of row {row} overflowed although X and W ({W.RowCount}, {W.ColumnCount}) are finite; W is too large."));
    }
}

/// <summary>Softmax classifier: <see cref="LinearClassifier"/> with <see cref="SoftmaxLoss.Vectorized"/>.</summary>
public sealed class Softmax : LinearClassifier
{
    /// <summary>Creates an untrained softmax classifier.</summary>
    /// <param name="seed">Seed for W's initialization and the minibatch sampling; null draws a random seed.</param>
    public Softmax(int? seed = null) : base(seed)
    {
    }

    /// <inheritdoc/>
    public override (double Loss, Matrix<double> Grad) Loss(Matrix<double> XBatch, int[] yBatch, double reg) =>
        SoftmaxLoss.Vectorized(RequireW(), XBatch, yBatch, reg);
}

/// <summary>Multiclass SVM classifier: <see cref="LinearClassifier"/> with <see cref="SvmLoss.Vectorized"/>.</summary>
public sealed class LinearSvm : LinearClassifier
{
    /// <summary>Creates an untrained SVM classifier.</summary>
    /// <param name="seed">Seed for W's initialization and the minibatch sampling; null draws a random seed.</param>
    public LinearSvm(int? seed = null) : base(seed)
    {
    }

    /// <inheritdoc/>
    public override (double Loss, Matrix<double> Grad) Loss(Matrix<double> XBatch, int[] yBatch, double reg) =>
        SvmLoss.Vectorized(RequireW(), XBatch, yBatch, reg);
}
