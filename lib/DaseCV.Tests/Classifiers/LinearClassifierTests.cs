using DaseCV;
using DaseCV.Classifiers;
using DaseCV.LinearAlgebra;
using DaseCV.Notebook;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Tests.Classifiers;

public sealed class LinearClassifierTests
{
    // 5 well-separated classes in 20 dimensions (+ bias): chance is 0.2.
    private static readonly (DenseMatrix X, int[] y) Train = TestData.GaussianBlobs(1000, 20, 5, seed: 1);
    private static readonly (DenseMatrix X, int[] y) Val = TestData.GaussianBlobs(200, 20, 5, seed: 1);

    private static double Accuracy(int[] predicted, int[] y) => predicted.Zip(y).Count(p => p.First == p.Second) / (double)y.Length;

    public sealed class TheTrainMethod
    {
        public static TheoryData<string> Classifiers => new() { nameof(Softmax), nameof(LinearSvm) };

        private static LinearClassifier Create(string name, int seed) =>
            name == nameof(Softmax) ? new Softmax(seed) : new LinearSvm(seed);

        [Theory]
        [MemberData(nameof(Classifiers))]
        public void Should_Reach_Validation_Accuracy_Far_Above_Chance_With_Falling_Loss(string name)
        {
            var classifier = Create(name, seed: 2);

            var history = classifier.Train(Train.X, Train.y, learningRate: 1e-3, reg: 1e-3, numIters: 300, batchSize: 50);

            Assert.Equal(300, history.Count);
            Assert.True(history.TakeLast(20).Average() < 0.5 * history.Take(20).Average(),
                $"loss fell only from {history.Take(20).Average()} to {history.TakeLast(20).Average()}");
            double accuracy = Accuracy(classifier.Predict(Val.X), Val.y);
            Assert.True(accuracy >= 0.9, $"validation accuracy {accuracy}, expected ≥ 0.9 (chance 0.2)");
        }

        [Fact]
        public void Should_Initialise_W_To_0_001_Randn_With_C_From_The_Largest_Label()
        {
            var X = TestData.MeanSubtractedPixels(50, 3072, seed: 3);
            var y = Enumerable.Range(0, 50).Select(i => i % 7).ToArray();
            var classifier = new Softmax(seed: 4);
            Assert.Null(classifier.W);

            classifier.Train(X, y, learningRate: 1e-300, numIters: 1);  // a step too small to move W

            Assert.Equal((3073, 7), (classifier.W!.RowCount, classifier.W.ColumnCount));
            double std = Math.Sqrt(classifier.W.Enumerate().Select(w => w * w).Average());
            Assert.InRange(std, 0.00095, 0.00105);
        }

        [Fact]
        public void Should_Keep_The_Loss_History_Of_The_Last_Training_On_The_Classifier()
        {
            // The notebook plots bestSoftmax.LossHistory after the tuning loop, whatever loop found bestSoftmax.
            var classifier = new Softmax(seed: 7);
            Assert.Null(classifier.LossHistory);

            classifier.Train(Train.X, Train.y, numIters: 10, batchSize: 30);
            var second = classifier.Train(Train.X, Train.y, numIters: 5, batchSize: 30);

            Assert.Same(second, classifier.LossHistory);
            Assert.Equal(5, classifier.LossHistory!.Count);
        }

        [Fact]
        public void Should_Be_Reproducible_With_A_Seed_And_Differ_Across_Seeds()
        {
            var a = new Softmax(seed: 5);
            var b = new Softmax(seed: 5);
            var c = new Softmax(seed: 6);

            var ha = a.Train(Train.X, Train.y, numIters: 20, batchSize: 30);
            var hb = b.Train(Train.X, Train.y, numIters: 20, batchSize: 30);
            var hc = c.Train(Train.X, Train.y, numIters: 20, batchSize: 30);

            Assert.Equal(ha, hb);
            Assert.Equal(a.W, b.W);
            Assert.NotEqual(ha, hc);
        }

        [Fact]
        public void Should_Give_The_Same_Results_When_Instances_Train_Concurrently()
        {
            // The notebook's tuning cell trains one instance per configuration in a Parallel.ForEach.
            var configs = Enumerable.Range(0, 6).Select(k => (lr: 1e-4 * (1 + k % 3), reg: 1e-3 * (1 + k / 3), seed: k)).ToArray();
            IReadOnlyList<double> Run((double lr, double reg, int seed) config) =>
                new Softmax(config.seed).Train(Train.X, Train.y, config.lr, config.reg, numIters: 40, batchSize: 200);

            var sequential = configs.Select(Run).ToArray();
            var concurrent = new IReadOnlyList<double>[configs.Length];
            Parallel.For(0, configs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k => concurrent[k] = Run(configs[k]));

            for (int k = 0; k < configs.Length; k++) Assert.Equal(sequential[k], concurrent[k]);
        }

        [Fact]
        public void Should_Train_On_A_Column_Major_X_Exactly_As_On_A_Row_Major_One()
        {
            var dense = DenseMatrix.OfMatrix(Train.X);

            var fromRows = new Softmax(seed: 7).Train(Train.X, Train.y, numIters: 10, batchSize: 20);
            var fromColumns = new Softmax(seed: 7).Train(dense, Train.y, numIters: 10, batchSize: 20);

            Assert.Equal(fromRows, fromColumns);
        }

        [Fact]
        public void Should_Train_On_A_Pixel_Matrix_As_On_Its_Dense_Copy()
        {
            // 120-row batches: the pixel products' two halves and several 32-row blocks are exercised.
            var (X, _, _) = TestData.CenteredPixels(300, seed: 18);
            var y = TestData.Labels(300, 10, seed: 19);
            var fromBytes = new Softmax(seed: 20);
            var fromDoubles = new Softmax(seed: 20);

            var lossFromBytes = fromBytes.Train(X, y, learningRate: 1e-7, reg: 10, numIters: 12, batchSize: 120);
            var lossFromDoubles = fromDoubles.Train(DenseMatrix.OfMatrix(X), y, learningRate: 1e-7, reg: 10, numIters: 12, batchSize: 120);

            // Same minibatches and values; the byte-backed minibatch's products sum in another order.
            for (int k = 0; k < 12; k++) Assert.Equal(lossFromDoubles[k], lossFromBytes[k], 1e-10);
            Assert.True((fromDoubles.W! - fromBytes.W!).FrobeniusNorm() <= 1e-12 * fromDoubles.W!.FrobeniusNorm());
        }

        [Fact]
        public void Should_Give_The_Same_Results_After_Another_Training_Reused_The_Threads_Batch_Buffer()
        {
            var first = new Softmax(seed: 23).Train(Train.X, Train.y, numIters: 8, batchSize: 15);
            var other = TestData.Randn(Train.X.RowCount, Train.X.ColumnCount, seed: 24, scale: 100);
            new Softmax(seed: 25).Train(DenseMatrix.OfMatrix(other), Train.y, numIters: 8, batchSize: 15);

            var again = new Softmax(seed: 23).Train(Train.X, Train.y, numIters: 8, batchSize: 15);

            Assert.Equal(first, again);
        }

        [Fact]
        public void Should_Reuse_One_Minibatch_Buffer_Across_Iterations()
        {
            // A CIFAR-sized minibatch (200, 3073) is 4.9 MB; one per step would pile up GBs of garbage in the grid.
            var (X, _, _) = TestData.CenteredPixels(300, seed: 14);
            var y = TestData.Labels(300, 10, seed: 15);
            var classifier = new Softmax(seed: 16);
            classifier.Train(X, y, numIters: 2, batchSize: 200);

            long before = GC.GetAllocatedBytesForCurrentThread();
            classifier.Train(X, y, numIters: 20, batchSize: 200);
            long perIteration = (GC.GetAllocatedBytesForCurrentThread() - before) / 20;

            Assert.True(perIteration < 200 * 3073 * 8 / 2, $"{perIteration} bytes allocated per iteration");
        }

        [Fact]
        public void Should_Never_Hand_Out_A_Gradient_That_It_Reuses()
        {
            var classifier = new Softmax(seed: 17);
            classifier.Train(Train.X, Train.y, numIters: 3, batchSize: 10);
            var batch = DenseMatrix.OfMatrix(Train.X.SubMatrix(0, 10, 0, 21));

            var first = classifier.Loss(batch, Train.y[..10], 0.1).Grad;
            var copy = first.Clone();
            classifier.Train(Train.X, Train.y, numIters: 3, batchSize: 10);
            classifier.Loss(batch, Train.y[..10], 0.5);

            Assert.Equal(copy, first);
        }

        [Fact]
        public void Should_Continue_From_An_Assigned_W()
        {
            var classifier = new Softmax(seed: 8) { W = Matrix<double>.Build.Dense(21, 5) };

            var history = classifier.Train(Train.X, Train.y, numIters: 1, batchSize: 10);

            Assert.Equal(Math.Log(5), history[0], 1e-12);  // W = 0: all classes equally likely
        }

        [Fact]
        public void Should_Stop_At_Once_When_The_Loss_Overflows_Naming_The_Iteration()
        {
            var classifier = new Softmax(seed: 9);

            // |1 − 2·lr·reg| ≈ 2000: W grows 2000-fold per step until reg·ΣW² overflows.
            var ex = Assert.Throws<OverflowException>(() =>
                classifier.Train(Train.X, Train.y, learningRate: 1.0, reg: 1e3, numIters: 1000, batchSize: 20));

            Assert.Matches(@"diverged at iteration \d+ of 1000", ex.Message);
            Assert.Contains("try a smaller learning rate", ex.Message);
            Assert.All(classifier.W!.Enumerate(), w => Assert.True(double.IsFinite(w)));
        }

        [Fact]
        public void Should_Throw_Naming_The_Row_Of_X_That_Holds_NaN()
        {
            var X = DenseMatrix.OfMatrix(Train.X);
            for (int i = 0; i < X.RowCount; i += 2) X[i, 3] = double.NaN;

            var ex = Assert.Throws<ArgumentException>(() => new Softmax(seed: 10).Train(X, Train.y, numIters: 5));

            Assert.Equal("X", ex.ParamName);
            Assert.Matches(@"X \(1000, 21\) holds NaN at \(\d*[02468], 3\)", ex.Message);
        }

        [Fact]
        public void Should_Throw_Naming_NaN_In_An_Assigned_W()
        {
            var W = Matrix<double>.Build.Dense(21, 5);
            W[4, 1] = double.NaN;

            var ex = Assert.Throws<ArgumentException>(() => new Softmax(seed: 10) { W = W }.Train(Train.X, Train.y));

            Assert.Contains("W (21, 5) holds NaN at (4, 1)", ex.Message);
        }

        [Theory]
        [InlineData(0.0, 1e-5, 100, 200, "learningRate")]
        [InlineData(-1e-3, 1e-5, 100, 200, "learningRate")]
        [InlineData(double.NaN, 1e-5, 100, 200, "learningRate")]
        [InlineData(1e-3, -1.0, 100, 200, "reg")]
        [InlineData(1e-3, 1e-5, 0, 200, "numIters")]
        [InlineData(1e-3, 1e-5, 100, 0, "batchSize")]
        public void Should_Throw_For_An_Invalid_Hyperparameter(double learningRate, double reg, int numIters, int batchSize, string param)
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
                new Softmax(seed: 1).Train(Train.X, Train.y, learningRate, reg, numIters, batchSize));

            Assert.Equal(param, ex.ParamName);
            Assert.Contains($"{param} = ", ex.Message);
        }

        [Fact]
        public void Should_Throw_For_Bad_Shapes_And_Labels()
        {
            var lengthError = Assert.Throws<ArgumentException>(() => new Softmax().Train(Train.X, [0, 1, 2]));
            var negative = Assert.Throws<ArgumentException>(() => new Softmax().Train(Train.X, Train.y.Select(v => v - 1).ToArray()));
            var empty = Assert.Throws<ArgumentException>(() => new Softmax().Train(new DenseMatrix(0, 21), []));
            var widthError = Assert.Throws<ArgumentException>(() =>
                new Softmax { W = Matrix<double>.Build.Dense(30, 5) }.Train(Train.X, Train.y));
            var classError = Assert.Throws<ArgumentException>(() =>
                new Softmax { W = Matrix<double>.Build.Dense(21, 3) }.Train(Train.X, Train.y));

            Assert.Contains("y has 3 labels but X has 1000 rows", lengthError.Message);
            Assert.Contains("y[0] = -1 is negative", negative.Message);
            var huge = Assert.Throws<ArgumentException>(() => new Softmax().Train(Train.X, Train.y.Select(v => v == 0 ? int.MaxValue - 1 : v).ToArray()));
            Assert.Contains($"y holds the label {int.MaxValue - 1}, so W would be (21, {int.MaxValue})", huge.Message);
            var bigBatch = Assert.Throws<ArgumentOutOfRangeException>(() => new Softmax().Train(Train.X, Train.y, batchSize: int.MaxValue / 4));
            Assert.Contains($"batchSize = {int.MaxValue / 4} must be > 0, and a (batchSize, 21) minibatch must fit in one array", bigBatch.Message);
            Assert.Contains("X is (0, 21)", empty.Message);
            Assert.Contains("X is (1000, 21) but W is (30, 5)", widthError.Message);
            Assert.Contains("y[3] = 3 is outside [0, 3)", classError.Message);
        }
    }

    [Collection(ConsoleCollection.Name)]
    public sealed class TheTrainMethodWhenVerbose
    {
        [Fact]
        public void Should_Print_The_Loss_Every_100_Iterations_As_CS231n()
        {
            using var console = new ConsoleCapture();

            var history = new Softmax(seed: 11).Train(Train.X, Train.y, numIters: 250, batchSize: 20, verbose: true);

            Assert.Equal(
                [$"iteration 0 / 250: loss {Py.F(history[0])}", $"iteration 100 / 250: loss {Py.F(history[100])}",
                 $"iteration 200 / 250: loss {Py.F(history[200])}"],
                console.Lines);
        }
    }

    public sealed class ThePredictMethod
    {
        [Fact]
        public void Should_Match_ArgMax_Of_XW_For_Row_And_Column_Major_X()
        {
            var classifier = new Softmax(seed: 12) { W = TestData.Randn(21, 5, seed: 13) };
            var expected = Enumerable.Range(0, Val.X.RowCount).Select(i => (Val.X * classifier.W).Row(i).MaximumIndex()).ToArray();

            Assert.Equal(expected, classifier.Predict(Val.X));
            Assert.Equal(expected, classifier.Predict(DenseMatrix.OfMatrix(Val.X)));
        }

        [Fact]
        public void Should_Predict_On_A_Pixel_Matrix_Exactly_As_On_Its_Row_Major_Copy()
        {
            var (X, _, _) = TestData.CenteredPixels(150, seed: 21);
            var classifier = new Softmax { W = TestData.Randn(3073, 10, seed: 22, scale: 1e-3) };

            Assert.Equal(classifier.Predict(DenseMatrix.OfMatrix(X)), classifier.Predict(X));
        }

        [Fact]
        public void Should_Throw_When_W_Is_Not_Set()
        {
            var ex = Assert.Throws<InvalidOperationException>(() => new Softmax().Predict(Val.X));

            Assert.Contains("call Train first", ex.Message);
        }

        [Fact]
        public void Should_Throw_When_X_Width_Differs_From_W_Height()
        {
            var classifier = new Softmax { W = Matrix<double>.Build.Dense(20, 5) };

            var ex = Assert.Throws<ArgumentException>(() => classifier.Predict(Val.X));

            Assert.Contains("X is (200, 21) but W is (20, 5)", ex.Message);
        }

        [Fact]
        public void Should_Throw_Naming_Infinity_In_X()
        {
            var X = DenseMatrix.OfMatrix(Val.X);
            X[150, 7] = double.PositiveInfinity;
            X[170, 2] = double.NaN;
            var classifier = new Softmax { W = TestData.Randn(21, 5, seed: 14) };

            var ex = Assert.Throws<ArgumentException>(() => classifier.Predict(X));
            var exDense = Assert.Throws<ArgumentException>(() => classifier.Predict(DenseMatrix.OfMatrix(X)));

            Assert.Contains("X (200, 21) holds Infinity at (150, 7)", ex.Message);
            Assert.Contains("X (200, 21) holds Infinity at (150, 7)", exDense.Message);
        }
    }
}
