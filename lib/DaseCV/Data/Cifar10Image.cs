namespace DaseCV.Data;

/// <summary>One raw CIFAR-10 image with its label, for display.</summary>
/// <param name="Index">Its row in the training set (0-based, over the five training batches).</param>
/// <param name="Label">Class index in [0, 10).</param>
/// <param name="ClassName">Name of the class.</param>
/// <param name="Pixels">3072 bytes in (32, 32, 3) order: pixel (row, col) channel ch is at (row·32 + col)·3 + ch.</param>
public sealed record Cifar10Image(int Index, int Label, string ClassName, byte[] Pixels)
{
    /// <summary>Image side in pixels.</summary>
    public const int Size = 32;
}
