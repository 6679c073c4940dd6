using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TradSys.Web.Auth;

/// <summary>
/// Who is calling, from the validated access token. A trader's view of orders, trades and accounts is
/// limited to the accounts they own; every other role reads the whole firm, read-only.
/// </summary>
public sealed record Caller(long UserId, string UserName, IReadOnlySet<string> Roles)
{
    public bool IsTrader => Roles.Contains(Auth.Roles.Trader);

    /// <summary>True when reads must be limited to the caller's own accounts.</summary>
    public bool SeesOwnAccountsOnly => IsTrader && !Roles.Overlaps([Auth.Roles.Admin, Auth.Roles.Compliance, Auth.Roles.Regulator, Auth.Roles.Viewer]);

    public static Caller From(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst(Claims.Subject)?.Value
            ?? throw new InvalidOperationException("authenticated principal without a subject claim");
        return new Caller(
            long.Parse(subject, System.Globalization.CultureInfo.InvariantCulture),
            principal.FindFirst(Claims.Name)?.Value ?? subject,
            principal.FindAll(Claims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The accounts whose orders and trades the caller may read: their own for a trader, null (all) for the read-only roles.</summary>
    public async Task<long[]?> ReadableAccountsAsync(TradSysDbContext db, CancellationToken cancellationToken) =>
        SeesOwnAccountsOnly ? await OwnAccountIdsAsync(db, cancellationToken) : null;

    public Task<long[]> OwnAccountIdsAsync(TradSysDbContext db, CancellationToken cancellationToken) =>
        db.Accounts.AsNoTracking().Where(a => a.OwnerUserId == UserId).Select(a => a.Id).ToArrayAsync(cancellationToken);
}
