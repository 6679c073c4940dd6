using TradSys.Web.Ordering.Journal;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Engine.Matching;
using TradSys.Rules.Compilation;
using TradSys.Rules.Evaluation;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// `rules-stage [RULESETS_DIR]`: the whole rules stage as the single writer runs it for a new order, on the demo
/// reference data and the shipped packs: context assembly from the account and instrument rows, the book and the
/// writer's aggregates (<see cref="RulesStage"/>), evaluation of every applicable pack, the explanation, and the stored
/// decision's row with its JSON (<see cref="StoredDecision.ToRecord"/>). Prints the mean per order (median of 5 runs),
/// latency percentiles, bytes allocated per order and GC counts. The evaluator alone is the `rules` mode.
/// </summary>
internal static class RulesStageBench
{
    /// <summary>Monday 23 November 2026, 09:00 UTC: every venue in continuous trading.</summary>
    private static readonly DateTime Now = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

    public static int Run(string[] args)
    {
        var directory = args.Length > 0 ? args[0] : RulesBench.FindRulesets();
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var db = new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(connection).Options);
        db.Database.EnsureCreated();
        db.Venues.AddRange(DemoData.Venues());
        db.Instruments.AddRange(DemoData.Instruments());
        db.FxRates.AddRange(DemoData.FxRates());
        db.SaveChanges();
        var referenceData = new ReferenceDataCache();
        referenceData.LoadAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        var accounts = DemoData.Accounts().ToDictionary(a => a.Id);
        var rows = db.Instruments.AsNoTracking().ToDictionary(i => i.Symbol, StringComparer.Ordinal);

        var evaluator = new RuleEvaluator(RulePackCompiler.CompileDirectory(directory));
        var aggregates = new RuleAggregates(referenceData);
        // The platform's metrics as the host makes them (nobody listens here, as in a node no exporter scrapes).
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var stage = new RulesStage(evaluator, referenceData, aggregates, new ContextSnapshots(),
            new Web.Observability.PlatformMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        var recorder = new JournalRecorder(referenceData);
        var engine = new MatchingEngine(recorder, referenceData.Instruments.Count);
        foreach (var instrument in referenceData.Instruments)
        {
            engine.AddInstrument(instrument.Spec.Id);
        }

        // A mix of the demo accounts on every venue: the packs that apply differ per order (see the outcome line).
        var cases = new (long Account, string Symbol, decimal Price, long Quantity)[]
        {
            (1001, "COMI", 80.00m, 100), (1002, "HRHO", 22.50m, 100), (1003, "ETEL", 38.00m, 10), (1004, "COMI.INT", 80.00m, 10),
            (2001, "FAB", 15.50m, 100), (2003, "FAB.INT", 15.60m, 10), (2001, "ALDAR", 7.50m, 100), (1001, "FWRY", 7.00m, 100),
        };
        var orders = new List<(SubmitCommand Command, OrderRecord Order, Account Account, Instrument Row, TradableInstrument Instrument)>();
        foreach (var (accountId, symbol, price, quantity) in cases)
        {
            var instrument = referenceData.Get(symbol);
            if (!Price.TryFromDecimal(price, instrument.Decimals, out var p))
            {
                throw new InvalidOperationException($"{symbol}: price {price} does not fit");
            }
            var command = new SubmitCommand("bench", 2, accountId, $"bench-{symbol}", new TradableInstrumentRef(instrument.Spec.Id, symbol,
                instrument.Decimals, instrument.Row.Currency), Side.Buy, OrderType.Limit, TimeInForce.Day, p, new Quantity(quantity));
            var order = new OrderRecord
            {
                Id = orders.Count + 1, ClientOrderId = command.ClientOrderId, AccountId = accountId, UserId = 2, Symbol = symbol,
                Side = Side.Buy, Type = OrderType.Limit, TimeInForce = TimeInForce.Day, Price = price, Quantity = quantity,
                LeavesQuantity = quantity, Status = OrderStatus.New, CreatedAt = Now, UpdatedAt = Now,
            };
            orders.Add((command, order, accounts[accountId], rows[symbol], instrument));
        }
        var all = orders.ToArray();
        foreach (var o in all)
        {
            var d = stage.Decide(o.Command, o.Order, o.Account, o.Row, o.Instrument, engine, recorder, Now);
            Console.WriteLine(Inv($"order {o.Account.Id} {o.Order.Symbol}: outcome={d.Outcome} packs={string.Join('+', d.Packs.Select(p => p.PackId))} fired={d.Rules.Count}"));
        }

        const int n = 200_000;
        long sink = 0;
        for (var i = 0; i < n; i++)
        {
            sink += Once(i);
        }
        var means = new List<double>();
        long bytes = 0;
        var gc0 = GC.CollectionCount(0);
        var gc1 = GC.CollectionCount(1);
        var gc2 = GC.CollectionCount(2);
        for (var run = 0; run < 5; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
            {
                sink += Once(i);
            }
            var elapsed = Stopwatch.GetElapsedTime(start);
            bytes += GC.GetAllocatedBytesForCurrentThread() - before;
            means.Add(elapsed.TotalNanoseconds / n);
            Console.WriteLine(Inv($"run {run + 1}: mean {elapsed.TotalNanoseconds / n / 1000:F2} us per order"));
        }
        means.Sort();
        Console.WriteLine(Inv($"mean_us_median={means[means.Count / 2] / 1000:F2} alloc_bytes_per_order={(double)bytes / (5.0 * n):F0} gc0={GC.CollectionCount(0) - gc0} gc1={GC.CollectionCount(1) - gc1} gc2={GC.CollectionCount(2) - gc2}"));

        var ticks = new long[n];
        for (var i = 0; i < n; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            sink += Once(i);
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }
        Array.Sort(ticks);
        double Us(long t) => t * 1e6 / Stopwatch.Frequency;
        Console.WriteLine(Inv($"latency_us p50={Us(ticks[n / 2]):F2} p99={Us(ticks[(int)(n * 0.99)]):F2} p99.9={Us(ticks[(int)(n * 0.999)]):F2} max={Us(ticks[^1]):F2}"));
        Console.WriteLine(Inv($"checksum={sink}"));
        return 0;

        int Once(int i)
        {
            var o = all[i % all.Length];
            var decision = stage.Decide(o.Command, o.Order, o.Account, o.Row, o.Instrument, engine, recorder, Now);
            return decision.ToRecord(o.Order.Id).Json.Length;
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
