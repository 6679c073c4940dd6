namespace TradSys.Contracts;

/// <summary>
/// One entry of the order journal, as published inside <see cref="JournalCommitted"/> after it is durable. Delivery is at
/// least once: consumers de-duplicate on <see cref="Sequence"/>.
/// </summary>
public sealed record OrderUpdated(long Sequence, long OrderId, string ClientOrderId, long AccountId, string Symbol, string Side,
    string Kind, string Status, decimal? Price, long Quantity, long FilledQuantity, long LeavesQuantity, long? TradeId,
    decimal? FillPrice, long? FillQuantity, string? Reason, DateTime Timestamp);

/// <summary>One trade, as published inside <see cref="JournalCommitted"/> after it is durable; at least once, de-duplicate on <see cref="TradeId"/>.</summary>
public sealed record TradeExecuted(long TradeId, string Symbol, decimal Price, long Quantity, string Currency, long BuyOrderId,
    long SellOrderId, long BuyAccountId, long SellAccountId, string AggressorSide, DateTime ExecutedAt);

/// <summary>
/// The message the order journal is published in: a contiguous run of journal entries and the trades committed with them,
/// one message for what the single writer committed in one batch (up to <see cref="MaxEntries"/> entries and trades a
/// message; a larger batch, or a catch-up from the database, goes as several, in order). Messages are published in
/// journal order. Delivery is at least once: a message may repeat entries already delivered (after a restart of the
/// publisher), so consumers de-duplicate on <see cref="OrderUpdated.Sequence"/> and <see cref="TradeExecuted.TradeId"/>.
/// </summary>
/// <param name="Updates">Journal entries in sequence order, without gaps between consecutive messages' entries.</param>
/// <param name="Trades">Trades in id order.</param>
public sealed record JournalCommitted(IReadOnlyList<OrderUpdated> Updates, IReadOnlyList<TradeExecuted> Trades)
{
    /// <summary>The most journal entries and trades together in one message.</summary>
    public const int MaxEntries = 1000;
}

/// <summary>One changed price level: the new total at that price (0 when the level is gone).</summary>
public sealed record DepthLevelChange(decimal Price, long Quantity, int Orders);

/// <summary>
/// Level-2 changes of one instrument after a committed batch, top levels only (the depth endpoint's
/// snapshot has the same shape). <see cref="Sequence"/> counts this instrument's market-data updates
/// from 1 since the process started: a consumer that sees a gap, or a restart (sequence back to 1),
/// takes a new snapshot from GET /api/v1/instruments/{symbol}/depth.
/// </summary>
public sealed record DepthUpdated(string Symbol, long Sequence, IReadOnlyList<DepthLevelChange> Bids,
    IReadOnlyList<DepthLevelChange> Asks, DateTime Timestamp);

/// <summary>
/// Level 1 of one instrument after a committed batch that changed it, with its trading phase and, during a call auction
/// (or a volatility suspension), the indicative auction price and the volume that would execute at it now.
/// </summary>
public sealed record QuoteUpdated(string Symbol, long Sequence, decimal? Bid, long BidQuantity, decimal? Ask, long AskQuantity,
    decimal? Last, long LastQuantity, long Volume, long Trades, decimal? Vwap, DateTime Timestamp, string? Phase = null,
    decimal? IndicativePrice = null, long IndicativeVolume = 0);

/// <summary>
/// A token revocation, published to every node after the transaction that recorded it (<c>token_revocations</c> row
/// <see cref="Id"/>) committed. Each node consumes it on its own temporary queue; a node that misses it reads the row
/// from the table within a poll interval. Applying it twice changes nothing.
/// </summary>
/// <param name="Id">The row's id in <c>token_revocations</c>.</param>
/// <param name="Kind">Token, Authorization or Subject.</param>
/// <param name="Value">The token id, the authorization id, or the user id.</param>
/// <param name="MinimumVersion">For Subject: tokens carrying a lower token version are revoked.</param>
/// <param name="RecordedAt">When the revocation was recorded (UTC).</param>
public sealed record TokenRevoked(long Id, string Kind, string Value, long? MinimumVersion, DateTime RecordedAt);

/// <summary>
/// A risk limit's utilisation crossed a level for an account (Near: 80%, Breached: 100%, Cleared: back under 80%), published once per
/// crossing by the risk alert monitor after the alert is stored.
/// </summary>
public sealed record RiskAlertRaised(long AlertId, long AccountId, string Limit, string? Symbol, string Scope, string Level, decimal LimitValue,
    decimal Used, string Unit, decimal? UtilisationPct, string Message, DateTime RaisedAt);
