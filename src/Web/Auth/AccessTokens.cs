using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TradSys.Web.Auth;

/// <summary>Claims TradSys adds to its access tokens.</summary>
public static class TokenClaims
{
    /// <summary>The user's <see cref="Persistence.Entities.User.TokenVersion"/> when the token was issued.</summary>
    public const string Version = "tradsys_tv";
}

/// <summary>A validated access token: its principal and what the revocation check reads.</summary>
public sealed record AccessTokenEntry(ClaimsPrincipal Principal, DateTimeOffset ExpiresAt, string? TokenId, string? AuthorizationId,
    string? Subject, long Version)
{
    /// <summary>The entry of a principal OpenIddict validated, or null when it has no expiry (never cached, never accepted).</summary>
    public static AccessTokenEntry? From(ClaimsPrincipal principal)
    {
        if (principal.GetExpirationDate() is not { } expires)
        {
            return null;
        }
        var version = long.TryParse(principal.GetClaim(TokenClaims.Version), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return new AccessTokenEntry(principal, expires, principal.GetTokenId(), principal.GetAuthorizationId(),
            principal.GetClaim(Claims.Subject), version);
    }
}

/// <summary>Settings of the validated-token cache (configuration section <c>Auth:TokenCache</c>).</summary>
public sealed class AccessTokenCacheOptions
{
    /// <summary>Most tokens kept; beyond it expired entries go first, then an arbitrary half.</summary>
    public int MaxEntries { get; set; } = 10_000;
}

/// <summary>
/// Access tokens already validated on this node, by their exact text, until they expire: the signature is checked once
/// per token and node, not once per request. Revocation is not cached: <see cref="BearerTokenHandler"/> checks the
/// <see cref="RevocationSet"/> on every request, cached or not.
/// </summary>
public sealed class AccessTokenCache(IOptions<AccessTokenCacheOptions> options)
{
    private readonly ConcurrentDictionary<string, AccessTokenEntry> _entries = new(StringComparer.Ordinal);
    private readonly int _max = Math.Max(16, options.Value.MaxEntries);
    private readonly Lock _sweep = new();

    /// <summary>The entry of <paramref name="token"/> if it is cached and not expired (without allocating the key).</summary>
    public bool TryGet(ReadOnlySpan<char> token, DateTimeOffset now, out AccessTokenEntry entry)
    {
        var lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(token, out entry!) && entry.ExpiresAt > now)
        {
            return true;
        }
        entry = null!;
        return false;
    }

    /// <summary>Caches a validated token; keeps the cache within its bound.</summary>
    public void Add(string token, AccessTokenEntry entry, DateTimeOffset now)
    {
        if (_entries.Count >= _max)
        {
            Sweep(now);
        }
        _entries[token] = entry;
    }

    /// <summary>How many tokens are cached.</summary>
    public int Count => _entries.Count;

    private void Sweep(DateTimeOffset now)
    {
        lock (_sweep)
        {
            if (_entries.Count < _max)
            {
                return;
            }
            foreach (var (key, value) in _entries)
            {
                if (value.ExpiresAt <= now)
                {
                    _entries.TryRemove(key, out _);
                }
            }
            var excess = _entries.Count - _max / 2;
            if (excess <= 0 || _entries.Count < _max * 3 / 4)
            {
                return;
            }
            // Still full of live tokens: drop half; they are validated again (one signature check each) when next seen.
            foreach (var key in _entries.Keys)
            {
                if (excess-- <= 0)
                {
                    break;
                }
                _entries.TryRemove(key, out _);
            }
        }
    }
}

/// <summary>
/// The API's bearer authentication, the default scheme. Accepts an access token in the <c>Authorization</c> header only
/// (RFC 6750 section 2.1): a token in the query string or a form body is refused with <c>invalid_request</c>, because URLs
/// and bodies end up in logs and Referer headers. A token seen before on this node comes from <see cref="AccessTokenCache"/>;
/// a new one is validated by OpenIddict's validation handler (signature with the server's keys, issuer, lifetime: no
/// database read) and cached until it expires. Every request, cached or not, is checked against the
/// <see cref="RevocationSet"/>, so a revoked token, a deactivated user or a changed role stops at the next request.
/// </summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokenCache cache, RevocationSet revocations, TimeProvider clock, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "TradSys.Bearer";

    private const string AccessTokenParameter = "access_token";
    private const string BearerPrefix = "Bearer ";

    /// <summary>Why a bearer authentication failed, in OAuth's terms (RFC 6750 section 3.1).</summary>
    private sealed class BearerFailure(string error, string description) : Exception(description)
    {
        public string Error { get; } = error;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Query.ContainsKey(AccessTokenParameter))
        {
            return Refuse(Errors.InvalidRequest, "access tokens are accepted in the Authorization header only (Authorization: Bearer <token>), " +
                                                  "never in the query string: URLs end up in logs and Referer headers");
        }
        // The API takes JSON: only form posts (the sign-in pages, the portal) pay for this look into the body.
        if (Request.HasFormContentType && (await Request.ReadFormAsync(Context.RequestAborted)).ContainsKey(AccessTokenParameter))
        {
            return Refuse(Errors.InvalidRequest, "access tokens are accepted in the Authorization header only (Authorization: Bearer <token>), " +
                                                  "never in a form body");
        }
        var header = Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }
        var value = header.Count == 1 ? header[0] : null;
        if (value is null || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var (start, length) = TokenRange(value);
        if (length == 0)
        {
            return Refuse(Errors.InvalidRequest, "the Authorization header names no token after 'Bearer'");
        }

        var now = clock.GetUtcNow();
        if (!cache.TryGet(value.AsSpan(start, length), now, out var entry))
        {
            if (await OfferToValidationAsync() is { } refused)
            {
                return refused;
            }
            var validated = await Context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
            if (!validated.Succeeded || AccessTokenEntry.From(validated.Principal) is not { } fresh)
            {
                var description = validated.Properties?.GetString(OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription);
                return Refuse(Errors.InvalidToken, description ?? "the access token is not valid (malformed, not signed by this platform, or expired)");
            }
            entry = fresh;
            cache.Add(value.Substring(start, length), entry, now);
        }
        if (!revocations.IsCurrent(now))
        {
            return Refuse(Errors.InvalidToken, "revocations could not be confirmed recently (the database is unreachable): try again shortly");
        }
        if (revocations.IsRevoked(entry))
        {
            return Refuse(Errors.InvalidToken, "the access token was revoked (sign-out, a change to the user's roles or activity, or a password reset): get a new one");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(entry.Principal.Clone(), SchemeName));
    }

    /// <summary>
    /// OpenIddict's validation handler checks a token inside the transaction it opens when it is offered the request (the
    /// authentication middleware offers every request outside <c>/api</c>; <see cref="ApiAuthentication"/> leaves it to this
    /// handler, for the new tokens only). Null when it is ready; a refusal if the validation handler answered the request
    /// itself, which it does only for a request it cannot read at all (no host).
    /// </summary>
    private async Task<AuthenticateResult?> OfferToValidationAsync()
    {
        if (Context.Features.Get<OpenIddictValidationAspNetCoreFeature>() is not null)
        {
            return null;
        }
        var handlers = Context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
        if (await handlers.GetHandlerAsync(Context, OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme) is IAuthenticationRequestHandler validation
            && await validation.HandleRequestAsync())
        {
            return Refuse(Errors.InvalidRequest, "the request could not be read for token validation");
        }
        return null;
    }

    /// <summary>Where the token is in the header's value: after the scheme, without surrounding white space.</summary>
    private static (int Start, int Length) TokenRange(string value)
    {
        var start = BearerPrefix.Length;
        var end = value.Length;
        while (start < end && char.IsWhiteSpace(value[start]))
        {
            start++;
        }
        while (end > start && char.IsWhiteSpace(value[end - 1]))
        {
            end--;
        }
        return (start, end - start);
    }

    private static AuthenticateResult Refuse(string error, string description) => AuthenticateResult.Fail(new BearerFailure(error, description));

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c> (and the error when a token was refused) and an RFC 7807 body.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failure = result.Failure as BearerFailure;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer"
            : $"Bearer error=\"{failure.Error}\", error_description=\"{failure.Message.Replace('"', '\'')}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = failure?.Message ?? "this endpoint needs an access token: send 'Authorization: Bearer <token>' (get one at POST /connect/token)",
            },
        });
    }
}
