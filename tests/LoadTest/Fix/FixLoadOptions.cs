using System.Globalization;

namespace TradSys.LoadTest.Fix;

/// <summary>One client session the tool opens: its comp id and the account its orders name.</summary>
public sealed record FixClient(string CompId, long Account);

/// <summary>
/// The options of <c>fix</c>: client FIX sessions sending crossing limit orders into the platform's acceptor. Bounded like
/// <c>run</c>: values beyond the caps are refused, not clamped.
/// </summary>
public sealed class FixLoadOptions
{
    public const int MaxOrders = 2_000_000;
    public const int MaxWindow = 4_096;
    public const int MaxDurationSeconds = 600;

    public int Port { get; private set; }

    public string TargetCompId { get; private set; } = "TRADSYS";

    /// <summary>The sessions: the first buys, the second sells, and so on alternately, so that their orders cross.</summary>
    public IReadOnlyList<FixClient> Clients { get; private set; } = [new("BROKER1", 1001), new("BROKER2", 2001)];

    public string Symbol { get; private set; } = "COMI.INT";

    public decimal Price { get; private set; } = 80.00m;

    public int Quantity { get; private set; } = 10;

    public int Orders { get; private set; } = 20_000;

    public int Window { get; private set; } = 32;

    public int MaxSeconds { get; private set; } = 120;

    public int WarmupOrders { get; private set; } = 1_000;

    public string? JsonPath { get; private set; }

    public const string Usage = """
        TradSys.LoadTest fix --port PORT [options]
          Client FIX 4.4 sessions on the platform's acceptor (Fix:Acceptor) at 127.0.0.1:PORT, each logging on with
          ResetSeqNumFlag and sending NewOrderSingles (limit, Day, one price, so that buys and sells cross) with at most
          WINDOW unanswered at a time; an order's latency runs from its send to the first ExecutionReport naming its ClOrdID
          (New, Trade or Rejected). Prints orders a second, latency percentiles and every rejection by its text.
          --clients A:1001,B:2001  comp id:account per session (default BROKER1:1001,BROKER2:2001); odd ones buy, even ones sell
          --target-comp-id ID      the acceptor's SenderCompID (default TRADSYS)
          --symbol S               default COMI.INT
          --price P                default 80.00 (a valid tick of the symbol)
          --quantity Q             default 10 (whole lots of the symbol)
          --orders N               measured orders over all sessions (default 20000, at most 2000000)
          --warmup N               orders over all sessions before the measured ones (default 1000)
          --window W               unanswered orders per session (default 32, at most 4096)
          --max-seconds S          give up after S seconds (default 120, at most 600)
          --json FILE              the report as JSON as well
        """;

    public static FixLoadOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new FixLoadOptions();
        for (var i = 1; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value");
            switch (name)
            {
                case "--port":
                    o.Port = (int)Options.Integer(name, Value(), 1, 65_535);
                    break;
                case "--target-comp-id":
                    o.TargetCompId = CompId(name, Value());
                    break;
                case "--clients":
                    o.Clients = ParseClients(Value());
                    break;
                case "--symbol":
                    o.Symbol = Options.ParseSymbols(Value()) is [var one] ? one : throw new UsageException("--symbol: one symbol");
                    break;
                case "--price":
                    var price = Value();
                    o.Price = decimal.TryParse(price, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p > 0
                        ? p : throw new UsageException($"--price: '{price}' is not a positive decimal number");
                    break;
                case "--quantity":
                    o.Quantity = (int)Options.Integer(name, Value(), 1, 1_000_000);
                    break;
                case "--orders":
                    o.Orders = (int)Options.Integer(name, Value(), 1, MaxOrders);
                    break;
                case "--warmup":
                    o.WarmupOrders = (int)Options.Integer(name, Value(), 0, MaxOrders);
                    break;
                case "--window":
                    o.Window = (int)Options.Integer(name, Value(), 1, MaxWindow);
                    break;
                case "--max-seconds":
                    o.MaxSeconds = (int)Options.Integer(name, Value(), 1, MaxDurationSeconds);
                    break;
                case "--json":
                    o.JsonPath = Value();
                    break;
                default:
                    throw new UsageException($"fix: unknown option '{name}'");
            }
        }
        if (o.Port == 0)
        {
            throw new UsageException("fix: --port is required (the platform's Fix:Acceptor:Port)");
        }
        return o;
    }

    private static IReadOnlyList<FixClient> ParseClients(string text)
    {
        var clients = new List<FixClient>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split(':', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var account) || account <= 0)
            {
                throw new UsageException($"--clients: '{part}' is not COMPID:ACCOUNT (e.g. BROKER1:1001)");
            }
            clients.Add(new FixClient(CompId("--clients", pair[0]), account));
        }
        if (clients.Count < 2)
        {
            throw new UsageException("--clients: at least two sessions, one buying and one selling, so that orders cross");
        }
        if (clients.Select(c => c.CompId).Distinct(StringComparer.Ordinal).Count() != clients.Count)
        {
            throw new UsageException("--clients: a comp id is named twice");
        }
        return clients;
    }

    private static string CompId(string name, string value) =>
        value.Length is > 0 and <= 32 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? value
            : throw new UsageException($"{name}: '{value}' is not a comp id (1-32 letters, digits, '_', '-', '.')");
}
