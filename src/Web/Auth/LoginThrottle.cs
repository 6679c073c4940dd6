using System.Collections.Concurrent;

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
/// In memory, per node: behind a load balancer each node counts its own attempts (documented in docs/architecture.md).
/// </summary>
public sealed class LoginThrottle(TimeProvider clock, Microsoft.Extensions.Options.IOptions<LoginThrottleOptions> options)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly LoginThrottleOptions _options = options.Value;

    private TimeSpan Window => TimeSpan.FromMinutes(_options.WindowMinutes);

    /// <summary>When sign-ins for this user name or from this address are refused, the moment they are allowed again; else null.</summary>
    public DateTimeOffset? RefusedUntil(string userName, string? address)
    {
        var now = clock.GetUtcNow();
        var byUser = Until(UserKey(userName), _options.MaxFailures, now);
        var byAddress = address is null ? null : Until(AddressKey(address), _options.MaxFailuresPerAddress, now);
        return (byUser, byAddress) switch
        {
            (null, null) => null,
            ({ } u, null) => u,
            (null, { } a) => a,
            ({ } u, { } a) => u > a ? u : a,
        };
    }

    /// <summary>Counts a failed sign-in against the user name and the address.</summary>
    public void RecordFailure(string userName, string? address)
    {
        var now = clock.GetUtcNow();
        Add(UserKey(userName), now);
        if (address is not null)
        {
            Add(AddressKey(address), now);
        }
    }

    /// <summary>A successful sign-in clears the user name's failures (the address keeps its count).</summary>
    public void RecordSuccess(string userName) => _failures.TryRemove(UserKey(userName), out _);

    private static string UserKey(string userName) => "u:" + userName.Trim().ToUpperInvariant();

    private static string AddressKey(string address) => "a:" + address;

    private void Add(string key, DateTimeOffset now)
    {
        var queue = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Prune(queue, now);
            queue.Enqueue(now);
        }
    }

    private DateTimeOffset? Until(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var queue))
        {
            return null;
        }
        lock (queue)
        {
            Prune(queue, now);
            // Refused while `limit` failures are inside the window: until the one that would make room leaves it.
            return queue.Count >= limit ? queue.ElementAt(queue.Count - limit) + Window : null;
        }
    }

    private void Prune(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.Count > 0 && queue.Peek() + Window <= now)
        {
            queue.Dequeue();
        }
    }
}
