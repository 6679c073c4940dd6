using System.Text.Json;
using System.Text.Json.Serialization;
using TradSys.Contracts;
using TradeExecuted = TradSys.Contracts.TradeExecuted;

namespace TradSys.Web.Streaming;

/// <summary>
/// The JSON messages of <c>/ws</c> (docs/streaming.md and the AsyncAPI document at <c>/asyncapi/v1.json</c> describe them).
/// Every server message has a <c>type</c>; channel messages also name their <c>channel</c>. Absent optional fields are
/// omitted, never written as null.
/// </summary>
public static class StreamMessages
{
    /// <summary>The channels a client may subscribe to.</summary>
    public const string MarketData = "market_data";
    /// <summary>The public tape of one symbol.</summary>
    public const string Trades = "trades";
    /// <summary>The caller's own accounts' order updates and fills (all accounts for the firm-wide read-only roles).</summary>
    public const string OrderUpdates = "order_updates";
    /// <summary>Risk alerts on the caller's own accounts (all accounts for the firm-wide read-only roles), as they are raised.</summary>
    public const string Alerts = "alerts";
    /// <summary>One of the caller's accounts: its positions with P&amp;L, cash and buying power, sent whole whenever they may have changed.</summary>
    public const string Portfolio = "portfolio";

    /// <summary>Every channel, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> Channels = [MarketData, Trades, OrderUpdates, Portfolio, Alerts];

    /// <summary>
    /// The channels that are per account rather than per symbol: order_updates and alerts take an accountId or none (all the caller's
    /// accounts); portfolio takes exactly one.
    /// </summary>
    public static bool PerAccount(string channel) => channel is OrderUpdates or Alerts or Portfolio;

    /// <summary>Every <c>type</c> a server message can have.</summary>
    public static readonly IReadOnlyList<string> ServerTypes =
        ["welcome", "ack", "error", "pong", "heartbeat", "snapshot", "update", "trade", "order_update", "portfolio", "alert", "order_result"];

    /// <summary>The serializer settings of every message (camelCase, nulls omitted).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A message as UTF-8 JSON, ready to send to any number of connections.</summary>
    public static byte[] Serialize<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Json);

    /// <summary>A market-data update from one symbol's changes at one sequence (depth may have no changes).</summary>
    public static UpdateMessage Update(QuoteUpdated quote, DepthUpdated? depth) =>
        new(quote.Symbol, quote.Sequence, depth?.Bids ?? [], depth?.Asks ?? [], Level1(quote), quote.Timestamp);

    /// <summary>Level 1 of a quote message.</summary>
    public static Level1 Level1(QuoteUpdated q) =>
        new(q.Bid, q.BidQuantity, q.Ask, q.AskQuantity, q.Last, q.LastQuantity, q.Volume, q.Trades, q.Vwap, q.Phase, q.IndicativePrice,
            q.IndicativeVolume, q.Timestamp, q.Open, q.High, q.Low, q.Turnover);

    /// <summary>A trade on the public tape (no accounts, no order ids).</summary>
    public static TradeMessage Trade(TradeExecuted t) =>
        new(t.Symbol, t.TradeId, t.Price, t.Quantity, t.Currency, t.AggressorSide, t.ExecutedAt);

    /// <summary>One journal entry of an order.</summary>
    public static OrderUpdateMessage OrderUpdate(OrderUpdated u) =>
        new(u.Sequence, u.OrderId, u.ClientOrderId, u.AccountId, u.Symbol, u.Side, u.Kind, u.Status, u.Price, u.Quantity,
            u.FilledQuantity, u.LeavesQuantity, u.TradeId, u.FillPrice, u.FillQuantity, u.Reason, u.Timestamp);

    /// <summary>A risk alert as the alerts channel sends it.</summary>
    public static AlertMessage Alert(RiskAlertRaised a) =>
        new(a.AlertId, a.AccountId, a.Limit, a.Symbol, a.Scope, a.Level, a.LimitValue, a.Used, a.Unit, a.UtilisationPct, a.Message, a.RaisedAt);
}

/// <summary>Sent once, first: who the connection is for and its settings.</summary>
public sealed record WelcomeMessage(string User, IReadOnlyList<string> Channels, int HeartbeatSeconds, int MaxMessageBytes, DateTimeOffset ExpiresAt)
{
    public string Type => "welcome";
}

/// <summary>A subscribe or unsubscribe carried out.</summary>
public sealed record AckMessage(JsonElement? Id, string Op, string Channel, string? Symbol, long? AccountId, IReadOnlyList<long>? Accounts)
{
    public string Type => "ack";
}

/// <summary>One problem of a client message: the field it is about and what is wrong.</summary>
public sealed record FieldProblem(string Field, string Message);

/// <summary>
/// What was wrong with a client message (the connection stays open), or why the server is about to close the connection
/// (token_expired, token_revoked, server_shutdown). <see cref="Errors"/> lists every field's problem at once.
/// </summary>
public sealed record ErrorMessage(JsonElement? Id, string Code, string Message, IReadOnlyList<FieldProblem>? Errors = null)
{
    public string Type => "error";
}

/// <summary>
/// The answer to order.new, order.amend or order.cancel: REST's own answer to the same request (<see cref="SocketOrderEntry"/>), its
/// HTTP <see cref="Status"/>, its JSON <see cref="Body"/> (the order, or problem details naming what was wrong) and Retry-After.
/// </summary>
public sealed record OrderResultMessage(JsonElement? Id, string Op, int Status, int? RetryAfter, JsonElement? Body, bool? Replayed = null)
{
    public string Type => "order_result";
}

/// <summary>The answer to a ping.</summary>
public sealed record PongMessage(JsonElement? Id, DateTimeOffset Time)
{
    public string Type => "pong";
}

/// <summary>Sent every heartbeat interval, whatever else is sent.</summary>
public sealed record HeartbeatMessage(DateTimeOffset Time)
{
    public string Type => "heartbeat";
}

/// <summary>One price level of a snapshot.</summary>
public sealed record LevelMessage(decimal Price, long Quantity, int Orders);

/// <summary>Level 1 of a symbol: best prices, the day's statistics, the phase and any indicative auction price.</summary>
public sealed record Level1(decimal? Bid, long BidQuantity, decimal? Ask, long AskQuantity, decimal? Last, long LastQuantity, long Volume,
    long Trades, decimal? Vwap, string? Phase, decimal? IndicativePrice, long IndicativeVolume, DateTime Timestamp,
    decimal? Open = null, decimal? High = null, decimal? Low = null, decimal? Turnover = null);

/// <summary>
/// The whole top of a symbol's book (up to 10 levels a side) and its level 1 at <see cref="Sequence"/>: sent first after a
/// subscribe, and again, flagged <see cref="Conflated"/>, when a slow client's queue skipped updates (the latest state, not the
/// backlog). Apply the updates whose sequence is greater; on a gap, subscribe again for a new snapshot.
/// </summary>
public sealed record SnapshotMessage(string Symbol, long Sequence, bool Conflated, IReadOnlyList<LevelMessage> Bids, IReadOnlyList<LevelMessage> Asks,
    Level1 Quote)
{
    public string Type => "snapshot";
    public string Channel => StreamMessages.MarketData;
}

/// <summary>
/// A symbol's changes at <see cref="Sequence"/> (one more than the last): the changed levels with their new totals (quantity 0:
/// the level is gone) and the new level 1.
/// </summary>
public sealed record UpdateMessage(string Symbol, long Sequence, IReadOnlyList<DepthLevelChange> Bids, IReadOnlyList<DepthLevelChange> Asks,
    Level1 Quote, DateTime Timestamp)
{
    public string Type => "update";
    public string Channel => StreamMessages.MarketData;
}

/// <summary>One trade of the public tape; trade ids increase.</summary>
public sealed record TradeMessage(string Symbol, long TradeId, decimal Price, long Quantity, string Currency, string AggressorSide, DateTime ExecutedAt)
{
    public string Type => "trade";
    public string Channel => StreamMessages.Trades;
}

/// <summary>One journal entry of one of the caller's orders (a state change or a fill), in journal order.</summary>
public sealed record OrderUpdateMessage(long Sequence, long OrderId, string ClientOrderId, long AccountId, string Symbol, string Side, string Kind,
    string Status, decimal? Price, long Quantity, long FilledQuantity, long LeavesQuantity, long? TradeId, decimal? FillPrice, long? FillQuantity,
    string? Reason, DateTime Timestamp)
{
    public string Type => "order_update";
    public string Channel => StreamMessages.OrderUpdates;
}

/// <summary>
/// A risk limit's utilisation crossed a level for one of the caller's accounts: Near (80 %), Breached (100 %) or Cleared (back under 80 %,
/// or the limit no longer applies). The same alert as <c>GET /api/v1/risk/alerts</c> lists (by <see cref="AlertId"/>), where it is
/// acknowledged; alerts raised while a client was not connected are read there.
/// </summary>
public sealed record AlertMessage(long AlertId, long AccountId, string Limit, string? Symbol, string Scope, string Level, decimal LimitValue,
    decimal Used, string Unit, decimal? UtilisationPct, string Message, DateTime RaisedAt)
{
    public string Type => "alert";
    public string Channel => StreamMessages.Alerts;
}

/// <summary>
/// One account's portfolio now: every position it has traded (open and closed, as <c>GET /api/v1/positions?accountId=</c> lists
/// them, valued at the last price of the day or the reference price) and its cash and buying power (as
/// <c>GET /api/v1/accounts/{id}/cash</c>). Sent first after a subscribe, then whenever it may have changed (an order update of the
/// account, a trade in an instrument it holds, a deposit or withdrawal), at most every few hundred milliseconds; each message
/// replaces the last. <see cref="JournalSequence"/>: every journal entry up to it is reflected.
/// </summary>
public sealed record PortfolioMessage(long AccountId, long JournalSequence, IReadOnlyList<TradSys.Web.Apis.PositionResponse> Positions,
    TradSys.Web.Apis.CashResponse Cash, DateTimeOffset Timestamp)
{
    public string Type => "portfolio";
    public string Channel => StreamMessages.Portfolio;
}
