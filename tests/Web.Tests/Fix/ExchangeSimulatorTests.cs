using System.Globalization;
using System.Text;
using TradSys.Engine.Fix;
using TradSys.Web.Fix.Simulator;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// The exchange simulator's order book behind FIX, without sockets: requests in as FIX messages, execution reports out, on the
/// demo data's EGX instruments (COMI: reference 80.00 EGP, tick 0.01 above 2.00, limits +-20%).
/// </summary>
public class ExchangeSimulatorTests
{
    private static readonly DateTime T0 = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
    private readonly ExchangeSimulator _egx = new("EGX", ExchangeSimulatorHost.Instruments("EGX", DemoData.Venues(), DemoData.Instruments()), "RUN1");

    internal static byte[] Message(string msgType, params (int Tag, string Value)[] fields)
    {
        var buffer = new byte[2048];
        var w = new FixWriter(buffer, "FIX.4.4"u8, Encoding.ASCII.GetBytes(msgType));
        w.Add(FixTag.SenderCompId, "BROKER1");
        w.Add(FixTag.TargetCompId, "EGX");
        w.Add(FixTag.MsgSeqNum, 2);
        w.AddUtcTimestamp(FixTag.SendingTime, T0);
        foreach (var (tag, value) in fields)
        {
            w.Add(tag, value);
        }

        return buffer.AsSpan(0, w.Finish()).ToArray();
    }

    internal static (int, string)[] Order(string clOrdId, char side, string qty, string price, string symbol = "COMI", char tif = '0') =>
    [
        (FixTag.ClOrdId, clOrdId), (FixTag.Symbol, symbol), (FixTag.Side, side.ToString()), (FixTag.TransactTime, "20261207-09:00:00.000"),
        (FixTag.OrderQty, qty), (FixTag.OrdType, "2"), (FixTag.Price, price), (FixTag.TimeInForce, tif.ToString()),
    ];

    private List<IReadOnlyDictionary<int, string>> Send(string owner, string msgType, params (int, string)[] fields)
    {
        var message = new FixMessage();
        Assert.True(message.Parse(Message(msgType, fields)));
        var sent = _egx.Handle(owner, message, T0);
        return [.. sent.Select(s => WithOwner(s))];

        static IReadOnlyDictionary<int, string> WithOwner(SimulatorMessage s)
        {
            var f = new Dictionary<int, string>(s.Fields()) { [-1] = s.Owner, [FixTag.MsgType] = s.MsgType };
            return f;
        }
    }

    private static void AssertReport(IReadOnlyDictionary<int, string> r, string owner, string clOrdId, char execType, char ordStatus, string cum,
        string leaves, string avgPx)
    {
        Assert.Equal(owner, r[-1]);
        Assert.Equal("8", r[FixTag.MsgType]);
        Assert.Equal(clOrdId, r[FixTag.ClOrdId]);
        Assert.Equal(execType.ToString(), r[FixTag.ExecType]);
        Assert.Equal(ordStatus.ToString(), r[FixTag.OrdStatus]);
        Assert.Equal(cum, r[FixTag.CumQty]);
        Assert.Equal(leaves, r[FixTag.LeavesQty]);
        Assert.Equal(decimal.Parse(avgPx, CultureInfo.InvariantCulture), decimal.Parse(r[FixTag.AvgPx], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Crossing_orders_fill_both_sides_partially_then_fully_with_each_report_to_its_owner()
    {
        var sell = Send("BROKER2", "D", Order("S1", '2', "100", "80.10"));
        AssertReport(Assert.Single(sell), "BROKER2", "S1", '0', '0', "0", "100", "0");

        var buy = Send("BROKER1", "D", Order("B1", '1', "60", "80.20"));
        Assert.Equal(3, buy.Count);
        AssertReport(buy.Single(r => r[-1] == "BROKER1" && r[FixTag.ExecType] == "0"), "BROKER1", "B1", '0', '0', "0", "60", "0");
        var buyFill = buy.Single(r => r[-1] == "BROKER1" && r[FixTag.ExecType] == "F");
        AssertReport(buyFill, "BROKER1", "B1", 'F', '2', "60", "0", "80.10");
        Assert.Equal("60", buyFill[FixTag.LastQty]);
        Assert.Equal(80.10m, decimal.Parse(buyFill[FixTag.LastPx], CultureInfo.InvariantCulture));
        var sellFill = buy.Single(r => r[-1] == "BROKER2");
        AssertReport(sellFill, "BROKER2", "S1", 'F', '1', "60", "40", "80.10");
        Assert.Equal(sell[0][FixTag.OrderId], sellFill[FixTag.OrderId]);

        // A second buy at a better price takes the rest: the sell is filled, its AvgPx stays the fills' average.
        var rest = Send("BROKER1", "D", Order("B2", '1', "50", "80.10"));
        AssertReport(rest.Single(r => r[-1] == "BROKER2"), "BROKER2", "S1", 'F', '2', "100", "0", "80.10");
        AssertReport(rest.Single(r => r[-1] == "BROKER1" && r[FixTag.ExecType] == "F"), "BROKER1", "B2", 'F', '1', "40", "10", "80.10");

        var execIds = sell.Concat(buy).Concat(rest).Select(r => r[FixTag.ExecId]).ToList();
        Assert.Equal(execIds.Count, execIds.Distinct().Count());
        Assert.All(execIds, id => Assert.StartsWith("EGX-RUN1-", id, StringComparison.Ordinal));
    }

    [Fact]
    public void Average_price_is_weighted_by_the_quantity_of_each_fill()
    {
        Send("BROKER2", "D", Order("S1", '2', "30", "80.00"));
        Send("BROKER2", "D", Order("S2", '2', "10", "80.40"));
        var buy = Send("BROKER1", "D", Order("B1", '1', "40", "80.40"));
        var last = buy.Where(r => r[-1] == "BROKER1" && r[FixTag.ExecType] == "F").Last();
        AssertReport(last, "BROKER1", "B1", 'F', '2', "40", "0", "80.1");
    }

    [Fact]
    public void A_price_off_the_venue_tick_is_rejected_naming_the_tick()
    {
        var r = Assert.Single(Send("BROKER1", "D", Order("B1", '1', "10", "80.005")));
        AssertReport(r, "BROKER1", "B1", '8', '8', "0", "0", "0");
        Assert.Equal("99", r[103]);
        Assert.Equal("the price is not on the tick: 80.005 is not a multiple of EGX's tick of 0.01 at that price", r[FixTag.Text]);

        var finer = Assert.Single(Send("BROKER1", "D", Order("B2", '1', "10", "80.0001")));
        Assert.Equal("8", finer[FixTag.OrdStatus]);
        Assert.Contains("not on EGX's tick of 0.01", finer[FixTag.Text], StringComparison.Ordinal);
    }

    [Fact]
    public void A_price_outside_the_daily_limits_an_unknown_symbol_and_a_reused_ClOrdID_are_rejected_with_their_reason()
    {
        var limits = Assert.Single(Send("BROKER1", "D", Order("B1", '1', "10", "96.10")));
        Assert.Equal(("8", "3"), (limits[FixTag.OrdStatus], limits[103]));
        Assert.Equal("the price is outside today's price limits: 96.1 is outside 64 to 96", limits[FixTag.Text].Replace(".000", "", StringComparison.Ordinal));

        var unknown = Assert.Single(Send("BROKER1", "D", Order("B2", '1', "10", "15.50", symbol: "FAB")));
        Assert.Equal(("8", "1", "unknown symbol FAB on EGX"), (unknown[FixTag.OrdStatus], unknown[103], unknown[FixTag.Text]));

        Send("BROKER1", "D", Order("B3", '1', "10", "79.00"));
        var again = Assert.Single(Send("BROKER1", "D", Order("B3", '1', "10", "79.00")));
        Assert.Equal(("8", "6"), (again[FixTag.OrdStatus], again[103]));
    }

    [Fact]
    public void Cancel_answers_canceled_with_both_ClOrdIDs_and_a_second_cancel_is_too_late()
    {
        Send("BROKER1", "D", Order("B1", '1', "10", "79.00"));
        var cancel = Assert.Single(Send("BROKER1", "F", (FixTag.OrigClOrdId, "B1"), (FixTag.ClOrdId, "C1"), (FixTag.Symbol, "COMI"),
            (FixTag.Side, "1"), (FixTag.TransactTime, "20261207-09:00:01.000")));
        AssertReport(cancel, "BROKER1", "C1", '4', '4', "0", "0", "0");
        Assert.Equal("B1", cancel[FixTag.OrigClOrdId]);

        var late = Assert.Single(Send("BROKER1", "F", (FixTag.OrigClOrdId, "C1"), (FixTag.ClOrdId, "C2"), (FixTag.Symbol, "COMI"),
            (FixTag.Side, "1"), (FixTag.TransactTime, "20261207-09:00:02.000")));
        Assert.Equal(("9", "4", "1", "0"), (late[FixTag.MsgType], late[FixTag.OrdStatus], late[434], late[102]));

        var unknown = Assert.Single(Send("BROKER1", "F", (FixTag.OrigClOrdId, "NOPE"), (FixTag.ClOrdId, "C3"), (FixTag.Symbol, "COMI"),
            (FixTag.Side, "1"), (FixTag.TransactTime, "20261207-09:00:02.000")));
        Assert.Equal(("9", "NONE", "1", "unknown order NOPE"), (unknown[FixTag.MsgType], unknown[FixTag.OrderId], unknown[102], unknown[FixTag.Text]));
    }

    [Fact]
    public void Another_session_cannot_cancel_an_order_it_does_not_own()
    {
        Send("BROKER1", "D", Order("B1", '1', "10", "79.00"));
        var refused = Assert.Single(Send("BROKER2", "F", (FixTag.OrigClOrdId, "B1"), (FixTag.ClOrdId, "C1"), (FixTag.Symbol, "COMI"),
            (FixTag.Side, "1"), (FixTag.TransactTime, "20261207-09:00:01.000")));
        Assert.Equal(("BROKER2", "9", "1"), (refused[-1], refused[FixTag.MsgType], refused[102]));
    }

    [Fact]
    public void Replace_changes_price_and_quantity_then_fills_when_it_crosses_and_a_bad_tick_gets_a_cancel_reject()
    {
        Send("BROKER2", "D", Order("S1", '2', "100", "80.50"));
        Send("BROKER1", "D", Order("B1", '1', "40", "80.00"));
        var offTick = Assert.Single(Send("BROKER1", "G", [.. Order("B2", '1', "40", "80.003"), (FixTag.OrigClOrdId, "B1")]));
        Assert.Equal(("9", "2", "99", "0"), (offTick[FixTag.MsgType], offTick[434], offTick[102], offTick[FixTag.OrdStatus]));
        Assert.Contains("not on the tick", offTick[FixTag.Text], StringComparison.Ordinal);

        var replaced = Send("BROKER1", "G", [.. Order("B3", '1', "50", "80.50"), (FixTag.OrigClOrdId, "B1")]);
        var ack = replaced.First();
        AssertReport(ack, "BROKER1", "B3", '5', '0', "0", "50", "0");
        Assert.Equal(("B1", "50", 80.50m), (ack[FixTag.OrigClOrdId], ack[FixTag.OrderQty], decimal.Parse(ack[FixTag.Price], CultureInfo.InvariantCulture)));
        AssertReport(replaced.Single(r => r[-1] == "BROKER1" && r[FixTag.ExecType] == "F"), "BROKER1", "B3", 'F', '2', "50", "0", "80.50");
        AssertReport(replaced.Single(r => r[-1] == "BROKER2"), "BROKER2", "S1", 'F', '1', "50", "50", "80.50");
    }

    [Fact]
    public void An_IOC_remainder_is_canceled_after_its_fill()
    {
        Send("BROKER2", "D", Order("S1", '2', "10", "80.00"));
        var ioc = Send("BROKER1", "D", Order("B1", '1', "25", "80.00", tif: '3'));
        var last = ioc.Last(r => r[-1] == "BROKER1");
        AssertReport(last, "BROKER1", "B1", '4', '4', "10", "0", "80.00");
    }

    [Fact]
    public void A_status_request_answers_the_order_as_the_venue_has_it_and_an_unknown_order_as_rejected_unknown()
    {
        Send("BROKER2", "D", Order("S1", '2', "30", "80.00"));
        Send("BROKER2", "D", Order("S2", '2', "10", "80.40"));
        Send("BROKER1", "D", Order("B1", '1', "100", "80.40"));
        Send("BROKER1", "G", [.. Order("B2", '1', "120", "80.40"), (FixTag.OrigClOrdId, "B1")]);

        // By the order's first ClOrdID, its replace's, or the venue's OrderID: the same state, ExecType I, with the fills' AvgPx.
        var byFirst = Assert.Single(Send("BROKER1", "H", (FixTag.ClOrdId, "B1"), (FixTag.Symbol, "COMI"), (FixTag.Side, "1")));
        AssertReport(byFirst, "BROKER1", "B2", 'I', '1', "40", "80", "80.1");
        Assert.Equal("120", byFirst[FixTag.OrderQty]);
        var byOrderId = Assert.Single(Send("BROKER1", "H", (FixTag.OrderId, byFirst[FixTag.OrderId]), (FixTag.ClOrdId, "X"), (FixTag.Symbol, "COMI"),
            (FixTag.Side, "1")));
        AssertReport(byOrderId, "BROKER1", "B2", 'I', '1', "40", "80", "80.1");
        Assert.NotEqual(byFirst[FixTag.ExecId], byOrderId[FixTag.ExecId]);

        // A filled order still answers; another session's order, a never-seen ClOrdID and a rejected order are unknown.
        AssertReport(Assert.Single(Send("BROKER2", "H", (FixTag.ClOrdId, "S1"), (FixTag.Symbol, "COMI"), (FixTag.Side, "2"))),
            "BROKER2", "S1", 'I', '2', "30", "0", "80.00");
        Send("BROKER1", "D", Order("B9", '1', "10", "80.005"));
        foreach (var (owner, clOrdId) in new[] { ("BROKER1", "S1"), ("BROKER1", "NOPE"), ("BROKER1", "B9") })
        {
            var unknown = Assert.Single(Send(owner, "H", (FixTag.ClOrdId, clOrdId), (FixTag.Symbol, "COMI"), (FixTag.Side, "1")));
            AssertReport(unknown, owner, clOrdId, 'I', '8', "0", "0", "0");
            Assert.Equal(("NONE", "5", $"unknown order {clOrdId}"), (unknown[FixTag.OrderId], unknown[103], unknown[FixTag.Text]));
            Assert.False(unknown.ContainsKey(FixTag.OrdType));
        }
    }
}
