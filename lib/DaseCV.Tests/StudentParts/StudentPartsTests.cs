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
    private static (Matrix<double> W, Matrix<double> X, int[] y) Problem(int N, int D, int C, double wScale, int seed)
    {
        var random = new Random(seed);
        var W = Matrix<double>.Build.Random(D, C, new Normal(0, 1, random)) * wScale;
        var X = Matrix<double>.Build.Random(N, D, new Normal(0, 1, random));
        var y = Enumerable.Range(0, N).Select(_ => random.Next(C)).ToArray();
        return (W, X, y);
    }

    /// <summary>Why an analytic gradient differs from the numerical one, when it is one of the usual slips.</summary>
    private static string GradientMessage(Matrix<double> grad, Matrix<double> numerical, Matrix<double> W, double reg, int N)
    {
        double Close(Matrix<double> candidate) => (candidate - numerical).FrobeniusNorm() / Math.Max(1e-12, numerical.FrobeniusNorm());
        var difference = $"解析梯度与数值梯度相差 {(numerical - grad).FrobeniusNorm():E2} (analytic and numerical gradients differ by {(numerical - grad).FrobeniusNorm():E2})";
        if (Close(grad / N) < 1e-5 || Close((grad - 2 * reg * W) / N + 2 * reg * W) < 1e-5)
            return difference + "：dW 的数据项是 N 倍，没有除以样本数 N (dW's data term is N times too large: divide it by the number of examples N).";
        if (reg > 0 && Close(grad + 2 * reg * W) < 1e-5)
            return difference + "：dW 缺少正则化项的梯度 2·reg·W (dW lacks the regularization gradient 2·reg·W).";
        if (reg > 0 && Close(grad + reg * W) < 1e-5)
            return difference + "：正则化项 reg·ΣW² 的梯度是 2·reg·W，不是 reg·W (the gradient of reg·ΣW² is 2·reg·W, not reg·W).";
        return difference + ".";
    }

    /// <summary>Why a loss is not about log C for tiny weights, when it is one of the usual slips.</summary>
    private static string LogCMessage(double loss, int N, int C) =>
        $"W 很小时损失应约为 log({C}) = {Math.Log(C):F4}，实际为 {loss:F4} (with tiny W the loss should be about log {C}, not {loss:F4})" +
        (Math.Abs(loss - N * Math.Log(C)) < 0.01 * N ? $"：损失是 N = {N} 倍，没有除以样本数 N (the loss is N times too large: divide by N)." :
         Math.Abs(loss + Math.Log(C)) < 0.01 ? "：符号反了，损失是 −log(正确类别的概率) (the sign is wrong: the loss is −log of the correct class's probability)." : ".");

    public sealed class TheSoftmaxLossNaiveMethod
    {
        [SkippableFact]
        public void Should_Give_About_Log_C_For_Tiny_Weights()
        {
            var (W, X, y) = Problem(50, 20, 10, 1e-4, seed: 1);

            var (loss, _) = StudentCode.Run(() => SoftmaxLoss.Naive(W, X, y, 0.0));

            Assert.True(Math.Abs(loss - Math.Log(10)) < 0.01, LogCMessage(loss, 50, 10));
        }

        [SkippableFact]
        public void Should_Match_The_Numerical_Gradient_With_Regularization()
        {
            var (W, X, y) = Problem(20, 8, 4, 0.1, seed: 2);

            var (_, grad) = StudentCode.Run(() => SoftmaxLoss.Naive(W, X, y, 0.5));

            var numerical = GradientCheck.EvalNumericalGradient(w => SoftmaxLoss.Naive(w, X, y, 0.5).Loss, W, verbose: false);
            Assert.True((numerical - grad).FrobeniusNorm() < 1e-6 * Math.Max(1, numerical.FrobeniusNorm()), GradientMessage(grad, numerical, W, 0.5, 20));
        }
    }

    public sealed class TheSoftmaxLossVectorizedMethod
    {
        [SkippableFact]
        public void Should_Give_About_Log_C_For_Tiny_Weights()
        {
            var (W, X, y) = Problem(50, 20, 10, 1e-4, seed: 1);

            var (loss, _) = StudentCode.Run(() => SoftmaxLoss.Vectorized(W, X, y, 0.0));

            Assert.True(Math.Abs(loss - Math.Log(10)) < 0.01, LogCMessage(loss, 50, 10));
        }

        [SkippableFact]
        public void Should_Match_The_Numerical_Gradient_With_Regularization()
        {
            var (W, X, y) = Problem(20, 8, 4, 0.1, seed: 2);

            var (_, grad) = StudentCode.Run(() => SoftmaxLoss.Vectorized(W, X, y, 0.5));

            var numerical = GradientCheck.EvalNumericalGradient(w => SoftmaxLoss.Vectorized(w, X, y, 0.5).Loss, W, verbose: false);
            Assert.True((numerical - grad).FrobeniusNorm() < 1e-6 * Math.Max(1, numerical.FrobeniusNorm()), GradientMessage(grad, numerical, W, 0.5, 20));
        }

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
        public void Should_Stay_Finite_When_Every_Score_Is_Near_1000()
        {
            // Scores 1000 + (small differences): the probabilities are ordinary, but exp(1000) overflows, so only
            // subtracting each row's maximum score before exp gives a finite loss here.
            var (W, X, y) = Problem(10, 6, 3, 0.1, seed: 4);
            X = X.Append(Matrix<double>.Build.Dense(10, 1, 1.0));
            W = W.Stack(Matrix<double>.Build.Dense(1, 3, 1000.0));

            var (loss, grad) = StudentCode.Run(() => SoftmaxLoss.Vectorized(W, X, y, 0.0));

            Assert.True(double.IsFinite(loss) && grad.Enumerate().All(double.IsFinite),
                $"所有得分都约为 1000 时损失是 {loss}：exp(1000) 溢出了；先从每行得分中减去该行的最大值再取 exp " +
                $"(with every score near 1000 the loss is {loss}: exp(1000) overflows; subtract each row's maximum score before exp).");
        }
    }
}

/// <summary><c>LinearClassifier.Train</c> and <c>Predict</c>: the SVM exercise's parts, the student's only in a combined release.</summary>
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
