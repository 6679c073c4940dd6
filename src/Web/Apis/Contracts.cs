using TradSys.Web.Ordering.Rules;
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
/// <param name="ShortMarking">Sells only: Long (you own the shares), Short, or ShortExempt (Reg SHO 200(g); MiFIR field 62). Where the SEC pack applies an unmarked sell is blocked.</param>
/// <param name="LocateId">Short sales: the locate or borrow reference (1-64 characters).</param>
/// <param name="UsesMargin">True when the order uses margin (borrowed money). Default false.</param>
/// <param name="Advised">True when the order results from advice or a discretionary mandate rather than execution-only. Default false.</param>
/// <param name="CounterpartyLei">OTC and derivative orders: the other counterparty's 20-character LEI (ISO 17442).</param>
/// <param name="Uti">A pre-agreed unique transaction identifier (letters and digits; EMIR Refit allows at most 52, which the EMIR pack enforces).</param>
/// <param name="Cleared">True when the trade will be cleared by a CCP. Default false.</param>
/// <param name="MarkupBps">Mark-up charged over the execution price, basis points (0-10000). Default 0.</param>
/// <param name="MarkupDisclosed">True when the mark-up was disclosed to the client before the order. Default false.</param>
public sealed record SubmitOrderRequest(long? AccountId, string? ClientOrderId, string? Symbol, string? Side, string? Type,
    string? TimeInForce, decimal? Price, decimal? Quantity, decimal? StopPrice = null, decimal? DisplayQuantity = null,
    DateTimeOffset? ExpireAt = null, string? ShortMarking = null, string? LocateId = null, bool? UsesMargin = null, bool? Advised = null,
    string? CounterpartyLei = null, string? Uti = null, bool? Cleared = null, decimal? MarkupBps = null, bool? MarkupDisclosed = null);

/// <summary>
/// An amend: a new limit price, a new total quantity, or both; for a stop or stop-limit order still waiting for its
/// trigger, also (or only) a new stop price. A stop order has no limit price to amend.
/// </summary>
public sealed record AmendOrderRequest(decimal? Price, decimal? Quantity, decimal? StopPrice = null);

/// <summary>
/// An order's current state. <c>RuleOutcome</c> is the rule packs' outcome (Pass, Warn, Report, Review, Block; null for
/// orders from before the rules stage); <c>Decision</c>, the whole decision with its explanation, is given by
/// GET /api/v1/orders/{id} and the submit reply only (lists stay compact), as is <c>Review</c> for an order that was held
/// (why, and where its workflow is: state, open task, approvals so far).
/// </summary>
public sealed record OrderResponse(long OrderId, string ClientOrderId, long AccountId, string Symbol, string Side, string Type,
    string TimeInForce, decimal? Price, long Quantity, long FilledQuantity, long LeavesQuantity, decimal? AveragePrice,
    string Status, int? RejectCode, string? RejectReason, DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<TradeResponse>? Trades,
    decimal? StopPrice = null, long? DisplayQuantity = null, DateTime? ExpireAt = null, DateTime? TriggeredAt = null,
    string? ShortMarking = null, string? LocateId = null, bool UsesMargin = false, bool Advised = false, string? CounterpartyLei = null,
    string? Uti = null, bool Cleared = false, decimal MarkupBps = 0, bool MarkupDisclosed = false,
    string? RuleOutcome = null, RuleDecisionResponse? Decision = null, OrderReviewResponse? Review = null, string? CancelReason = null,
    string? VenuePending = null)
{
    public static OrderResponse From(OrderRecord o, IReadOnlyList<TradeResponse>? trades = null, StoredDecision? decision = null,
        OrderReviewResponse? review = null) => new(
        o.Id, o.ClientOrderId, o.AccountId, o.Symbol, o.Side.ToString(), o.Type.ToString(), o.TimeInForce.ToString(), Exact.Trim(o.Price),
        o.Quantity, o.FilledQuantity, o.LeavesQuantity, Exact.Trim(o.AveragePrice), o.Status.ToString(), o.RejectCode, o.RejectReason,
        o.CreatedAt, o.UpdatedAt, trades, Exact.Trim(o.StopPrice), o.DisplayQuantity, o.ExpireAt, o.TriggeredAt,
        o.ShortMarking == TradSys.Rules.Context.ShortMarking.None ? null : o.ShortMarking.ToString(), o.LocateId, o.UsesMargin, o.IsAdvised,
        o.CounterpartyLei, o.Uti, o.IsCleared, Exact.Trim(o.MarkupBps), o.MarkupDisclosed,
        o.RuleOutcome, decision is null ? null : RuleDecisionResponse.From(decision), review, o.CancelReason, o.VenuePending);
}

/// <summary>
/// The rule packs' decision on an order. <c>Outcome</c>: Pass, Warn, Report, Review (held: status PendingReview) or Block
/// (status Rejected). <c>Reasons</c>: the Block and Review rules that fired; <c>Warnings</c>: the Warn rules, for the
/// trader; <c>ReportTags</c>: the Report rules (the order is tagged for those regulatory reports); <c>Packs</c>: every
/// pack and version applied; <c>Explanation</c>: every fired rule with the input values it read.
/// </summary>
public sealed record RuleDecisionResponse(string Outcome, DateTime DecidedAt, IReadOnlyList<RuleReasonResponse> Reasons,
    IReadOnlyList<RuleReasonResponse> Warnings, IReadOnlyList<string> ReportTags, IReadOnlyList<StoredPack> Packs,
    IReadOnlyList<StoredRule> Explanation, string? Fault)
{
    public static RuleDecisionResponse From(StoredDecision d) => new(d.Outcome, d.DecidedAt,
        [.. d.Rules.Where(r => r.Outcome is "Block" or "Review").Select(RuleReasonResponse.From)],
        [.. d.Rules.Where(r => r.Outcome == "Warn").Select(RuleReasonResponse.From)],
        [.. d.Rules.Where(r => r.Outcome == "Report").Select(r => r.RuleId)],
        d.Packs, d.Rules, d.Fault);
}

/// <summary>One fired rule as a reason: its reason code and message, the pack and version, and the article it enforces.</summary>
public sealed record RuleReasonResponse(string Code, string Message, string Rule, string Outcome, string Pack, string Version, string Article)
{
    public static RuleReasonResponse From(StoredRule r) => new(r.ReasonCode, r.Message, r.RuleId, r.Outcome, r.PackId, r.PackVersion, r.Regulation);
}

/// <summary>What the rule packs would decide on an order (POST /api/v1/orders/check): nothing was stored.</summary>
public sealed record OrderCheckResponse(string Outcome, RuleDecisionResponse Decision);

/// <summary>
/// A sample order for the rule editor (POST /api/v1/rulepacks/order-context): what the published packs decide now, and the
/// whole OrderContext they read (account, instrument, venue, market state and the account's aggregates as the single writer
/// holds them), to send as <c>order</c> to <c>POST /api/v1/rulepacks/dry-run</c> with a draft. Nothing was stored.
/// </summary>
public sealed record OrderContextResponse(string Outcome, RuleDecisionResponse Decision, System.Text.Json.JsonElement Context);

/// <summary>
/// The result of a mass cancel: the orders canceled (<paramref name="Canceled"/>, <paramref name="OrderIds"/>); the routed ones whose
/// cancel went to their venue (<paramref name="CancelRequested"/>: pending cancel, canceled when the venue confirms); and the routed
/// ones not canceled, each with why (<paramref name="NotCanceled"/>: e.g. the venue's session is down).
/// </summary>
public sealed record MassCancelResponse(int Canceled, IReadOnlyList<long> OrderIds, IReadOnlyList<long>? CancelRequested = null,
    IReadOnlyList<string>? NotCanceled = null);

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

/// <summary>Who the token belongs to (<c>GET /api/v1/me</c>): the user, their display name, their roles (sorted).</summary>
public sealed record CallerResponse(long UserId, string UserName, string? DisplayName, IReadOnlyList<string> Roles);
