using System.Net;
using TradSys.Web.Apis;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>The trading day's bars of an instrument: open, high, low, close and volume of the public tape.</summary>
public sealed class PriceBarsTests
{
    [Fact]
    public async Task The_days_trades_come_back_as_one_bar_with_their_open_high_low_close_and_volume()
    {
        await using var platform = new PlatformFactory();
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.50m, 60)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.40m, 100)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.40m, 100)).Expect(HttpStatusCode.Created); // 60 @ 80.50, then 40 @ 80.40
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.40m, 20)).Expect(HttpStatusCode.Created); // 20 @ 80.40

        var reply = (await trader1.GetAsync("/api/v1/instruments/COMI.INT/bars?interval=1h")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Etc/UTC", reply["timeZone"]!.GetValue<string>());
        Assert.Equal("EGP", reply["currency"]!.GetValue<string>());
        var bars = reply["bars"]!.AsArray();
        // The three trades fall in the current hour unless it turned while they were sent.
        Assert.InRange(bars.Count, 1, 2);
        Assert.Equal(80.50m, bars[0]!["open"]!.GetValue<decimal>());
        Assert.Equal(80.50m, bars.Max(b => b!["high"]!.GetValue<decimal>()));
        Assert.Equal(80.40m, bars.Min(b => b!["low"]!.GetValue<decimal>()));
        Assert.Equal(80.40m, bars[^1]!["close"]!.GetValue<decimal>());
        Assert.Equal(120, bars.Sum(b => b!["volume"]!.GetValue<long>()));
        Assert.Equal(3, bars.Sum(b => b!["trades"]!.GetValue<int>()));

        var bad = (await trader1.GetAsync("/api/v1/instruments/COMI.INT/bars?interval=2m")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal("must be one of 1m, 5m, 15m, 1h", bad.Errors("interval").Single());
        (await trader1.GetAsync("/api/v1/instruments/NOPE/bars")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public void Trades_fall_into_bars_counted_from_the_venues_midnight()
    {
        // Cairo, 24 November (UTC+2): the day starts at 22:00 UTC the evening before.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Africa/Cairo");
        var from = PriceBars.DayStart(new DateTime(2026, 11, 24, 9, 0, 0, DateTimeKind.Utc), zone);
        Assert.Equal(new DateTime(2026, 11, 23, 22, 0, 0, DateTimeKind.Utc), from);
        TradeRecord Trade(int minute, decimal price, long quantity) => new()
        {
            Symbol = "COMI.CA", Currency = "EGP", Price = price, Quantity = quantity, ExecutedAt = from.AddMinutes(minute),
        };
        var bars = PriceBars.Aggregate([Trade(601, 80m, 10), Trade(603, 81m, 5), Trade(604, 79.5m, 5), Trade(612, 80.2m, 1)], from, TimeSpan.FromMinutes(5));

        Assert.Equal(2, bars.Count);
        Assert.Equal(new PriceBar(from.AddMinutes(600), 80m, 81m, 79.5m, 79.5m, 20, 3), bars[0]);
        Assert.Equal(new PriceBar(from.AddMinutes(610), 80.2m, 80.2m, 80.2m, 80.2m, 1, 1), bars[1]);
    }
}
