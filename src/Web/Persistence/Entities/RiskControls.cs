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
    /// <summary>The instrument's share of the account's portfolio value after the order, percent (<see cref="RiskLimits.MaxConcentrationPct"/>).</summary>
    public decimal? MaxConcentrationPct { get; set; }
    /// <summary>The account's share of the issuer's shares outstanding after the order, percent (<see cref="RiskLimits.MaxIssuerHoldingPct"/>).</summary>
    public decimal? MaxIssuerHoldingPct { get; set; }
    /// <summary>The order's quantity as a share of the instrument's average daily volume, percent (<see cref="RiskLimits.MaxAdvPct"/>).</summary>
    public decimal? MaxAdvPct { get; set; }
    /// <summary>The account's one-day 99% historical VaR (<see cref="RiskLimits.MaxVar"/>): checked by the risk alert monitor, not pre-trade.</summary>
    public decimal? MaxVar { get; set; }
    public required string Reason { get; set; }
    /// <summary>Who proposed this version (the maker).</summary>
    public required string ChangedBy { get; set; }
    /// <summary>When it took effect (when it was approved).</summary>
    public DateTime ChangedAt { get; set; }
    /// <summary>Who approved it (the checker); null for versions set before limits went through maker-checker, and for an instrument's
    /// limits carried to its new symbol by a symbol change (the same values, approved on the old symbol; <see cref="Reason"/> names the
    /// change and the version carried, <see cref="ChangedBy"/> is who applied it).</summary>
    public string? ApprovedBy { get; set; }
    /// <summary>The proposal it came from (<see cref="RiskLimitProposal"/>); null for versions set before maker-checker.</summary>
    public long? ProposalId { get; set; }

    public RiskLimits Limits => new(MaxOrderQuantity, MaxOrderNotional, PriceCollarPct, MaxOpenOrders, MaxOpenNotional, MaxLongPosition, MaxShortPosition,
        MaxConcentrationPct, MaxIssuerHoldingPct, MaxAdvPct, MaxVar);
}

/// <summary>Where a proposed change of limits stands.</summary>
public enum RiskLimitProposalStatus
{
    /// <summary>Waiting for a second risk officer (or an admin) to approve or reject it.</summary>
    Pending = 0,

    /// <summary>Approved by another officer: its limits became a new version (<see cref="RiskLimitProposal.AppliedVersion"/>).</summary>
    Approved = 1,

    /// <summary>Rejected by another officer, with a reason: nothing changed.</summary>
    Rejected = 2,

    /// <summary>Taken back by its own proposer, with a reason, or by a symbol change that delisted its instrument (the reason names the
    /// change; <see cref="RiskLimitProposal.DecidedBy"/> is who applied it): nothing changed.</summary>
    Withdrawn = 3,
}

/// <summary>
/// A proposed new version of a scope's limits (maker-checker, as rule packs): who proposed it, when, why, the whole new limits and
/// the version it was based on. A different risk officer or an admin approves it (the single writer then makes it the next
/// version, effective for the very next order, unless the scope has moved on from <see cref="BasedOnVersion"/>) or rejects it
/// with a reason. Created and decided by the single writer, which keeps the pending ones in memory.
/// </summary>
public sealed class RiskLimitProposal
{
    public long Id { get; set; }
    public RiskScope Scope { get; set; }
    /// <summary>"firm", the client category, the account id or the symbol.</summary>
    public required string Key { get; set; }
    /// <summary>The scope's version when it was proposed (0: no limits yet); approval refuses it once the scope is at another.</summary>
    public int BasedOnVersion { get; set; }
    /// <summary>ISO 4217 currency of the money limits.</summary>
    public required string Currency { get; set; }
    public long? MaxOrderQuantity { get; set; }
    public decimal? MaxOrderNotional { get; set; }
    public decimal? PriceCollarPct { get; set; }
    public int? MaxOpenOrders { get; set; }
    public decimal? MaxOpenNotional { get; set; }
    public long? MaxLongPosition { get; set; }
    public long? MaxShortPosition { get; set; }
    /// <summary>The instrument's share of the account's portfolio value after the order, percent (<see cref="RiskLimits.MaxConcentrationPct"/>).</summary>
    public decimal? MaxConcentrationPct { get; set; }
    /// <summary>The account's share of the issuer's shares outstanding after the order, percent (<see cref="RiskLimits.MaxIssuerHoldingPct"/>).</summary>
    public decimal? MaxIssuerHoldingPct { get; set; }
    /// <summary>The order's quantity as a share of the instrument's average daily volume, percent (<see cref="RiskLimits.MaxAdvPct"/>).</summary>
    public decimal? MaxAdvPct { get; set; }
    /// <summary>The account's one-day 99% historical VaR (<see cref="RiskLimits.MaxVar"/>): checked by the risk alert monitor, not pre-trade.</summary>
    public decimal? MaxVar { get; set; }
    /// <summary>Why the change is proposed (required; becomes the version's reason).</summary>
    public required string Reason { get; set; }
    public required string ProposedBy { get; set; }
    public DateTime ProposedAt { get; set; }
    public RiskLimitProposalStatus Status { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    /// <summary>The checker's comment on an approval, or the reason for a rejection or withdrawal.</summary>
    public string? DecisionReason { get; set; }
    /// <summary>The version it became, once approved.</summary>
    public int? AppliedVersion { get; set; }

    public RiskLimits Limits => new(MaxOrderQuantity, MaxOrderNotional, PriceCollarPct, MaxOpenOrders, MaxOpenNotional, MaxLongPosition, MaxShortPosition,
        MaxConcentrationPct, MaxIssuerHoldingPct, MaxAdvPct, MaxVar);
}
