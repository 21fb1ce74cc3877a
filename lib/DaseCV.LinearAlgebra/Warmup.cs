using System.Numerics.Tensors;
using System.Reflection;
using System.Runtime.CompilerServices;
using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.LinearAlgebra;

/// <summary>
/// Compiles the code of CS231n's operations on a background thread when the library loads, so that a notebook's first
/// timed call does not wait for the JIT: the provider's products at this CPU's vector width (dense and on pixel
/// bytes, every transpose case) and the MathNet operations CS231n's code is written with (row maxima, <c>Map</c>,
/// <c>MapIndexed</c>, <c>PointwiseExp</c>, row sums, norms, vector arithmetic, <c>SelectRows</c>), on tiny matrices,
/// the latter 40 times so that the JIT recompiles them optimized.
/// It also starts the threads large products are split over (<see cref="ProductThreads"/>).
/// </summary>
/// <remarks>
/// <para>Why: in a fresh process the first <c>SoftmaxLoss.Vectorized</c> on the dev set took about 100 ms, 20× numpy's
/// first call, nearly all of it compiling code (the kernels with full optimization, about 230 methods of MathNet, LINQ
/// and <c>TensorPrimitives</c>) and starting threads; numpy's compiled code is loaded by <c>import numpy</c>. A notebook
/// loads the library seconds before its first timing cell (the data cell), so the work is done by then; a call that
/// comes sooner simply finds part of it done (the JIT compiles each method once, whichever thread asks first).</para>
/// <para>Measured and not taken: ReadyToRun (every assembly, MathNet's included, precompiled by a publish) left the
/// first product as slow, because the kernels are <c>AggressiveOptimization</c> (which ReadyToRun does not precompile,
/// and without which they would start as slow tier-0 code), must match the CPU's vector width at run time (precompiled
/// code that asks whether Vector512 is accelerated is used only where the answer is the one it was compiled with), and
/// the start of the thread pool was not code to precompile; a notebook also loads the build output, which the SDK does
/// not precompile. <c>TieredCompilation=false</c>
/// made the first call slower (every method compiled fully optimized), <c>TC_QuickJitForLoops=0</c> and
/// <c>TieredPGO=0</c> changed it within the noise, and the notebook kernel's settings are not ours to set.</para>
/// <para>Only library code runs here, never the course functions a student writes (a stub, a slow loop or a bug of
/// theirs must not run in the background). Results do not depend on it: it computes on its own tiny matrices.</para>
/// </remarks>
internal static class Warmup
{
    private static readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static int s_started;

    /// <summary>Completes when the warm-up has run (successfully or not: it never throws).</summary>
    public static Task Completion => Done.Task;

    /// <summary>Starts the warm-up once per process, on a background thread.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref s_started, 1) != 0) return;
        new Thread(Run) { IsBackground = true, Name = "DaseCV warm-up" }.Start();
    }

    /// <summary>
    /// Compiles, without running them, every method of <paramref name="types"/> and of their nested types (lambdas,
    /// local functions), on a background thread: the course's own functions, whose first call would otherwise wait for
    /// the JIT too. Compiling runs none of their code, so a student's stub, loop or bug does nothing here.
    /// </summary>
    public static void Compile(IEnumerable<Type> types)
    {
        var list = types.ToList();
        new Thread(() => CompileNow(list)) { IsBackground = true, Name = "DaseCV warm-up (course code)" }.Start();
    }

    private static void CompileNow(IEnumerable<Type> types)
    {
        foreach (var type in types)
        {
            if (type.ContainsGenericParameters) continue;
            const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
            foreach (var method in type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared)))
            {
                if (method.IsAbstract || method.ContainsGenericParameters || method.GetMethodBody() is null) continue;
                try
                {
                    RuntimeHelpers.PrepareMethod(method.MethodHandle);
                }
                catch (Exception)
                {
                    // Speed only: a method that cannot be compiled now fails where it is called.
                }
            }
            CompileNow(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic));
        }
    }

    private static void Run()
    {
        try
        {
            ProductThreads.EnsureHelpers(Gemm.MaxThreads - 1);
            Gemm.Split(4 * Gemm.MaxThreads, long.MaxValue, (_, _) => { });  // the split itself, with the helpers
            Products();
            PixelMatrix();
            // Called often enough (30 calls) that the JIT recompiles MathNet's hot methods fully optimized in the
            // background, with loops long enough (over 1000 iterations) to be compiled on-stack too.
            for (int call = 0; call < 40; call++) CourseOperations();
        }
        catch (Exception)
        {
            // Nothing depends on the warm-up but speed: whatever failed here fails again, visibly, where it is called.
        }
        finally
        {
            Done.TrySetResult();
        }
    }

    /// <summary>Every kernel of <see cref="Gemm"/> at this CPU's width: shapes that reach each block size and each tail.</summary>
    private static void Products()
    {
        int width = SimdWidth.Is512 ? 8 : 4;
        int m = 3 * width + 3, n = 11, k = width + 1;
        foreach (bool transA in new[] { false, true })
            foreach (bool transB in new[] { false, true })
            {
                int rowsA = transA ? k : m, columnsA = transA ? m : k, rowsB = transB ? n : k, columnsB = transB ? k : n;
                var a = Filled(rowsA * columnsA);
                var b = Filled(rowsB * columnsB);
                Gemm.Multiply(transA, transB, 1.0, a, rowsA, columnsA, b, rowsB, columnsB, 0.0, new double[m * n]);
                Gemm.Multiply(transA, transB, 0.5, a, rowsA, columnsA, b, rowsB, columnsB, 1.0, new double[m * n]);
            }
    }

    /// <summary>Products, row selection and copies of a <see cref="CenteredPixelMatrix"/>, as training runs them.</summary>
    private static void PixelMatrix()
    {
        const int rows = 5, P = CenteredPixelMatrix.PixelCount;
        var pixels = new byte[rows * P];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 7);
        var X = new CenteredPixelMatrix(rows, pixels, new double[P]);
        var W = new DenseMatrix(P + 1, 10, Filled((P + 1) * 10));
        var scores = X * W;
        X.TransposeThisAndMultiply(scores);
        var batch = X.SelectRows([4, 0, 2]);
        X.SelectRows([1, 3, 0], batch);
        (batch * W).Multiply(2.0);
        batch.TransposeThisAndMultiply(scores.SubMatrix(0, 3, 0, 10));
        X.SelectRows([0, 1], new DenseMatrix(2, P + 1));
        X.Row(1);
        X.ToDense().Transpose();
        batch.Transpose();
    }

    /// <summary>The MathNet operations of CS231n's kNN, SVM, softmax and training code (their own code is not run).</summary>
    private static void CourseOperations()
    {
        var X = new DenseMatrix(150, 7, Filled(150 * 7));
        var W = new DenseMatrix(7, 10, Filled(70));
        var scores = X * W;
        _ = TensorPrimitives.IndexOfMaxMagnitude<double>(X.Values);  // the losses' check for NaN and infinity
        var rowMax = scores.EnumerateRows().Select(row => row.Maximum()).ToArray();
        var shifted = scores.MapIndexed((i, j, s) => s - rowMax[i]);
        var sumExp = shifted.PointwiseExp().RowSums();
        _ = Enumerable.Range(0, 150).Sum(i => Math.Log(sumExp[i]) - shifted[i, 1]) + Math.Pow(W.FrobeniusNorm(), 2);
        var positive = shifted.Map(s => s > -1 ? 1.0 : 0.0);
        _ = positive.RowSums().Sum() + positive.ColumnSums().Sum() + W.PointwiseMultiply(W).Enumerate().Sum();
        var dW = X.TransposeThisAndMultiply(positive) / 150 + 2 * 0.5 * W;
        X.TransposeThisAndMultiply(positive, result: dW);
        dW.Add(W, result: dW);
        dW.Multiply(1e-3, result: dW);
        W.Subtract(dW, result: W);
        (X.Transpose() * positive - dW).Clone();
        _ = scores.EnumerateRows().Select(row => row.MaximumIndex()).ToArray();

        // The loops of the naive losses and of kNN: rows, vector–matrix products, column updates.
        var xi = X.Row(2);
        var rowScores = xi * W;
        rowScores -= rowScores.Maximum();
        _ = rowScores.PointwiseExp().Sum() + rowScores[1];
        dW.SetColumn(1, dW.Column(1) + 0.5 * xi.SubVector(0, 7));
        dW.SetColumn(2, dW.Column(2) - xi);
        var rows = X.EnumerateRows().ToArray();
        var diff = rows[0] - rows[1];
        _ = Math.Sqrt(diff.DotProduct(diff));
        var squares = X.PointwiseMultiply(X).RowSums();
        var products = X.TransposeAndMultiply(X);
        var distances = squares - 2 * (X * xi) + xi.DotProduct(xi);
        products.SetRow(0, distances.PointwiseMaximum(0.0).PointwiseSqrt());
        products.MapIndexed((i, j, ab) => Math.Sqrt(Math.Max(0.0, squares[i] - 2 * ab + squares[j])));
        _ = (products - products).FrobeniusNorm();
        X.SubMatrix(0, 3, 0, 7).SelectRows([2, 0]);
        Matrix<double>.Build.Dense(3, 2, (i, j) => i + j);
        Matrix<double>.Build.DenseOfRowMajor(2, 2, Enumerable.Range(0, 4).Select(v => (double)v));
    }

    private static double[] Filled(int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = (i % 13 - 6) * 0.01;
        return values;
    }
}
