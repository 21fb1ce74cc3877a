using System.Runtime.Intrinsics;

namespace DaseCV.LinearAlgebra;

/// <summary>Which vector width the kernels run with on this CPU.</summary>
public static class SimdWidth
{
    /// <summary>True where the kernels use 512-bit vectors (AVX-512); otherwise 256-bit.</summary>
    public static bool Is512 { get; } = Vector512.IsHardwareAccelerated;

    /// <summary>A line for benchmark output, e.g. "Vector512 (AVX-512), 8 doubles per vector".</summary>
    public static string Description =>
        Is512 ? "Vector512 (AVX-512), 8 doubles per vector"
        : Vector256.IsHardwareAccelerated ? "Vector256 (AVX2), 4 doubles per vector"
        : "Vector256 emulated (no AVX2: slow)";
}
