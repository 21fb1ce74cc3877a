using System.CommandLine;

namespace DaseCV.Runner.Commands;

// Instructor-only (CourseLayout.InstructorOnly): the student release has neither this file nor these commands.
internal static partial class Cli
{
    static partial void AddInstructorCommands(RootCommand root)
    {
        root.Subcommands.Add(Commands.HandoutCommand.CommandLine());
        root.Subcommands.Add(Commands.GradeCommand.CommandLine());
        root.Subcommands.Add(Commands.GradescopeBundleCommand.CommandLine());
    }
}
