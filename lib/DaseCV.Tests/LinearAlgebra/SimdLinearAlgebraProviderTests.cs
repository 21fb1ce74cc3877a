using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.Providers.LinearAlgebra;

namespace DaseCV.Tests.LinearAlgebra;

public sealed class SimdLinearAlgebraProviderTests
{
    private static readonly ILinearAlgebraProvider Managed = ManagedLinearAlgebraProvider.Instance;
    private static readonly ILinearAlgebraProvider Simd = SimdLinearAlgebraProvider.Instance;

    /// <summary>(m, n, k) around the kernels' block sizes (2 vectors × 5 columns, 2 × 5 dots) and CS231n's shapes.</summary>
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 10, 3073 }, { 3, 2, 1 }, { 7, 5, 9 }, { 16, 10, 33 }, { 17, 11, 8 }, { 33, 4, 65 },
        { 40, 10, 3073 }, { 3073, 10, 40 }, { 9, 13, 0 }, { 129, 6, 7 }, { 200, 10, 3073 }, { 3073, 10, 200 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Should_Match_The_Managed_Provider_In_Every_Transpose_Combination(int m, int n, int k)
    {
        foreach (var transA in new[] { Transpose.DontTranspose, Transpose.Transpose })
            foreach (var transB in new[] { Transpose.DontTranspose, Transpose.Transpose })
                foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-0.5, 2.0) })
                {
                    int rowsA = transA == Transpose.DontTranspose ? m : k, columnsA = transA == Transpose.DontTranspose ? k : m;
                    int rowsB = transB == Transpose.DontTranspose ? k : n, columnsB = transB == Transpose.DontTranspose ? n : k;
                    var a = TestData.Randn(rowsA, columnsA, seed: m + 7 * n + 13 * k).Values;
                    var b = TestData.Randn(rowsB, columnsB, seed: m + n + k + 1).Values;
                    var c0 = TestData.Randn(m, n, seed: 99).Values;
                    var expected = (double[])c0.Clone();
                    var actual = (double[])c0.Clone();

                    Managed.MatrixMultiplyWithUpdate(transA, transB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, expected);
                    Simd.MatrixMultiplyWithUpdate(transA, transB, alpha, a, rowsA, columnsA, b, rowsB, columnsB, beta, actual);

                    AssertClose(expected, actual, $"{transA}·{transB}, alpha {alpha}, beta {beta}, (m, n, k) = ({m}, {n}, {k})");
                }
    }

    [Fact]
    public void Should_Not_Read_C_When_Beta_Is_Zero()
    {
        var a = TestData.Randn(5, 3, seed: 1).Values;
        var b = TestData.Randn(3, 4, seed: 2).Values;
        var c = Enumerable.Repeat(double.NaN, 20).ToArray();

        Simd.MatrixMultiplyWithUpdate(Transpose.DontTranspose, Transpose.DontTranspose, 1.0, a, 5, 3, b, 3, 4, 0.0, c);

        Assert.All(c, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Should_Throw_When_The_Inner_Dimensions_Differ()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            Simd.MatrixMultiply(new double[6], 2, 3, new double[8], 4, 2, new double[4]));

        Assert.Contains("op(A) is (2, 3) but op(B) is (4, 2)", ex.Message);
    }

    // 37 elements on the calling thread; 300,001 shared between the cores in blocks (the last one partial).
    [Theory]
    [InlineData(37)]
    [InlineData(300_001)]
    public void Should_Compute_Element_Wise_Operations_As_The_Managed_Provider(int length)
    {
        var x = TestData.Randn(length, 1, seed: 3).Values;
        var y = TestData.Randn(length, 1, seed: 4).Values;
        double[] Run(Action<ILinearAlgebraProvider, double[]> op, ILinearAlgebraProvider p)
        {
            var result = new double[length];
            op(p, result);
            return result;
        }
        var operations = new Action<ILinearAlgebraProvider, double[]>[]
        {
            (p, r) => p.AddArrays(x, y, r), (p, r) => p.SubtractArrays(x, y, r), (p, r) => p.PointWiseMultiplyArrays(x, y, r),
            (p, r) => p.PointWiseDivideArrays(x, y, r), (p, r) => p.ScaleArray(-2.5, x, r), (p, r) => p.AddVectorToScaledVector(y, 0.75, x, r),
        };

        foreach (var op in operations) AssertClose(Run(op, Managed), Run(op, Simd), "element-wise");
        Assert.Equal(Managed.DotProduct(x, y), Simd.DotProduct(x, y), 1e-12);
    }

    [Fact]
    public void Should_Compute_Norms_As_The_Managed_Provider()
    {
        var a = TestData.Randn(37, 11, seed: 8).Values;
        foreach (var norm in new[] { Norm.FrobeniusNorm, Norm.OneNorm, Norm.InfinityNorm, Norm.LargestAbsoluteValue })
            Assert.Equal(Managed.MatrixNorm(norm, 37, 11, a), Simd.MatrixNorm(norm, 37, 11, a), 1e-12);
    }

    [Fact]
    public void Should_Be_MathNets_Provider_Once_The_Library_Is_Used()
    {
        // Any DaseCV type touches the course library, whose module initializer installs the provider.
        _ = typeof(DaseCV.Classifiers.SoftmaxLoss).TypeHandle;
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(DaseCV.Classifiers.SoftmaxLoss).Module.ModuleHandle);

        Assert.Same(SimdLinearAlgebraProvider.Instance, LinearAlgebraControl.Provider);
    }

    [Fact]
    public void Should_Serve_Plain_MathNet_Products_On_Dense_Matrices()
    {
        var X = TestData.Randn(45, 31, seed: 5);
        var W = TestData.Randn(31, 10, seed: 6);
        var dS = TestData.Randn(45, 10, seed: 7);
        var expected = Naive(X, W);

        AssertClose(expected.Values, ((DenseMatrix)(X * W)).Values, "X * W");
        AssertClose(Naive(X.Transpose(), dS).Values, ((DenseMatrix)X.TransposeThisAndMultiply(dS)).Values, "Xᵀ·dS");
        AssertClose(Naive(X, W.Transpose().Transpose()).Values, ((DenseMatrix)X.TransposeAndMultiply(W.Transpose())).Values, "X·(Wᵀ)ᵀ");
    }

    /// <summary>The triple loop, the definition of a product.</summary>
    private static DenseMatrix Naive(Matrix<double> A, Matrix<double> B)
    {
        var C = new DenseMatrix(A.RowCount, B.ColumnCount);
        for (int i = 0; i < A.RowCount; i++)
            for (int j = 0; j < B.ColumnCount; j++)
            {
                double sum = 0;
                for (int p = 0; p < A.ColumnCount; p++) sum += A[i, p] * B[p, j];
                C[i, j] = sum;
            }
        return C;
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-12 * Math.Max(1.0, Math.Abs(expected[i])) * 64;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}: element {i} is {actual[i]}, expected {expected[i]}");
        }
    }
}
