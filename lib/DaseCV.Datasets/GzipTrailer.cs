using System.Buffers.Binary;

namespace DaseCV.Data;

/// <summary>
/// The gzip trailer check (RFC 1952: CRC-32 and ISIZE, the uncompressed size mod 2³²) for an archive read through
/// a <see cref="System.IO.Compression.GZipStream"/>.
/// </summary>
/// <remarks>
/// A tar reader stops at the end-of-archive blocks and never reads the gzip trailer, so a wrong CRC went unnoticed;
/// and when the trailer is read, .NET reports a mismatch only as "unsupported compression method". So the
/// decompressed bytes pass through <see cref="Reader"/>, the rest of the stream is drained after the last entry,
/// and a failure is explained with both the recorded and the actual values.
/// </remarks>
internal static class GzipTrailer
{
    /// <summary>Passes the decompressed bytes through, counting them and computing their CRC-32.</summary>
    internal sealed class Reader(Stream inner) : Stream
    {
        private uint _crc = 0xFFFFFFFF;

        /// <summary>CRC-32 of every byte read so far.</summary>
        public uint Crc => ~_crc;

        /// <summary>Bytes read so far.</summary>
        public long Length64 { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            _crc = Update(_crc, buffer[..n]);
            Length64 += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Length64; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>
    /// Reads what is left of the gzip stream (so the decompressor checks the trailer) and refuses a mismatch, naming
    /// the recorded and actual CRC-32 and size.
    /// </summary>
    /// <exception cref="InvalidDataException">The trailer does not match the data, or the compressed data is corrupt.</exception>
    public static void CheckToEnd(Reader reader, string archive)
    {
        try
        {
            reader.CopyTo(Stream.Null);
            return;
        }
        catch (InvalidDataException e)
        {
            // The last 8 bytes of a (single-member) gzip file are its trailer.
            var trailer = new byte[8];
            using (var file = File.OpenRead(archive))
            {
                if (file.Length < 18) throw;
                file.Seek(-8, SeekOrigin.End);
                file.ReadExactly(trailer);
            }
            uint recordedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            uint recordedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4));
            uint actualSize = unchecked((uint)reader.Length64);
            if (recordedCrc == reader.Crc && recordedSize == actualSize) throw;
            var mismatch = new InvalidDataException(
                $"{Path.GetFileName(archive)} fails the gzip integrity check: its trailer records CRC-32 {recordedCrc:x8} " +
                $"and {Cifar10Batch.N(recordedSize)} bytes, but the data decompresses to CRC-32 {reader.Crc:x8} and " +
                $"{Cifar10Batch.N(reader.Length64)} bytes. The archive is corrupt; nothing was installed", e);
            mismatch.Data[Cifar10Archive.RefusedKey] = true;
            throw mismatch;
        }
    }

    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        // The reflected polynomial of CRC-32 (IEEE 802.3), as gzip and zlib use.
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }
}
