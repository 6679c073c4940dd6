using System.Runtime.CompilerServices;
using TradSys.Engine.Commands;
using TradSys.Engine.Events;
using TradSys.Engine.Matching;

namespace TradSys.Engine.Tests.Support;

/// <summary>
/// Counts what a replay's check line needs, in plain fields: a trade per <see cref="TradeExecuted"/>, a cancel hit per
/// OrderCanceled(Requested), a miss per <see cref="CancelRejected"/>; amends by whether they kept priority. Allocates nothing. A struct, so that
/// <see cref="MatchingEngine{TSink}"/> calls it directly; it lives inside the engine (read it through <c>engine.Sink</c>).
/// </summary>
public struct CheckSink : IEngineEventSink
{
    public long Trades;
    public long Volume;
    public long CancelOk;
    public long CancelMiss;
    public long Rejected;

    /// <summary>Amends that kept the order's place in its queue (the micro-benchmarks check their batches with these).</summary>
    public long ModifiedKept;

    /// <summary>Amends that sent the order to the back of its (new) level.</summary>
    public long ModifiedLost;

    public void On(in OrderAccepted e)
    {
    }

    public void On(in OrderRejected e) => Rejected++;

    public void On(in TradeExecuted e)
    {
        Trades++;
        Volume += e.Quantity.Raw;
    }

    public void On(in OrderFilled e)
    {
    }

    public void On(in OrderCanceled e)
    {
        if (e.Reason == CancelReason.Requested)
        {
            CancelOk++;
        }
    }

    public void On(in OrderModified e)
    {
        if (e.LostPriority)
        {
            ModifiedLost++;
        }
        else
        {
            ModifiedKept++;
        }
    }

    public void On(in ModifyRejected e) => Rejected++;

    public void On(in CancelRejected e) => CancelMiss++;

    public void On(in OrderTriggered e)
    {
    }
}

/// <summary>Feeds gen-orders operations to the real engine: one instrument, GTC limit places and cancels.</summary>
public static class ReplayDriver
{
    public static readonly InstrumentId Instrument = new(0);

    /// <summary>A fresh engine with one instrument, pre-sized for <paramref name="orderCapacity"/> resting orders.</summary>
    public static MatchingEngine<CheckSink> NewEngine(int orderCapacity)
    {
        var engine = new MatchingEngine<CheckSink>(default, 1, 1, orderCapacity);
        engine.AddInstrument(Instrument);
        return engine;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Apply(MatchingEngine<CheckSink> engine, in ReplayOp op, long timestamp)
    {
        if (op.IsCancel)
        {
            engine.Cancel(new CancelOrder(op.OrderId, timestamp));
        }
        else
        {
            engine.Submit(new SubmitOrder(
                op.OrderId,
                Instrument,
                op.OwnerId,
                op.IsBuy ? Side.Buy : Side.Sell,
                OrderType.Limit,
                TimeInForce.Gtc,
                new Price(op.Price),
                new Quantity(op.Quantity),
                timestamp));
        }
    }

    public static void Run(MatchingEngine<CheckSink> engine, ReplayOp[] ops)
    {
        for (int i = 0; i < ops.Length; i++)
        {
            Apply(engine, in ops[i], i);
        }
    }

    public static ReplayCheck CheckOf(MatchingEngine<CheckSink> engine) =>
        new(engine.Sink.Trades, engine.Sink.Volume, engine.Sink.CancelOk, engine.Sink.CancelMiss, engine.RestingOrderCount);
}
