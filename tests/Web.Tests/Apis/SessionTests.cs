using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>Venue sessions decide when orders are taken, in the venue's own time zone.</summary>
public sealed class SessionTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task EGX_refuses_orders_on_its_weekend_and_says_when_it_trades()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero); // Saturday, 12:00 in Cairo
        try
        {
            var before = await platform.CountRowsAsync();
            var reply = (await trader1.SubmitAsync(1001, "COMI", "Buy", 80m, 10)).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(
                "EGX (XCAI) is Closed at 2026-11-28 12:00 Africa/Cairo (Saturday); orders are taken in continuous trading, " +
                "10:00-14:15 on Sunday, Monday, Tuesday, Wednesday, Thursday " +
                "(and in PreOpen 09:30-10:00, ClosingAuction 14:15-14:20, TradeAtClose 14:20-14:30)",
                reply.Errors("symbol").Single());
            Assert.Equal(before, await platform.CountRowsAsync());
        }
        finally
        {
            platform.Clock.Fixed = null;
        }
    }

    [Fact]
    public async Task EGX_takes_orders_in_continuous_trading_on_both_sides_of_the_daylight_saving_switch()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        try
        {
            // Thursday 23 April 2026, 08:30Z = 10:30 in Cairo (EET, UTC+2): open.
            platform.Clock.Fixed = new DateTimeOffset(2026, 4, 23, 8, 30, 0, TimeSpan.Zero);
            (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
            // The same UTC time a week later is 11:30 EEST (UTC+3): still open.
            platform.Clock.Fixed = new DateTimeOffset(2026, 4, 30, 8, 30, 0, TimeSpan.Zero);
            (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
            // 11:45Z is 13:45 in winter but 14:45 in summer: after the 14:15 close.
            platform.Clock.Fixed = new DateTimeOffset(2026, 4, 30, 11, 45, 0, TimeSpan.Zero);
            var closed = (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.BadRequest);
            Assert.Contains("is Closed at 2026-04-30 14:45 Africa/Cairo", closed.Errors("symbol").Single(), StringComparison.Ordinal);
        }
        finally
        {
            platform.Clock.Fixed = null;
        }
    }

    [Fact]
    public async Task ADX_trades_Monday_to_Friday_in_Dubai_time()
    {
        var trader2 = await platform.ClientForAsync("trader2");
        try
        {
            platform.Clock.Fixed = new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero); // Friday 11:00 Dubai
            (await trader2.SubmitAsync(2001, "FAB", "Buy", 15.5m, 100)).Expect(HttpStatusCode.Created);
            platform.Clock.Fixed = new DateTimeOffset(2026, 11, 29, 7, 0, 0, TimeSpan.Zero); // Sunday
            var reply = (await trader2.SubmitAsync(2001, "FAB", "Buy", 15.5m, 100)).Expect(HttpStatusCode.BadRequest);
            Assert.StartsWith("ADX (XADS) is Closed", reply.Errors("symbol").Single(), StringComparison.Ordinal);
            // ADX's tick above 10 AED is 0.02.
            platform.Clock.Fixed = new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero);
            var offTick = (await trader2.SubmitAsync(2001, "FAB", "Buy", 15.51m, 100)).Expect(HttpStatusCode.BadRequest);
            Assert.Contains("steps of 0.02 (nearest valid prices 15.50 and 15.52)", offTick.Errors("price").Single(), StringComparison.Ordinal);
        }
        finally
        {
            platform.Clock.Fixed = null;
        }
    }
}
