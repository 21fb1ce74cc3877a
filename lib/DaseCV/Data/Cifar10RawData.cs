namespace DaseCV.Data;

/// <summary>
/// CIFAR-10 split but not preprocessed, as the features notebook's <c>get_CIFAR10_data</c> returns it: pixel values
/// 0–255 as bytes, so the feature functions see the original images.
/// </summary>
/// <param name="XTrain">Training images: the first numTraining training records.</param>
/// <param name="yTrain">Training labels, length numTraining, each in [0, 10).</param>
/// <param name="XVal">Validation images: the numValidation training records after those.</param>
/// <param name="yVal">Validation labels.</param>
/// <param name="XTest">Test images: the first numTest test records.</param>
/// <param name="yTest">Test labels.</param>
/// <param name="ClassNames">The ten class names, index = label.</param>
public sealed record Cifar10RawData(
    RawImages XTrain, int[] yTrain,
    RawImages XVal, int[] yVal,
    RawImages XTest, int[] yTest,
    IReadOnlyList<string> ClassNames);
