using System.Text.Json;
using TradSys.LoadTest.Orders;

namespace TradSys.LoadTest.Verify;

/// <summary>An order as last acknowledged to the tool, and what was asked of it afterwards without an answer.</summary>
public sealed class AckedOrder
{
    public required long Id { get; init; }

    public required string ClientOrderId { get; init; }

    public required long AccountId { get; init; }

    public required string Symbol { get; init; }

    public required string Side { get; init; }

    public decimal? Price { get; set; }

    public long Quantity { get; set; }

    public long Filled { get; set; }

    public string Status { get; set; } = "";

    /// <summary>new, amend or cancel: the operation whose reply was the last ack.</summary>
    public string LastOperation { get; set; } = "";

    public int Acks { get; set; }

    /// <summary>An amend sent after the last ack that got no answer (it may or may not have happened).</summary>
    public (decimal? Price, long? Quantity)? LostAmend { get; set; }

    /// <summary>A cancel sent after the last ack that got no answer.</summary>
    public bool LostCancel { get; set; }
}

/// <summary>A trade as a reply reported it: the replying order was the aggressor.</summary>
public sealed record AckedTrade(long TradeId, long AggressorOrderId, string Symbol, decimal Price, long Quantity, string AggressorSide);

/// <summary>A new order that got no answer.</summary>
public sealed record LostNewOrder(string ClientOrderId, long AccountId, string Symbol, string Side, decimal Price, long Quantity);

/// <summary>An acks file (<see cref="AcksFile"/>) read back and folded: each order's last acknowledged state, every trade seen, what was lost.</summary>
public sealed class AcksLog
{
    public required RunHeader Header { get; init; }

    public Dictionary<long, AckedOrder> Orders { get; } = [];

    public Dictionary<long, AckedTrade> Trades { get; } = [];

    public List<LostNewOrder> LostNew { get; } = [];

    public int LostAmends { get; private set; }

    public int LostCancels { get; private set; }

    /// <summary>Lines that could not be read, and trades reported twice with different figures.</summary>
    public List<string> Problems { get; } = [];

    public int Lines { get; private set; }

    public bool HasLost => LostNew.Count + LostAmends + LostCancels > 0;

    public static AcksLog Read(string path) => Parse(File.ReadLines(path));

    public static AcksLog Parse(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        AcksLog? log = null;
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if (log is null)
            {
                var header = JsonSerializer.Deserialize<RunHeader>(line, AcksJson.Options);
                if (header is null || header.K != "run" || string.IsNullOrEmpty(header.RunId))
                {
                    throw new InvalidDataException("the acks file does not start with its run line");
                }
                log = new AcksLog { Header = header };
                log.Lines = 1;
                continue;
            }
            log.Lines++;
            try
            {
                log.Fold(line);
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                // A line cut short by a crash of the tool itself is the only expected case: the last one.
                log.Problems.Add($"line {number}: unreadable ({ex.Message})");
            }
        }
        return log ?? throw new InvalidDataException("the acks file is empty");
    }

    private void Fold(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var e = doc.RootElement;
        var kind = e.GetProperty("k").GetString();
        var op = e.GetProperty("op").GetString()!;
        if (kind == "ack")
        {
            var id = e.GetProperty("id").GetInt64();
            if (!Orders.TryGetValue(id, out var order))
            {
                Orders[id] = order = new AckedOrder
                {
                    Id = id,
                    ClientOrderId = e.GetProperty("coid").GetString()!,
                    AccountId = e.GetProperty("acct").GetInt64(),
                    Symbol = e.GetProperty("sym").GetString()!,
                    Side = e.GetProperty("side").GetString()!,
                };
            }
            order.Price = e.TryGetProperty("px", out var px) ? px.GetDecimal() : null;
            order.Quantity = e.GetProperty("qty").GetInt64();
            order.Filled = e.GetProperty("filled").GetInt64();
            order.Status = e.GetProperty("status").GetString()!;
            order.LastOperation = op;
            order.Acks++;
            order.LostAmend = null;
            order.LostCancel = false;
            if (e.TryGetProperty("trades", out var trades))
            {
                foreach (var t in trades.EnumerateArray())
                {
                    var trade = new AckedTrade(t.GetProperty("id").GetInt64(), id, order.Symbol, t.GetProperty("px").GetDecimal(),
                        t.GetProperty("qty").GetInt64(), t.GetProperty("aggr").GetString()!);
                    if (Trades.TryGetValue(trade.TradeId, out var seen) && seen != trade)
                    {
                        Problems.Add($"trade {trade.TradeId} was reported twice, differently: {seen} and {trade}");
                    }
                    Trades[trade.TradeId] = trade;
                }
            }
            return;
        }
        if (kind == "seen")
        {
            // A 409 refusal stating the order's state: it stands as the order's last acknowledged status and filled quantity (its
            // terms are as last acknowledged; an amend without an answer before it may still have happened).
            // A 400 "changes nothing" to an amend states the terms instead: the order has the price and quantity that amend asked for.
            if (Orders.TryGetValue(e.GetProperty("id").GetInt64(), out var seen))
            {
                if (e.TryGetProperty("status", out var status))
                {
                    seen.Status = status.GetString()!;
                    seen.Filled = e.GetProperty("filled").GetInt64();
                    seen.LastOperation = op + " refusal (409)";
                    seen.LostCancel = false;
                }
                else
                {
                    seen.Price = e.TryGetProperty("px", out var px) ? px.GetDecimal() : seen.Price;
                    seen.Quantity = e.TryGetProperty("qty", out var qty) ? qty.GetInt64() : seen.Quantity;
                    seen.LastOperation = op + " refusal (400, it changes nothing)";
                }
                seen.Acks++;
            }
            return;
        }
        if (kind != "lost")
        {
            throw new InvalidOperationException($"unknown line kind '{kind}'");
        }
        switch (op)
        {
            case "new":
                LostNew.Add(new LostNewOrder(e.GetProperty("coid").GetString()!, e.GetProperty("acct").GetInt64(), e.GetProperty("sym").GetString()!,
                    e.GetProperty("side").GetString()!, e.GetProperty("px").GetDecimal(), e.GetProperty("qty").GetInt64()));
                break;
            case "amend":
                LostAmends++;
                if (Orders.TryGetValue(e.GetProperty("id").GetInt64(), out var amended))
                {
                    amended.LostAmend = (e.TryGetProperty("px", out var p) ? p.GetDecimal() : null,
                        e.TryGetProperty("qty", out var q) ? q.GetInt64() : null);
                }
                break;
            case "cancel":
                LostCancels++;
                if (Orders.TryGetValue(e.GetProperty("id").GetInt64(), out var canceled))
                {
                    canceled.LostCancel = true;
                }
                break;
            default:
                throw new InvalidOperationException($"unknown lost operation '{op}'");
        }
    }
}
