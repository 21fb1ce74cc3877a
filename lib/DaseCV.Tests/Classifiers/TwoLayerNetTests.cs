using DaseCV.Classifiers;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Classifiers;

/// <summary>
/// The two-layer net on two_layer_net.ipynb's toy problem: 5 inputs of 4 features, 10 hidden units, 3 classes, with
/// the notebook's seeds (np.random.seed(0) for the model, np.random.seed(1) for the data).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class TwoLayerNetTests
{
    private const int InputSize = 4, HiddenSize = 10, NumClasses = 3, NumInputs = 5;

    private static TwoLayerNet InitToyModel() => new(InputSize, HiddenSize, NumClasses, std: 1e-1, seed: 0);

    private static (Matrix<double> X, int[] y) InitToyData() => (10 * new NumpyRandom(1).Randn(NumInputs, InputSize), [0, 1, 2, 2, 1]);

    // rel_error of the notebook: max |x − y| / max(1e-8, |x| + |y|)
    private static double RelError(Matrix<double> x, Matrix<double> y) =>
        x.Enumerate().Zip(y.Enumerate()).Max(p => Math.Abs(p.First - p.Second) / Math.Max(1e-8, Math.Abs(p.First) + Math.Abs(p.Second)));

    public sealed class TheLossMethodWithoutLabels
    {
        [Fact]
        public void Should_Give_The_Notebooks_Correct_Scores_On_The_Toy_Model()
        {
            // correct_scores as printed in the original notebook
            var correctScores = Matrix<double>.Build.DenseOfArray(new[,]
            {
                { -0.81233741, -1.27654624, -0.70335995 },
                { -0.17129677, -1.18803311, -0.47310444 },
                { -0.51590475, -1.01354314, -0.8504215 },
                { -0.15419291, -0.48629638, -0.52901952 },
                { -0.00618733, -0.12435261, -0.15226949 },
            });
            var (X, _) = InitToyData();

            var scores = InitToyModel().Loss(X);

            // The notebook: "The difference should be very small. We get < 1e-7"
            Assert.True((scores - correctScores).Enumerate().Sum(Math.Abs) < 1e-7);
        }

        [Fact]
        public void Should_Throw_Naming_Both_Shapes_When_X_Has_The_Wrong_Width()
        {
            var e = Assert.Throws<ArgumentException>(() => InitToyModel().Loss(Matrix<double>.Build.Dense(2, 5)));

            Assert.Equal("X", e.ParamName);
            Assert.Contains("X is (2, 5) but W1 is (4, 10)", e.Message);
        }
    }

    public sealed class TheLossMethodWithLabels
    {
        [Fact]
        public void Should_Give_The_Notebooks_Correct_Loss_On_The_Toy_Model()
        {
            var (X, y) = InitToyData();

            var (loss, _) = InitToyModel().Loss(X, y, reg: 0.05);

            // correct_loss of the original notebook; "should be very small, we get < 1e-12"
            Assert.True(Math.Abs(loss - 1.30378789133) < 1e-12, $"loss {loss:R}");
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(0.05)]
        public void Should_Match_Numerical_Gradients_Of_Every_Parameter(double reg)
        {
            var net = InitToyModel();
            var (X, y) = InitToyData();

            var (_, grads) = net.Loss(X, y, reg);

            Assert.Equal(["W1", "W2", "b1", "b2"], grads.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, param) in net.Params)
            {
                var numerical = GradientCheck.EvalNumericalGradient(_ => net.Loss(X, y, reg).Loss, param, verbose: false);
                Assert.True(RelError(numerical, grads[name]) < 1e-8, $"{name}: relative error {RelError(numerical, grads[name]):E2}");
            }
        }

        [Fact]
        public void Should_Give_The_Same_Numbers_On_Byte_Backed_Rows_As_On_Their_Dense_Copy()
        {
            var (X, _, _) = TestData.CenteredPixels(30, seed: 4);
            var y = TestData.Labels(30, 10, seed: 5);
            var net = new TwoLayerNet(X.ColumnCount, 20, 10, std: 1e-3, seed: 6);

            var (lossBytes, gradsBytes) = net.Loss(X, y, reg: 0.1);
            var (lossDense, gradsDense) = net.Loss(X.ToDense(), y, reg: 0.1);

            Assert.Equal(lossDense, lossBytes, 1e-12);
            foreach (var name in net.Params.Keys)
                Assert.True((gradsBytes[name] - gradsDense[name]).FrobeniusNorm() <= 1e-10 * (1 + gradsDense[name].FrobeniusNorm()), name);
        }

        [Fact]
        public void Should_Throw_When_A_Label_Is_Outside_The_Classes()
        {
            var (X, _) = InitToyData();

            var e = Assert.Throws<ArgumentException>(() => InitToyModel().Loss(X, [0, 1, 3, 2, 1]));

            Assert.Equal("y", e.ParamName);
            Assert.Contains("y[2] = 3 is outside [0, 3)", e.Message);
        }
    }

    public sealed class TheTrainMethod
    {
        [Fact]
        public void Should_Reach_The_Notebooks_Toy_Loss()
        {
            var (X, y) = InitToyData();
            var net = InitToyModel();

            var stats = net.Train(X, y, X, y, learningRate: 1e-1, reg: 5e-6, numIters: 100, verbose: false);

            // The notebook asks for < 0.02; the original printed 0.017149610222465344 (numpy's same random stream).
            Assert.Equal(100, stats.LossHistory.Count);
            Assert.True(stats.LossHistory[^1] < 0.02, $"final loss {stats.LossHistory[^1]:R}");
            // Same stream, other rounding (BLAS summation order), amplified by 100 steps: equal to about 1e-7.
            Assert.Equal(0.017149610222465344, stats.LossHistory[^1], 1e-8);
            // 5 examples, batch 200: every iteration is an epoch, as max(num_train / batch_size, 1) = 1 says.
            Assert.Equal(100, stats.ValAccHistory.Count);
            Assert.Equal(1.0, stats.ValAccHistory[^1]);
        }

        [Fact]
        public void Should_Record_Accuracy_Once_An_Epoch_And_Report_Progress()
        {
            var (X, _, _) = TestData.CenteredPixels(400, seed: 7);
            var y = TestData.Labels(400, 10, seed: 8);
            var net = new TwoLayerNet(X.ColumnCount, 8, 10, seed: 9);
            var reported = new List<int>();

            var stats = net.Train(X, y, X.SelectRows([0, 1, 2]), [y[0], y[1], y[2]], numIters: 10, batchSize: 100,
                progress: new Inline(reported.Add));

            // 400 / 100 = 4 iterations an epoch: iterations 0, 4 and 8
            Assert.Equal(3, stats.TrainAccHistory.Count);
            Assert.Equal(3, stats.ValAccHistory.Count);
            Assert.Equal(Enumerable.Range(1, 10), reported);
        }

        [Fact]
        public void Should_Print_The_Loss_Every_100_Iterations_When_Verbose()
        {
            var (X, y) = InitToyData();
            using var console = new ConsoleCapture();

            InitToyModel().Train(X, y, X, y, learningRate: 1e-1, numIters: 201, verbose: true);

            Assert.Equal(3, console.Lines.Length);
            Assert.StartsWith("iteration 200 / 201: loss ", console.Lines[2]);
        }

        [Fact]
        public void Should_Throw_When_The_Learning_Rate_Decay_Is_Not_Positive()
        {
            var (X, y) = InitToyData();

            var e = Assert.Throws<ArgumentOutOfRangeException>(() => InitToyModel().Train(X, y, X, y, learningRateDecay: 0));

            Assert.Equal("learningRateDecay", e.ParamName);
        }
    }

    public sealed class ThePredictMethod
    {
        [Fact]
        public void Should_Pick_The_Highest_Score_Of_Each_Row()
        {
            var (X, _) = InitToyData();
            var net = InitToyModel();

            var yPred = net.Predict(X);

            // argmax of the notebook's correct scores, row by row
            Assert.Equal([2, 0, 0, 0, 0], yPred);
        }
    }

    private sealed class Inline(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
