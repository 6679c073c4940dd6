using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using TradSys.Engine.MarketData;
using static TradSys.Engine.Tests.Reference.TestVenues;

namespace TradSys.Engine.Tests.MarketData;

public class MarketStatisticsTests
{
    private static readonly InstrumentId Instrument = new(3);

    private static Quantity Q(long raw) => new(raw);

    [Fact]
    public void Vwap_of_three_trades_is_the_exact_ratio_of_value_to_volume()
    {
        var stats = new MarketStatistics(Instrument);
        stats.RecordTrade(P(10.00m), Q(100));
        stats.RecordTrade(P(10.10m), Q(200));
        stats.RecordTrade(P(10.20m), Q(300));

        // 10000 x 100 + 10100 x 200 + 10200 x 300 = 6 080 000 raw over 600 shares = 10133.33...
        Assert.Equal(((Int128)6_080_000, 600L), stats.Vwap);
        Assert.Equal(P(10.133m), stats.VwapRoundedHalfEven);
        Assert.Equal(Q(600), stats.Volume);
        Assert.Equal(3, stats.TradeCount);
    }

    [Theory]
    [InlineData(10_001, 10_002, 10_002)] // 10001.5 -> even 10002
    [InlineData(10_002, 10_003, 10_002)] // 10002.5 -> even 10002
    [InlineData(10_000, 10_002, 10_001)] // exact
    public void Vwap_rounds_half_to_even(long first, long second, long expected)
    {
        var stats = new MarketStatistics(Instrument);
        stats.RecordTrade(new Price(first), Q(1));
        stats.RecordTrade(new Price(second), Q(1));

        Assert.Equal(new Price(expected), stats.VwapRoundedHalfEven);
    }

    [Fact]
    public void Vwap_rounds_up_above_the_half()
    {
        // (10000 x 1 + 10001 x 2) / 3 = 10000.67 -> 10001
        var stats = new MarketStatistics(Instrument);
        stats.RecordTrade(new Price(10_000), Q(1));
        stats.RecordTrade(new Price(10_001), Q(2));

        Assert.Equal(new Price(10_001), stats.VwapRoundedHalfEven);
    }

    [Fact]
    public void Open_is_the_first_trade_and_high_and_low_track_the_extremes()
    {
        var stats = new MarketStatistics(Instrument);

        Assert.Equal(Level1Changes.Trade | Level1Changes.Open | Level1Changes.High | Level1Changes.Low, stats.RecordTrade(P(10.10m), Q(10)));
        Assert.Equal(Level1Changes.Trade | Level1Changes.High, stats.RecordTrade(P(10.30m), Q(10)));
        Assert.Equal(Level1Changes.Trade | Level1Changes.Low, stats.RecordTrade(P(9.90m), Q(10)));
        Assert.Equal(Level1Changes.Trade, stats.RecordTrade(P(10.00m), Q(5)));

        Assert.Equal((P(10.10m), P(10.30m), P(9.90m)), (stats.Open, stats.High, stats.Low));
        Assert.Equal((P(10.00m), Q(5)), (stats.LastPrice, stats.LastQuantity));
    }

    [Fact]
    public void A_new_session_clears_the_trade_statistics_but_keeps_the_best_prices()
    {
        var stats = new MarketStatistics(Instrument);
        stats.UpdateBest(Side.Buy, P(9.90m), Q(100));
        stats.UpdateBest(Side.Sell, P(10.10m), Q(200));
        stats.RecordTrade(P(10.00m), Q(50));

        Assert.Equal(Level1Changes.SessionReset, stats.ResetSession());

        Assert.Equal(
            new Level1Snapshot(Instrument, P(9.90m), Q(100), P(10.10m), Q(200), Price.Zero, Quantity.Zero, Quantity.Zero, 0, 0, Price.Zero, Price.Zero, Price.Zero, Price.Zero, 42),
            stats.Snapshot(42));
        Assert.False(stats.HasTrades);

        stats.RecordTrade(P(10.05m), Q(10));
        Assert.Equal((P(10.05m), P(10.05m), P(10.05m), P(10.05m)), (stats.Open, stats.High, stats.Low, stats.VwapRoundedHalfEven));
    }

    [Fact]
    public void A_best_price_update_reports_a_change_only_when_something_changed()
    {
        var stats = new MarketStatistics(Instrument);

        Assert.Equal(Level1Changes.BestBid, stats.UpdateBest(Side.Buy, P(9.90m), Q(100)));
        Assert.Equal(Level1Changes.None, stats.UpdateBest(Side.Buy, P(9.90m), Q(100)));
        Assert.Equal(Level1Changes.BestBid, stats.UpdateBest(Side.Buy, P(9.90m), Q(150)));
        Assert.Equal(Level1Changes.BestAsk, stats.UpdateBest(Side.Sell, P(10.10m), Q(10)));
        Assert.Equal(Level1Changes.BestAsk, stats.UpdateBest(Side.Sell, P(10.50m), Quantity.Zero));

        Level1Snapshot snapshot = stats.Snapshot(7);
        Assert.True(snapshot.HasBid);
        Assert.False(snapshot.HasAsk);
        Assert.Equal(Price.Zero, snapshot.BestAsk);
    }

    [Fact]
    public void A_trade_that_would_overflow_the_volume_is_refused_and_changes_nothing()
    {
        // The largest possible session (every share at the largest price) still fits the Int128 traded value.
        var stats = new MarketStatistics(Instrument);
        stats.RecordTrade(new Price(long.MaxValue), Q(long.MaxValue - 1));
        Level1Snapshot before = stats.Snapshot(0);

        Assert.Throws<ArgumentOutOfRangeException>(() => stats.RecordTrade(new Price(long.MaxValue), Q(2)));
        Assert.Equal(before, stats.Snapshot(0));
        Assert.Equal((Int128)long.MaxValue * (long.MaxValue - 1), stats.TradedValue);
        Assert.Equal(new Price(long.MaxValue), stats.VwapRoundedHalfEven);
    }

    [Fact]
    public void A_trade_without_quantity_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketStatistics(Instrument).RecordTrade(P(10m), Quantity.Zero));

    [Property(MaxTest = 300)]
    public Property Rounded_vwap_lies_between_low_and_high_and_within_half_a_unit_of_the_exact_value() =>
        Prop.ForAll(
            Arb.From(Gen.NonEmptyListOf(Gen.Zip(Gen.Choose(1, 1_000_000), Gen.Choose(1, 100_000)))),
            trades =>
            {
                var stats = new MarketStatistics(Instrument);
                foreach ((int price, int quantity) in trades)
                {
                    stats.RecordTrade(new Price(price), Q(quantity));
                }

                Price vwap = stats.VwapRoundedHalfEven;
                (Int128 numerator, long denominator) = stats.Vwap;
                Assert.InRange(vwap.Raw, stats.Low.Raw, stats.High.Raw);
                Assert.True(Int128.Abs((2 * (Int128)vwap.Raw * denominator) - (2 * numerator)) <= denominator);
                Assert.Equal(trades.Sum(t => (long)t.Item2), stats.Volume.Raw);
            });
}
