using System.Diagnostics;
using DaseCV.LinearAlgebra;

namespace DaseCV.Tests.LinearAlgebra;

public sealed class BuildSettingsTests
{
    [Fact]
    public void Should_Let_The_JIT_Optimize_The_Kernels_In_A_Debug_Build_Too()
    {
        // Tests, a student's `dotnet run` and notebook kernels build Debug by default; a Debug assembly carries
        // DebuggableAttribute(IsJITOptimizerDisabled) and every kernel then ran unoptimized (3-13× slower).
        var debuggable = typeof(SimdWidth).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false)
            .Cast<DebuggableAttribute>().SingleOrDefault();

        Assert.False(debuggable?.IsJITOptimizerDisabled ?? false);
    }
}
