using System.Globalization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using TradSys.Contracts;
using TradSys.Web.Apis;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// Watches every account's limit utilisation (the same figures as GET /api/v1/risk/exposure, read in one moment of the single writer)
/// every <c>Risk:AlertIntervalSeconds</c> (default 5; 0 switches it off) and raises an alert once per crossing: when a limit reaches
/// 80% (Near), when it reaches 100% (Breached), and when it falls back under 80% (Cleared), so the next crossing raises again. Each
/// alert is stored and then published on the bus. The level last alerted for each account and limit is read back from the stored
/// alerts at start, so a restart does not raise the same crossing twice.
/// <para>
/// VaR limits (maxVar) are checked here and only here (<see cref="VarLimitCheck"/>): each account's VaR is recomputed every
/// <c>Risk:VarAlertIntervalSeconds</c> (default 60; 0 at every check), since it needs a year of closes from the database, and its last
/// figures stand between two computations. An account whose VaR cannot be computed keeps the level last alerted.
/// </para>
/// </summary>
internal sealed class RiskAlertMonitor(IServiceScopeFactory scopes, OrderWriter writer, MarketClock clock, IConfiguration configuration,
    ILogger<RiskAlertMonitor> log) : BackgroundService
{
    private readonly Dictionary<(long AccountId, string Limit, string? Symbol, string Scope), RiskAlertLevel> _levels = [];
    private bool _loaded;
    private int _consecutiveFailures;
    private string? _lastFailure;
    private long _raised;
    private DateTime? _lastCheck;
    private DateTime? _lastVarCheck;
    private (List<UtilisationResponse> Rows, HashSet<(long AccountId, string Scope)> Undetermined) _var = ([], []);
    private VarLimitFigures? _lastVar;

    /// <summary>Checks in a row that failed (0 after a check that worked); any thread.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>Why the last failed check failed; any thread.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Alerts raised since the start; any thread.</summary>
    public long Raised => Interlocked.Read(ref _raised);

    /// <summary>When the last check that worked ran (market clock), null before the first; any thread.</summary>
    public DateTime? LastCheck => _lastCheck;

    /// <summary>
    /// The VaR figures the last VaR computation gave against the maxVar limits (rows and the accounts it could not compute), with
    /// when it ran and by which method; null before the first. Read by GET /api/v1/risk/exposure; any thread.
    /// </summary>
    public VarLimitFigures? LastVar => Volatile.Read(ref _lastVar);

    /// <summary>How often utilisation is checked; zero or less: never.</summary>
    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(configuration.GetValue("Risk:AlertIntervalSeconds", 5.0));

    /// <summary>How often the accounts' VaR is recomputed for the VaR limits; zero or less: at every check.</summary>
    public TimeSpan VarInterval { get; } = TimeSpan.FromSeconds(configuration.GetValue("Risk:VarAlertIntervalSeconds", 60.0));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval <= TimeSpan.Zero)
        {
            log.LogInformation("Risk alerts are switched off (Risk:AlertIntervalSeconds is 0)");
            return;
        }
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!writer.Leads)
            {
                // A standby of a cluster (issue 18): the node that writes the books watches them.
                continue;
            }
            try
            {
                await CheckAsync(stoppingToken);
                Volatile.Write(ref _consecutiveFailures, 0);
            }
            catch (JournalUnavailableException ex)
            {
                Failed(ex.Message);
                log.LogWarning("Risk alerts not checked: {Reason}; trying again at the next tick", ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A fault in the monitor must not stop the host (and with it order entry): it is logged as an error with its cause,
                // shown by the admin health report (risk-alerts: Degraded), and the next tick tries again.
                Failed(ex.Message);
                log.LogError(ex, "Risk alert check failed; trying again at the next tick");
            }
        }
    }

    private void Failed(string message)
    {
        Volatile.Write(ref _lastFailure, message);
        Interlocked.Increment(ref _consecutiveFailures);
    }

    /// <summary>One check of every account: stores and publishes the alerts of the crossings since the last check; returns them.</summary>
    public async Task<IReadOnlyList<RiskAlert>> CheckAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        if (!_loaded)
        {
            // The level last alerted per account and limit: the latest alert of each (ids grow with time).
            foreach (var alert in await db.RiskAlerts.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken))
            {
                _levels[(alert.AccountId, alert.Limit, alert.Symbol, alert.Scope)] = alert.Level;
            }
            _loaded = true;
        }
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.IsActive).OrderBy(a => a.Id).Take(RiskExposureApi.MaxAccounts).ToListAsync(cancellationToken);
        var result = await writer.SendAsync(new ExposureQuery("risk-monitor", accounts), cancellationToken);
        var states = (IReadOnlyList<AccountRiskState>)result.Risk!;
        var referenceData = scope.ServiceProvider.GetRequiredService<ReferenceData.ReferenceDataCache>();
        var controls = writer.RiskControls;
        var rows = RiskExposureApi.Utilisation(states, controls, referenceData, []);
        var now = clock.UtcNow;
        _lastCheck = now;
        if (_lastVarCheck is not { } lastVar || now - lastVar >= VarInterval)
        {
            _var = await VarLimitCheck.UtilisationAsync(db, states, controls, referenceData, now, cancellationToken);
            _lastVarCheck = now;
            Volatile.Write(ref _lastVar, new VarLimitFigures(now, VarLimitCheck.Method,
                [.. _var.Rows.Select(r => r with { AsOf = now, Method = VarLimitCheck.Method })], [.. _var.Undetermined]));
        }
        var raised = new List<RiskAlert>();
        var seen = new HashSet<(long, string, string?, string)>();
        foreach (var (accountId, limitScope) in _var.Undetermined)
        {
            seen.Add((accountId, VarLimitCheck.Limit, null, limitScope));
        }
        foreach (var row in rows.Concat(_var.Rows))
        {
            var key = (row.AccountId, row.Limit, row.Symbol, row.Scope);
            seen.Add(key);
            var level = row.Breached ? RiskAlertLevel.Breached : row.Near ? RiskAlertLevel.Near : RiskAlertLevel.Cleared;
            var before = _levels.GetValueOrDefault(key, RiskAlertLevel.Cleared);
            if (level == before)
            {
                continue;
            }
            _levels[key] = level;
            if (level < before && level != RiskAlertLevel.Cleared)
            {
                continue; // from Breached down to Near: still near, no new crossing
            }
            raised.Add(new RiskAlert
            {
                AccountId = row.AccountId, Limit = row.Limit, Symbol = row.Symbol, Scope = row.Scope, Level = level, LimitValue = row.LimitValue,
                Used = row.Used, Unit = row.Unit, UtilisationPct = row.UtilisationPct, Message = Message(row, level), RaisedAt = now,
            });
        }
        // A limit no longer in force (or a position closed) clears what was alerted on it.
        foreach (var (key, level) in _levels.Where(kv => kv.Value != RiskAlertLevel.Cleared && !seen.Contains(kv.Key)).ToList())
        {
            _levels[key] = RiskAlertLevel.Cleared;
            raised.Add(new RiskAlert
            {
                AccountId = key.AccountId, Limit = key.Limit, Symbol = key.Symbol, Scope = key.Scope, Level = RiskAlertLevel.Cleared, Unit = "",
                Message = $"account {key.AccountId}: {key.Limit}{(key.Symbol is null ? "" : " " + key.Symbol)} set for {key.Scope} no longer applies " +
                          $"(the limit was lifted or the position closed); it was {level}",
                RaisedAt = now,
            });
        }
        if (raised.Count == 0)
        {
            return raised;
        }
        db.RiskAlerts.AddRange(raised);
        await db.SaveChangesAsync(cancellationToken);
        var bus = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var a in raised)
        {
            await bus.Publish(new RiskAlertRaised(a.Id, a.AccountId, a.Limit, a.Symbol, a.Scope, a.Level.ToString(), a.LimitValue, a.Used, a.Unit,
                a.UtilisationPct, a.Message, a.RaisedAt), cancellationToken);
        }
        Interlocked.Add(ref _raised, raised.Count);
        log.LogInformation("Risk alerts raised: {Count}", raised.Count);
        return raised;
    }

    private static string Message(UtilisationResponse row, RiskAlertLevel level)
    {
        var what = $"{row.Limit}{(row.Symbol is null ? "" : " " + row.Symbol)} set for {row.Scope}";
        var figures = string.Create(CultureInfo.InvariantCulture,
            $"{row.Used:#,0.##} of {row.LimitValue:#,0.##} {row.Unit}{(row.UtilisationPct is { } pct ? $" ({pct:0.##}%)" : "")}");
        return level switch
        {
            RiskAlertLevel.Breached => $"account {row.AccountId}: {what} is breached: {figures}",
            RiskAlertLevel.Near => $"account {row.AccountId}: {what} is 80% used or more: {figures}",
            _ => $"account {row.AccountId}: {what} is back under 80%: {figures}",
        };
    }
}
