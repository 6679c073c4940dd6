using TradSys.Web.Ordering.Journal;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Engine;
using TradSys.Engine.Commands;
using TradSys.Engine.Events;
using TradSys.Engine.Matching;
using TradSys.Web.Ordering;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering;

/// <summary>Level-2 updates carry exactly the levels that changed, and removed levels as zero.</summary>
public sealed class MarketDataTrackerTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private TradableInstrument Instrument()
    {
        _ = platform.CreateClient();
        return platform.Services.GetRequiredService<ReferenceDataCache>().Get("COMI.INT");
    }

    private static DepthLevel Level(long raw, long quantity, int orders) => new(new Price(raw), new Quantity(quantity), orders);

    [Fact]
    public void Changed_new_and_removed_levels_are_reported_and_unchanged_ones_are_not()
    {
        var instrument = Instrument();
        DepthLevel[] before = [Level(80_500, 100, 2), Level(80_400, 50, 1), Level(80_300, 10, 1)];
        DepthLevel[] after = [Level(80_500, 60, 1), Level(80_400, 50, 1), Level(80_200, 70, 3)];

        var changes = MarketDataTracker.Diff(before, after, instrument);

        Assert.Equal(
            [new Contracts.DepthLevelChange(80.5m, 60, 1), new Contracts.DepthLevelChange(80.2m, 70, 3), new Contracts.DepthLevelChange(80.3m, 0, 0)],
            changes);
    }

    [Fact]
    public void During_a_call_the_quote_update_carries_the_phase_and_the_indicative_auction_price_and_volume()
    {
        _ = platform.CreateClient();
        var referenceData = platform.Services.GetRequiredService<ReferenceDataCache>();
        var comi = referenceData.Get("COMI");
        var engine = new MatchingEngine(new IgnoringSink(), referenceData.Instruments.Count);
        engine.AddInstrument(comi.Spec.Id);
        var preOpen = new DateTime(2026, 11, 26, 7, 45, 0, DateTimeKind.Utc).Ticks; // 09:45 in Cairo
        engine.SetTradingMode(new SetTradingMode(comi.Spec.Id, TradingMode.Call, preOpen, comi.Spec.ReferencePrice));
        engine.Submit(new SubmitOrder(1, comi.Spec.Id, 1, Side.Buy, OrderType.Limit, TimeInForce.Day, Price.FromDecimal(81m, 3), new Quantity(100), preOpen));
        engine.Submit(new SubmitOrder(2, comi.Spec.Id, 2, Side.Sell, OrderType.Limit, TimeInForce.Day, Price.FromDecimal(79m, 3), new Quantity(60), preOpen));

        var quotes = new CommittedQuotes();
        var tracker = new MarketDataTracker(referenceData, quotes);
        var quote = Assert.Single(tracker.Updates([comi.Spec.Id], engine, new JournalRecorder(referenceData), preOpen).OfType<Contracts.QuoteUpdated>());

        // 79 and 81 both execute 60 with a buy surplus of 40: market pressure takes the higher, 81.
        Assert.Equal(("PreOpen", (decimal?)81m, 60L), (quote.Phase, quote.IndicativePrice, quote.IndicativeVolume));
        Assert.Null(quote.Last);

        // The quote read model hears of it only once the batch is committed.
        Assert.False(quotes.TryGet(comi.Spec.Id, out _));
        tracker.Commit();
        Assert.True(quotes.TryGet(comi.Spec.Id, out var committed));
        Assert.Equal((81m, 60L), (comi.ToDecimal(committed.Indicative!.Value.Price), committed.Indicative.Value.ExecutableVolume.Raw));
    }

    private sealed class IgnoringSink : IEngineEventSink
    {
        public void On(in OrderAccepted e)
        {
        }

        public void On(in OrderRejected e)
        {
        }

        public void On(in TradeExecuted e)
        {
        }

        public void On(in OrderFilled e)
        {
        }

        public void On(in OrderCanceled e)
        {
        }

        public void On(in OrderModified e)
        {
        }

        public void On(in ModifyRejected e)
        {
        }

        public void On(in CancelRejected e)
        {
        }

        public void On(in OrderTriggered e)
        {
        }
    }

    [Fact]
    public void The_first_update_of_a_book_lists_every_level()
    {
        var changes = MarketDataTracker.Diff([], [Level(81_000, 30, 1)], Instrument());
        Assert.Equal([new Contracts.DepthLevelChange(81m, 30, 1)], changes);
    }
}
