using System.CommandLine;
using BenchmarkDotNet.Running;
using DaseCV.Benchmarks;

// dotnet run -c Release --project lib/DaseCV.Benchmarks -- COMMAND [options]; --help lists them.
var rounds = new Option<int>("--rounds") { Description = "Alternating rounds of C# and numpy.", DefaultValueFactory = _ => 2 };
var iters = new Option<int>("--iters") { Description = "SGD iterations timed per round.", DefaultValueFactory = _ => 1500 };
var python = new Option<string>("--python") { Description = "Python with numpy for the reference.", DefaultValueFactory = _ => "/usr/bin/python3" };
var script = new Option<string>("--script") { Description = "The numpy reference script.", DefaultValueFactory = _ => NumpyReference.DefaultScript() };
NumpyReference Numpy(ParseResult r) => new(r.GetValue(python)!, r.GetValue(script)!);

var devOnly = new Option<bool>("--dev-only") { Description = "Time the dev loss only (no 49000-row training set)." };
var compare = new Command("compare", "The library's solution (dev loss, Softmax.Train step, Predict) vs numpy in the same run; ratios.")
{
    rounds, iters, python, script, devOnly,
};
compare.SetAction(r => CompareCommand.Run(Numpy(r), r.GetValue(rounds), r.GetValue(iters), r.GetValue(devOnly)));

var student = new Command("student", "A student's plain-MathNet softmax (dev loss, SGD step as a LinearClassifier subclass, Predict) vs numpy.")
{
    rounds, iters, python, script,
};
student.SetAction(r => StudentCommand.Run(Numpy(r), r.GetValue(rounds), r.GetValue(iters)));

var kernel = new Command("kernel", "The student's softmax inside the real .NET Interactive kernel, started as VS Code starts it, with and without .vscode/settings.json's variables, vs numpy.")
{
    rounds, iters, python, script,
};
kernel.SetAction(r => KernelCommand.Run(Numpy(r), r.GetValue(rounds), r.GetValue(iters)));

var dataRoot = new Argument<string?>("DATA_ROOT") { Description = "Folder holding cifar-10-batches-bin.", Arity = ArgumentArity.ZeroOrOne };
var synthetic = new Option<bool>("--synthetic") { Description = "CIFAR-like random pixels instead of DATA_ROOT." };
var parallel = new Option<int>("--parallel") { Description = "Configurations trained at a time.", DefaultValueFactory = _ => Environment.ProcessorCount };
var gridIters = new Option<int>("--iters") { Description = "SGD iterations per configuration.", DefaultValueFactory = _ => 2000 };
var grid = new Command("grid", "The notebook's 42-configuration tuning grid, timed wall to wall.") { dataRoot, synthetic, parallel, gridIters };
grid.SetAction(r => GridCommand.Run(r.GetValue(dataRoot), r.GetValue(synthetic), r.GetValue(parallel), r.GetValue(gridIters)));

var dataDir = new Argument<string>("DATA_DIR") { Description = "Folder holding cifar-10-batches-bin." };
var outDir = new Option<string?>("--out") { Description = "Output folder of the run (default artifacts/bench-notebook)." };
var notebook = new Command("notebook", "The whole notebook through the runner: wall time and peak RSS vs the targets (60 s, 1 GB).") { dataDir, outDir };
notebook.SetAction(r => NotebookCommand.Run(r.GetValue(dataDir)!, r.GetValue(outDir)));

var classSize = new Option<int>("--count") { Description = "Distinct submissions in the generated class.", DefaultValueFactory = _ => 20 };
var gradeOut = new Option<string?>("--out") { Description = "Work folder (default artifacts/bench-grade)." };
var gradeClass = new Command("grade-class", "A generated class of distinct solution submissions graded by `grade`: wall time, peak memory of every process, full marks.") { classSize, gradeOut };
gradeClass.SetAction(r => GradeClassCommand.Run(r.GetValue(classSize), r.GetValue(gradeOut)));

var repeats = new Option<int>("--repeats") { Description = "Timed repeats (best is kept).", DefaultValueFactory = _ => 200 };
var noNumpy = new Option<bool>("--no-numpy") { Description = "Skip OpenBLAS's figures (softmax_np.py peak)." };
var kernels = new Command("kernels", "GFLOP/s of X·W, Xᵀ·dS and a square dgemm through MathNet on the provider, beside OpenBLAS's.")
{
    repeats, python, script, noNumpy,
};
kernels.SetAction(r => KernelsCommand.Run(r.GetValue(noNumpy) ? null : Numpy(r), r.GetValue(repeats)));

var firstData = new Option<string?>("--data") { Description = "Folder for the stand-in CIFAR-10 (default artifacts/bench-data; extracted from ../shared/data once)." };
var firstOps = new Option<string[]>("--ops") { Description = "Only these operations (default: all).", AllowMultipleArgumentsPerToken = true };
var firstCall = new Command("first-call", "Each operation the kNN, SVM and softmax notebooks time, first call in a fresh process and steady state, vs numpy at its best.")
{
    rounds, iters, python, firstData, firstOps,
};
firstCall.SetAction(r => FirstCallCommand.Run(r.GetValue(firstData), r.GetValue(python)!, r.GetValue(rounds), r.GetValue(iters), r.GetValue(firstOps) ?? []));
var runOp = new Argument<string>("OP");
var runData = new Argument<string>("DATA_ROOT");
var runWarmup = new Option<int>("--warmup");
var runRepeats = new Option<int>("--repeats");
var firstCallRun = new Command("first-call-run", "One operation of first-call, in this process (first-call starts it).") { runOp, runData, runWarmup, runRepeats, iters };
firstCallRun.Hidden = true;
firstCallRun.SetAction(r => FirstCallRun.Run(r.GetValue(runOp)!, r.GetValue(runData)!, r.GetValue(runWarmup), r.GetValue(runRepeats), r.GetValue(iters)));

var bdn = new Command("bdn", "BenchmarkDotNet suites; the remaining arguments go to BenchmarkDotNet (e.g. --filter '*').")
{
    TreatUnmatchedTokensAsErrors = false,
};
bdn.SetAction(r =>
{
    BenchmarkSwitcher.FromAssembly(typeof(Workloads).Assembly).Run([.. r.UnmatchedTokens]);
    return 0;
});

var netData = new Argument<string>("DATA_DIR") { Description = "Folder holding cifar-10-batches-bin." };
var netRounds = new Option<int>("--rounds") { Description = "Rounds of C#, numpy with 1 thread and numpy with default threads.", DefaultValueFactory = _ => 2 };
var netIters = new Option<int>("--iters") { Description = "SGD iterations.", DefaultValueFactory = _ => 1000 };
var netScript = new Option<string>("--script") { Description = "The numpy reference script.", DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "numpy", "two_layer_np.py") };
NumpyReference NetNumpy(ParseResult r) => new(r.GetValue(python)!, r.GetValue(netScript)!);
var twoLayer = new Command("two-layer", "The two-layer net's CIFAR-10 training run (hidden 50, 1000 iterations), fresh processes, vs numpy.") { netData, netRounds, netIters, python, netScript };
twoLayer.SetAction(r => TwoLayerNetCommand.Run(r.GetValue(netData)!, NetNumpy(r), r.GetValue(netRounds), r.GetValue(netIters)));
var twoLayerWorker = new Command("two-layer-worker", "(internal) one timed training run; prints a JSON line.") { netData, netIters };
twoLayerWorker.Hidden = true;
twoLayerWorker.SetAction(r => TwoLayerNetCommand.Worker(r.GetValue(netData)!, r.GetValue(netIters)));
var images = new Option<int>("--images") { Description = "Images to extract (train, then val, then test).", DefaultValueFactory = _ => 60000 };
var featureRounds = new Option<int>("--rounds") { Description = "Rounds of C#, numpy with 1 thread and numpy with default threads.", DefaultValueFactory = _ => 1 };
var features = new Command("features", "HOG + hue histogram of all 60,000 CIFAR-10 images, fresh processes, vs features.py.") { netData, featureRounds, images, python, netScript };
features.SetAction(r => FeaturesCommand.Run(r.GetValue(netData)!, NetNumpy(r), r.GetValue(featureRounds), r.GetValue(images)));
var featuresWorker = new Command("features-worker", "(internal) one timed extraction; prints a JSON line.") { netData, images };
featuresWorker.Hidden = true;
featuresWorker.SetAction(r => FeaturesCommand.Worker(r.GetValue(netData)!, r.GetValue(images)));
var notebookPath = new Argument<string>("NOTEBOOK") { Description = "The notebook to run, e.g. notebooks/two_layer_net.ipynb." };
var notebookMemory = new Command("notebook-memory", "Any notebook through the runner: wall time and peak RSS of runner and kernel (target 2 GB).") { notebookPath, netData, outDir };
notebookMemory.SetAction(r => NotebookMemoryCommand.Run(r.GetValue(notebookPath)!, r.GetValue(netData)!, r.GetValue(outDir)));

var root = new RootCommand("DaseCV benchmarks, side by side with the numpy reference (../shared/bench/softmax_np.py).")
{
    compare, student, kernel, grid, notebook, gradeClass, kernels, firstCall, firstCallRun, bdn, twoLayer, twoLayerWorker, features, featuresWorker, notebookMemory,
};
return root.Parse(args).Invoke();
