namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One version of an account's onboarding and KYC data, written with every create or edit through /api/v1/accounts (issue 14):
/// who made the change, when, why, which fields changed and the account before (null for the version that created it) and after,
/// as the JSON of <c>AccountDetailResponse</c>. Version numbers run 1, 2, ... per account; an account seeded or loaded before
/// this table existed starts at version 0 (its first edit records the state it had). A unique (account, version) index turns two
/// concurrent edits of one account into one version and a conflict.
/// </summary>
public sealed class AccountVersion
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public int Version { get; set; }
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
    public required string Reason { get; set; }
    /// <summary>The request fields whose value changed (all of them for a create).</summary>
    public List<string> ChangedFields { get; set; } = [];
    /// <summary>The account before the change (JSON), null for the version that created it.</summary>
    public string? Before { get; set; }
    /// <summary>The account after the change (JSON).</summary>
    public required string After { get; set; }
}
