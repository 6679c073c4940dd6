using TradSys.Engine.Risk.PreTrade;

namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A trading status set for the firm, a trader or an account (the kill switch), appended (never changed) by the single writer
/// in the batch that made it effective: the latest row per scope and key is the status now; the rows are its history.
/// </summary>
public sealed class TradingStatusRecord
{
    public long Id { get; set; }
    public RiskScope Scope { get; set; }
    /// <summary>"firm", the account id or the user id.</summary>
    public required string Key { get; set; }
    public TradingStatus Status { get; set; }
    /// <summary>Why, in words (required).</summary>
    public required string Reason { get; set; }
    /// <summary>Who set it (user name).</summary>
    public required string SetBy { get; set; }
    public DateTime SetAt { get; set; }
}

/// <summary>
/// One version of a scope's pre-trade limits (the firm, a client category, an account or an instrument), appended by the single
/// writer in the batch that made it effective: the highest version per scope and key is in force; earlier versions are its
/// history. A null limit sets nothing at that scope.
/// </summary>
public sealed class RiskLimitRecord
{
    public long Id { get; set; }
    public RiskScope Scope { get; set; }
    /// <summary>"firm", the client category, the account id or the symbol.</summary>
    public required string Key { get; set; }
    /// <summary>1 for the first limits of the scope, then one more for each change.</summary>
    public int Version { get; set; }
    /// <summary>ISO 4217 currency of the money limits.</summary>
    public required string Currency { get; set; }
    public long? MaxOrderQuantity { get; set; }
    public decimal? MaxOrderNotional { get; set; }
    public decimal? PriceCollarPct { get; set; }
    public int? MaxOpenOrders { get; set; }
    public decimal? MaxOpenNotional { get; set; }
    public long? MaxLongPosition { get; set; }
    public long? MaxShortPosition { get; set; }
    public required string Reason { get; set; }
    public required string ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }

    public RiskLimits Limits => new(MaxOrderQuantity, MaxOrderNotional, PriceCollarPct, MaxOpenOrders, MaxOpenNotional, MaxLongPosition, MaxShortPosition);
}
