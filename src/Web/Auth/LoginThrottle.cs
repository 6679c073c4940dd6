using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Auth;

/// <summary>Login throttling settings (configuration section <c>Auth:Login</c>).</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Failed sign-ins allowed per user name, and per client address, within <see cref="WindowMinutes"/>.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>The sliding window the failures are counted in; a refusal lasts until the oldest counted failure leaves it.</summary>
    public int WindowMinutes { get; set; } = 15;

    /// <summary>Failures allowed from one client address (many user names tried from one place), within the same window.</summary>
    public int MaxFailuresPerAddress { get; set; } = 20;
}

/// <summary>
/// Counts failed sign-ins per user name and per client address in a sliding window and refuses further attempts once
/// either count reaches its limit, until the oldest failure leaves the window. A correct password does not get past a
/// refusal (otherwise guessing would go on at full speed), and a success clears the user name's count only.
///
/// The failures are rows of the shared database (<see cref="SignInFailure"/>), not a node's memory: behind a load balancer an
/// attacker spreading guesses over the nodes meets the same count on every node (issue 18). A sign-in is rare next to an
/// order, so the few statements a check costs are not on any hot path; each runs in a scope of its own, never in the caller's
/// unit of work. The portal's login and the token endpoint (<see cref="TokenEndpointThrottle"/>) each have their own scope of
/// rows, limits and window.
/// </summary>
public class LoginThrottle
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly string _scope;
    private readonly int _maxPerKey;
    private readonly int _maxPerAddress;
    private readonly TimeSpan _window;

    public LoginThrottle(IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<LoginThrottleOptions> options)
        : this(scopes, clock, "login", options.Value.MaxFailures, options.Value.MaxFailuresPerAddress, TimeSpan.FromMinutes(options.Value.WindowMinutes))
    {
    }

    protected LoginThrottle(IServiceScopeFactory scopes, TimeProvider clock, string scope, int maxPerKey, int maxPerAddress, TimeSpan window)
    {
        _scopes = scopes;
        _clock = clock;
        _scope = scope;
        _maxPerKey = maxPerKey;
        _maxPerAddress = maxPerAddress;
        _window = window;
    }

    /// <summary>When sign-ins for this user name (or client id) or from this address are refused, the moment they are allowed again; else null.</summary>
    public async Task<DateTimeOffset?> RefusedUntilAsync(string name, string? address, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var byName = RefusedUntil(await RecentAsync(db, NameKey(name), _maxPerKey, now, cancellationToken), _maxPerKey, _window);
        var byAddress = address is null ? null : RefusedUntil(await RecentAsync(db, AddressKey(address), _maxPerAddress, now, cancellationToken), _maxPerAddress, _window);
        return (byName, byAddress) switch
        {
            (null, null) => null,
            ({ } n, null) => n,
            (null, { } a) => a,
            ({ } n, { } a) => n > a ? n : a,
        };
    }

    /// <summary>Counts a failed sign-in against the user name (or client id) and the address, and forgets this scope's failures that left the window.</summary>
    public async Task RecordFailureAsync(string name, string? address, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        db.SignInFailures.Add(new SignInFailure { Scope = _scope, Key = NameKey(name), At = now });
        if (address is not null)
        {
            db.SignInFailures.Add(new SignInFailure { Scope = _scope, Key = AddressKey(address), At = now });
        }
        await db.SaveChangesAsync(cancellationToken);
        var expired = now - _window;
        await db.SignInFailures.Where(f => f.Scope == _scope && f.At <= expired).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>A successful sign-in clears the user name's (or client id's) failures; the address keeps its count.</summary>
    public async Task RecordSuccessAsync(string name, CancellationToken cancellationToken)
    {
        var key = NameKey(name);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        await db.SignInFailures.Where(f => f.Key == key).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// The sliding window's rule: refused while <paramref name="limit"/> failures are inside the window, until the one that
    /// would make room leaves it. <paramref name="newestFirst"/> holds the key's failures inside the window, newest first,
    /// at most <paramref name="limit"/> of them.
    /// </summary>
    public static DateTimeOffset? RefusedUntil(IReadOnlyList<DateTime> newestFirst, int limit, TimeSpan window) =>
        newestFirst.Count >= limit ? new DateTimeOffset(DateTime.SpecifyKind(newestFirst[limit - 1], DateTimeKind.Utc)) + window : null;

    private async Task<List<DateTime>> RecentAsync(TradSysDbContext db, string key, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = (now - _window).UtcDateTime;
        return await db.SignInFailures.AsNoTracking()
            .Where(f => f.Key == key && f.At > since)
            .OrderByDescending(f => f.At)
            .Select(f => f.At)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    // Keys carry the scope, so the login's and the token endpoint's counts never mix; at most 80 characters (the column).
    private string NameKey(string name) => $"{_scope}:u:{Clip(name.Trim().ToUpperInvariant())}";

    private string AddressKey(string address) => $"{_scope}:a:{Clip(address)}";

    private static string Clip(string value) => value.Length > 64 ? value[..64] : value;
}
