using TradSys.Engine.Events;

namespace TradSys.Engine.Tests.Support;

/// <summary>Captures every event, in order, boxed: fine for tests, never for the hot path.</summary>
public sealed class RecordingSink : IEngineEventSink
{
    public List<object> Events { get; } = [];

    public IEnumerable<T> Of<T>() => Events.OfType<T>();

    public void Clear() => Events.Clear();

    public void On(in OrderAccepted e) => Events.Add(e);

    public void On(in OrderRejected e) => Events.Add(e);

    public void On(in TradeExecuted e) => Events.Add(e);

    public void On(in OrderFilled e) => Events.Add(e);

    public void On(in OrderCanceled e) => Events.Add(e);

    public void On(in OrderModified e) => Events.Add(e);

    public void On(in ModifyRejected e) => Events.Add(e);

    public void On(in CancelRejected e) => Events.Add(e);

    public void On(in OrderTriggered e) => Events.Add(e);

    public void On(in InstrumentSuspended e) => Events.Add(e);
}

/// <summary>Counts events without storing them: allocation-free, for the allocation test.</summary>
public sealed class CountingSink : IEngineEventSink
{
    public long Count { get; private set; }

    public void On(in OrderAccepted e) => Count++;

    public void On(in OrderRejected e) => Count++;

    public void On(in TradeExecuted e) => Count++;

    public void On(in OrderFilled e) => Count++;

    public void On(in OrderCanceled e) => Count++;

    public void On(in OrderModified e) => Count++;

    public void On(in ModifyRejected e) => Count++;

    public void On(in CancelRejected e) => Count++;

    public void On(in OrderTriggered e) => Count++;
}
