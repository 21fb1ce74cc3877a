using static System.FormattableString;

namespace DaseCV.Data;

/// <summary>
/// Images as their pixel bytes, one image after another, each (32, 32, 3): the raw <c>X</c> that the features notebook's
/// <c>get_CIFAR10_data</c> returns (N, 32, 32, 3), in 1 byte a value instead of numpy's 8.
/// </summary>
/// <remarks>Image i is <c>Pixels[i·3072 … (i+1)·3072)</c>; pixel (row, col) channel ch of it is byte (row·32 + col)·3 + ch.</remarks>
public sealed class RawImages
{
    private readonly byte[] _pixels;

    /// <summary>Wraps <paramref name="pixels"/> (no copy).</summary>
    /// <param name="pixels">Images one after another, 3072 bytes each; must not change afterwards.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of 3072.</exception>
    public RawImages(byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length % ImageSize != 0)
            throw new ArgumentException(Invariant($"pixels has {pixels.Length} bytes; expected whole images of {ImageSize} bytes (32·32·3)."), nameof(pixels));
        _pixels = pixels;
    }

    /// <summary>Bytes per image (32·32·3).</summary>
    public const int ImageSize = Cifar10.ImageSize;

    /// <summary>The number of images N.</summary>
    public int Count => _pixels.Length / ImageSize;

    /// <summary>Image <paramref name="index"/>: 3072 bytes in (32, 32, 3) order, numpy's <c>X[index]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">index is outside [0, N).</exception>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, Invariant($"index {index} is outside [0, {Count})."));
            return _pixels.AsSpan(index * ImageSize, ImageSize);
        }
    }

    /// <summary>All the pixels, image after image.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;
}
