namespace DaseCV.Runner;

/// <summary>The <c>get-data</c> command (CIFAR-10 download); filled in by the data work.</summary>
internal static class GetDataCommand
{
    public static int Run(string[] args) => throw new NotImplementedException("get-data is not written yet.");
}
