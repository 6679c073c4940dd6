using TradSys.Web.Ordering;

namespace TradSys.Web.Observability;

/// <summary>
/// What order entry logs, and the logging scope it logs in: every line written while a new order is entered carries its account
/// id and client order id (and, with <c>Logging:Format=json</c>, the trace and span ids: <see cref="TelemetryExtensions"/>).
/// Nothing here logs a credential: the caller is named by user name only.
/// </summary>
public sealed partial class OrderLog(ILogger<OrderLog> log)
{
    private static readonly Func<ILogger, long, string, IDisposable?> Scope =
        LoggerMessage.DefineScope<long, string>("Order entry on account {AccountId}, client order id {ClientOrderId}");

    /// <summary>The scope of one new order's entry, from its validation to its answer.</summary>
    public IDisposable? Enter(long accountId, string clientOrderId) => Scope(log, accountId, clientOrderId);

    /// <summary>The single writer's answer to a new order (Debug: one line per order).</summary>
    public void Answered(SequencerResult result)
    {
        if (log.IsEnabled(LogLevel.Debug))
        {
            Answered(result.Order?.Id, result.Outcome, result.Order?.Status);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order {OrderId}: {Outcome}, status {Status}")]
    private partial void Answered(long? orderId, SequencerOutcome outcome, OrderStatus? status);

    /// <summary>The writer could not carry the order out (the journal is unavailable, or the platform is stopping).</summary>
    [LoggerMessage(Level = LogLevel.Warning, Message = "Order not carried out: {Reason}")]
    public partial void NotCarriedOut(string reason);
}
