using System.Runtime.CompilerServices;
using DaseCV.LinearAlgebra;

namespace DaseCV;

/// <summary>Puts the SIMD provider under MathNet as soon as a program uses DaseCV, so plain MathNet code is fast.</summary>
internal static class ProviderSetup
{
#pragma warning disable CA2255 // a module initializer is the point: no program should need a setup call
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize() => SimdLinearAlgebraProvider.InstallOnce();
}
