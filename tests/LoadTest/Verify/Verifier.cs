using System.Diagnostics;
using System.Globalization;

namespace TradSys.LoadTest.Verify;

/// <summary>One verification check: how many things it looked at, how many were wrong, and the first few of those.</summary>
public sealed class Check(string name, string description)
{
    private const int MaxSamples = 10;

    public string Name { get; } = name;

    public string Description { get; } = description;

    public long Checked { get; set; }

    public long Failed { get; private set; }

    public List<string> Samples { get; } = [];

    public void Fail(string what)
    {
        Failed++;
        if (Samples.Count < MaxSamples)
        {
            Samples.Add(what);
        }
    }

    /// <summary>Counts one item, failing it with <paramref name="what"/> unless <paramref name="ok"/>.</summary>
    public void Expect(bool ok, Func<string> what)
    {
        ArgumentNullException.ThrowIfNull(what);
        Checked++;
        if (!ok)
        {
            Fail(what());
        }
    }
}

/// <summary>The outcome of a verification.</summary>
public sealed class VerificationResult
{
    /// <summary>"clean run" (exact) or "after a crash" (acknowledged state kept; more may have traded).</summary>
    public required string Mode { get; init; }

    public string? ModeNote { get; init; }

    public required List<Check> Checks { get; init; }

    /// <summary>Figures for the report: counts of orders, trades, statuses.</summary>
    public Dictionary<string, long> Figures { get; } = [];

    public double Seconds { get; set; }

    public bool Passed => Checks.All(c => c.Failed == 0);
}

/// <summary>
/// Verifies a run afterwards through the API: what the tool was told (the acks file) against what the platform now
/// says (GET /api/v1/orders of the run's accounts since its start, GET /api/v1/trades of its symbols, read with a
/// read-only role that sees both sides of every trade). The run's orders are those whose clientOrderId starts with its
/// run id. Two modes:
/// <list type="bullet">
/// <item>clean run (every request answered): every acknowledged order exists with its terms as last acknowledged; its
/// filled quantity equals the sum of its trades, and its status is the one its last reply and its trades imply
/// (Canceled and Rejected stay with what they had; a working order becomes Filled, PartiallyFilled or stays Accepted by
/// what traded since); every trade a reply reported exists with its price, quantity and aggressor; every trade of the
/// run's orders was reported to its aggressor; every run order was acknowledged; buy volume = sell volume.</item>
/// <item>after a crash (requests without an answer, or the `verify` command): every acknowledged order exists with its
/// acknowledged terms (or those of an amend that got no answer); a terminal status stays; a working order's filled
/// quantity is at least what was acknowledged (it may have traded with orders whose replies were lost); every
/// acknowledged trade exists; per order the trades add up; no order exists that the tool did not send.</item>
/// </list>
/// </summary>
public static class Verifier
{
    /// <summary>The demo's read-only client: it reads every account's orders and both sides of every trade.</summary>
    public const string ReaderClient = "viewer1";

    public static async Task<VerificationResult> RunAsync(Uri url, string acksPath, bool strict, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var cut = new CancellationTokenSource(timeout);
        var acks = AcksLog.Read(acksPath);
        using var api = new ApiClient(url);
        var ct = cut.Token;
        List<ApiOrder> orders = [];
        List<ApiTrade> trades = [];
        try
        {
            var token = await api.TokenAsync(ReaderClient, $"{ReaderClient}-demo-secret", ct).ConfigureAwait(false);
            // Some slack before the run's start: the platform's clock and the tool's are the same machine's.
            var from = acks.Header.Started.AddMinutes(-1);
            var to = DateTime.UtcNow.AddMinutes(1);
            foreach (var account in acks.Header.Accounts)
            {
                orders.AddRange(await api.OrdersAsync(account, from, to, token, ct).ConfigureAwait(false));
            }
            foreach (var symbol in acks.Header.Symbols)
            {
                trades.AddRange(await api.TradesAsync(symbol, from, to, token, ct).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cut.IsCancellationRequested)
        {
            var check = new Check("finished in time", $"reading the run back within {timeout.TotalSeconds:0} s");
            check.Fail($"the API reads took longer than {timeout.TotalSeconds:0} s (orders read: {orders.Count}, trades read: {trades.Count})");
            return new VerificationResult { Mode = strict ? "clean run" : "after a crash", Checks = [check], Seconds = clock.Elapsed.TotalSeconds };
        }
        var result = Compare(acks, orders, trades, strict);
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>The comparison itself, on what was read (no I/O).</summary>
    public static VerificationResult Compare(AcksLog acks, IReadOnlyList<ApiOrder> apiOrders, IReadOnlyList<ApiTrade> apiTrades, bool strict)
    {
        ArgumentNullException.ThrowIfNull(acks);
        ArgumentNullException.ThrowIfNull(apiOrders);
        ArgumentNullException.ThrowIfNull(apiTrades);
        string? note = null;
        if (strict && acks.HasLost)
        {
            strict = false;
            note = $"{acks.LostNew.Count} new orders, {acks.LostAmends} amends and {acks.LostCancels} cancels got no answer: checked as after a crash";
        }
        var prefix = acks.Header.RunId + "-";
        var run = new Dictionary<long, ApiOrder>();
        foreach (var order in apiOrders)
        {
            if (order.ClientOrderId.StartsWith(prefix, StringComparison.Ordinal))
            {
                run[order.OrderId] = order;
            }
        }
        var tradesById = new Dictionary<long, ApiTrade>();
        var filledByTrades = new Dictionary<long, long>();
        var outsideTrades = 0L;
        long buyVolume = 0, sellVolume = 0;
        foreach (var trade in apiTrades)
        {
            var buyInRun = trade.BuyOrderId is { } b && run.ContainsKey(b);
            var sellInRun = trade.SellOrderId is { } s && run.ContainsKey(s);
            if (!buyInRun && !sellInRun)
            {
                continue;
            }
            tradesById[trade.TradeId] = trade;
            if (buyInRun)
            {
                filledByTrades[trade.BuyOrderId!.Value] = filledByTrades.GetValueOrDefault(trade.BuyOrderId.Value) + trade.Quantity;
                buyVolume += trade.Quantity;
            }
            if (sellInRun)
            {
                filledByTrades[trade.SellOrderId!.Value] = filledByTrades.GetValueOrDefault(trade.SellOrderId.Value) + trade.Quantity;
                sellVolume += trade.Quantity;
            }
            if (!buyInRun || !sellInRun)
            {
                outsideTrades++;
            }
        }

        var exists = new Check("acknowledged orders exist", "every order the tool was told was accepted (2xx) is in GET /api/v1/orders");
        var terms = new Check("terms as acknowledged", "account, clientOrderId, symbol, side, price and quantity as last acknowledged" +
                                                       (strict ? "" : " (or as an amend that got no answer asked)"));
        var state = new Check("status and filled quantity", strict
            ? "status and filled quantity as the last reply and the order's trades since imply (exact)"
            : "a terminal status (Filled, Canceled, Rejected) kept with its filled quantity; a working order's filled quantity at least as acknowledged");
        foreach (var ack in acks.Orders.Values)
        {
            var found = run.TryGetValue(ack.Id, out var api);
            exists.Expect(found, () => $"order {ack.Id} ({ack.ClientOrderId}, account {ack.AccountId}, last acknowledged {ack.Status}) is missing");
            if (!found)
            {
                continue;
            }
            CheckTerms(terms, ack, api!);
            CheckState(state, ack, api!, filledByTrades.GetValueOrDefault(ack.Id), strict);
        }

        var acked = new Check("acknowledged trades exist", "every trade a reply reported exists with its price, quantity, aggressor side and aggressor order");
        foreach (var trade in acks.Trades.Values)
        {
            if (!tradesById.TryGetValue(trade.TradeId, out var api))
            {
                acked.Expect(false, () => $"trade {trade.TradeId} ({trade.Quantity} @ {Num(trade.Price)}, aggressor order {trade.AggressorOrderId}) is missing");
                continue;
            }
            var aggressorOrder = api.AggressorSide == "Buy" ? api.BuyOrderId : api.AggressorSide == "Sell" ? api.SellOrderId : null;
            acked.Expect(api.Price == trade.Price && api.Quantity == trade.Quantity && api.AggressorSide == trade.AggressorSide
                         && aggressorOrder == trade.AggressorOrderId && api.Symbol == trade.Symbol,
                () => $"trade {trade.TradeId}: the reply said {trade.Quantity} @ {Num(trade.Price)} {trade.Symbol}, aggressor {trade.AggressorSide} order " +
                      $"{trade.AggressorOrderId}; the API says {api.Quantity} @ {Num(api.Price)} {api.Symbol}, aggressor {api.AggressorSide} order {aggressorOrder}");
        }

        var addUp = new Check("trades add up per order", "each run order's filled quantity equals the sum of its trades' quantities");
        foreach (var order in run.Values)
        {
            var traded = filledByTrades.GetValueOrDefault(order.OrderId);
            addUp.Expect(traded == order.FilledQuantity,
                () => $"order {order.OrderId} ({order.ClientOrderId}, {order.Status}): filledQuantity {order.FilledQuantity}, its trades add up to {traded}");
        }

        var volume = new Check("buy volume = sell volume", "over the run's orders: filled buys = filled sells = traded quantity (trades between run orders)");
        long filledBuys = 0, filledSells = 0;
        foreach (var order in run.Values)
        {
            if (order.Side == "Buy")
            {
                filledBuys += order.FilledQuantity;
            }
            else
            {
                filledSells += order.FilledQuantity;
            }
        }
        volume.Expect(filledBuys == buyVolume && filledSells == sellVolume && (outsideTrades > 0 || filledBuys == filledSells),
            () => $"filled buys {filledBuys}, filled sells {filledSells}; trades' buy side {buyVolume}, sell side {sellVolume}" +
                  (outsideTrades > 0 ? $" ({outsideTrades} trades with an order outside this run)" : ""));

        var sent = new Check("no order the tool did not send", strict
            ? "every run order in the API was acknowledged"
            : "every run order in the API was acknowledged or sent without an answer");
        var lostByClientId = acks.LostNew.ToDictionary(l => (l.AccountId, l.ClientOrderId));
        var lostFound = 0L;
        foreach (var order in run.Values)
        {
            if (acks.Orders.ContainsKey(order.OrderId))
            {
                sent.Checked++;
                continue;
            }
            var wasLost = lostByClientId.TryGetValue((order.AccountId, order.ClientOrderId), out var lost);
            sent.Expect(!strict && wasLost,
                () => $"order {order.OrderId} ({order.ClientOrderId}, {order.Status}) is in the API but was never acknowledged" +
                      (wasLost ? " (its request got no answer)" : ""));
            if (wasLost)
            {
                lostFound++;
                terms.Expect(order.Symbol == lost!.Symbol && order.Side == lost.Side && order.Price == lost.Price && order.Quantity == lost.Quantity,
                    () => $"order {order.OrderId} ({order.ClientOrderId}) sent without an answer as {lost.Side} {lost.Quantity} {lost.Symbol} @ {Num(lost.Price)}; " +
                          $"the API has {order.Side} {order.Quantity} {order.Symbol} @ {Num(order.Price)}");
            }
        }

        var checks = new List<Check> { exists, terms, state, acked };
        if (strict)
        {
            var reported = new Check("every trade was reported", "every trade of a run order was in its aggressor's reply, against an acknowledged order");
            foreach (var trade in tradesById.Values)
            {
                var passive = trade.AggressorSide == "Buy" ? trade.SellOrderId : trade.BuyOrderId;
                reported.Expect(acks.Trades.ContainsKey(trade.TradeId) && passive is { } p && acks.Orders.ContainsKey(p),
                    () => $"trade {trade.TradeId} ({trade.Quantity} @ {Num(trade.Price)}, buy order {trade.BuyOrderId}, sell order {trade.SellOrderId}, " +
                          $"aggressor {trade.AggressorSide}): " + (acks.Trades.ContainsKey(trade.TradeId)
                              ? "its passive order was never acknowledged"
                              : "no reply reported it"));
            }
            checks.Add(reported);
        }
        checks.Add(addUp);
        checks.Add(volume);
        checks.Add(sent);
        foreach (var problem in acks.Problems)
        {
            var unreadable = checks.FirstOrDefault(c => c.Name == "acks file readable");
            if (unreadable is null)
            {
                unreadable = new Check("acks file readable", "every line of the acks file parses, no trade reported twice differently");
                checks.Insert(0, unreadable);
            }
            unreadable.Expect(false, () => problem);
        }

        var result = new VerificationResult { Mode = strict ? "clean run" : "after a crash", ModeNote = note, Checks = checks };
        result.Figures["acknowledged orders"] = acks.Orders.Count;
        result.Figures["run orders in the API"] = run.Count;
        result.Figures["acknowledged trades"] = acks.Trades.Count;
        result.Figures["run trades in the API"] = tradesById.Count;
        result.Figures["traded quantity (buy side)"] = buyVolume;
        result.Figures["new orders without an answer"] = acks.LostNew.Count;
        result.Figures["of which in the API"] = lostFound;
        result.Figures["amends without an answer"] = acks.LostAmends;
        result.Figures["cancels without an answer"] = acks.LostCancels;
        foreach (var group in run.Values.GroupBy(o => o.Status).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            result.Figures[$"API status {group.Key}"] = group.Count();
        }
        return result;
    }

    private static void CheckTerms(Check terms, AckedOrder ack, ApiOrder api)
    {
        var same = api.AccountId == ack.AccountId && api.ClientOrderId == ack.ClientOrderId && api.Symbol == ack.Symbol && api.Side == ack.Side;
        var asAcked = api.Price == ack.Price && api.Quantity == ack.Quantity;
        var asLostAmend = ack.LostAmend is { } amend && api.Price == (amend.Price ?? ack.Price) && api.Quantity == (amend.Quantity ?? ack.Quantity);
        terms.Expect(same && (asAcked || asLostAmend),
            () => $"order {ack.Id}: acknowledged {ack.AccountId} {ack.ClientOrderId} {ack.Side} {ack.Quantity} {ack.Symbol} @ {Num(ack.Price)}; " +
                  $"the API has {api.AccountId} {api.ClientOrderId} {api.Side} {api.Quantity} {api.Symbol} @ {Num(api.Price)}");
    }

    private static void CheckState(Check state, AckedOrder ack, ApiOrder api, long traded, bool strict)
    {
        string Describe() => $"order {ack.Id} ({ack.ClientOrderId}): last acknowledged {ack.Status} with {ack.Filled} of {ack.Quantity} filled " +
                             $"(by its {ack.LastOperation} reply); the API says {api.Status} with {api.FilledQuantity} of {api.Quantity} filled" +
                             (strict ? $", its trades add up to {traded}" : "") + (ack.LostCancel ? "; a cancel got no answer" : "");
        bool ok;
        switch (ack.Status)
        {
            case "Canceled" or "Rejected" or "Filled":
                ok = api.Status == ack.Status && api.FilledQuantity == ack.Filled && (!strict || traded == ack.Filled);
                break;
            case "PendingReview":
                ok = api.Status == "PendingReview" || ack.LostCancel && api.Status == "Canceled";
                break;
            case "Accepted" or "PartiallyFilled" or "New":
                if (strict)
                {
                    var expected = traded >= api.Quantity ? "Filled" : traded > 0 ? "PartiallyFilled" : "Accepted";
                    ok = traded >= ack.Filled && api.FilledQuantity == traded && api.Status == expected;
                }
                else
                {
                    var consistent = api.Status switch
                    {
                        "Accepted" => api.FilledQuantity == 0,
                        "PartiallyFilled" => api.FilledQuantity > 0 && api.FilledQuantity < api.Quantity,
                        "Filled" => api.FilledQuantity == api.Quantity,
                        // A cancel that got no answer, or an amend that got none and moved the price: the amended order may have
                        // crossed at once and self-trade prevention canceled what was left of it (the aggressor is canceled).
                        "Canceled" => ack.LostCancel || ack.LostAmend is { Price: not null },
                        _ => false,
                    };
                    ok = consistent && api.FilledQuantity >= ack.Filled;
                }
                break;
            default:
                ok = api.Status == ack.Status;
                break;
        }
        state.Expect(ok, Describe);
    }

    private static string Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "(none)";
}
