using System.Diagnostics;
using System.Globalization;
using TradSys.Rules.Compilation;
using TradSys.Rules.Context;
using TradSys.Rules.Evaluation;
using TradSys.Rules.Packs;
using TradSys.Rules.Tests.Support;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// `rules [RULESETS_DIR]`: every shipped pack against passing orders (the pass path), and a hot swap of a
/// pack while another thread keeps evaluating. Prints mean, p50/p99/p99.9, bytes per evaluation, and the
/// swap's time and the longest evaluation seen while it happened.
/// </summary>
internal static class RulesBench
{
    public static int Run(string[] args)
    {
        var directory = args.Length > 0 ? args[0] : FindRulesets();
        var ruleSet = RulePackCompiler.CompileDirectory(directory);
        var evaluator = new RuleEvaluator(ruleSet);
        var decision = new RuleDecision();

        // One passing order per pack (that pack applies) and one to which four packs apply at once.
        var orders = new List<OrderContext>();
        foreach (var pack in ruleSet.Packs)
        {
            orders.Add(Contexts.For(pack.Id));
        }
        var many = Contexts.Passing();
        many.Account.Jurisdiction = Jurisdiction.Eu;
        many.Account.ShariaOnly = true;
        orders.Add(many);
        var all = orders.ToArray();

        foreach (var order in all)
        {
            if (evaluator.Evaluate(order, decision) != RuleOutcome.Pass)
            {
                Console.Error.WriteLine($"a benchmark order does not pass: {decision.Explain(order)}");
                return 1;
            }
        }
        evaluator.Evaluate(many, decision);
        Console.WriteLine(Inv($"packs={ruleSet.Packs.Count} rules={ruleSet.RuleCount} orders={all.Length} packs_applied_to_the_widest_order={decision.AppliedPackCount}"));

        const int n = 1_000_000;
        for (var i = 0; i < 300_000; i++)
        {
            evaluator.Evaluate(all[i % all.Length], decision);
        }

        // Throughput pass: mean per evaluation, allocation and GCs.
        var means = new List<double>();
        long bytes = 0;
        var gc0 = GC.CollectionCount(0);
        for (var run = 0; run < 5; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
            {
                evaluator.Evaluate(all[i % all.Length], decision);
            }
            var elapsed = Stopwatch.GetElapsedTime(start);
            bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            means.Add(elapsed.TotalNanoseconds / n);
            Console.WriteLine(Inv($"run {run + 1}: mean {elapsed.TotalNanoseconds / n:F1} ns"));
        }
        means.Sort();
        Console.WriteLine(Inv($"mean_ns_median={means[means.Count / 2]:F1} alloc_bytes_per_eval={(double)bytes / (5.0 * n):F4} gc0={GC.CollectionCount(0) - gc0}"));

        // Latency pass: each evaluation timed, and the widest order alone.
        Percentiles("all orders", i => all[i % all.Length]);
        Percentiles("widest order (4 packs)", _ => many);

        void Percentiles(string label, Func<int, OrderContext> pick)
        {
            var ticks = new long[n];
            var chosen = new OrderContext[n];
            for (var i = 0; i < n; i++)
            {
                chosen[i] = pick(i);
            }
            for (var i = 0; i < n; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                evaluator.Evaluate(chosen[i], decision);
                ticks[i] = Stopwatch.GetTimestamp() - t0;
            }
            Array.Sort(ticks);
            double Ns(long t) => t * 1e9 / Stopwatch.Frequency;
            Console.WriteLine(Inv($"latency_ns {label}: p50={Ns(ticks[n / 2]):F0} p99={Ns(ticks[(int)(n * 0.99)]):F0} p99.9={Ns(ticks[(int)(n * 0.999)]):F0} max={Ns(ticks[^1]):F0}"));
        }

        // Hot swap: publish a changed pack (parse, validate, compile, swap) while another thread evaluates.
        var registry = new RulePackRegistry(evaluator);
        var secPath = Path.Combine(directory, "sec.json");
        var secJson = File.ReadAllText(secPath);
        var stop = false;
        long maxDuringSwapTicks = 0, evaluationsDuringSwaps = 0;
        var swapping = 0;
        var worker = new Thread(() =>
        {
            var d = new RuleDecision();
            var i = 0;
            while (!Volatile.Read(ref stop))
            {
                var t0 = Stopwatch.GetTimestamp();
                evaluator.Evaluate(all[i++ % all.Length], d);
                var t = Stopwatch.GetTimestamp() - t0;
                if (Volatile.Read(ref swapping) == 1)
                {
                    evaluationsDuringSwaps++;
                    maxDuringSwapTicks = Math.Max(maxDuringSwapTicks, t);
                }
            }
        });
        worker.Start();
        Thread.Sleep(200);
        var swaps = new List<double>();
        for (var k = 0; k < 11; k++)
        {
            Volatile.Write(ref swapping, 1);
            var start = Stopwatch.GetTimestamp();
            if (!registry.TryPublish(secJson, secPath, out var errors))
            {
                Console.Error.WriteLine($"publishing sec.json failed: {string.Join("; ", errors)}");
                return 1;
            }
            swaps.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            Volatile.Write(ref swapping, 0);
            Thread.Sleep(20);
        }
        Volatile.Write(ref stop, true);
        worker.Join();
        swaps.Sort();
        Console.WriteLine(Inv($"hot_swap_ms median={swaps[swaps.Count / 2]:F2} max={swaps[^1]:F2} (parse, schema-validate, compile, publish one pack; 11 swaps)"));
        Console.WriteLine(Inv($"during_swaps evaluations={evaluationsDuringSwaps} longest_evaluation_us={maxDuringSwapTicks * 1e6 / Stopwatch.Frequency:F1}"));
        return 0;
    }

    internal static string FindRulesets()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "rulesets");
            if (File.Exists(Path.Combine(candidate, "rulepack.schema.json")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("rulesets/ not found above the benchmark's folder; pass its path: rules PATH");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
