using System.Text.Json;

namespace TradSys.Client;

/// <summary>A message the server sent on <c>/ws</c>, as the client library reads it (docs/streaming.md lists every type).</summary>
public abstract record StreamEvent;

/// <summary>The first message: who the connection is for and its settings.</summary>
public sealed record Welcome(string User, IReadOnlyList<string> Channels, int HeartbeatSeconds, int MaxMessageBytes, DateTimeOffset ExpiresAt) : StreamEvent;

/// <summary>A subscribe or unsubscribe carried out; <see cref="Accounts"/> lists the accounts a per-account subscription covers.</summary>
public sealed record Ack(string Op, string Channel, string? Symbol, long? AccountId, IReadOnlyList<long>? Accounts) : StreamEvent;

/// <summary>One problem of a client message: the field it is about and what is wrong.</summary>
public sealed record FieldProblem(string Field, string Message);

/// <summary>What was wrong with a message the client sent, or why the server is about to close (token_expired, token_revoked, server_shutdown).</summary>
public sealed record StreamError(string Code, string Message, IReadOnlyList<FieldProblem>? Errors) : StreamEvent;

/// <summary>The server's answer to a ping.</summary>
public sealed record Pong(DateTimeOffset Time) : StreamEvent;

/// <summary>Sent every heartbeat interval.</summary>
public sealed record Heartbeat(DateTimeOffset Time) : StreamEvent;

/// <summary>One price level of a snapshot or an update (quantity 0 in an update: the level is gone).</summary>
public sealed record BookLevel(decimal Price, long Quantity, int Orders);

/// <summary>Level 1 of a symbol: best prices, the day's statistics (with its open, high, low and turnover once it has traded), the phase and any indicative auction price.</summary>
public sealed record Quote(decimal? Bid, long BidQuantity, decimal? Ask, long AskQuantity, decimal? Last, long LastQuantity, long Volume,
    long Trades, decimal? Vwap, string? Phase, decimal? IndicativePrice, long IndicativeVolume, DateTime Timestamp,
    decimal? Open = null, decimal? High = null, decimal? Low = null, decimal? Turnover = null);

/// <summary>The top of a symbol's book at <see cref="Sequence"/>; <see cref="Conflated"/>: sent again because this client fell behind.</summary>
public sealed record MarketDataSnapshot(string Symbol, long Sequence, bool Conflated, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks,
    Quote Quote) : StreamEvent;

/// <summary>A symbol's changed levels at <see cref="Sequence"/> (one more than the last) and its new level 1.</summary>
public sealed record MarketDataUpdate(string Symbol, long Sequence, IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks, Quote Quote,
    DateTime Timestamp) : StreamEvent;

/// <summary>One trade of the public tape; trade ids increase.</summary>
public sealed record Trade(string Symbol, long TradeId, decimal Price, long Quantity, string Currency, string AggressorSide, DateTime ExecutedAt) : StreamEvent;

/// <summary>One journal entry (a state change or a fill) of an order on one of the caller's accounts, in journal order.</summary>
public sealed record OrderUpdate(long Sequence, long OrderId, string ClientOrderId, long AccountId, string Symbol, string Side, string Kind,
    string Status, decimal? Price, long Quantity, long FilledQuantity, long LeavesQuantity, long? TradeId, decimal? FillPrice, long? FillQuantity,
    string? Reason, DateTime Timestamp) : StreamEvent;

/// <summary>One position of a portfolio message.</summary>
public sealed record Position(long AccountId, string Symbol, string Currency, long Quantity, decimal? AverageCost, decimal RealisedPnl, decimal Price,
    string PriceSource, decimal MarketValue, decimal UnrealisedPnl, int Trades);

/// <summary>An account's cash and buying power in a portfolio message (each currency's figures are in <see cref="Currencies"/>).</summary>
public sealed record AccountCash(long AccountId, string BaseCurrency, JsonElement Currencies, decimal? Cash, decimal? Reserved, int ReservingOrders,
    decimal CreditLine, decimal? BuyingPower, string? Problem);

/// <summary>One account's portfolio now; each message replaces the last.</summary>
public sealed record Portfolio(long AccountId, long JournalSequence, IReadOnlyList<Position> Positions, AccountCash Cash, DateTimeOffset Timestamp) : StreamEvent;

/// <summary>A risk limit's utilisation crossed a level (Near, Breached, Cleared) for one of the caller's accounts.</summary>
public sealed record Alert(long AlertId, long AccountId, string Limit, string? Symbol, string Scope, string Level, decimal LimitValue, decimal Used,
    string Unit, decimal? UtilisationPct, string Message, DateTime RaisedAt) : StreamEvent;

/// <summary>The connection ended: the server's close code and reason (none when the connection dropped without a close).</summary>
public sealed record Closed(int? Code, string? Reason) : StreamEvent;

/// <summary>A message of a type this version of the library does not know, kept whole.</summary>
public sealed record UnknownEvent(string Type, JsonElement Message) : StreamEvent;

/// <summary>The server refused a subscribe, unsubscribe or ping: its error code, message and every field's problem.</summary>
public sealed class StreamRequestException(StreamError error)
    : Exception($"{error.Code}: {error.Message}" + (error.Errors is { Count: > 0 } e ? " (" + string.Join("; ", e.Select(p => $"{p.Field}: {p.Message}")) + ")" : ""))
{
    /// <summary>What the server answered.</summary>
    public StreamError Error { get; } = error;
}
