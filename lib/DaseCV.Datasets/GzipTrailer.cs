using System.Buffers.Binary;
using System.IO.Compression;

namespace DaseCV.Data;

/// <summary>
/// The gzip trailer check (RFC 1952: CRC-32 and ISIZE, the uncompressed size mod 2³²) for an archive read through a
/// <see cref="GZipStream"/>.
/// </summary>
/// <remarks>
/// A tar reader stops at the end-of-archive blocks and never reads the gzip trailer, so a wrong CRC went unnoticed.
/// <see cref="CheckToEnd"/> reads the rest of the stream, which makes the decompressor check the trailer; it reports a
/// mismatch only as "unsupported compression method" and drops the last block, so a failure is explained by a second
/// pass that inflates the data itself and compares CRC-32 and size with the trailer.
/// </remarks>
internal static class GzipTrailer
{
    /// <summary>
    /// Reads what is left of <paramref name="gzip"/> (so the decompressor checks the trailer); a mismatch is refused
    /// naming the recorded and actual CRC-32 and size.
    /// </summary>
    /// <exception cref="InvalidDataException">The trailer does not match the data, or the compressed data is corrupt.</exception>
    public static void CheckToEnd(Stream gzip, string archive)
    {
        try
        {
            gzip.CopyTo(Stream.Null);
        }
        catch (InvalidDataException e)
        {
            if (Explain(archive) is not string mismatch) throw;
            var refused = new InvalidDataException(
                $"{Path.GetFileName(archive)} fails the gzip integrity check: {mismatch}. The archive is corrupt; nothing was installed", e);
            refused.Data[Cifar10Archive.RefusedKey] = true;
            throw refused;
        }
    }

    /// <summary>Inflates the first gzip member and compares it with the file's last 8 bytes; null if they agree or cannot be read.</summary>
    private static string? Explain(string archive)
    {
        try
        {
            using var file = File.OpenRead(archive);
            if (file.Length < 18) return null;
            SkipHeader(file);
            uint crc = 0;
            long size = 0;
            using (var deflate = new DeflateStream(file, CompressionMode.Decompress, leaveOpen: true))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = deflate.Read(buffer)) > 0)
                {
                    crc = Crc32.Update(crc, buffer.AsSpan(0, n));
                    size += n;
                }
            }
            var trailer = new byte[8];
            file.Seek(-8, SeekOrigin.End);
            file.ReadExactly(trailer);
            uint recordedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            uint recordedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4));
            if (recordedCrc == crc && recordedSize == unchecked((uint)size)) return null;
            return $"its trailer records CRC-32 {recordedCrc:x8} and {Cifar10Batch.N(recordedSize)} bytes, but the data " +
                   $"decompresses to CRC-32 {crc:x8} and {Cifar10Batch.N(size)} bytes";
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null;  // corrupt inside the compressed data: the decompressor's own message stands
        }
    }

    /// <summary>Skips the gzip member header: 10 fixed bytes, then the optional extra field, name, comment and header CRC.</summary>
    private static void SkipHeader(Stream file)
    {
        var fixedPart = new byte[10];
        file.ReadExactly(fixedPart);
        if (fixedPart[0] != 0x1f || fixedPart[1] != 0x8b || fixedPart[2] != 8) throw new InvalidDataException("not a gzip file");
        byte flags = fixedPart[3];
        if ((flags & 4) != 0)
        {
            var length = new byte[2];
            file.ReadExactly(length);
            file.Seek(BinaryPrimitives.ReadUInt16LittleEndian(length), SeekOrigin.Current);
        }
        if ((flags & 8) != 0) SkipZeroTerminated(file);
        if ((flags & 16) != 0) SkipZeroTerminated(file);
        if ((flags & 2) != 0) file.Seek(2, SeekOrigin.Current);
    }

    private static void SkipZeroTerminated(Stream file)
    {
        int b;
        while ((b = file.ReadByte()) > 0) { }
        if (b < 0) throw new InvalidDataException("the gzip header ends early");
    }
}
