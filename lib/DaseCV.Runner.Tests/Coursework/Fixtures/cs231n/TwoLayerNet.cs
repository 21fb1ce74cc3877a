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

        // CS231n: shift, exponentiate, normalize; the data loss is the mean of −log probs[y].
        var shiftedScores = scores.Clone();
        for (int i = 0; i < N; i++)
        {
            double max = shiftedScores.Row(i).Maximum();
            for (int j = 0; j < shiftedScores.ColumnCount; j++)
                shiftedScores[i, j] -= max;
        }
        var probs = shiftedScores.PointwiseExp();
        var rowSums = probs.RowSums();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < probs.ColumnCount; j++)
                probs[i, j] /= rowSums[i];
        double dataLoss = 0.0;
        for (int i = 0; i < N; i++)
            dataLoss += -Math.Log(probs[i, y[i]]);
        loss = dataLoss / N + reg * (W1.PointwiseMultiply(W1).Enumerate().Sum() + W2.PointwiseMultiply(W2).Enumerate().Sum());

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // Backward pass: compute gradients
        var grads = new Dictionary<string, Matrix<double>>();
        /////////////////////////////////////////////////////////////////////////////
        // TODO: 计算反向传播，计算权重和偏置值的梯度, 将结果存储在grads字典中。
        // 例如，grads["W1"]存储W1的梯度，并且和W1是相同大小的矩阵。
        // （b1、b2 的梯度是一行的矩阵，形状 (1, H)、(1, C)，与 Params 中的 b1、b2 相同。）
        /////////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // dscores = probs; dscores[range(N), y] -= 1; dscores /= N
        var dscores = probs.Clone();
        for (int i = 0; i < N; i++)
            dscores[i, y[i]] -= 1;
        dscores /= N;
        grads["W2"] = hidden.Transpose() * dscores + 2 * reg * W2;
        grads["b2"] = Matrix<double>.Build.DenseOfRowVectors(dscores.ColumnSums());
        // Back through W2, then through the ReLU: only where the hidden unit was active.
        var dhidden = dscores * W2.Transpose();
        dhidden = dhidden.PointwiseMultiply(hidden.Map(h => h > 0 ? 1.0 : 0.0));
        grads["W1"] = X.Transpose() * dhidden + 2 * reg * W1;
        grads["b1"] = Matrix<double>.Build.DenseOfRowVectors(dhidden.ColumnSums());

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

            // idx = np.random.choice(num_train, batch_size); X_batch = X[idx]; y_batch = y[idx]
            var idx = new int[batchSize];
            for (int b = 0; b < batchSize; b++)
                idx[b] = _random.RandInt(numTrain);
            XBatch = X.SelectRows(idx);
            yBatch = idx.Select(index => y[index]).ToArray();

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

            Params["W1"] -= learningRate * grads["W1"];
            Params["b1"] -= learningRate * grads["b1"];
            Params["W2"] -= learningRate * grads["W2"];
            Params["b2"] -= learningRate * grads["b2"];

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

        // y_pred = np.argmax(self.loss(X), axis=1)
        var scores = Loss(X);
        for (int i = 0; i < yPred.Length; i++)
            yPred[i] = scores.Row(i).MaximumIndex();

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

        // h1 = np.maximum(0, X.dot(W1) + b1); scores = h1.dot(W2) + b2
        var z1 = X * W1 + Matrix<double>.Build.Dense(X.RowCount, W1.ColumnCount, (i, j) => b1[0, j]);
        hidden = z1.PointwiseMaximum(0.0);
        scores = hidden * W2 + Matrix<double>.Build.Dense(X.RowCount, W2.ColumnCount, (i, j) => b2[0, j]);

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
