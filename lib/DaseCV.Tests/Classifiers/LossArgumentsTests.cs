using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Tests.Classifiers;

// Every public loss function validates its arguments with messages that name the shapes and values at fault.
public sealed class LossArgumentsTests
{
    private static readonly Matrix<double> W = TestData.Randn(4, 3, seed: 1, scale: 0.01);
    private static readonly Matrix<double> X = TestData.Randn(5, 4, seed: 2);
    private static readonly int[] Y = [0, 1, 2, 0, 1];

    [Theory]
    [MemberData(nameof(LossFunctions.All), MemberType = typeof(LossFunctions))]
    public void Should_Throw_When_X_And_W_Disagree_On_D(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => LossFunctions.Get(name)(TestData.Randn(6, 3, seed: 3), X, Y, 0.0));

        Assert.Equal("X", ex.ParamName);
        Assert.Contains("X is (5, 4) but W is (6, 3)", ex.Message);
    }

    [Theory]
    [MemberData(nameof(LossFunctions.All), MemberType = typeof(LossFunctions))]
    public void Should_Throw_When_y_Length_Differs_From_N(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => LossFunctions.Get(name)(W, X, [0, 1, 2], 0.0));

        Assert.Equal("y", ex.ParamName);
        Assert.Contains("y has 3 labels but X has 5 rows", ex.Message);
    }

    [Theory]
    [MemberData(nameof(LossFunctions.All), MemberType = typeof(LossFunctions))]
    public void Should_Throw_When_A_Label_Is_Outside_0_To_C(string name)
    {
        var lossFunction = LossFunctions.Get(name);

        var tooLarge = Assert.Throws<ArgumentException>(() => lossFunction(W, X, [0, 1, 3, 0, 1], 0.0));
        var negative = Assert.Throws<ArgumentException>(() => lossFunction(W, X, [0, 1, 2, -1, 1], 0.0));

        Assert.Contains("y[2] = 3 is outside [0, 3)", tooLarge.Message);
        Assert.Contains("y[3] = -1 is outside [0, 3)", negative.Message);
    }

    [Theory]
    [MemberData(nameof(LossFunctions.All), MemberType = typeof(LossFunctions))]
    public void Should_Throw_When_X_Is_Empty(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => LossFunctions.Get(name)(W, Matrix<double>.Build.Dense(0, 4), [], 0.0));

        Assert.Contains("X is (0, 4)", ex.Message);
    }

    [Theory]
    [MemberData(nameof(LossFunctions.All), MemberType = typeof(LossFunctions))]
    public void Should_Throw_Naming_NaN_Or_Infinity_In_X(string name)
    {
        var bad = X.Clone();
        bad[3, 2] = double.NaN;
        var inf = DenseMatrix.OfMatrix(X);
        inf[4, 1] = double.PositiveInfinity;

        var ex = Assert.Throws<ArgumentException>(() => LossFunctions.Get(name)(W, bad, Y, 0.0));
        var exInf = Assert.Throws<ArgumentException>(() => LossFunctions.Get(name)(W, inf, Y, 0.0));

        Assert.Equal("X", ex.ParamName);
        Assert.Contains("X (5, 4) holds NaN at (3, 2)", ex.Message);
        Assert.Contains("X (5, 4) holds Infinity at (4, 1)", exInf.Message);
    }

    [Theory]
    [MemberData(nameof(LossFunctions.All), MemberType = typeof(LossFunctions))]
    public void Should_Throw_Naming_NaN_Or_Infinity_In_W(string name)
    {
        var bad = W.Clone();
        bad[1, 2] = double.NegativeInfinity;

        var ex = Assert.Throws<ArgumentException>(() => LossFunctions.Get(name)(bad, X, Y, 0.0));

        Assert.Equal("W", ex.ParamName);
        Assert.Contains("W (4, 3) holds -Infinity at (1, 2)", ex.Message);
    }

    [Theory]
    [MemberData(nameof(LossFunctions.All), MemberType = typeof(LossFunctions))]
    public void Should_Throw_When_reg_Is_Negative_Or_NaN(string name)
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => LossFunctions.Get(name)(W, X, Y, -1.0));
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => LossFunctions.Get(name)(W, X, Y, double.NaN));

        Assert.Equal("reg", negative.ParamName);
        Assert.Contains("reg = -1", negative.Message);
        Assert.Contains("reg = NaN", nan.Message);
    }
}
