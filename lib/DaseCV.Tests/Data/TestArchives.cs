using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using DaseCV.Data;

namespace DaseCV.Tests.Data;

/// <summary>CIFAR-10 archives (.tar.gz) built from synthetic data in the real layout.</summary>
public static class TestArchives
{
    /// <summary>A .tar.gz of a synthetic <c>cifar-10-batches-bin/</c> (20 records per batch), plus any extra entries.</summary>
    public static byte[] Binary(int seed = 1, Action<TarWriter>? extra = null)
    {
        string scratch = Path.Combine(Path.GetTempPath(), "dasecv-archive-" + Guid.NewGuid().ToString("N"));
        try
        {
            string folder = Cifar10.WriteSynthetic(scratch, 20, 20, seed);
            return Build(folder, "cifar-10-batches-bin", extra);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>A .tar.gz holding every file of <paramref name="folder"/> under <paramref name="name"/>/.</summary>
    public static byte[] Build(string folder, string name, Action<TarWriter>? extra = null)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name + "/"));
            foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                tar.WriteEntry(file, $"{name}/{Path.GetFileName(file)}");
            extra?.Invoke(tar);
        }
        return output.ToArray();
    }

    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
}
