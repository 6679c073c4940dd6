using TradSys.Web.Fix.Venues;

namespace TradSys.Web.Ordering;

/// <summary>
/// What an exchange reported about a routed order (an ExecutionReport or OrderCancelReject), applied by the single writer:
/// the order's new state and its fill (a trade, in the same tables as the internal ones), exactly once per ExecID.
/// </summary>
public sealed record VenueExecutionCommand(VenueExecution Execution) : SequencerCommand("venue:" + Execution.Session);

/// <summary>
/// A routed order's NewOrderSingle could not be sent after its commit (the session dropped in between): the order is rejected
/// with <see cref="RejectCode.VenueUnavailable"/> and the reason, unless the venue has already answered for it. For a cancel or
/// replace (<paramref name="RequestClOrdId"/> set) the order keeps its state and its pending request is dropped, saying why.
/// </summary>
public sealed record VenueSendFailedCommand(string Session, long OrderId, string Reason, string? RequestClOrdId = null) : SequencerCommand("venue:" + Session);

/// <summary>
/// A venue's session has logged on (after a drop, or at the platform's start): every routed order the platform believes open on
/// it gets an OrderStatusRequest (35=H), sent after this command's commit and so after every request committed before it, and
/// the venue's Order Status reports reconcile the orders (<see cref="VenueExecutions"/>).
/// </summary>
public sealed record VenueReconcileCommand(string Session) : SequencerCommand("venue:" + Session);
