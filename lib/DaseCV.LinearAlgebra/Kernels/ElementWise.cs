namespace DaseCV.LinearAlgebra.Kernels;

/// <summary>
/// Element-wise passes over large arrays, shared between the product threads: <c>W1 − lr·dW1</c> on the two-layer
/// net's (3073, 50) weights, kNN's <c>XTrain ∘ XTrain</c> on a (5000, 3072) matrix. One core does not reach the memory
/// bandwidth (nor, for a new array, the page faults) that two do.
/// </summary>
/// <remarks>Each element is computed by one thread with the same operation, so results do not depend on the split.</remarks>
internal static class ElementWise
{
    /// <summary>Elements per unit of work (128 KB of doubles).</summary>
    private const int Block = 16 * 1024;

    /// <summary>Arrays below this many elements (1 MB of doubles) run on the calling thread: waking a helper costs more.</summary>
    internal const int ParallelLength = 128 * 1024;

    /// <summary>Runs <paramref name="body"/>(start, count) over [0, length), in blocks shared between the cores when long.</summary>
    public static void Run(int length, Action<int, int> body)
    {
        if (length < ParallelLength)
        {
            body(0, length);
            return;
        }
        // The split's own threshold counts multiply-adds of a product; an element-wise pass this long is always worth it.
        Gemm.Split((length + Block - 1) / Block, long.MaxValue, (from, to) =>
        {
            int start = from * Block;
            body(start, Math.Min(length, to * Block) - start);
        });
    }
}
