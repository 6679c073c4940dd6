using System.Text;
using TradSys.LoadTest.Streams;

namespace TradSys.LoadTest.Tests.Streams;

/// <summary>The <c>ws</c> command's options and its reading of the gateway's messages.</summary>
public sealed class StreamsToolTests
{
    [Fact]
    public void Channel_messages_are_counted_and_timed_and_answers_are_left_to_the_client()
    {
        var measure = new StreamMeasure { Measuring = true };
        var executed = DateTime.UtcNow.AddMilliseconds(-5);
        var trade = $$"""{"symbol":"COMI.INT","tradeId":7,"price":80.5,"quantity":10,"currency":"EGP","aggressorSide":"Sell","executedAt":"{{executed:O}}","type":"trade","channel":"trades"}""";
        // The update's own timestamp is at the top level, after the quote's (which must not be taken for it).
        var update = $$"""{"symbol":"COMI.INT","sequence":3,"bids":[],"asks":[{"price":81,"quantity":0,"orders":0}],"quote":{"timestamp":"2000-01-01T00:00:00Z"},"timestamp":"{{executed:O}}","type":"update","channel":"market_data"}""";

        Assert.True(measure.Observe(Encoding.UTF8.GetBytes(trade), 0));
        Assert.True(measure.Observe(Encoding.UTF8.GetBytes(update), 1));
        Assert.True(measure.Observe("""{"bids":[],"conflated":true,"type":"snapshot"}"""u8, 2));
        Assert.False(measure.Observe("""{"id":"c1","op":"subscribe","channel":"trades","type":"ack"}"""u8, 0));
        Assert.False(measure.Observe("""{"code":"unknown_symbol","message":"x","type":"error"}"""u8, 0));

        Assert.Equal((1L, 1L, 1L, 1L), (measure.Trades, measure.Updates, measure.Snapshots, measure.Conflated));
        var tradeLatency = measure.TradeLatency();
        Assert.Equal(1, tradeLatency.Count);
        Assert.InRange(tradeLatency.Max, 5_000_000, 60_000_000_000);
        Assert.InRange(measure.UpdateLatency().Max, 5_000_000, 60_000_000_000);
    }

    [Fact]
    public void Nothing_is_counted_outside_the_measured_phase()
    {
        var measure = new StreamMeasure();
        Assert.True(measure.Observe("""{"type":"trade","executedAt":"2026-01-01T00:00:00Z"}"""u8, 0));
        Assert.Equal(0, measure.Trades);
        Assert.Equal(0, measure.TradeLatency().Count);
    }

    [Fact]
    public void Options_are_bounded_and_name_what_is_wrong()
    {
        var o = StreamsOptions.Parse(["ws", "--url", "http://127.0.0.1:5080", "--subscribers", "10000", "--symbols", "COMI.INT,FAB.INT", "--channels", "trades"]);
        Assert.Equal((10_000, 2, 1), (o.Subscribers, o.Symbols.Count, o.Channels.Count));
        Assert.Equal(1_000, o.Rate);

        Assert.Contains("--url", Assert.Throws<UsageException>(() => StreamsOptions.Parse(["ws"])).Message, StringComparison.Ordinal);
        Assert.Contains("loopback", Assert.Throws<UsageException>(() => StreamsOptions.Parse(["ws", "--url", "http://example.com"])).Message, StringComparison.Ordinal);
        Assert.Contains("(1-20000)", Assert.Throws<UsageException>(() => StreamsOptions.Parse(["ws", "--url", "http://127.0.0.1:1", "--subscribers", "20001"])).Message, StringComparison.Ordinal);
        Assert.Contains("--channels", Assert.Throws<UsageException>(() => StreamsOptions.Parse(["ws", "--url", "http://127.0.0.1:1", "--channels", "orders"])).Message, StringComparison.Ordinal);
        Assert.Contains("--rate", Assert.Throws<UsageException>(() => StreamsOptions.Parse(["ws", "--url", "http://127.0.0.1:1", "--rate", "0"])).Message, StringComparison.Ordinal);
    }
}
