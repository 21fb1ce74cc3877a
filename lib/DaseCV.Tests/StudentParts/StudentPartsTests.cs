using DaseCV.Classifiers;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.StudentParts;

/// <summary>
/// The notebook's own checks of the parts students write, as tests they can run
/// (<c>dotnet test lib/DaseCV.Tests</c>): before a part is written its tests are
/// skipped with the stub's message; afterwards they must pass, and a failure says which slip it found.
/// </summary>
public sealed class StudentPartsTests
{
    /// <summary>SoftmaxLoss.Naive or SoftmaxLoss.Vectorized: the checks below run on both.</summary>
    private delegate (double Loss, Matrix<double> Grad) LossFunction(Matrix<double> W, Matrix<double> X, int[] y, double reg);

    private static (Matrix<double> W, Matrix<double> X, int[] y) Problem(int N, int D, int C, double wScale, int seed)
    {
        var random = new Random(seed);
        var W = Matrix<double>.Build.Random(D, C, new Normal(0, 1, random)) * wScale;
        var X = Matrix<double>.Build.Random(N, D, new Normal(0, 1, random));
        var y = Enumerable.Range(0, N).Select(_ => random.Next(C)).ToArray();
        return (W, X, y);
    }

    private static double Relative(Matrix<double> actual, Matrix<double> expected) =>
        (actual - expected).FrobeniusNorm() / Math.Max(1e-12, expected.FrobeniusNorm());

    /// <summary>Why an analytic gradient differs from the numerical one, when it is one of the usual slips.</summary>
    private static string GradientMessage(Matrix<double> grad, Matrix<double> numerical, Matrix<double> W, double reg, int N)
    {
        var difference = $"解析梯度与数值梯度相差 {(numerical - grad).FrobeniusNorm():E2} (analytic and numerical gradients differ by {(numerical - grad).FrobeniusNorm():E2})";
        if (Relative(grad / N, numerical) < 1e-5 || Relative((grad - 2 * reg * W) / N + 2 * reg * W, numerical) < 1e-5)
            return difference + "：dW 未除以 N，数据项是 N 倍，应除以样本数 N (dW not divided by N: its data term is N times too large; divide it by the number of examples N).";
        if (reg > 0 && Relative(grad + 2 * reg * W, numerical) < 1e-5)
            return difference + "：dW 缺少正则化项的梯度 2·reg·W (dW lacks the regularization gradient 2·reg·W).";
        if (reg > 0 && Relative(grad + reg * W, numerical) < 1e-5)
            return difference + "：正则化项 reg·ΣW² 的梯度是 2·reg·W，不是 reg·W (the gradient of reg·ΣW² is 2·reg·W, not reg·W).";
        return difference + ".";
    }

    /// <summary>Why a loss is not about log C for tiny weights, when it is one of the usual slips.</summary>
    private static string LogCMessage(double loss, int N, int C) =>
        $"W 很小时损失应约为 log({C}) = {Math.Log(C):F4}，实际为 {loss:F4} (with tiny W the loss should be about log {C}, not {loss:F4})" +
        (Math.Abs(loss - N * Math.Log(C)) < 0.01 * N ? $"：损失是 N = {N} 倍，没有除以样本数 N (the loss is N times too large: divide by N)." :
         Math.Abs(loss + Math.Log(C)) < 0.01 ? "：符号反了，损失是 −log(正确类别的概率) (the sign is wrong: the loss is −log of the correct class's probability)." : ".");

    private static void CheckLogC(LossFunction softmax)
    {
        var (W, X, y) = Problem(50, 20, 10, 1e-4, seed: 1);

        var (loss, _) = StudentCode.Run(() => softmax(W, X, y, 0.0));

        Assert.True(Math.Abs(loss - Math.Log(10)) < 0.01, LogCMessage(loss, 50, 10));
    }

    private static void CheckNumericalGradient(LossFunction softmax, double reg)
    {
        var (W, X, y) = Problem(20, 8, 4, 0.1, seed: 2);

        var (_, grad) = StudentCode.Run(() => softmax(W, X, y, reg));

        var numerical = GradientCheck.EvalNumericalGradient(w => softmax(w, X, y, reg).Loss, W, verbose: false);
        Assert.True((numerical - grad).FrobeniusNorm() < 1e-6 * Math.Max(1, numerical.FrobeniusNorm()), GradientMessage(grad, numerical, W, reg, 20));
    }

    private static void CheckRegularization(LossFunction softmax)
    {
        // What reg adds, measured as the difference from reg = 0: the data term cancels, whatever it is.
        var (W, X, y) = Problem(20, 8, 4, 0.5, seed: 3);
        const double reg = 0.3;

        var (loss0, grad0) = StudentCode.Run(() => softmax(W, X, y, 0.0));
        var (lossReg, gradReg) = StudentCode.Run(() => softmax(W, X, y, reg));

        var sumOfSquares = W.Enumerate().Sum(w => w * w);
        var added = lossReg - loss0;
        Assert.True(Math.Abs(added - reg * sumOfSquares) < 1e-9 * Math.Max(1, sumOfSquares),
            $"正则化使损失增加 {added:F6}，应为 reg·ΣW² = {reg * sumOfSquares:F6} (regularization added {added:F6} to the loss; expected reg·ΣW² = {reg * sumOfSquares:F6})" +
            (Math.Abs(added - 0.5 * reg * sumOfSquares) < 1e-9 * Math.Max(1, sumOfSquares) ? "：多乘了 1/2 (an extra factor 1/2)." : "."));
        var gradAdded = gradReg - grad0;
        Assert.True(Relative(gradAdded, 2 * reg * W) < 1e-9,
            "dW 的正则化部分应为 2·reg·W (the regularization part of dW should be 2·reg·W)" +
            (gradAdded.FrobeniusNorm() < 1e-12 ? "：dW 没有正则化项 (dW has no regularization term)." :
             Relative(gradAdded, reg * W) < 1e-9 ? "：它是 reg·W，少了因子 2 (it is reg·W: the factor 2 is missing)." :
             Relative(gradAdded * X.RowCount, 2 * reg * W) < 1e-9 ? "：它被除以了 N，只有数据项要除以 N (it was divided by N; only the data term is)." : "."));
    }

    private static void CheckLargeScores(LossFunction softmax)
    {
        // The same problem twice: moderate scores, then every row's scores moved by +1e4 or −1e4 (a column of ±1 in
        // X times a row of 1e4 in W). Softmax is unchanged when a row's scores all move together, so loss and dW must
        // be too; exp(1e4) overflows and exp(−1e4) underflows to 0, so only code that subtracts each row's maximum
        // score before exp computes them.
        var (W, X, y) = Problem(12, 6, 4, 0.5, seed: 4);
        X = X.Append(Matrix<double>.Build.Dense(12, 1, (i, _) => i % 2 == 0 ? 1.0 : -1.0));
        var moderate = W.Stack(Matrix<double>.Build.Dense(1, 4, 0.0));
        var large = W.Stack(Matrix<double>.Build.Dense(1, 4, 1e4));

        var (expectedLoss, expectedGrad) = StudentCode.Run(() => softmax(moderate, X, y, 0.0));
        var (loss, grad) = StudentCode.Run(() => softmax(large, X, y, 0.0));

        Assert.True(double.IsFinite(loss) && grad.Enumerate().All(double.IsFinite),
            $"得分约为 ±1e4 时损失是 {loss}：未减去每行最大值，exp(1e4) 溢出、exp(−1e4) 下溢为 0；先从每行得分中减去该行的最大值再取 exp " +
            $"(with scores near ±1e4 the loss is {loss}: row maximum not subtracted, so exp(1e4) overflows and exp(−1e4) underflows to 0; subtract each row's maximum score before exp).");
        Assert.True(Math.Abs(loss - expectedLoss) < 1e-6 * Math.Max(1, expectedLoss) && Relative(grad, expectedGrad) < 1e-6,
            $"每行得分同时加上 ±1e4 后，损失从 {expectedLoss:F6} 变成了 {loss:F6}、梯度相对变化 {Relative(grad, expectedGrad):E2}；softmax 对每行的平移不变 " +
            $"(moving each row's scores by ±1e4 changed the loss from {expectedLoss:F6} to {loss:F6} and dW by {Relative(grad, expectedGrad):E2} relative; softmax does not change when a row's scores move together).");
    }

    public sealed class TheSoftmaxLossNaiveMethod
    {
        [SkippableFact]
        public void Should_Give_About_Log_C_For_Tiny_Weights() => CheckLogC(SoftmaxLoss.Naive);

        [SkippableFact]
        public void Should_Match_The_Numerical_Gradient_Without_Regularization() => CheckNumericalGradient(SoftmaxLoss.Naive, reg: 0.0);

        [SkippableFact]
        public void Should_Match_The_Numerical_Gradient_With_Regularization() => CheckNumericalGradient(SoftmaxLoss.Naive, reg: 0.5);

        [SkippableFact]
        public void Should_Add_Reg_Times_The_Sum_Of_Squares_And_2_Reg_W() => CheckRegularization(SoftmaxLoss.Naive);

        [SkippableFact]
        public void Should_Not_Change_When_Each_Rows_Scores_Move_By_1e4() => CheckLargeScores(SoftmaxLoss.Naive);
    }

    public sealed class TheSoftmaxLossVectorizedMethod
    {
        [SkippableFact]
        public void Should_Give_About_Log_C_For_Tiny_Weights() => CheckLogC(SoftmaxLoss.Vectorized);

        [SkippableFact]
        public void Should_Match_The_Numerical_Gradient_Without_Regularization() => CheckNumericalGradient(SoftmaxLoss.Vectorized, reg: 0.0);

        [SkippableFact]
        public void Should_Match_The_Numerical_Gradient_With_Regularization() => CheckNumericalGradient(SoftmaxLoss.Vectorized, reg: 0.5);

        [SkippableFact]
        public void Should_Add_Reg_Times_The_Sum_Of_Squares_And_2_Reg_W() => CheckRegularization(SoftmaxLoss.Vectorized);

        [SkippableFact]
        public void Should_Not_Change_When_Each_Rows_Scores_Move_By_1e4() => CheckLargeScores(SoftmaxLoss.Vectorized);

        [SkippableFact]
        public void Should_Equal_The_Naive_Loss_And_Gradient()
        {
            var (W, X, y) = Problem(30, 12, 5, 0.5, seed: 3);

            var (loss, grad) = StudentCode.Run(() => SoftmaxLoss.Vectorized(W, X, y, 0.1));
            var (naiveLoss, naiveGrad) = StudentCode.Run(() => SoftmaxLoss.Naive(W, X, y, 0.1));

            Assert.True(Math.Abs(naiveLoss - loss) < 1e-9, $"矢量化与循环版本的损失不同：{loss} 与 {naiveLoss} (vectorized and naive losses differ)");
            Assert.True((grad - naiveGrad).FrobeniusNorm() < 1e-9, $"矢量化与循环版本的梯度相差 {(grad - naiveGrad).FrobeniusNorm():E2} (vectorized and naive gradients differ)");
        }

        [SkippableFact]
        public void Should_Be_Clearly_Faster_Than_The_Naive_Loop()
        {
            // The notebook's dev set: 500 examples of CIFAR-10's 3073 features, 10 classes.
            var (W, X, y) = Problem(500, 3073, 10, 1e-4, seed: 6);
            const string because = "速度测试以你的 SoftmaxLoss.Naive 为对照 (the speed test compares with your SoftmaxLoss.Naive)";
            StudentCode.Run(() => SoftmaxLoss.Vectorized(W, X, y, 5e-6));
            StudentCode.Run(() => SoftmaxLoss.Naive(W, X, y, 5e-6), because);

            // Alternating, best of five: the least time each took is what its code costs, not what the machine did meanwhile.
            double naive = double.PositiveInfinity, vectorized = double.PositiveInfinity;
            for (var k = 0; k < 5; k++)
            {
                vectorized = Math.Min(vectorized, Seconds(() => SoftmaxLoss.Vectorized(W, X, y, 5e-6)));
                naive = Math.Min(naive, Seconds(() => SoftmaxLoss.Naive(W, X, y, 5e-6)));
            }

            // Generous: a matrix product is many times faster than a loop over examples; a loop in Vectorized is not.
            Assert.True(vectorized * 2 < naive,
                $"矢量化版本用时 {vectorized * 1e3:F1} ms，循环版本 {naive * 1e3:F1} ms：矢量化版本至少应快一倍；它是不是还在逐个样本循环？用矩阵乘法 X·W 一次算出所有得分 " +
                $"(vectorized took {vectorized * 1e3:F1} ms, naive {naive * 1e3:F1} ms: vectorized should be at least twice as fast; does it still loop over examples? " +
                "Compute all scores at once with the matrix product X·W).");
        }

        private static double Seconds(Action call)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            call();
            return System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }
}

/// <summary><c>LinearClassifier.Train</c> and <c>Predict</c>: the SVM exercise's parts: the student's in a release with the SVM exercise, solved in one of softmax alone.</summary>
public sealed class TrainAndPredictTests
{
    [SkippableFact]
    public void Train_Should_Lower_The_Loss_And_Predict_Well_Above_Chance()
    {
        // Three well separated clusters in 4 dimensions plus a bias column.
        var random = new Random(5);
        var y = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        var X = Matrix<double>.Build.Dense(300, 5, (i, j) => j == 4 ? 1.0 : (j == y[i] ? 3.0 : 0.0) + Normal.Sample(random, 0, 0.5));
        var softmax = new Softmax(seed: 0);

        var history = StudentCode.Run(() => softmax.Train(X, y, learningRate: 1e-1, reg: 1e-3, numIters: 200, batchSize: 50));
        var yPred = StudentCode.Run(() => softmax.Predict(X));

        Assert.True(history.Count == 200, $"Train 应返回每次迭代的损失，共 200 个，实际 {history.Count} 个 (Train returns one loss per iteration)");
        Assert.True(history.TakeLast(10).Average() < history.Take(10).Average(),
            $"训练中损失没有下降：第一次 {history[0]}，最后一次 {history[^1]} (the loss did not fall; is W updated with −learningRate·grad?)");
        var accuracy = yPred.Zip(y).Average(p => p.First == p.Second ? 1.0 : 0.0);
        Assert.True(accuracy > 0.9, $"训练精度 {accuracy:F2}，应高于 0.9 (training accuracy {accuracy:F2}; expected above 0.9)");
    }
}
