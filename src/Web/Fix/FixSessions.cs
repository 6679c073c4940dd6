using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradSys.Engine.Fix;
using TradSys.Web.Persistence;

namespace TradSys.Web.Fix;

/// <summary>
/// One configured initiator session (<c>Fix:Sessions:N</c>): where the venue listens, the comp ids, the heartbeat, whether every
/// Logon resets the numbers, how long to wait before reconnecting (doubling up to <see cref="MaxReconnectSeconds"/>), and
/// optionally TLS (<c>Tls</c>, <see cref="FixClientTls"/>).
/// </summary>
public sealed record FixSessionConfig(string Name, string Host, int Port, string SenderCompId, string TargetCompId, int HeartBtInt,
    bool ResetOnLogon, int ReconnectSeconds, int MaxReconnectSeconds)
{
    /// <summary>TLS to the venue (<c>Tls:Enabled</c>, the server name, trust, a client certificate), or null for plain TCP.</summary>
    public FixClientTls? Tls { get; init; }

    /// <summary>Where the venue is, for the health report and the log (" (TLS)" when the session uses it).</summary>
    public string Endpoint => $"{Host}:{Port}" + (Tls is null ? "" : " (TLS)");

    /// <summary>
    /// Reads <c>Fix:Sessions</c>: every problem of every session at once, naming its configuration key, or the sessions.
    /// </summary>
    public static IReadOnlyList<FixSessionConfig> Read(IConfiguration configuration, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var found = new List<string>();
        var sessions = new List<FixSessionConfig>();
        foreach (var section in configuration.GetSection("Fix:Sessions").GetChildren())
        {
            var key = section.Path;
            string Text(string name)
            {
                var value = section[name]?.Trim();
                if (string.IsNullOrEmpty(value))
                {
                    found.Add($"{key}:{name} is required");
                }
                return value ?? "";
            }
            int Number(string name, int fallback, int min, int max)
            {
                var raw = section[name];
                if (raw is null)
                {
                    return fallback;
                }
                if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
                {
                    found.Add($"{key}:{name} must be a whole number from {min} to {max}, not '{raw}'");
                }
                return value;
            }
            var name = Text("Name");
            var host = Text("Host");
            var port = Number("Port", 0, 1, 65535);
            if (section["Port"] is null)
            {
                found.Add($"{key}:Port is required");
            }
            var sender = Text("SenderCompId");
            var target = Text("TargetCompId");
            var heartbeat = Number("HeartBtInt", 30, 1, 3600);
            var reset = section["ResetOnLogon"] is { } r ? bool.TryParse(r, out var b) ? b : Invalid($"{key}:ResetOnLogon must be true or false, not '{r}'") : false;
            var reconnect = Number("ReconnectSeconds", 1, 1, 3600);
            var maxReconnect = Number("MaxReconnectSeconds", 30, 1, 3600);
            if (maxReconnect < reconnect)
            {
                found.Add($"{key}:MaxReconnectSeconds ({maxReconnect}) must be at least ReconnectSeconds ({reconnect})");
            }
            if (name.Length > 0 && sessions.Any(s => s.Name == name))
            {
                found.Add($"{key}:Name '{name}' is used by another session");
            }
            var tls = FixClientTls.Read(section.GetSection("Tls"), host, found);
            sessions.Add(new FixSessionConfig(name, host, port, sender, target, heartbeat, reset, reconnect, maxReconnect) { Tls = tls });
        }
        problems = found;
        return found.Count == 0 ? sessions : [];

        bool Invalid(string problem)
        {
            found.Add(problem);
            return false;
        }
    }

    /// <summary><see cref="Read"/>, throwing with every problem named when the configuration is not valid.</summary>
    public static IReadOnlyList<FixSessionConfig> ReadValid(IConfiguration configuration)
    {
        var sessions = Read(configuration, out var problems);
        return problems.Count == 0 ? sessions : throw new InvalidOperationException("Fix:Sessions is not valid: " + string.Join("; ", problems));
    }

    /// <summary>The engine's settings for this session (an initiator).</summary>
    public FixSessionSettings Settings => new()
    {
        SenderCompId = SenderCompId, TargetCompId = TargetCompId, Role = FixSessionRole.Initiator, HeartBtInt = HeartBtInt, ResetOnLogon = ResetOnLogon,
    };
}

/// <summary>Where one configured session is, for the admin health report.</summary>
public sealed record FixSessionStatus(string Name, string SessionId, string Endpoint, FixSessionState State, int NextSenderMsgSeqNum,
    int NextTargetMsgSeqNum, int Connects, DateTimeOffset? LoggedOnAt, string? LastProblem);

/// <summary>
/// Keeps the configured FIX sessions (<c>Fix:Sessions</c>) connected: each one connects, logs on with its sequence numbers from
/// the database (<see cref="DatabaseFixSessionStore"/>, so a restart continues the session), and after a drop or a refused
/// connection tries again after <see cref="FixSessionConfig.ReconnectSeconds"/>, doubling up to the maximum; at shutdown it logs
/// out. Application messages received go to the handlers added with <see cref="OnApplicationMessage"/> (the venue routes:
/// <see cref="Venues.VenueRouter"/>), or are logged as not applied when there are none; <see cref="SendAsync"/> sends on a
/// logged-on session. <see cref="Statuses"/> feeds the admin health report.
/// </summary>
public sealed class FixSessions(IConfiguration configuration, DatabaseSettings database, FixSessionTracker tracker, TimeProvider clock,
    ILogger<FixSessions> log) : BackgroundService
{
    private readonly IReadOnlyList<FixSessionConfig> _configs = FixSessionConfig.ReadValid(configuration);
    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Lock _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, FixSessionDriver> _drivers = new(StringComparer.Ordinal);
    private Action<string, FixMessage>[] _handlers = [];
    private Action<string>[] _loggedOn = [];

    /// <summary>The configured sessions' names.</summary>
    public IReadOnlyList<string> Names => [.. _configs.Select(c => c.Name)];

    /// <summary>
    /// Adds a handler for the application messages every session receives (called with the session's name, in sequence, on the
    /// session's own thread; the message is valid only during the call). Add handlers before the sessions start.
    /// </summary>
    public void OnApplicationMessage(Action<string, FixMessage> handler)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }
    }

    /// <summary>
    /// Adds a handler called with the session's name each time a session logs on (the first time and after every reconnect), on the
    /// session's task, once its state is <see cref="FixSessionState.Active"/>. Add handlers before the sessions start.
    /// </summary>
    public void OnLoggedOn(Action<string> handler)
    {
        lock (_gate)
        {
            _loggedOn = [.. _loggedOn, handler];
        }
    }

    /// <summary>Where a configured session is now (<see cref="FixSessionState.Disconnected"/> for an unknown name).</summary>
    public FixSessionState StateOf(string name)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(name, out var e) ? e.State : FixSessionState.Disconnected;
        }
    }

    /// <summary>Sends an application message on a session; its MsgSeqNum, or 0 when the session is not logged on.</summary>
    public async Task<int> SendAsync(string name, ReadOnlyMemory<byte> msgType, ReadOnlyMemory<byte> body) =>
        _drivers.TryGetValue(name, out var driver) && driver.State == FixSessionState.Active ? await driver.SendAsync(msgType, body) : 0;

    /// <summary>A session's last reported state; its numbers are read live from its store.</summary>
    private sealed record Entry(string Id, FixSessionState State, DatabaseFixSessionStore? Store, int Connects, DateTimeOffset? LoggedOnAt,
        string? Problem);

    /// <summary>Each configured session as it is now, in configuration order.</summary>
    public IReadOnlyList<FixSessionStatus> Statuses
    {
        get
        {
            lock (_gate)
            {
                return [.. _configs.Select(c => _entries.TryGetValue(c.Name, out var e)
                    ? new FixSessionStatus(c.Name, e.Id, c.Endpoint, e.State, e.Store?.NextSenderMsgSeqNum ?? 0, e.Store?.NextTargetMsgSeqNum ?? 0,
                        e.Connects, e.LoggedOnAt, e.Problem)
                    : new FixSessionStatus(c.Name, DatabaseFixSessionStore.IdOf(c.Settings), c.Endpoint, FixSessionState.Disconnected, 0, 0, 0,
                        null, "not started"))];
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_configs.Select(c => RunAsync(c, stoppingToken)));

    private async Task RunAsync(FixSessionConfig config, CancellationToken stoppingToken)
    {
        var settings = config.Settings;
        var id = DatabaseFixSessionStore.IdOf(settings);
        var delay = TimeSpan.FromSeconds(config.ReconnectSeconds);
        var connects = 0;
        DateTimeOffset? loggedOnAt = null;
        DatabaseFixSessionStore? store = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                string problem;
                try
                {
                    store ??= DatabaseFixSessionStore.Open(database, id, clock);
                    var endpoint = await ResolveAsync(config, stoppingToken);
                    var driver = await FixInitiator.ConnectAsync(endpoint, settings, store, m => Received(config, m), clock, log, stoppingToken, tracker,
                        config.Tls);
                    connects++;
                    _drivers[config.Name] = driver;
                    Report(config, id, FixSessionState.LogonSent, store, connects, loggedOnAt, null);
                    var ended = driver.Completion;
                    if (await Task.WhenAny(driver.LoggedOn, ended) == driver.LoggedOn)
                    {
                        loggedOnAt = clock.GetUtcNow();
                        delay = TimeSpan.FromSeconds(config.ReconnectSeconds);
                        Report(config, id, FixSessionState.Active, store, connects, loggedOnAt, null);
                        log.LogInformation("FIX session {Name} ({Session}) logged on to {Endpoint}", config.Name, id, config.Endpoint);
                        foreach (var handler in Volatile.Read(ref _loggedOn))
                        {
                            handler(config.Name);
                        }
                    }
                    var end = await WaitAsync(driver, ended, stoppingToken);
                    _drivers.TryRemove(config.Name, out _);
                    problem = end.Reason is { } reason ? $"{reason}: {end.Text}" : end.Text;
                }
                catch (Exception ex) when (ex is SocketException or IOException or System.Data.Common.DbException)
                {
                    problem = ex.Message;
                }
                if (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                Report(config, id, FixSessionState.Disconnected, store, connects, loggedOnAt, $"{problem}; reconnecting in {delay.TotalSeconds:0} s");
                log.LogWarning("FIX session {Name} ({Session}) is not connected ({Problem}); reconnecting in {Delay} s", config.Name, id, problem,
                    delay.TotalSeconds);
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(config.MaxReconnectSeconds, delay.TotalSeconds * 2));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            Report(config, id, FixSessionState.Disconnected, store, connects, loggedOnAt, "stopped");
            store?.Dispose();
        }
    }

    /// <summary>Until the connection ends; at shutdown a logged-on session logs out first (the peer's answer, or its timeout).</summary>
    private static async Task<FixConnectionEnd> WaitAsync(FixSessionDriver driver, Task<FixConnectionEnd> ended, CancellationToken stoppingToken)
    {
        var stopping = Task.Delay(Timeout.Infinite, stoppingToken);
        if (await Task.WhenAny(ended, stopping) == stopping && driver.State == FixSessionState.Active)
        {
            await driver.LogoutAsync("the platform is shutting down");
            await Task.WhenAny(ended, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        }
        return ended.IsCompletedSuccessfully ? await ended
            // The driver logged the failure of its loop as an error and closed the connection: reconnect like after a drop.
            : ended.IsFaulted ? new FixConnectionEnd(null, "the session failed: " + ended.Exception!.GetBaseException().Message)
            : new FixConnectionEnd(FixDisconnectReason.Logout, "the platform is shutting down");
    }

    private static async Task<EndPoint> ResolveAsync(FixSessionConfig config, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(config.Host, out var address))
        {
            return new IPEndPoint(address, config.Port);
        }
        var addresses = await Dns.GetHostAddressesAsync(config.Host, cancellationToken);
        return addresses.Length > 0
            ? new IPEndPoint(addresses[0], config.Port)
            : throw new SocketException((int)SocketError.HostNotFound);
    }

    private void Received(FixSessionConfig config, FixMessage message)
    {
        var handlers = Volatile.Read(ref _handlers);
        if (handlers.Length == 0)
        {
            log.LogInformation("FIX session {Name}: {MsgType} received and not applied (no venue route uses this session)", config.Name,
                System.Text.Encoding.ASCII.GetString(message.MsgType));
        }
        foreach (var handler in handlers)
        {
            handler(config.Name, message);
        }
    }

    private void Report(FixSessionConfig config, string id, FixSessionState state, DatabaseFixSessionStore? store, int connects,
        DateTimeOffset? loggedOnAt, string? problem)
    {
        lock (_gate)
        {
            _entries[config.Name] = new Entry(id, state, state == FixSessionState.Disconnected && problem == "stopped" ? null : store, connects, loggedOnAt, problem);
        }
    }
}

/// <summary>
/// The configured FIX sessions in the admin health report: healthy with none configured or all logged on, degraded while one is
/// not (a venue down: nothing can go to it), with each session's state and sequence numbers. Never unready: internal trading
/// does not depend on a venue.
/// </summary>
internal sealed class FixSessionsHealthCheck(FixSessions sessions) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statuses = sessions.Statuses;
        var data = new Dictionary<string, object>();
        foreach (var s in statuses)
        {
            data[s.Name] = $"{s.State}, {s.Endpoint}, next sent {s.NextSenderMsgSeqNum}, next expected {s.NextTargetMsgSeqNum}, {s.Connects} connect(s)" +
                           (s.LastProblem is null ? "" : $", {s.LastProblem}");
        }
        var down = statuses.Where(s => s.State != FixSessionState.Active).ToList();
        var result = statuses.Count == 0
            ? HealthCheckResult.Healthy("no FIX session is configured (Fix:Sessions)", data)
            : down.Count == 0
                ? HealthCheckResult.Healthy($"{statuses.Count} FIX session(s) logged on", data)
                : HealthCheckResult.Degraded($"{down.Count} of {statuses.Count} FIX session(s) not logged on: {string.Join(", ", down.Select(d => d.Name))}",
                    data: data);
        return Task.FromResult(result);
    }
}
