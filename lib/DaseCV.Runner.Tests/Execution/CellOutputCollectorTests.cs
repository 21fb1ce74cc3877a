using System.Text.Json.Nodes;
using DaseCV.Runner.Execution;
using DaseCV.Runner.Ipynb;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace DaseCV.Runner.Tests.Execution;

public sealed class CellOutputCollectorTests
{
    private static readonly SubmitCode Command = new("// test", "csharp");

    private static FormattedValue[] Plain(string text) => [new("text/plain", text)];

    private static (CellOutputCollector Collector, IpynbCell Cell) Start()
    {
        var collector = new CellOutputCollector();
        var cell = IpynbCell.NewCode("// test");
        collector.StartCell(cell, executionCount: 7);
        return (collector, cell);
    }

    private static string Kind(JsonNode? output) => output!["output_type"]!.GetValue<string>();

    public sealed class TheHandleMethod
    {
        [Fact]
        public void Should_Join_Consecutive_Writes_And_Keep_Stdout_And_Stderr_Apart_In_Order()
        {
            var (collector, cell) = Start();

            collector.Handle(new StandardOutputValueProduced(Command, Plain("a\n")));
            collector.Handle(new StandardOutputValueProduced(Command, Plain("b\n")));
            collector.Handle(new StandardErrorValueProduced(Command, Plain("oops\n")));
            collector.Handle(new StandardOutputValueProduced(Command, Plain("c\n")));

            var outputs = cell.Outputs;
            Assert.Equal(3, outputs.Count);
            Assert.Equal(["stdout", "stderr", "stdout"], outputs.Select(o => o!["name"]!.GetValue<string>()));
            Assert.Equal("a\nb\n", IpynbNotebook.JoinText(outputs[0]!["text"]));
        }

        [Fact]
        public void Should_Keep_One_Output_With_The_Final_State_Of_A_Display_Updated_Several_Times()
        {
            var (collector, cell) = Start();

            collector.Handle(new DisplayedValueProduced("0%", Command, Plain("0%"), "bar"));
            collector.Handle(new StandardOutputValueProduced(Command, Plain("between\n")));
            foreach (var step in new[] { "10%", "50%", "100%" })
                collector.Handle(new DisplayedValueUpdated(step, "bar", Command, Plain(step)));

            Assert.Equal(2, cell.Outputs.Count);
            Assert.Equal("display_data", Kind(cell.Outputs[0]));
            Assert.Equal("100%", IpynbNotebook.JoinText(cell.Outputs[0]!["data"]!["text/plain"]));
        }

        [Fact]
        public void Should_Pair_An_Update_With_An_Unknown_Id_With_The_Display_Of_The_Same_Object()
        {
            // Kernel 1.0's display() returns a handle whose id differs from the displayed event's id.
            var (collector, cell) = Start();
            var progress = new List<int>();

            collector.Handle(new DisplayedValueProduced(progress, Command, Plain("first"), "shown-id"));
            collector.Handle(new DisplayedValueProduced("other", Command, Plain("other"), "other-id"));
            collector.Handle(new DisplayedValueUpdated(progress, "handle-id", Command, Plain("updated")));
            collector.Handle(new DisplayedValueUpdated(progress, "handle-id", Command, Plain("updated again")));

            Assert.Equal(2, cell.Outputs.Count);
            Assert.Equal("updated again", IpynbNotebook.JoinText(cell.Outputs[0]!["data"]!["text/plain"]));
            Assert.Equal("other", IpynbNotebook.JoinText(cell.Outputs[1]!["data"]!["text/plain"]));
        }

        [Fact]
        public void Should_Update_A_Display_Made_In_An_Earlier_Cell()
        {
            var collector = new CellOutputCollector();
            var first = IpynbCell.NewCode("a");
            var second = IpynbCell.NewCode("b");
            collector.StartCell(first, 1);
            collector.Handle(new DisplayedValueProduced("x", Command, Plain("x"), "id"));
            collector.StartCell(second, 2);

            collector.Handle(new DisplayedValueUpdated("y", "id", Command, Plain("y")));

            Assert.Equal("y", IpynbNotebook.JoinText(first.Outputs[0]!["data"]!["text/plain"]));
            Assert.Empty(second.Outputs);
        }

        [Fact]
        public void Should_Record_A_Return_Value_As_Execute_Result_With_The_Execution_Count()
        {
            var (collector, cell) = Start();

            collector.Handle(new ReturnValueProduced(42, Command, [new("text/html", "<b>42</b>"), new("text/plain", "42")], null));

            var output = cell.Outputs.Single()!;
            Assert.Equal("execute_result", Kind(output));
            Assert.Equal(7, output["execution_count"]!.GetValue<int>());
            Assert.Equal("<b>42</b>", IpynbNotebook.JoinText(output["data"]!["text/html"]));
        }

        [Fact]
        public void Should_Keep_Png_Data_As_One_Base64_String_And_Drop_Suppressed_Values()
        {
            var (collector, cell) = Start();
            var hidden = new FormattedValue("application/json", "{}") { SuppressDisplay = true };

            collector.Handle(new DisplayedValueProduced("img", Command, [new("image/png", "iVBORw0K"), hidden], "img"));

            var data = (JsonObject)cell.Outputs.Single()!["data"]!;
            Assert.Equal("iVBORw0K", data["image/png"]!.GetValue<string>());
            Assert.False(data.ContainsKey("application/json"));
        }

        [Fact]
        public void Should_Report_Display_Text_For_The_Terminal()
        {
            var (collector, _) = Start();
            var seen = new List<string>();
            collector.DisplayChanged += seen.Add;

            collector.Handle(new DisplayedValueProduced("p", Command, [new("text/html", "<div><b>epoch 1</b>  <i>of 3</i></div>")], "p"));
            collector.Handle(new DisplayedValueUpdated("p", "p", Command, Plain("epoch 2 of 3")));

            Assert.Equal(["epoch 1 of 3", "epoch 2 of 3"], seen);
        }
    }

    public sealed class TheAddErrorMethod
    {
        [Fact]
        public void Should_Add_An_Nbformat_Error_With_Exception_Type_And_Message()
        {
            var (collector, cell) = Start();
            Exception thrown;
            try
            {
                throw new InvalidOperationException("bad <thing>");
            }
            catch (InvalidOperationException e)
            {
                thrown = e;
            }

            collector.AddError(new CommandFailed(thrown, Command, "bad <thing>", null));

            var output = cell.Outputs.Single()!;
            Assert.Equal("error", Kind(output));
            Assert.Equal("InvalidOperationException", output["ename"]!.GetValue<string>());
            Assert.Equal("bad <thing>", output["evalue"]!.GetValue<string>());
            Assert.NotEmpty(output["traceback"]!.AsArray());
        }

        [Fact]
        public void Should_Start_The_Traceback_With_Ename_And_Evalue_Followed_By_The_Stack_Trace()
        {
            // nbconvert, GitHub and VS Code show only the traceback of an error output.
            var (collector, cell) = Start();
            Exception thrown;
            try
            {
                throw new InvalidOperationException("bad <thing>");
            }
            catch (InvalidOperationException e)
            {
                thrown = e;
            }

            collector.AddError(new CommandFailed(thrown, Command, "bad <thing>", null));

            var traceback = cell.Outputs.Single()!["traceback"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            Assert.Equal("InvalidOperationException: bad <thing>", traceback[0]);
            Assert.Contains(traceback.Skip(1), line => line.Contains(nameof(Should_Start_The_Traceback_With_Ename_And_Evalue_Followed_By_The_Stack_Trace)));
        }

        [Fact]
        public void Should_Put_Ename_And_Evalue_In_The_Traceback_Of_An_Error_Without_An_Exception()
        {
            // A compile error has no exception, only the kernel's message.
            var (collector, cell) = Start();

            collector.AddError(new CommandFailed("(1,1): error CS0103: The name 'x' does not exist", Command, null));

            var output = cell.Outputs.Single()!;
            Assert.Equal(
                ["Error: (1,1): error CS0103: The name 'x' does not exist"],
                output["traceback"]!.AsArray().Select(t => t!.GetValue<string>()));
        }
    }

    public sealed class TheUserFramesMethod
    {
        [Fact]
        public void Should_Drop_The_Kernels_And_Roslyns_Frames_And_The_Seams_They_Leave()
        {
            const string trace = "\n   at Submission#2.<<Initialize>>d__0.MoveNext()\r\n" +
                                 "--- End of stack trace from previous location ---\n" +
                                 "   at Microsoft.CodeAnalysis.Scripting.ScriptExecutionState.RunSubmissionsAsync[TResult](...)\n" +
                                 "   at Microsoft.DotNet.Interactive.CSharp.CSharpKernel.RunAsync(...)";

            Assert.Equal("   at Submission#2.<<Initialize>>d__0.MoveNext()", CellOutputCollector.UserFrames(trace));
        }
    }

    public sealed class TheStopMethod
    {
        [Fact]
        public void Should_Ignore_Later_Events_Also_Updates_Of_Earlier_Displays()
        {
            var (collector, cell) = Start();
            collector.Handle(new DisplayedValueProduced("0%", Command, Plain("0%"), "bar"));

            collector.Stop();
            collector.Handle(new StandardOutputValueProduced(Command, Plain("late\n")));
            collector.Handle(new DisplayedValueUpdated("50%", "bar", Command, Plain("50%")));

            var output = Assert.Single(cell.Outputs)!;
            Assert.Equal("0%", IpynbNotebook.JoinText(output["data"]!["text/plain"]));
        }
    }

    public sealed class Limits
    {
        [Fact]
        public void Should_Keep_The_First_Million_Characters_Of_A_Stream_And_Count_The_Rest_In_A_Note()
        {
            var (collector, cell) = Start();
            var chunk = new string('x', 300_000) + "\n";

            for (var i = 0; i < 5; i++)
                collector.Handle(new StandardOutputValueProduced(Command, Plain(chunk)));
            collector.Handle(new StandardErrorValueProduced(Command, Plain("still kept\n")));

            var stdout = IpynbNotebook.JoinText(cell.Outputs[0]!["text"]);
            Assert.StartsWith(chunk + chunk + chunk, stdout);
            Assert.EndsWith($"the remaining {5 * chunk.Length - 1_000_000:N0} were not kept.]\n", stdout);
            Assert.Equal("still kept\n", IpynbNotebook.JoinText(cell.Outputs[1]!["text"]));
        }

        [Fact]
        public void Should_Append_Without_Joining_Earlier_Lines_And_Keep_Line_Ends()
        {
            var (collector, cell) = Start();

            foreach (var piece in new[] { "a", "b\nc", "\n", "d" })
                collector.Handle(new StandardOutputValueProduced(Command, Plain(piece)));

            Assert.Equal(["ab\n", "c\n", "d"], cell.Outputs[0]!["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        }

        [Fact]
        public void Should_Leave_Out_A_Value_Over_The_Limit_With_A_Note()
        {
            var (collector, cell) = Start();

            collector.Handle(new DisplayedValueProduced("big", Command,
                [new("text/html", new string('<', 20_000_001)), new("text/plain", "big")], "id"));

            var data = cell.Outputs.Single()!["data"]!.AsObject();
            Assert.False(data.ContainsKey("text/html"));
            Assert.StartsWith("[输出已省略：text/html 的值有 20,000,001 个字符", data["text/plain"]!.GetValue<string>());
        }
    }

    public sealed class TheAddLateOutputMethod
    {
        [Fact]
        public void Should_Put_Late_Text_In_The_Cell_Whose_Console_Context_Wrote_It()
        {
            var collector = new CellOutputCollector();
            var first = IpynbCell.NewCode("a");
            var second = IpynbCell.NewCode("b");
            collector.StartCell(first, 1);
            collector.NoteConsoleContext(41);
            collector.StartCell(second, 2);

            Assert.True(collector.AddLateOutput("stdout", 41, "late from the first\n"));
            Assert.True(collector.AddLateOutput("stdout", 99, "from an unknown context\n"));
            collector.Stop();

            Assert.False(collector.AddLateOutput("stdout", 41, "after the run"));
            Assert.Equal("late from the first\n", IpynbNotebook.JoinText(first.Outputs[0]!["text"]));
            Assert.Equal("from an unknown context\n", IpynbNotebook.JoinText(second.Outputs.Single()!["text"]));
        }
    }
}
