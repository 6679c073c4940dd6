using System.Globalization;
using System.Net;
using TradSys.Engine.Fix;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Fix.Simulator;

/// <summary>
/// An <see cref="ExchangeSimulator"/> behind a <see cref="FixAcceptor"/>: each configured peer logs on with its comp id and sends
/// D, F, G and H (other application messages get a BusinessMessageReject from the session); the simulator's answers go to the session
/// that sent the request (under its gate, with <see cref="FixSessionDriver.Reply(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>) and, for the other side of a cross, to that
/// peer's session if it is connected. A report for a peer that is not connected is logged and not kept: the simulator does not
/// queue for a later logon.
/// </summary>
internal sealed class ExchangeSimulatorHost : IAsyncDisposable
{
    /// <summary>What the simulator takes; the session answers anything else with BusinessMessageReject 3.</summary>
    public static readonly IReadOnlySet<string> Accepted = new HashSet<string>(["D", "F", "G", "H"], StringComparer.Ordinal);

    private readonly ExchangeSimulator simulator;
    private readonly FixAcceptor acceptor;
    private readonly TimeProvider time;
    private readonly ILogger log;
    private readonly Lock gate = new();

    /// <summary>Creates the simulator and its acceptor; <see cref="Start"/> listens.</summary>
    public ExchangeSimulatorHost(ExchangeSimulator simulator, FixAcceptorConfig config, Func<FixSessionSettings, IFixSessionStore> openStore,
        TimeProvider time, ILogger log, FixSessionTracker? tracker = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        (this.simulator, this.time, this.log) = (simulator, time, log);
        acceptor = new FixAcceptor(config.Settings(Accepted), openStore, OnMessage, time, log, tracker, config.Tls, config.CertificateBindings);
        Config = config;
    }

    /// <summary>The acceptor's configuration.</summary>
    public FixAcceptorConfig Config { get; }

    /// <summary>The venue.</summary>
    public string Venue => simulator.Venue;

    /// <summary>The acceptor (its sessions, where it listens).</summary>
    public FixAcceptor Acceptor => acceptor;

    /// <summary>Listens on 127.0.0.1.</summary>
    /// <param name="port">The port (0: any free one).</param>
    /// <returns>Where it listens.</returns>
    public IPEndPoint Start(int port)
    {
        var endPoint = acceptor.Start(port);
        log.LogInformation("{Venue} simulator: {Count} instrument(s), FIX 4.4 on {EndPoint} as {Sender} for {Peers}", simulator.Venue,
            simulator.Instruments.Count, endPoint, Config.SenderCompId, string.Join(", ", Config.TargetCompIds));
        return endPoint;
    }

    /// <summary>
    /// The venue's instruments as the engine's specs (ids 0 to n-1, the simulator's own books) from reference-data rows: the
    /// platform's loaded reference data in-process, <see cref="DemoData"/> for the standalone command.
    /// </summary>
    /// <exception cref="ArgumentException">The venue is not among <paramref name="venues"/>, or has no instrument.</exception>
    public static IReadOnlyList<InstrumentSpec> Instruments(string venue, IEnumerable<Venue> venues, IEnumerable<Instrument> instruments)
    {
        var all = venues.ToList();
        var row = all.FirstOrDefault(v => string.Equals(v.Code, venue, StringComparison.Ordinal))
                  ?? throw new ArgumentException($"unknown venue '{venue}' (the venues are {string.Join(", ", all.Select(v => v.Code))})", nameof(venue));
        var spec = ReferenceDataCache.BuildVenue(row);
        var specs = new List<InstrumentSpec>();
        foreach (var i in instruments.Where(i => i.VenueCode == row.Code).OrderBy(i => i.Symbol, StringComparer.Ordinal))
        {
            specs.Add(new InstrumentSpec(new InstrumentId(specs.Count), i.Symbol, spec, row.PriceDecimals, i.LotSize,
                Price.FromDecimal(i.ReferencePrice, row.PriceDecimals), i.Status == InstrumentStatus.Trading));
        }

        return specs.Count > 0 ? specs : throw new ArgumentException($"the venue '{venue}' has no instrument", nameof(venue));
    }

    /// <summary>A run id for OrderIDs and ExecIDs: the start time to the second, so a restarted simulator never repeats one.</summary>
    public static string RunId(TimeProvider time) => time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Stops listening and logs the sessions out.</summary>
    public ValueTask DisposeAsync() => acceptor.DisposeAsync();

    private void OnMessage(FixSessionDriver session, FixSessionSettings settings, FixMessage message)
    {
        // One simulator for every session: requests are matched one at a time; the other side's reports are queued on its session
        // (FIFO on its gate) before the next request can produce more, so each peer gets its reports in order.
        lock (gate)
        {
            foreach (var out_ in simulator.Handle(settings.TargetCompId, message, time.GetUtcNow().UtcDateTime))
            {
                if (out_.Owner == settings.TargetCompId)
                {
                    Sent(session.Reply(Type(out_), out_.Body), out_);
                }
                else if (acceptor.Live(out_.Owner) is { } other)
                {
                    _ = SendAsync(other, out_);
                }
                else
                {
                    Sent(0, out_);
                }
            }
        }
    }

    private async Task SendAsync(FixSessionDriver session, SimulatorMessage message)
    {
        try
        {
            Sent(await session.SendAsync(Type(message).ToArray(), message.Body), message);
        }
        catch (System.Data.Common.DbException ex)
        {
            // The session's store could not keep the message: it was not sent; the peer's session is closed by its own failure.
            log.LogError(ex, "{Venue} simulator: the {MsgType} for {Peer} could not be stored and was not sent", simulator.Venue, message.MsgType,
                message.Owner);
        }
    }

    private void Sent(int seq, SimulatorMessage message)
    {
        if (seq == 0)
        {
            log.LogWarning("{Venue} simulator: {Peer} is not logged on; its {MsgType} was dropped: {Fields}", simulator.Venue, message.Owner,
                message.MsgType, string.Join('|', message.Fields().Select(f => $"{f.Key}={f.Value}")));
        }
    }

    private static ReadOnlySpan<byte> Type(SimulatorMessage message) => message.MsgType == "8" ? "8"u8 : "9"u8;
}
