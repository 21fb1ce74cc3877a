using System.Collections.Concurrent;
using DaseCV.LinearAlgebra;
using DaseCV.LinearAlgebra.Kernels;

namespace DaseCV.Tests.LinearAlgebra;

/// <summary>The helper threads products split over, and the warm-up that starts them when the library loads.</summary>
[Collection(CenteredPixelMatrixProductTests.Name)]  // runs alone: the helpers serve one product at a time
public sealed class ProductThreadsTests
{
    public sealed class TheShareMethod
    {
        [Theory]
        [InlineData(1, 1, 1)]
        [InlineData(2, 100, 7)]
        [InlineData(5, 37, 1)]  // more ways than this machine has cores: helpers are started as needed
        [InlineData(2, 0, 3)]
        public void Should_Run_Every_Unit_Exactly_Once(int ways, int units, int chunk)
        {
            var counts = new int[units];
            ProductThreads.Share(units, chunk, ways, (from, to) =>
            {
                Assert.True(to - from <= chunk && from < to, $"range [{from}, {to}) for chunks of {chunk}");
                for (int u = from; u < to; u++) Interlocked.Increment(ref counts[u]);
            });
            Assert.All(counts, c => Assert.Equal(1, c));
        }

        [Fact]
        public void Should_Rethrow_A_Units_Exception_After_Every_Claimed_Unit_Has_Finished()
        {
            int running = 0, finishedAfterError = 0;
            bool thrown = false;
            var error = Assert.Throws<InvalidOperationException>(() => ProductThreads.Share(8, 1, 2, (from, _) =>
            {
                Interlocked.Increment(ref running);
                try
                {
                    if (from == 3) { Volatile.Write(ref thrown, true); throw new InvalidOperationException("unit 3"); }
                    Thread.Sleep(20);
                    if (Volatile.Read(ref thrown)) Interlocked.Increment(ref finishedAfterError);
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                }
            }));
            Assert.Equal("unit 3", error.Message);
            Assert.Equal(0, Volatile.Read(ref running));  // nothing still runs once Share has returned
            int total = 0;
            ProductThreads.Share(10, 2, 2, (from, to) => Interlocked.Add(ref total, to - from));  // and the helpers serve the next product
            Assert.Equal(10, total);
        }

        [Fact]
        public void Should_Finish_On_The_Calling_Thread_When_No_Helper_Comes()
        {
            int caller = Environment.CurrentManagedThreadId, onCaller = 0;
            // A helper busy elsewhere (here: still asleep in the first product) leaves the units to the caller.
            ProductThreads.Share(64, 1, 2, (from, to) =>
            {
                if (Environment.CurrentManagedThreadId == caller) Interlocked.Add(ref onCaller, to - from);
                else Thread.Sleep(100);
            });
            Assert.True(onCaller >= 32, $"the calling thread computed only {onCaller} of 64 units");
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
