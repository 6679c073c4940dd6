using System.Net;
using TradSys.Web.Ordering;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Call auctions, trade-at-close and the EGX volatility suspension through the REST API, on market time set by the
/// ManualClock. Thursday 26 November 2026: Cairo is UTC+2, so pre-open 09:30-10:00 is 07:30-08:00Z, continuous until
/// 12:15Z, the closing auction until 12:20Z, trade-at-close until 12:30Z. Dubai is UTC+4: ADX pre-open is 05:30-06:00Z.
/// </summary>
public sealed class AuctionTests
{
    private static DateTimeOffset Utc(int hour, int minute, int second = 0) => new(2026, 11, 26, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public async Task An_EGX_pre_open_order_rests_crossed_shows_an_indicative_price_and_uncrosses_at_ten()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Utc(7, 45); // 09:45 in Cairo: pre-open
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        var buy = (await trader1.SubmitAsync(1001, "COMI", "Buy", 81m, 100)).Expect(HttpStatusCode.Created);
        var sell = (await trader2.SubmitAsync(2001, "COMI", "Sell", 79m, 60)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", buy.Str("status"));
        Assert.Equal("Accepted", sell.Str("status"));

        // Crossed and resting: 81 bid over a 79 ask.
        var depth = (await trader1.GetAsync("/api/v1/instruments/COMI/depth")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(81m, depth["bids"]![0]!["price"]!.GetValue<decimal>());
        Assert.Equal(79m, depth["asks"]![0]!["price"]!.GetValue<decimal>());

        // 79: B = 100, S = 60 -> 60 (buy surplus 40); 81: B = 100, S = 60 -> 60 (buy surplus 40): market pressure, highest: 81.
        var quote = (await trader1.GetAsync("/api/v1/instruments/COMI/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("PreOpen", quote["phase"]!.GetValue<string>());
        Assert.Equal(81m, quote["indicativePrice"]!.GetValue<decimal>());
        Assert.Equal(60, quote["indicativeVolume"]!.GetValue<long>());
        Assert.Equal(0, quote["trades"]!.GetValue<long>());

        platform.Clock.Fixed = Utc(8, 0, 1); // 10:00:01: continuous trading
        var opened = (await trader1.GetAsync("/api/v1/instruments/COMI/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Continuous", opened["phase"]!.GetValue<string>());
        Assert.Null(opened["indicativePrice"]);
        Assert.Equal(81m, opened["last"]!.GetValue<decimal>());
        Assert.Equal(60, opened["volume"]!.GetValue<long>());

        var trade = (await trader1.GetAsync($"/api/v1/trades?orderId={buy.OrderId}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Single()!;
        Assert.Equal(81m, trade["price"]!.GetValue<decimal>());
        Assert.Equal(60, trade["quantity"]!.GetValue<long>());
        Assert.Equal("Auction", trade["aggressorSide"]!.GetValue<string>());

        var events = (await trader1.GetAsync($"/api/v1/orders/{buy.OrderId}/events")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["Accepted", "PartiallyFilled"], events.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Equal("Filled", (await trader2.GetAsync($"/api/v1/orders/{sell.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));
    }

    [Fact]
    public async Task ADX_refuses_a_market_order_in_pre_open_and_names_the_field()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Utc(5, 45); // 09:45 in Dubai: pre-open
        var trader2 = await platform.ClientForAsync("trader2");
        var before = await platform.CountRowsAsync();

        var reply = (await trader2.SubmitAsync(2001, "FAB", "Buy", null, 100, type: "Market")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("ADX takes no market orders in its auctions and FAB is in PreOpen now; send a limit order " +
                     "(market orders are taken in continuous trading)", reply.Errors("type").Single());
        Assert.Equal(before, await platform.CountRowsAsync());

        var ioc = await trader2.PostJsonAsync("/api/v1/orders", new Dictionary<string, object?>
        {
            ["accountId"] = 2001, ["clientOrderId"] = "ioc-in-pre-open", ["symbol"] = "FAB", ["side"] = "Buy",
            ["price"] = 15.5m, ["quantity"] = 100, ["timeInForce"] = "Ioc",
        });
        Assert.Contains("could never trade", ioc.Expect(HttpStatusCode.BadRequest).Errors("timeInForce").Single(), StringComparison.Ordinal);

        (await trader2.SubmitAsync(2001, "FAB", "Buy", 15.5m, 100)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_closing_auction_sets_the_closing_price_trade_at_close_takes_only_it_and_it_becomes_the_reference()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Utc(12, 16); // 14:16 in Cairo: closing auction
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader1.SubmitAsync(1001, "COMI", "Buy", 82m, 200)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "COMI", "Sell", 82m, 150)).Expect(HttpStatusCode.Created);
        Assert.Equal("ClosingAuction", (await trader1.GetAsync("/api/v1/instruments/COMI/quote")).Json["phase"]!.GetValue<string>());

        platform.Clock.Fixed = Utc(12, 21); // 14:21: trade-at-close
        var quote = (await trader1.GetAsync("/api/v1/instruments/COMI/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("TradeAtClose", quote["phase"]!.GetValue<string>());
        Assert.Equal(82m, quote["last"]!.GetValue<decimal>());
        Assert.Equal(150, quote["volume"]!.GetValue<long>());

        // Only the closing price 82 is taken now; the 50 left of the bid trades with a new sell at 82.
        var wrong = (await trader2.SubmitAsync(2001, "COMI", "Sell", 81.5m, 50)).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("COMI is in TradeAtClose: orders are taken only at the closing price 82.00; got 81.50", wrong.Errors("price").Single());
        var market = (await trader2.SubmitAsync(2001, "COMI", "Sell", null, 50, type: "Market")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("COMI is in TradeAtClose: only limit orders at the closing price are taken", market.Errors("type").Single());
        var atClose = (await trader2.SubmitAsync(2001, "COMI", "Sell", 82m, 50)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", atClose.Str("status"));
        Assert.Equal(82m, atClose.Json["trades"]!.AsArray().Single()!["price"]!.GetValue<decimal>());

        await platform.WithDbAsync(async db =>
        {
            var row = await db.Instruments.FindAsync("COMI");
            Assert.Equal(82m, row!.ClosingPrice);
            Assert.Equal(new DateOnly(2026, 11, 26), row.ClosingPriceOn);
            Assert.Equal(80m, row.ReferencePrice);
        });

        // After the close the closing price is the reference for the next session's limits (+-20%: 65.60 to 98.40).
        platform.Clock.Fixed = Utc(12, 31);
        await platform.SendAsync(new AdvancePhasesCommand("test"));
        var instrument = (await trader1.GetAsync("/api/v1/instruments/COMI")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(82m, instrument["referencePrice"]!.GetValue<decimal>());
        Assert.Equal(98.4m, instrument["upperLimit"]!.GetValue<decimal>());
        await platform.WithDbAsync(async db => Assert.Equal(82m, (await db.Instruments.FindAsync("COMI"))!.ReferencePrice));
    }

    [Fact]
    public async Task A_ten_percent_move_suspends_COMI_for_ten_minutes_then_it_reopens_through_an_uncross()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Utc(9, 0); // 11:00 in Cairo: continuous; reference 80, band 72.00 to 88.00
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "COMI", "Sell", 88m, 100)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "COMI", "Sell", 88.5m, 100)).Expect(HttpStatusCode.Created);

        // 100 trade at 88.00 (exactly the band); the next 100 would print at 88.50, beyond it: suspended, the rest rests.
        var buy = (await trader1.SubmitAsync(1001, "COMI", "Buy", 90m, 200)).Expect(HttpStatusCode.Created);
        Assert.Equal(88m, buy.Json["trades"]!.AsArray().Single()!["price"]!.GetValue<decimal>());
        Assert.Equal("PartiallyFilled", buy.Str("status"));
        var quote = (await trader1.GetAsync("/api/v1/instruments/COMI/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Suspended", quote["phase"]!.GetValue<string>());
        Assert.Equal(100, quote["indicativeVolume"]!.GetValue<long>());
        await platform.WithDbAsync(async db =>
        {
            Assert.Equal(Utc(9, 10).UtcDateTime, (await db.Instruments.FindAsync("COMI"))!.SuspendedUntil);
            Assert.Single(db.AuditLog.Where(a => a.Action == "instrument.suspended"));
        });

        // Nine minutes on it is still suspended: a crossing order rests.
        platform.Clock.Fixed = Utc(9, 9);
        var during = (await trader2.SubmitAsync(2001, "COMI", "Sell", 89m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", during.Str("status"));

        // Ten minutes on it reopens: 88.50 (B 100, S 100) and 89.00 (B 100, S 110): 88.50 leaves no surplus.
        platform.Clock.Fixed = Utc(9, 10, 1);
        var reopened = (await trader1.GetAsync("/api/v1/instruments/COMI/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Continuous", reopened["phase"]!.GetValue<string>());
        Assert.Equal(88.5m, reopened["last"]!.GetValue<decimal>());
        Assert.Equal(200, reopened["volume"]!.GetValue<long>());
        Assert.Equal("Filled", (await trader1.GetAsync($"/api/v1/orders/{buy.OrderId}")).Expect(HttpStatusCode.OK).Str("status"));
        await platform.WithDbAsync(async db => Assert.Null((await db.Instruments.FindAsync("COMI"))!.SuspendedUntil));
    }

    [Fact]
    public async Task A_restart_mid_call_restores_the_crossed_book_and_uncrosses_it_when_the_call_ends()
    {
        string path;
        long buyId;
        await using (var before = new PlatformFactory())
        {
            path = before.DatabasePath;
            before.Clock.Fixed = Utc(7, 40);
            var trader1 = await before.ClientForAsync("trader1");
            var trader2 = await before.ClientForAsync("trader2");
            buyId = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80.5m, 100)).Expect(HttpStatusCode.Created).OrderId;
            (await trader2.SubmitAsync(2001, "COMI", "Sell", 80m, 100)).Expect(HttpStatusCode.Created);
            (await trader2.SubmitAsync(2001, "COMI", "Sell", null, 30, type: "Market")).Expect(HttpStatusCode.Created);
        }

        await using var after = new PlatformFactory { DatabasePath = path };
        after.Clock.Fixed = Utc(7, 50);
        var viewer = await after.ClientForAsync("trader1");
        var quote = (await viewer.GetAsync("/api/v1/instruments/COMI/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("PreOpen", quote["phase"]!.GetValue<string>());
        Assert.Equal(100, quote["indicativeVolume"]!.GetValue<long>());
        Assert.Equal(0, quote["trades"]!.GetValue<long>());

        // The market sell comes first: 30 from it, 70 from the 80.00 ask; at 80.00 (B 100, S 130) and 80.50 (B 100, S 130)
        // the sell surplus is 30: market pressure takes the lowest, 80.00.
        after.Clock.Fixed = Utc(8, 0, 5);
        var opened = (await viewer.GetAsync("/api/v1/instruments/COMI/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(80m, opened["last"]!.GetValue<decimal>());
        Assert.Equal(100, opened["volume"]!.GetValue<long>());
        Assert.Equal("Filled", (await viewer.GetAsync($"/api/v1/orders/{buyId}")).Expect(HttpStatusCode.OK).Str("status"));
        var depth = (await viewer.GetAsync("/api/v1/instruments/COMI/depth")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(30, depth["asks"]![0]!["quantity"]!.GetValue<long>());
        Assert.Empty(depth["bids"]!.AsArray());
    }
}
