using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Kernels;

/// <summary>The L2 regularization term <c>reg·Σ W²</c> and its gradient <c>2·reg·W</c>, on W's own array when dense.</summary>
internal static class L2Penalty
{
    /// <summary><c>Σ_{d,c} W[d, c]²</c>.</summary>
    /// <param name="W">Weights, shape (D, C).</param>
    public static double SumOfSquares(Matrix<double> W) => TensorPrimitives.SumOfSquares<double>(MatrixData.ColumnMajor(W));

    /// <summary><c>dW += alpha·W</c>, in place.</summary>
    /// <param name="dW">Gradient, shape (D, C), column-major.</param>
    /// <param name="alpha">Scale, 2·reg for the gradient of reg·Σ W².</param>
    /// <param name="W">Weights, shape (D, C).</param>
    public static void AddScaled(DenseMatrix dW, double alpha, Matrix<double> W) =>
        TensorPrimitives.MultiplyAdd(MatrixData.ColumnMajor(W), alpha, dW.Values, dW.Values);
}
