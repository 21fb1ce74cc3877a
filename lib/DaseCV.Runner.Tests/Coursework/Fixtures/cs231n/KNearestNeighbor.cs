using static System.FormattableString;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Classifiers;

/// <summary>A kNN classifier with L2 distance: CS231n <c>classifiers/k_nearest_neighbor.py</c>.</summary>
/// <remarks>
/// numTrain training points and numTest test points, each a row of D features (3072 raw pixels for CIFAR-10).
/// Training memorizes the data; prediction computes the (numTest, numTrain) matrix of Euclidean distances
/// <c>dists[i, j] = ‖X[i] − XTrain[j]‖₂</c> one of three ways (two loops, one loop, no loops) and lets the k nearest
/// training points vote. The no-loop version uses <c>‖a − b‖² = ‖a‖² − 2·a·b + ‖b‖²</c>, so its work is one matrix
/// product <c>X·XTrainᵀ</c>, which runs on the SIMD provider DaseCV installs under MathNet.
/// </remarks>
public sealed class KNearestNeighbor
{
    /// <summary>The memorized training data, shape (numTrain, D); null before <see cref="Train"/>.</summary>
    public Matrix<double>? XTrain { get; private set; }

    /// <summary>The memorized training labels, length numTrain; null before <see cref="Train"/>.</summary>
    public int[]? yTrain { get; private set; }

    /// <summary>训练分类器：对 k-近邻来说就是记住训练数据。Train the classifier: for kNN this just memorizes the training data.</summary>
    /// <param name="X">Training data, shape (numTrain, D), one example per row; kept, not copied.</param>
    /// <param name="y">Training labels, length numTrain; y[i] is the label of X[i], ≥ 0.</param>
    /// <exception cref="ArgumentException">X is empty, y's length differs from numTrain, or a label is negative.</exception>
    public void Train(Matrix<double> X, int[] y)
    {
        ArgumentNullException.ThrowIfNull(X);
        ArgumentNullException.ThrowIfNull(y);
        LossArguments.CheckX(X);
        LossArguments.CheckLabels(y, X.RowCount, int.MaxValue, nameof(y));
        XTrain = X;
        yTrain = y;
    }

    /// <summary>用这个分类器预测测试数据的标签。Predicts a label for every row of X.</summary>
    /// <param name="X">Test data, shape (numTest, D).</param>
    /// <param name="k">The number of nearest neighbors that vote for the predicted labels, in [1, numTrain].</param>
    /// <param name="numLoops">Which implementation computes the distances: 0, 1 or 2 loops.</param>
    /// <returns>Predicted labels, length numTest; element i is the prediction for X[i].</returns>
    /// <exception cref="InvalidOperationException">The classifier is not trained yet.</exception>
    /// <exception cref="ArgumentOutOfRangeException">numLoops is not 0, 1 or 2, or k is outside [1, numTrain].</exception>
    public int[] Predict(Matrix<double> X, int k = 1, int numLoops = 0)
    {
        var dists = numLoops switch
        {
            0 => ComputeDistancesNoLoops(X),
            1 => ComputeDistancesOneLoop(X),
            2 => ComputeDistancesTwoLoops(X),
            _ => throw new ArgumentOutOfRangeException(nameof(numLoops), numLoops, Invariant($"Invalid value {numLoops} for numLoops; expected 0, 1 or 2.")),
        };
        return PredictLabels(dists, k);
    }

    /// <summary>
    /// 用训练数据和测试数据上的双重循环计算距离。Euclidean distance from every test point to every training point,
    /// with a nested loop over both.
    /// </summary>
    /// <param name="X">Test data, shape (numTest, D).</param>
    /// <returns>dists, shape (numTest, numTrain): dists[i, j] is the Euclidean distance between X[i] and XTrain[j].</returns>
    /// <exception cref="InvalidOperationException">The classifier is not trained yet.</exception>
    /// <exception cref="ArgumentException">X's D differs from XTrain's, or X is empty.</exception>
    public Matrix<double> ComputeDistancesTwoLoops(Matrix<double> X)
    {
        var XTrain = CheckTestData(X);
        int numTest = X.RowCount, numTrain = XTrain.RowCount;
        var dists = Matrix<double>.Build.Dense(numTest, numTrain);
        // The rows as vectors, taken once: MathNet stores a matrix column by column, so X.Row(i) gathers D
        // scattered numbers, and doing that 2·numTest·numTrain times would cost more than the arithmetic.
        var testRows = X.EnumerateRows().ToArray();
        var trainRows = XTrain.EnumerateRows().ToArray();
        for (int i = 0; i < numTest; i++)
        {
            for (int j = 0; j < numTrain; j++)
            {
                /////////////////////////////////////////////////////////////////////
                // TODO:
                // 计算第 i 个测试点与第 j 个训练点之间的 l2 距离，并将结果存储在 dists[i, j] 中。
                // 你不应使用循环，也不应使用 L2Norm() 或 MathNet.Numerics.Distance
                // （numpy 的 np.linalg.norm()）。第 i 个测试点是 testRows[i]，第 j 个训练点是 trainRows[j]。
                /////////////////////////////////////////////////////////////////////
                // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

                // dists[i, j] = np.sqrt(np.sum(np.square(X[i] - self.X_train[j])))
                dists[i, j] = Math.Sqrt((testRows[i] - trainRows[j]).PointwisePower(2).Sum());

                // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            }
        }
        return dists;
    }

    /// <summary>
    /// 用测试数据上的单层循环计算距离。Euclidean distance from every test point to every training point, with one
    /// loop over the test points; same contract as <see cref="ComputeDistancesTwoLoops"/>.
    /// </summary>
    /// <param name="X">Test data, shape (numTest, D).</param>
    /// <returns>dists, shape (numTest, numTrain): dists[i, j] is the Euclidean distance between X[i] and XTrain[j].</returns>
    /// <exception cref="InvalidOperationException">The classifier is not trained yet.</exception>
    /// <exception cref="ArgumentException">X's D differs from XTrain's, or X is empty.</exception>
    public Matrix<double> ComputeDistancesOneLoop(Matrix<double> X)
    {
        var XTrain = CheckTestData(X);
        int numTest = X.RowCount, numTrain = XTrain.RowCount;
        var dists = Matrix<double>.Build.Dense(numTest, numTrain);
        var trainSquares = XTrain.PointwiseMultiply(XTrain).RowSums();  // (numTrain,): ‖XTrain[j]‖², the same for every i
        for (int i = 0; i < numTest; i++)
        {
            ///////////////////////////////////////////////////////////////////////
            // TODO:
            // 计算第 i 个测试点与所有训练点之间的 l2 距离，并将结果存储在 dists 的第 i 行中
            // （dists.SetRow(i, …)，numpy 的 dists[i, :]）。不要使用 L2Norm() 或 MathNet.Numerics.Distance。
            // 提示：MathNet 不会像 numpy 那样自动广播 XTrain - X[i]；把 ‖a − b‖² 展开成 ‖a‖² − 2·a·b + ‖b‖²，
            // 所有的 a·b 就是一个矩阵与向量的乘积 XTrain * X.Row(i)。trainSquares 是每个训练点的 ‖b‖²。
            ///////////////////////////////////////////////////////////////////////
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // dists[i, :] = np.sqrt(np.sum(np.square(self.X_train - X[i]), axis=1)); MathNet does not broadcast X[i].
            var xi = X.Row(i);
            var repeated = Matrix<double>.Build.Dense(numTrain, X.ColumnCount, (r, c) => xi[c]);
            dists.SetRow(i, (XTrain - repeated).PointwisePower(2).RowSums().PointwiseSqrt());

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        }
        return dists;
    }

    /// <summary>
    /// 不使用显式循环计算距离。Euclidean distance from every test point to every training point, with no explicit
    /// loop; same contract as <see cref="ComputeDistancesTwoLoops"/>.
    /// </summary>
    /// <param name="X">Test data, shape (numTest, D).</param>
    /// <returns>dists, shape (numTest, numTrain): dists[i, j] is the Euclidean distance between X[i] and XTrain[j].</returns>
    /// <exception cref="InvalidOperationException">The classifier is not trained yet.</exception>
    /// <exception cref="ArgumentException">X's D differs from XTrain's, or X is empty.</exception>
    public Matrix<double> ComputeDistancesNoLoops(Matrix<double> X)
    {
        var XTrain = CheckTestData(X);
        int numTest = X.RowCount, numTrain = XTrain.RowCount;
        var dists = Matrix<double>.Build.Dense(numTest, numTrain);
        /////////////////////////////////////////////////////////////////////////
        // TODO:
        // 在不使用任何显式循环的情况下，计算所有测试点和所有训练点之间的 l2 距离，
        // 并将结果存储在 dists 中。
        // 您应该仅使用基本的矩阵操作来实现此功能。
        // 不可以使用 L2Norm() 和 MathNet.Numerics.Distance（numpy 的 np.linalg.norm()）。
        //
        // 提示：尝试使用矩阵乘法（X.TransposeAndMultiply(XTrain) 即 X·XTrainᵀ）和两个平方和向量计算 l2 距离。
        /////////////////////////////////////////////////////////////////////////
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // dists = np.sqrt(-2 * X.dot(self.X_train.T) + np.sum(self.X_train ** 2, axis=1) + np.sum(X ** 2, axis=1)[:, np.newaxis])
        var trainSq = XTrain.PointwisePower(2).RowSums();
        var testSq = X.PointwisePower(2).RowSums();
        dists = -2 * X.TransposeAndMultiply(XTrain);
        // Equal points can round to a tiny negative square, whose root would be NaN.
        dists = dists.MapIndexed((i, j, d) => Math.Sqrt(Math.Max(0.0, d + trainSq[j] + testSq[i])));

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        return dists;
    }

    /// <summary>
    /// 给定测试点和训练点之间的距离矩阵，预测每个测试点的标签。Lets the k nearest training points of every test point
    /// vote; a tie goes to the smaller label (numpy's <c>np.bincount(closest_y).argmax()</c>).
    /// </summary>
    /// <param name="dists">Distances, shape (numTest, numTrain): dists[i, j] between the ith test and jth training point.</param>
    /// <param name="k">The number of nearest neighbors that vote, in [1, numTrain].</param>
    /// <returns>Predicted labels, length numTest; element i is the prediction for test point i.</returns>
    /// <exception cref="InvalidOperationException">The classifier is not trained yet.</exception>
    /// <exception cref="ArgumentException">dists does not have one column per training point.</exception>
    /// <exception cref="ArgumentOutOfRangeException">k is outside [1, numTrain].</exception>
    public int[] PredictLabels(Matrix<double> dists, int k = 1)
    {
        var yTrain = CheckDistances(dists, k);
        int numTest = dists.RowCount, numTrain = dists.ColumnCount;
        var yPred = new int[numTest];
        for (int i = 0; i < numTest; i++)
        {
            // The labels of the k nearest neighbors of the ith test point.
            int[] closestY = [];
            /////////////////////////////////////////////////////////////////////////
            // TODO:
            // 使用距离矩阵查找第 i 个测试点的 k 个最近邻居，
            // 并使用 yTrain 查找这些邻居的标签。
            // 将这些标签存储在 closestY 中。
            //
            // 提示：numpy.argsort 可以写成 Enumerable.Range(0, numTrain).OrderBy(j => dists[i, j])。
            /////////////////////////////////////////////////////////////////////////
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // closest_y = self.y_train[np.argsort(dists[i])[:k]]
            closestY = dists.Row(i).Select((d, j) => (d, j)).OrderBy(p => p.d).Take(k).Select(p => yTrain[p.j]).ToArray();

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            /////////////////////////////////////////////////////////////////////////
            // TODO:
            // 现在，你已经找到了 k 个最近邻的标签，接着需要在 closestY 中找到最可能的标签。
            // 将此标签存储在 yPred[i] 中。如果有两个标签可能性一样的话选择索引更小的那个。
            /////////////////////////////////////////////////////////////////////////
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // y_pred[i] = np.argmax(np.bincount(closest_y)): the most votes, the smaller label on a tie
            yPred[i] = closestY.GroupBy(label => label).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        }
        return yPred;
    }

    /// <summary>XTrain, after checking that X can be compared with it.</summary>
    private Matrix<double> CheckTestData(Matrix<double> X)
    {
        ArgumentNullException.ThrowIfNull(X);
        var XTrain = this.XTrain ?? throw new InvalidOperationException("The classifier is not trained: call Train(XTrain, yTrain) first.");
        LossArguments.CheckX(X);
        if (X.ColumnCount != XTrain.ColumnCount)
            throw new ArgumentException(
                Invariant($"X is ({X.RowCount}, {X.ColumnCount}) but XTrain is ({XTrain.RowCount}, {XTrain.ColumnCount}); ") +
                "expected test and training points with the same D.", nameof(X));
        return XTrain;
    }

    /// <summary>yTrain, after checking dists and k against it.</summary>
    private int[] CheckDistances(Matrix<double> dists, int k)
    {
        ArgumentNullException.ThrowIfNull(dists);
        var yTrain = this.yTrain ?? throw new InvalidOperationException("The classifier is not trained: call Train(XTrain, yTrain) first.");
        if (dists.ColumnCount != yTrain.Length)
            throw new ArgumentException(
                Invariant($"dists is ({dists.RowCount}, {dists.ColumnCount}) but there are {yTrain.Length} training points; ") +
                "expected dists of shape (numTest, numTrain).", nameof(dists));
        if (k < 1 || k > yTrain.Length)
            throw new ArgumentOutOfRangeException(nameof(k), k, Invariant($"k = {k} must be in [1, {yTrain.Length}], the number of training points."));
        return yTrain;
    }
}
