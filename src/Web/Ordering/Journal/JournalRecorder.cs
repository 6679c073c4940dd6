using TradSys.Engine.MarketData;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Journal;

/// <summary>
/// Turns the engine's events into journal entries, trades and order-state changes for the batch being
/// built. Called only from the order writer's thread, synchronously from inside the engine.
/// </summary>
internal sealed class JournalRecorder(ReferenceDataCache referenceData) : IEngineEventSink
{
    private readonly MarketStatistics[] _statistics = [.. referenceData.Instruments.Select(i => new MarketStatistics(i.Spec.Id))];
    private readonly DateOnly[] _sessionDay = new DateOnly[referenceData.Instruments.Count];
    private readonly Queue<(long Ticks, long Price, long Quantity)>[] _recent = [.. referenceData.Instruments.Select(_ => new Queue<(long, long, long)>())];

    /// <summary>How long trades are kept for <see cref="RecentVwap"/> (the longest closing-price window of any venue is 30 minutes).</summary>
    private static readonly long RecentWindow = TimeSpan.FromMinutes(60).Ticks;

    /// <summary>Volatility suspensions raised by the engine in the batch, for <see cref="TradingPhases.OnSuspensions"/>.</summary>
    public List<InstrumentSuspended> Suspensions { get; } = [];

    /// <summary>Working orders and the orders touched by the current batch, by id.</summary>
    public Dictionary<long, OrderRecord> Live { get; } = new(4096);
    public List<OrderRecord> Added { get; } = [];
    public HashSet<OrderRecord> Changed { get; } = new(ReferenceEqualityComparer.Instance);
    public List<OrderEventRecord> Events { get; } = [];
    public List<TradeRecord> Trades { get; } = [];
    /// <summary>Trades made by the command being processed (for its reply).</summary>
    public List<TradeRecord> CommandTrades { get; } = [];
    /// <summary>The engine's refusal of the command being processed, if any.</summary>
    public RejectCode CommandReject { get; private set; }
    public long NextSequence { get; set; } = 1;

    /// <summary>When set, the reason journalled for cancellations (the host expiring orders rather than a client canceling).</summary>
    public string? CancelReasonOverride { get; set; }

    /// <summary>Orders canceled by the command being processed (for a mass cancel's reply).</summary>
    public List<long> CommandCanceled { get; } = [];

    /// <summary>Orders whose state the command being processed changed (for the rules stage's aggregates).</summary>
    public List<OrderRecord> CommandTouched { get; } = [];

    public void BeginCommand()
    {
        CommandTouched.Clear();
        CommandTrades.Clear();
        CommandCanceled.Clear();
        CommandReject = RejectCode.None;
    }

    /// <summary>After a commit: forget the batch and the orders that stopped working.</summary>
    public void EndBatch()
    {
        foreach (var order in Changed)
        {
            if (!order.IsWorking)
            {
                Live.Remove(order.Id);
            }
        }
        Added.Clear();
        Changed.Clear();
        Events.Clear();
        Trades.Clear();
    }

    public void On(in OrderAccepted e)
    {
        var order = Live[e.OrderId];
        order.Status = OrderStatus.Accepted;
        if (order.Type == OrderType.MarketToLimit)
        {
            // A market-to-limit order takes the best opposite price as its limit when it is accepted.
            order.Price = referenceData.Get(order.Symbol).ToDecimal(e.Price);
        }
        var entry = Append(order, OrderEventKind.Accepted, e.Timestamp);
        order.PrioritySequence = entry.Sequence;
    }

    public void On(in OrderRejected e)
    {
        var order = Live[e.OrderId];
        order.Status = OrderStatus.Rejected;
        order.LeavesQuantity = 0;
        order.RejectCode = (int)e.Code;
        order.RejectReason = RejectReasons.Describe(e.Code);
        var entry = Append(order, OrderEventKind.Rejected, e.Timestamp);
        entry.ReasonCode = (int)e.Code;
        entry.Reason = order.RejectReason;
    }

    public void On(in TradeExecuted e)
    {
        var instrument = referenceData.Get(e.Instrument);
        var trade = new TradeRecord
        {
            Id = e.TradeId, Symbol = instrument.Row.Symbol, Price = instrument.ToDecimal(e.Price), Quantity = e.Quantity.Raw,
            Currency = instrument.Row.Currency, BuyOrderId = e.BuyOrderId, SellOrderId = e.SellOrderId,
            BuyAccountId = e.BuyAccountId, SellAccountId = e.SellAccountId, AggressorSide = e.AggressorSide,
            ExecutedAt = ToUtc(e.Timestamp),
        };
        Trades.Add(trade);
        CommandTrades.Add(trade);
        StatisticsFor(e.Instrument, e.Timestamp).RecordTrade(e.Price, e.Quantity);
        RecordRecent(e.Instrument, e.Timestamp, e.Price, e.Quantity);
    }

    public void On(in InstrumentSuspended e) => Suspensions.Add(e);

    /// <summary>Keeps a trade for the closing-price VWAP fallback (also fed by the recovery's replay of recent trades).</summary>
    public void RecordRecent(InstrumentId instrument, long ticks, Price price, Quantity quantity)
    {
        var recent = _recent[instrument.Value];
        recent.Enqueue((ticks, price.Raw, quantity.Raw));
        while (recent.Count > 0 && recent.Peek().Ticks < ticks - RecentWindow)
        {
            recent.Dequeue();
        }
    }

    /// <summary>The volume-weighted average price of the trades of the last <paramref name="minutes"/> before <paramref name="ticks"/>; null when there were none.</summary>
    public Price? RecentVwap(InstrumentId instrument, long ticks, int minutes)
    {
        var from = ticks - TimeSpan.FromMinutes(minutes).Ticks;
        Int128 value = 0;
        long volume = 0;
        foreach (var (at, price, quantity) in _recent[instrument.Value])
        {
            if (at >= from && at <= ticks)
            {
                value += (Int128)price * quantity;
                volume += quantity;
            }
        }
        return volume == 0 ? null : new Price((long)((value + volume / 2) / volume));
    }

    /// <summary>Level 1 now: the trading day's statistics with the best bid and ask read from the book.</summary>
    public Level1Snapshot Level1(InstrumentId instrument, MatchingEngine engine, long timestamp)
    {
        var statistics = StatisticsFor(instrument, timestamp);
        Span<DepthLevel> best = stackalloc DepthLevel[1];
        foreach (var side in (ReadOnlySpan<Side>)[Side.Buy, Side.Sell])
        {
            var level = engine.GetDepth(instrument, side, best) == 1 ? best[0] : default;
            statistics.UpdateBest(side, level.Price, level.Quantity);
        }
        return statistics.Snapshot(timestamp);
    }

    /// <summary>
    /// The instrument's level-1 statistics for the venue-local trading day of <paramref name="timestamp"/>:
    /// the first call on a new day starts a new session (volume, VWAP, open/high/low from zero).
    /// </summary>
    public MarketStatistics StatisticsFor(InstrumentId instrument, long timestamp)
    {
        var day = DateOnly.FromDateTime(referenceData.Get(instrument).Spec.Venue.ToVenueLocal(timestamp));
        var statistics = _statistics[instrument.Value];
        if (_sessionDay[instrument.Value] != day)
        {
            statistics.ResetSession();
            _sessionDay[instrument.Value] = day;
        }
        return statistics;
    }

    public void On(in OrderFilled e)
    {
        var order = Live[e.OrderId];
        var price = referenceData.Get(order.Symbol).ToDecimal(e.Price);
        order.FilledQuantity = e.CumulativeFilled.Raw;
        order.LeavesQuantity = e.Leaves.Raw;
        order.FilledNotional += price * e.Quantity.Raw;
        order.Status = e.Leaves.Raw == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        var entry = Append(order, e.Leaves.Raw == 0 ? OrderEventKind.Filled : OrderEventKind.PartiallyFilled, e.Timestamp);
        entry.TradeId = e.TradeId;
        entry.FillPrice = price;
        entry.FillQuantity = e.Quantity.Raw;
    }

    public void On(in OrderCanceled e)
    {
        var order = Live[e.OrderId];
        order.Status = OrderStatus.Canceled;
        order.LeavesQuantity = 0;
        var entry = Append(order, OrderEventKind.Canceled, e.Timestamp);
        entry.ReasonCode = (int)e.Reason;
        entry.Reason = CancelReasonOverride ?? e.Reason switch
        {
            CancelReason.Requested => "canceled on request",
            CancelReason.MarketOrderRemainder => "market order remainder canceled: no more liquidity",
            CancelReason.ImmediateOrCancelRemainder => "IOC: the part that could not execute at once was canceled",
            CancelReason.FillOrKillNotFilled => "FOK: the whole quantity could not execute at once, so nothing did",
            CancelReason.SelfTradePrevention => "self-trade prevention: it would have traded with an order of the same account",
            CancelReason.Expired => "expired",
            _ => e.Reason.ToString(),
        };
        // The order says why it ended when its owner did not ask for it (shown in the blotter beside the status).
        order.CancelReason = e.Reason == CancelReason.Requested && CancelReasonOverride is null ? null : entry.Reason;
        CommandCanceled.Add(e.OrderId);
        entry.FillQuantity = e.CanceledQuantity.Raw;
    }

    public void On(in OrderModified e)
    {
        var order = Live[e.OrderId];
        var instrument = referenceData.Get(order.Symbol);
        if (order.Type != OrderType.Stop)
        {
            order.Price = instrument.ToDecimal(e.Price);
        }
        string stop = "";
        if (e.StopPrice.Raw != 0)
        {
            order.StopPrice = instrument.ToDecimal(e.StopPrice);
            stop = $" (stop price {order.StopPrice})";
        }
        order.Quantity = e.Quantity.Raw;
        order.LeavesQuantity = e.Leaves.Raw;
        var entry = Append(order, OrderEventKind.Modified, e.Timestamp);
        if (e.LostPriority)
        {
            order.PrioritySequence = entry.Sequence;
        }
        entry.Reason = (e.LostPriority ? "amended: time priority lost" : "amended: time priority kept") + stop;
    }

    public void On(in OrderTriggered e)
    {
        var order = Live[e.OrderId];
        order.TriggeredAt = ToUtc(e.Timestamp);
        var entry = Append(order, OrderEventKind.Triggered, e.Timestamp);
        entry.FillPrice = referenceData.Get(order.Symbol).ToDecimal(e.TriggerPrice);
        entry.Reason = $"stop triggered: a trade printed at {entry.FillPrice}";
    }

    public void On(in ModifyRejected e) => CommandReject = e.Code;

    public void On(in CancelRejected e) => CommandReject = e.Code;

    /// <summary>
    /// The host (not the engine) rejected an order: a new one (a rule pack's Block) or a held one in its compliance review
    /// (<see cref="RejectCode.RejectedInReview"/>: Rejected, not Canceled, since nobody asked to cancel it). Journalled with the reason.
    /// </summary>
    public void RecordHostRejection(OrderRecord order, RejectCode code, string reason, long timestamp)
    {
        order.Status = OrderStatus.Rejected;
        order.LeavesQuantity = 0;
        order.RejectCode = (int)code;
        order.RejectReason = reason;
        var entry = Append(order, OrderEventKind.Rejected, timestamp);
        entry.ReasonCode = (int)code;
        entry.Reason = reason;
    }

    /// <summary>A rule pack held a new order for review: it stays with the host, out of the engine.</summary>
    public void RecordHeld(OrderRecord order, string reason, long timestamp)
    {
        order.Status = OrderStatus.PendingReview;
        var entry = Append(order, OrderEventKind.HeldForReview, timestamp);
        entry.Reason = reason;
    }

    /// <summary>A held order was canceled by the trader (or expired with its day) without the engine having seen it.</summary>
    public void RecordHeldCanceled(OrderRecord order, string reason, long timestamp)
    {
        order.Status = OrderStatus.Canceled;
        var canceled = order.LeavesQuantity;
        order.LeavesQuantity = 0;
        var entry = Append(order, OrderEventKind.Canceled, timestamp);
        entry.ReasonCode = (int)CancelReason.Requested;
        entry.Reason = reason;
        entry.FillQuantity = canceled;
        CommandCanceled.Add(order.Id);
    }

    /// <summary>A held order is released to the engine: journalled before the engine's own events for it.</summary>
    public void RecordReleased(OrderRecord order, string reason, long timestamp)
    {
        order.Status = OrderStatus.New;
        var entry = Append(order, OrderEventKind.Released, timestamp);
        entry.Reason = reason;
    }

    /// <summary>
    /// An order routed to an exchange over FIX (<see cref="Stages.RouteStage"/>): it stays pending new (status New) until the venue
    /// answers, and never enters the engine. Journalled with where it went.
    /// </summary>
    public void RecordRouted(OrderRecord order, string reason, long timestamp)
    {
        order.Status = OrderStatus.New;
        var entry = Append(order, OrderEventKind.Routed, timestamp);
        entry.Reason = reason;
    }

    /// <summary>
    /// A cancel or replace of a routed order went to its venue (<see cref="OrderEventKind.CancelRequested"/>,
    /// <see cref="OrderEventKind.ReplaceRequested"/>), or the venue refused it (<see cref="OrderEventKind.CancelRejected"/>): the order's
    /// status stays; journalled with the ClOrdID and, for a refusal, the venue's reason.
    /// </summary>
    public void RecordVenueRequest(OrderRecord order, OrderEventKind kind, string reason, long timestamp)
    {
        var entry = Append(order, kind, timestamp);
        entry.Reason = reason.Length > 512 ? reason[..512] : reason;
    }

    private OrderEventRecord Append(OrderRecord order, OrderEventKind kind, long timestamp)
    {
        var at = ToUtc(timestamp);
        order.UpdatedAt = at;
        Changed.Add(order);
        CommandTouched.Add(order);
        var entry = new OrderEventRecord
        {
            Sequence = NextSequence++, OrderId = order.Id, Kind = kind, Status = order.Status, Price = order.Price,
            Quantity = order.Quantity, FilledQuantity = order.FilledQuantity, LeavesQuantity = order.LeavesQuantity,
            Timestamp = at,
        };
        Events.Add(entry);
        return entry;
    }

    private static DateTime ToUtc(long ticks) => new(ticks, DateTimeKind.Utc);
}
