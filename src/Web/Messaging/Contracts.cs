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
/// (or a volatility suspension), the indicative auction price and the volume that would execute at it now; and the venue-local
/// trading day's open, high, low and turnover, so that a node following the bus answers the REST quote with the writer's figures.
/// </summary>
/// <param name="Symbol">The instrument.</param>
/// <param name="Sequence">The instrument's market-data sequence (as <see cref="DepthUpdated.Sequence"/>).</param>
/// <param name="Bid">The best bid; null when there is none.</param>
/// <param name="BidQuantity">The quantity at the best bid.</param>
/// <param name="Ask">The best ask; null when there is none.</param>
/// <param name="AskQuantity">The quantity at the best ask.</param>
/// <param name="Last">The trading day's last trade price; null before its first trade.</param>
/// <param name="LastQuantity">The last trade's quantity.</param>
/// <param name="Volume">The trading day's traded quantity.</param>
/// <param name="Trades">The trading day's number of trades.</param>
/// <param name="Vwap">The trading day's volume-weighted average price; null before its first trade.</param>
/// <param name="Timestamp">When the batch that changed it started (UTC).</param>
/// <param name="Phase">The venue's phase then, or Suspended.</param>
/// <param name="IndicativePrice">During a call or a suspension, the price the auction would uncross at now.</param>
/// <param name="IndicativeVolume">The volume that would execute at <paramref name="IndicativePrice"/>.</param>
/// <param name="Open">The trading day's first trade price; null before its first trade.</param>
/// <param name="High">The trading day's highest trade price; null before its first trade.</param>
/// <param name="Low">The trading day's lowest trade price; null before its first trade.</param>
/// <param name="Turnover">The trading day's traded value (price x quantity, in the instrument's currency; 0 before its first
/// trade). Null only in a message from a writer that predates these four fields: a follower cannot answer a quote from it.</param>
public sealed record QuoteUpdated(string Symbol, long Sequence, decimal? Bid, long BidQuantity, decimal? Ask, long AskQuantity,
    decimal? Last, long LastQuantity, long Volume, long Trades, decimal? Vwap, DateTime Timestamp, string? Phase = null,
    decimal? IndicativePrice = null, long IndicativeVolume = 0, decimal? Open = null, decimal? High = null, decimal? Low = null,
    decimal? Turnover = null);

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

/// <summary>
/// A node that does not write the books (a standby of a cluster) asks the node that does for its market-data snapshots: it has
/// just started, or its view of an instrument lost track (a gap in the market-data sequence, or a new writer whose sequences
/// start again). Published to every node; only the node that leads answers, with a <see cref="MarketDataCommitted"/> carrying
/// every instrument's <see cref="MarketDataSnapshot"/>.
/// </summary>
/// <param name="Node">The asking node's name (for the logs).</param>
/// <param name="At">When it asked (UTC).</param>
public sealed record MarketDataSnapshotRequested(string Node, DateTime At);

/// <summary>An instrument's top levels and level 1 at market-data sequence <see cref="Sequence"/> on the node that writes the books.</summary>
/// <param name="Symbol">The instrument.</param>
/// <param name="Sequence">The market-data sequence the levels and the quote are at.</param>
/// <param name="Bids">Top bid levels, best first.</param>
/// <param name="Asks">Top ask levels, best first.</param>
/// <param name="Quote">The level-1 message of that sequence.</param>
public sealed record MarketDataSnapshot(string Symbol, long Sequence, IReadOnlyList<DepthLevelChange> Bids, IReadOnlyList<DepthLevelChange> Asks,
    QuoteUpdated Quote);

/// <summary>
/// A cluster's market data between nodes (issue 17): what the writer's node published in one go, as one message, so a node that
/// follows the bus sees a batch's depth change with its quote and in the writer's order (the separate <see cref="DepthUpdated"/>
/// and <see cref="QuoteUpdated"/> messages go to different exchanges, whose relative order a consumer cannot rely on). Published
/// only when the platform runs as a cluster.
/// </summary>
/// <param name="Epoch">The writer's term (its lease epoch; 0 on a single node): market-data sequences count per writer process, so
/// a follower that sees another epoch starts its view again from a snapshot.</param>
/// <param name="Depth">The batch's depth changes (at most one per instrument, at the sequence of its quote).</param>
/// <param name="Quotes">The batch's level-1 messages, one per instrument it touched.</param>
/// <param name="Snapshots">Whole views of the books, in answer to a <see cref="MarketDataSnapshotRequested"/>; otherwise empty.</param>
public sealed record MarketDataCommitted(long Epoch, IReadOnlyList<DepthUpdated> Depth, IReadOnlyList<QuoteUpdated> Quotes,
    IReadOnlyList<MarketDataSnapshot> Snapshots);
