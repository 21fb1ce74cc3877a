using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class GradientCheckTests
{
    // f(x) = Σ x³ has gradient 3x².
    private static double SumOfCubes(Matrix<double> x) => x.Enumerate().Sum(v => v * v * v);

    public sealed class TheEvalNumericalGradientMethod
    {
        [Fact]
        public void Should_Approximate_The_Gradient_And_Restore_x()
        {
            var x = TestData.Randn(3, 4, seed: 1);
            var original = x.Clone();

            var grad = GradientCheck.EvalNumericalGradient(SumOfCubes, x, verbose: false);

            Assert.True(TestData.MaxRelativeError(grad, 3 * x.PointwiseMultiply(x)) < 1e-8);
            Assert.Equal(original, x);
        }

        [Fact]
        public void Should_Print_Each_Index_And_Derivative_When_Verbose()
        {
            using var console = new ConsoleCapture();

            GradientCheck.EvalNumericalGradient(SumOfCubes, Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 } }));

            Assert.Equal(2, console.Lines.Length);
            Assert.StartsWith("(0, 0) 3.0000000", console.Lines[0]);
            Assert.StartsWith("(0, 1) 12.000000", console.Lines[1]);
        }
    }

    public sealed class TheGradCheckSparseMethod
    {
        [Fact]
        public void Should_Print_One_Python_Formatted_Line_Per_Check_And_Return_It()
        {
            var x = TestData.Randn(5, 6, seed: 2);
            var analytic = 3 * x.PointwiseMultiply(x);
            using var console = new ConsoleCapture();

            var checks = GradientCheck.GradCheckSparse(SumOfCubes, x, analytic, numChecks: 7, seed: 3);

            Assert.Equal(7, checks.Count);
            Assert.Equal(7, console.Lines.Length);
            for (int k = 0; k < 7; k++)
            {
                Assert.Matches(@"^numerical: -?\d+\.\d{6} analytic: -?\d+\.\d{6}, relative error: \d\.\d{6}e[+-]\d{2}$", console.Lines[k]);
                var c = checks[k];
                Assert.Equal(analytic[c.Row, c.Column], c.Analytic);
                Assert.Equal(Math.Abs(c.Numerical - c.Analytic) / (Math.Abs(c.Numerical) + Math.Abs(c.Analytic)), c.RelativeError);
                Assert.True(c.RelativeError < 1e-8, c.ToString());
            }
        }

        [Fact]
        public void Should_Report_A_Wrong_Gradient()
        {
            var x = TestData.Randn(2, 2, seed: 4);
            using var console = new ConsoleCapture();

            var checks = GradientCheck.GradCheckSparse(SumOfCubes, x, 2 * x.PointwiseMultiply(x), numChecks: 3, seed: 5);

            Assert.All(checks, c => Assert.Equal(0.2, c.RelativeError, 1e-6));  // |3 − 2| / (3 + 2)
        }

        [Fact]
        public void Should_Choose_The_Same_Elements_For_The_Same_Seed()
        {
            var x = TestData.Randn(10, 10, seed: 6);
            using var console = new ConsoleCapture();

            var a = GradientCheck.GradCheckSparse(SumOfCubes, x, x, numChecks: 5, seed: 7);
            var b = GradientCheck.GradCheckSparse(SumOfCubes, x, x, numChecks: 5, seed: 7);

            Assert.Equal(a, b);
        }

        [Fact]
        public void Should_Throw_When_The_Gradient_Shape_Differs()
        {
            var ex = Assert.Throws<ArgumentException>(() =>
                GradientCheck.GradCheckSparse(SumOfCubes, TestData.Randn(2, 3, seed: 8), TestData.Randn(3, 2, seed: 9)));

            Assert.Contains("analyticGrad is (3, 2) but x is (2, 3)", ex.Message);
        }
    }
}
