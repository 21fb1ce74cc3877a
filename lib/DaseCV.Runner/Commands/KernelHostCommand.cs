using System.CommandLine;
using DaseCV.Runner.Execution;

namespace DaseCV.Runner.Commands;

/// <summary>
/// <c>kernel-host REQUEST.json</c> (hidden): the kernel process <c>run</c> starts (<see cref="KernelProcess"/>).
/// It runs the request the runner process wrote, with no options of its own.
/// </summary>
internal static class KernelHostCommand
{
    public static Command CommandLine()
    {
        var request = new Argument<string>("REQUEST.json") { Description = "The run request the runner process wrote." };
        var command = new Command(KernelProcess.HostCommand, "The kernel process of `run` (started by the runner, not by hand).") { request };
        command.Hidden = true;
        command.SetAction(async (result, _) => await KernelProcess.HostAsync(result.GetRequiredValue(request), RunCommand.Html,
            TerminalProgress.ForConsole(), result.InvocationConfiguration.Error));
        return command;
    }
}
