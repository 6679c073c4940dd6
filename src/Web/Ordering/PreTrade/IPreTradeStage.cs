using TradSys.Web.Auth;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.PreTrade;

/// <summary>
/// A stage of the order path that runs before the single writer: validate, then (as they are built)
/// risk, rule packs and workflow. Stages run in registration order and the first that does not pass
/// decides. A stage that is not built yet is simply not registered.
/// </summary>
public interface IPreTradeStage
{
    /// <summary>The stage's name in the order path (validate, risk, rules, workflow).</summary>
    string Name { get; }

    ValueTask<StageVerdict> EvaluateAsync(OrderTicket ticket, CancellationToken cancellationToken);
}

/// <summary>A new order as the pre-trade stages see it: parsed, with its reference data (the writer checks the account).</summary>
public sealed record OrderTicket(
    Caller Caller,
    long AccountId,
    TradableInstrument Instrument,
    string ClientOrderId,
    Side Side,
    OrderType Type,
    TimeInForce TimeInForce,
    Price Price,
    Quantity Quantity,
    DateTime ReceivedAtUtc,
    Price StopPrice = default,
    Quantity DisplayQuantity = default,
    long ExpireAt = 0);

/// <summary>A stage's decision. An invalid order is refused with a field-level message and nothing is written.</summary>
public sealed record StageVerdict(bool Passed, RejectCode Code, string? Field, string? Message)
{
    public static readonly StageVerdict Pass = new(true, RejectCode.None, null, null);

    public static StageVerdict Invalid(RejectCode code, string field, string message) => new(false, code, field, message);
}
