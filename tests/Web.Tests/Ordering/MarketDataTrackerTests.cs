using Microsoft.Extensions.DependencyInjection;
using TradSys.Engine;
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
    public void The_first_update_of_a_book_lists_every_level()
    {
        var changes = MarketDataTracker.Diff([], [Level(81_000, 30, 1)], Instrument());
        Assert.Equal([new Contracts.DepthLevelChange(81m, 30, 1)], changes);
    }
}
