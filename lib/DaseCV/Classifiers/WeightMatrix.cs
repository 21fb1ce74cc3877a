using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Classifiers;

/// <summary>
/// A classifier's W (D, C): a column-major <see cref="DenseMatrix"/> that holds on to the previous step's gradient
/// array, so the next loss call can write its gradient there instead of allocating.
/// </summary>
/// <remarks>
/// A (3073, 10) gradient is 245 KB, a large object for the .NET GC: allocating one per SGD step left up to 2 GB of
/// garbage during the 42-configuration grid before the GC reclaimed it. <see cref="LinearClassifier.Train"/> hands
/// each gradient back once it has applied it; <see cref="NewGradient"/> gives it out at most once. Any other W
/// gets a fresh array, so gradients returned to user code are never reused behind its back.
/// </remarks>
internal sealed class WeightMatrix : DenseMatrix
{
    private double[]? _spareGradient;

    /// <summary>Wraps <paramref name="values"/>, column-major (rows, columns), without copying.</summary>
    public WeightMatrix(int rows, int columns, double[] values) : base(rows, columns, values)
    {
    }

    /// <summary>An uninitialized gradient shaped like W: W's spare array if it has one, else a new one.</summary>
    /// <param name="W">Weights, shape (D, C).</param>
    /// <returns>A (D, C) column-major matrix whose contents the caller must overwrite.</returns>
    public static DenseMatrix NewGradient(Matrix<double> W)
    {
        if (W is WeightMatrix weights && Interlocked.Exchange(ref weights._spareGradient, null) is double[] spare)
            return new DenseMatrix(W.RowCount, W.ColumnCount, spare);
        // Uninitialized: the caller overwrites every element, so zeroing 245 KB would be wasted.
        return new DenseMatrix(W.RowCount, W.ColumnCount, GC.AllocateUninitializedArray<double>(W.RowCount * W.ColumnCount));
    }

    /// <summary>Keeps a gradient that its owner no longer needs, for the next <see cref="NewGradient"/>.</summary>
    /// <param name="gradient">A gradient of W's shape that nothing else will read again.</param>
    public void ReturnGradient(Matrix<double> gradient)
    {
        if (gradient is DenseMatrix dense && dense.Values.Length == Values.Length && !ReferenceEquals(dense.Values, Values))
            _spareGradient = dense.Values;
    }
}
