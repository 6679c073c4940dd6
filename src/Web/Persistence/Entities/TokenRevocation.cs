namespace TradSys.Web.Persistence.Entities;

/// <summary>What a <see cref="TokenRevocation"/> names.</summary>
public enum RevocationKind
{
    /// <summary>One token, by its OpenIddict token id (<c>oi_tkn_id</c>): the portal's logout, <c>/connect/revoke</c>.</summary>
    Token = 1,

    /// <summary>
    /// Every token of one authorization (<c>oi_au_id</c>): the portal's code-flow session, revoked when its refresh token
    /// is replayed.
    /// </summary>
    Authorization = 2,

    /// <summary>
    /// Every access token of one user issued with a token version below <see cref="TokenRevocation.MinimumVersion"/>: a role
    /// change, a deactivation, a password reset.
    /// </summary>
    Subject = 3,
}

/// <summary>
/// One revocation, appended (never changed) in the transaction that decided it, so every node can keep its in-memory
/// revocation set current from this table (polled with a cursor) besides the bus message it also gets.
/// </summary>
public sealed class TokenRevocation
{
    /// <summary>Ascending in insertion order: the nodes' polling cursor.</summary>
    public long Id { get; set; }
    public RevocationKind Kind { get; set; }
    /// <summary>The token id, the authorization id, or the user id (<c>sub</c>).</summary>
    public required string Value { get; set; }
    /// <summary>For <see cref="RevocationKind.Subject"/>: tokens carrying a lower token version are revoked.</summary>
    public long? MinimumVersion { get; set; }
    /// <summary>When it was recorded (UTC); rows older than the longest access-token lifetime no longer matter.</summary>
    public DateTime RecordedAt { get; set; }
    /// <summary>Why, in words (never a secret or a token).</summary>
    public required string Reason { get; set; }
}
