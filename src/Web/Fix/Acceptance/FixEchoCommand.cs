using System.Globalization;
using System.Net;
using TradSys.Engine.Fix;
using TradSys.Web.Hosting;

namespace TradSys.Web.Fix.Acceptance;

/// <summary>
/// <c>fix-echo --port 5001 [--sender-comp-id ISLD] [--clients TW,TW44]</c>: our FIX 4.4 acceptor with the application QuickFIX's
/// acceptance suite expects (<see cref="FixEchoApplication"/>), on 127.0.0.1, until Ctrl-C or SIGTERM, so the suite's server
/// definitions (<c>test/definitions/server/fix44</c>) can be run against our session layer: sequence numbers in memory and
/// reset at every Logon (the suite's <c>ResetOnLogon=Y</c>), the suite's comp ids by default. docs/fix.md says how to run it.
/// </summary>
internal static class FixEchoCommand
{
    private static readonly string[] Options = ["--port", "--sender-comp-id", "--clients"];

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
        var port = 0;
        if (!parsed.Values.TryGetValue("--port", out var rawPort))
        {
            problems.Add("--port is required");
        }
        else if (!int.TryParse(rawPort, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            problems.Add($"--port must be a whole number from 0 to 65535, not '{rawPort}'");
        }

        var clients = (parsed.Values.GetValueOrDefault("--clients") ?? "TW,TW44")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (clients.Length == 0)
        {
            problems.Add("--clients needs at least one comp id");
        }
        else if (clients.Distinct(StringComparer.Ordinal).Count() != clients.Length)
        {
            problems.Add("--clients names a comp id twice");
        }

        if (problems.Count > 0)
        {
            return await PlatformCommands.UsageErrorAsync(console, problems);
        }

        var config = new FixAcceptorConfig("fix-echo", port, parsed.Values.GetValueOrDefault("--sender-comp-id") ?? "ISLD", clients)
        {
            ResetOnLogon = true,
        };
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        var log = logging.CreateLogger("TradSys.FixEcho");
        var application = new FixEchoApplication();
        await using var acceptor = new FixAcceptor(config.Settings(FixEchoApplication.Accepted), _ => new InMemoryFixSessionStore(),
            application.OnMessage, TimeProvider.System, log);
        var endPoint = acceptor.Start(port);
        await console.Out.WriteLineAsync($"FIX 4.4 echo acceptor listening on {endPoint} as {config.SenderCompId} for {string.Join(", ", clients)}; " +
                                          "Ctrl-C stops it.");
        listening?.Invoke(endPoint);
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await console.Out.WriteLineAsync("FIX echo acceptor stopping.");
        }

        return ExitCodes.Done;
    }
}
