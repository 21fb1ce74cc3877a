using System.Collections;
using DaseCV.Data.Pickle;
using Razorvine.Pickle;

namespace DaseCV.Data;

/// <summary>
/// Reads the Python version of CIFAR-10 (<c>cifar-10-batches-py</c>): pickled dicts with <c>data</c>, a uint8 numpy
/// array (N, 3072) in planar order, and <c>labels</c>, a list of N ints; <c>batches.meta</c> has <c>label_names</c>.
/// </summary>
/// <remarks>
/// Restricted: the pickle's globals are listed first (<see cref="PickleGlobalScanner"/>) and anything outside
/// <see cref="AllowedGlobals"/> is refused before unpickling; Razorvine.Pickle then builds only plain values (dicts,
/// lists, strings, numbers) and the numpy array through the constructors registered here. No Python code exists to
/// run: a pickle can at worst name a constructor, and only these are reachable.
/// </remarks>
internal static class CifarPickle
{
    /// <summary>The globals a CIFAR-10 pickle may name (numpy 1 and 2 module paths, and Python 3's bytes encoding).</summary>
    public static readonly IReadOnlySet<string> AllowedGlobals = new HashSet<string>
    {
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct", "numpy.ndarray", "numpy.dtype",
        "_codecs.encode",
    };

    static CifarPickle()
    {
        // Razorvine's constructor table is process-wide; these entries only add the numpy types it lacks.
        Unpickler.registerConstructor("numpy.core.multiarray", "_reconstruct", new NumpyReconstructConstructor());
        Unpickler.registerConstructor("numpy._core.multiarray", "_reconstruct", new NumpyReconstructConstructor());
        Unpickler.registerConstructor("numpy", "ndarray", new NumpyNdarrayTypeConstructor());
        Unpickler.registerConstructor("numpy", "dtype", new NumpyDTypeConstructor());
    }

    /// <summary>Reads a pickled batch (<c>data_batch_N</c> or <c>test_batch</c>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">An unknown global, bad pickle, or not the CIFAR-10 shapes and labels.</exception>
    public static Cifar10Batch ReadBatch(string path)
    {
        var dict = Unpickle(path);
        var data = Get(dict, "data", path) as NumpyArray
                   ?? throw Invalid(path, "its 'data' is not a numpy array");
        if (data.DType != "u1" || data.Shape.Length != 2 || data.Shape[1] != Cifar10Batch.ImageBytes
            || data.Data.Length != (long)data.Shape[0] * Cifar10Batch.ImageBytes)
            throw Invalid(path,
                $"its 'data' is a {data.DType} array of shape ({string.Join(", ", data.Shape)}) with {Cifar10Batch.N(data.Data.Length)} bytes; " +
                "expected uint8 (N, 3072)");
        var labelList = Get(dict, "labels", path) as IList ?? throw Invalid(path, "its 'labels' is not a list");
        if (labelList.Count != data.Shape[0])
            throw Invalid(path, $"it has {Cifar10Batch.N(labelList.Count)} labels for {Cifar10Batch.N(data.Shape[0])} images");
        var labels = new byte[labelList.Count];
        for (int i = 0; i < labels.Length; i++) labels[i] = ToLabel(labelList[i], i, path);
        return new Cifar10Batch(path, labels, data.Data, offset: 0, stride: Cifar10Batch.ImageBytes);
    }

    /// <summary>
    /// A label as the batch stores it: a Python int in [0, 10). Anything else (None, a float such as 3.7, a string, a
    /// bool, an int out of range) is refused with its record number: converting it would train on a made-up class.
    /// </summary>
    private static byte ToLabel(object? value, int record, string path)
    {
        long? label = value switch
        {
            int i => i,
            long l => l,
            byte b => b,
            short s => s,
            _ => null,
        };
        if (label is >= 0 and < Cifar10Batch.ClassCount) return (byte)label.Value;
        string shown = value switch
        {
            null => "None",
            int or long or byte or short or System.Numerics.BigInteger => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
            double d => $"{d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} (a float)",
            bool b => $"{(b ? "True" : "False")} (a bool)",
            string text => $"'{text}' (a string)",
            _ => $"a {value.GetType().Name}",
        };
        throw new InvalidDataException(
            $"{Path.GetFileName(path)}: record {Cifar10Batch.N(record)} has label {shown}; CIFAR-10 labels are 0–9. " +
            $"The file ({path}) is not a CIFAR-10 batch or is corrupt.");
    }

    /// <summary>Reads <c>label_names</c> from a pickled <c>batches.meta</c>.</summary>
    public static string[] ReadLabelNames(string path)
    {
        var names = Get(Unpickle(path), "label_names", path) as IList ?? throw Invalid(path, "its 'label_names' is not a list");
        var result = new string[names.Count];
        for (int i = 0; i < result.Length; i++)
            result[i] = names[i] switch
            {
                string text => text,
                byte[] bytes => System.Text.Encoding.Latin1.GetString(bytes),
                // None or a number would silently become a class name ("" or "3").
                var other => throw Invalid(path, $"its label_names[{i}] is {other?.ToString() ?? "None"}, not a string"),
            };
        return result;
    }

    private static Hashtable Unpickle(string path)
    {
        long size = ResolvedFile.Length(path);
        // File.ReadAllBytes would fail with a message naming no file.
        if (size > Array.MaxLength)
            throw Invalid(path, $"it is {Cifar10Batch.N(size)} bytes; a batch is read whole and can be at most " +
                                $"{Cifar10Batch.N(Array.MaxLength)} bytes (an official Python batch is about 31 MB)");
        byte[] bytes = File.ReadAllBytes(path);
        IReadOnlyList<string> globals;
        try
        {
            globals = PickleGlobalScanner.ListGlobals(bytes);
        }
        catch (InvalidDataException e)
        {
            throw Invalid(path, e.Message);
        }
        var unknown = globals.Where(g => !AllowedGlobals.Contains(g)).Distinct().ToArray();
        if (unknown.Length > 0)
            throw new InvalidDataException(
                $"{Path.GetFileName(path)} asks for the unknown global {string.Join(", ", unknown)}; a CIFAR-10 pickle only needs " +
                $"{string.Join(", ", AllowedGlobals)}. Nothing was loaded or run. The file ({path}) is not a CIFAR-10 batch.");
        object result;
        try
        {
            using var unpickler = new Unpickler();
            result = unpickler.loads(bytes);
        }
        catch (Exception e) when (e is PickleException or InvalidCastException or InvalidOperationException
                                      or IndexOutOfRangeException or ArgumentException or FormatException or OverflowException
                                      or System.Reflection.TargetInvocationException)
        {
            throw Invalid(path, $"it cannot be unpickled ({e.GetBaseException().Message})");
        }
        return result as Hashtable ?? throw Invalid(path, $"it holds a {result?.GetType().Name ?? "None"}, not a dict");
    }

    /// <summary>A dict entry by name; Python 3 re-pickles of Python 2 dicts may have bytes keys.</summary>
    private static object? Get(Hashtable dict, string key, string path)
    {
        if (dict.ContainsKey(key)) return dict[key];
        foreach (DictionaryEntry entry in dict)
            if (entry.Key is byte[] b && System.Text.Encoding.Latin1.GetString(b) == key) return entry.Value;
        throw Invalid(path, $"it has no '{key}' entry");
    }

    private static InvalidDataException Invalid(string path, string problem) =>
        new($"{Path.GetFileName(path)} is not a CIFAR-10 Python batch: {problem}. File: {path}.");
}
