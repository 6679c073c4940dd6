using TradSys.Engine;
using TradSys.Web.Ordering;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace TradSys.Web.Tests.Ordering;

/// <summary>The single writer is the authority: it validates again at the timestamp it journals.</summary>
public sealed class SequencerTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private SubmitCommand Submit(string symbol, decimal price, long quantity)
    {
        _ = platform.CreateClient();
        var instrument = platform.Services.GetRequiredService<ReferenceDataCache>().Get(symbol);
        return new SubmitCommand("trader1", 2, 1001, Guid.NewGuid().ToString("N"),
            new TradableInstrumentRef(instrument.Spec.Id, symbol, instrument.Decimals, instrument.Row.Currency),
            Side.Buy, OrderType.Limit, TimeInForce.Day, Price.FromDecimal(price, instrument.Decimals), new Quantity(quantity));
    }

    [Fact]
    public async Task An_order_that_reaches_the_writer_after_the_session_closed_is_refused_and_nothing_is_written()
    {
        var command = Submit("COMI", 80m, 10);
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 26, 12, 30, 0, TimeSpan.Zero); // Thursday 14:30 in Cairo: the close
        try
        {
            // The phase change to Closed is journaled by the first batch after 14:30; let it happen before counting.
            await platform.SendAsync(new AdvancePhasesCommand("test"));
            var before = await platform.CountRowsAsync();
            var result = await platform.SendAsync(command);
            Assert.Equal(SequencerOutcome.Invalid, result.Outcome);
            Assert.Equal(RejectCode.SessionClosed, result.Code);
            Assert.Null(result.Order);
            Assert.Equal(before, await platform.CountRowsAsync());
        }
        finally
        {
            platform.Clock.Fixed = null;
        }
    }

    [Fact]
    public async Task The_same_order_a_minute_earlier_is_accepted()
    {
        var command = Submit("COMI", 80m, 10);
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 26, 12, 14, 0, TimeSpan.Zero); // 14:14 in Cairo
        try
        {
            var result = await platform.SendAsync(command);
            Assert.Equal(SequencerOutcome.Created, result.Outcome);
            Assert.Equal(OrderStatus.Accepted, result.Order!.Status);
        }
        finally
        {
            platform.Clock.Fixed = null;
        }
    }
}
