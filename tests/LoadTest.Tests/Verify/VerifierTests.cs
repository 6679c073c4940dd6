using System.Text;
using TradSys.LoadTest.Orders;
using TradSys.LoadTest.Verify;

namespace TradSys.LoadTest.Tests.Verify;

public class VerifierTests
{
    private static readonly DateTime Started = new(2026, 12, 4, 18, 0, 0, DateTimeKind.Utc);

    // Order 1 (buy 100 @ 80.01) rested, then order 2 (sell 60 @ 79.99) took 60 of it (trade 7, aggressor Sell);
    // order 3 (buy 20) rested and was canceled; order 4 was refused by a rule pack.
    private static readonly string[] Lines =
    [
        """{"k":"run","runId":"r1","url":"http://127.0.0.1:1/","started":"2026-12-04T18:00:00Z","symbols":["COMI.INT"],"accounts":[1001,2001]}""",
        """{"k":"ack","op":"new","id":1,"coid":"r1-0-1","acct":1001,"sym":"COMI.INT","side":"Buy","px":80.01,"qty":100,"filled":0,"status":"Accepted"}""",
        """{"k":"ack","op":"new","id":2,"coid":"r1-1-1","acct":2001,"sym":"COMI.INT","side":"Sell","px":79.99,"qty":60,"filled":60,"status":"Filled","trades":[{"id":7,"px":80.01,"qty":60,"sell":2,"aggr":"Sell"}]}""",
        """{"k":"ack","op":"new","id":3,"coid":"r1-0-2","acct":1001,"sym":"COMI.INT","side":"Buy","px":79.98,"qty":20,"filled":0,"status":"Accepted"}""",
        """{"k":"ack","op":"cancel","id":3,"coid":"r1-0-2","acct":1001,"sym":"COMI.INT","side":"Buy","px":79.98,"qty":20,"filled":0,"status":"Canceled"}""",
        """{"k":"ack","op":"new","id":4,"coid":"r1-1-2","acct":2001,"sym":"COMI.INT","side":"Sell","px":80.00,"qty":10,"filled":0,"status":"Rejected","reject":4001}""",
    ];

    private static List<ApiOrder> Orders() =>
    [
        new(1, "r1-0-1", 1001, "COMI.INT", "Buy", "Limit", 80.01m, 100, 60, 40, 80.01m, "PartiallyFilled", null),
        new(2, "r1-1-1", 2001, "COMI.INT", "Sell", "Limit", 79.99m, 60, 60, 0, 80.01m, "Filled", null),
        new(3, "r1-0-2", 1001, "COMI.INT", "Buy", "Limit", 79.98m, 20, 0, 0, null, "Canceled", null),
        new(4, "r1-1-2", 2001, "COMI.INT", "Sell", "Limit", 80.00m, 10, 0, 0, null, "Rejected", 4001),
        // Not this run's.
        new(9, "other-1", 1001, "COMI.INT", "Buy", "Limit", 80.00m, 10, 0, 10, null, "Accepted", null),
    ];

    private static List<ApiTrade> Trades() => [new(7, "COMI.INT", 80.01m, 60, 1, 2, 1001, 2001, "Sell", Started.AddSeconds(1))];

    private static AcksLog Log(params string[] extra) => AcksLog.Parse([.. Lines, .. extra]);

    [Fact]
    public void A_consistent_run_passes_every_check()
    {
        var result = Verifier.Compare(Log(), Orders(), Trades(), strict: true);
        Assert.True(result.Passed, Failures(result));
        Assert.Equal("clean run", result.Mode);
        Assert.Equal(4, result.Figures["acknowledged orders"]);
        Assert.Equal(4, result.Figures["run orders in the API"]);
        Assert.All(result.Checks, c => Assert.True(c.Checked > 0, c.Name));
    }

    [Fact]
    public void A_missing_acknowledged_order_fails()
    {
        var orders = Orders().Where(o => o.OrderId != 3).ToList();
        var result = Verifier.Compare(Log(), orders, Trades(), strict: true);
        Assert.False(result.Passed);
        Assert.Contains("order 3 (r1-0-2", Single(result, "acknowledged orders exist"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_passive_fill_the_orders_table_does_not_show_fails()
    {
        var orders = Orders();
        orders[0] = orders[0] with { FilledQuantity = 0, LeavesQuantity = 100, Status = "Accepted" };
        var result = Verifier.Compare(Log(), orders, Trades(), strict: true);
        Assert.False(result.Passed);
        Assert.Contains("its trades add up to 60", Single(result, "status and filled quantity"), StringComparison.Ordinal);
        Assert.Contains("filledQuantity 0, its trades add up to 60", Single(result, "trades add up per order"), StringComparison.Ordinal);
        Assert.Contains("filled buys 0, filled sells 60", Single(result, "buy volume = sell volume"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_trade_with_other_figures_than_its_reply_fails()
    {
        var trades = new List<ApiTrade> { Trades()[0] with { Price = 80.02m } };
        var result = Verifier.Compare(Log(), Orders(), trades, strict: true);
        Assert.Contains("the reply said 60 @ 80.01", Single(result, "acknowledged trades exist"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_trade_no_reply_reported_fails_a_clean_run()
    {
        var orders = Orders();
        orders[0] = orders[0] with { FilledQuantity = 70, LeavesQuantity = 30 };
        orders[2] = orders[2] with { Status = "Canceled" };
        var trades = Trades();
        trades.Add(new ApiTrade(8, "COMI.INT", 80.01m, 10, 1, 4, 1001, 2001, "Sell", Started.AddSeconds(2)));
        var result = Verifier.Compare(Log(), orders, trades, strict: true);
        Assert.Contains("trade 8", Single(result, "every trade was reported"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_nobody_acknowledged_fails()
    {
        var orders = Orders();
        orders.Add(new ApiOrder(5, "r1-0-3", 1001, "COMI.INT", "Buy", "Limit", 80.00m, 10, 0, 10, null, "Accepted", null));
        var result = Verifier.Compare(Log(), orders, Trades(), strict: true);
        Assert.Contains("order 5 (r1-0-3", Single(result, "no order the tool did not send"), StringComparison.Ordinal);
    }

    [Fact]
    public void Changed_terms_fail()
    {
        var orders = Orders();
        orders[2] = orders[2] with { Price = 79.97m };
        var result = Verifier.Compare(Log(), orders, Trades(), strict: true);
        Assert.Contains("order 3: acknowledged", Single(result, "terms as acknowledged"), StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_crash_more_fills_and_unanswered_requests_are_accepted()
    {
        // Order 1 traded 40 more with order 6, a new order whose reply was lost; an amend of order 3 got no answer and happened.
        string[] lost =
        [
            """{"k":"lost","op":"new","coid":"r1-1-3","acct":2001,"sym":"COMI.INT","side":"Sell","px":80.01,"qty":40}""",
        ];
        var log = AcksLog.Parse([.. Lines.Take(4), """{"k":"lost","op":"amend","id":3,"px":79.97}""", Lines[5], .. lost]);
        var orders = Orders();
        orders[0] = orders[0] with { FilledQuantity = 100, LeavesQuantity = 0, Status = "Filled" };
        orders[2] = orders[2] with { Price = 79.97m, Status = "Accepted", LeavesQuantity = 20 };
        orders.Add(new ApiOrder(6, "r1-1-3", 2001, "COMI.INT", "Sell", "Limit", 80.01m, 40, 40, 0, 80.01m, "Filled", null));
        var trades = Trades();
        trades.Add(new ApiTrade(8, "COMI.INT", 80.01m, 40, 1, 6, 1001, 2001, "Sell", Started.AddSeconds(2)));

        var result = Verifier.Compare(log, orders, trades, strict: true);

        Assert.Equal("after a crash", result.Mode);
        Assert.NotNull(result.ModeNote);
        Assert.True(result.Passed, Failures(result));
        Assert.Equal(1, result.Figures["of which in the API"]);
    }

    [Fact]
    public void After_a_crash_an_unanswered_amend_that_crossed_may_leave_the_order_canceled_by_self_trade_prevention()
    {
        // Order 3 (buy 20 @ 79.98, working) was amended to 80.01 without an answer: it bought 10 from order 6, then met a
        // resting sell of its own account, and self-trade prevention canceled the remaining 10 (the aggressor's remainder).
        var log = AcksLog.Parse([.. Lines.Take(4), """{"k":"lost","op":"amend","id":3,"px":80.01}""", Lines[5],
            """{"k":"lost","op":"new","coid":"r1-1-3","acct":2001,"sym":"COMI.INT","side":"Sell","px":80.01,"qty":10}"""]);
        var orders = Orders();
        orders[2] = orders[2] with { Price = 80.01m, FilledQuantity = 10, LeavesQuantity = 0, Status = "Canceled" };
        orders.Add(new ApiOrder(6, "r1-1-3", 2001, "COMI.INT", "Sell", "Limit", 80.01m, 10, 10, 0, 80.01m, "Filled", null));
        var trades = Trades();
        trades.Add(new ApiTrade(8, "COMI.INT", 80.01m, 10, 3, 6, 1001, 2001, "Buy", Started.AddSeconds(2)));

        var result = Verifier.Compare(log, orders, trades, strict: true);

        Assert.Equal("after a crash", result.Mode);
        Assert.True(result.Passed, Failures(result));
    }

    [Fact]
    public void After_a_crash_a_working_order_canceled_without_an_unanswered_request_still_fails()
    {
        var log = AcksLog.Parse([.. Lines.Take(4), Lines[5],
            """{"k":"lost","op":"new","coid":"r1-1-3","acct":2001,"sym":"COMI.INT","side":"Sell","px":80.50,"qty":10}"""]);
        var orders = Orders();
        orders[2] = orders[2] with { Status = "Canceled", LeavesQuantity = 0 };

        var result = Verifier.Compare(log, orders, Trades(), strict: true);

        Assert.False(result.Passed);
        Assert.Contains("order 3 (r1-0-2)", Single(result, "status and filled quantity"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancel_refused_409_with_the_order_canceled_stands_as_its_outcome()
    {
        // The cancel of order 3 was carried out, but its answer was lost with the node that forwarded it; the balancer sent the
        // DELETE again and the platform refused it, stating the order as it is: Canceled with 0 filled.
        var log = AcksLog.Parse([.. Lines.Take(4), Lines[5], """{"k":"seen","op":"cancel","id":3,"status":"Canceled","filled":0}"""]);
        var orders = Orders();
        orders[2] = orders[2] with { Status = "Canceled", LeavesQuantity = 0 };

        var result = Verifier.Compare(log, orders, Trades(), strict: true);

        Assert.True(result.Passed, Failures(result));
        Assert.Equal("Canceled", log.Orders[3].Status);
        Assert.Equal("cancel refusal (409)", log.Orders[3].LastOperation);
    }

    [Fact]
    public void An_amend_refused_as_changing_nothing_states_the_terms_it_asked_for()
    {
        // An amend of order 3 to 15 @ 79.97 was carried out, its answer lost with the node that forwarded it; the balancer sent the
        // PATCH again and the platform refused it (400, the amend changes nothing): the order has those terms.
        var log = AcksLog.Parse([.. Lines.Take(4), Lines[5], """{"k":"seen","op":"amend","id":3,"px":79.97,"qty":15}"""]);
        var orders = Orders();
        orders[2] = orders[2] with { Price = 79.97m, Quantity = 15, Status = "Accepted", LeavesQuantity = 15 };

        var result = Verifier.Compare(log, orders, Trades(), strict: false);

        Assert.True(result.Passed, Failures(result));
        Assert.Equal((79.97m, 15L, "amend refusal (400, it changes nothing)"), (log.Orders[3].Price, log.Orders[3].Quantity, log.Orders[3].LastOperation));
        // The same API answer without that statement is a change of terms nobody acknowledged.
        var without = Verifier.Compare(AcksLog.Parse([.. Lines.Take(4), Lines[5]]), orders, Trades(), strict: false);
        Assert.Contains("order 3: acknowledged", Single(without, "terms as acknowledged"), StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_a_409_stated_canceled_that_the_api_shows_working_fails()
    {
        var log = AcksLog.Parse([.. Lines.Take(4), Lines[5], """{"k":"seen","op":"amend","id":3,"status":"Canceled","filled":0}"""]);
        var orders = Orders();
        orders[2] = orders[2] with { Status = "Accepted", LeavesQuantity = 20 };

        var result = Verifier.Compare(log, orders, Trades(), strict: false);

        Assert.False(result.Passed);
        Assert.Contains("order 3 (r1-0-2): last acknowledged Canceled with 0 of 20 filled (by its amend refusal (409) reply); the API says Accepted",
            Single(result, "status and filled quantity"), StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_crash_a_lost_fill_still_fails()
    {
        var orders = Orders();
        orders[1] = orders[1] with { FilledQuantity = 0, Status = "Accepted", LeavesQuantity = 60 };
        var result = Verifier.Compare(Log(), orders, [], strict: false);
        Assert.False(result.Passed);
        Assert.Contains("trade 7", Single(result, "acknowledged trades exist"), StringComparison.Ordinal);
        Assert.Contains("order 2 (r1-1-1)", Single(result, "status and filled quantity"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_acks_buffer_writes_what_the_log_reads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"acks-test-{Guid.NewGuid():N}.jsonl");
        try
        {
            using (var file = new AcksFile(path, new RunHeader("run", "r9", "http://127.0.0.1:1/", Started, ["COMI.INT"], [1001])))
            {
                var buffer = new AcksBuffer(file);
                var reply = new OrderReply();
                Assert.True(reply.TryParse(Encoding.UTF8.GetBytes(
                    """{"orderId":12,"price":80.5,"quantity":30,"filledQuantity":10,"leavesQuantity":20,"status":"PartiallyFilled","trades":[{"tradeId":3,"price":80.5,"quantity":10,"buyOrderId":12,"sellOrderId":null,"aggressorSide":"Buy"}]}""")));
                buffer.Ack("new", reply, "r9-0-1", 1001, "COMI.INT", "Buy");
                buffer.LostAmend(12, null, 40);
                buffer.LostNew("r9-0-2", 1001, "COMI.INT", "Sell", 80.49m, 10);
                buffer.Flush();
            }
            var log = AcksLog.Read(path);
            Assert.Equal("r9", log.Header.RunId);
            var order = log.Orders[12];
            Assert.Equal(("r9-0-1", 1001L, "Buy", 80.5m, 30L, 10L, "PartiallyFilled"),
                (order.ClientOrderId, order.AccountId, order.Side, order.Price!.Value, order.Quantity, order.Filled, order.Status));
            Assert.Equal((null, 40L), order.LostAmend!.Value);
            Assert.Equal(new AckedTrade(3, 12, "COMI.INT", 80.5m, 10, "Buy"), log.Trades[3]);
            Assert.Equal(new LostNewOrder("r9-0-2", 1001, "COMI.INT", "Sell", 80.49m, 10), Assert.Single(log.LostNew));
            Assert.Empty(log.Problems);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Single(VerificationResult result, string check)
    {
        var c = result.Checks.Single(x => x.Name == check);
        Assert.True(c.Failed > 0, $"{check} did not fail");
        return string.Join(" | ", c.Samples);
    }

    private static string Failures(VerificationResult result) =>
        string.Join("\n", result.Checks.SelectMany(c => c.Samples.Select(s => $"{c.Name}: {s}")));
}
