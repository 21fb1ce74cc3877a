using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Data;

/// <summary>
/// CIFAR-10 split and preprocessed for a linear classifier, as the assignment's <c>get_CIFAR10_data</c> returns it.
/// </summary>
/// <remarks>
/// Every X is a <see cref="Matrix{T}"/> of shape (N, D) with D = 3073: the 3072 pixels of an image in (32, 32, 3)
/// order minus <see cref="MeanImage"/>, then a bias 1. XTrain is a read-only <see cref="LinearAlgebra.CenteredPixelMatrix"/>
/// (the pixel bytes and the mean: 150 MB instead of 1.2 GB of doubles, same values); the others are dense.
/// </remarks>
/// <param name="XTrain">Training images, shape (numTraining, 3073): the first numTraining training records; read-only.</param>
/// <param name="yTrain">Training labels, length numTraining, each in [0, 10).</param>
/// <param name="XVal">Validation images, shape (numValidation, 3073): training records numTraining … numTraining+numValidation−1.</param>
/// <param name="yVal">Validation labels, length numValidation.</param>
/// <param name="XTest">Test images, shape (numTest, 3073): the first numTest test records.</param>
/// <param name="yTest">Test labels, length numTest.</param>
/// <param name="XDev">Development images, shape (numDev, 3073): numDev rows of XTrain drawn without replacement.</param>
/// <param name="yDev">Development labels, length numDev.</param>
/// <param name="MeanImage">Mean of the XTrain images before centring, length 3072, (32, 32, 3) order.</param>
/// <param name="ClassNames">The ten class names, index = label.</param>
/// <param name="Samples">A few raw training images per class (before preprocessing), for a sample grid.</param>
/// <param name="TrainingRecordCount">Records in the five training batches (50,000 for CIFAR-10).</param>
/// <param name="TestRecordCount">Records in the test batch (10,000 for CIFAR-10).</param>
public sealed record Cifar10Data(
    Matrix<double> XTrain, int[] yTrain,
    Matrix<double> XVal, int[] yVal,
    Matrix<double> XTest, int[] yTest,
    Matrix<double> XDev, int[] yDev,
    double[] MeanImage,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<Cifar10Image> Samples,
    int TrainingRecordCount,
    int TestRecordCount);
