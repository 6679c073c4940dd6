using TradSys.Engine.Commands;
using TradSys.Engine.Matching;

namespace TradSys.Engine.Tests.Support;

/// <summary>What a host's snapshot holds for one instrument, and how it is restored: the rebuild recovery does.</summary>
public static class Snapshots
{
    /// <summary>A restore command that puts <paramref name="o"/> back exactly as it is (iceberg slice, pending stop and all).</summary>
    public static RestoreOrder ToRestore(OrderView o) =>
        new(o.OrderId, o.Instrument, o.AccountId, o.Side, o.TimeInForce, o.Price, o.Quantity, o.Filled, 0,
            o.Type, o.StopPrice, o.DisplayQuantity, o.ExpireAt, o.SelfTradePrevention, o.IsPendingStop, o.IsPendingStop ? Quantity.Zero : o.Displayed);

    /// <summary>
    /// Restores into <paramref name="target"/> the trading state, the last trade price, the resting orders and the pending stops of
    /// <paramref name="source"/>, each side in priority order. A book in a call (which may be crossed) gets its mode before its
    /// orders; any other mode is set after them.
    /// </summary>
    public static void Restore(MatchingEngine source, MatchingEngine target, InstrumentId instrument)
    {
        if (source.TryGetLastTradePrice(instrument, out Price last))
        {
            target.RestoreLastTradePrice(instrument, last);
        }

        TradingState state = source.GetTradingState(instrument);
        target.SetPriceBand(new SetPriceBand(instrument, state.BandLow, state.BandHigh));
        bool calling = state.Mode is TradingMode.Call or TradingMode.Halted;
        if (calling)
        {
            target.SetTradingMode(new SetTradingMode(instrument, state.Mode, 0, state.ModePrice));
        }

        var buffer = new OrderView[source.RestingOrderCount + source.PendingStopCount + 1];
        foreach (Side side in new[] { Side.Buy, Side.Sell })
        {
            int n = source.GetOrders(instrument, side, buffer);
            for (int i = 0; i < n; i++)
            {
                target.Restore(ToRestore(buffer[i]));
            }

            n = source.GetPendingStops(instrument, side, buffer);
            for (int i = 0; i < n; i++)
            {
                target.Restore(ToRestore(buffer[i]));
            }
        }

        if (!calling && state.Mode != TradingMode.Continuous)
        {
            target.SetTradingMode(new SetTradingMode(instrument, state.Mode, 0, state.ModePrice));
        }
    }
}
