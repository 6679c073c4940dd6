using System.Globalization;
using TradSys.LoadTest.Orders;

namespace TradSys.LoadTest;

/// <summary>A command line the tool refuses, with the reason for the user.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The options of <c>run</c>, <c>quote</c> and <c>verify</c>, parsed and bounded. Every run is bounded in count and time:
/// values beyond the caps below are refused rather than clamped, so a typo cannot start an hour of load.
/// </summary>
public sealed class Options
{
    public const int MaxConnections = 256;
    public const long MaxRequests = 2_000_000;
    public const int MaxDurationSeconds = 600;
    public const double MaxRate = 200_000;
    public const int MaxWarmupSeconds = 60;
    public const int MaxGraceSeconds = 120;
    public const int MaxVerifySeconds = 3600;

    public string Command { get; private set; } = "";

    public Uri? Url { get; private set; }

    public int Connections { get; private set; } = 16;

    public long Requests { get; private set; } = 200_000;

    public int DurationSeconds { get; private set; } = 20;

    public double? Rate { get; private set; }

    public OrderMix Mix { get; private set; } = OrderMix.Default;

    public int Seed { get; private set; } = 42;

    public IReadOnlyList<string> Symbols { get; private set; } = ["COMI.INT"];

    public bool Floor { get; private set; } = true;

    public bool FloorOnly { get; private set; }

    public string? AcksPath { get; private set; }

    public bool Verify { get; private set; } = true;

    public bool Strict { get; private set; }

    public int WarmupSeconds { get; private set; } = 3;

    public int GraceSeconds { get; private set; } = 10;

    public int VerifyTimeoutSeconds { get; private set; } = 600;

    public string? JsonPath { get; private set; }

    public string Client { get; private set; } = "raw";

    public int? ServerPid { get; private set; }

    public int Port { get; private set; }

    public int MaxSeconds { get; private set; } = 900;

    public bool StdinStop { get; private set; }

    public IReadOnlyList<string> Arguments { get; private set; } = [];

    public static Options Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            throw new UsageException("");
        }
        var o = new Options { Command = args[0], Arguments = [.. args] };
        if (o.Command is not ("run" or "quote" or "verify" or "floor"))
        {
            throw new UsageException($"unknown command '{o.Command}'");
        }
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{name} needs a value");
                }
                return args[++i];
            }
            switch (name)
            {
                case "--url":
                    o.Url = ParseUrl(Value());
                    break;
                case "--connections":
                    o.Connections = (int)Integer(name, Value(), 1, MaxConnections);
                    break;
                case "--orders" or "--requests":
                    o.Requests = Integer(name, Value(), 1, MaxRequests);
                    break;
                case "--duration":
                    o.DurationSeconds = (int)Integer(name, Value(), 1, MaxDurationSeconds);
                    break;
                case "--rate":
                    o.Rate = Number(name, Value(), 0.1, MaxRate);
                    break;
                case "--mix":
                    o.Mix = Wrap(() => OrderMix.Parse(Value()));
                    break;
                case "--seed":
                    o.Seed = (int)Integer(name, Value(), int.MinValue, int.MaxValue);
                    break;
                case "--symbols":
                    o.Symbols = ParseSymbols(Value());
                    break;
                case "--floor":
                    o.Floor = true;
                    break;
                case "--no-floor":
                    o.Floor = false;
                    break;
                case "--floor-only":
                    o.FloorOnly = true;
                    o.Floor = true;
                    break;
                case "--acks":
                    o.AcksPath = Value();
                    break;
                case "--verify":
                    o.Verify = true;
                    break;
                case "--no-verify":
                    o.Verify = false;
                    break;
                case "--strict":
                    o.Strict = true;
                    break;
                case "--warmup":
                    o.WarmupSeconds = (int)Integer(name, Value(), 0, MaxWarmupSeconds);
                    break;
                case "--grace":
                    o.GraceSeconds = (int)Integer(name, Value(), 1, MaxGraceSeconds);
                    break;
                case "--verify-timeout":
                    o.VerifyTimeoutSeconds = (int)Integer(name, Value(), 10, MaxVerifySeconds);
                    break;
                case "--json":
                    o.JsonPath = Value();
                    break;
                case "--client":
                    o.Client = Value();
                    if (o.Client is not ("raw" or "httpclient"))
                    {
                        throw new UsageException("--client: raw or httpclient");
                    }
                    break;
                case "--server-pid":
                    o.ServerPid = (int)Integer(name, Value(), 1, int.MaxValue);
                    break;
                case "--port":
                    o.Port = (int)Integer(name, Value(), 0, 65535);
                    break;
                case "--max-seconds":
                    o.MaxSeconds = (int)Integer(name, Value(), 1, 24 * 3600);
                    break;
                case "--stdin-stop":
                    o.StdinStop = true;
                    break;
                default:
                    throw new UsageException($"unknown option '{name}'");
            }
        }
        if (o.Command is "run" or "quote" && !o.FloorOnly && o.Url is null)
        {
            throw new UsageException($"{o.Command}: --url http://127.0.0.1:PORT is required (or --floor-only)");
        }
        if (o.Command == "verify" && (o.Url is null || o.AcksPath is null))
        {
            throw new UsageException("verify: --url and --acks FILE are required");
        }
        if (o.Rate is { } rate && rate * o.DurationSeconds > MaxRequests)
        {
            throw new UsageException($"--rate {rate} for {o.DurationSeconds} s is over {MaxRequests} requests");
        }
        return o;
    }

    /// <summary>1-16 symbols, comma-separated (<c>--symbols</c> of <c>run</c> and <c>ws</c>).</summary>
    internal static IReadOnlyList<string> ParseSymbols(string text)
    {
        var symbols = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return symbols.Length is 0 or > 16 ? throw new UsageException("--symbols: give 1-16 symbols, comma-separated") : symbols;
    }

    /// <summary>An absolute http:// URL of a loopback address (<c>--url</c> of every command).</summary>
    internal static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
        {
            throw new UsageException($"--url: '{text}' is not an absolute URL");
        }
        try
        {
            Http.Loopback.EndPointOf(url);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"--url: {ex.Message}");
        }
        return url;
    }

    private static T Wrap<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>A whole number within [min, max] (underscores allowed), or a usage error naming the option.</summary>
    internal static long Integer(string name, string text, long min, long max)
    {
        if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new UsageException($"{name}: '{text}' is not a whole number");
        }
        if (value < min || value > max)
        {
            throw new UsageException($"{name}: {value} is out of bounds ({min}-{max}); the tool refuses rather than run unbounded load");
        }
        return value;
    }

    /// <summary>A finite number within [min, max], or a usage error naming the option.</summary>
    internal static double Number(string name, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new UsageException($"{name}: '{text}' is not a number");
        }
        if (value < min || value > max)
        {
            throw new UsageException($"{name}: {value} is out of bounds ({min}-{max}); the tool refuses rather than run unbounded load");
        }
        return value;
    }

    public const string Usage = """
        TradSys load tool: loopback load on the order path, measured against a bare Kestrel floor, then verified.

          run    --url http://127.0.0.1:PORT [--connections N] [--orders N] [--duration S] [--rate R]
                 [--mix new=80,amend=10,cancel=10] [--seed S] [--symbols COMI.INT,...] [--floor|--no-floor|--floor-only]
                 [--acks FILE] [--verify|--no-verify] [--warmup S] [--grace S] [--json FILE] [--client raw|httpclient]
                 [--server-pid PID] [--verify-timeout S]
          quote  --url http://127.0.0.1:PORT [--connections N] [--orders N] [--duration S] [--rate R] [--symbols ...]
                 [--floor|--no-floor|--floor-only] [--warmup S] [--json FILE] [--client ...] [--server-pid PID]
          verify --url http://127.0.0.1:PORT --acks FILE [--strict] [--verify-timeout S]
          floor  [--port P] [--max-seconds S]
          ws     --url http://127.0.0.1:PORT [...]   (WebSocket subscribers; `ws --help` lists the options)
          fix    --port PORT [--clients A:1001,B:2001] [--orders N] [--window W] [...]   (client FIX sessions; `fix --help`)

        Closed loop (as fast as each connection can) without --rate; open loop at R requests/s in total with it, latency
        measured from each request's intended send time. --orders bounds the requests of the measured phase (new orders,
        amends and cancels together). Defaults: 16 connections, 20 s, 200000 requests, 3 s warm-up, seed 42.
        Caps: 256 connections, 600 s, 2000000 requests, 200000/s. Only loopback URLs are accepted.
        Exit codes: 0 done (and verified), 1 verification failed, 2 usage, 3 the run could not be done.
        """;
}
