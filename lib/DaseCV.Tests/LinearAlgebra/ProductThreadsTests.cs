using System.Collections.Concurrent;
using DaseCV.LinearAlgebra;
using DaseCV.LinearAlgebra.Kernels;

namespace DaseCV.Tests.LinearAlgebra;

/// <summary>The helper threads products split over, and the warm-up that starts them when the library loads.</summary>
[Collection(CenteredPixelMatrixProductTests.Name)]  // runs alone: the helpers serve one product at a time
public sealed class ProductThreadsTests
{
    public sealed class TheRunMethod
    {
        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(5)]  // more ways than this machine has cores: helpers are started as needed
        public void Should_Run_Every_Piece_Once_And_Piece_0_On_The_Calling_Thread(int ways)
        {
            var threads = new ConcurrentDictionary<int, int>();
            ProductThreads.Run(ways, w => Assert.True(threads.TryAdd(w, Environment.CurrentManagedThreadId), $"piece {w} ran twice"));
            Assert.Equal(Enumerable.Range(0, ways), threads.Keys.Order());
            Assert.Equal(Environment.CurrentManagedThreadId, threads[0]);
        }

        [Fact]
        public void Should_Rethrow_A_Pieces_Exception_After_Every_Piece_Has_Finished()
        {
            int finished = 0;
            var error = Assert.Throws<InvalidOperationException>(() => ProductThreads.Run(3, w =>
            {
                if (w == 2) throw new InvalidOperationException("piece 2");
                Thread.Sleep(50);
                Interlocked.Increment(ref finished);
            }));
            Assert.Equal("piece 2", error.Message);
            Assert.Equal(2, finished);
            ProductThreads.Run(3, _ => { });  // and the helpers still serve the next product
        }
    }

    public sealed class TheWarmup
    {
        [Fact]
        public async Task Should_Finish_And_Leave_The_Helpers_Started()
        {
            _ = SimdLinearAlgebraProvider.Instance;  // the library is loaded: the warm-up has started
            await Warmup.Completion.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(ProductThreads.HelperCount >= Environment.ProcessorCount - 1);
        }
    }
}
