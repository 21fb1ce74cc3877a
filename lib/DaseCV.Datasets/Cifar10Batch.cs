using System.Globalization;

namespace DaseCV.Data;

/// <summary>
/// One CIFAR-10 batch held as bytes, as the file stores it: a label per record and three 32×32 colour
/// planes (R, G, B, each row-major) per image.
/// </summary>
/// <remarks>
/// The loader hands out images in the Python loader's (32, 32, 3) order, so every copy out of a batch goes
/// through <see cref="CopyImageHwc"/>: file byte <c>ch·1024 + r·32 + c</c> becomes feature <c>(r·32 + c)·3 + ch</c>.
/// Binary batches are read whole (30.7 MB) and their pixels read in place, without a second copy.
/// </remarks>
internal sealed class Cifar10Batch
{
    /// <summary>The standard CIFAR-10 class names, index = label (as in the official <c>batches.meta.txt</c>).</summary>
    public static IReadOnlyList<string> StandardClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Pixels per colour plane (32·32).</summary>
    public const int PlaneSize = 1024;

    /// <summary>Pixel bytes per image (3·1024).</summary>
    public const int ImageBytes = 3 * PlaneSize;

    /// <summary>Bytes per record of the binary version: 1 label byte and the image.</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>Number of classes; labels are in [0, 10).</summary>
    public const int ClassCount = 10;

    private readonly byte[] _buffer;
    private readonly int _offset;
    private readonly int _stride;

    /// <summary>Wraps images stored in <paramref name="buffer"/>: image i's planes start at offset + i·stride.</summary>
    public Cifar10Batch(string file, byte[] labels, byte[] buffer, int offset, int stride)
    {
        File = file;
        Labels = labels;
        _buffer = buffer;
        _offset = offset;
        _stride = stride;
        ValidateLabels(file, labels);
    }

    /// <summary>The file the batch came from, for messages.</summary>
    public string File { get; }

    /// <summary>Labels, length N, each in [0, 10).</summary>
    public byte[] Labels { get; }

    /// <summary>The bytes the images are read from (the whole file for a binary batch).</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Number of records N.</summary>
    public int Count => Labels.Length;

    /// <summary>Image <paramref name="i"/>'s planes (R, G, B), 3072 bytes as stored.</summary>
    public ReadOnlySpan<byte> Planes(int i) => _buffer.AsSpan(_offset + i * _stride, ImageBytes);

    /// <summary>Writes image <paramref name="i"/> as 3072 bytes in (32, 32, 3) order.</summary>
    public void CopyImageHwc(int i, Span<byte> destination)
    {
        var planes = Planes(i);
        destination = destination[..ImageBytes];
        for (int p = 0; p < PlaneSize; p++)
        {
            destination[3 * p] = planes[p];
            destination[3 * p + 1] = planes[PlaneSize + p];
            destination[3 * p + 2] = planes[2 * PlaneSize + p];
        }
    }

    /// <summary>Reads a batch of the binary version and checks its size and labels.</summary>
    /// <param name="path">The batch file.</param>
    /// <param name="buffer">Where to read the file if it is large enough, so that consecutive batches share one
    /// 30.7 MB buffer; the batch is then valid only until the buffer is reused.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The size is not a positive multiple of 3073 (or over 2 GB), or a label is above 9.</exception>
    public static Cifar10Batch ReadBinary(string path, byte[]? buffer = null)
    {
        int count = CountBinaryRecords(path);
        int size = count * RecordBytes;  // at most MaxBatchBytes: no overflow
        if (buffer is null || buffer.Length < size) buffer = new byte[size];
        using (var stream = System.IO.File.OpenRead(path))
        {
            try
            {
                stream.ReadExactly(buffer, 0, size);
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException($"{path} became shorter while it was being read.");
            }
        }
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = buffer[i * RecordBytes];
        return new Cifar10Batch(path, labels, buffer, offset: 1, stride: RecordBytes);
    }

    /// <summary>
    /// Largest batch file read: a batch is read whole into one array, and arrays end just below 2 GiB
    /// (an official batch is 10,000 records, 30.7 MB).
    /// </summary>
    public static readonly long MaxBatchBytes = Array.MaxLength / RecordBytes * RecordBytes;

    /// <summary>
    /// Number of records in a binary batch file, from its size (through symbolic links), which must be a positive
    /// multiple of 3073 and at most <see cref="MaxBatchBytes"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file, or the target of a link, is missing.</exception>
    /// <exception cref="InvalidDataException">The size is not a whole number of records, or too large to read.</exception>
    public static int CountBinaryRecords(string path)
    {
        long size = ResolvedFile.Length(path);
        if (size == 0 || size % RecordBytes != 0)
            throw new InvalidDataException(
                $"{Path.GetFileName(path)} is {N(size)} bytes; a CIFAR-10 batch is 10,000 × 3,073 bytes " +
                $"(any whole number of 3,073-byte records: 1 label byte + 3,072 pixel bytes). " +
                $"The file ({path}) is truncated or has extra bytes: fetch the data set again.");
        if (size > MaxBatchBytes)
            throw new InvalidDataException(
                $"{Path.GetFileName(path)} is {N(size)} bytes ({N(size / RecordBytes)} records); a CIFAR-10 batch is " +
                $"10,000 × 3,073 bytes, and a batch file is read whole, so it can be at most {N(MaxBatchBytes)} bytes " +
                $"({N(MaxBatchBytes / RecordBytes)} records). Split it into smaller batches. File: {path}.");
        return (int)(size / RecordBytes);
    }

    private static void ValidateLabels(string file, byte[] labels)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= ClassCount)
                throw new InvalidDataException(
                    $"{Path.GetFileName(file)}: record {N(i)} has label {labels[i]}; CIFAR-10 labels are 0–9. " +
                    $"The file ({file}) is not a CIFAR-10 batch or is corrupt.");
        }
    }

    /// <summary>Formats a count with thousands separators, as messages show sizes.</summary>
    internal static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
