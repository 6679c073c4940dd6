namespace TradSys.Engine.Tests;

/// <summary>Measures what a piece of code allocates on the calling thread once it is warm.</summary>
internal static class Allocations
{
    /// <summary>
    /// Bytes allocated by one run of <paramref name="action"/> after two warm-up runs: the least of three measured runs,
    /// because a run can catch the runtime's own one-off allocations (tiered compilation, on-stack replacement, a background
    /// GC retiring this thread's allocation context). A real per-call allocation shows in every run, multiplied by the
    /// action's loop count.
    /// </summary>
    public static long LeastOf(Action action)
    {
        action();
        action();
        long least = long.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
