namespace TradSys.Engine.Events;

/// <summary>
/// Receives the engine's events synchronously, in order, on the engine's thread. Events are passed by
/// reference to avoid copies; copy what you keep. An implementation may query the engine but must not
/// send it commands from inside a callback (the engine throws <see cref="InvalidOperationException"/>).
/// A callback should not throw: if one does, the command stops there, with the book reflecting every event
/// already raised and nothing after; the host should treat that as fatal and rebuild from its journal.
/// </summary>
public interface IEngineEventSink
{
    /// <summary>A new order was accepted.</summary>
    /// <param name="e">The event.</param>
    void On(in OrderAccepted e);

    /// <summary>A new order was rejected.</summary>
    /// <param name="e">The event.</param>
    void On(in OrderRejected e);

    /// <summary>A trade happened.</summary>
    /// <param name="e">The event.</param>
    void On(in TradeExecuted e);

    /// <summary>An order was (partially) filled.</summary>
    /// <param name="e">The event.</param>
    void On(in OrderFilled e);

    /// <summary>An order's remainder was canceled.</summary>
    /// <param name="e">The event.</param>
    void On(in OrderCanceled e);

    /// <summary>A resting order was modified.</summary>
    /// <param name="e">The event.</param>
    void On(in OrderModified e);

    /// <summary>A modify was rejected.</summary>
    /// <param name="e">The event.</param>
    void On(in ModifyRejected e);

    /// <summary>A cancel was rejected.</summary>
    /// <param name="e">The event.</param>
    void On(in CancelRejected e);

    /// <summary>A pending stop order triggered.</summary>
    /// <param name="e">The event.</param>
    void On(in OrderTriggered e);

    /// <summary>
    /// A volatility band breach suspended an instrument. The default ignores it (a sink that only counts or checks trades need
    /// not care); the host implements it to schedule the resumption.
    /// </summary>
    /// <param name="e">The event.</param>
    void On(in InstrumentSuspended e)
    {
    }
}
