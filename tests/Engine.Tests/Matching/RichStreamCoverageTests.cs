using TradSys.Engine.Events;
using TradSys.Engine.Tests.Support;
using static TradSys.Engine.Tests.Matching.MatchingEngineProperties;

namespace TradSys.Engine.Tests.Matching;

/// <summary>The rich random streams of the properties really reach the new paths (a property that never triggers a stop proves little).</summary>
public class RichStreamCoverageTests
{
    [Fact]
    public void Rich_streams_trigger_stops_refresh_icebergs_prevent_self_trades_and_amend_pending_stops()
    {
        var random = new Random(7);
        OpKind[] kinds = [.. Enum.GetValues<OpKind>().Where(k => k is not (OpKind.Call or OpKind.Open or OpKind.Band))];
        var ops = new Op[4000];
        for (int i = 0; i < ops.Length; i++)
        {
            ops[i] = new Op(kinds[random.Next(kinds.Length)], random.Next(2) == 0 ? Side.Buy : Side.Sell, random.Next(96, 105), random.Next(1, 26), random.Next(1001), random.Next(12));
        }

        (_, RecordingSink sink) = Run(ops, checkEachStep: null, model: null, rich: true);

        Assert.True(sink.Of<OrderTriggered>().Count() > 20);
        Assert.Contains(sink.Of<OrderCanceled>(), c => c.Reason == CancelReason.SelfTradePrevention);
        Assert.Contains(sink.Of<OrderCanceled>(), c => c.Reason == CancelReason.FillOrKillNotFilled);
        Assert.Contains(sink.Of<OrderCanceled>(), c => c.Reason == CancelReason.ImmediateOrCancelRemainder);
        Assert.Contains(sink.Of<OrderAccepted>(), a => a.Type == OrderType.MarketToLimit);
        Assert.Contains(sink.Of<OrderModified>(), m => m.StopPrice.Raw != 0 && m.LostPriority);
        Assert.Contains(sink.Of<OrderModified>(), m => m.StopPrice.Raw != 0 && !m.LostPriority);
        Assert.Contains(sink.Of<ModifyRejected>(), m => m.Code == RejectCode.StopPriceNotAllowed);
        Assert.Contains(sink.Of<OrderCanceled>(), c => c.Reason == CancelReason.Expired);
    }

    [Fact]
    public void Auction_streams_uncross_calls_and_suspend_on_the_band()
    {
        var random = new Random(11);
        OpKind[] kinds = Enum.GetValues<OpKind>();
        var ops = new Op[4000];
        for (int i = 0; i < ops.Length; i++)
        {
            ops[i] = new Op(kinds[random.Next(kinds.Length)], random.Next(2) == 0 ? Side.Buy : Side.Sell, random.Next(96, 105), random.Next(1, 26), random.Next(1001), random.Next(12));
        }

        (_, RecordingSink sink) = Run(ops, checkEachStep: null, model: null, rich: true);

        Assert.True(sink.Of<InstrumentSuspended>().Count() > 5);
        Assert.True(sink.Of<TradeExecuted>().Count(t => t.AggressorSide == default) > 20, "auction trades");
        Assert.Contains(sink.Of<OrderCanceled>(), c => c.Reason == CancelReason.MarketOrderRemainder);
    }
}
