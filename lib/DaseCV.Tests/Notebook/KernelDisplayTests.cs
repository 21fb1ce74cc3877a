using DaseCV.Notebook;

namespace DaseCV.Tests.Notebook;

// The test host has no Microsoft.DotNet.Interactive assemblies (the library references them for compilation only),
// which is exactly the situation of a console program or test that calls the kernel-only helpers by mistake.
public sealed class KernelDisplayTests
{
    [Fact]
    public void Register_Should_Say_It_Needs_The_Kernel_Outside_One()
    {
        var ex = Assert.Throws<InvalidOperationException>(NotebookFormatters.Register);
        Assert.Contains(".NET Interactive kernel", ex.Message);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
    }

    [Fact]
    public void InNotebook_Should_Say_It_Needs_The_Kernel_Outside_One()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ProgressDisplay.InNotebook("tuning"));
        Assert.Contains("Microsoft.DotNet.Interactive", ex.Message);
    }
}
