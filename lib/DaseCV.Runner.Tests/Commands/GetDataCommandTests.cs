using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using DaseCV.Data;
using DaseCV.Runner.Commands;
using DaseCV.Runner.Execution;
using DaseCV.Runner.IO;

namespace DaseCV.Runner.Tests;

public sealed class GetDataCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "dasecv-getdata-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public GetDataCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private int Run(params string[] args) => Cli.InvokeAsync(["get-data", .. args], _out, _err).GetAwaiter().GetResult();

    /// <summary>A synthetic data set packed like the official archive; returns its path and MD5.</summary>
    private (string Path, string Md5) SyntheticArchive()
    {
        string scratch = Path.Combine(_root, "scratch");
        Cifar10.WriteSynthetic(scratch, 20, 20, seed: 1);
        string archive = Path.Combine(_root, "synthetic.tar.gz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            TarFile.CreateFromDirectory(Path.Combine(scratch, "cifar-10-batches-bin"), gzip, includeBaseDirectory: true);
        // MD5 because CIFAR-10's published checksum is MD5 (a download check, not security).
#pragma warning disable CA5351
        return (archive, Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(archive))));
#pragma warning restore CA5351
    }

    [Fact]
    public void Should_Print_Usage_For_Help()
    {
        Assert.Equal(ExitCode.Success, Run("--help"));

        foreach (var part in new[] { "get-data [options]", "--data-dir <DIR>", "--from <URL_OR_FILE>", "--md5 <HEX>", "DASECV_CIFAR10_URL", "-p dataset synthetic" })
            Assert.Contains(part, _out.ToString());
    }

    [Theory]
    [InlineData(new[] { "--bogus" }, "error: Unrecognized command or argument '--bogus'.")]
    [InlineData(new[] { "--from" }, "error: Required argument missing for option: '--from'.")]
    [InlineData(new[] { "--data-dir=" }, "error: Required argument missing for option: '--data-dir'.")]
    [InlineData(new[] { "--md5", " " }, "error: --md5 needs a value.")]
    public void Should_Name_A_Bad_Argument(string[] args, string message)
    {
        Assert.Equal(ExitCode.UsageError, Run(args));

        Assert.StartsWith("错误：", _err.ToString());
        Assert.Contains("\n" + message, _err.ToString());
        Assert.Contains("get-data --help", _err.ToString());
    }

    [Fact]
    public void Should_Install_From_A_File_With_Its_Md5_And_Report_It()
    {
        var (archive, md5) = SyntheticArchive();
        string data = Path.Combine(_root, "data");

        int code = Run("--data-dir", data, "--from", archive, "--md5", md5);

        Assert.Equal(ExitCode.Success, code);
        Assert.Contains($"CIFAR-10 is ready in {Path.Combine(data, "cifar-10-batches-bin")}.", _out.ToString());
        Assert.Equal(100, Cifar10.Load(data).yTrain.Length);
    }

    [Fact]
    public void Should_Refuse_A_Non_Official_Archive_Without_Md5_With_A_Checksum_Error()
    {
        var (archive, md5) = SyntheticArchive();
        string data = Path.Combine(_root, "data");

        int code = Run($"--data-dir={data}", $"--from={archive}");

        Assert.Equal(ExitCode.Failed, code);
        Assert.StartsWith("错误：无法获取 CIFAR-10", _err.ToString());
        Assert.Contains($"\nerror: Could not get CIFAR-10 into {data}: checksum mismatch: {archive} is ", _err.ToString());
        Assert.Contains($"pass --md5 {md5}", _err.ToString());
        Assert.False(Directory.Exists(Path.Combine(data, "cifar-10-batches-bin")));
    }

    [Fact]
    public void Should_Reject_A_Malformed_Md5_As_A_Usage_Error()
    {
        var (archive, _) = SyntheticArchive();

        Assert.Equal(ExitCode.UsageError, Run("--data-dir", Path.Combine(_root, "data"), "--from", archive, "--md5", "xyz"));

        Assert.StartsWith("错误：", _err.ToString());
        Assert.Contains("\nerror: md5 'xyz' is not an MD5 checksum; expected 32 hex digits.", _err.ToString());
    }

    [Fact]
    public void Should_Do_Nothing_When_The_Data_Set_Is_There()
    {
        string bin = Path.Combine(_root, "data", "cifar-10-batches-bin");
        Directory.CreateDirectory(bin);
        foreach (var name in new[] { "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin" })
        {
            using var f = File.Create(Path.Combine(bin, name));
            f.SetLength(30_730_000);
        }
        File.WriteAllText(Path.Combine(bin, "batches.meta.txt"), "airplane\n");

        Assert.Equal(ExitCode.Success, Run("--data-dir", Path.Combine(_root, "data"), "--from", "/nonexistent.tar.gz"));

        Assert.Equal($"CIFAR-10 is already in {Path.Combine(_root, "data")}; nothing to do.", _out.ToString().Trim());
    }

    [Fact]
    public void Should_Fail_With_The_Ways_On_When_The_Source_Is_Missing()
    {
        Assert.Equal(ExitCode.Failed, Run("--data-dir", Path.Combine(_root, "data"), "--from", Path.Combine(_root, "none.tar.gz")));

        Assert.Contains("does not exist", _err.ToString());
        Assert.Contains("Ways on:", _err.ToString());
    }

    public sealed class TheProgressBar
    {
        [Fact]
        public void Should_Redraw_One_Line_On_A_Terminal()
        {
            var output = new StringWriter();
            using var progress = new TerminalProgress(output, redraw: true);
            var bar = progress.Download();

            bar.Report(new DownloadProgress(50, 100, 10, TimeSpan.FromSeconds(5)));
            bar.Report(new DownloadProgress(100, 100, 10, TimeSpan.Zero));
            progress.EndStatus();

            Assert.Equal(
                "\r\u001b[2K[###############---------------] 50.0 % · 0.0 of 0.0 MB · 0.0 MB/s · 0:05 left" +
                "\r\u001b[2K[##############################] 100.0 % · 0.0 of 0.0 MB · 0.0 MB/s · 0:00 left" + Environment.NewLine,
                output.ToString());
        }

        [Fact]
        public void Should_Print_A_Line_Per_Tenth_When_Redirected()
        {
            var output = new StringWriter();
            using var progress = new TerminalProgress(output, redraw: false);
            var bar = progress.Download();

            foreach (int received in new[] { 1, 5, 12, 15, 99, 100 })
                bar.Report(new DownloadProgress(received, 100, 1, null));

            Assert.Equal(4, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }
}
