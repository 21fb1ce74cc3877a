using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// The few vector operations the kernels need, over one vector width. Kernels are generic over it, so one source
/// compiles to 512-bit code where the CPU has AVX-512 and to 256-bit code elsewhere.
/// </summary>
/// <typeparam name="TVector">Vector512&lt;double&gt; or Vector256&lt;double&gt;.</typeparam>
internal interface ISimd<TVector> where TVector : struct
{
    /// <summary>Doubles per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(ref double source, nint offset);

    static abstract void Store(TVector value, ref double destination, nint offset);

    static abstract TVector Broadcast(double value);

    /// <summary><c>a·b + c</c>, fused.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract double Sum(TVector value);

    /// <summary>Count bytes from <paramref name="pixels"/>, each as an exact double (0 … 255).</summary>
    static abstract unsafe TVector LoadPixels(byte* pixels);
}

internal readonly struct Simd512 : ISimd<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;
    public static Vector512<double> Zero => Vector512<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double source, nint offset) => Vector512.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, ref double destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Broadcast(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> a, Vector512<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> a, Vector512<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> value) => Vector512.Sum(value);

    // vpmovzxbd then vcvtdq2pd: 8 bytes → 8 ints → 8 doubles (AVX-512 implies AVX2).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<double> LoadPixels(byte* pixels) =>
        Avx512F.ConvertToVector512Double(Avx2.ConvertToVector256Int32(pixels));
}

internal readonly struct Simd256 : ISimd<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;
    public static Vector256<double> Zero => Vector256<double>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double source, nint offset) => Vector256.LoadUnsafe(ref source, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, ref double destination, nint offset) => value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Broadcast(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> a, Vector256<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> a, Vector256<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> value) => Vector256.Sum(value);

    // pmovzxbd then vcvtdq2pd: 4 bytes → 4 ints → 4 doubles; element by element where there is no AVX.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<double> LoadPixels(byte* pixels) =>
        Avx.IsSupported
            ? Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(pixels))
            : Vector256.Create(pixels[0], pixels[1], pixels[2], (double)pixels[3]);
}
