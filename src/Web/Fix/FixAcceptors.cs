using TradSys.Engine.Fix;
using TradSys.Web.Fix.OrderEntry;
using TradSys.Web.Fix.Simulator;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.PreTrade;
using TradSys.Web.Persistence;
using TradSys.Web.Portal.Services;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Fix;

/// <summary>
/// The acceptors the platform runs in-process, from configuration, both optional: <c>Fix:Acceptor</c> (client order entry: each
/// session bound to an API client's trader and accounts by <c>Fix:Acceptor:Clients:{comp id}</c>, its orders through the REST order
/// path, <see cref="FixOrderEntry"/>) and <c>Fix:Simulators:N</c> (an exchange simulator per venue, its
/// <c>Venue</c> one of the loaded reference data's, e.g. EGX or ADX). Every session's numbers and sent messages are in the
/// database (<see cref="DatabaseFixSessionStore"/>), so a restart of the platform continues them.
/// </summary>
public sealed class FixAcceptors(IConfiguration configuration, DatabaseSettings database, ReferenceDataCache referenceData, FixSessionTracker tracker,
    TimeProvider clock, ILogger<FixAcceptors> log, IServiceProvider services) : IHostedService, IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _running = [];
    private FixOrderEntry? _orderEntry;

    /// <summary>The configured acceptors: <c>Fix:Acceptor</c> (null when absent) and the simulators with their venue.</summary>
    public static (FixAcceptorConfig? Acceptor, IReadOnlyList<(string Venue, FixAcceptorConfig Config)> Simulators) Read(IConfiguration configuration,
        out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var found = new List<string>();
        var section = configuration.GetSection("Fix:Acceptor");
        var acceptor = section.Exists() ? FixAcceptorConfig.Read(section, null, found) : null;
        if (acceptor is not null)
        {
            FixClientBinding.Read(section, acceptor.TargetCompIds, found);
        }

        var simulators = new List<(string, FixAcceptorConfig)>();
        foreach (var child in configuration.GetSection("Fix:Simulators").GetChildren())
        {
            var venue = child["Venue"]?.Trim() ?? "";
            if (venue.Length == 0)
            {
                found.Add($"{child.Path}:Venue is required (e.g. EGX or ADX)");
            }

            var simulator = FixAcceptorConfig.Read(child, venue.Length == 0 ? null : venue, found);
            // A simulator's Clients hold only certificate bindings (the client acceptor's are checked with their order entry binding).
            found.AddRange(child.GetSection("Clients").GetChildren().Where(c => !simulator.TargetCompIds.Contains(c.Key, StringComparer.Ordinal))
                .Select(c => $"{c.Path}: '{c.Key}' is not one of {child.Path}:TargetCompIds"));
            simulators.Add((venue, simulator));
        }

        var ports = simulators.Select(s => s.Item2).Prepend(acceptor).OfType<FixAcceptorConfig>().Where(c => c.Port != 0)
            .GroupBy(c => c.Port).Where(g => g.Count() > 1);
        found.AddRange(ports.Select(g => $"{string.Join(" and ", g.Select(c => c.Key + ":Port"))} are the same port {g.Key}"));
        problems = found;
        return (acceptor, simulators);
    }

    /// <summary><see cref="Read"/>, throwing with every problem named when the configuration is not valid.</summary>
    public static void ReadValid(IConfiguration configuration)
    {
        Read(configuration, out var problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Fix:Acceptor / Fix:Simulators is not valid: " + string.Join("; ", problems));
        }
    }

    /// <summary>The simulators running, by venue (for the log and tests).</summary>
    internal IReadOnlyList<ExchangeSimulatorHost> Simulators
    {
        get
        {
            lock (_running)
            {
                return [.. _running.OfType<ExchangeSimulatorHost>()];
            }
        }
    }

    /// <summary>The client acceptor, when configured.</summary>
    internal FixAcceptor? Acceptor
    {
        get
        {
            lock (_running)
            {
                return _running.OfType<FixAcceptor>().FirstOrDefault();
            }
        }
    }

    /// <summary>The client acceptor's order entry, when configured.</summary>
    internal FixOrderEntry? OrderEntry => _orderEntry;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (acceptorConfig, simulators) = Read(configuration, out _);
        IFixSessionStore Open(FixSessionSettings settings) => DatabaseFixSessionStore.Open(database, DatabaseFixSessionStore.IdOf(settings), clock);
        if (acceptorConfig is not null)
        {
            var scopes = services.GetRequiredService<IServiceScopeFactory>();
            var clients = await FixOrderEntry.ResolveAsync(FixClientBinding.Read(configuration.GetSection("Fix:Acceptor"), acceptorConfig.TargetCompIds, []),
                scopes, cancellationToken);
            _orderEntry = new FixOrderEntry(clients, referenceData, services.GetServices<IPreTradeStage>(), services.GetRequiredService<OrderWriter>(),
                services.GetRequiredService<OpenOrders>(), services.GetRequiredService<OrderUpdateFeed>(), services.GetRequiredService<MarketClock>(), scopes,
                OrderRateLimits.Read(configuration), log);
            var acceptor = new FixAcceptor(acceptorConfig.Settings(FixOrderEntry.Accepted), Open, _orderEntry.OnMessage, clock, log, tracker,
                acceptorConfig.Tls, acceptorConfig.CertificateBindings);
            _orderEntry.Attach(acceptor);
            acceptor.PeerLoggedOn = _orderEntry.OnLoggedOn;
            acceptor.Start(acceptorConfig.Port);
            lock (_running)
            {
                _running.Add(acceptor);
            }
        }

        var rows = referenceData.Instruments;
        foreach (var (venue, config) in simulators)
        {
            var instruments = ExchangeSimulatorHost.Instruments(venue, rows.Select(i => i.VenueRow).DistinctBy(v => v.Code), rows.Select(i => i.Row));
            var host = new ExchangeSimulatorHost(new ExchangeSimulator(venue, instruments, ExchangeSimulatorHost.RunId(clock)), config, Open, clock, log,
                tracker);
            host.Start(config.Port);
            lock (_running)
            {
                _running.Add(host);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host stops it and the container disposes it: the second call finds nothing left to stop. The list is taken and
        // emptied under its lock, so two calls that overlap each stop a whole list (the other an empty one), never a torn copy.
        List<IAsyncDisposable> running;
        lock (_running)
        {
            running = [.. _running];
            _running.Clear();
        }
        foreach (var acceptor in running)
        {
            await acceptor.DisposeAsync();
        }

        Interlocked.Exchange(ref _orderEntry, null)?.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));
}
