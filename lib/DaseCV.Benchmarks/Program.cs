using BenchmarkDotNet.Running;
using DaseCV.Benchmarks;

// dotnet run -c Release --project lib/DaseCV.Benchmarks -- compare | grid DATA_ROOT | notebook DATA_DIR | kernels | bdn [BenchmarkDotNet options]
return args.FirstOrDefault() switch
{
    "compare" => CompareCommand.Run(args[1..]),
    "grid" => GridCommand.Run(args[1..]),
    "kernels" => KernelsCommand.Run(args[1..]),
    "notebook" => NotebookCommand.Run(args[1..]),
    "bdn" => RunBenchmarkDotNet(args[1..]),
    _ => Usage(),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run(args);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project lib/DaseCV.Benchmarks -- COMMAND
          compare [--rounds 2] [--iters 1500] [--dev-only] [--python /usr/bin/python3] [--script PATH/softmax_np.py]
                  time the dev loss, one SGD iteration and Predict against numpy in the same run; print ratios
          grid DATA_ROOT [--parallel N] [--iters 2000]
                  train the seed's 42 (lr, reg) configurations on DATA_ROOT/cifar-10-batches-bin and time the grid
          grid --synthetic [--parallel N] [--iters 2000]
                  the same on CIFAR-like random pixels (no data needed)
          notebook DATA_DIR [--out DIR]
                  run notebooks/softmax.ipynb through the runner on DATA_DIR; wall time and peak RSS vs the targets
          kernels [--repeats 200]
                  quick GFLOP/s of the X·W and Xᵀ·dS kernels
          bdn [--filter *]
                  BenchmarkDotNet benchmarks of the kernels and workloads
        """);
    return 2;
}
