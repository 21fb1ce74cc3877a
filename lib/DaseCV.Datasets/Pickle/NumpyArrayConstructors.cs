using Razorvine.Pickle;

namespace DaseCV.Data.Pickle;

/// <summary>
/// A numpy array as its pickle describes it: shape, dtype and the raw C-order bytes. Built by
/// <c>numpy.core.multiarray._reconstruct</c> and filled by BUILD (<c>ndarray.__setstate__</c>).
/// </summary>
internal sealed class NumpyArray
{
    /// <summary>The shape, e.g. (10000, 3072).</summary>
    public int[] Shape { get; private set; } = [];

    /// <summary>The numpy type code, e.g. "u1".</summary>
    public string DType { get; private set; } = "";

    /// <summary>The elements' bytes in C order.</summary>
    public byte[] Data { get; private set; } = [];

    /// <summary>Called by the unpickler's BUILD: state (version, shape, dtype, isFortran, rawdata), version optional.</summary>
    public void __setstate__(object[] state)
    {
        if (state.Length is not (4 or 5)) throw new PickleException($"ndarray state has {state.Length} items; expected 4 or 5");
        int k = state.Length - 4;
        var shape = state[k] as object[] ?? throw new PickleException("ndarray state without a shape tuple");
        // Dimensions beyond int (or negative) cannot describe an array in memory: refuse them rather than overflow.
        Shape = shape.Select(d => d is int or long && Convert.ToInt64(d) is >= 0 and <= int.MaxValue and var n ? (int)n
            : throw new PickleException($"ndarray shape ({string.Join(", ", shape)}) has a dimension that is not a size from 0 to 2,147,483,647")).ToArray();
        DType = state[k + 1] is NumpyDType dtype ? dtype.Code : throw new PickleException("ndarray state without a dtype");
        if (state[k + 2] is true) throw new PickleException("Fortran-order arrays are not supported");
        Data = state[k + 3] switch
        {
            byte[] bytes => bytes,
            // Python 2 pickles store the buffer as a str; Razorvine maps each byte to one char.
            string text => System.Text.Encoding.Latin1.GetBytes(text),
            var other => throw new PickleException($"ndarray data of type {other?.GetType().Name ?? "None"}; expected bytes"),
        };
    }
}

/// <summary>A numpy dtype as pickled: <c>numpy.dtype(code, align, copy)</c> plus a state that is ignored.</summary>
internal sealed class NumpyDType(string code)
{
    /// <summary>The type code, e.g. "u1".</summary>
    public string Code { get; } = code;

    /// <summary>Called by BUILD with (version, byteorder, …); a byte array has no byte order to honour.</summary>
    public void __setstate__(object[] state)
    {
    }
}

/// <summary><c>numpy.core.multiarray._reconstruct(ndarray, shape, dtype)</c>: an empty array that BUILD fills.</summary>
internal sealed class NumpyReconstructConstructor : IObjectConstructor
{
    public object construct(object[] args) => new NumpyArray();
}

/// <summary><c>numpy.dtype(code, align, copy)</c>.</summary>
internal sealed class NumpyDTypeConstructor : IObjectConstructor
{
    public object construct(object[] args) =>
        args.Length > 0 && args[0] is string code ? new NumpyDType(code) : throw new PickleException("numpy.dtype without a type code");
}

/// <summary><c>numpy.ndarray</c> appears only as an argument of <c>_reconstruct</c>; calling it is refused.</summary>
internal sealed class NumpyNdarrayTypeConstructor : IObjectConstructor
{
    public object construct(object[] args) => throw new PickleException("numpy.ndarray is only expected as an argument of _reconstruct");
}
