using DaseCV.Runner.Execution;

namespace DaseCV.Runner.Tests.Execution;

public sealed class KernelCrashTests
{
    public sealed class TheErrorOutputMethod
    {
        [Fact]
        public void Should_Read_An_Unhandled_Exception_With_Its_Message_And_The_Cells_Frames()
        {
            string[] report =
            [
                "Unhandled exception. System.InvalidOperationException: boom",
                "on two lines",
                "   at Submission#2.<>c.<<Initialize>>b__0_0()",
                "   at System.Threading.Thread.StartCallback()",
            ];

            var error = KernelCrash.ErrorOutput(report, 134);

            Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
            Assert.StartsWith("boom\non two lines\n(unhandled on another thread", error["evalue"]!.GetValue<string>());
            Assert.Equal("   at Submission#2.<>c.<<Initialize>>b__0_0()", error["traceback"]!.AsArray()[^1]!.GetValue<string>());
        }

        [Fact]
        public void Should_Say_What_Ended_A_Kernel_Process_That_Left_No_Report()
        {
            var killed = KernelCrash.ErrorOutput([], 137);
            var exited = KernelCrash.ErrorOutput([], 5);

            Assert.Equal("KernelProcessEnded", killed["ename"]!.GetValue<string>());
            Assert.Contains("was killed by signal 9 (SIGKILL) (SIGKILL: the system may have run out of memory)", killed["evalue"]!.GetValue<string>());
            Assert.Contains("exited with code 5 while this cell was running", exited["evalue"]!.GetValue<string>());
        }
    }

    public sealed class TheRunJournal
    {
        [Fact]
        public void Should_Read_What_Was_Written_And_Skip_A_Line_Cut_Short()
        {
            var path = Path.Combine(TestPaths.NewTempDirectory(), "journal.jsonl");
            File.WriteAllText(path, """
                {"event":"start","index":1,"count":1,"label":"cell 2"}
                {"event":"saved"}
                {"event":"start","index":3,"count":2,"label":"cell 4"}
                {"event":"stream","name":"stdout","text":"half"}
                {"event":"stream","name":"std
                """);

            var journal = RunJournal.Read(path);

            Assert.Null(journal.Ended);
            Assert.Equal((3, 2, "cell 4"), journal.Current);
            Assert.True(journal.Saved);
            Assert.False(journal.CurrentFinished);
            Assert.Equal([("stdout", "half")], journal.Streams);
        }
    }
}
