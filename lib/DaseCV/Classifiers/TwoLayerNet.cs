using static System.FormattableString;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Classifiers;

/// <summary>
/// 两层全连接神经网络。A two-layer fully-connected neural network: daseCV <c>classifiers/neural_net.py</c>.
/// </summary>
/// <remarks>
/// <para>N examples, D input features, H hidden units, C classes. The architecture is
/// input → fully connected → ReLU → fully connected → softmax, trained with a softmax loss and L2 regularization of the
/// weight matrices: <c>scores = max(0, X·W1 + b1)·W2 + b2</c>,
/// <c>loss = (1/N)·Σ_i −log softmax(scores)[i, y_i] + reg·(Σ W1² + Σ W2²)</c>.</para>
/// <para>The parameters live in <see cref="Params"/> by name, as in the Python dictionary <c>self.params</c>: W1 (D, H),
/// b1 (1, H), W2 (H, C), b2 (1, C). The biases are one-row matrices rather than numpy's 1-D arrays so that every
/// parameter is a <see cref="Matrix{T}"/> that <see cref="GradientCheck"/> can check.</para>
/// <para>X may be the byte-backed CIFAR-10 training matrix (<see cref="CenteredPixelMatrix"/>): <c>X * W1</c> and
/// <c>X.TransposeThisAndMultiply(dHidden)</c> read its bytes directly, and <see cref="Train"/> samples its minibatch
/// into one byte buffer.</para>
/// </remarks>
public sealed class TwoLayerNet
{
    private readonly NumpyRandom _random;

    /// <summary>初始化模型。Initializes the weights to small random values and the biases to zero.</summary>
    /// <param name="inputSize">The input dimension D.</param>
    /// <param name="hiddenSize">The number of hidden units H.</param>
    /// <param name="outputSize">The number of classes C.</param>
    /// <param name="std">Scale of the initial weights: <c>W = std·randn</c>.</param>
    /// <param name="seed">
    /// Seed of numpy's generator (<see cref="NumpyRandom"/>) for the weights and the minibatch sampling: with seed 0
    /// the weights are those of the original notebook's <c>np.random.seed(0)</c>. Null draws a random seed.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or std is negative or not finite.</exception>
    public TwoLayerNet(int inputSize, int hiddenSize, int outputSize, double std = 1e-4, int? seed = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputSize, 1);
        if (!(std >= 0) || double.IsInfinity(std))
            throw new ArgumentOutOfRangeException(nameof(std), std, Invariant($"std = {std} must be a finite number ≥ 0."));
        _random = new NumpyRandom(seed is int s ? unchecked((uint)s) : (uint)Random.Shared.NextInt64(1L << 32));
        var build = Matrix<double>.Build;
        Params = new Dictionary<string, Matrix<double>>
        {
            ["W1"] = std * _random.Randn(inputSize, hiddenSize),
            ["b1"] = build.Dense(1, hiddenSize),
            ["W2"] = std * _random.Randn(hiddenSize, outputSize),
            ["b2"] = build.Dense(1, outputSize),
        };
    }

    /// <summary>
    /// The parameters by name: W1 first layer weights (D, H); b1 first layer biases (1, H); W2 second layer weights
    /// (H, C); b2 second layer biases (1, C).
    /// </summary>
    /// <remarks><see cref="Train"/> updates these matrices in place, so a reference taken before training sees the trained values.</remarks>
    public Dictionary<string, Matrix<double>> Params { get; }

    /// <summary>前向传播：每个类别的得分。The class scores of every example (the Python <c>loss(X)</c> with y None).</summary>
    /// <param name="X">Input data, shape (N, D); each row is one example.</param>
    /// <returns>Scores, shape (N, C): scores[i, c] is the score of class c for X[i].</returns>
    /// <exception cref="ArgumentException">X is empty, its width is not W1's D, or it holds NaN or infinity.</exception>
    public Matrix<double> Loss(Matrix<double> X)
    {
        CheckX(X);
        LossArguments.ThrowIfNonFinite(X, nameof(X));
        return Forward(X).Scores;
    }

    /// <summary>损失和梯度。The loss and the gradient of every parameter on a minibatch (the Python <c>loss(X, y, reg)</c>).</summary>
    /// <param name="X">Input data, shape (N, D); each row is one example.</param>
    /// <param name="y">Labels, length N; y[i] is the label of X[i], 0 ≤ y[i] &lt; C.</param>
    /// <param name="reg">Regularization strength, finite and ≥ 0.</param>
    /// <returns>
    /// The loss (data loss plus L2 regularization of W1 and W2) and the gradients by parameter name, each of its
    /// parameter's shape (the same keys as <see cref="Params"/>).
    /// </returns>
    /// <exception cref="ArgumentException">Bad shapes or labels; X holds NaN or infinity.</exception>
    /// <remarks><see cref="Train"/> scales the returned gradients in place; return matrices you do not keep.</remarks>
    public (double Loss, Dictionary<string, Matrix<double>> Grads) Loss(Matrix<double> X, int[] y, double reg = 0.0)
    {
        CheckX(X);
        ArgumentNullException.ThrowIfNull(y);
        LossArguments.CheckLabels(y, X.RowCount, Params["W2"].ColumnCount, nameof(y));
        LossArguments.CheckReg(reg);
        var (W1, W2) = (Params["W1"], Params["W2"]);
        int N = X.RowCount;
        var (hidden, scores) = Forward(X);

        // Compute the loss
        double loss = 0.0;
        /////////////////////////////////////////////////////////////////////////////
        // TODO: 完成向前传播，计算损失。
        // 这应该包括数据损失和W1和W2的L2正则化项。
        // 将结果存储在变量loss中，它应该是一个标量。
        // 使用Softmax损失函数。
        /////////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // Subtract each row's max before exp: big scores would overflow, and softmax is unchanged by the shift.
        var rowMax = scores.EnumerateRows().Select(row => row.Maximum()).ToArray();
        var shifted = scores.MapIndexed((i, j, s) => s - rowMax[i]);           // (N, C)
        var sumExp = shifted.PointwiseExp().RowSums();                         // (N,)
        // −log p[i, y_i] = log Σ_j exp(s_ij) − s[i, y_i]
        loss = Enumerable.Range(0, N).Sum(i => Math.Log(sumExp[i]) - shifted[i, y[i]]) / N;
        loss += reg * (Math.Pow(W1.FrobeniusNorm(), 2) + Math.Pow(W2.FrobeniusNorm(), 2));

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // Backward pass: compute gradients
        var grads = new Dictionary<string, Matrix<double>>();
        /////////////////////////////////////////////////////////////////////////////
        // TODO: 计算反向传播，计算权重和偏置值的梯度, 将结果存储在grads字典中。
        // 例如，grads["W1"]存储W1的梯度，并且和W1是相同大小的矩阵。
        // （b1、b2 的梯度是一行的矩阵，形状 (1, H)、(1, C)，与 Params 中的 b1、b2 相同。）
        /////////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // dScores = (P − onehot(y)) / N, the gradient of the data loss with respect to the scores
        var dScores = shifted.MapIndexed((i, j, s) => (Math.Exp(s) / sumExp[i] - (j == y[i] ? 1 : 0)) / N);  // (N, C)
        grads["W2"] = hidden.TransposeThisAndMultiply(dScores) + 2 * reg * W2;                              // (H, C)
        grads["b2"] = dScores.ColumnSums().ToRowMatrix();                                                    // (1, C)

        var dHidden = dScores.TransposeAndMultiply(W2);                                                      // (N, H) = dScores·W2ᵀ
        // ReLU passes the gradient only where its input was positive (where hidden > 0).
        dHidden.MapIndexedInplace((i, j, d) => hidden[i, j] > 0 ? d : 0.0);
        var dW1 = X.TransposeThisAndMultiply(dHidden);                                                       // (D, H)
        dW1.Add(2 * reg * W1, result: dW1);
        grads["W1"] = dW1;
        grads["b1"] = dHidden.ColumnSums().ToRowMatrix();                                                    // (1, H)

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        CheckGradients(grads);
        return (loss, grads);
    }

    /// <summary>使用随机梯度下降训练这个神经网络。Trains by minibatch SGD with an exponentially decaying learning rate.</summary>
    /// <param name="X">Training data, shape (N, D).</param>
    /// <param name="y">Training labels, length N; y[i] = c means X[i] has label c, 0 ≤ c &lt; C.</param>
    /// <param name="XVal">Validation data, shape (N_val, D).</param>
    /// <param name="yVal">Validation labels, length N_val.</param>
    /// <param name="learningRate">Step size of SGD, finite and &gt; 0.</param>
    /// <param name="learningRateDecay">Factor applied to the learning rate after each epoch, finite and &gt; 0.</param>
    /// <param name="reg">Regularization strength, finite and ≥ 0.</param>
    /// <param name="numIters">Number of steps to take, &gt; 0.</param>
    /// <param name="batchSize">Training examples per step, &gt; 0 (sampled with replacement).</param>
    /// <param name="verbose">Print <c>iteration %d / %d: loss %f</c> every 100 iterations.</param>
    /// <param name="progress">Receives the number of finished iterations after each one (a progress bar); optional.</param>
    /// <returns>The loss of every iteration, and the minibatch and validation accuracy at the start of every epoch.</returns>
    /// <exception cref="ArgumentException">Bad shapes, labels or values; NaN or infinity in X.</exception>
    /// <exception cref="OverflowException">The loss overflowed (the learning rate is too large); names the iteration.</exception>
    public TrainingHistory Train(Matrix<double> X, int[] y, Matrix<double> XVal, int[] yVal,
        double learningRate = 1e-3, double learningRateDecay = 0.95, double reg = 5e-6, int numIters = 100,
        int batchSize = 200, bool verbose = false, IProgress<int>? progress = null)
    {
        CheckTrainArguments(X, y, XVal, yVal, learningRate, learningRateDecay, reg, numIters, batchSize);
        int numTrain = X.RowCount;
        double iterationsPerEpoch = Math.Max(numTrain / (double)batchSize, 1);

        // Use SGD to optimize the parameters in Params
        var lossHistory = new List<double>(numIters);
        var trainAccHistory = new List<double>();
        var valAccHistory = new List<double>();

        var XBatch = X.SelectRows(new int[batchSize]);  // one minibatch buffer, of X's kind, overwritten every step
        var yBatch = new int[batchSize];
        for (int it = 0; it < numIters; it++)
        {
            /////////////////////////////////////////////////////////////////////////
            // TODO: 创建一个随机的数据和标签的mini-batch，存储在XBatch和yBatch中。
            // 提示：用 _random.RandInt(numTrain) 生成索引（numpy 的 np.random.choice(numTrain, batchSize)），
            // X.SelectRows(indices, XBatch) 就是 numpy 的 X[indices]。
            /////////////////////////////////////////////////////////////////////////
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            var batchIndices = Enumerable.Range(0, batchSize).Select(_ => _random.RandInt(numTrain)).ToArray();
            X.SelectRows(batchIndices, XBatch);  // X[batch_indices], into the same buffer every step
            for (int b = 0; b < batchSize; b++) yBatch[b] = y[batchIndices[b]];

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // Compute loss and gradients using the current minibatch
            var (loss, grads) = Loss(XBatch, yBatch, reg);
            if (!double.IsFinite(loss))
                throw new OverflowException(
                    Invariant($"Training diverged at iteration {it} of {numIters}: the loss is {Py.F(loss)} with learningRate = {learningRate} ") +
                    Invariant($"and reg = {reg}. Try a smaller learning rate (e.g. {learningRate / 10})."));
            lossHistory.Add(loss);

            /////////////////////////////////////////////////////////////////////////
            // TODO: 使用grads字典中的梯度来更新网络参数(参数存储在字典Params中)
            // 使用随机梯度下降法。
            /////////////////////////////////////////////////////////////////////////
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // Params[name] -= learningRate * grads[name], in place: the gradient is scaled where it lies.
            foreach (var (name, grad) in grads)
            {
                grad.Multiply(learningRate, result: grad);
                Params[name].Subtract(grad, result: Params[name]);
            }

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            if (verbose && it % 100 == 0)
                Console.WriteLine(Invariant($"iteration {it} / {numIters}: loss {Py.F(loss)}"));

            // Every epoch, check train and val accuracy and decay learning rate.
            if (it % iterationsPerEpoch == 0)
            {
                // Check accuracy
                trainAccHistory.Add(Accuracy(Predict(XBatch), yBatch));
                valAccHistory.Add(Accuracy(Predict(XVal), yVal));

                // Decay learning rate
                learningRate *= learningRateDecay;
            }
            progress?.Report(it + 1);
        }

        return new TrainingHistory(lossHistory, trainAccHistory, valAccHistory);
    }

    /// <summary>用训练好的网络预测标签。Predicts the label of every row: the class with the highest score.</summary>
    /// <param name="X">Data, shape (N, D).</param>
    /// <returns>Labels, length N; yPred[i] = c means X[i] is predicted to have class c, 0 ≤ c &lt; C.</returns>
    /// <exception cref="ArgumentException">X is empty, its width is not W1's D, or it holds NaN or infinity.</exception>
    public int[] Predict(Matrix<double> X)
    {
        CheckX(X);
        LossArguments.ThrowIfNonFinite(X, nameof(X));
        var yPred = new int[X.RowCount];

        ///////////////////////////////////////////////////////////////////////////
        // TODO: 实现此方法。将预测的标签存储在 yPred 中。它应该非常简单！
        ///////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        var scores = Loss(X);                                                         // (N, C)
        yPred = scores.EnumerateRows().Select(row => row.MaximumIndex()).ToArray();   // np.argmax(scores, axis=1)

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        return yPred;
    }

    /// <summary>The forward pass: the hidden layer's output, which the backward pass needs, and the scores.</summary>
    /// <param name="X">Input data, shape (N, D).</param>
    /// <returns>hidden = max(0, X·W1 + b1), shape (N, H), and scores = hidden·W2 + b2, shape (N, C).</returns>
    private (Matrix<double> Hidden, Matrix<double> Scores) Forward(Matrix<double> X)
    {
        // Unpack variables from the params dictionary
        var (W1, b1) = (Params["W1"], Params["b1"]);
        var (W2, b2) = (Params["W2"], Params["b2"]);

        // Compute the forward pass
        Matrix<double> hidden = null!, scores = null!;
        /////////////////////////////////////////////////////////////////////////////
        // TODO: 执行向前传播，计算输入数据的每个类的score。
        // 将结果存储在scores变量中，该变量应该是一个(N, C)维的数组。
        // 把隐藏层（ReLU 之后）的输出存储在 hidden 中，形状 (N, H)：反向传播要用到它。
        // b1、b2 是一行的矩阵：numpy 的广播 X.dot(W1) + b1 要对每一行加上 b1。
        /////////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        hidden = X * W1;                                                    // (N, H)
        hidden.MapIndexedInplace((i, j, h) => Math.Max(0.0, h + b1[0, j])); // ReLU(X·W1 + b1)
        scores = hidden * W2;                                               // (N, C)
        scores.MapIndexedInplace((i, j, s) => s + b2[0, j]);                // + b2

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        if (scores is null || scores.RowCount != X.RowCount || scores.ColumnCount != W2.ColumnCount)
            throw new InvalidOperationException(
                Invariant($"The forward pass gave scores of shape ({scores?.RowCount}, {scores?.ColumnCount}); expected (N, C) = ({X.RowCount}, {W2.ColumnCount})."));
        return (hidden, scores);
    }

    private static double Accuracy(int[] yPred, int[] y) => yPred.Zip(y).Average(p => p.First == p.Second ? 1.0 : 0.0);

    private void CheckX(Matrix<double> X)
    {
        ArgumentNullException.ThrowIfNull(X);
        LossArguments.CheckX(X);
        var W1 = Params["W1"];
        if (X.ColumnCount != W1.RowCount)
            throw new ArgumentException(
                Invariant($"X is ({X.RowCount}, {X.ColumnCount}) but W1 is ({W1.RowCount}, {W1.ColumnCount}); ") +
                "expected X (N, D) and W1 (D, H) with the same D.", nameof(X));
    }

    private void CheckGradients(Dictionary<string, Matrix<double>> grads)
    {
        foreach (var (name, param) in Params)
            if (!grads.TryGetValue(name, out var grad) || grad is null || grad.RowCount != param.RowCount || grad.ColumnCount != param.ColumnCount)
                throw new InvalidOperationException(
                    Invariant($"grads[\"{name}\"] is ") + (grad is null ? "missing" : Invariant($"({grad.RowCount}, {grad.ColumnCount})")) +
                    Invariant($"; expected the shape of Params[\"{name}\"], ({param.RowCount}, {param.ColumnCount})."));
    }

    private void CheckTrainArguments(Matrix<double> X, int[] y, Matrix<double> XVal, int[] yVal,
        double learningRate, double learningRateDecay, double reg, int numIters, int batchSize)
    {
        CheckX(X);
        CheckX(XVal);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(yVal);
        int C = Params["W2"].ColumnCount;
        LossArguments.CheckLabels(y, X.RowCount, C, nameof(y));
        LossArguments.CheckLabels(yVal, XVal.RowCount, C, nameof(yVal));
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, Invariant($"learningRate = {learningRate} must be a finite number > 0."));
        if (!(learningRateDecay > 0) || double.IsInfinity(learningRateDecay))
            throw new ArgumentOutOfRangeException(nameof(learningRateDecay), learningRateDecay, Invariant($"learningRateDecay = {learningRateDecay} must be a finite number > 0."));
        LossArguments.CheckReg(reg);
        if (numIters <= 0)
            throw new ArgumentOutOfRangeException(nameof(numIters), numIters, Invariant($"numIters = {numIters} must be > 0."));
        if (batchSize <= 0 || (long)batchSize * X.ColumnCount > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                Invariant($"batchSize = {batchSize} must be > 0, and a (batchSize, {X.ColumnCount}) minibatch must fit in one array."));
        LossArguments.ThrowIfNonFinite(X, nameof(X));
        LossArguments.ThrowIfNonFinite(XVal, nameof(XVal));
    }
}

/// <summary>What <see cref="TwoLayerNet.Train"/> returns: the Python dictionary <c>stats</c>.</summary>
/// <param name="LossHistory">The minibatch loss of every iteration (<c>stats['loss_history']</c>).</param>
/// <param name="TrainAccHistory">Accuracy on the current minibatch at the start of every epoch (<c>stats['train_acc_history']</c>).</param>
/// <param name="ValAccHistory">Accuracy on the validation set at the start of every epoch (<c>stats['val_acc_history']</c>).</param>
public sealed record TrainingHistory(IReadOnlyList<double> LossHistory, IReadOnlyList<double> TrainAccHistory, IReadOnlyList<double> ValAccHistory);
