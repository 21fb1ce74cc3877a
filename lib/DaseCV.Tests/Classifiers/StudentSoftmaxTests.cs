using DaseCV.Benchmarks;
using DaseCV.Classifiers;

namespace DaseCV.Tests.Classifiers;

/// <summary>The benchmark's student port (plain MathNet, line by line from CS231n) computes what the library does.</summary>
public sealed class StudentSoftmaxTests
{
    [Theory]
    [InlineData(1, 7, 3)]
    [InlineData(50, 3073, 10)]
    [InlineData(37, 129, 11)]
    public void Should_Give_The_Librarys_Loss_And_Gradient(int n, int d, int c)
    {
        var W = TestData.Randn(d, c, seed: n + d, scale: 0.01);
        var X = TestData.Randn(n, d, seed: n * 3 + c, scale: 10);
        var y = TestData.Labels(n, c, seed: d);

        var (loss, grad) = StudentSoftmax.Loss(W, X, y, reg: 2.5);
        var (expectedLoss, expectedGrad) = SoftmaxLoss.Vectorized(W, X, y, reg: 2.5);

        Assert.Equal(expectedLoss, loss, 1e-10);
        Assert.True((expectedGrad - grad).FrobeniusNorm() <= 1e-10, $"gradients differ by {(expectedGrad - grad).FrobeniusNorm()}");
    }

    [Fact]
    public void Should_Train_And_Predict_As_The_Library_Does_On_The_Pixel_Matrix()
    {
        var (X, _, _) = TestData.CenteredPixels(300, seed: 40);
        var y = TestData.Labels(300, 10, seed: 41);
        var student = new StudentSoftmax.Classifier(seed: 3);
        var library = new Softmax(seed: 3);

        var studentLosses = student.Train(X, y, learningRate: 1e-7, reg: 10, numIters: 20, batchSize: 32);
        var libraryLosses = library.Train(X, y, learningRate: 1e-7, reg: 10, numIters: 20, batchSize: 32);

        Assert.Equal(libraryLosses.Count, studentLosses.Count);
        for (int k = 0; k < libraryLosses.Count; k++) Assert.Equal(libraryLosses[k], studentLosses[k], 1e-10);
        Assert.Equal(library.Predict(X), StudentSoftmax.Predict(student.W!, X));
    }
}
