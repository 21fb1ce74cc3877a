using static System.FormattableString;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Classifiers;

/// <summary>A linear classifier <c>scores = X·W</c> trained by minibatch SGD: CS231n <c>linear_classifier.py</c>.</summary>
/// <remarks>
/// N examples, D features, C classes. Subclasses supply <see cref="Loss"/>. Each instance has its own random
/// generator, so separate instances can train concurrently, and a seed makes training reproducible whatever else runs.
/// The minibatch is one (batchSize, D) matrix per <see cref="Train"/> call, overwritten by every step (pixel bytes
/// when X is the byte-backed CIFAR-10 training matrix, whose products convert them a block at a time).
/// </remarks>
public abstract class LinearClassifier
{
    private readonly Random _random;

    /// <summary>Creates an untrained classifier.</summary>
    /// <param name="seed">Seed for W's initialization and the minibatch sampling; null draws a random seed.</param>
    protected LinearClassifier(int? seed) => _random = seed is int s ? new Random(s) : new Random();

    /// <summary>Weights, shape (D, C); null until <see cref="Train"/> initializes them (or you assign them).</summary>
    public Matrix<double>? W { get; set; }

    /// <summary>The loss at every iteration of the last <see cref="Train"/> call (what it returned); null before training.</summary>
    /// <remarks>Kept on the classifier so the notebook can plot the best model's training after the tuning loop.</remarks>
    public IReadOnlyList<double>? LossHistory { get; private set; }

    /// <summary>用随机梯度下降训练这个线性分类器。Trains by SGD on minibatches sampled with replacement.</summary>
    /// <param name="X">Training data, shape (N, D), one example per row.</param>
    /// <param name="y">Labels, length N; y[i] = c means X[i] has label c, 0 ≤ c &lt; C.</param>
    /// <param name="learningRate">Step size, finite and &gt; 0.</param>
    /// <param name="reg">L2 regularization strength, finite and ≥ 0.</param>
    /// <param name="numIters">Number of SGD steps, &gt; 0.</param>
    /// <param name="batchSize">Examples per step, &gt; 0.</param>
    /// <param name="verbose">Print <c>iteration %d / %d: loss %f</c> every 100 iterations.</param>
    /// <returns>The loss at every iteration.</returns>
    /// <remarks>When W is null it is set to <c>0.001·randn(D, C)</c> with C = max(y) + 1, as in CS231n.</remarks>
    /// <exception cref="ArgumentException">Bad shapes, labels or values; NaN or infinity in X or W.</exception>
    /// <exception cref="OverflowException">The loss overflowed (the learning rate is too large); names the iteration.</exception>
    public IReadOnlyList<double> Train(Matrix<double> X, int[] y, double learningRate = 1e-3, double reg = 1e-5,
        int numIters = 100, int batchSize = 200, bool verbose = false)
    {
        CheckTrainArguments(X, y, learningRate, reg, numIters, batchSize);
        int numTrain = X.RowCount, dim = X.ColumnCount;
        int numClasses = y.Max() + 1;  // assume y takes values 0 … C−1, where C is the number of classes
        // 0.001·randn(D, C), drawn row by row as numpy does
        W ??= Matrix<double>.Build.DenseOfRowMajor(dim, numClasses,
            Enumerable.Range(0, dim * numClasses).Select(_ => 0.001 * Normal.Sample(_random, 0.0, 1.0)));
        CheckWeights(X, y);

        // Run stochastic gradient descent to optimize W
        var lossHistory = new List<double>(numIters);
        var XBatch = X.SelectRows(new int[batchSize]);  // one minibatch buffer, of X's kind, overwritten every step
        var yBatch = new int[batchSize];
        for (int it = 0; it < numIters; it++)
        {
            /////////////////////////////////////////////////////////////////////////
            // TODO: 从训练数据及其相应的标签中采样 batchSize 个元素，以用于本轮梯度下降。
            // 将数据存储在 XBatch 中，将其相应的标签存储在 yBatch 中；采样后，
            // XBatch 的形状应为 (batchSize, dim)，yBatch 的长度应为 batchSize。
            // 提示：用 _random.Next(numTrain) 生成索引，X.SelectRows(indices, XBatch)
            // 就是 numpy 的 X[indices]。有放回采样比无放回采样要快。
            /////////////////////////////////////////////////////////////////////////
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // batch_indices = np.random.choice(num_train, batch_size); X_batch = X[batch_indices]; y_batch = y[batch_indices]
            var batchIndices = new int[batchSize];
            for (int b = 0; b < batchSize; b++)
                batchIndices[b] = _random.Next(numTrain);
            XBatch = X.SelectRows(batchIndices);
            yBatch = batchIndices.Select(index => y[index]).ToArray();

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // evaluate loss and gradient
            var (loss, grad) = Loss(XBatch, yBatch, reg);
            CheckStep(loss, grad, it, numIters, learningRate, reg);
            lossHistory.Add(loss);

            // perform parameter update
            /////////////////////////////////////////////////////////////////////////
            // TODO: 使用梯度和学习率更新权重。
            /////////////////////////////////////////////////////////////////////////
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            W += -learningRate * grad;

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            if (verbose && it % 100 == 0)
                Console.WriteLine(Invariant($"iteration {it} / {numIters}: loss {Py.F(loss)}"));
        }
        LossHistory = lossHistory;
        return lossHistory;
    }

    /// <summary>用训练好的权重预测数据点的标签。Predicts a label for every row: <c>argmax_c (X·W)[i, c]</c>.</summary>
    /// <param name="X">Data, shape (N, D), one example per row.</param>
    /// <returns>Labels, length N, each in [0, C).</returns>
    /// <exception cref="InvalidOperationException">W is not set yet.</exception>
    /// <exception cref="ArgumentException">X's width differs from W's height, X is empty, or X or W holds NaN or infinity.</exception>
    public int[] Predict(Matrix<double> X)
    {
        CheckPredictArguments(X);
        var yPred = new int[X.RowCount];

        /////////////////////////////////////////////////////////////////////////
        // TODO: 实现此方法。将预测的标签存储在 yPred 中。
        /////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // y_pred = np.argmax(X.dot(self.W), axis=1)
        var scores = X * W!;
        for (int i = 0; i < X.RowCount; i++)
            yPred[i] = scores.Row(i).MaximumIndex();

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        return yPred;
    }

    /// <summary>Loss and gradient on a minibatch at the current W, like CS231n's <c>loss(X_batch, y_batch, reg)</c>.</summary>
    /// <param name="XBatch">Minibatch, shape (N, D).</param>
    /// <param name="yBatch">Labels, length N.</param>
    /// <param name="reg">L2 regularization strength.</param>
    /// <returns>The loss, and dW with W's shape (D, C).</returns>
    /// <remarks><see cref="Train"/> may overwrite the returned dW (the update can scale it in place), so return a matrix you do not keep.</remarks>
    public abstract (double Loss, Matrix<double> Grad) Loss(Matrix<double> XBatch, int[] yBatch, double reg);

    /// <summary>W, or an error saying it is not set yet.</summary>
    protected Matrix<double> RequireW() =>
        W ?? throw new InvalidOperationException("W is not set: call Train first (or assign W).");

    private static void CheckTrainArguments(Matrix<double> X, int[] y, double learningRate, double reg, int numIters, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(y);
        LossArguments.CheckX(X);
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, Invariant($"learningRate = {learningRate} must be a finite number > 0."));
        LossArguments.CheckReg(reg);
        if (numIters <= 0)
            throw new ArgumentOutOfRangeException(nameof(numIters), numIters, Invariant($"numIters = {numIters} must be > 0."));
        if (batchSize <= 0 || (long)batchSize * X.ColumnCount > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                Invariant($"batchSize = {batchSize} must be > 0, and a (batchSize, {X.ColumnCount}) minibatch must fit in one array."));
        LossArguments.CheckLabels(y, X.RowCount, int.MaxValue, nameof(y));
        if ((long)X.ColumnCount * (y.Max() + 1L) > Array.MaxLength)
            throw new ArgumentException(
                Invariant($"y holds the label {y.Max()}, so W would be ({X.ColumnCount}, {y.Max() + 1L}): too large for one array. ") +
                "Labels are class indices 0 … C−1.", nameof(y));
        LossArguments.ThrowIfNonFinite(X, nameof(X));
    }

    private void CheckWeights(Matrix<double> X, int[] y)
    {
        LossArguments.CheckSameD(X, W!);
        LossArguments.CheckLabels(y, X.RowCount, W!.ColumnCount, nameof(y));
        LossArguments.ThrowIfNonFinite(W, nameof(W));
    }

    private void CheckStep(double loss, Matrix<double> grad, int it, int numIters, double learningRate, double reg)
    {
        if (grad is null || grad.RowCount != W!.RowCount || grad.ColumnCount != W.ColumnCount)
            throw new InvalidOperationException(
                Invariant($"Loss returned a gradient of shape ({grad?.RowCount}, {grad?.ColumnCount}); expected W's shape ({W!.RowCount}, {W.ColumnCount})."));
        if (!double.IsFinite(loss))
            throw new OverflowException(
                Invariant($"Training diverged at iteration {it} of {numIters}: the loss is {Py.F(loss)} with learningRate = {learningRate} ") +
                Invariant($"and reg = {reg}. W grew until the loss overflowed; try a smaller learning rate (e.g. {learningRate / 10})."));
    }

    private void CheckPredictArguments(Matrix<double> X)
    {
        ArgumentNullException.ThrowIfNull(X);
        var W = RequireW();
        LossArguments.CheckX(X);
        LossArguments.CheckSameD(X, W);
        LossArguments.ThrowIfNonFinite(W, nameof(W));
        LossArguments.ThrowIfNonFinite(X, nameof(X));
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
