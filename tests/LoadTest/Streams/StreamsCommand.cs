using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using TradSys.Client;
using TradSys.LoadTest.Load;
using TradSys.LoadTest.Measure;
using TradSys.LoadTest.Verify;

namespace TradSys.LoadTest.Streams;

/// <summary>
/// <c>ws</c>: the real-time gateway under subscribers (issue 17). Opens the subscribers with the typed client library
/// (tests/Client), reads the platform's memory before and after, then offers crossing orders through REST at a fixed rate and
/// measures what every subscriber receives: messages a second, and the latency of trades and market-data updates.
/// </summary>
public static class StreamsCommand
{
    private const int Senders = 32;

    public static async Task<int> RunAsync(StreamsOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var limit = FileLimit.Raise((ulong)o.Subscribers + 1_024);
        if (limit < (ulong)o.Subscribers + 64)
        {
            throw new InvalidOperationException($"the open-file limit is {limit} and cannot be raised to {o.Subscribers + 1_024} (its hard limit): run with fewer subscribers or raise it (ulimit -Hn)");
        }
        using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(o.DurationSeconds + 600));
        using var api = new ApiClient(o.Url!);
        var viewer = await api.TokenAsync("viewer1", "viewer1-demo-secret", cut.Token).ConfigureAwait(false);
        var buyer = await api.TokenAsync("trader1", "trader1-demo-secret", cut.Token).ConfigureAwait(false);
        var seller = await api.TokenAsync("trader2", "trader2-demo-secret", cut.Token).ConfigureAwait(false);
        var instruments = new List<ApiInstrument>();
        foreach (var symbol in o.Symbols)
        {
            instruments.Add(await api.InstrumentAsync(symbol, viewer, cut.Token).ConfigureAwait(false));
        }

        var measure = new StreamMeasure();
        var ws = new UriBuilder(o.Url!) { Scheme = "ws", Path = "/ws" }.Uri;
        var rssBefore = ResidentBytes(o.ServerPid);
        Console.Error.WriteLine($"load ws: opening {o.Subscribers:N0} subscribers on {ws} ({string.Join(",", o.Channels)} of {string.Join(",", o.Symbols)}), {o.ConnectParallel} at a time");
        var connectWatch = Stopwatch.StartNew();
        var streams = new TradSysStream?[o.Subscribers];
        var failures = new Dictionary<string, int>();
        using (var gate = new SemaphoreSlim(o.ConnectParallel))
        {
            await Task.WhenAll(Enumerable.Range(0, o.Subscribers).Select(async i =>
            {
                await gate.WaitAsync(cut.Token).ConfigureAwait(false);
                TradSysStream? stream = null;
                try
                {
                    stream = await TradSysStream.ConnectAsync(ws, viewer, cut.Token, raw: m => measure.Observe(m.Span, i)).ConfigureAwait(false);
                    var symbol = instruments[i % instruments.Count].Symbol;
                    foreach (var channel in o.Channels)
                    {
                        await stream.SubscribeAsync(new Subscription(channel, Symbol: symbol), cut.Token).ConfigureAwait(false);
                    }
                    streams[i] = stream;
                }
                catch (Exception ex) when (ex is StreamConnectException or StreamRequestException or OperationCanceledException or IOException
                                               or TimeoutException)
                {
                    // Connected but not subscribed: closed, so it neither counts nor holds a connection.
                    if (stream is not null)
                    {
                        await stream.DisposeAsync().ConfigureAwait(false);
                    }
                    lock (failures)
                    {
                        failures[ex.Message] = failures.GetValueOrDefault(ex.Message) + 1;
                    }
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }
        var connected = streams.Count(s => s is not null);
        var connectSeconds = connectWatch.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(o.IdleSeconds), cut.Token).ConfigureAwait(false);
        var rssAfter = ResidentBytes(o.ServerPid);
        var drops = streams.Where(s => s is not null).Select(s => WatchAsync(s!)).ToList();

        Console.Error.WriteLine($"load ws: {connected:N0} connected in {connectSeconds:0.0} s; offering {o.Rate:N0} orders/s for {o.DurationSeconds} s");
        var cpuBefore = CpuSeconds(o.ServerPid);
        measure.Measuring = true;
        var measured = Stopwatch.StartNew();
        var orders = await OfferOrdersAsync(o, instruments, buyer, seller, cut.Token).ConfigureAwait(false);
        // Let the last trades reach every subscriber.
        await Task.Delay(TimeSpan.FromSeconds(2), cut.Token).ConfigureAwait(false);
        measure.Measuring = false;
        var seconds = measured.Elapsed.TotalSeconds;
        var cpu = CpuSeconds(o.ServerPid) - cpuBefore;
        var dropped = drops.Where(d => d.IsCompleted).Select(d => d.Result).GroupBy(c => $"{c.Code} {c.Reason}").ToDictionary(g => g.Key, g => g.Count());

        var report = new StreamsReport(o.Subscribers, connected, connectSeconds, failures, o.Symbols, o.Channels, o.Rate, o.DurationSeconds, seconds,
            orders.Sent, orders.Accepted, orders.Refused, measure.Trades, measure.Updates, measure.Snapshots, measure.Conflated, measure.Heartbeats,
            measure.Bytes, LatencyFigures.From(measure.TradeLatency()), LatencyFigures.From(measure.UpdateLatency()),
            rssBefore, rssAfter, cpu, dropped, MachineInfo.LoadAverageNow());
        Console.Out.Write(report.ToText());
        if (o.JsonPath is not null)
        {
            await File.WriteAllTextAsync(o.JsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cut.Token)
                .ConfigureAwait(false);
        }

        Console.Error.WriteLine("load ws: closing the subscribers");
        using (var gate = new SemaphoreSlim(o.ConnectParallel))
        {
            await Task.WhenAll(streams.Where(s => s is not null).Select(async s =>
            {
                await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await s!.DisposeAsync().ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
        }
        return connected == o.Subscribers && dropped.Count == 0 && orders.Refused.Count == 0 ? 0 : 1;
    }

    /// <summary>Completes with how the connection ended if it ends during the run (read from the typed events the tool does not consume).</summary>
    private static async Task<Closed> WatchAsync(TradSysStream stream)
    {
        await foreach (var e in stream.ReadAllAsync().ConfigureAwait(false))
        {
            if (e is Closed closed)
            {
                return closed;
            }
        }
        return stream.Closed ?? new Closed(null, "ended");
    }

    private sealed record Offered(long Sent, long Accepted, Dictionary<string, long> Refused);

    /// <summary>
    /// Order k of the run is due at start + k / rate: even k a buy of trader1 (account 1001), odd k a sell of trader2 (account 2001),
    /// at the instrument's reference price and one lot, so each pair trades. Symbols take turns by pair.
    /// </summary>
    private static async Task<Offered> OfferOrdersAsync(StreamsOptions o, List<ApiInstrument> instruments, string buyer, string seller, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, MaxConnectionsPerServer = Senders })
        {
            BaseAddress = o.Url,
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var pacer = new Pacer();
        var total = (long)(o.Rate * o.DurationSeconds);
        var interval = Stopwatch.Frequency / o.Rate;
        var start = Stopwatch.GetTimestamp();
        var run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        long next = -1, accepted = 0;
        var refused = new Dictionary<string, long>();
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(async _ =>
        {
            while (true)
            {
                var k = Interlocked.Increment(ref next);
                if (k >= total || cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                await pacer.WaitUntilAsync(start + (long)(k * interval)).ConfigureAwait(false);
                var instrument = instruments[(int)(k / 2 % instruments.Count)];
                var buy = k % 2 == 0;
                var body = JsonSerializer.Serialize(new
                {
                    accountId = buy ? 1001 : 2001,
                    clientOrderId = string.Create(CultureInfo.InvariantCulture, $"ws{run}-{k}"),
                    symbol = instrument.Symbol,
                    side = buy ? "Buy" : "Sell",
                    type = "Limit",
                    timeInForce = "Gtc",
                    price = instrument.ReferencePrice,
                    quantity = instrument.LotSize,
                });
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", buy ? buyer : seller);
                string? problem;
                try
                {
                    using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    problem = response.StatusCode == HttpStatusCode.Created ? null : $"{(int)response.StatusCode} {Trim(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))}";
                }
                catch (HttpRequestException ex)
                {
                    problem = "no answer: " + ex.Message;
                }
                if (problem is null)
                {
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    lock (refused)
                    {
                        refused[problem] = refused.GetValueOrDefault(problem) + 1;
                    }
                }
            }
        })).ConfigureAwait(false);
        return new Offered(Math.Min(total, next), accepted, refused);
    }

    private static string Trim(string text) => text.Length <= 200 ? text : text[..200] + "...";

    /// <summary>The process's resident set in bytes (VmRSS), or null without a process id.</summary>
    private static long? ResidentBytes(int? pid)
    {
        if (pid is null)
        {
            return null;
        }
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return null;
    }

    /// <summary>The process's CPU seconds (user + system) from /proc/PID/stat, or null without a process id.</summary>
    private static double? CpuSeconds(int? pid)
    {
        if (pid is null)
        {
            return null;
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
