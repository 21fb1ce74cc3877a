using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using MathNet.Numerics.LinearAlgebra;
using DaseCV.LinearAlgebra.Kernels;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DaseCV.LinearAlgebra;

/// <summary>
/// <c>X.Transpose()</c> of a byte-backed matrix without reading it element by element: <c>Xᵀ[j, i] = X[i, j]</c>,
/// written a row of X (one column of Xᵀ, contiguous) at a time.
/// </summary>
/// <remarks>
/// <para>Why this is built at run time. MathNet 5's <c>Matrix&lt;T&gt;.Transpose()</c> is not virtual: it always makes a
/// new dense (D, N) matrix and fills it through <c>MatrixStorage&lt;T&gt;.TransposeToUnchecked</c>, which is
/// <c>internal virtual</c>, so C# in another assembly cannot override it. The base version copies with two virtual
/// calls per element, column by column of X, which crossed a 3072-byte row of pixels per element: 1.9–6 ms for a
/// 200-row minibatch, 5.7× the whole SGD step with <c>TransposeThisAndMultiply</c>. The runtime lets an assembly marked
/// <c>IgnoresAccessChecksTo("MathNet.Numerics")</c> override the internal method, so a small dynamic assembly defines
/// a subclass of <see cref="CenteredPixelMatrixStorage"/> that does, calling <see cref="Into"/>.</para>
/// <para>Where Reflection.Emit is unavailable (native AOT) or MathNet changes the method, <see cref="Create"/> falls back
/// to the plain storage: the same values, at MathNet's speed. The result is still MathNet's dense copy, not a view:
/// Transpose() decides its type, and numpy's <c>X.T</c> view has no equivalent under MathNet's API.</para>
/// </remarks>
internal static class PixelTranspose
{
    /// <summary>Set by <see cref="Into"/>: the one-time probe checks that MathNet's Transpose() reaches it.</summary>
    private static bool s_overrideRan;

    private static readonly Func<int, byte[], double[], CenteredPixelMatrixStorage>? s_factory = BuildFactory();

    /// <summary>True when byte-backed matrices transpose through <see cref="Into"/> (false: MathNet's element copy).</summary>
    public static bool IsFast => s_factory is not null;

    /// <summary>A storage for (rows, 3073) whose TransposeToUnchecked is <see cref="Into"/> where the runtime allows it.</summary>
    public static CenteredPixelMatrixStorage Create(int rows, byte[] pixels, double[] mean, bool meanChecked)
    {
        if (s_factory is null) return new CenteredPixelMatrixStorage(rows, pixels, mean, meanChecked);
        // The emitted constructor takes a mean this library already checked and owns: check and copy a caller's first.
        return s_factory(rows, pixels, meanChecked ? mean : new CenteredPixelMatrixStorage(rows, pixels, mean).Mean);
    }

    /// <summary><c>target = Xᵀ</c>, (3073, N): column i of the target is row i of X, pixel − mean then the bias 1.</summary>
    /// <remarks>The override of MathNet's <c>TransposeToUnchecked</c> (emitted) calls this; public for that assembly.</remarks>
    public static unsafe void Into(CenteredPixelMatrixStorage source, MatrixStorage<double> target)
    {
        s_overrideRan = true;
        const int P = CenteredPixelMatrix.PixelCount, D = P + 1;
        int N = source.RowCount;
        if (target is not DenseColumnMajorMatrixStorage<double> dense)
        {
            for (int i = 0; i < N; i++)
                for (int j = 0; j < D; j++) target.At(j, i, source.At(i, j));
            return;
        }
        fixed (byte* pixels = source.Pixels)
        fixed (double* mean = source.Mean, data = dense.Data)
        {
            for (int i = 0; i < N; i++)
            {
                byte* row = pixels + (long)i * P;
                double* column = data + (long)i * D;
                int j = 0;
                if (Vector256.IsHardwareAccelerated)
                    // Four bytes widened to exact doubles, minus the mean: the one rounding of (double)pixel − mean.
                    for (; j + 4 <= P; j += 4)
                        (Simd256.LoadPixels(row + j) - Vector256.Load(mean + j)).Store(column + j);
                for (; j < P; j++) column[j] = row[j] - mean[j];
                column[P] = 1.0;  // the bias column of X
            }
        }
    }

    private static Func<int, byte[], double[], CenteredPixelMatrixStorage>? BuildFactory()
    {
        try
        {
            var baseMethod = typeof(MatrixStorage<double>).GetMethod("TransposeToUnchecked",
                BindingFlags.Instance | BindingFlags.NonPublic, [typeof(MatrixStorage<double>), typeof(ExistingData)]);
            var into = typeof(PixelTranspose).GetMethod(nameof(Into));
            var baseConstructor = typeof(CenteredPixelMatrixStorage).GetConstructor(
                BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(int), typeof(byte[]), typeof(double[]), typeof(bool)]);
            if (baseMethod is not { IsVirtual: true, IsAssembly: true } || into is null || baseConstructor is null) return null;

            var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("DaseCV.LinearAlgebra.PixelTranspose"), AssemblyBuilderAccess.Run);
            var module = assembly.DefineDynamicModule("DaseCV.LinearAlgebra.PixelTranspose");
            // The runtime honours an IgnoresAccessChecksToAttribute defined in the assembly itself, by name.
            var attribute = module.DefineType("System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute",
                TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Sealed, typeof(Attribute));
            var attributeConstructor = attribute.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(string)]);
            var il = attributeConstructor.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, typeof(Attribute).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)!);
            il.Emit(OpCodes.Ret);
            var ignores = attribute.CreateType().GetConstructors()[0];
            foreach (var name in new[] { "MathNet.Numerics", typeof(PixelTranspose).Assembly.GetName().Name! })
                assembly.SetCustomAttribute(new CustomAttributeBuilder(ignores, [name]));

            var type = module.DefineType("FastTransposeStorage", TypeAttributes.Public | TypeAttributes.Sealed, typeof(CenteredPixelMatrixStorage));
            Type[] parameters = [typeof(int), typeof(byte[]), typeof(double[])];
            var constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, parameters);
            il = constructor.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldarg_3);
            il.Emit(OpCodes.Ldc_I4_1);  // meanChecked: Create passes a mean this library already checked and owns
            il.Emit(OpCodes.Call, baseConstructor);
            il.Emit(OpCodes.Ret);
            var method = type.DefineMethod(baseMethod.Name, MethodAttributes.Assembly | MethodAttributes.Virtual | MethodAttributes.HideBySig,
                typeof(void), [typeof(MatrixStorage<double>), typeof(ExistingData)]);
            il = method.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_1);
            il.Emit(OpCodes.Call, into);
            il.Emit(OpCodes.Ret);
            type.DefineMethodOverride(method, baseMethod);
            var created = type.CreateType();
            var ctor = created.GetConstructor(parameters)!;
            // A compiled `new`: no reflection per minibatch, and the constructor's exceptions reach the caller unwrapped.
            var arguments = parameters.Select(System.Linq.Expressions.Expression.Parameter).ToArray();
            var factory = System.Linq.Expressions.Expression.Lambda<Func<int, byte[], double[], CenteredPixelMatrixStorage>>(
                System.Linq.Expressions.Expression.New(ctor, arguments), arguments).Compile();

            // Check once that the override is what MathNet calls and gives the same values as element access.
            var probe = new CenteredPixelMatrix(factory(1, new byte[CenteredPixelMatrix.PixelCount], new double[CenteredPixelMatrix.PixelCount]));
            var transposed = probe.Transpose();
            return s_overrideRan && transposed.RowCount == CenteredPixelMatrix.PixelCount + 1 && transposed[CenteredPixelMatrix.PixelCount, 0] == 1.0
                ? factory : null;
        }
        catch (Exception e) when (e is NotSupportedException or PlatformNotSupportedException or TypeLoadException
                                      or InvalidOperationException or MemberAccessException or TargetInvocationException)
        {
            return null;
        }
    }
}
