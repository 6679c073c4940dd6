using System.Globalization;
using System.Net;
using TradSys.Engine.Fix;
using TradSys.Web.Hosting;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Fix.Simulator;

/// <summary>
/// <c>simulator --venue EGX --port 9881 [--sender-comp-id EGX] [--clients BROKER1,BROKER2]</c>: an exchange simulator as its own
/// process, on 127.0.0.1, with the demo reference data's instruments of the venue, until Ctrl-C or SIGTERM. Its sessions keep their
/// numbers in memory: a restarted simulator starts at 1, so an initiator pointed at it should log on with ResetSeqNumFlag
/// (<c>Fix__Sessions__N__ResetOnLogon=true</c>).
/// </summary>
internal static class SimulatorCommand
{
    private static readonly string[] Options = ["--venue", "--port", "--sender-comp-id", "--clients"];

    /// <summary>Runs until Ctrl-C or SIGTERM.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, CommandConsole console) =>
        PlatformCommands.UntilStoppedAsync(stop => RunAsync(args, console, stop));

    /// <summary>Runs until <paramref name="stop"/>; <paramref name="listening"/> is told where it listens (tests use port 0).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CommandConsole console, CancellationToken stop, Action<IPEndPoint>? listening = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        var parsed = PlatformCommands.Parse(args, Options, []);
        var problems = parsed.Problems;
        problems.AddRange(parsed.Positional.Select(p => $"unexpected argument '{p}'"));
        var venue = parsed.Values.GetValueOrDefault("--venue") ?? "";
        if (venue.Length == 0)
        {
            problems.Add("--venue is required (EGX or ADX)");
        }

        var port = 0;
        if (!parsed.Values.TryGetValue("--port", out var rawPort))
        {
            problems.Add("--port is required");
        }
        else if (!int.TryParse(rawPort, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            problems.Add($"--port must be a whole number from 0 to 65535, not '{rawPort}'");
        }

        var clients = (parsed.Values.GetValueOrDefault("--clients") ?? "BROKER1").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (clients.Length == 0)
        {
            problems.Add("--clients needs at least one comp id");
        }

        IReadOnlyList<InstrumentSpec> instruments = [];
        if (venue.Length > 0)
        {
            try
            {
                instruments = ExchangeSimulatorHost.Instruments(venue, DemoData.Venues(), DemoData.Instruments());
            }
            catch (ArgumentException e)
            {
                problems.Add("--venue: " + e.Message.Split(" (Parameter", 2)[0]);
            }
        }

        if (problems.Count > 0)
        {
            return await PlatformCommands.UsageErrorAsync(console, problems);
        }

        var config = new FixAcceptorConfig("simulator", port, parsed.Values.GetValueOrDefault("--sender-comp-id") ?? venue, clients);
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var log = logging.CreateLogger("TradSys.Simulator");
        var simulator = new ExchangeSimulator(venue, instruments, ExchangeSimulatorHost.RunId(TimeProvider.System));
        await using var host = new ExchangeSimulatorHost(simulator, config, _ => new InMemoryFixSessionStore(), TimeProvider.System, log);
        var endPoint = host.Start(port);
        await console.Out.WriteLineAsync($"{venue} simulator listening on {endPoint} as {config.SenderCompId} for {string.Join(", ", clients)} " +
                                          $"({instruments.Count} instruments: {string.Join(", ", instruments.Select(i => i.Symbol))}); Ctrl-C stops it.");
        listening?.Invoke(endPoint);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await console.Out.WriteLineAsync($"{venue} simulator stopping: logging the sessions out.");
        }

        return ExitCodes.Done;
    }
}
