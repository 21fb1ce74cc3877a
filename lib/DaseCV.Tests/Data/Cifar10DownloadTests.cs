using System.Formats.Tar;
using System.Text;
using DaseCV.Data;

namespace DaseCV.Tests.Data;

/// <summary>EnsureDownloaded: the happy paths and every acquisition fault of issue 6.</summary>
public sealed class Cifar10DownloadTests
{
    private static readonly DownloadOptions Quick = new(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));

    private static string Ensure(string dataDir, string source, string? md5, IProgress<DownloadProgress>? progress = null) =>
        Cifar10Download.EnsureDownloaded(dataDir, source, md5, progress, Quick, CancellationToken.None);

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];

        public void Report(DownloadProgress value)
        {
            lock (Reports) Reports.Add(value);
        }
    }

    public sealed class Downloading
    {
        [Fact]
        public void Should_Download_Verify_And_Extract_Then_Remove_The_Archive()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            using var server = new TestHttpServer((_, from) => ServerReply.File(archive, from));
            var recorder = new Recorder();

            string folder = Ensure(dir.Path, server.Url.ToString(), TestArchives.Md5(archive), recorder);

            Assert.Equal(dir.Combine("cifar-10-batches-bin"), folder);
            Assert.Equal(
                ["cifar-10-batches-bin", "cifar-10-batches-bin/.dasecv-install.txt", "cifar-10-batches-bin/batches.meta.txt",
                 "cifar-10-batches-bin/data_batch_1.bin",
                 "cifar-10-batches-bin/data_batch_2.bin", "cifar-10-batches-bin/data_batch_3.bin",
                 "cifar-10-batches-bin/data_batch_4.bin", "cifar-10-batches-bin/data_batch_5.bin",
                 "cifar-10-batches-bin/test_batch.bin"],
                dir.Listing());
            Assert.Equal(100, Cifar10.Load(dir.Path).yTrain.Length);
            var last = recorder.Reports[^1];
            Assert.Equal(archive.Length, last.BytesReceived);
            Assert.Equal(archive.Length, last.TotalBytes);
            Assert.Equal(100.0, last.Percent);
        }

        [Fact]
        public void Should_Retry_After_An_HTTP_500()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            using var server = new TestHttpServer((i, from) => i == 0 ? ServerReply.Error(500) : ServerReply.File(archive, from));

            Ensure(dir.Path, server.Url.ToString(), TestArchives.Md5(archive));

            Assert.Equal(2, server.RequestCount);
            Assert.Equal(100, Cifar10.Load(dir.Path).yTrain.Length);
        }

        [Fact]
        public void Should_Resume_With_A_Range_Request_When_The_Connection_Drops()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            int cut = archive.Length / 3;
            using var server = new TestHttpServer((i, from) => ServerReply.File(archive, from, sendOnly: i == 0 ? cut : null));

            Ensure(dir.Path, server.Url.ToString(), TestArchives.Md5(archive));

            Assert.Equal([null, $"bytes={cut}-"], server.Ranges);
            Assert.Equal(100, Cifar10.Load(dir.Path).yTrain.Length);
            Assert.DoesNotContain(dir.Listing(), p => p.EndsWith(".partial"));
        }

        [Fact]
        public void Should_Resume_A_Partial_File_Left_By_An_Earlier_Run()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            // Each of the three attempts resumes and brings 1,000 more bytes before the connection drops.
            using var failing = new TestHttpServer((_, from) => ServerReply.File(archive, from, sendOnly: 1000));
            Assert.Throws<IOException>(() => Ensure(dir.Path, failing.Url.ToString(), TestArchives.Md5(archive)));
            Assert.Equal([null, "bytes=1000-", "bytes=2000-"], failing.Ranges);
            Assert.Equal(["cifar-10-binary.tar.gz.partial"], dir.Listing());
            Assert.False(Cifar10.IsDownloaded(dir.Path));
            using var server = new TestHttpServer((_, from) => ServerReply.File(archive, from));

            Ensure(dir.Path, server.Url.ToString(), TestArchives.Md5(archive));

            Assert.Equal(["bytes=3000-"], server.Ranges);
            Assert.Equal(100, Cifar10.Load(dir.Path).yTrain.Length);
        }

        [Fact]
        public void Should_Treat_A_Stalled_Transfer_As_Dropped_And_Resume()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            using var server = new TestHttpServer((i, from) => i == 0
                ? ServerReply.File(archive, from, sendOnly: 2000) with { Stall = TimeSpan.FromSeconds(30) }
                : ServerReply.File(archive, from));
            var options = Quick with { StallTimeout = TimeSpan.FromSeconds(1) };

            Cifar10Download.EnsureDownloaded(dir.Path, server.Url.ToString(), TestArchives.Md5(archive), null, options, CancellationToken.None);

            Assert.Equal([null, "bytes=2000-"], server.Ranges);
            Assert.Equal(100, Cifar10.Load(dir.Path).yTrain.Length);
        }

        [Fact]
        public void Should_Stop_On_Cancellation_And_Keep_The_Partial_File()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            using var server = new TestHttpServer((_, from) =>
                ServerReply.File(archive, from, sendOnly: 2000) with { Stall = TimeSpan.FromSeconds(30) });
            // The server stalls for 30 s after 2,000 bytes; 2 s leaves a loaded machine time to receive and write them.
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));

            Assert.ThrowsAny<OperationCanceledException>(() =>
                Cifar10Download.EnsureDownloaded(dir.Path, server.Url.ToString(), TestArchives.Md5(archive), null, Quick, cancel.Token));

            Assert.Equal(["cifar-10-binary.tar.gz.partial"], dir.Listing());
            Assert.Equal(2000, new FileInfo(dir.Combine("cifar-10-binary.tar.gz.partial")).Length);
        }

        [Fact]
        public void Should_Restart_When_The_Server_Ignores_The_Range()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            File.WriteAllBytes(dir.Combine("cifar-10-binary.tar.gz.partial"), archive[..500]);
            using var server = new TestHttpServer((_, _) => ServerReply.File(archive, from: null));

            Ensure(dir.Path, server.Url.ToString(), TestArchives.Md5(archive));

            Assert.Equal(["bytes=500-"], server.Ranges);
            Assert.Equal(100, Cifar10.Load(dir.Path).yTrain.Length);
        }

        [Fact]
        public void Should_Install_The_Python_Version_From_Its_Archive()
        {
            using var dir = new TempDirectory();
            string bin = Cifar10.WriteSynthetic(dir.Combine("scratch"), 20, 20, seed: 4);
            string py = dir.Combine("scratch", "py");
            CifarPickleWriter.WriteFolder(py,
                [.. Enumerable.Range(1, 5).Select(b => File.ReadAllBytes(Path.Combine(bin, $"data_batch_{b}.bin"))),
                 File.ReadAllBytes(Path.Combine(bin, "test_batch.bin"))], Cifar10.ClassNames);
            var archive = TestArchives.Build(py, "cifar-10-batches-py");
            File.WriteAllBytes(dir.Combine("cifar-10-python.tar.gz"), archive);

            string folder = Ensure(dir.Combine("data"), dir.Combine("cifar-10-python.tar.gz"), TestArchives.Md5(archive));

            Assert.Equal(dir.Combine("data", "cifar-10-batches-py"), folder);
            Assert.Equal(Cifar10.Load(dir.Combine("scratch")).XTrain, Cifar10.Load(dir.Combine("data")).XTrain);
        }
    }

    public sealed class LocalSources
    {
        [Fact]
        public void Should_Install_From_A_Local_Archive_And_Keep_It()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            string file = dir.Combine("mirror.tar.gz");
            File.WriteAllBytes(file, archive);

            Ensure(dir.Combine("data"), file, TestArchives.Md5(archive));

            Assert.True(File.Exists(file));
            Assert.Equal(100, Cifar10.Load(dir.Combine("data")).yTrain.Length);
        }

        [Fact]
        public void Should_Use_An_Archive_Already_In_The_Data_Folder_Without_Downloading()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            File.WriteAllBytes(dir.Combine("cifar-10-binary.tar.gz"), archive);
            using var server = new TestHttpServer((_, _) => ServerReply.Error(404));

            Ensure(dir.Path, server.Url.ToString(), TestArchives.Md5(archive));

            Assert.Equal(0, server.RequestCount);
            Assert.Contains("cifar-10-binary.tar.gz", dir.Listing());
            Assert.Equal(100, Cifar10.Load(dir.Path).yTrain.Length);
        }

        [Fact]
        public void Should_Do_Nothing_When_The_Official_Files_Are_Present()
        {
            using var dir = new TempDirectory();
            string bin = dir.Combine("cifar-10-batches-bin");
            Directory.CreateDirectory(bin);
            foreach (var name in new[] { "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin" })
            {
                // Sparse files of the official size: the check looks at sizes only.
                using var f = File.Create(Path.Combine(bin, name));
                f.SetLength(30_730_000);
            }
            File.WriteAllText(Path.Combine(bin, "batches.meta.txt"), "airplane\n");
            var listing = dir.Listing();

            string folder = Ensure(dir.Path, dir.Combine("no-such-archive.tar.gz"), md5: null);

            Assert.Equal(bin, folder);
            Assert.True(Cifar10.IsDownloaded(dir.Path));
            Assert.Equal(listing, dir.Listing());
        }

        [Fact]
        public void Should_Name_A_Missing_Local_Archive_And_The_Ways_On()
        {
            using var dir = new TempDirectory();

            var ex = Assert.Throws<FileNotFoundException>(() => Ensure(dir.Combine("data"), dir.Combine("nope.tar.gz"), null));


            Assert.StartsWith($"Could not get CIFAR-10 into {dir.Combine("data")}: the archive {dir.Combine("nope.tar.gz")} does not exist.", ex.Message);
            AssertWaysOn(ex.Message, dir.Combine("data"));
        }

        [Fact]
        public void Should_Reject_An_Md5_That_Is_Not_32_Hex_Digits()
        {
            using var dir = new TempDirectory();

            var ex = Assert.Throws<ArgumentException>(() => Ensure(dir.Path, dir.Combine("x.tar.gz"), "12345"));


            Assert.Equal("md5", ex.ParamName);
            Assert.StartsWith("md5 '12345' is not an MD5 checksum; expected 32 hex digits.", ex.Message);
        }
    }

    /// <summary>The fault table of issue 6 (acquisition part); each asserts the message and what is left on disk.</summary>
    public sealed class Faults
    {
        [Fact]
        public void Http_404_Fails_At_Once_With_The_Ways_On()
        {
            using var dir = new TempDirectory();
            using var server = new TestHttpServer((_, _) => ServerReply.Error(404));

            var ex = Assert.Throws<IOException>(() => Ensure(dir.Path, server.Url.ToString(), null));


            Assert.StartsWith($"Could not get CIFAR-10 into {dir.Path}: downloading {server.Url} failed: HTTP 404 (NotFound).", ex.Message);
            AssertWaysOn(ex.Message, dir.Path);
            Assert.Equal(1, server.RequestCount);
            Assert.Empty(dir.Listing());
        }

        [Fact]
        public void Http_500_Every_Time_Gives_Up_After_The_Retries()
        {
            using var dir = new TempDirectory();
            using var server = new TestHttpServer((_, _) => ServerReply.Error(500));

            var ex = Assert.Throws<IOException>(() => Ensure(dir.Path, server.Url.ToString(), null));


            Assert.Contains($"downloading {server.Url} failed (after 3 attempts): HTTP 500 (InternalServerError).", ex.Message);
            Assert.Equal(3, server.RequestCount);
            Assert.Empty(dir.Listing());
        }

        [Fact]
        public void Download_Smaller_Than_Announced_Is_Never_Taken_For_Complete()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            // Every response announces the whole file but ends early and ignores ranges.
            using var server = new TestHttpServer((_, _) => ServerReply.File(archive, from: null, sendOnly: 1000));

            var ex = Assert.Throws<IOException>(() => Ensure(dir.Path, server.Url.ToString(), TestArchives.Md5(archive)));


            Assert.Contains($"downloading {server.Url} failed (after 3 attempts): ", ex.Message);
            Assert.Contains("the 1,000 bytes received so far are kept in", ex.Message);
            AssertWaysOn(ex.Message, dir.Path);
            Assert.Equal(["cifar-10-binary.tar.gz.partial"], dir.Listing());
            Assert.False(Cifar10.IsDownloaded(dir.Path));
        }

        [Fact]
        public void A_Server_Announcing_The_Wrong_Size_Is_Refused_Before_Downloading()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            using var server = new TestHttpServer((_, from) => ServerReply.File(archive, from));

            var ex = Assert.Throws<IOException>(() => Ensure(dir.Path, server.Url.ToString(), md5: null));


            Assert.Contains($"the server announces {archive.Length:N0} bytes, but the official archive is 170,052,171 bytes", ex.Message);
            Assert.Equal(1, server.RequestCount);
            Assert.DoesNotContain(dir.Listing(), p => !p.EndsWith(".partial"));
        }

        [Fact]
        public void Wrong_Md5_Of_A_Download_Deletes_It()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            using var server = new TestHttpServer((_, from) => ServerReply.File(archive, from));
            string wrong = new('0', 32);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Path, server.Url.ToString(), wrong));


            Assert.Contains($"checksum mismatch: {dir.Combine("cifar-10-binary.tar.gz.partial")} has MD5 {TestArchives.Md5(archive)}, expected {wrong} (the download was deleted)", ex.Message);
            AssertWaysOn(ex.Message, dir.Path);
            Assert.Empty(dir.Listing());
        }

        [Fact]
        public void Wrong_Md5_Of_A_Local_Archive_Leaves_It_Alone_And_Says_How_To_Accept_It()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            string file = dir.Combine("other.tar.gz");
            File.WriteAllBytes(file, archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, md5: null));


            Assert.Contains($"checksum mismatch: {file} is {archive.Length:N0} bytes with MD5 {TestArchives.Md5(archive)}, " +
                            "but the official archive is 170,052,171 bytes with MD5 c32a1d4ab5d03f1284b67883e8d87530", ex.Message);
            Assert.Contains($"pass --md5 {TestArchives.Md5(archive)}", ex.Message);
            Assert.Equal(["data", "other.tar.gz"], dir.Listing());
        }

        [Fact]
        public void Wrong_Given_Md5_Of_A_Local_Archive_Names_Both_Checksums()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            string file = dir.Combine("mirror.tar.gz");
            File.WriteAllBytes(file, archive);
            string wrong = new('f', 32);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, wrong.ToUpperInvariant()));


            Assert.Contains($"checksum mismatch: {file} has MD5 {TestArchives.Md5(archive)}, expected {wrong} (the file is left alone).", ex.Message);
            Assert.Equal(["data", "mirror.tar.gz"], dir.Listing());
        }

        [Fact]
        public void Corrupt_Gzip_Is_Reported_And_Nothing_Extracted()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            for (int i = 100; i < 400; i++) archive[i] ^= 0x5a;
            string file = dir.Combine("corrupt.tar.gz");
            File.WriteAllBytes(file, archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, TestArchives.Md5(archive)));


            Assert.Contains("corrupt.tar.gz is not a valid .tar.gz archive (", ex.Message);
            AssertWaysOn(ex.Message, dir.Combine("data"));
            Assert.Equal(["corrupt.tar.gz", "data"], dir.Listing());
        }

        [Fact]
        public void Archive_With_A_Dot_Dot_Entry_Is_Refused_And_Nothing_Written()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary(extra: tar =>
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "cifar-10-batches-bin/../../evil.txt")
                {
                    DataStream = new MemoryStream(Encoding.ASCII.GetBytes("pwned")),
                }));
            string file = dir.Combine("evil.tar.gz");
            File.WriteAllBytes(file, archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, TestArchives.Md5(archive)));


            Assert.Contains("the archive entry 'cifar-10-batches-bin/../../evil.txt' is refused: its path contains '..' and would be written outside the data folder", ex.Message);
            Assert.Equal(["data", "evil.tar.gz"], dir.Listing());
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir.Path)!, "evil.txt")));
        }

        [Fact]
        public void Archive_With_An_Absolute_Path_Is_Refused()
        {
            using var dir = new TempDirectory();
            string outside = dir.Combine("outside.txt");
            var archive = TestArchives.Binary(extra: tar =>
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, outside) { DataStream = new MemoryStream([1, 2, 3]) }));
            string file = dir.Combine("abs.tar.gz");
            File.WriteAllBytes(file, archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, TestArchives.Md5(archive)));


            Assert.Contains($"the archive entry '{outside}' is refused: it has an absolute path", ex.Message);
            Assert.Equal(["abs.tar.gz", "data"], dir.Listing());
        }

        [Fact]
        public void Archive_With_A_Symlink_Entry_Is_Refused()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary(extra: tar =>
                tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "cifar-10-batches-bin/readme.html") { LinkName = "/etc/passwd" }));
            string file = dir.Combine("link.tar.gz");
            File.WriteAllBytes(file, archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, TestArchives.Md5(archive)));


            Assert.Contains("the archive entry 'cifar-10-batches-bin/readme.html' is refused: it is a symbolic link to '/etc/passwd'", ex.Message);
            Assert.Equal(["data", "link.tar.gz"], dir.Listing());
        }

        [Fact]
        public void Archive_Missing_A_Batch_File_Is_Refused()
        {
            using var dir = new TempDirectory();
            string bin = Cifar10.WriteSynthetic(dir.Combine("scratch"), 20, 20, seed: 1);
            File.Delete(Path.Combine(bin, "test_batch.bin"));
            var archive = TestArchives.Build(bin, "cifar-10-batches-bin");
            File.WriteAllBytes(dir.Combine("short.tar.gz"), archive);

            var ex = Assert.Throws<InvalidDataException>(() =>
                Ensure(dir.Combine("data"), dir.Combine("short.tar.gz"), TestArchives.Md5(archive)));


            Assert.Contains("short.tar.gz lacks test_batch.bin in its cifar-10-batches-bin folder", ex.Message);
            Assert.Empty(Directory.GetFileSystemEntries(dir.Combine("data")));
        }

        [Fact]
        public void Data_Folder_That_Cannot_Be_Created_Is_Named()
        {
            // Tests run as root, so chmod cannot make a folder unwritable: put the data folder under a regular file.
            using var dir = new TempDirectory();
            File.WriteAllText(dir.Combine("file"), "not a folder");
            string dataDir = dir.Combine("file", "data");

            var ex = Assert.Throws<IOException>(() => Ensure(dataDir, dir.Combine("x.tar.gz"), null));


            Assert.StartsWith($"The data folder {dataDir} cannot be written (", ex.Message);
            Assert.Contains("Choose a folder you can write to (get-data --data-dir DIR", ex.Message);
            Assert.Equal(["file"], dir.Listing());
        }

        [Fact]
        public void An_Incomplete_Data_Set_In_The_Way_Is_Left_Alone()
        {
            using var dir = new TempDirectory();
            Cifar10.WriteSynthetic(dir.Path, 20, 20, seed: 1);
            var listing = dir.Listing();
            using var server = new TestHttpServer((_, _) => ServerReply.Error(404));

            var ex = Assert.Throws<IOException>(() => Ensure(dir.Path, server.Url.ToString(), null));


            Assert.StartsWith($"{dir.Combine("cifar-10-batches-bin")} exists but is not the complete official data set", ex.Message);
            Assert.Equal(0, server.RequestCount);
            Assert.Equal(listing, dir.Listing());
        }
    }

    /// <summary>The source argument (get-data --from): what it may name, said plainly (issue 12).</summary>
    public sealed class TheSourceArgument
    {
        [Theory]
        [InlineData("ftp://mirror.example/cifar-10-binary.tar.gz", "ftp")]
        [InlineData("sftp://mirror.example/cifar-10-binary.tar.gz", "sftp")]
        public void Should_Refuse_An_Unsupported_Scheme_By_Name(string source, string scheme)
        {
            using var dir = new TempDirectory();

            var ex = Assert.Throws<ArgumentException>(() => Ensure(dir.Combine("data"), source, null));


            Assert.Equal("source", ex.ParamName);
            Assert.StartsWith($"The source {source} uses the {scheme}: scheme; CIFAR-10 is downloaded over http or https, or read " +
                              "from a local archive (a path or a file:// URL).", ex.Message);
            Assert.Empty(dir.Listing());  // checked before the data folder is created
        }

        [Fact]
        public void Should_Say_A_Folder_Is_A_Folder_And_What_Is_Expected()
        {
            using var dir = new TempDirectory();
            Directory.CreateDirectory(dir.Combine("downloads"));

            var ex = Assert.Throws<ArgumentException>(() => Ensure(dir.Combine("data"), dir.Combine("downloads"), null));


            Assert.Equal("source", ex.ParamName);
            Assert.StartsWith($"The source {dir.Combine("downloads")} is a folder; expected an archive file such as " +
                              "cifar-10-binary.tar.gz (or an http(s) URL).", ex.Message);
            Assert.DoesNotContain("does not exist", ex.Message);
            Assert.Equal(["downloads"], dir.Listing());
        }

        [Fact]
        public void Should_Measure_A_Linked_Archive_By_Its_Target()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            File.WriteAllBytes(dir.Combine("real.tar.gz"), archive);
            File.CreateSymbolicLink(dir.Combine("link.tar.gz"), dir.Combine("real.tar.gz"));

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), dir.Combine("link.tar.gz"), md5: null));

            Assert.Contains($"checksum mismatch: {dir.Combine("link.tar.gz")} is {archive.Length:N0} bytes with MD5 {TestArchives.Md5(archive)}", ex.Message);
            Assert.Equal(100, Cifar10.Load(Path.GetDirectoryName(Ensure(dir.Combine("data"), dir.Combine("link.tar.gz"), TestArchives.Md5(archive)))!).yTrain.Length);
        }

        [Fact]
        public void Should_Name_A_Linked_Archive_Whose_Target_Is_Gone()
        {
            using var dir = new TempDirectory();
            File.CreateSymbolicLink(dir.Combine("link.tar.gz"), dir.Combine("gone.tar.gz"));

            var ex = Assert.Throws<FileNotFoundException>(() => Ensure(dir.Combine("data"), dir.Combine("link.tar.gz"), md5: null));

            Assert.StartsWith($"Could not get CIFAR-10 into {dir.Combine("data")}: {dir.Combine("link.tar.gz")} is a symbolic link to " +
                              $"{dir.Combine("gone.tar.gz")}, which does not exist.\nWays on:", ex.Message);
        }

        [Fact]
        public void Should_Read_A_File_Url_As_A_Local_Archive()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            File.WriteAllBytes(dir.Combine("a.tar.gz"), archive);

            Ensure(dir.Combine("data"), new Uri(dir.Combine("a.tar.gz")).AbsoluteUri, TestArchives.Md5(archive));

            Assert.Equal(100, Cifar10.Load(dir.Combine("data")).yTrain.Length);
        }
    }

    /// <summary>A download never grows past the archive it should be (issue 12).</summary>
    public sealed class TheSizeCap
    {
        [Fact]
        public void Should_Stop_An_Endless_Body_Without_Content_Length_At_The_Stated_Maximum_And_Delete_It()
        {
            using var dir = new TempDirectory();
            using var server = new TestHttpServer((_, _) => new ServerReply(200, new byte[4096], Endless: true));
            var options = Quick with { MaxOtherArchiveBytes = 100_000 };

            var ex = Assert.Throws<IOException>(() => Cifar10Download.EnsureDownloaded(
                dir.Path, server.Url.ToString(), new string('a', 32), null, options, CancellationToken.None));


            Assert.StartsWith($"Could not get CIFAR-10 into {dir.Path}: downloading {server.Url} failed: the server sent more than " +
                              "100,000 bytes without announcing a size, the most accepted for an archive named by its MD5 " +
                              "(a CIFAR-10 archive is about 163 MB); the transfer was stopped and the partial file deleted.", ex.Message);
            Assert.Equal(1, server.RequestCount);  // not retried: more of the same cannot help
            Assert.Empty(dir.Listing());
        }

        [Fact]
        public void Should_Stop_An_Endless_Body_At_The_Official_Size()
        {
            // The official cap (170,052,171 bytes) works the same way; a small expected size keeps the test fast.
            using var dir = new TempDirectory();
            using var server = new TestHttpServer((_, _) => new ServerReply(200, new byte[4096], Endless: true));
            string partial = dir.Combine("cifar-10-binary.tar.gz.partial");
            var download = new ArchiveDownload(server.Url, partial, expectedSize: 50_000, Quick, progress: null);

            var ex = Assert.Throws<IOException>(() => download.Run(CancellationToken.None));


            Assert.Equal($"downloading {server.Url} failed: the server sent more than 50,000 bytes without announcing a size, " +
                         "the size of the official archive; the transfer was stopped and the partial file deleted", ex.Message);
            Assert.Empty(dir.Listing());
        }

        [Fact]
        public void Should_Refuse_An_Announced_Size_Above_The_Maximum_Before_Downloading()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            using var server = new TestHttpServer((_, from) => ServerReply.File(archive, from));
            var options = Quick with { MaxOtherArchiveBytes = archive.Length - 1 };

            var ex = Assert.Throws<IOException>(() => Cifar10Download.EnsureDownloaded(
                dir.Path, server.Url.ToString(), TestArchives.Md5(archive), null, options, CancellationToken.None));


            Assert.Contains($"the server announces {archive.Length:N0} bytes, more than {archive.Length - 1:N0} bytes, the most accepted " +
                            "for an archive named by its MD5", ex.Message);
            Assert.Equal(1, server.RequestCount);
            Assert.DoesNotContain(dir.Listing(), p => !p.EndsWith(".partial"));
        }
    }

    /// <summary>A CIFAR-10 folder already in the data folder: accepted when complete, else named precisely (issue 12).</summary>
    public sealed class AnExistingFolder
    {
        private static string OfficialSizedFolder(TempDirectory dir)
        {
            string bin = dir.Combine("cifar-10-batches-bin");
            Directory.CreateDirectory(bin);
            foreach (var name in new[] { "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin" })
            {
                using var f = File.Create(Path.Combine(bin, name));
                f.SetLength(30_730_000);  // sparse
            }
            File.WriteAllText(Path.Combine(bin, "batches.meta.txt"), string.Join("\n", Cifar10.ClassNames) + "\n");
            return bin;
        }

        [Fact]
        public void Should_Count_As_Downloaded_When_Its_Batch_Files_Are_Symlinks()
        {
            using var dir = new TempDirectory();
            string bin = OfficialSizedFolder(dir);
            Directory.CreateDirectory(dir.Combine("store"));
            foreach (var name in new[] { "data_batch_2.bin", "test_batch.bin" })
            {
                File.Move(Path.Combine(bin, name), dir.Combine("store", name));
                File.CreateSymbolicLink(Path.Combine(bin, name), dir.Combine("store", name));
            }

            Assert.True(Cifar10.IsDownloaded(dir.Path));
            Assert.Equal(bin, Ensure(dir.Path, dir.Combine("no-such.tar.gz"), null));
        }

        [Fact]
        public void Should_Name_A_Truncated_Batch_File_And_Its_Size()
        {
            using var dir = new TempDirectory();
            string bin = OfficialSizedFolder(dir);
            using (var f = File.OpenWrite(Path.Combine(bin, "data_batch_3.bin"))) f.SetLength(1_000_000);
            var listing = dir.Listing();
            using var server = new TestHttpServer((_, _) => ServerReply.Error(404));

            var ex = Assert.Throws<IOException>(() => Ensure(dir.Path, server.Url.ToString(), null));


            Assert.StartsWith($"{bin} exists but is not the complete official data set: data_batch_3.bin is 1,000,000 bytes; " +
                              "a CIFAR-10 batch is 10,000 × 3,073 bytes", ex.Message);
            Assert.Contains($"The file ({Path.Combine(bin, "data_batch_3.bin")}) is truncated or has extra bytes", ex.Message);
            Assert.EndsWith("It is left alone. Delete or rename it, then run again.", ex.Message);
            Assert.Equal(0, server.RequestCount);
            Assert.Equal(listing, dir.Listing());
        }

        [Fact]
        public void Should_Name_A_Missing_Meta_File()
        {
            using var dir = new TempDirectory();
            string bin = OfficialSizedFolder(dir);
            File.Delete(Path.Combine(bin, "batches.meta.txt"));

            var ex = Assert.Throws<IOException>(() => Ensure(dir.Path, dir.Combine("no-such.tar.gz"), null));


            Assert.Equal($"{bin} exists but is not the complete official data set: batches.meta.txt is missing. It is left alone. " +
                         "Delete or rename it, then run again.", ex.Message);
        }

        [Fact]
        public void Should_Say_An_Unreadable_Folder_Cannot_Be_Read()
        {
            using var dir = Unreadable.NewFolder();
            string bin = OfficialSizedFolder(dir);
            // The data folder itself must be writable by the ordinary user the test acts as.
            Unreadable.OpenToAll(dir.Path);
            var listing = dir.Listing();
            Exception? thrown;
            bool downloaded = true;
            using (Unreadable.Lock(bin))
                thrown = Unreadable.Run(() =>
                {
                    downloaded = Cifar10.IsDownloaded(dir.Path);
                    Ensure(dir.Path, dir.Combine("no-such.tar.gz"), null);
                });

            Assert.False(downloaded);
            var ex = Assert.IsType<UnauthorizedAccessException>(thrown);
            Assert.StartsWith($"{bin} cannot be read (", ex.Message);
            Assert.DoesNotContain("missing", ex.Message);
            Assert.DoesNotContain("not the complete", ex.Message);
            Assert.Equal(listing, dir.Listing());
        }
    }

    [Collection(ConsoleCollection.Name)]
    public sealed class TheSourceVariable
    {
        [Fact]
        public void Should_Be_Used_When_No_Source_Is_Given()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            File.WriteAllBytes(dir.Combine("mirror.tar.gz"), archive);
            Environment.SetEnvironmentVariable(Cifar10Download.SourceVariable, dir.Combine("mirror.tar.gz"));
            try
            {
                Cifar10.EnsureDownloaded(dir.Combine("data"), md5: TestArchives.Md5(archive));
            }
            finally
            {
                Environment.SetEnvironmentVariable(Cifar10Download.SourceVariable, null);
            }

            Assert.Equal(100, Cifar10.Load(dir.Combine("data")).yTrain.Length);
        }
    }

    public sealed class TheDownloadProgressRecord
    {
        [Fact]
        public void Should_Format_Percent_Size_Rate_And_Time_Left()
        {
            var p = new DownloadProgress(76_860_000, 170_052_171, 12_345_678, TimeSpan.FromSeconds(8));

            Assert.Equal(45.198, p.Percent!.Value, 3);
            Assert.Equal("45.2 % · 73.3 of 162.2 MB · 11.8 MB/s · 0:08 left", p.ToString());
            Assert.Equal("1.0 MB · 0.5 MB/s", new DownloadProgress(1_048_576, null, 524_288, null).ToString());
        }
    }

    private static void AssertWaysOn(string message, string dataDir)
    {
        Assert.Contains("Ways on:", message);
        Assert.Contains($"put it at {Path.Combine(dataDir, "cifar-10-binary.tar.gz")}", message);
        Assert.Contains("get-data --from URL_OR_FILE", message);
        Assert.Contains("Cifar10.WriteSynthetic(dataDir", message);
        Assert.Contains("`dotnet run --project lib/DaseCV.Runner -- run notebooks/softmax.ipynb -p dataset=synthetic`", message);
    }
}
