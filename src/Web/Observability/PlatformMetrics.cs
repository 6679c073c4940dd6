using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using TradSys.Rules.Compilation;
using TradSys.Rules.Evaluation;
using TradSys.Web.Ordering;

namespace TradSys.Web.Observability;

/// <summary>A stage of the order path, as the <c>stage</c> tag of <c>tradsys.order_path.stage.duration</c> names it.</summary>
public enum OrderStage
{
    Validate,
    Risk,
    Rules,
    Workflow,
    Match,
    Commit,
    Publish,
}

/// <summary>
/// The platform's own instruments, on one <see cref="Meter"/> (<see cref="MeterName"/>), exported for Prometheus at <c>/metrics</c>
/// (<see cref="TelemetryExtensions"/>; every name, unit and tag is listed in docs/metrics.md).
/// </summary>
/// <remarks>
/// Called from the single writer's hot path, so nothing here allocates per call: every tag is a precomputed key/value pair
/// (a string value is not boxed), times are <see cref="Stopwatch.GetTimestamp"/> differences, counts are added once per batch
/// where they can be, and a histogram that nobody listens to (no exporter subscribed) is skipped after one flag check.
/// The meter comes from the host's <see cref="IMeterFactory"/>, so it lives and dies with the host.
/// </remarks>
public sealed class PlatformMetrics
{
    /// <summary>The meter's name (what an exporter subscribes to).</summary>
    public const string MeterName = "TradSys";

    /// <summary>Bucket bounds for latencies in seconds: 1 µs to 10 s (the defaults are meant for milliseconds).</summary>
    private static readonly double[] SecondsBuckets =
    [
        0.000_001, 0.000_002_5, 0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5,
        0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ];

    /// <summary>Bucket bounds for batch sizes: powers of two up to the writer's largest batch.</summary>
    private static readonly long[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private static readonly KeyValuePair<string, object?>[] StageTags =
        [.. Enum.GetValues<OrderStage>().Select(s => new KeyValuePair<string, object?>("stage", s.ToString().ToLowerInvariant()))];

    /// <summary>The <c>reason</c> tag of a rejection: the engine's reason code name (validation, risk, rule packs, matching).</summary>
    private static readonly FrozenDictionary<RejectCode, KeyValuePair<string, object?>> ReasonTags =
        Enum.GetValues<RejectCode>().ToFrozenDictionary(c => c, c => new KeyValuePair<string, object?>("reason", c.ToString()));

    private static readonly FrozenDictionary<SequencerOutcome, KeyValuePair<string, object?>> OutcomeTags =
        Enum.GetValues<SequencerOutcome>().ToFrozenDictionary(c => c, c => new KeyValuePair<string, object?>("reason", c.ToString()));

    private static readonly KeyValuePair<string, object?> UnknownReason = new("reason", "Other");

    /// <summary>The <c>outcome</c> tag of a rule that threw while it was evaluated (the order is blocked: fail closed).</summary>
    private static readonly KeyValuePair<string, object?> FaultOutcome = new("outcome", "Fault");

    /// <summary>
    /// Each compiled rule's tags, made the first time it fires and kept as long as the rule is (a hot swap's new rule set brings
    /// new rules; the old ones' tags go with them): the rules stage records a hit without allocating.
    /// </summary>
    private readonly ConditionalWeakTable<CompiledRule, RuleTags> _ruleTags = new();

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _trades;
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _orderDuration;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly UpDownCounter<long> _webSockets;
    private readonly Counter<long> _ruleHits;

    public PlatformMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _received = _meter.CreateCounter<long>("tradsys.orders.received", "{order}",
            "New orders the single writer decided and committed (resends of an earlier order included).");
        _rejected = _meter.CreateCounter<long>("tradsys.orders.rejected", "{order}",
            "New orders rejected, by reason: validation, risk, rule packs or the engine (reason is the reject code's name).");
        _trades = _meter.CreateCounter<long>("tradsys.trades", "{trade}", "Trades committed by the single writer.");
        _stageDuration = _meter.CreateHistogram("tradsys.order_path.stage.duration", "s",
            "Time spent in one stage of the order path: per order for validate, risk, rules, workflow and match; per batch for commit and publish.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _orderDuration = _meter.CreateHistogram("tradsys.order_path.duration", "s",
            "A new order from entering the writer's queue to its durable answer (queue, batch, every stage, commit).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _batchSize = _meter.CreateHistogram("tradsys.writer.batch.size", "{command}",
            "Commands in one committed batch of the single writer.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
        _commitDuration = _meter.CreateHistogram("tradsys.writer.commit.duration", "s",
            "Time to commit one batch (one transaction, durable).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _webSockets = _meter.CreateUpDownCounter<long>("tradsys.websocket.connections", "{connection}", "Open WebSocket connections on /ws.");
        _ruleHits = _meter.CreateCounter<long>("tradsys.rules.hits", "{hit}",
            "Rules that fired on an order (new or amended), by pack, rule and outcome (Block, Review, Report, Warn; Fault for a rule that threw).");
    }

    /// <summary>Watches the FIX sessions: <c>tradsys.fix.sessions</c> by <c>state</c>, read from <paramref name="byState"/> at each scrape.</summary>
    public void ObserveFixSessions(Func<IEnumerable<Measurement<int>>> byState) =>
        _meter.CreateObservableGauge("tradsys.fix.sessions", byState, "{session}", "FIX sessions on this node by state (Disconnected, AwaitingLogon, LogonSent, Active, LogoutSent).");

    /// <summary>
    /// Watches the journal's publication: <c>tradsys.outbox.lag</c> (journal entries committed by the writer and not yet published
    /// on the bus) is read from <paramref name="lag"/> at each scrape.
    /// </summary>
    public void ObserveOutbox(Func<long> lag) =>
        _meter.CreateObservableGauge("tradsys.outbox.lag", lag, "{entry}", "Journal entries committed by the single writer and not yet published on the bus.");

    /// <summary>Watches the writer's queue: <c>tradsys.writer.queue.depth</c> is read from it at each scrape.</summary>
    public void ObserveWriterQueue(Func<int> depth) =>
        _meter.CreateObservableGauge("tradsys.writer.queue.depth", depth, "{command}", "Commands waiting for the single writer.");

    /// <summary>Records the time since <paramref name="started"/> for <paramref name="stage"/> and returns now (the next stage's start).</summary>
    public long Stage(OrderStage stage, long started)
    {
        var now = Stopwatch.GetTimestamp();
        if (_stageDuration.Enabled)
        {
            _stageDuration.Record(Stopwatch.GetElapsedTime(started, now).TotalSeconds, StageTags[(int)stage]);
        }
        return now;
    }

    /// <summary>One committed batch: its size, its commit time and the new orders and trades it held.</summary>
    public void BatchCommitted(int commands, TimeSpan commit, int orders, int trades)
    {
        _batchSize.Record(commands);
        var seconds = commit.TotalSeconds;
        _commitDuration.Record(seconds);
        _stageDuration.Record(seconds, StageTags[(int)OrderStage.Commit]);
        if (orders > 0)
        {
            _received.Add(orders);
        }
        if (trades > 0)
        {
            _trades.Add(trades);
        }
    }

    /// <summary>A committed new order was rejected for <paramref name="reason"/>.</summary>
    public void Rejected(RejectCode reason) => _rejected.Add(1, ReasonTags.TryGetValue(reason, out var tag) ? tag : UnknownReason);

    /// <summary>
    /// A new order refused before validation (the account unknown, not the caller's or closed; a client order id reused with
    /// other terms): the <c>reason</c> tag is the outcome's name.
    /// </summary>
    public void Refused(SequencerOutcome outcome) => _rejected.Add(1, OutcomeTags.TryGetValue(outcome, out var tag) ? tag : UnknownReason);

    /// <summary>A new order's answer came back, <paramref name="queued"/> being when it entered the writer's queue.</summary>
    public void OrderAnswered(long queued)
    {
        if (_orderDuration.Enabled)
        {
            _orderDuration.Record(Stopwatch.GetElapsedTime(queued).TotalSeconds);
        }
    }

    /// <summary>
    /// The rules that fired in <paramref name="decision"/> (and the one that threw, if any), one hit each, tagged with the pack,
    /// the rule and its outcome. Called by the rules stage on the single writer's thread; allocates nothing after a rule's first hit.
    /// </summary>
    public void RuleHits(RuleDecision decision)
    {
        if (!_ruleHits.Enabled)
        {
            return;
        }
        for (var i = 0; i < decision.FiredCount; i++)
        {
            var tags = TagsOf(decision.FiredRule(i));
            _ruleHits.Add(1, tags.Pack, tags.Rule, tags.Outcome);
        }
        if (decision.FaultedRule is { } faulted)
        {
            var tags = TagsOf(faulted);
            _ruleHits.Add(1, tags.Pack, tags.Rule, FaultOutcome);
        }
    }

    private RuleTags TagsOf(CompiledRule rule) => _ruleTags.GetValue(rule, static r => new RuleTags(r));

    public void WebSocketOpened() => _webSockets.Add(1);

    public void WebSocketClosed() => _webSockets.Add(-1);
}

/// <summary>A rule's tags on <c>tradsys.rules.hits</c>: its pack's id, its own id and its outcome.</summary>
internal sealed class RuleTags(CompiledRule rule)
{
    public KeyValuePair<string, object?> Pack { get; } = new("pack", rule.Pack.Id);

    public KeyValuePair<string, object?> Rule { get; } = new("rule", rule.Id);

    public KeyValuePair<string, object?> Outcome { get; } = new("outcome", rule.Outcome.ToString());
}
