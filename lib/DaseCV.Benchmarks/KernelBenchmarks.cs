using BenchmarkDotNet.Attributes;
using DaseCV.Classifiers;
using DaseCV.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;

namespace DaseCV.Benchmarks;

/// <summary>The products of one SGD step on a batch of 200 CIFAR-sized rows, and the loss on the 500-row dev set.</summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private DenseMatrix _xBatch = null!, _xDev = null!;
    private DenseMatrix _w = null!, _wDev = null!, _scores = null!;
    private int[] _yDev = null!;

    /// <summary>Builds the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_xBatch, _, _w) = Workloads.Dev(200, seed: 1);
        (_xDev, _yDev, _wDev) = Workloads.Dev(500, seed: 2);
        _scores = (DenseMatrix)(_xBatch * _w);
    }

    /// <summary>scores = X·W, (200, 3073)·(3073, 10).</summary>
    [Benchmark]
    public object XW() => _xBatch * _w;

    /// <summary>dW = Xᵀ·dS, (3073, 200)·(200, 10).</summary>
    [Benchmark]
    public object XTransposeDS() => _xBatch.TransposeThisAndMultiply(_scores);

    /// <summary>The whole vectorized loss and gradient on the dev set (numpy: softmax_np.py dev).</summary>
    [Benchmark]
    public double SoftmaxLossVectorizedDev() => SoftmaxLoss.Vectorized(_wDev, _xDev, _yDev, 5e-6).Loss;

    /// <summary>MathNet's managed provider for the same X·W, for scale.</summary>
    [Benchmark]
    public object ManagedXW()
    {
        MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.UseManaged();
        try { return _xBatch * _w; }
        finally { SimdLinearAlgebraProvider.Install(); }
    }
}

/// <summary>One SGD iteration (batch 200 of 49000 × 3073) and Predict on 49000 rows, through the public API.</summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private CenteredPixelMatrix _xTrain = null!;
    private int[] _yTrain = null!;
    private Softmax _softmax = null!;

    /// <summary>Builds the CIFAR-like training matrix once, as the loader holds it (150 MB of pixel bytes).</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_xTrain, _yTrain, _) = Workloads.CifarLikePixels(49000, seed: 1);
        _softmax = new Softmax(seed: 0);
        _softmax.Train(_xTrain, _yTrain, 1e-7, 2.5e4, numIters: 10);
    }

    /// <summary>100 SGD iterations; divide by 100 for one.</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public IReadOnlyList<double> SgdIteration() => _softmax.Train(_xTrain, _yTrain, 1e-7, 2.5e4, numIters: 100);

    /// <summary>Predict on the 49000 training rows.</summary>
    [Benchmark]
    public int[] Predict49000() => _softmax.Predict(_xTrain);
}
