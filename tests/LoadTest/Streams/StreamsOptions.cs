namespace TradSys.LoadTest.Streams;

/// <summary>
/// The options of <c>ws</c>: subscribers on <c>/ws</c> while orders are offered at a fixed rate. Bounded like <c>run</c>:
/// values beyond the caps are refused, not clamped.
/// </summary>
public sealed class StreamsOptions
{
    public const int MaxSubscribers = 20_000;
    public const double MaxRate = 20_000;
    public const int MaxDurationSeconds = 600;
    public static readonly IReadOnlyList<string> KnownChannels = ["market_data", "trades"];

    public Uri? Url { get; private set; }

    public int Subscribers { get; private set; } = 1_000;

    public IReadOnlyList<string> Symbols { get; private set; } = ["COMI.INT"];

    public IReadOnlyList<string> Channels { get; private set; } = KnownChannels;

    public double Rate { get; private set; } = 1_000;

    public int DurationSeconds { get; private set; } = 20;

    public int ConnectParallel { get; private set; } = 64;

    public int IdleSeconds { get; private set; } = 3;

    public int? ServerPid { get; private set; }

    public string? JsonPath { get; private set; }

    public const string Usage = """
        TradSys.LoadTest ws --url http://127.0.0.1:PORT [options]
          Opens N WebSocket subscribers on /ws (market_data and trades of the symbols, spread evenly), measures the server's
          memory per idle connection, then offers crossing orders (trader1 buys, trader2 sells at the reference price) at a fixed
          rate and measures each trade and market-data update from the platform's timestamp to its arrival at every subscriber.
          --subscribers N        1-20000 (default 1000); the tool raises its own open-file limit as far as the hard limit allows
          --symbols A,B          1-16 symbols (default COMI.INT); subscriber i follows symbol i mod count
          --channels C,D         market_data and/or trades (default both)
          --rate R               orders a second offered (default 1000, at most 20000); 0.1 and up
          --duration S           seconds of orders (default 20, at most 600)
          --connect-parallel P   connections opened at once (default 64)
          --idle-seconds S       wait after connecting before the memory reading (default 3)
          --server-pid PID       the platform's process: memory per idle connection from its resident set (/proc/PID/status)
          --json FILE            the report as JSON as well
        """;

    public static StreamsOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new StreamsOptions();
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value");
            switch (name)
            {
                case "--url":
                    o.Url = Options.ParseUrl(Value());
                    break;
                case "--subscribers":
                    o.Subscribers = (int)Options.Integer(name, Value(), 1, MaxSubscribers);
                    break;
                case "--symbols":
                    o.Symbols = Options.ParseSymbols(Value());
                    break;
                case "--channels":
                    o.Channels = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (o.Channels.Count == 0 || o.Channels.Any(c => !KnownChannels.Contains(c)) || o.Channels.Distinct().Count() != o.Channels.Count)
                    {
                        throw new UsageException("--channels: market_data and/or trades, comma-separated, each once");
                    }
                    break;
                case "--rate":
                    o.Rate = Options.Number(name, Value(), 0.1, MaxRate);
                    break;
                case "--duration":
                    o.DurationSeconds = (int)Options.Integer(name, Value(), 1, MaxDurationSeconds);
                    break;
                case "--connect-parallel":
                    o.ConnectParallel = (int)Options.Integer(name, Value(), 1, 1_000);
                    break;
                case "--idle-seconds":
                    o.IdleSeconds = (int)Options.Integer(name, Value(), 0, 60);
                    break;
                case "--server-pid":
                    o.ServerPid = (int)Options.Integer(name, Value(), 1, int.MaxValue);
                    break;
                case "--json":
                    o.JsonPath = Value();
                    break;
                default:
                    throw new UsageException($"ws: unknown option '{name}'");
            }
        }
        if (o.Url is null)
        {
            throw new UsageException("ws: --url is required");
        }
        return o;
    }
}
