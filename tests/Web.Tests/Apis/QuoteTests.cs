using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>Level 1: the book's best prices and the trading day's statistics, exact, and surviving a restart.</summary>
public sealed class QuoteTests
{
    [Fact]
    public async Task The_quote_shows_the_best_prices_and_the_days_exact_statistics()
    {
        string path;
        await using (var platform = new PlatformFactory())
        {
            path = platform.DatabasePath;
            var trader1 = await platform.ClientForAsync("trader1");
            var trader2 = await platform.ClientForAsync("trader2");
            (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.50m, 60)).Expect(HttpStatusCode.Created);
            (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.40m, 100)).Expect(HttpStatusCode.Created);
            (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.40m, 100)).Expect(HttpStatusCode.Created); // 60 @ 80.50, 40 @ 80.40
            (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 81.00m, 30)).Expect(HttpStatusCode.Created);

            AssertQuote((await trader1.GetAsync("/api/v1/instruments/COMI.INT/quote")).Expect(HttpStatusCode.OK));
        }

        await using var restarted = new PlatformFactory { DatabasePath = path };
        var viewer = await restarted.ClientForAsync("viewer1");
        AssertQuote((await viewer.GetAsync("/api/v1/instruments/COMI.INT/quote")).Expect(HttpStatusCode.OK));
    }

    private static void AssertQuote(Reply reply)
    {
        var q = reply.Json;
        Assert.Equal(80.40m, q["bid"]!.GetValue<decimal>());
        Assert.Equal(60, q["bidQuantity"]!.GetValue<long>());
        Assert.Equal(81.00m, q["ask"]!.GetValue<decimal>());
        Assert.Equal(30, q["askQuantity"]!.GetValue<long>());
        Assert.Equal(80.40m, q["last"]!.GetValue<decimal>());
        Assert.Equal(40, q["lastQuantity"]!.GetValue<long>());
        Assert.Equal(100, q["volume"]!.GetValue<long>());
        Assert.Equal(2, q["trades"]!.GetValue<long>());
        Assert.Equal(8046m, q["turnover"]!.GetValue<decimal>()); // 60 x 80.50 + 40 x 80.40
        Assert.Equal(80.46m, q["vwap"]!.GetValue<decimal>());
        Assert.Equal(80.50m, q["open"]!.GetValue<decimal>());
        Assert.Equal(80.50m, q["high"]!.GetValue<decimal>());
        Assert.Equal(80.40m, q["low"]!.GetValue<decimal>());
        Assert.Equal("EGP", q["currency"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_trading_day_starts_from_zero_but_keeps_the_book()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        (await trader1.PostJsonAsync("/api/v1/orders", new
        {
            accountId = 1001, clientOrderId = "gtc-bid", symbol = "FAB.INT", side = "Buy", timeInForce = "Gtc", price = 15.50m, quantity = 50,
        })).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "FAB.INT", "Sell", 15.50m, 20)).Expect(HttpStatusCode.Created);
        Assert.Equal(20, (await trader1.GetAsync("/api/v1/instruments/FAB.INT/quote")).Json["volume"]!.GetValue<long>());

        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 25, 0, 0, 1, TimeSpan.Zero);
        var q = (await trader1.GetAsync("/api/v1/instruments/FAB.INT/quote")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(0, q["volume"]!.GetValue<long>());
        Assert.Null(q["last"]);
        Assert.Null(q["vwap"]);
        Assert.Equal(15.50m, q["bid"]!.GetValue<decimal>());
        Assert.Equal(30, q["bidQuantity"]!.GetValue<long>());
    }
}
