using System.Text;
using Microsoft.Extensions.Configuration;
using TradSys.Engine;
using TradSys.Engine.Fix;
using TradSys.Web.Fix.Venues;

namespace TradSys.Web.Tests.Fix.Venues;

/// <summary>
/// The FIX 4.4 messages of a venue route (src/Web/Fix/Venues/FixVenueMessages.cs): a platform order to NewOrderSingle, cancel
/// and replace requests, and ExecutionReports and OrderCancelRejects back to venue executions; and the routes' configuration.
/// </summary>
public sealed class FixVenueMessagesTests
{
    private static readonly DateTime At = new(2026, 12, 6, 8, 30, 0, DateTimeKind.Utc);
    private static readonly VenueRoute BySymbol = new("EGX", "egx", null, VenueInstrumentId.Symbol);
    private static readonly VenueRoute ByIsin = new("EGX", "egx", "BRK-7", VenueInstrumentId.Isin);

    private static VenueOrder Limit(long id = 42) =>
        new(id, 1001, "COMI", "EGS60121C018", Side.Buy, OrderType.Limit, TimeInForce.Day, 79.55m, 300, null);

    /// <summary>Wraps a body in a whole message and parses it back (what the session would send, minus its header).</summary>
    private static FixMessage Parsed(string msgType, ReadOnlySpan<byte> body)
    {
        var buffer = new byte[1024];
        var w = new FixWriter(buffer, "FIX.4.4"u8, Encoding.ASCII.GetBytes(msgType));
        w.AddEncoded(body);
        var length = w.Finish();
        var message = new FixMessage();
        Assert.True(message.Parse(buffer.AsSpan(0, length)), "the encoded message does not parse");
        return message;
    }

    private static string Text(FixMessage m, int tag) => m.TryGetSpan(tag, out var v) ? Encoding.ASCII.GetString(v) : "<absent>";

    [Fact]
    public void A_limit_order_becomes_a_NewOrderSingle_with_every_field_the_venue_needs()
    {
        var body = new byte[FixVenueMessages.MaxBody];
        var m = Parsed("D", body.AsSpan(0, FixVenueMessages.NewOrderSingle(Limit(), BySymbol, At, body)));

        Assert.Equal("TS42", Text(m, FixTag.ClOrdId));
        Assert.Equal("1001", Text(m, FixTag.Account));
        Assert.Equal("1", Text(m, FixTag.HandlInst));
        Assert.Equal("COMI", Text(m, FixTag.Symbol));
        Assert.False(m.Has(FixTag.SecurityId));
        Assert.Equal("1", Text(m, FixTag.Side));
        Assert.Equal("20261206-08:30:00.000", Text(m, FixTag.TransactTime));
        Assert.Equal("300", Text(m, FixTag.OrderQty));
        Assert.Equal("2", Text(m, FixTag.OrdType));
        Assert.Equal("79.55", Text(m, FixTag.Price));
        Assert.Equal("0", Text(m, FixTag.TimeInForce));
    }

    [Fact]
    public void The_ClOrdID_is_the_same_on_every_encoding_of_the_order_and_names_the_platform_order()
    {
        var first = new byte[FixVenueMessages.MaxBody];
        var again = new byte[FixVenueMessages.MaxBody];
        var a = Parsed("D", first.AsSpan(0, FixVenueMessages.NewOrderSingle(Limit(77), BySymbol, At, first)));
        var b = Parsed("D", again.AsSpan(0, FixVenueMessages.NewOrderSingle(Limit(77), BySymbol, At.AddSeconds(5), again)));
        Assert.Equal(Text(a, FixTag.ClOrdId), Text(b, FixTag.ClOrdId));
        Assert.True(FixVenueMessages.TryParseOrderId(Text(a, FixTag.ClOrdId), out var id));
        Assert.Equal(77, id);
        Assert.True(FixVenueMessages.TryParseOrderId(FixVenueMessages.CancelClOrdIdOf(77, 2), out id));
        Assert.Equal(77, id);
        Assert.True(FixVenueMessages.TryParseOrderId(FixVenueMessages.ReplaceClOrdIdOf(77, 1), out id));
        Assert.Equal(77, id);
        Assert.NotEqual(FixVenueMessages.CancelClOrdIdOf(77, 1), FixVenueMessages.CancelClOrdIdOf(77, 2));
        Assert.False(FixVenueMessages.TryParseOrderId("CL-OTHER-1", out _));
        Assert.False(FixVenueMessages.TryParseOrderId("TS", out _));
        Assert.False(FixVenueMessages.TryParseOrderId("TS-5", out _));
    }

    [Fact]
    public void A_route_by_ISIN_sends_SecurityID_with_source_4_and_its_own_account_and_a_market_sell_IOC_has_no_price()
    {
        var order = Limit() with { Side = Side.Sell, Type = OrderType.Market, Price = null, TimeInForce = TimeInForce.Ioc };
        var body = new byte[FixVenueMessages.MaxBody];
        var m = Parsed("D", body.AsSpan(0, FixVenueMessages.NewOrderSingle(order, ByIsin, At, body)));

        Assert.Equal("BRK-7", Text(m, FixTag.Account));
        Assert.Equal("COMI", Text(m, FixTag.Symbol));
        Assert.Equal("EGS60121C018", Text(m, FixTag.SecurityId));
        Assert.Equal("4", Text(m, FixTag.SecurityIdSource));
        Assert.Equal("2", Text(m, FixTag.Side));
        Assert.Equal("1", Text(m, FixTag.OrdType));
        Assert.False(m.Has(FixTag.Price));
        Assert.Equal("3", Text(m, FixTag.TimeInForce));
    }

    [Fact]
    public void A_GTD_order_carries_its_expiry_and_types_a_route_cannot_send_are_named()
    {
        var order = Limit() with { TimeInForce = TimeInForce.Gtd, ExpireAt = new DateTime(2026, 12, 10, 12, 0, 0, DateTimeKind.Utc) };
        var body = new byte[FixVenueMessages.MaxBody];
        var m = Parsed("D", body.AsSpan(0, FixVenueMessages.NewOrderSingle(order, BySymbol, At, body)));
        Assert.Equal("6", Text(m, FixTag.TimeInForce));
        Assert.Equal("20261210-12:00:00.000", Text(m, 126));

        Assert.True(FixVenueMessages.CanRoute(OrderType.Limit, TimeInForce.Gtc));
        Assert.False(FixVenueMessages.CanRoute(OrderType.Stop, TimeInForce.Day));
        Assert.False(FixVenueMessages.CanRoute(OrderType.MarketToLimit, TimeInForce.Day));
        var stop = Limit() with { Type = OrderType.StopLimit };
        var problem = Assert.Throws<ArgumentException>(() => FixVenueMessages.NewOrderSingle(stop, BySymbol, At, new byte[FixVenueMessages.MaxBody]));
        Assert.Contains("StopLimit", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cancel_becomes_an_OrderCancelRequest_for_the_original_ClOrdID()
    {
        var body = new byte[FixVenueMessages.MaxBody];
        var m = Parsed("F", body.AsSpan(0, FixVenueMessages.OrderCancelRequest(Limit(), FixVenueMessages.CancelClOrdIdOf(42, 1), "TS42", "V-9", BySymbol, At, body)));
        Assert.Equal("TS42", Text(m, FixTag.OrigClOrdId));
        Assert.Equal("TS42-C1", Text(m, FixTag.ClOrdId));
        Assert.Equal("V-9", Text(m, FixTag.OrderId));
        Assert.Equal("COMI", Text(m, FixTag.Symbol));
        Assert.Equal("1", Text(m, FixTag.Side));
        Assert.Equal("300", Text(m, FixTag.OrderQty));
    }

    [Fact]
    public void An_amend_becomes_an_OrderCancelReplaceRequest_with_the_new_price_and_quantity()
    {
        var amended = Limit() with { Price = 79.60m, Quantity = 500 };
        var body = new byte[FixVenueMessages.MaxBody];
        var m = Parsed("G", body.AsSpan(0, FixVenueMessages.OrderCancelReplaceRequest(amended, FixVenueMessages.ReplaceClOrdIdOf(42, 1), "TS42", null,
            BySymbol, At, body)));
        Assert.Equal("TS42", Text(m, FixTag.OrigClOrdId));
        Assert.Equal("TS42-R1", Text(m, FixTag.ClOrdId));
        Assert.False(m.Has(FixTag.OrderId));
        Assert.Equal("79.6", Text(m, FixTag.Price).TrimEnd('0'));
        Assert.Equal("500", Text(m, FixTag.OrderQty));
        Assert.Equal("2", Text(m, FixTag.OrdType));
    }

    [Fact]
    public void A_cancel_after_a_confirmed_replace_names_the_replace_as_OrigClOrdID()
    {
        var body = new byte[FixVenueMessages.MaxBody];
        var m = Parsed("F", body.AsSpan(0, FixVenueMessages.OrderCancelRequest(Limit(), FixVenueMessages.CancelClOrdIdOf(42, 2), "TS42-R1", null, BySymbol, At, body)));
        Assert.Equal("TS42-R1", Text(m, FixTag.OrigClOrdId));
        Assert.Equal("TS42-C2", Text(m, FixTag.ClOrdId));
        Assert.True(FixVenueMessages.TryParseOrderId("TS42-C2", out var id));
        Assert.Equal(42, id);
    }

    [Fact]
    public void A_replace_of_a_GTD_order_carries_its_ExpireTime_as_FIX_44_requires_for_TimeInForce_6()
    {
        var amended = Limit() with { TimeInForce = TimeInForce.Gtd, ExpireAt = new DateTime(2026, 12, 10, 12, 0, 0, DateTimeKind.Utc), Quantity = 200 };
        var body = new byte[FixVenueMessages.MaxBody];
        var m = Parsed("G", body.AsSpan(0, FixVenueMessages.OrderCancelReplaceRequest(amended, FixVenueMessages.ReplaceClOrdIdOf(42, 1), "TS42", "V-9",
            BySymbol, At, body)));
        Assert.Equal("6", Text(m, FixTag.TimeInForce));
        Assert.Equal("20261210-12:00:00.000", Text(m, 126));
    }

    [Fact]
    public void A_replaced_report_carries_the_new_quantity_and_price()
    {
        var m = Report("8", (FixTag.OrderId, "V-9"), (FixTag.ClOrdId, "TS42-R1"), (FixTag.OrigClOrdId, "TS42"), (FixTag.ExecId, "E7"),
            (FixTag.ExecType, "5"), (FixTag.OrdStatus, "0"), (FixTag.Symbol, "COMI"), (FixTag.Side, "1"), (FixTag.OrderQty, "200"),
            (FixTag.Price, "80.5"), (FixTag.LeavesQty, "200"), (FixTag.CumQty, "0"), (FixTag.AvgPx, "0"));
        Assert.True(FixVenueMessages.TryReadExecution("egx", m, out var e, out var problem), problem);
        Assert.Equal(('5', VenueOrderState.New, "TS42-R1", "TS42", 200m, 80.5m), (e!.ExecType, e.State, e.ClOrdId, e.OrigClOrdId, e.OrderQuantity, e.Price));
        Assert.False(e.IsFill);
    }

    private static FixMessage Report(string msgType, params (int Tag, string Value)[] fields)
    {
        var buffer = new byte[1024];
        var w = new FixWriter(buffer, "FIX.4.4"u8, Encoding.ASCII.GetBytes(msgType));
        foreach (var (tag, value) in fields)
        {
            w.Add(tag, value);
        }
        var length = w.Finish();
        var message = new FixMessage();
        Assert.True(message.Parse(buffer.AsSpan(0, length)));
        return message;
    }

    [Fact]
    public void A_fill_report_becomes_a_venue_execution_with_its_last_quantity_price_and_ExecID()
    {
        var m = Report("8", (FixTag.PossDupFlag, "Y"), (FixTag.OrderId, "V-1"), (FixTag.ClOrdId, "TS42"), (FixTag.ExecId, "E-7"), (FixTag.ExecType, "F"),
            (FixTag.OrdStatus, "1"), (FixTag.Symbol, "COMI"), (FixTag.LastQty, "100"), (FixTag.LastPx, "79.55"), (FixTag.CumQty, "100"),
            (FixTag.LeavesQty, "200"));
        Assert.True(FixVenueMessages.TryReadExecution("egx", m, out var e, out var problem), problem);
        Assert.Equal(new VenueExecution("egx", false, "E-7", "TS42", null, "V-1", 'F', VenueOrderState.PartiallyFilled, 100m, 79.55m, 100m, 200m, true, null), e);
        Assert.True(e!.IsFill);
    }

    [Theory]
    [InlineData('0', VenueOrderState.New)]
    [InlineData('1', VenueOrderState.PartiallyFilled)]
    [InlineData('2', VenueOrderState.Filled)]
    [InlineData('4', VenueOrderState.Canceled)]
    [InlineData('5', VenueOrderState.Replaced)]
    [InlineData('8', VenueOrderState.Rejected)]
    [InlineData('A', VenueOrderState.PendingNew)]
    [InlineData('C', VenueOrderState.Expired)]
    [InlineData('6', VenueOrderState.PendingCancel)]
    [InlineData('E', VenueOrderState.PendingReplace)]
    [InlineData('3', VenueOrderState.Other)]
    public void Every_OrdStatus_maps_to_an_order_state(char ordStatus, VenueOrderState state) =>
        Assert.Equal(state, FixVenueMessages.StateOf(ordStatus));

    [Fact]
    public void A_reject_report_is_not_a_fill_and_keeps_the_venue_text()
    {
        var m = Report("8", (FixTag.ClOrdId, "TS43"), (FixTag.OrderId, "NONE"), (FixTag.ExecId, "E-8"), (FixTag.ExecType, "8"), (FixTag.OrdStatus, "8"),
            (FixTag.Text, "unknown symbol"));
        Assert.True(FixVenueMessages.TryReadExecution("egx", m, out var e, out _));
        Assert.Equal(VenueOrderState.Rejected, e!.State);
        Assert.False(e.IsFill);
        Assert.Equal("unknown symbol", e.Text);
    }

    [Fact]
    public void An_OrderCancelReject_is_read_without_an_ExecID()
    {
        var m = Report("9", (FixTag.OrderId, "V-1"), (FixTag.ClOrdId, "TS42-C1"), (FixTag.OrigClOrdId, "TS42"), (FixTag.OrdStatus, "2"), (434, "1"),
            (FixTag.Text, "too late to cancel"));
        Assert.True(FixVenueMessages.TryReadExecution("egx", m, out var e, out var problem), problem);
        Assert.True(e!.IsCancelReject);
        Assert.Equal("TS42", e.OrigClOrdId);
        Assert.Equal(VenueOrderState.Filled, e.State);
        Assert.Equal("too late to cancel", e.Text);
    }

    [Fact]
    public void A_report_missing_what_the_platform_needs_is_refused_naming_every_missing_field()
    {
        var m = Report("8", (FixTag.OrderId, "V-1"), (FixTag.ExecType, "F"), (FixTag.OrdStatus, "2"));
        Assert.False(FixVenueMessages.TryReadExecution("egx", m, out var e, out var problem));
        Assert.Null(e);
        Assert.Equal("ExecutionReport without ClOrdID (11), ExecID (17), LastQty (32), LastPx (31)", problem);

        var other = Report("j", (FixTag.RefMsgType, "D"));
        Assert.False(FixVenueMessages.TryReadExecution("egx", other, out _, out problem));
        Assert.Equal("MsgType j is not an ExecutionReport (8) or OrderCancelReject (9)", problem);
    }

    [Fact]
    public void Routes_are_read_per_venue_and_every_problem_is_named_by_its_key()
    {
        var good = VenueRoute.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Routing:Venues:EGX:Session"] = "egx", ["Routing:Venues:EGX:InstrumentId"] = "Isin", ["Routing:Venues:EGX:Account"] = "BRK-7",
        }).Build(), ["egx"], out var problems);
        Assert.Empty(problems);
        Assert.Equal(new VenueRoute("EGX", "egx", "BRK-7", VenueInstrumentId.Isin), Assert.Single(good).Value);

        var none = VenueRoute.Read(new ConfigurationBuilder().Build(), [], out problems);
        Assert.Empty(problems);
        Assert.Empty(none);

        var bad = VenueRoute.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Routing:Venues:EGX:Session"] = "nope", ["Routing:Venues:ADX:InstrumentId"] = "Ric",
        }).Build(), ["egx"], out problems);
        Assert.Empty(bad);
        Assert.Equal([
            "Routing:Venues:ADX:Session is required (the Name of a Fix:Sessions entry)",
            "Routing:Venues:ADX:InstrumentId must be Symbol or Isin, not 'Ric'",
            "Routing:Venues:EGX:Session 'nope' is not a configured FIX session (Fix:Sessions:N:Name)",
        ], problems);
    }
}
