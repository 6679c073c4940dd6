using System.Globalization;
using TradSys.LoadTest.Floor;
using TradSys.LoadTest.Http;
using TradSys.LoadTest.Measure;
using TradSys.LoadTest.Orders;
using TradSys.LoadTest.Verify;

namespace TradSys.LoadTest.Load;

/// <summary>
/// <c>run</c> and <c>quote</c>: get tokens and reference data, measure the floor (its own child process), then the
/// platform, with the same connections, duration, rate and request mix (each after a short warm-up); print both and the
/// ratio; for <c>run</c>, verify through the API afterwards.
/// </summary>
public static class LoadCommand
{
    /// <summary>The demo traders and the account each trades on (README: trader1 owns 1001, trader2 owns 2001).</summary>
    private static readonly (string Client, long Account)[] Traders = [("trader1", 1001), ("trader2", 2001)];

    public static async Task<int> RunAsync(Options o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var orders = o.Command == "run";
        var machine = MachineInfo.Read();
        var runId = string.Create(CultureInfo.InvariantCulture, $"lt{machine.TimeUtc:yyMMddHHmmss}{Random.Shared.Next(0x1000, 0xFFFF):x4}");
        var mix = orders ? $", mix {o.Mix}" : "";
        Console.Out.WriteLine($"load {string.Join(' ', o.Arguments)}");
        Console.Out.WriteLine($"   machine: {machine.Processors} processors, {machine.Cpu}; {machine.Os} ({machine.Kernel}); {machine.DotNet}");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {machine.TimeUtc:yyyy-MM-dd HH:mm:ss} UTC, load average {machine.LoadAverage}; run {runId}, seed {o.Seed}{mix}, client {o.Client}"));

        // Tokens and reference data (a floor-only run has no platform to ask: a token of a real one's length, the demo's COMI.INT).
        List<TradingAccount> accounts;
        List<InstrumentInfo> instruments;
        if (o.FloorOnly)
        {
            var fake = new string('x', 2422);
            accounts = [.. Traders.Select(t => new TradingAccount(t.Account, t.Client, fake))];
            instruments = [.. o.Symbols.Select(InstrumentInfo.FloorDefault)];
        }
        else
        {
            using var api = new ApiClient(o.Url!);
            using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            accounts = [];
            foreach (var (client, account) in Traders)
            {
                accounts.Add(new TradingAccount(account, client, await api.TokenAsync(client, $"{client}-demo-secret", cut.Token).ConfigureAwait(false)));
            }
            instruments = [];
            foreach (var symbol in o.Symbols)
            {
                var i = await api.InstrumentAsync(symbol, accounts[0].Token, cut.Token).ConfigureAwait(false);
                var info = new InstrumentInfo(i.Symbol, i.ReferencePrice, i.LowerLimit, i.UpperLimit, i.LotSize, i.TickTable);
                instruments.Add(info);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"   {i.Symbol} on {i.Venue}: {i.Status}, {i.VenuePhase}; reference {i.ReferencePrice}, limits {i.LowerLimit}-{i.UpperLimit}, " +
                    $"lot {i.LotSize}, tick table {string.Join(" ", i.TickTable.Select(t => $"{t.From}:{t.Tick}"))}; prices drawn from {string.Join(" ", info.Band)}"));
                if (i.VenuePhase != "Continuous" || i.Status != "Trading")
                {
                    Console.Out.WriteLine($"   warning: {i.Symbol} is not in continuous trading now: orders will not match as planned");
                }
            }
        }

        using var pacer = new Pacer();
        PhaseReport? floorReport = null, platformReport = null;
        string? acksPath = null;
        if (o.Floor)
        {
            await using var floor = await FloorProcess.StartAsync(CancellationToken.None).ConfigureAwait(false);
            Console.Error.WriteLine($"load: floor started (process {floor.ProcessId}, {floor.Url})");
            var result = await MeasureAsync("floor", floor.Url, o, pacer, floor.ProcessId, i => orders
                ? new OrderFlow(i, accounts, instruments, o.Mix, o.Seed, runId + "F", null)
                : new QuoteFlow(i, accounts[i % accounts.Count].Token, o.Symbols)).ConfigureAwait(false);
            floorReport = PhaseReport.From("floor", orders ? "orders" : "quote", result);
            Console.Out.Write(floorReport.ToText());
        }
        if (!o.FloorOnly)
        {
            AcksFile? acks = null;
            if (orders)
            {
                acksPath = o.AcksPath ?? Path.Combine("artifacts", "load", $"acks-{runId}.jsonl");
                acks = new AcksFile(acksPath, new RunHeader("run", runId, o.Url!.ToString(), DateTime.UtcNow, o.Symbols, [.. accounts.Select(a => a.AccountId)]));
                acksPath = acks.Path;
                Console.Out.WriteLine($"   acks file: {acksPath}");
            }
            // The writer's own figures over the measured window (orders only: a quote never reaches the writer).
            using var admin = new ApiClient(o.Url!);
            Func<Task<WriterCounters>>? readWriter = null;
            if (orders)
            {
                using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                readWriter = await WriterWindow.ReaderAsync(admin, cut.Token).ConfigureAwait(false);
            }
            WriterCounters? writerBefore = null;
            long windowStarted = 0;
            WriterWindow? writer = null;
            try
            {
                var result = await MeasureAsync("platform", o.Url!, o, pacer, o.ServerPid, i => orders
                    ? new OrderFlow(i, accounts, instruments, o.Mix, o.Seed, runId, new AcksBuffer(acks!))
                    : new QuoteFlow(i, accounts[i % accounts.Count].Token, o.Symbols), readWriter is null ? null : async () =>
                    {
                        writerBefore = await readWriter().ConfigureAwait(false);
                        windowStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                    }).ConfigureAwait(false);
                if (readWriter is not null && writerBefore is not null)
                {
                    var after = await readWriter().ConfigureAwait(false);
                    writer = WriterWindow.Between(writerBefore, after, System.Diagnostics.Stopwatch.GetElapsedTime(windowStarted).TotalSeconds);
                }
                platformReport = PhaseReport.From("platform", orders ? "orders" : "quote", result);
            }
            finally
            {
                acks?.Dispose();
            }
            Console.Out.Write(platformReport.ToText());
            if (writer is not null)
            {
                Console.Out.Write(writer.ToText());
            }
        }

        Comparison? ratio = null;
        double? between = null;
        if (floorReport is not null && platformReport is not null)
        {
            ratio = Comparison.Of(platformReport, floorReport);
            between = Math.Round((platformReport.StartedUtc - floorReport.StartedUtc).TotalSeconds, 1);
            Console.Out.Write(ratio.ToText(platformReport, floorReport, between.Value));
        }
        if (platformReport is not null)
        {
            Console.Out.Write(Targets.Describe(platformReport, ratio, orders));
        }

        VerificationReport? verification = null;
        if (orders && !o.FloorOnly && o.Verify)
        {
            Console.Error.WriteLine("load: verifying through the API");
            var result = await Verifier.RunAsync(o.Url!, acksPath!, strict: true, TimeSpan.FromSeconds(o.VerifyTimeoutSeconds)).ConfigureAwait(false);
            verification = VerificationReport.From(result);
            Console.Out.Write(verification.ToText());
        }
        if (o.JsonPath is not null)
        {
            new RunReport(o.Command, o.Arguments, machine, runId, o.Seed, o.Mix.ToString(), o.Client, floorReport, platformReport, between, ratio,
                verification, acksPath).Write(o.JsonPath);
            Console.Out.WriteLine($"   report written to {Path.GetFullPath(o.JsonPath)}");
        }
        if (verification is { Passed: false })
        {
            return 1;
        }
        return platformReport is { Ok: 0 } || floorReport is { Ok: 0 } ? 3 : 0;
    }

    /// <summary>Warms up, calls <c>measuring</c> (if any: the platform's writer figures are read then), and runs the measured phase.</summary>
    private static async Task<PhaseResult> MeasureAsync(string target, Uri url, Options o, Pacer pacer, int? serverPid, Func<int, ILoadSession> session,
        Func<Task>? measuring = null)
    {
        var workers = new List<Worker>();
        HttpClient? shared = null;
        try
        {
            using (var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                if (o.Client == "httpclient")
                {
                    shared = HttpClientTransport.CreateClient(o.Connections);
                }
                var endPoint = Loopback.EndPointOf(url);
                for (var i = 0; i < o.Connections; i++)
                {
                    IHttpTransport transport = shared is null
                        ? await RawHttpConnection.ConnectAsync(endPoint, connect.Token).ConfigureAwait(false)
                        : new HttpClientTransport(shared, url);
                    workers.Add(new Worker(i, transport, session(i)));
                }
            }
            var grace = TimeSpan.FromSeconds(o.GraceSeconds);
            if (o.WarmupSeconds > 0)
            {
                Console.Error.WriteLine($"load: {target} warm-up {o.WarmupSeconds} s");
                await PhaseRunner.RunAsync(workers, new PhaseSpec("warm-up", TimeSpan.FromSeconds(o.WarmupSeconds), o.Requests, o.Rate, grace), pacer)
                    .ConfigureAwait(false);
            }
            var mode = o.Rate is { } r ? string.Create(CultureInfo.InvariantCulture, $"open loop at {r}/s") : "closed loop";
            if (measuring is not null)
            {
                await measuring().ConfigureAwait(false);
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load: {target} measuring {o.DurationSeconds} s, {o.Connections} connections, {mode}"));
            return await PhaseRunner.RunAsync(workers, new PhaseSpec("measured", TimeSpan.FromSeconds(o.DurationSeconds), o.Requests, o.Rate, grace),
                pacer, serverPid).ConfigureAwait(false);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.CloseAsync().ConfigureAwait(false);
            }
            shared?.Dispose();
        }
    }
}

/// <summary>The issue's targets for the shape of run just made, and whether this run met them (a description, not a test).</summary>
public static class Targets
{
    public static string Describe(PhaseReport platform, Comparison? ratio, bool orders)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var all = platform.Latency["all"];
        var lines = new List<string>();
        string Met(bool ok) => ok ? "met" : "not met";
        var clean = platform.UnexpectedNon2xx == 0 && platform.ConnectionErrors == 0 && platform.TimedOut == 0 && platform.NotSent == 0;
        if (!orders)
        {
            lines.Add(ratio is null
                ? "authenticated GET >= 0.7x the floor: no floor in this run"
                : Inv($"authenticated GET >= 0.7x the floor: {ratio.Throughput:0.000}x, {Met(ratio.Throughput >= 0.7)}"));
        }
        else if (platform.Mode == "open loop")
        {
            var verdict = platform.OfferedRate >= 5000
                ? ": " + Met(all.P95Ms < 5 && all.P99Ms < 20 && clean)
                : " (offered below the target's rate: not a measurement of it)";
            lines.Add(Inv($"open loop at 5,000/s offered: p95 < 5 ms, p99 < 20 ms, none lost or refused: offered {platform.OfferedRate:0.#}/s, p95 {all.P95Ms:0.00} ms, p99 {all.P99Ms:0.00} ms, {(clean ? "none" : "some")} lost or refused{verdict}"));
        }
        else if (platform.Connections == 1)
        {
            lines.Add(Inv($"one connection, one order at a time: p50 < 2 ms, p99 < 5 ms: p50 {all.P50Ms:0.00} ms, p99 {all.P99Ms:0.00} ms: {Met(all.P50Ms < 2 && all.P99Ms < 5)}"));
        }
        else
        {
            lines.Add(Inv($"closed loop >= 10,000 orders/s: {platform.NewOrdersPerSecond:N0} new orders/s: {Met(platform.NewOrdersPerSecond >= 10_000)}"));
            lines.Add(ratio is null
                ? "closed loop >= 0.5x the floor: no floor in this run"
                : Inv($"closed loop >= 0.5x the floor: {ratio.Throughput:0.000}x: {Met(ratio.Throughput >= 0.5)}"));
        }
        return "== targets (issue 12)\n" + string.Concat(lines.Select(l => "   " + l + "\n"));
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
