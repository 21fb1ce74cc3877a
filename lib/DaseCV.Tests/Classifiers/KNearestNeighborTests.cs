using DaseCV.Classifiers;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Classifiers;

public sealed class KNearestNeighborTests
{
    /// <summary>Random integer "pixels" in [0, 256): raw CIFAR-10-like rows, as the kNN notebook uses them.</summary>
    private static Matrix<double> Pixels(int N, int D, int seed)
    {
        var random = new Random(seed);
        return Matrix<double>.Build.Dense(N, D, (_, _) => random.Next(256));
    }

    private static KNearestNeighbor Trained(Matrix<double> XTrain, int[] yTrain)
    {
        var classifier = new KNearestNeighbor();
        classifier.Train(XTrain, yTrain);
        return classifier;
    }

    /// <summary>‖a − b‖₂ straight from the definition, element by element.</summary>
    private static Matrix<double> DirectDistances(Matrix<double> X, Matrix<double> XTrain) =>
        Matrix<double>.Build.Dense(X.RowCount, XTrain.RowCount, (i, j) =>
            Math.Sqrt(Enumerable.Range(0, X.ColumnCount).Sum(d => Math.Pow(X[i, d] - XTrain[j, d], 2))));

    public sealed class TheDistanceMethods
    {
        public static TheoryData<string> Methods => new() { "TwoLoops", "OneLoop", "NoLoops" };

        private static Matrix<double> Compute(KNearestNeighbor classifier, string method, Matrix<double> X) => method switch
        {
            "TwoLoops" => classifier.ComputeDistancesTwoLoops(X),
            "OneLoop" => classifier.ComputeDistancesOneLoop(X),
            "NoLoops" => classifier.ComputeDistancesNoLoops(X),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown method"),
        };

        [Theory]
        [MemberData(nameof(Methods))]
        public void Should_Match_The_Direct_Euclidean_Distances(string method)
        {
            // Odd sizes (7 test, 13 train, D = 37): nothing lines up with a vector width or block size.
            var XTrain = Pixels(13, 37, seed: 1);
            var X = Pixels(7, 37, seed: 2);
            var classifier = Trained(XTrain, new int[13]);

            var dists = Compute(classifier, method, X);

            Assert.Equal((7, 13), (dists.RowCount, dists.ColumnCount));
            var expected = DirectDistances(X, XTrain);
            Assert.True((dists - expected).FrobeniusNorm() < 1e-9 * expected.FrobeniusNorm(), $"{method}: {dists} vs {expected}");
        }

        [Fact]
        public void The_Three_Should_Agree_On_Real_Valued_Data_Under_The_Notebooks_Frobenius_Threshold()
        {
            var random = new Random(3);
            var XTrain = Matrix<double>.Build.Random(40, 300, new Normal(100, 50, random));
            var X = Matrix<double>.Build.Random(9, 300, new Normal(100, 50, random));
            var classifier = Trained(XTrain, new int[40]);

            var twoLoops = classifier.ComputeDistancesTwoLoops(X);

            Assert.True((twoLoops - classifier.ComputeDistancesOneLoop(X)).FrobeniusNorm() < 1e-3);
            Assert.True((twoLoops - classifier.ComputeDistancesNoLoops(X)).FrobeniusNorm() < 1e-3);
        }

        [Theory]
        [MemberData(nameof(Methods))]
        public void Should_Give_Zero_Not_NaN_For_A_Test_Point_Equal_To_A_Training_Point(string method)
        {
            // a² − 2ab + b² can round below zero when a = b; the no-loop version must not take sqrt of it.
            var XTrain = Pixels(5, 3072, seed: 4);
            var classifier = Trained(XTrain, new int[5]);

            var dists = Compute(classifier, method, XTrain);

            for (int i = 0; i < 5; i++) Assert.Equal(0.0, dists[i, i], 1e-6);
            Assert.DoesNotContain(dists.Enumerate(), double.IsNaN);
        }

        [Theory]
        [MemberData(nameof(Methods))]
        public void Should_Throw_Naming_Both_Shapes_When_D_Differs(string method)
        {
            var classifier = Trained(Pixels(4, 6, seed: 5), new int[4]);

            var e = Assert.Throws<ArgumentException>(() => Compute(classifier, method, Pixels(2, 5, seed: 6)));

            Assert.Equal("X", e.ParamName);
            Assert.Contains("X is (2, 5) but XTrain is (4, 6)", e.Message);
        }

        [Theory]
        [MemberData(nameof(Methods))]
        public void Should_Throw_Before_Training(string method) =>
            Assert.Throws<InvalidOperationException>(() => Compute(new KNearestNeighbor(), method, Pixels(2, 5, seed: 7)));
    }

    public sealed class ThePredictLabelsMethod
    {
        // Four training points with labels [2, 0, 1, 0]; each row of dists orders them differently.
        private static readonly int[] Labels = [2, 0, 1, 0];

        private static int[] Predict(double[,] dists, int k) =>
            Trained(Matrix<double>.Build.Dense(4, 1), Labels).PredictLabels(Matrix<double>.Build.DenseOfArray(dists), k);

        [Fact]
        public void Should_Take_The_Label_Of_The_Nearest_Point_For_K_1()
        {
            var yPred = Predict(new double[,] { { 3, 2, 1, 4 }, { 0.5, 9, 9, 9 }, { 7, 6, 8, 5 } }, k: 1);

            Assert.Equal([1, 2, 0], yPred);
        }

        [Fact]
        public void Should_Take_The_Majority_Label_Of_The_K_Nearest()
        {
            // Row 0: nearest three are points 1, 3, 0 → labels 0, 0, 2 → 0. Row 1: points 0, 2, 1 → 2, 1, 0: a three-way
            // tie, so the smallest label, 0.
            var yPred = Predict(new double[,] { { 3, 1, 9, 2 }, { 1, 3, 2, 9 } }, k: 3);

            Assert.Equal([0, 0], yPred);
        }

        [Fact]
        public void Should_Break_A_Tie_Toward_The_Smaller_Label_Whatever_The_Distance_Order()
        {
            // k = 2: the nearest point has label 2 and the second label 1; one vote each, so label 1 (not the nearer 2).
            var yPred = Predict(new double[,] { { 1, 9, 2, 8 } }, k: 2);

            Assert.Equal([1], yPred);
        }

        [Fact]
        public void Should_Count_All_Training_Points_When_K_Is_NumTrain()
        {
            // Labels [2, 0, 1, 0]: label 0 has two votes whatever the distances.
            var yPred = Predict(new double[,] { { 1, 2, 3, 4 }, { 4, 3, 2, 1 } }, k: 4);

            Assert.Equal([0, 0], yPred);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(5)]
        public void Should_Throw_For_K_Outside_1_To_NumTrain(int k)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Predict(new double[,] { { 1, 2, 3, 4 } }, k));

            Assert.Equal("k", e.ParamName);
            Assert.Contains("[1, 4]", e.Message);
        }

        [Fact]
        public void Should_Throw_When_Dists_Has_Another_Number_Of_Training_Points()
        {
            var classifier = Trained(Matrix<double>.Build.Dense(4, 1), Labels);

            var e = Assert.Throws<ArgumentException>(() => classifier.PredictLabels(Matrix<double>.Build.Dense(2, 3), 1));

            Assert.Equal("dists", e.ParamName);
            Assert.Contains("(2, 3) but there are 4 training points", e.Message);
        }
    }

    public sealed class ThePredictMethod
    {
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        public void Should_Give_The_Training_Labels_For_The_Training_Data_With_K_1(int numLoops)
        {
            var XTrain = Pixels(30, 50, seed: 8);
            var yTrain = Enumerable.Range(0, 30).Select(i => (i * 7) % 10).ToArray();
            var classifier = Trained(XTrain, yTrain);

            Assert.Equal(yTrain, classifier.Predict(XTrain, k: 1, numLoops: numLoops));
        }

        [Fact]
        public void Should_Classify_Points_Near_Two_Clusters_By_Their_Cluster()
        {
            // Training points around 0 (label 3) and around 100 (label 7); test points near each.
            var random = new Random(9);
            var XTrain = Matrix<double>.Build.Dense(20, 8, (i, _) => (i < 10 ? 0 : 100) + random.NextDouble());
            var yTrain = Enumerable.Range(0, 20).Select(i => i < 10 ? 3 : 7).ToArray();
            var X = Matrix<double>.Build.Dense(4, 8, (i, _) => (i % 2 == 0 ? 2 : 98) + random.NextDouble());

            Assert.Equal([3, 7, 3, 7], Trained(XTrain, yTrain).Predict(X, k: 5));
        }

        [Fact]
        public void Should_Refuse_Another_Number_Of_Loops()
        {
            var classifier = Trained(Pixels(3, 2, seed: 10), [0, 1, 2]);

            var e = Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Predict(Pixels(1, 2, seed: 11), numLoops: 3));

            Assert.Equal("numLoops", e.ParamName);
            Assert.Contains("Invalid value 3 for numLoops", e.Message);
        }
    }

    public sealed class TheTrainMethod
    {
        [Fact]
        public void Should_Memorize_The_Data_Without_Copying()
        {
            var X = Pixels(3, 2, seed: 12);
            int[] y = [0, 1, 0];

            var classifier = Trained(X, y);

            Assert.Same(X, classifier.XTrain);
            Assert.Same(y, classifier.yTrain);
        }

        [Fact]
        public void Should_Throw_When_The_Labels_Do_Not_Match_The_Rows()
        {
            var e = Assert.Throws<ArgumentException>(() => new KNearestNeighbor().Train(Pixels(3, 2, seed: 13), [0, 1]));

            Assert.Equal("y", e.ParamName);
            Assert.Contains("y has 2 labels but X has 3 rows", e.Message);
        }
    }
}
