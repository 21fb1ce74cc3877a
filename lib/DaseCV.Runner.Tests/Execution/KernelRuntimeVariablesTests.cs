using DaseCV.Runner.Execution;

namespace DaseCV.Runner.Tests.Execution;

public sealed class KernelRuntimeVariablesTests
{
    [Fact]
    public void Should_Give_The_Kernel_Process_Call_Counting_At_Once()
    {
        var environment = new Dictionary<string, string?>();

        KernelRuntimeVariables.AddTo(environment);

        Assert.Equal("0", environment["DOTNET_TC_CallCountingDelayMs"]);
    }

    [Fact]
    public void Should_Leave_A_Variable_The_User_Set_To_The_Process_Environment()
    {
        // The kernel process inherits this process's environment: a value set there must win.
        var environment = new Dictionary<string, string?>();
        var previous = Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs");
        Environment.SetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs", "100");
        try
        {
            KernelRuntimeVariables.AddTo(environment);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs", previous);
        }

        Assert.False(environment.ContainsKey("DOTNET_TC_CallCountingDelayMs"));
    }
}
