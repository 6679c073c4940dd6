using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// `writer [--orders N] [--producers P] [--runs R] [--postgres CONNECTION_STRING]`: the single writer alone, commands to
/// durable commit, no HTTP. The whole platform is started in process (embedded mode on a fresh SQLite file, or PostgreSQL),
/// and P producers send crossing limit orders from trader1 (account 1001) and trader2 (account 2001) on COMI.INT straight to
/// <see cref="OrderWriter.SendAsync"/>, each waiting for its order's durable result before sending the next (closed loop).
/// Every order passes every stage the writer runs: resend check, authorisation, validation, the rule packs, the workflow,
/// the engine, and the journal's group commit (orders, journal entries, trades, decisions with their context, audit). Prints
/// orders/s per run and the median, the latency from send to durable result (p50, p99, p99.9, max), batch sizes, bytes
/// allocated per order (all threads) and GC counts, then checks that every order is in the database.
/// </summary>
internal static class WriterBench
{
    public static int Run(string[] args)
    {
        var orders = Option(args, "--orders", 100_000);
        var producers = Option(args, "--producers", 256);
        var runs = Option(args, "--runs", 3);
        var postgres = OptionText(args, "--postgres");
        return RunAsync(orders, producers, runs, postgres).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int orders, int producers, int runs, string? postgres)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tradsys-writer-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        // The host's content root (rule packs are found above it): src/Web of this checkout.
        var web = Path.Combine(Path.GetDirectoryName(RulesBench.FindRulesets())!, "src", "Web");
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TRADSYS_WEB", web);
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_TradSys_Web", web);
        // PostgreSQL: a fresh database for this invocation (dropped at the end), so that earlier runs' orders neither
        // collide with these (they would be answered as duplicates) nor count in the check.
        var fresh = postgres is null ? null : await FreshDatabase.CreateAsync(postgres);
        try
        {
            return await RunAsync(orders, producers, runs, directory, fresh?.ConnectionString);
        }
        finally
        {
            if (fresh is not null)
            {
                await fresh.DisposeAsync();
            }
        }
    }

    private static async Task<int> RunAsync(int orders, int producers, int runs, string directory, string? postgres)
    {
        await using var platform = new Platform(directory, postgres);
        _ = platform.Server;
        var writer = platform.Services.GetRequiredService<OrderWriter>();
        var instrument = platform.Services.GetRequiredService<ReferenceDataCache>().Get("COMI.INT");
        var reference = new TradableInstrumentRef(instrument.Spec.Id, instrument.Row.Symbol, instrument.Decimals, instrument.Row.Currency);
        Console.WriteLine(Inv($"writer: {(postgres is null ? "SQLite " + directory : "PostgreSQL, database " + new Npgsql.NpgsqlConnectionStringBuilder(postgres).Database)}, {orders} orders x {runs} runs, {producers} producers, {Environment.ProcessorCount} cores, .NET {Environment.Version}"));

        var prefix = 0;
        await SendAsync(writer, reference, Math.Min(20_000, orders), producers, $"w{prefix++}-", null);
        var rates = new List<double>();
        var refused = 0;
        var latencies = new List<long>();
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            var before = writer.Statistics;
            var gc = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var paused = GC.GetTotalPauseDuration();
            var bytes = GC.GetTotalAllocatedBytes(precise: true);
            var ticks = new long[orders];
            var clock = Stopwatch.StartNew();
            var outcomes = await SendAsync(writer, reference, orders, producers, $"r{prefix++}-", ticks);
            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
            var rate = orders / clock.Elapsed.TotalSeconds;
            rates.Add(rate);
            latencies.AddRange(ticks);
            var gcs = Inv($"{GC.CollectionCount(0) - gc.Item1}/{GC.CollectionCount(1) - gc.Item2}/{GC.CollectionCount(2) - gc.Item3} (paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms, last full {GC.GetGCMemoryInfo(GCKind.FullBlocking).PauseDurations[0].TotalMilliseconds:F0} ms)");
            refused += outcomes.Where(o => !o.Key.StartsWith("Created:", StringComparison.Ordinal)).Sum(o => o.Value);
            var seen = string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => Inv($"{o.Key}={o.Value}")));
            var after = writer.Statistics;
            var batches = after.Batches - before.Batches;
            var commit = (after.CommitTime - before.CommitTime).TotalMilliseconds / Math.Max(1, batches);
            var apply = (after.ApplyTime - before.ApplyTime).TotalMilliseconds / Math.Max(1, batches);
            var meanBatch = (after.Commands - before.Commands) / (double)Math.Max(1, batches);
            Console.WriteLine(Inv($"run {run + 1}: {rate:F0} orders/s ({clock.Elapsed.TotalSeconds:F2} s), {allocated / (double)orders:F0} bytes/order, GC {gcs}, mean batch {meanBatch:F0} commands, mean apply {apply:F2} ms, mean commit {commit:F2} ms, outcomes {seen}"));
        }
        rates.Sort();
        latencies.Sort();
        Console.WriteLine(Inv($"throughput_orders_per_s={rates[rates.Count / 2]:F0} (median of {runs})"));
        Console.WriteLine(Inv($"latency_ms p50={Ms(latencies, 0.50):F2} p99={Ms(latencies, 0.99):F2} p99.9={Ms(latencies, 0.999):F2} max={Ms(latencies, 1.0):F2}"));

        await using var scope = platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var stored = await db.Orders.CountAsync(o => o.ClientOrderId.StartsWith("r"));
        var expected = (long)orders * runs;
        Console.WriteLine(Inv($"check: {stored} of {expected} orders stored, {refused} not created, {await db.Trades.CountAsync()} trades, {await db.AuditLog.CountAsync()} audit records"));
        return stored == expected && refused == 0 ? 0 : 1;
    }

    /// <summary>Sends <paramref name="count"/> orders from <paramref name="producers"/> concurrent producers, each waiting for its result.</summary>
    private static async Task<Dictionary<string, int>> SendAsync(OrderWriter writer, TradableInstrumentRef instrument, int count, int producers,
        string prefix, long[]? latencies)
    {
        var next = -1;
        var outcomes = new Dictionary<string, int>();
        var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            var random = new Random(p);
            var mine = new Dictionary<string, int>();
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var buy = (i & 1) == 0;
                // Prices a few ticks either side of 80.00 cross often; some rest, and the book stays small.
                var price = Price.FromDecimal(80.00m + random.Next(-5, 6) * 0.01m, instrument.PriceDecimals);
                var command = new SubmitCommand(buy ? "trader1" : "trader2", buy ? 2 : 3, buy ? 1001 : 2001, prefix + i.ToString(CultureInfo.InvariantCulture),
                    instrument, buy ? Side.Buy : Side.Sell, OrderType.Limit, TimeInForce.Day, price, new Quantity(10 * random.Next(1, 11)));
                var started = Stopwatch.GetTimestamp();
                var result = await writer.SendAsync(command, CancellationToken.None);
                if (latencies is not null)
                {
                    latencies[i] = Stopwatch.GetTimestamp() - started;
                }
                var key = result.Order is { } order ? $"{result.Outcome}:{order.Status}" : result.Outcome.ToString();
                mine[key] = mine.GetValueOrDefault(key) + 1;
            }
            return mine;
        })).ToList();
        foreach (var part in await Task.WhenAll(tasks))
        {
            foreach (var (key, value) in part)
            {
                outcomes[key] = outcomes.GetValueOrDefault(key) + value;
            }
        }
        return outcomes;
    }

    private static double Ms(List<long> sorted, double quantile) =>
        sorted[Math.Min(sorted.Count - 1, (int)(quantile * sorted.Count))] * 1000.0 / Stopwatch.Frequency;

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A database created for one benchmark invocation on the given server, dropped when disposed.</summary>
    private sealed class FreshDatabase : IAsyncDisposable
    {
        private readonly string _admin;
        private readonly string _name;

        private FreshDatabase(string admin, string name, string connectionString)
        {
            _admin = admin;
            _name = name;
            ConnectionString = connectionString;
        }

        public string ConnectionString { get; }

        public static async Task<FreshDatabase> CreateAsync(string connectionString)
        {
            var admin = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
            var name = $"tradsys_writer_{Guid.NewGuid():N}";
            await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
            return new FreshDatabase(admin, name, new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString);
        }

        public async ValueTask DisposeAsync()
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
        }

        private static async Task ExecuteAsync(string connectionString, string sql)
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The platform in process, no HTTP listener: embedded mode on a fresh SQLite file, or a PostgreSQL database.</summary>
    private sealed class Platform(string directory, string? postgres) : WebApplicationFactory<OrderWriter>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Platform:Bus", "InMemory");
            builder.UseSetting("Platform:Jobs", "InMemory");
            builder.UseSetting("Platform:SeedDemoData", "true");
            if (postgres is null)
            {
                builder.UseSetting("Platform:Database", "Sqlite");
                builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(directory, "tradsys.db")}");
            }
            else
            {
                builder.UseSetting("Platform:Database", "Postgres");
                builder.UseSetting("ConnectionStrings:Postgres", postgres);
            }
            builder.UseSetting("Trading:DayOrderExpirySeconds", "0");
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        }
    }
}
