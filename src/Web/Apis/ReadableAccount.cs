using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>An account named in a route (<c>/api/v1/accounts/{accountId}/...</c>) as the caller may read it: a trader their own only.</summary>
internal static class ReadableAccount
{
    /// <summary>The route's account id, or null when it is not a positive whole number.</summary>
    public static long? ParseId(string accountId) =>
        long.TryParse(accountId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    /// <summary>The account (not tracked), or the problem to answer: 400 for a bad id, 404 for none, 403 for a trader's foreign account.</summary>
    public static async Task<(Account? Account, IResult? Problem)> FindAsync(string accountId, ClaimsPrincipal user, TradSysDbContext db,
        CancellationToken ct)
    {
        if (ParseId(accountId) is not { } id)
        {
            return (null, Problems.Invalid("accountId", $"'{accountId}' is not an account id"));
        }
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return (null, Problems.NotFound($"there is no account {id}"));
        }
        var caller = Caller.From(user);
        return caller.SeesOwnAccountsOnly && account.OwnerUserId != caller.UserId ? (null, Problems.NotYourAccount(id)) : (account, null);
    }
}
