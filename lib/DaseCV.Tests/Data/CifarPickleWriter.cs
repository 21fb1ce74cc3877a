using System.Buffers.Binary;
using System.Text;

namespace DaseCV.Tests.Data;

/// <summary>
/// Writes CIFAR-10 Python batches the way Python 2's cPickle (protocol 2) wrote the official
/// <c>cifar-10-batches-py</c> files, opcode by opcode: a dict with <c>data</c> (a uint8 numpy array rebuilt through
/// <c>numpy.core.multiarray._reconstruct</c>, its buffer a BINSTRING), <c>labels</c>, <c>batch_label</c> and <c>filenames</c>.
/// </summary>
public sealed class CifarPickleWriter
{
    private readonly MemoryStream _out = new();
    private int _memo;

    /// <summary>A pickled batch: <paramref name="planar"/> is N×3072 bytes in the files' planar order.</summary>
    public static byte[] Batch(byte[] planar, IReadOnlyList<int> labels, string arrayGlobal = "numpy.core.multiarray\n_reconstruct") =>
        Batch(planar, labels.Select(l => (object?)l).ToArray(), arrayGlobal);

    /// <summary>A pickled batch whose labels may be any Python value: an int, a long, a float (double) or None (null).</summary>
    public static byte[] Batch(byte[] planar, IReadOnlyList<object?> labels, string arrayGlobal = "numpy.core.multiarray\n_reconstruct")
    {
        var w = new CifarPickleWriter();
        w.Op(0x80).Op(2);                              // PROTO 2
        w.Op('}').Put();                               // EMPTY_DICT
        w.Op('(');                                     // MARK
        w.ShortString("data").Put();
        w.Op('c').Raw(arrayGlobal + "\n").Put();       // GLOBAL _reconstruct
        w.Op('c').Raw("numpy\nndarray\n").Put();
        w.Op('K').Op(0).Op(0x85);                      // (0,)
        w.ShortString("b").Op(0x87).Op('R').Put();     // _reconstruct(ndarray, (0,), 'b')
        w.Op('(').Op('K').Op(1);                       // state: (1, shape, dtype, False, data)
        w.Int(labels.Count).Int(3072).Op(0x86);
        w.Op('c').Raw("numpy\ndtype\n").Put();
        w.ShortString("u1").Op('K').Op(0).Op('K').Op(1).Op(0x87).Op('R').Put();
        w.Op('(').Op('K').Op(3).ShortString("|").Op('N').Op('N').Op('N').Int(-1).Int(-1).Op('K').Op(0).Op('t').Op('b');
        w.Op(0x89);                                    // NEWFALSE: C order
        w.Op('T').Int32(planar.Length).Bytes(planar);  // BINSTRING: Python 2 str buffer
        w.Op('t').Op('b');                             // TUPLE, BUILD
        w.ShortString("labels").Put().Op(']').Put().Op('(');
        foreach (var label in labels) w.Value(label);
        w.Op('e');                                     // APPENDS
        w.ShortString("batch_label").Put().ShortString("training batch 1 of 5").Put();
        w.ShortString("filenames").Put().Op(']').Put().Op('(');
        for (int i = 0; i < labels.Count; i++) w.ShortString($"image_{i}.png").Put();
        w.Op('e');
        w.Op('u').Op('.');                             // SETITEMS, STOP
        return w._out.ToArray();
    }

    /// <summary>A pickled <c>batches.meta</c> dict with <c>label_names</c>.</summary>
    public static byte[] Meta(IEnumerable<string> names) => Meta(names.Cast<object?>());

    /// <summary>A pickled <c>batches.meta</c> whose names may be any value: a string, an int, a float or None (null).</summary>
    public static byte[] Meta(IEnumerable<object?> names)
    {
        var w = new CifarPickleWriter();
        w.Op(0x80).Op(2).Op('}').Put().Op('(');
        w.ShortString("num_cases_per_batch").Int(10000);
        w.ShortString("label_names").Put().Op(']').Put().Op('(');
        foreach (var name in names) (name is string text ? w.ShortString(text) : w.Value(name)).Put();
        w.Op('e').ShortString("num_vis").Int(3072).Op('u').Op('.');
        return w._out.ToArray();
    }

    /// <summary>A pickle that calls <c>module.name("echo pwned")</c>, as a malicious file would.</summary>
    public static byte[] CallGlobal(string module, string name)
    {
        var w = new CifarPickleWriter();
        w.Op(0x80).Op(2).Op('c').Raw($"{module}\n{name}\n").ShortString("echo pwned").Op(0x85).Op('R').Op('.');
        return w._out.ToArray();
    }

    /// <summary>Writes a whole <c>cifar-10-batches-py</c> folder from binary-version records (label byte + planes).</summary>
    public static void WriteFolder(string folder, IReadOnlyList<byte[]> binaryBatches, IReadOnlyList<string>? names = null)
    {
        Directory.CreateDirectory(folder);
        for (int b = 0; b < binaryBatches.Count; b++)
        {
            var bytes = binaryBatches[b];
            int n = bytes.Length / 3073;
            var planar = new byte[n * 3072];
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = bytes[i * 3073];
                Array.Copy(bytes, i * 3073 + 1, planar, i * 3072, 3072);
            }
            string file = b < binaryBatches.Count - 1 ? $"data_batch_{b + 1}" : "test_batch";
            File.WriteAllBytes(Path.Combine(folder, file), Batch(planar, labels));
        }
        if (names is not null) File.WriteAllBytes(Path.Combine(folder, "batches.meta"), Meta(names));
    }

    private CifarPickleWriter Op(int code)
    {
        _out.WriteByte((byte)code);
        return this;
    }

    private CifarPickleWriter Raw(string text) => Bytes(Encoding.ASCII.GetBytes(text));

    private CifarPickleWriter Bytes(byte[] bytes)
    {
        _out.Write(bytes);
        return this;
    }

    private CifarPickleWriter Int32(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        _out.Write(b);
        return this;
    }

    /// <summary>BININT1, BININT2 or BININT, as the pickler picks by size.</summary>
    private CifarPickleWriter Int(int value)
    {
        if (value is >= 0 and < 256) return Op('K').Op(value);
        if (value is >= 0 and < 65536) return Op('M').Op(value & 0xff).Op(value >> 8);
        return Op('J').Int32(value);
    }

    /// <summary>None, an int, a long beyond int (LONG1) or a float (BINFLOAT).</summary>
    private CifarPickleWriter Value(object? value)
    {
        switch (value)
        {
            case null:
                return Op('N');
            case int i:
                return Int(i);
            case long l:
                var le = new System.Numerics.BigInteger(l).ToByteArray();  // little-endian two's complement, as LONG1 wants
                return Op(0x8a).Op(le.Length).Bytes(le);
            case double d:
                var be = new byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(be, d);
                return Op('G').Bytes(be);
            default:
                throw new ArgumentException($"cannot pickle a {value.GetType().Name}", nameof(value));
        }
    }

    private CifarPickleWriter ShortString(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        return Op('U').Op(bytes.Length).Bytes(bytes);
    }

    private CifarPickleWriter Put() => Op('q').Op(++_memo % 256);
}
