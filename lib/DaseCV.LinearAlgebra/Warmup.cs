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
/// bytes, every transpose case) and MathNet's common operations (each on its own, on tiny meaningless matrices), the
/// latter 40 times so that the JIT recompiles them optimized.
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
            for (int call = 0; call < 40; call++) CommonOperations();
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
        X.RowSums();  // one column: the micro-kernels' narrowest block
        X.ColumnSums();
        var batch = X.SelectRows([4, 0, 2]);
        X.SelectRows([1, 3, 0], batch);
        (batch * W).Multiply(2.0);
        batch.TransposeThisAndMultiply(scores.SubMatrix(0, 3, 0, 10));
        X.SelectRows([0, 1], new DenseMatrix(2, P + 1));
        X.Row(1);
        X.ToDense().Transpose();
        batch.Transpose();
    }

    /// <summary>
    /// MathNet's common operations, each on its own on meaningless data, in alphabetical order: a catalogue of the
    /// library's surface, never a recipe (the release ships this file, and no course function may be spelled out here).
    /// </summary>
    private static void CommonOperations()
    {
        var a = new DenseMatrix(150, 7, Filled(150 * 7));
        var b = new DenseMatrix(7, 10, Filled(70));
        var v = a.Row(2);
        _ = a.Column(1);
        _ = a.ColumnSums();
        _ = a.EnumerateRows().Select(r => r.Maximum()).ToArray();
        _ = a.EnumerateRows().Select(r => r.MaximumIndex()).ToArray();
        _ = a.Enumerate().Sum();
        _ = a.FrobeniusNorm();
        _ = a.Map(x => x * 0.5);
        _ = a.MapIndexed((i, j, x) => x + i - j);
        _ = a.PointwiseExp();
        _ = a.PointwiseLog();
        _ = a.PointwiseMaximum(0.0);
        _ = a.PointwiseMultiply(a);
        _ = a.PointwiseSqrt();
        _ = a.RowSums();
        _ = a.SubMatrix(0, 3, 0, 7);
        _ = a.Transpose() * a;
        _ = a.TransposeAndMultiply(a);
        _ = a.TransposeThisAndMultiply(a);
        var c = a * b;
        c.Add(1.0, result: c);
        c.Multiply(2.0, result: c);
        c.Subtract(c, result: c);
        a.TransposeThisAndMultiply(c, result: b);
        _ = (b / 3 + 2 * b - b).Clone();
        b.SetColumn(1, b.Column(2));
        b.SetRow(0, b.Row(1));
        _ = v * b.SubMatrix(0, 7, 0, 10);
        _ = v - v + 0.5 * v;
        _ = v.DotProduct(v) + v.Maximum() + v.Minimum() + v.Sum() + v.PointwiseExp().Sum();
        _ = v.SubVector(0, 3);
        _ = Enumerable.Range(0, 150).Sum(i => Math.Log(1 + i));
        _ = TensorPrimitives.IndexOfMaxMagnitude<double>(a.Values);
    }

    private static double[] Filled(int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = (i % 13 - 6) * 0.01;
        return values;
    }
}
