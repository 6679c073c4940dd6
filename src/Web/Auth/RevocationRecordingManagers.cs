using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Auth;

/// <summary>
/// OpenIddict's token manager, recording every revocation of one token (<c>/connect/revoke</c>, the portal's logout) and of
/// an authorization's tokens (a replayed refresh token) in <c>token_revocations</c>, so the in-memory revocation set of
/// every node learns of it: whatever inside OpenIddict revokes, it goes through here.
/// </summary>
public sealed class RevocationRecordingTokenManager<TToken>(IOpenIddictTokenCache<TToken> cache, ILogger<OpenIddictTokenManager<TToken>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options, IOpenIddictTokenStore<TToken> store, RevocationLedger ledger, TradSysDbContext db)
    : OpenIddictTokenManager<TToken>(cache, logger, options, store) where TToken : class
{
    public override async ValueTask<bool> TryRevokeAsync(TToken token, CancellationToken cancellationToken = default)
    {
        var id = await GetIdAsync(token, cancellationToken);
        if (id is null)
        {
            return await base.TryRevokeAsync(token, cancellationToken);
        }
        var type = await GetTypeAsync(token, cancellationToken);
        // Added before the store saves the token's new status, so both commit in its one SaveChanges.
        var row = ledger.Add(db, RevocationKind.Token, id, null, $"{type ?? "token"} revoked");
        bool revoked;
        try
        {
            revoked = await base.TryRevokeAsync(token, cancellationToken);
        }
        catch
        {
            Forget(row);
            throw;
        }
        if (!revoked)
        {
            Forget(row);
            return false;
        }
        if (db.Entry(row).State == EntityState.Added)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await ledger.AnnounceAsync(row, cancellationToken);
        return true;
    }

    public override async ValueTask<long> RevokeByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken = default)
    {
        var count = await base.RevokeByAuthorizationIdAsync(identifier, cancellationToken);
        await ledger.RecordAsync(db, RevocationKind.Authorization, identifier, null, "the authorization's tokens revoked", cancellationToken);
        return count;
    }

    private void Forget(TokenRevocation row)
    {
        if (db.Entry(row).State == EntityState.Added)
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }
}

/// <summary>OpenIddict's authorization manager, recording every authorization it revokes (see the token manager).</summary>
public sealed class RevocationRecordingAuthorizationManager<TAuthorization>(IOpenIddictAuthorizationCache<TAuthorization> cache,
    ILogger<OpenIddictAuthorizationManager<TAuthorization>> logger, IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictAuthorizationStore<TAuthorization> store, RevocationLedger ledger, TradSysDbContext db)
    : OpenIddictAuthorizationManager<TAuthorization>(cache, logger, options, store) where TAuthorization : class
{
    public override async ValueTask<bool> TryRevokeAsync(TAuthorization authorization, CancellationToken cancellationToken = default)
    {
        var id = await GetIdAsync(authorization, cancellationToken);
        if (id is null)
        {
            return await base.TryRevokeAsync(authorization, cancellationToken);
        }
        var row = ledger.Add(db, RevocationKind.Authorization, id, null, "authorization revoked");
        bool revoked;
        try
        {
            revoked = await base.TryRevokeAsync(authorization, cancellationToken);
        }
        catch
        {
            Forget(row);
            throw;
        }
        if (!revoked)
        {
            Forget(row);
            return false;
        }
        if (db.Entry(row).State == EntityState.Added)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await ledger.AnnounceAsync(row, cancellationToken);
        return true;
    }

    private void Forget(TokenRevocation row)
    {
        if (db.Entry(row).State == EntityState.Added)
        {
            db.Entry(row).State = EntityState.Detached;
        }
    }
}
