using MathNet.Numerics.LinearAlgebra;

namespace DaseCV;

/// <summary>
/// numpy's legacy generator (<c>np.random.seed</c>, <c>np.random.randn</c>): the same Mersenne Twister (MT19937) and
/// the same polar Box–Muller normals, so a seeded C# run draws exactly the numbers the original notebook drew.
/// </summary>
/// <remarks>
/// The two-layer net's toy model and toy data (<c>np.random.seed(0)</c> / <c>np.random.seed(1)</c>) come from this
/// generator, which is why the notebook's printed "correct scores" and "correct loss" match to 1e-8 here too.
/// MathNet's <c>Normal</c> draws other numbers from the same seed. One instance is one stream: not thread-safe.
/// </remarks>
public sealed class NumpyRandom
{
    private const int StateLength = 624;
    private readonly uint[] _key = new uint[StateLength];
    private int _position;
    private double? _gauss;  // the polar method makes normals in pairs; numpy keeps the second for the next call

    /// <summary><c>np.random.seed(seed)</c>.</summary>
    /// <param name="seed">Seed, 0 ≤ seed &lt; 2³², as numpy accepts it.</param>
    public NumpyRandom(uint seed)
    {
        // numpy's mt19937_seed (Matsumoto and Nishimura's init_genrand).
        for (int i = 0; i < StateLength; i++)
        {
            _key[i] = seed;
            seed = 1812433253u * (seed ^ (seed >> 30)) + (uint)i + 1;
        }
        _position = StateLength;
    }

    /// <summary><c>np.random.randn(rows, columns)</c>: standard normals, drawn row by row as numpy fills a C-order array.</summary>
    /// <param name="rows">Rows, ≥ 0.</param>
    /// <param name="columns">Columns, ≥ 0.</param>
    /// <returns>A (rows, columns) matrix.</returns>
    public Matrix<double> Randn(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        var values = new double[rows * columns];
        for (int k = 0; k < values.Length; k++) values[k] = Gauss();
        return Matrix<double>.Build.DenseOfRowMajor(rows, columns, values);
    }

    /// <summary><c>np.random.random_sample()</c>: a uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>np.random.randint(high)</c>, one draw of <c>np.random.choice(high, size, replace=True)</c>: uniform in [0, high).</summary>
    /// <param name="high">Exclusive upper bound, ≥ 1.</param>
    /// <remarks>numpy's masked rejection: draw 32 bits, keep the lowest bits that cover high − 1, retry above it.</remarks>
    public int RandInt(int high)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(high, 1);
        uint range = (uint)high - 1;
        if (range == 0) return 0;
        uint mask = range;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        do value = NextUInt32() & mask;
        while (value > range);
        return (int)value;
    }

    /// <summary>One standard normal (numpy's <c>legacy_gauss</c>, the polar Box–Muller method).</summary>
    public double Gauss()
    {
        if (_gauss is double cached)
        {
            _gauss = null;
            return cached;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        }
        while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        return f * x2;
    }

    /// <summary>The next 32 random bits of MT19937.</summary>
    public uint NextUInt32()
    {
        if (_position == StateLength) Generate();
        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Generate()
    {
        const int M = 397;
        const uint UpperMask = 0x80000000u, LowerMask = 0x7fffffffu, MatrixA = 0x9908b0dfu;
        for (int i = 0; i < StateLength; i++)
        {
            uint y = (_key[i] & UpperMask) | (_key[(i + 1) % StateLength] & LowerMask);
            _key[i] = _key[(i + M) % StateLength] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }
        _position = 0;
    }
}
