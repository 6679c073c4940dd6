using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>Exact decimals without the storage scale: PostgreSQL's numeric(28,8) hands back 79.50000000; the API says 79.5.</summary>
public static class Exact
{
    public static decimal Trim(decimal value) => value / 1.0000000000000000000000000000m;

    public static decimal? Trim(decimal? value) => value is { } v ? Trim(v) : null;
}

/// <summary>A new order. Quantity is in shares and must be a whole number of lots; price is in the instrument's currency.</summary>
/// <param name="AccountId">The account to trade (yours).</param>
/// <param name="ClientOrderId">Your id for the order, unique per account (1-64 characters: letters, digits, . _ : -). Resending the same id returns the first order.</param>
/// <param name="Symbol">Instrument symbol, e.g. COMI (EGX), FAB (ADX), COMI.INT (internal venue).</param>
/// <param name="Side">Buy or Sell.</param>
/// <param name="Type">Limit (default), Market, Stop, StopLimit or MarketToLimit.</param>
/// <param name="TimeInForce">Day (default), Gtc, Gtd (with expireAt), Ioc or Fok.</param>
/// <param name="Price">Limit price: for Limit and StopLimit only.</param>
/// <param name="Quantity">Number of shares.</param>
/// <param name="StopPrice">Trigger price: for Stop and StopLimit only. A buy stop triggers when a trade prints at or above it, a sell stop at or below.</param>
/// <param name="DisplayQuantity">Iceberg: how many shares show in the book at a time (whole lots, less than quantity); limit orders only.</param>
/// <param name="ExpireAt">For Gtd: when the order expires (ISO 8601 with offset).</param>
public sealed record SubmitOrderRequest(long? AccountId, string? ClientOrderId, string? Symbol, string? Side, string? Type,
    string? TimeInForce, decimal? Price, decimal? Quantity, decimal? StopPrice = null, decimal? DisplayQuantity = null,
    DateTimeOffset? ExpireAt = null);

/// <summary>
/// An amend: a new limit price, a new total quantity, or both; for a stop or stop-limit order still waiting for its
/// trigger, also (or only) a new stop price. A stop order has no limit price to amend.
/// </summary>
public sealed record AmendOrderRequest(decimal? Price, decimal? Quantity, decimal? StopPrice = null);

/// <summary>An order's current state.</summary>
public sealed record OrderResponse(long OrderId, string ClientOrderId, long AccountId, string Symbol, string Side, string Type,
    string TimeInForce, decimal? Price, long Quantity, long FilledQuantity, long LeavesQuantity, decimal? AveragePrice,
    string Status, int? RejectCode, string? RejectReason, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<TradeResponse>? Trades,
    decimal? StopPrice = null, long? DisplayQuantity = null, DateTime? ExpireAt = null, DateTime? TriggeredAt = null)
{
    public static OrderResponse From(OrderRecord o, IReadOnlyList<TradeResponse>? trades = null) => new(
        o.Id, o.ClientOrderId, o.AccountId, o.Symbol, o.Side.ToString(), o.Type.ToString(), o.TimeInForce.ToString(), Exact.Trim(o.Price),
        o.Quantity, o.FilledQuantity, o.LeavesQuantity, Exact.Trim(o.AveragePrice), o.Status.ToString(), o.RejectCode, o.RejectReason,
        o.CreatedAt, o.UpdatedAt, trades, Exact.Trim(o.StopPrice), o.DisplayQuantity, o.ExpireAt, o.TriggeredAt);
}

/// <summary>The result of a mass cancel.</summary>
public sealed record MassCancelResponse(int Canceled, IReadOnlyList<long> OrderIds);

/// <summary>One journal entry of an order.</summary>
public sealed record OrderEventResponse(long Sequence, string Kind, string Status, decimal? Price, long Quantity, long FilledQuantity,
    long LeavesQuantity, long? TradeId, decimal? FillPrice, long? FillQuantity, int? ReasonCode, string? Reason, DateTime Timestamp)
{
    public static OrderEventResponse From(OrderEventRecord e) => new(e.Sequence, e.Kind.ToString(), e.Status.ToString(), Exact.Trim(e.Price),
        e.Quantity, e.FilledQuantity, e.LeavesQuantity, e.TradeId, Exact.Trim(e.FillPrice), e.FillQuantity, e.ReasonCode, e.Reason, e.Timestamp);
}

/// <summary>A trade. A trader sees the account ids of their own side only.</summary>
public sealed record TradeResponse(long TradeId, string Symbol, decimal Price, long Quantity, string Currency, long? BuyOrderId,
    long? SellOrderId, long? BuyAccountId, long? SellAccountId, string AggressorSide, DateTime ExecutedAt)
{
    public static TradeResponse From(TradeRecord t, IReadOnlySet<long>? visibleAccounts = null) => new(
        t.Id, t.Symbol, Exact.Trim(t.Price), t.Quantity, t.Currency,
        visibleAccounts is null || visibleAccounts.Contains(t.BuyAccountId) ? t.BuyOrderId : null,
        visibleAccounts is null || visibleAccounts.Contains(t.SellAccountId) ? t.SellOrderId : null,
        visibleAccounts is null || visibleAccounts.Contains(t.BuyAccountId) ? t.BuyAccountId : null,
        visibleAccounts is null || visibleAccounts.Contains(t.SellAccountId) ? t.SellAccountId : null,
        TradeAggressor(t.AggressorSide), t.ExecutedAt);

    /// <summary>The aggressor's side, or "Auction" for a trade of an auction's uncross, which has none.</summary>
    public static string TradeAggressor(Side side) => side == default ? "Auction" : side.ToString();
}

/// <summary>A page of results, newest first.</summary>
public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
