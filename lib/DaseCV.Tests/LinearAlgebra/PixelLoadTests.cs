using System.Runtime.Intrinsics;
using DaseCV.LinearAlgebra;
using DaseCV.LinearAlgebra.Kernels;

namespace DaseCV.Tests.LinearAlgebra;

/// <summary>
/// The products widen pixel bytes to doubles in registers: every byte value must come out exact. CI runs this again
/// with AVX-512 off, so both widths are checked.
/// </summary>
public sealed class PixelLoadTests
{
    private static readonly byte[] AllBytes = [.. Enumerable.Range(0, 256).Select(b => (byte)b), 0, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public unsafe void Should_Load_Every_Byte_Value_Exactly_At_The_Width_In_Use()
    {
        var loaded = new double[256];
        fixed (byte* pixels = AllBytes)
        {
            if (SimdWidth.Is512)
                for (int k = 0; k < 256; k += 8) Simd512.LoadPixels(pixels + k).CopyTo(loaded, k);
            else
                for (int k = 0; k < 256; k += 4) Simd256.LoadPixels(pixels + k).CopyTo(loaded, k);
        }

        for (int k = 0; k < 256; k++) Assert.Equal((double)k, loaded[k]);
    }
}
