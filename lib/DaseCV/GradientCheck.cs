using static System.FormattableString;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV;

/// <summary>Numerical gradients by centred differences: CS231n <c>gradient_check.py</c>.</summary>
/// <remarks>
/// Both functions perturb <c>x</c> in place, one element at a time, and restore it, so <c>f</c> must read the
/// same matrix object (as <c>w => SoftmaxLoss.Naive(w, X, y, reg).Loss</c> does when passed W).
/// </remarks>
public static class GradientCheck
{
    /// <summary>The gradient of <paramref name="f"/> at every element of <paramref name="x"/>: <c>(f(x + h·e_ij) − f(x − h·e_ij)) / 2h</c>.</summary>
    /// <param name="f">Scalar function of the matrix.</param>
    /// <param name="x">Point at which to differentiate, shape (R, K); restored on return.</param>
    /// <param name="verbose">Print each element's index and derivative, as CS231n does.</param>
    /// <param name="h">Step, &gt; 0.</param>
    /// <returns>The numerical gradient, shape (R, K).</returns>
    public static Matrix<double> EvalNumericalGradient(Func<Matrix<double>, double> f, Matrix<double> x, bool verbose = true, double h = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        CheckStep(h);
        var grad = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount);
        for (int i = 0; i < x.RowCount; i++)
            for (int j = 0; j < x.ColumnCount; j++)
            {
                grad[i, j] = CentredDifference(f, x, i, j, h);
                if (verbose) Console.WriteLine(Invariant($"({i}, {j}) {grad[i, j]:R}"));
            }
        return grad;
    }

    /// <summary>
    /// Compares <paramref name="analyticGrad"/> with centred differences at <paramref name="numChecks"/> random elements,
    /// printing <c>numerical: %f analytic: %f, relative error: %e</c> for each, as CS231n does.
    /// </summary>
    /// <param name="f">Scalar function of the matrix.</param>
    /// <param name="x">Point at which to differentiate, shape (R, K); restored on return.</param>
    /// <param name="analyticGrad">The gradient to check, shape (R, K).</param>
    /// <param name="numChecks">Number of random elements, ≥ 0.</param>
    /// <param name="h">Step, &gt; 0.</param>
    /// <param name="seed">Seed for the choice of elements; null draws a random seed.</param>
    /// <returns>One result per check, in the order printed.</returns>
    public static IReadOnlyList<GradCheckResult> GradCheckSparse(Func<Matrix<double>, double> f, Matrix<double> x,
        Matrix<double> analyticGrad, int numChecks = 10, double h = 1e-5, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(analyticGrad);
        if (analyticGrad.RowCount != x.RowCount || analyticGrad.ColumnCount != x.ColumnCount)
            throw new ArgumentException(
                Invariant($"analyticGrad is ({analyticGrad.RowCount}, {analyticGrad.ColumnCount}) but x is ({x.RowCount}, {x.ColumnCount}); ") +
                "expected the same shape.", nameof(analyticGrad));
        ArgumentOutOfRangeException.ThrowIfNegative(numChecks);
        CheckStep(h);
        var random = seed is int s ? new Random(s) : new Random();
        var results = new List<GradCheckResult>(numChecks);
        for (int k = 0; k < numChecks; k++)
        {
            int i = random.Next(x.RowCount), j = random.Next(x.ColumnCount);
            double numerical = CentredDifference(f, x, i, j, h);
            double analytic = analyticGrad[i, j];
            double relError = Math.Abs(numerical - analytic) / (Math.Abs(numerical) + Math.Abs(analytic));
            Console.WriteLine(Invariant($"numerical: {Py.F(numerical)} analytic: {Py.F(analytic)}, relative error: {Py.E(relError)}"));
            results.Add(new GradCheckResult(i, j, numerical, analytic, relError));
        }
        return results;
    }

    private static double CentredDifference(Func<Matrix<double>, double> f, Matrix<double> x, int i, int j, double h)
    {
        double old = x[i, j];
        try
        {
            x[i, j] = old + h;
            double fxph = f(x);
            x[i, j] = old - h;
            double fxmh = f(x);
            return (fxph - fxmh) / (2 * h);
        }
        finally
        {
            x[i, j] = old;
        }
    }

    private static void CheckStep(double h)
    {
        if (!(h > 0) || double.IsInfinity(h))
            throw new ArgumentOutOfRangeException(nameof(h), h, Invariant($"h = {h} must be a finite step > 0."));
    }
}
