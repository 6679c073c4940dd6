using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TradSys.LoadTest.Measure;
using TradSys.LoadTest.Verify;

namespace TradSys.LoadTest.Load;

/// <summary>Latency figures in milliseconds.</summary>
public sealed record LatencyFigures(long Count, double P50Ms, double P95Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs)
{
    public static LatencyFigures From(LatencyHistogram h)
    {
        ArgumentNullException.ThrowIfNull(h);
        static double Ms(long ns) => Math.Round(ns / 1e6, 3);
        return new(h.Count, Ms(h.ValueAtPercentile(50)), Ms(h.ValueAtPercentile(95)), Ms(h.ValueAtPercentile(99)),
            Ms(h.ValueAtPercentile(99.9)), Ms(h.Max), Math.Round(h.Mean / 1e6, 3));
    }
}

/// <summary>A non-2xx answer that a fill racing the request explains.</summary>
public sealed record ExpectedRefusal(string Request, int Status, string Reason, long Count);

/// <summary>One measured phase against one target (the platform or the floor), as printed and as written by --json.</summary>
public sealed record PhaseReport(
    string Target, string Workload, string Mode, int Connections, double? OfferedRate, double PlannedSeconds,
    DateTime StartedUtc, DateTime EndedUtc, double ElapsedSeconds,
    long Sent, long Answered, long Ok, double RequestsPerSecond, double OkPerSecond, double NewOrdersPerSecond,
    Dictionary<string, LatencyFigures> Latency, Dictionary<string, long> Answers, Dictionary<string, Dictionary<string, long>> Problems,
    List<ExpectedRefusal> ExpectedRefusals, long UnexpectedNon2xx, Dictionary<string, long> NewOrderOutcomes, long Trades, long TradedQuantity,
    long BadReplies, List<string> BadReplySamples, long ConnectionErrors, IReadOnlyList<string> ErrorSamples, long TimedOut, long NotSent,
    long SentAfterPlannedEnd, LatencyFigures? SendLag, int Reconnects, int ConnectionsLeft, long FallbacksToNew,
    double ToolCpuSeconds, double? ServerCpuSeconds, string LoadAverageAfter, List<SecondReport> Timeline)
{
    private static string Name(RequestKind kind) => kind switch
    {
        RequestKind.NewOrder => "new",
        RequestKind.Amend => "amend",
        RequestKind.Cancel => "cancel",
        _ => "quote",
    };

    public static PhaseReport From(string target, string workload, PhaseResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var all = new LatencyHistogram();
        var latency = new Dictionary<string, LatencyFigures>();
        foreach (var (kind, h) in r.Stats.Latency.OrderBy(k => k.Key))
        {
            all.Add(h);
            latency[Name(kind)] = LatencyFigures.From(h);
        }
        latency = new Dictionary<string, LatencyFigures> { ["all"] = LatencyFigures.From(all) }
            .Concat(latency.Count > 1 ? latency : []).ToDictionary();
        var answers = r.Stats.Answers.OrderBy(a => a.Key.Kind).ThenBy(a => a.Key.Status)
            .ToDictionary(a => $"{Name(a.Key.Kind)} {a.Key.Status}", a => a.Value);
        var non2xx = r.Stats.Answers.Where(a => a.Key.Status is < 200 or >= 300).Sum(a => a.Value);
        var expected = r.Stats.ExpectedRefusals.OrderBy(e => e.Key.Kind).ThenBy(e => e.Key.Status)
            .Select(e => new ExpectedRefusal(Name(e.Key.Kind), e.Key.Status, e.Key.Reason, e.Value)).ToList();
        var newOk = r.Stats.Answers.Where(a => a.Key.Kind == RequestKind.NewOrder && a.Key.Status is >= 200 and < 300).Sum(a => a.Value);
        var elapsed = r.ElapsedSeconds > 0 ? r.ElapsedSeconds : 1e-9;
        return new PhaseReport(target, workload, r.Rate is null ? "closed loop" : "open loop", r.Connections, r.Rate, r.PlannedDuration.TotalSeconds,
            r.StartedUtc, r.EndedUtc, Math.Round(r.ElapsedSeconds, 3), r.Sent, r.Answered, r.Ok,
            Math.Round(r.Answered / elapsed, 1), Math.Round(r.Ok / elapsed, 1), Math.Round(newOk / elapsed, 1),
            latency, answers, r.Stats.Problems.OrderBy(p => p.Key).ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value),
            expected, non2xx - expected.Sum(e => e.Count), r.Stats.NewOrderOutcomes.OrderBy(o => o.Key, StringComparer.Ordinal).ToDictionary(),
            r.Stats.Trades, r.Stats.TradedQuantity, r.Stats.BadReplies, r.Stats.BadReplySamples, r.ConnectionErrors, r.ErrorSamples, r.TimedOut,
            r.NotSent, r.SentAfterPlannedEnd, r.Rate is null ? null : LatencyFigures.From(r.SendLag), r.Reconnects, r.ConnectionsLeft,
            r.Stats.FallbacksToNew, Math.Round(r.ToolCpuSeconds, 2), r.ServerCpuSeconds is { } s ? Math.Round(s, 2) : null,
            MachineInfo.LoadAverageNow(),
            [.. r.Stats.Seconds.Select((f, i) => new SecondReport(i, f.Answers, f.Slow, Math.Round(f.MaxNanoseconds / 1e6, 3)))]);
    }

    public string ToText()
    {
        var b = new StringBuilder();
        var what = Workload == "orders" ? "POST/PATCH/DELETE /api/v1/orders" : "GET /api/v1/instruments/{symbol}/quote";
        b.Append(Inv($"== {Target}: {Mode}, {Connections} connection{(Connections == 1 ? "" : "s")}"));
        if (OfferedRate is { } rate)
        {
            b.Append(Inv($", offered {rate:0.#}/s"));
        }
        b.AppendLine(Inv($", {PlannedSeconds:0.#} s planned, {what}"));
        b.AppendLine(Inv($"   {StartedUtc:yyyy-MM-dd HH:mm:ss} - {EndedUtc:HH:mm:ss} UTC; {ElapsedSeconds:0.00} s from the first send to the last answer; load average after: {LoadAverageAfter}"));
        b.Append(Inv($"   {Sent:N0} sent, {Answered:N0} answered, {Ok:N0} 2xx: {RequestsPerSecond:N1} answers/s, {OkPerSecond:N1} 2xx/s"));
        b.AppendLine(Workload == "orders" ? Inv($", {NewOrdersPerSecond:N1} new orders/s (2xx)") : "");
        b.AppendLine(Inv($"   latency (ms){"",-6}{"count",9} {"p50",9} {"p95",9} {"p99",9} {"p99.9",9} {"max",9} {"mean",9}"));
        foreach (var (kind, f) in Latency)
        {
            b.AppendLine(Inv($"     {kind,-15}{f.Count,9} {f.P50Ms,9:0.000} {f.P95Ms,9:0.000} {f.P99Ms,9:0.000} {f.P999Ms,9:0.000} {f.MaxMs,9:0.000} {f.MeanMs,9:0.000}"));
        }
        if (Mode == "open loop")
        {
            b.AppendLine("     (open loop: from each request's intended send time, so time spent waiting behind a slow answer counts)");
            if (SendLag is { } lag)
            {
                b.AppendLine(Inv($"   behind schedule at send (ms): p50 {lag.P50Ms:0.000}, p99 {lag.P99Ms:0.000}, max {lag.MaxMs:0.000}; {SentAfterPlannedEnd:N0} sent after the planned end, {NotSent:N0} never sent (still behind when the grace period ended)"));
            }
        }
        b.AppendLine("   answers: " + string.Join(", ", Answers.Select(a => Inv($"{a.Key} x{a.Value:N0}"))));
        if (NewOrderOutcomes.Count > 0)
        {
            b.AppendLine("   new orders' status in their replies: " + string.Join(", ", NewOrderOutcomes.Select(o => Inv($"{o.Key} {o.Value:N0}"))) +
                         Inv($"; trades in replies {Trades:N0} (quantity {TradedQuantity:N0})"));
        }
        foreach (var (status, texts) in Problems)
        {
            b.AppendLine(Inv($"   {status}:"));
            foreach (var (text, n) in texts)
            {
                b.AppendLine(Inv($"     x{n,-7:N0} {text}"));
            }
        }
        if (ExpectedRefusals.Count > 0)
        {
            b.AppendLine("   of which expected (an amend or cancel racing a fill the connection had not heard of): " +
                         string.Join(", ", ExpectedRefusals.Select(e => Inv($"{e.Request} {e.Status} x{e.Count:N0}"))));
        }
        b.AppendLine(Inv($"   unexpected non-2xx {UnexpectedNon2xx:N0}; bad 2xx replies {BadReplies:N0}; connection errors {ConnectionErrors:N0}; timed out {TimedOut:N0}; reconnects {Reconnects}; connections left {ConnectionsLeft}"));
        foreach (var sample in BadReplySamples)
        {
            b.AppendLine("     bad reply: " + sample);
        }
        foreach (var sample in ErrorSamples)
        {
            b.AppendLine("     connection: " + sample);
        }
        if (FallbacksToNew > 0)
        {
            b.AppendLine(Inv($"   {FallbacksToNew:N0} amends or cancels drawn with no working order known were sent as new orders"));
        }
        AppendTimeline(b);
        var elapsed = Math.Max(ElapsedSeconds, 1e-9);
        b.Append(Inv($"   CPU: tool {ToolCpuSeconds:0.00} s ({100 * ToolCpuSeconds / elapsed:0}% of one core)"));
        b.AppendLine(ServerCpuSeconds is { } server ? Inv($", server {server:0.00} s ({100 * server / elapsed:0}% of one core)") : ", server not measured (--server-pid)");
        return b.ToString();
    }

    /// <summary>
    /// Where in time the slow answers were: the seconds with any answer of 20 ms or more, the worst first (a stall shows
    /// as a few such seconds, a machine at capacity as most of them). Every second is in the --json report.
    /// </summary>
    private void AppendTimeline(StringBuilder b)
    {
        var slow = Timeline.Where(s => s.Slow > 0).ToList();
        if (Timeline.Count == 0)
        {
            return;
        }
        b.Append(Inv($"   timeline: {slow.Count} of {Timeline.Count} seconds had answers of 20 ms or more"));
        if (slow.Count == 0)
        {
            b.AppendLine();
            return;
        }
        b.AppendLine(": " + string.Join(", ", slow.OrderByDescending(s => s.Slow).ThenByDescending(s => s.MaxMs).Take(8)
            .Select(s => Inv($"second {s.Second} ({s.Slow:N0} of {s.Answers:N0}, max {s.MaxMs:0.#} ms)"))) + (slow.Count > 8 ? ", ..." : ""));
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One second of a phase, counted from its start by answer time: answers, those of 20 ms or more, the slowest.</summary>
public sealed record SecondReport(int Second, long Answers, long Slow, double MaxMs);

/// <summary>A whole invocation's report (--json writes it; the text is printed as the phases end).</summary>
public sealed record RunReport(string Command, IReadOnlyList<string> Arguments, MachineInfo Machine, string RunId, int Seed, string Mix, string Client,
    PhaseReport? Floor, PhaseReport? Platform, double? SecondsBetween, Comparison? Ratio, VerificationReport? Verification, string? AcksFile)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Write(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, JsonSerializer.Serialize(this, Json));
    }
}

/// <summary>Platform against floor, measured in the same invocation.</summary>
public sealed record Comparison(double Throughput, double P50, double P99, string Basis)
{
    public static Comparison Of(PhaseReport platform, PhaseReport floor)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(floor);
        var p = platform.Latency["all"];
        var f = floor.Latency["all"];
        static double Ratio(double a, double b) => b <= 0 ? 0 : Math.Round(a / b, 4);
        return new Comparison(Ratio(platform.OkPerSecond, floor.OkPerSecond), Ratio(p.P50Ms, f.P50Ms), Ratio(p.P99Ms, f.P99Ms),
            "throughput = platform 2xx/s / floor 2xx/s; p50 and p99 = platform latency / floor latency");
    }

    public string ToText(PhaseReport platform, PhaseReport floor, double secondsBetween)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(floor);
        var p = platform.Latency["all"];
        var f = floor.Latency["all"];
        return string.Create(CultureInfo.InvariantCulture, $"""
            == platform / floor (measured {secondsBetween:0} s apart, same connections, duration, rate and request mix)
               throughput (2xx/s): {platform.OkPerSecond:N1} / {floor.OkPerSecond:N1} = {Throughput:0.0000}x
               p50 (ms): {p.P50Ms:0.000} / {f.P50Ms:0.000} = {P50:0.00}x; p99 (ms): {p.P99Ms:0.000} / {f.P99Ms:0.000} = {P99:0.00}x

            """);
    }
}

/// <summary>The verification as written by --json.</summary>
public sealed record VerificationReport(string Mode, string? Note, bool Passed, double Seconds, Dictionary<string, long> Figures, List<CheckReport> Checks)
{
    public static VerificationReport From(VerificationResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Mode, r.ModeNote, r.Passed, Math.Round(r.Seconds, 1), r.Figures,
            [.. r.Checks.Select(c => new CheckReport(c.Name, c.Description, c.Checked, c.Failed, c.Samples))]);
    }

    public string ToText()
    {
        var b = new StringBuilder();
        b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"== verification ({Mode}), through the API, {Seconds:0.0} s: {(Passed ? "PASS" : "FAIL")}"));
        if (Note is not null)
        {
            b.AppendLine("   " + Note);
        }
        b.AppendLine("   " + string.Join("; ", Figures.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Value:N0}"))));
        foreach (var c in Checks)
        {
            b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"   [{(c.Failed == 0 ? "ok" : "FAIL")}] {c.Name}: {c.Checked:N0} checked, {c.Failed:N0} wrong ({c.Description})"));
            foreach (var sample in c.Samples)
            {
                b.AppendLine("         " + sample);
            }
        }
        b.AppendLine(Passed ? "verification: PASS" : "verification: FAIL");
        return b.ToString();
    }
}

/// <summary>One check as written by --json.</summary>
public sealed record CheckReport(string Name, string Description, long Checked, long Failed, List<string> Samples);
