using System.Diagnostics;
using TradSys.Web.Ordering;

namespace TradSys.Web.Observability;

/// <summary>
/// Traces of the order path on one <see cref="ActivitySource"/> (<see cref="SourceName"/>): one trace per new order, from the
/// HTTP request through the single writer's stages to its commit and publication (docs/metrics.md, "Traces").
/// </summary>
/// <remarks>
/// The writer runs batches on its own thread, so the request's <see cref="ActivityContext"/> travels with the queued command
/// (<see cref="Capture"/>) and the writer starts the order's span under it (<see cref="StartOrder"/>). Each stage becomes a child
/// span after it ran, from the <see cref="Stopwatch"/> timestamps the metrics take anyway (<see cref="Stage"/>), so a stage is
/// timed once for both. The batch's own work (reads, commit, publish) is one span per batch linked to the orders it carried.
/// <para>
/// When nobody listens to the source (tracing off, the default), <see cref="Capture"/> returns <c>default</c> after one flag check
/// and nothing else here is called: no activity, no tag, no allocation.
/// </para>
/// </remarks>
public sealed class OrderTracing : IDisposable
{
    /// <summary>The source's name (what a tracer provider subscribes to).</summary>
    public const string SourceName = "TradSys.OrderPath";

    /// <summary>Span attribute names (OpenTelemetry style: a namespace, then snake case).</summary>
    public const string OrderIdTag = "tradsys.order.id";
    public const string AccountIdTag = "tradsys.account.id";
    public const string ClientOrderIdTag = "tradsys.order.client_order_id";
    public const string SymbolTag = "tradsys.instrument.symbol";
    public const string OutcomeTag = "tradsys.order.outcome";
    public const string StatusTag = "tradsys.order.status";
    public const string RejectCodeTag = "tradsys.order.reject_code";
    public const string BatchSizeTag = "tradsys.writer.batch.size";

    private static readonly string[] StageNames =
        [.. Enum.GetValues<OrderStage>().Select(s => "order " + s.ToString().ToLowerInvariant())];

    private readonly ActivitySource _source = new(SourceName);

    // A Stopwatch timestamp and the UTC time it stood for, taken at the start of each traced batch: a stage's span is placed in
    // time from its Stopwatch timestamps (the clock the metrics read) without reading the wall clock per stage.
    private long _anchorTicks;
    private DateTime _anchorUtc;

    /// <summary>True when some tracer provider or listener subscribes to the order path (one flag check).</summary>
    public bool Enabled => _source.HasListeners();

    /// <summary>The current request's trace context, to queue with a command; <c>default</c> when tracing is off.</summary>
    public ActivityContext Capture() => _source.HasListeners() && Activity.Current is { } current ? current.Context : default;

    /// <summary>
    /// The span of one batch of the single writer (reads, every command, commit, publish), linked to the orders it carried; the
    /// database's and the bus's spans of the batch nest under it. Null when nobody listens.
    /// </summary>
    public Activity? StartBatch(int commands)
    {
        if (!_source.HasListeners())
        {
            return null;
        }
        _anchorTicks = Stopwatch.GetTimestamp();
        _anchorUtc = DateTime.UtcNow;
        // The writer's loop carries no request's context: a batch is a trace of its own.
        var previous = Activity.Current;
        Activity.Current = null;
        var batch = _source.StartActivity("order_writer batch", ActivityKind.Internal);
        if (batch is null)
        {
            Activity.Current = previous;
            return null;
        }
        batch.SetTag(BatchSizeTag, commands);
        return batch;
    }

    /// <summary>
    /// Starts a new order's span in the writer, as a child of the request's context <paramref name="parent"/> (a root when the
    /// command came with none). It does not become the current activity: the batch's stays current, so the commit's database
    /// spans nest under the batch. Null when nobody listens or the sampler dropped it.
    /// </summary>
    public Activity? StartOrder(ActivityContext parent, SubmitCommand order, Activity? batch)
    {
        if (!_source.HasListeners())
        {
            return null;
        }
        var previous = Activity.Current;
        Activity.Current = null;
        // Placed in time like its stages (from the Stopwatch), so that they lie within it exactly.
        var activity = _source.StartActivity("order submit", ActivityKind.Internal, parent, startTime: At(Stopwatch.GetTimestamp()));
        Activity.Current = previous;
        if (activity is null)
        {
            return null;
        }
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(AccountIdTag, order.AccountId);
            activity.SetTag(ClientOrderIdTag, order.ClientOrderId);
            activity.SetTag(SymbolTag, order.Instrument.Symbol);
        }
        if (batch is not null)
        {
            batch.AddLink(new ActivityLink(activity.Context));
        }
        return activity;
    }

    /// <summary>A stage of <paramref name="order"/> that ran from <paramref name="started"/> to <paramref name="ended"/> (Stopwatch timestamps).</summary>
    public void Stage(Activity order, OrderStage stage, long started, long ended)
    {
        if (!order.IsAllDataRequested)
        {
            return;
        }
        var previous = Activity.Current;
        var span = _source.StartActivity(StageNames[(int)stage], ActivityKind.Internal, order.Context, startTime: At(started));
        if (span is not null)
        {
            span.SetEndTime(At(ended));
            span.Stop();
        }
        Activity.Current = previous;
    }

    /// <summary>What the writer decided on the order: its id, status, reject code and the writer's outcome.</summary>
    public static void Decided(Activity order, SequencerResult result)
    {
        if (!order.IsAllDataRequested)
        {
            return;
        }
        order.SetTag(OutcomeTag, result.Outcome.ToString());
        if (result.Order is { } record)
        {
            order.SetTag(OrderIdTag, record.Id);
            order.SetTag(StatusTag, record.Status.ToString());
            if (record.RejectCode is { } code && code != 0)
            {
                order.SetTag(RejectCodeTag, code);
            }
        }
        else if (result.Code != RejectCode.None)
        {
            order.SetTag(RejectCodeTag, (int)result.Code);
        }
    }

    /// <summary>Ends an order's span after its batch was committed and published (or failed: <paramref name="failure"/>).</summary>
    public void End(Activity order, long committing, long committed, long published, Exception? failure)
    {
        if (failure is null)
        {
            Stage(order, OrderStage.Commit, committing, committed);
            Stage(order, OrderStage.Publish, committed, published);
        }
        else
        {
            order.SetStatus(ActivityStatusCode.Error, "the batch was not committed; the order was not carried out");
            order.AddException(failure);
        }
        order.SetEndTime(At(published));
        var previous = Activity.Current;
        order.Stop();
        Activity.Current = previous;
    }

    private DateTime At(long timestamp) => _anchorUtc + Stopwatch.GetElapsedTime(_anchorTicks, timestamp);

    public void Dispose() => _source.Dispose();
}
