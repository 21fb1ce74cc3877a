using System.Diagnostics;
using DaseCV.Data;

namespace DaseCV.Tests.Data;

/// <summary>Installing from an archive (Cifar10Archive.Extract, mostly through EnsureDownloaded): the faults of issue 12.</summary>
public sealed class Cifar10ArchiveTests
{
    private static readonly DownloadOptions Quick = new(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));

    private static string Ensure(string dataDir, string source, string? md5) =>
        Cifar10Download.EnsureDownloaded(dataDir, source, md5, null, Quick, CancellationToken.None);

    /// <summary>An archive built from a synthetic folder after <paramref name="change"/> edits it.</summary>
    private static byte[] ArchiveOf(TempDirectory dir, Action<string> change, bool python = false)
    {
        string bin = Cifar10.WriteSynthetic(dir.Combine("scratch"), 20, 20, seed: 2);
        if (!python)
        {
            change(bin);
            return TestArchives.Build(bin, "cifar-10-batches-bin");
        }
        string py = dir.Combine("scratch", "py");
        CifarPickleWriter.WriteFolder(py,
            [.. Enumerable.Range(1, 5).Select(b => File.ReadAllBytes(Path.Combine(bin, $"data_batch_{b}.bin"))),
             File.ReadAllBytes(Path.Combine(bin, "test_batch.bin"))], Cifar10.ClassNames);
        change(py);
        return TestArchives.Build(py, "cifar-10-batches-py");
    }

    public sealed class TheGzipCheck
    {
        [Theory]
        [InlineData(8)]   // the trailer's first 4 bytes: CRC-32
        [InlineData(4)]   // its last 4: ISIZE, the uncompressed size mod 2^32
        public void Should_Refuse_A_Gzip_Whose_Trailer_Is_Wrong_Even_When_The_Given_Md5_Matches(int fromEnd)
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            archive[^fromEnd] ^= 0x01;
            string file = dir.Combine("mirror.tar.gz");
            File.WriteAllBytes(file, archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, TestArchives.Md5(archive)));


            Assert.Contains("mirror.tar.gz fails the gzip integrity check: the data does not match the CRC-32 and size its " +
                            "trailer records. The archive is corrupt; nothing was installed.", ex.Message);
            Assert.StartsWith($"Could not get CIFAR-10 into {dir.Combine("data")}: ", ex.Message);
            Assert.Equal(["data", "mirror.tar.gz"], dir.Listing());
            Assert.False(Cifar10.IsDownloaded(dir.Combine("data")));
        }

        [Fact]
        public void Should_Delete_A_Downloaded_Archive_That_Fails_The_Gzip_Check()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            archive[^8] ^= 0xff;
            using var server = new TestHttpServer((_, from) => ServerReply.File(archive, from));

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Path, server.Url.ToString(), TestArchives.Md5(archive)));


            Assert.Contains("cifar-10-binary.tar.gz fails the gzip integrity check", ex.Message);
            Assert.Empty(dir.Listing());
        }
    }

    public sealed class TheEntrySizes
    {
        /// <summary>A gzipped tar whose only entry header announces <paramref name="size"/> bytes, with no data after it.</summary>
        private static byte[] HeaderOnly(string name, long size)
        {
            var header = new byte[512];
            void Put(int offset, string text) => System.Text.Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
            Put(0, name);
            Put(100, "0000644\0");
            Put(108, "0000000\0");
            Put(116, "0000000\0");
            Put(124, Convert.ToString(size, 8).PadLeft(11, '0') + "\0");
            Put(136, "00000000000\0");
            Put(148, "        ");
            header[156] = (byte)'0';
            Put(257, "ustar\0" + "00");
            int sum = header.Sum(b => b);
            Put(148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
            using var output = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
                gzip.Write(header);
            return output.ToArray();
        }

        [Fact]
        public void Should_Refuse_An_Entry_Over_2_GB_Before_Writing_It()
        {
            using var dir = new TempDirectory();
            var archive = HeaderOnly("cifar-10-batches-bin/data_batch_1.bin", 3_000_000_000);
            File.WriteAllBytes(dir.Combine("huge.tar.gz"), archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), dir.Combine("huge.tar.gz"), TestArchives.Md5(archive)));

            Assert.Contains("the archive entry 'cifar-10-batches-bin/data_batch_1.bin' is refused: it is 3,000,000,000 bytes; " +
                            "a CIFAR-10 file is at most 2,147,483,591 bytes (an official batch is 30,730,000).", ex.Message);
            Assert.Empty(Directory.GetFileSystemEntries(dir.Combine("data")));
        }
    }

    public sealed class TheMetaFile
    {
        [Theory]
        [InlineData(false, "batches.meta.txt", "cifar-10-batches-bin")]
        [InlineData(true, "batches.meta", "cifar-10-batches-py")]
        public void Should_Be_Required_So_That_No_Install_Is_Refused_By_Later_Runs(bool python, string meta, string folder)
        {
            using var dir = new TempDirectory();
            var archive = ArchiveOf(dir, f => File.Delete(Path.Combine(f, meta)), python);
            string file = dir.Combine("no-meta.tar.gz");
            File.WriteAllBytes(file, archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, TestArchives.Md5(archive)));


            Assert.Contains($"no-meta.tar.gz lacks {meta} in its {folder} folder (a CIFAR-10 archive holds ", ex.Message);
            Assert.Empty(Directory.GetFileSystemEntries(dir.Combine("data")));
            Assert.False(Cifar10.IsDownloaded(dir.Combine("data")));
        }

        [Fact]
        public void Should_Be_Checked_For_Ten_Names_Before_Installing()
        {
            using var dir = new TempDirectory();
            var archive = ArchiveOf(dir, f => File.WriteAllText(Path.Combine(f, "batches.meta.txt"), "cat\ndog\n"));
            string file = dir.Combine("two-names.tar.gz");
            File.WriteAllBytes(file, archive);

            var ex = Assert.Throws<InvalidDataException>(() => Ensure(dir.Combine("data"), file, TestArchives.Md5(archive)));


            Assert.Contains("two-names.tar.gz: cifar-10-batches-bin/batches.meta.txt lists 2 class names; CIFAR-10 has 10 (one a line).\n", ex.Message);
            Assert.Empty(Directory.GetFileSystemEntries(dir.Combine("data")));
        }

        [Fact]
        public void Should_Let_Later_Runs_Accept_An_Install_Of_Non_Official_Batch_Sizes()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            string file = dir.Combine("small.tar.gz");
            File.WriteAllBytes(file, archive);
            string first = Ensure(dir.Combine("data"), file, TestArchives.Md5(archive));
            File.Delete(file);
            var listing = dir.Listing();

            // As the notebook's setup cell does on every run: no source, no MD5.
            string again = Ensure(dir.Combine("data"), dir.Combine("no-such.tar.gz"), md5: null);

            Assert.Equal(first, again);
            Assert.True(Cifar10.IsDownloaded(dir.Combine("data")));
            Assert.Equal(listing, dir.Listing());
        }

        [Fact]
        public void Should_Not_Accept_An_Install_Whose_Batch_Changed_Size_Since()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            File.WriteAllBytes(dir.Combine("small.tar.gz"), archive);
            string bin = Ensure(dir.Combine("data"), dir.Combine("small.tar.gz"), TestArchives.Md5(archive));
            string batch = Path.Combine(bin, "data_batch_4.bin");
            File.WriteAllBytes(batch, File.ReadAllBytes(batch)[..(3073 * 7)]);

            var ex = Assert.Throws<IOException>(() => Ensure(dir.Combine("data"), dir.Combine("small.tar.gz"), TestArchives.Md5(archive)));


            Assert.Equal($"{bin} exists but is not the complete official data set: data_batch_4.bin is 21,511 bytes; " +
                         "the install recorded 61,460 bytes. It is left alone. Delete or rename it, then run again.",
                ex.Message);
        }
    }

    public sealed class TheRaceWithAnotherInstall
    {
        [Fact]
        public void Should_Keep_And_Return_The_Identical_Folder_Another_Process_Installed_Meanwhile()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            string file = dir.Combine("a.tar.gz");
            File.WriteAllBytes(file, archive);
            Directory.CreateDirectory(dir.Combine("data"));
            // The winner: the same archive, extracted first (as a concurrent process would between our checks).
            string winner = Cifar10Archive.Extract(file, dir.Combine("data"));
            var stamp = File.GetLastWriteTimeUtc(Path.Combine(winner, "data_batch_1.bin"));
            var listing = dir.Listing();

            string loser = Cifar10Archive.Extract(file, dir.Combine("data"));

            Assert.Equal(winner, loser);
            Assert.Equal(listing, dir.Listing());  // the winner's folder kept, the loser's staging folder gone
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(winner, "data_batch_1.bin")));
            Assert.Equal(100, Cifar10.Load(dir.Combine("data")).yTrain.Length);
        }

        [Fact]
        public void Should_Use_The_Install_Another_Process_Finished_During_The_Download()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary(seed: 1);
            // Another seed, so that only the re-check (not the loser's comparison at the rename) can accept the winner's folder.
            File.WriteAllBytes(dir.Combine("other.tar.gz"), TestArchives.Binary(seed: 2));
            using var server = new TestHttpServer((_, from) => ServerReply.File(archive, from));
            string? winner = null;
            // The other process finishes while this download is under way (at its first progress report).
            var progress = new Callback(() => winner ??= Cifar10Archive.Extract(dir.Combine("other.tar.gz"), dir.Combine("data")));
            Directory.CreateDirectory(dir.Combine("data"));

            string folder = Cifar10Download.EnsureDownloaded(dir.Combine("data"), server.Url.ToString(), TestArchives.Md5(archive),
                progress, Quick, CancellationToken.None);

            Assert.Equal(winner, folder);
            Assert.Equal(
                ["cifar-10-batches-bin", "cifar-10-batches-bin/.dasecv-install.txt", "cifar-10-batches-bin/batches.meta.txt",
                 "cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/data_batch_2.bin", "cifar-10-batches-bin/data_batch_3.bin",
                 "cifar-10-batches-bin/data_batch_4.bin", "cifar-10-batches-bin/data_batch_5.bin", "cifar-10-batches-bin/test_batch.bin"],
                Directory.EnumerateFileSystemEntries(dir.Combine("data"), "*", SearchOption.AllDirectories)
                    .Select(p => Path.GetRelativePath(dir.Combine("data"), p)).Order(StringComparer.Ordinal));
        }

        private sealed class Callback(Action action) : IProgress<DownloadProgress>
        {
            public void Report(DownloadProgress value) => action();
        }

        [Fact]
        public void Should_Name_What_Differs_In_A_Folder_In_The_Way_And_Leave_It_Alone()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary(seed: 1);
            string file = dir.Combine("a.tar.gz");
            File.WriteAllBytes(file, archive);
            Cifar10.WriteSynthetic(dir.Combine("data"), 20, 20, seed: 5);  // same sizes, other pixels, no install note
            var listing = dir.Listing();

            var ex = Assert.Throws<IOException>(() => Cifar10Archive.Extract(file, dir.Combine("data")));


            Assert.Equal($"{dir.Combine("data", "cifar-10-batches-bin")} already exists and differs from the archive (its " +
                         "data_batch_1.bin has other contents); it is left alone. If it is an old or broken copy, delete or " +
                         "rename it, then run again", ex.Message);
            Assert.Equal(listing, dir.Listing());
        }
    }

    public sealed class TheStagingFolders
    {
        /// <summary>The PID of a process that has exited (started and waited for here).</summary>
        private static int DeadPid()
        {
            using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            process.WaitForExit();
            return process.Id;
        }

        [Fact]
        public void Should_Be_Named_With_The_Process_Id_While_Extracting()
        {
            using var dir = new TempDirectory();
            string staging = StagingFolder.Create(dir.Path, Cifar10Archive.StagingPrefix);

            Assert.Matches($"^\\.cifar-10-extract-{Environment.ProcessId}-[0-9a-f]{{32}}$", Path.GetFileName(staging));
        }

        [Fact]
        public void Should_Remove_Those_Of_Dead_Processes_At_The_Next_Install_And_Never_A_Live_One()
        {
            using var dir = new TempDirectory();
            string data = dir.Combine("data");
            using var live = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
            try
            {
                string Stage(string suffix)
                {
                    string path = Path.Combine(data, ".cifar-10-extract-" + suffix);
                    Directory.CreateDirectory(Path.Combine(path, "cifar-10-batches-bin"));
                    File.WriteAllBytes(Path.Combine(path, "cifar-10-batches-bin", "data_batch_1.bin"), new byte[3073]);
                    return path;
                }
                string dead = Stage($"{DeadPid()}-{Guid.NewGuid():N}");
                string otherLive = Stage($"{live.Id}-{Guid.NewGuid():N}");
                string ours = Stage($"{Environment.ProcessId}-{Guid.NewGuid():N}");
                string oldUnnamed = Stage($"{Guid.NewGuid():N}");          // an earlier version's name, two days old
                Directory.SetLastWriteTimeUtc(oldUnnamed, DateTime.UtcNow.AddDays(-2));
                string newUnnamed = Stage($"{Guid.NewGuid():N}");          // an earlier version's name, just written
                string foreign = Stage("notes");                           // not a name this code writes
                var archive = TestArchives.Binary();
                File.WriteAllBytes(dir.Combine("a.tar.gz"), archive);

                Ensure(data, dir.Combine("a.tar.gz"), TestArchives.Md5(archive));

                Assert.False(Directory.Exists(dead));
                Assert.False(Directory.Exists(oldUnnamed));
                Assert.True(Directory.Exists(otherLive));
                Assert.True(Directory.Exists(ours));
                Assert.True(Directory.Exists(newUnnamed));
                Assert.True(Directory.Exists(foreign));
                Assert.Equal(100, Cifar10.Load(data).yTrain.Length);
            }
            finally
            {
                live.Kill();
                live.WaitForExit();
            }
        }

        [Fact]
        public void Should_Be_Removed_When_Dead_Even_If_The_Data_Set_Is_Already_Installed()
        {
            using var dir = new TempDirectory();
            var archive = TestArchives.Binary();
            File.WriteAllBytes(dir.Combine("a.tar.gz"), archive);
            string bin = Ensure(dir.Combine("data"), dir.Combine("a.tar.gz"), TestArchives.Md5(archive));
            string dead = dir.Combine("data", $".cifar-10-extract-{DeadPid()}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dead);

            string again = Ensure(dir.Combine("data"), dir.Combine("a.tar.gz"), TestArchives.Md5(archive));

            Assert.Equal(bin, again);
            Assert.False(Directory.Exists(dead));
        }

        [Fact]
        public void Should_Also_Be_Cleaned_By_The_Synthetic_Writer()
        {
            using var dir = new TempDirectory();
            string dead = dir.Combine($".cifar-10-batches-bin.tmp-{DeadPid()}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dead);
            File.WriteAllBytes(Path.Combine(dead, "data_batch_1.bin"), new byte[3073]);

            Cifar10.WriteSynthetic(dir.Path, 20, 20, seed: 1);

            Assert.False(Directory.Exists(dead));
            Assert.DoesNotContain(dir.Listing(), p => p.StartsWith('.'));
        }
    }
}
