using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.CompilerServices;
using TradSys.Engine.Matching;
using TradSys.Engine.Tests.Support;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// <c>replay FILE [--runs N] [--warmup N] [--max-warmup N] [--no-verify]</c>: replays a gen-orders stream through the real
/// <see cref="MatchingEngine{TSink}"/> (with a struct sink, as a host with a concrete sink type would use it). Parsing is not timed; every run gets a fresh engine built outside the timing.
/// Prints per-run throughput and the median, a separate per-operation latency pass, bytes allocated per
/// operation, GC counts during the timed runs, the reference matcher's check line, and last the engine's check line.
/// Exits 1 when the engine's counts differ from the reference matcher's.
/// </summary>
internal static class Replay
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: replay FILE [--runs N] [--warmup N] [--max-warmup N] [--no-verify]");
            return 2;
        }

        string path = args[0];
        int runs = IntOption(args, "--runs", 7);
        int warmups = IntOption(args, "--warmup", 3);
        bool verify = !args.Contains("--no-verify");

        var parse = Stopwatch.StartNew();
        ReplayOp[] ops = ReplayStream.Parse(path);
        int places = 0;
        foreach (ReplayOp op in ops)
        {
            places += op.IsCancel ? 0 : 1;
        }

        int capacity = places;
        Print($"file={path} ops={ops.Length} places={places} cancels={ops.Length - places} parse_ms={parse.ElapsedMilliseconds}");
        Print($"runtime={Environment.Version} server_gc={GCSettings.IsServerGC} gc_latency={GCSettings.LatencyMode} processors={Environment.ProcessorCount}");

        ReplayCheck? reference = null;
        if (verify)
        {
            var sw = Stopwatch.StartNew();
            reference = ReferenceMatcher.Run(ops);
            Print($"reference_ms={sw.ElapsedMilliseconds}");
        }

        // Warm up until the runtime has finished tiering: at least --warmup runs, then more (up to --max-warmup) until a
        // run, and the pause after it, compile no method. Tier-1 (PGO) compiles happen on a background thread after a
        // call-counting delay (100 ms by default); a timed run that overlaps them runs older code and can allocate
        // (the runtime's own bookkeeping), so the pause lets the queue drain before the next run.
        int maxWarmups = Math.Max(warmups, IntOption(args, "--max-warmup", 12));
        for (int w = 0; w < maxWarmups; w++)
        {
            long jitBefore = JitInfo.GetCompiledMethodCount();
            double rate = TimedRun(ops, capacity, out _, out _, out _, out _);
            Thread.Sleep(WarmupPauseMs);
            long jitted = JitInfo.GetCompiledMethodCount() - jitBefore;
            Print(string.Create(CultureInfo.InvariantCulture, $"warmup {w + 1}: {rate:F0} ops/s, jit={jitted}"));
            if (w + 1 >= warmups && jitted == 0)
            {
                break;
            }
        }

        var rates = new double[runs];
        long allocated = 0;
        int gc0 = 0, gc1 = 0, gc2 = 0;
        ReplayCheck check = default;
        long jitTimed = 0;
        var lines = new string[runs];
        for (int r = 0; r < runs; r++)
        {
            rates[r] = TimedRun(ops, capacity, out long bytes, out (int G0, int G1, int G2) gcs, out check, out long jitted);
            jitTimed += jitted;
            allocated += bytes;
            gc0 += gcs.G0;
            gc1 += gcs.G1;
            gc2 += gcs.G2;
            lines[r] = string.Create(CultureInfo.InvariantCulture, $"run {r + 1}: {rates[r]:F0} ops/s, {bytes} bytes, gc0={gcs.G0} gc1={gcs.G1} gc2={gcs.G2} jit={jitted}");
        }

        // Printed after the timed runs, so that no console or formatting code runs (and tiers up) between them.
        foreach (string line in lines)
        {
            Print(line);
        }

        double[] sorted = (double[])rates.Clone();
        Array.Sort(sorted);
        double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[(runs / 2) - 1] + sorted[runs / 2]) / 2;
        Print(string.Create(CultureInfo.InvariantCulture, $"throughput_ops_per_s={median:F0}"));
        Print(string.Create(CultureInfo.InvariantCulture, $"throughput_runs={string.Join(' ', rates.Select(x => x.ToString("F0", CultureInfo.InvariantCulture)))}"));
        Print(string.Create(CultureInfo.InvariantCulture, $"alloc_bytes_per_op={(double)allocated / ((long)runs * ops.Length):F3}"));
        Print($"gc_during_timed_runs gen0={gc0} gen1={gc1} gen2={gc2}");
        Print($"jit_during_timed_runs={jitTimed}");

        LatencyPass(ops, capacity);

        if (reference is { } expected)
        {
            Print($"reference {expected}");
            Print($"check_equals_reference={(expected == check ? "yes" : "no")}");
        }

        Print($"check {check}");
        return reference is { } e2 && e2 != check ? 1 : 0;
    }

    private static double TimedRun(ReplayOp[] ops, int capacity, out long bytes, out (int, int, int) gcs, out ReplayCheck check, out long jitted)
    {
        MatchingEngine<CheckSink> engine = ReplayDriver.NewEngine(capacity);

        // Building the engine allocates about 100 MB, which can start a background GC. One still running when the timing
        // starts suspends this thread mid-run and retires its allocation context, and the unused rest of that context
        // (a few KB) then shows up in GetAllocatedBytesForCurrentThread as if the run had allocated it. A blocking full
        // collection here finishes any such GC outside the timing.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int c0 = GC.CollectionCount(0), c1 = GC.CollectionCount(1), c2 = GC.CollectionCount(2);
        long jitBefore = JitInfo.GetCompiledMethodCount();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        RunOps(engine, ops);
        long end = Stopwatch.GetTimestamp();
        bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        jitted = JitInfo.GetCompiledMethodCount() - jitBefore;
        gcs = (GC.CollectionCount(0) - c0, GC.CollectionCount(1) - c1, GC.CollectionCount(2) - c2);
        check = ReplayDriver.CheckOf(engine);
        double seconds = (end - start) / (double)Stopwatch.Frequency;
        return ops.Length / seconds;
    }

    /// <summary>
    /// The timed loop (ReplayDriver.Run's), compiled fully optimised on its first call: it is called once per run, far
    /// too few times to be re-compiled by tiering, so without this every run would start in unoptimised code and switch
    /// to an on-stack-replacement copy part-way. The engine's own methods still tier up with PGO during the warm-up.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunOps(MatchingEngine<CheckSink> engine, ReplayOp[] ops)
    {
        for (int i = 0; i < ops.Length; i++)
        {
            ReplayDriver.Apply(engine, in ops[i], i);
        }
    }

    /// <summary>A separate run timing every operation on its own (the two timestamp reads are included: about 20-30 ns here).</summary>
    private static void LatencyPass(ReplayOp[] ops, int capacity)
    {
        MatchingEngine<CheckSink> engine = ReplayDriver.NewEngine(capacity);
        long[] ticks = new long[ops.Length];
        GC.Collect();
        GC.WaitForPendingFinalizers();
        TimeEachOp(engine, ops, ticks);

        Array.Sort(ticks);
        double nsPerTick = 1e9 / Stopwatch.Frequency;
        string At(double q) => (ticks[Math.Min(ticks.Length - 1, (int)(q * ticks.Length))] * nsPerTick).ToString("F0", CultureInfo.InvariantCulture);
        Print($"latency_ns p50={At(0.50)} p99={At(0.99)} p99.9={At(0.999)} max={(ticks[^1] * nsPerTick).ToString("F0", CultureInfo.InvariantCulture)}");
    }

    private const int WarmupPauseMs = 300;

    /// <summary>The latency loop; fully optimised from its first (and only) call, like <see cref="RunOps"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TimeEachOp(MatchingEngine<CheckSink> engine, ReplayOp[] ops, long[] ticks)
    {
        for (int i = 0; i < ops.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            ReplayDriver.Apply(engine, in ops[i], i);
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Print(string line) => Console.WriteLine(line);
}
