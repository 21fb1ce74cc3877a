using System.Reflection;
using System.Runtime.Loader;
using MathNet.Numerics.LinearAlgebra;

namespace DaseCV.Grader;

/// <summary>A loss function's contract: (W, X, y, reg) → (loss, dW).</summary>
internal delegate (double Loss, Matrix<double> Grad) LossFunction(Matrix<double> W, Matrix<double> X, int[] y, double reg);

/// <summary>
/// The instructor's solution (lib/DaseCV built from the solution sources), loaded into its own
/// AssemblyLoadContext beside the student's DaseCV. Only DaseCV itself is loaded twice; MathNet and the support
/// projects come from the default context, so matrices pass freely between the two.
/// </summary>
internal sealed class ReferenceLibrary
{
    private readonly Assembly _assembly;

    private ReferenceLibrary(Assembly assembly)
    {
        _assembly = assembly;
        var softmaxLoss = Type("DaseCV.Classifiers.SoftmaxLoss");
        SoftmaxNaive = softmaxLoss.GetMethod("Naive")!.CreateDelegate<LossFunction>();
        SoftmaxVectorized = softmaxLoss.GetMethod("Vectorized")!.CreateDelegate<LossFunction>();
    }

    public LossFunction SoftmaxNaive { get; }

    public LossFunction SoftmaxVectorized { get; }

    public static ReferenceLibrary Load(string dllPath)
    {
        var full = Path.GetFullPath(dllPath);
        if (!File.Exists(full))
            throw new FileNotFoundException($"The reference library {full} does not exist; the grade command builds it.", full);
        var context = new ReferenceContext(Path.GetDirectoryName(full)!);
        return new ReferenceLibrary(context.LoadFromAssemblyPath(full));
    }

    /// <summary>A reference <c>Softmax</c> with <paramref name="W"/> set (null: untrained).</summary>
    public object NewSoftmax(int seed, Matrix<double>? W = null)
    {
        var softmax = Activator.CreateInstance(Type("DaseCV.Classifiers.Softmax"), (int?)seed)!;
        if (W is not null)
            softmax.GetType().GetProperty("W")!.SetValue(softmax, W);
        return softmax;
    }

    /// <summary>Calls the reference <c>Train</c> with the named arguments; the others take their defaults.</summary>
    public IReadOnlyList<double> Train(object classifier, Matrix<double> X, int[] y, double learningRate, double reg, int numIters, int batchSize)
    {
        var method = classifier.GetType().GetMethod("Train")!;
        var named = new Dictionary<string, object?>
        {
            ["X"] = X, ["y"] = y, ["learningRate"] = learningRate, ["reg"] = reg, ["numIters"] = numIters, ["batchSize"] = batchSize,
        };
        var arguments = method.GetParameters().Select(p => named.TryGetValue(p.Name!, out var v) ? v : p.DefaultValue).ToArray();
        return (IReadOnlyList<double>)method.Invoke(classifier, arguments)!;
    }

    public int[] Predict(object classifier, Matrix<double> X) => (int[])classifier.GetType().GetMethod("Predict")!.Invoke(classifier, [X])!;

    private Type Type(string name) =>
        _assembly.GetType(name) ?? throw new InvalidOperationException($"The reference library has no type {name}.");

    private sealed class ReferenceContext(string directory) : AssemblyLoadContext("reference")
    {
        protected override Assembly? Load(AssemblyName name) =>
            name.Name == "DaseCV" ? LoadFromAssemblyPath(Path.Combine(directory, "DaseCV.dll")) : null;
    }
}
