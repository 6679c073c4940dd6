using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Stages;

/// <summary>
/// The match stage: hands orders and their amendments and cancellations to the in-process matching engine, one book per
/// instrument. The engine answers synchronously through <see cref="Journal.JournalRecorder"/>, which turns its events into the
/// batch's order changes, journal entries and trades. An order whose venue is routed over FIX (<c>Routing:Venues</c>) goes to
/// <see cref="RouteStage"/> instead and never enters the engine.
/// </summary>
internal sealed class MatchStage(OrderBooks books, RouteStage route)
{
    /// <summary>The route stage, for the cancels and amendments of routed orders (they never reach the engine).</summary>
    public RouteStage Route => route;

    /// <summary>A new order that passed every stage: it counts as open for the rules from now on.</summary>
    public void Submit(OrderRecord order, SubmitOrder submit, DateTime now)
    {
        if (route.RouteOf(order) is { } venue)
        {
            route.Submit(order, venue, now, isNew: true);
            return;
        }
        books.Recorder.Live[order.Id] = order;
        books.Aggregates.OrderEntered(order, books.CreditCurrency(order.AccountId), now);
        books.Engine.Submit(submit with { OrderId = order.Id });
    }

    /// <summary>A held order released after review (already counted as open while it was held).</summary>
    public void Release(OrderRecord order, SubmitOrder submit)
    {
        if (route.RouteOf(order) is { } venue)
        {
            route.Submit(order, venue, new DateTime(submit.Timestamp, DateTimeKind.Utc), isNew: false);
            return;
        }
        books.Recorder.Live[order.Id] = order;
        books.Engine.Submit(submit);
    }

    /// <summary>Amends a working order; <see cref="RejectCode.None"/> or the engine's refusal.</summary>
    public RejectCode Modify(ModifyCommand m, long timestamp)
    {
        books.Engine.Modify(new ModifyOrder(m.OrderId, m.NewPrice, m.NewQuantity, timestamp, m.NewStopPrice));
        return books.Recorder.CommandReject;
    }

    /// <summary>Cancels a working order; <see cref="RejectCode.None"/> or the engine's refusal.</summary>
    public RejectCode Cancel(long orderId, long timestamp, CancelReason reason = CancelReason.Requested)
    {
        books.Engine.Cancel(new CancelOrder(orderId, timestamp, reason));
        return books.Recorder.CommandReject;
    }

    /// <summary>Cancels every working order of an account, optionally of one instrument only.</summary>
    public void MassCancel(long accountId, InstrumentId? instrument, long timestamp) =>
        books.Engine.MassCancel(new MassCancel(accountId, instrument, timestamp));

    /// <summary>Expires a working order with the host's reason (journalled as its cancel reason).</summary>
    public void Expire(OrderRecord order, string reason, long timestamp)
    {
        books.Recorder.CancelReasonOverride = reason;
        try
        {
            books.Engine.Cancel(new CancelOrder(order.Id, timestamp, CancelReason.Expired));
        }
        finally
        {
            books.Recorder.CancelReasonOverride = null;
        }
    }
}
