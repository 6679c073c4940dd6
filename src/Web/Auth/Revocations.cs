using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TradSys.Contracts;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Auth;

/// <summary>Settings of the revocation set (configuration section <c>Auth:Revocation</c>).</summary>
public sealed class RevocationOptions
{
    /// <summary>
    /// How often each node reads new rows of <c>token_revocations</c> (the bus message usually arrives first; the poll
    /// catches a missed one). The bound on how long a revocation takes to reach every node when the bus fails.
    /// </summary>
    public int PollMilliseconds { get; set; } = 250;

    /// <summary>
    /// When the set has not been confirmed current for this long (the database unreachable), bearer tokens are refused
    /// rather than accepted on stale knowledge.
    /// </summary>
    public int MaxStalenessSeconds { get; set; } = 30;

    /// <summary>Rows recorded less than this long ago are read again on every poll, for transactions that commit late.</summary>
    public int LookbackSeconds { get; set; } = 10;
}

/// <summary>
/// The revocations that still matter (recorded within the longest access-token lifetime), in memory on every node, checked on
/// every request by <see cref="BearerTokenHandler"/>: revoked token ids, revoked authorization ids, and per user the lowest
/// token version still valid. Kept current by <see cref="RevocationFeed"/> (the table) and <see cref="TokenRevokedConsumer"/>
/// (the bus); applying a revocation twice changes nothing, so both may deliver the same one.
/// </summary>
public sealed class RevocationSet(IOptions<RevocationOptions> options)
{
    private readonly ConcurrentDictionary<string, DateTime> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTime> _authorizations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long MinimumVersion, DateTime RecordedAt)> _subjects = new(StringComparer.Ordinal);
    private readonly TimeSpan _maxStaleness = TimeSpan.FromSeconds(options.Value.MaxStalenessSeconds);
    private long _confirmedAtTicks = long.MinValue;

    /// <summary>Adds one revocation (idempotent; a user's minimum version only ever rises).</summary>
    public void Apply(RevocationKind kind, string value, long? minimumVersion, DateTime recordedAt)
    {
        switch (kind)
        {
            case RevocationKind.Token:
                _tokens[value] = recordedAt;
                break;
            case RevocationKind.Authorization:
                _authorizations[value] = recordedAt;
                break;
            case RevocationKind.Subject when minimumVersion is { } version:
                _subjects.AddOrUpdate(value, (version, recordedAt),
                    (_, current) => version > current.MinimumVersion ? (version, recordedAt) : current);
                break;
        }
    }

    /// <summary>Adds one stored revocation.</summary>
    public void Apply(TokenRevocation row) => Apply(row.Kind, row.Value, row.MinimumVersion, row.RecordedAt);

    /// <summary>True when the token, its authorization, or every token of its user issued before a change was revoked.</summary>
    public bool IsRevoked(AccessTokenEntry token) =>
        (token.TokenId is { } tokenId && _tokens.ContainsKey(tokenId))
        || (token.AuthorizationId is { } authorizationId && _authorizations.ContainsKey(authorizationId))
        || (token.Subject is { } subject && _subjects.TryGetValue(subject, out var floor) && token.Version < floor.MinimumVersion);

    /// <summary>The set was read from the database at <paramref name="at"/>.</summary>
    public void MarkCurrent(DateTimeOffset at) => Interlocked.Exchange(ref _confirmedAtTicks, at.UtcTicks);

    /// <summary>False while the set was never loaded, or has not been confirmed for <see cref="RevocationOptions.MaxStalenessSeconds"/>.</summary>
    public bool IsCurrent(DateTimeOffset now)
    {
        var confirmed = Interlocked.Read(ref _confirmedAtTicks);
        return confirmed != long.MinValue && now.UtcTicks - confirmed <= _maxStaleness.Ticks;
    }

    /// <summary>When the set was last confirmed current, or null before the first load.</summary>
    public DateTimeOffset? ConfirmedAt
    {
        get
        {
            var confirmed = Interlocked.Read(ref _confirmedAtTicks);
            return confirmed == long.MinValue ? null : new DateTimeOffset(confirmed, TimeSpan.Zero);
        }
    }

    /// <summary>Counts of the revocations held, for the health report.</summary>
    public (int Tokens, int Authorizations, int Subjects) Counts => (_tokens.Count, _authorizations.Count, _subjects.Count);

    /// <summary>Forgets revocations recorded before <paramref name="before"/>: every token they could stop has expired.</summary>
    public void Prune(DateTime before)
    {
        foreach (var (key, at) in _tokens)
        {
            if (at < before)
            {
                _tokens.TryRemove(key, out _);
            }
        }
        foreach (var (key, at) in _authorizations)
        {
            if (at < before)
            {
                _authorizations.TryRemove(key, out _);
            }
        }
        foreach (var (key, floor) in _subjects)
        {
            if (floor.RecordedAt < before)
            {
                _subjects.TryRemove(KeyValuePair.Create(key, floor));
            }
        }
    }

    /// <summary>How long a revocation matters: the access-token lifetime and a margin for clocks.</summary>
    public static TimeSpan Horizon(IConfiguration configuration) =>
        TimeSpan.FromMinutes(configuration.GetValue("Auth:AccessTokenLifetimeMinutes", 60.0)) + TimeSpan.FromMinutes(5);
}

/// <summary>
/// Records revocations: <see cref="Add"/> puts the row in the caller's unit of work (saved with the change that caused it),
/// <see cref="AnnounceAsync"/> applies it on this node and publishes it to the others once it is committed.
/// </summary>
public sealed class RevocationLedger(RevocationSet set, IBus bus, TimeProvider clock, ILogger<RevocationLedger> log)
{
    /// <summary>Adds a revocation row to <paramref name="db"/> (not saved).</summary>
    public TokenRevocation Add(TradSysDbContext db, RevocationKind kind, string value, long? minimumVersion, string reason)
    {
        var row = new TokenRevocation
        {
            Kind = kind,
            Value = value,
            MinimumVersion = minimumVersion,
            RecordedAt = Auditing.AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime),
            Reason = reason.Length > 200 ? reason[..200] : reason,
        };
        db.TokenRevocations.Add(row);
        return row;
    }

    /// <summary>Adds, saves and announces one revocation.</summary>
    public async Task RecordAsync(TradSysDbContext db, RevocationKind kind, string value, long? minimumVersion, string reason,
        CancellationToken cancellationToken)
    {
        var row = Add(db, kind, value, minimumVersion, reason);
        await db.SaveChangesAsync(cancellationToken);
        await AnnounceAsync(row, cancellationToken);
    }

    /// <summary>
    /// After the row committed: applies it here at once and publishes it. A failed publish is logged, not thrown: the
    /// other nodes read the row from the table within their poll interval.
    /// </summary>
    public async Task AnnounceAsync(TokenRevocation row, CancellationToken cancellationToken)
    {
        set.Apply(row);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await bus.Publish(new TokenRevoked(row.Id, row.Kind.ToString(), row.Value, row.MinimumVersion, row.RecordedAt), timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(ex, "Revocation {Id} ({Kind}) was recorded but not published; other nodes read it from the table", row.Id, row.Kind);
        }
    }
}

/// <summary>
/// Keeps this node's <see cref="RevocationSet"/> current from <c>token_revocations</c>: loads the rows that still matter
/// before the node serves its first request, then reads new ones every <see cref="RevocationOptions.PollMilliseconds"/>
/// (rows above the cursor, and the last few seconds again for transactions that committed after a later id).
/// </summary>
public sealed class RevocationFeed(IServiceScopeFactory scopes, RevocationSet set, TimeProvider clock, IConfiguration configuration,
    IOptions<RevocationOptions> options, ILogger<RevocationFeed> log) : BackgroundService
{
    private readonly TimeSpan _horizon = RevocationSet.Horizon(configuration);
    private long _cursor;

    /// <summary>The first load happens here, before the host starts serving: a node never runs without its set.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var since = (now - _horizon).UtcDateTime;
            var rows = await db.TokenRevocations.AsNoTracking().Where(r => r.RecordedAt >= since).OrderBy(r => r.Id)
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                set.Apply(row);
            }
            _cursor = await db.TokenRevocations.MaxAsync(r => (long?)r.Id, cancellationToken) ?? 0;
            log.LogInformation("Loaded {Count} token revocations of the last {Horizon}", rows.Count, _horizon);
        }
        set.MarkCurrent(now);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(10, options.Value.PollMilliseconds));
        var lastPrune = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
                await PollAsync(stoppingToken);
                var now = clock.GetUtcNow();
                if (now - lastPrune > TimeSpan.FromMinutes(1))
                {
                    set.Prune((now - _horizon).UtcDateTime);
                    lastPrune = now;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Reading token revocations failed; retrying (bearer tokens are refused once the set is stale)");
            }
        }
    }

    /// <summary>Reads the rows committed since the last poll and applies them.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lookback = (now - TimeSpan.FromSeconds(options.Value.LookbackSeconds)).UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var cursor = _cursor;
        var rows = await db.TokenRevocations.AsNoTracking().Where(r => r.Id > cursor || r.RecordedAt >= lookback)
            .OrderBy(r => r.Id).Take(10_000).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            set.Apply(row);
            if (row.Id > _cursor)
            {
                _cursor = row.Id;
            }
        }
        set.MarkCurrent(now);
    }
}

/// <summary>Applies revocations published by any node (this one included: applying twice changes nothing).</summary>
public sealed class TokenRevokedConsumer(RevocationSet set) : IConsumer<TokenRevoked>
{
    public Task Consume(ConsumeContext<TokenRevoked> context)
    {
        var m = context.Message;
        if (Enum.TryParse<RevocationKind>(m.Kind, out var kind))
        {
            set.Apply(kind, m.Value, m.MinimumVersion, m.RecordedAt);
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// Ready only while this node's revocation set is current: a stale set makes the node refuse every bearer token. Its figures:
/// the revocations held, when the set was last read from the database, and the validated tokens cached.
/// </summary>
internal sealed class RevocationHealthCheck(RevocationSet set, AccessTokenCache cache, TimeProvider clock)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var (tokens, authorizations, subjects) = set.Counts;
        var data = new Dictionary<string, object>
        {
            ["revokedTokens"] = tokens,
            ["revokedAuthorizations"] = authorizations,
            ["usersWithMinimumVersion"] = subjects,
            ["cachedTokens"] = cache.Count,
            ["confirmedMillisecondsAgo"] = set.ConfirmedAt is { } at ? (long)(now - at).TotalMilliseconds : -1,
        };
        return Task.FromResult(set.IsCurrent(now)
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy(
                "the token revocations could not be read recently: bearer tokens are refused until they are", data: data));
    }
}
