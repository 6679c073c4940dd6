using TradSys.Engine.Auctions;
using TradSys.Engine.Commands;
using TradSys.Engine.Events;

namespace TradSys.Engine.Matching;

/// <summary>
/// The in-process matching engine as the host uses it: events go to an <see cref="IEngineEventSink"/> object.
/// All behaviour lives in <see cref="MatchingEngine{TSink}"/>; this type fixes the sink type to the interface.
/// </summary>
public sealed class MatchingEngine : MatchingEngine<IEngineEventSink>
{
    /// <summary>
    /// The largest order quantity the engine accepts (10^12 shares). It keeps every per-level running total exact:
    /// a level would need more than nine million orders of this size before its total could overflow.
    /// </summary>
    public const long MaxOrderQuantity = 1_000_000_000_000;

    /// <summary>Creates an engine with no instruments.</summary>
    /// <param name="sink">Where events go.</param>
    /// <param name="instrumentCapacity">One more than the highest <see cref="InstrumentId"/> value that will be added.</param>
    /// <param name="nextTradeId">The id of the next trade (for recovery; 1 for a fresh engine).</param>
    public MatchingEngine(IEngineEventSink sink, int instrumentCapacity, long nextTradeId = 1)
        : base(sink, instrumentCapacity, nextTradeId)
    {
    }

    /// <summary>Creates an engine with no instruments, pre-sizing the order index and node pool.</summary>
    /// <param name="sink">Where events go.</param>
    /// <param name="instrumentCapacity">One more than the highest <see cref="InstrumentId"/> value that will be added.</param>
    /// <param name="nextTradeId">The id of the next trade (for recovery; 1 for a fresh engine).</param>
    /// <param name="orderCapacity">How many resting orders to size the index and pool for; more still works, but allocates while growing.</param>
    public MatchingEngine(IEngineEventSink sink, int instrumentCapacity, long nextTradeId, int orderCapacity)
        : base(sink, instrumentCapacity, nextTradeId, orderCapacity)
    {
    }
}

/// <summary>
/// The in-process matching engine: one price-time priority book per instrument, a deterministic state
/// machine driven by commands and reporting through a sink. Not thread-safe by design: the host calls it
/// from one thread. Pure: no I/O, no clock (time arrives in the commands), no randomness. The book's
/// invariants and event order are documented at the top of OrderBook.cs.
/// </summary>
/// <typeparam name="TSink">
/// The sink's type. The host uses <see cref="MatchingEngine"/> (the interface); a sealed class or a struct here
/// lets the JIT call the sink directly and inline it (a struct sink lives inside the engine: reach it through <see cref="Sink"/>).
/// </typeparam>
public class MatchingEngine<TSink>
    where TSink : IEngineEventSink
{
    private const long MaxOrderQuantity = MatchingEngine.MaxOrderQuantity;
    private const int DefaultOrderCapacity = 1024;
    private const int MinLevelsPerSide = 64;
    private const int MaxInitialLevelsPerSide = 4096;

    private readonly OrderBook<TSink>?[] books;
    private readonly OrderIndex orders;
    private readonly int levelsPerSide;
    private TSink sink;
    private long nextTradeId;
    private bool inCommand;

    /// <summary>Creates an engine with no instruments.</summary>
    /// <param name="sink">Where events go.</param>
    /// <param name="instrumentCapacity">One more than the highest <see cref="InstrumentId"/> value that will be added.</param>
    /// <param name="nextTradeId">The id of the next trade (for recovery; 1 for a fresh engine).</param>
    public MatchingEngine(TSink sink, int instrumentCapacity, long nextTradeId = 1)
        : this(sink, instrumentCapacity, nextTradeId, DefaultOrderCapacity)
    {
    }

    /// <summary>Creates an engine with no instruments, pre-sizing the order index and node pool.</summary>
    /// <param name="sink">Where events go.</param>
    /// <param name="instrumentCapacity">One more than the highest <see cref="InstrumentId"/> value that will be added.</param>
    /// <param name="nextTradeId">The id of the next trade (for recovery; 1 for a fresh engine).</param>
    /// <param name="orderCapacity">How many resting orders to size the index and pool for; more still works, but allocates while growing.</param>
    public MatchingEngine(TSink sink, int instrumentCapacity, long nextTradeId, int orderCapacity)
    {
        if (sink is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(sink));
        }

        if (instrumentCapacity < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(instrumentCapacity), "The instrument capacity must not be negative.");
        }

        if (orderCapacity < 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(orderCapacity), "The order capacity must not be negative.");
        }

        this.sink = sink;
        books = new OrderBook<TSink>?[instrumentCapacity];
        orders = new OrderIndex(orderCapacity);
        OrderPool = new RestingOrderPool(orderCapacity);

        // Price levels are sized from the order capacity too, so a pre-sized engine does not grow them while trading.
        levelsPerSide = Math.Clamp(orderCapacity / 4, MinLevelsPerSide, MaxInitialLevelsPerSide);
        LevelPool = new BookLevelPool(2 * levelsPerSide);
        this.nextTradeId = nextTradeId;
    }

    /// <summary>The id the next trade will get.</summary>
    public long NextTradeId => nextTradeId;

    /// <summary>The number of resting orders across all books (pending stop orders are not in a book: see <see cref="PendingStopCount"/>).</summary>
    public int RestingOrderCount => orders.Count - PendingStops;

    /// <summary>The number of stop and stop-limit orders waiting for their trigger, across all instruments.</summary>
    public int PendingStopCount => PendingStops;

    /// <summary>The sink, by reference: a struct sink lives inside the engine, and this is how its state is read.</summary>
    public ref TSink Sink => ref sink;

    internal RestingOrderPool OrderPool { get; }

    internal BookLevelPool LevelPool { get; }

    /// <summary>The uncross's and the indicative price's reusable buffers.</summary>
    internal AuctionScratch Scratch { get; } = new();

    /// <summary>Kept by the books: the pending stops among the indexed orders.</summary>
    internal int PendingStops { get; set; }

    /// <summary>Creates an empty book for an instrument.</summary>
    /// <param name="id">The instrument; its value must be below the instrument capacity.</param>
    /// <exception cref="ArgumentOutOfRangeException">The id is outside the capacity.</exception>
    /// <exception cref="ArgumentException">The instrument already has a book.</exception>
    public void AddInstrument(InstrumentId id)
    {
        if ((uint)id.Value >= (uint)books.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(id), "The instrument id is outside the engine's instrument capacity.");
        }

        if (books[id.Value] is not null)
        {
            ThrowHelper.ThrowArgument("The instrument already has a book.", nameof(id));
        }

        books[id.Value] = new OrderBook<TSink>(id, this, levelsPerSide);
    }

    /// <summary>True when the instrument has a book.</summary>
    /// <param name="id">The instrument.</param>
    /// <returns>Whether <see cref="AddInstrument"/> was called for it.</returns>
    public bool HasInstrument(InstrumentId id) => BookOf(id) is not null;

    /// <summary>
    /// Submits a new order. Emits OrderRejected alone (unknown instrument, malformed shape, duplicate live id,
    /// market order without liquidity), or OrderAccepted followed by the trades and fills, and for a market
    /// order a final OrderCanceled for its remainder, then any stops its trades trigger (see OrderBook.cs for every type
    /// and time in force). Tick size, lots, price limits and phase are the host's
    /// checks (<see cref="Validation.OrderValidator"/>); the engine still refuses shapes that would corrupt the book.
    /// </summary>
    /// <param name="cmd">The request.</param>
    /// <exception cref="InvalidOperationException">Called from inside a sink callback.</exception>
    public void Submit(in SubmitOrder cmd)
    {
        EnterCommand();
        try
        {
            SubmitCore(in cmd);
        }
        finally
        {
            inCommand = false;
        }
    }

    private void SubmitCore(in SubmitOrder cmd)
    {
        OrderBook<TSink>? book = BookOf(cmd.Instrument);
        RejectCode code = book is null ? RejectCode.UnknownInstrument : CheckShape(in cmd);
        if (code == RejectCode.None && orders.ContainsKey(cmd.OrderId))
        {
            code = RejectCode.DuplicateOrderId;
        }

        if (code != RejectCode.None)
        {
            sink.On(new OrderRejected(cmd.OrderId, code, cmd.Timestamp));
            return;
        }

        book!.Submit(in cmd);
    }

    /// <summary>
    /// Changes a resting order's price and/or total quantity, or a pending stop order's limit price, quantity and/or
    /// stop price (<see cref="ModifyOrder.NewStopPrice"/>). A quantity decrease at the same price keeps time priority;
    /// a price change or a quantity increase loses it (for a pending stop: a stop price change or a quantity increase;
    /// the limit price alone keeps it). Emits ModifyRejected alone, or OrderModified followed by trades and fills when
    /// the new price crosses, then any stops triggered (a pending stop whose new stop price is reached triggers at once).
    /// </summary>
    /// <param name="cmd">The request.</param>
    /// <exception cref="InvalidOperationException">Called from inside a sink callback.</exception>
    public void Modify(in ModifyOrder cmd)
    {
        EnterCommand();
        try
        {
            ModifyCore(in cmd);
        }
        finally
        {
            inCommand = false;
        }
    }

    private void ModifyCore(in ModifyOrder cmd)
    {
        if (!orders.TryGetValue(cmd.OrderId, out RestingOrder? order))
        {
            sink.On(new ModifyRejected(cmd.OrderId, RejectCode.UnknownOrder, cmd.Timestamp));
            return;
        }

        RejectCode code = order.IsPendingStop ? CheckStopModify(order, in cmd) : CheckModify(order, in cmd);

        if (code != RejectCode.None)
        {
            sink.On(new ModifyRejected(cmd.OrderId, code, cmd.Timestamp));
            return;
        }

        books[order.Instrument.Value]!.Modify(order, in cmd);
    }

    /// <summary>
    /// Cancels a resting order or a pending stop order: OrderCanceled with its leaves and the command's reason (Requested,
    /// or Expired when the host expires a DAY or GTD order), or CancelRejected(UnknownOrder).
    /// </summary>
    /// <param name="cmd">The request.</param>
    /// <exception cref="InvalidOperationException">Called from inside a sink callback.</exception>
    public void Cancel(in CancelOrder cmd)
    {
        EnterCommand();
        try
        {
            CancelCore(in cmd);
        }
        finally
        {
            inCommand = false;
        }
    }

    private void CancelCore(in CancelOrder cmd)
    {
        // One index operation: take the order out of the index now; the book unlinks it and returns it to the pool.
        if (!orders.Remove(cmd.OrderId, out RestingOrder? order))
        {
            sink.On(new CancelRejected(cmd.OrderId, RejectCode.UnknownOrder, cmd.Timestamp));
            return;
        }

        books[order.Instrument.Value]!.Cancel(order, in cmd);
    }

    /// <summary>
    /// Cancels every resting order and pending stop order of one account (in every instrument), of one instrument (every
    /// account), or of one account in one instrument. Emits one OrderCanceled(Requested) per order, in the order documented
    /// in OrderBook.cs.
    /// </summary>
    /// <param name="cmd">The request; at least one of its filters must be set.</param>
    /// <returns>How many orders were canceled (0 for an unknown instrument).</returns>
    /// <exception cref="ArgumentException">Neither filter is set.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a sink callback.</exception>
    public int MassCancel(in MassCancel cmd)
    {
        if (cmd.AccountId is null && cmd.Instrument is null)
        {
            ThrowHelper.ThrowArgument("A mass cancel needs an account, an instrument or both.", nameof(cmd));
        }

        EnterCommand();
        try
        {
            if (cmd.Instrument is { } only)
            {
                OrderBook<TSink>? book = BookOf(only);
                return book is null ? 0 : book.CancelAll(cmd.AccountId, cmd.Timestamp);
            }

            int canceled = 0;
            for (int b = 0; b < books.Length; b++)
            {
                OrderBook<TSink>? book = books[b];
                if (book is not null)
                {
                    canceled += book.CancelAll(cmd.AccountId, cmd.Timestamp);
                }
            }

            return canceled;
        }
        finally
        {
            inCommand = false;
        }
    }

    /// <summary>
    /// Recovery: places a resting order at the back of its level, or a pending stop order at the back of its stop price
    /// in the trigger list, without matching, without triggering and without events. Replay resting orders and pending
    /// stops in their original priority order (<see cref="GetOrders"/>, <see cref="GetPendingStops"/>) to rebuild the
    /// same queues, and the last trade price with <see cref="RestoreLastTradePrice"/>.
    /// </summary>
    /// <param name="cmd">The order to restore.</param>
    /// <exception cref="InvalidOperationException">Called from inside a sink callback.</exception>
    /// <exception cref="ArgumentException">The order is not a valid resting order or pending stop for this engine: unknown
    /// instrument, bad side, type, time in force or self-trade prevention mode, non-positive price (stop price for a pending
    /// stop), filled not in [0, quantity) (zero for a pending stop), quantity above <see cref="MaxOrderQuantity"/>, a bad
    /// display quantity or displayed slice, a live duplicate id, or a price that would cross the book.</exception>
    public void Restore(in RestoreOrder cmd)
    {
        EnterCommand();
        try
        {
            RestoreCore(in cmd);
        }
        finally
        {
            inCommand = false;
        }
    }

    private void RestoreCore(in RestoreOrder cmd)
    {
        OrderBook<TSink>? book = BookOf(cmd.Instrument);
        if (book is null)
        {
            ThrowHelper.ThrowArgument("Cannot restore an order for an instrument without a book.", nameof(cmd));
        }

        if (cmd.Side is not (Side.Buy or Side.Sell) || cmd.TimeInForce is not (TimeInForce.Day or TimeInForce.Gtc or TimeInForce.Gtd) || cmd.Filled.Raw < 0 || cmd.Filled.Raw >= cmd.Quantity.Raw || cmd.Quantity.Raw > MaxOrderQuantity || (uint)cmd.SelfTradePrevention > (uint)SelfTradePrevention.CancelBoth)
        {
            ThrowHelper.ThrowArgument("A restored order needs a valid side, time in force and self-trade prevention mode, and 0 <= filled < quantity <= MaxOrderQuantity.", nameof(cmd));
        }

        bool validShape = cmd.IsPendingStop
            ? cmd.Type is OrderType.Stop or OrderType.StopLimit && cmd.StopPrice.Raw > 0 && cmd.Filled.Raw == 0 && cmd.DisplayQuantity.Raw == 0
                && (cmd.Type == OrderType.Stop ? cmd.Price.Raw == 0 : cmd.Price.Raw > 0)
            : cmd.Type == OrderType.Market
            ? book.IsCalling && cmd.Price.Raw == 0 && cmd.StopPrice.Raw == 0 && cmd.DisplayQuantity.Raw == 0
                && (cmd.Displayed.Raw == 0 || cmd.Displayed.Raw == cmd.Quantity.Raw - cmd.Filled.Raw)
            : cmd.Type is OrderType.Limit or OrderType.MarketToLimit or OrderType.StopLimit && cmd.Price.Raw > 0
                && cmd.DisplayQuantity.Raw >= 0 && cmd.Displayed.Raw >= 0
                && (cmd.DisplayQuantity.Raw == 0
                    ? cmd.Displayed.Raw == 0 || cmd.Displayed.Raw == cmd.Quantity.Raw - cmd.Filled.Raw
                    : cmd.Displayed.Raw <= Math.Min(cmd.DisplayQuantity.Raw, cmd.Quantity.Raw - cmd.Filled.Raw));
        if (!validShape)
        {
            ThrowHelper.ThrowArgument("A restored order is a resting limit, market-to-limit or triggered stop-limit order with a positive price (an iceberg's displayed slice within its display quantity and leaves), a market order held for the uncross of a book in a call (price zero), or a pending stop or stop-limit order with a stop price and nothing filled.", nameof(cmd));
        }

        if (orders.ContainsKey(cmd.OrderId))
        {
            ThrowHelper.ThrowArgument("A live order already has this id.", nameof(cmd));
        }

        // A book in a call (or a suspension) may be crossed: restore it as it was, the uncross will execute it.
        if (!cmd.IsPendingStop && !book.IsCalling && book.Crosses(cmd.Side, cmd.Price.Raw))
        {
            ThrowHelper.ThrowArgument("The restored order would cross the book; a snapshot of resting orders outside a call is never crossed (restore a called book after SetTradingMode(Call)).", nameof(cmd));
        }

        RestingOrder order = OrderPool.Rent();
        order.Set(cmd.OrderId, cmd.Instrument, cmd.AccountId, cmd.Side, cmd.TimeInForce, cmd.Type, cmd.SelfTradePrevention,
            cmd.Price.Raw, cmd.Quantity.Raw, cmd.Filled.Raw, cmd.StopPrice.Raw, cmd.DisplayQuantity.Raw, cmd.ExpireAt,
            cmd.IsPendingStop, cmd.Displayed.Raw);
        book.Restore(order);
        Index(order);
    }

    /// <summary>Recovery: sets an instrument's last trade price, the stop orders' trigger (nothing triggers now: the next trade checks).</summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="price">The last trade price; <see cref="Price.Zero"/> for an instrument that has not traded.</param>
    /// <exception cref="ArgumentException">The instrument has no book, or the price is negative.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a sink callback.</exception>
    public void RestoreLastTradePrice(InstrumentId instrument, Price price)
    {
        OrderBook<TSink>? book = BookOf(instrument);
        if (book is null || price.Raw < 0)
        {
            ThrowHelper.ThrowArgument("Cannot restore a negative last trade price or one for an instrument without a book.", nameof(price));
        }

        EnterCommand();
        book.LastTradePrice = price.Raw;
        inCommand = false;
    }

    /// <summary>
    /// Sets an instrument's trading mode (see <see cref="TradingMode"/> and the top of OrderBook.Auction.cs). Entering
    /// continuous trading runs the stop triggers against the last trade price (an auction price may have reached some).
    /// </summary>
    /// <param name="cmd">The request.</param>
    /// <exception cref="ArgumentException">Unknown instrument, undefined mode, negative price, or at-price trading without a price.</exception>
    /// <exception cref="InvalidOperationException">The book is in a call or suspended, crossed or holding market orders, and the new
    /// mode matches: send <see cref="Uncross"/> first. Or called from inside a sink callback.</exception>
    public void SetTradingMode(in SetTradingMode cmd)
    {
        OrderBook<TSink> book = RequireBook(cmd.Instrument);
        EnterCommand();
        try
        {
            book.SetMode(in cmd);
        }
        finally
        {
            inCommand = false;
        }
    }

    /// <summary>Sets (or with zeros clears) an instrument's volatility band; see <see cref="SetPriceBand"/>.</summary>
    /// <param name="cmd">The request.</param>
    /// <exception cref="ArgumentException">Unknown instrument, or a malformed band.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a sink callback.</exception>
    public void SetPriceBand(in SetPriceBand cmd)
    {
        OrderBook<TSink> book = RequireBook(cmd.Instrument);
        EnterCommand();
        try
        {
            book.SetBand(in cmd);
        }
        finally
        {
            inCommand = false;
        }
    }

    /// <summary>
    /// Uncrosses a book in a call or a suspension at the single auction price (maximum volume, minimum surplus, market
    /// pressure, reference price): TradeExecuted and two OrderFilled per trade, as in continuous trading, then OrderCanceled
    /// (MarketOrderRemainder) for each market order left. The mode does not change.
    /// </summary>
    /// <param name="cmd">The request.</param>
    /// <returns>The equilibrium that was executed (<see cref="AuctionEquilibrium.None"/> when nothing could execute).</returns>
    /// <exception cref="ArgumentException">Unknown instrument.</exception>
    /// <exception cref="InvalidOperationException">The book is not in a call or suspended, or called from inside a sink callback.</exception>
    public AuctionEquilibrium Uncross(in UncrossAuction cmd)
    {
        OrderBook<TSink> book = RequireBook(cmd.Instrument);
        EnterCommand();
        try
        {
            return book.Uncross(cmd.Timestamp);
        }
        finally
        {
            inCommand = false;
        }
    }

    /// <summary>The indicative auction price and volume of a book in a call or a suspension, computed now without allocating.</summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="equilibrium">The equilibrium the uncross would execute now.</param>
    /// <returns>True when the book is in a call or suspended and something would execute.</returns>
    public bool TryGetIndicative(InstrumentId instrument, out AuctionEquilibrium equilibrium)
    {
        OrderBook<TSink>? book = BookOf(instrument);
        if (book is null || !book.IsCalling)
        {
            equilibrium = AuctionEquilibrium.None;
            return false;
        }

        equilibrium = book.Indicative();
        return equilibrium.HasPrice;
    }

    /// <summary>An instrument's trading mode (<see cref="TradingMode.Continuous"/> for an unknown instrument).</summary>
    /// <param name="instrument">The instrument.</param>
    /// <returns>The mode.</returns>
    public TradingMode GetTradingMode(InstrumentId instrument) => BookOf(instrument)?.Mode ?? TradingMode.Continuous;

    /// <summary>An instrument's trading mode, the mode's price and its volatility band (a snapshot restores them with
    /// <see cref="SetPriceBand"/> and <see cref="SetTradingMode"/>: a call's mode before its orders, as they may cross).</summary>
    /// <param name="instrument">The instrument.</param>
    /// <returns>The state; continuous with no band for an unknown instrument.</returns>
    public TradingState GetTradingState(InstrumentId instrument)
    {
        OrderBook<TSink>? book = BookOf(instrument);
        return book is null
            ? default
            : new TradingState(book.Mode, new Price(book.ModePrice), new Price(book.BandLow), new Price(book.BandHigh));
    }

    /// <summary>The instrument's last trade price: what stop orders trigger on.</summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="price">The last trade price when the instrument has traded.</param>
    /// <returns>False before the instrument's first trade, or for an unknown instrument.</returns>
    public bool TryGetLastTradePrice(InstrumentId instrument, out Price price)
    {
        long last = BookOf(instrument)?.LastTradePrice ?? 0;
        price = new Price(last);
        return last != 0;
    }

    /// <summary>Looks up a resting order or a pending stop order.</summary>
    /// <param name="orderId">The order id.</param>
    /// <param name="view">Its current state when live.</param>
    /// <returns>True when the order is resting in a book or waiting in a trigger list (<see cref="OrderView.IsPendingStop"/>).</returns>
    public bool TryGetOrder(long orderId, out OrderView view)
    {
        if (!orders.TryGetValue(orderId, out RestingOrder? order))
        {
            view = default;
            return false;
        }

        view = ViewOf(order);
        return true;
    }

    /// <summary>Copies a side's aggregated levels, best first, into <paramref name="destination"/>.</summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="side">Bids (<see cref="Side.Buy"/>) or asks (<see cref="Side.Sell"/>).</param>
    /// <param name="destination">Where to write; at most its length levels are written.</param>
    /// <returns>How many levels were written (0 for an unknown instrument).</returns>
    public int GetDepth(InstrumentId instrument, Side side, Span<DepthLevel> destination)
    {
        OrderBook<TSink>? book = BookOf(instrument);
        if (book is null || side is not (Side.Buy or Side.Sell))
        {
            return 0;
        }

        BookSide bookSide = book.SideOf(side);

        // Market orders held for an uncross have no price to show: depth starts at the first limit level.
        int skip = bookSide.Count > 0 && OrderBook<TSink>.IsHeldLevel(bookSide.LevelFromBest(0), side == Side.Buy) ? 1 : 0;
        int n = Math.Min(bookSide.Count - skip, destination.Length);
        for (int i = 0; i < n; i++)
        {
            BookLevel level = bookSide.LevelFromBest(i + skip);
            destination[i] = new DepthLevel(new Price(level.Price), new Quantity(level.TotalLeaves), level.Count);
        }

        return n;
    }

    /// <summary>
    /// Copies a side's resting orders in priority order (best level first, oldest first within a level) into
    /// <paramref name="destination"/>: what a snapshot needs to rebuild the book with <see cref="Restore"/>.
    /// </summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="side">Bids (<see cref="Side.Buy"/>) or asks (<see cref="Side.Sell"/>).</param>
    /// <param name="destination">Where to write; at most its length orders are written.</param>
    /// <returns>How many orders were written (0 for an unknown instrument).</returns>
    public int GetOrders(InstrumentId instrument, Side side, Span<OrderView> destination)
    {
        OrderBook<TSink>? book = BookOf(instrument);
        if (book is null || side is not (Side.Buy or Side.Sell))
        {
            return 0;
        }

        return Copy(book.SideOf(side), destination);
    }

    /// <summary>
    /// Copies a side's pending stop and stop-limit orders in trigger order (the first the last trade price would reach
    /// first: buy stops lowest stop price first, sell stops highest first; oldest first at one stop price) into
    /// <paramref name="destination"/>: with <see cref="GetOrders"/>, what a snapshot needs to rebuild the engine.
    /// </summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="side">Buy stops (<see cref="Side.Buy"/>) or sell stops (<see cref="Side.Sell"/>).</param>
    /// <param name="destination">Where to write; at most its length orders are written.</param>
    /// <returns>How many orders were written (0 for an unknown instrument).</returns>
    public int GetPendingStops(InstrumentId instrument, Side side, Span<OrderView> destination)
    {
        OrderBook<TSink>? book = BookOf(instrument);
        if (book is null || side is not (Side.Buy or Side.Sell))
        {
            return 0;
        }

        return Copy(book.StopsOf(side), destination);
    }

    private static int Copy(BookSide bookSide, Span<OrderView> destination)
    {
        int written = 0;
        for (int i = 0; i < bookSide.Count; i++)
        {
            for (RestingOrder? order = bookSide.LevelFromBest(i).Head; order is not null; order = order.Next)
            {
                if (written == destination.Length)
                {
                    return written;
                }

                destination[written++] = ViewOf(order);
            }
        }

        return written;
    }

    /// <summary>The best (highest) bid price.</summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="price">The best bid when there is one.</param>
    /// <returns>False when there are no bids or the instrument is unknown.</returns>
    public bool TryGetBestBid(InstrumentId instrument, out Price price) => TryGetBest(instrument, Side.Buy, out price);

    /// <summary>The best (lowest) ask price.</summary>
    /// <param name="instrument">The instrument.</param>
    /// <param name="price">The best ask when there is one.</param>
    /// <returns>False when there are no asks or the instrument is unknown.</returns>
    public bool TryGetBestAsk(InstrumentId instrument, out Price price) => TryGetBest(instrument, Side.Sell, out price);

    /// <summary>
    /// A deterministic 64-bit FNV-1a hash of the engine's state: <see cref="NextTradeId"/>, then for every book in
    /// instrument order its last trade price, its trading mode, the mode's price and its price band, its bids and asks, best level first, then its pending buy and sell stops in
    /// trigger order, each level's orders in priority order (id, account, side, time in force, type, self-trade
    /// prevention, pending flag, price, quantity, filled, stop price, display quantity, displayed slice, expiry). Two
    /// engines that processed the same commands hash equal.
    /// </summary>
    /// <returns>The hash.</returns>
    public long StateHash()
    {
        ulong hash = FnvOffsetBasis;
        hash = Mix(hash, nextTradeId);
        for (int b = 0; b < books.Length; b++)
        {
            OrderBook<TSink>? book = books[b];
            if (book is null)
            {
                continue;
            }

            hash = Mix(hash, b);
            hash = Mix(hash, book.LastTradePrice);
            hash = Mix(hash, (long)book.Mode);
            hash = Mix(hash, book.ModePrice);
            hash = Mix(hash, book.BandLow);
            hash = Mix(hash, book.BandHigh);
            hash = MixSide(hash, book.Bids);
            hash = MixSide(hash, book.Asks);
            hash = MixSide(hash, book.BuyStops);
            hash = MixSide(hash, book.SellStops);
        }

        return unchecked((long)hash);
    }

    internal long TakeTradeId() => nextTradeId++;

    /// <summary>
    /// Takes the next trade id for a trade made outside the books (a fill reported by an exchange the order was routed to), so
    /// every trade of the platform has one id sequence.
    /// </summary>
    /// <returns>The id.</returns>
    public long ReserveTradeId() => TakeTradeId();

    /// <summary>Commands from inside a sink callback would mutate a book mid-match: refuse them loudly.</summary>
    private void EnterCommand()
    {
        if (inCommand)
        {
            ThrowHelper.ThrowInvalidOperation("The matching engine is not re-entrant: a sink must not send commands from inside a callback.");
        }

        inCommand = true;
    }

    internal void Index(RestingOrder order) => orders.Add(order.OrderId, order);

    /// <summary>Removes an order that left its level from the index and returns its node to the pool.</summary>
    internal void Forget(RestingOrder order)
    {
        orders.Remove(order.OrderId);
        OrderPool.Return(order);
    }

    /// <summary>Returns the node of an order already removed from the index (a cancel) to the pool.</summary>
    internal void Release(RestingOrder order) => OrderPool.Return(order);

    private const ulong FnvOffsetBasis = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private static ulong Mix(ulong hash, long value)
    {
        ulong v = unchecked((ulong)value);
        for (int i = 0; i < 8; i++)
        {
            hash ^= v & 0xFF;
            hash = unchecked(hash * FnvPrime);
            v >>= 8;
        }

        return hash;
    }

    private static ulong MixSide(ulong hash, BookSide side)
    {
        hash = Mix(hash, side.Count);
        for (int i = 0; i < side.Count; i++)
        {
            BookLevel level = side.LevelFromBest(i);
            hash = Mix(hash, level.Price);
            hash = Mix(hash, level.Count);
            for (RestingOrder? order = level.Head; order is not null; order = order.Next)
            {
                hash = Mix(hash, order.OrderId);
                hash = Mix(hash, order.AccountId);
                hash = Mix(hash, (long)order.Side);
                hash = Mix(hash, (long)order.TimeInForce);
                hash = Mix(hash, (long)order.Type);
                hash = Mix(hash, (long)order.Stp);
                hash = Mix(hash, order.IsPendingStop ? 1 : 0);
                hash = Mix(hash, order.Price);
                hash = Mix(hash, order.Quantity);
                hash = Mix(hash, order.Filled);
                hash = Mix(hash, order.StopPrice);
                hash = Mix(hash, order.Display);
                hash = Mix(hash, order.Visible);
                hash = Mix(hash, order.ExpireAt);
            }
        }

        return hash;
    }

    private static RejectCode CheckShape(in SubmitOrder cmd)
    {
        // The common shape, a plain limit order (DAY, GTC, IOC or FOK; no stop price, display quantity or expiry), is
        // passed by one combined test; it is exactly the case in which every check below returns None.
        if (cmd.Type == OrderType.Limit
            && cmd.TimeInForce is >= TimeInForce.Day and <= TimeInForce.Fok
            && cmd.Side is Side.Buy or Side.Sell
            && (ulong)(cmd.Quantity.Raw - 1) < (ulong)MaxOrderQuantity
            && cmd.Price.Raw > 0
            && (cmd.StopPrice.Raw | cmd.DisplayQuantity.Raw | cmd.ExpireAt) == 0
            && (uint)cmd.SelfTradePrevention <= (uint)SelfTradePrevention.CancelBoth)
        {
            return RejectCode.None;
        }

        if (cmd.Side is not (Side.Buy or Side.Sell))
        {
            return RejectCode.InvalidSide;
        }

        if (cmd.Quantity.Raw <= 0)
        {
            return RejectCode.NonPositiveQuantity;
        }

        if (cmd.Quantity.Raw > MaxOrderQuantity)
        {
            return RejectCode.QuantityAboveMaximum;
        }

        RejectCode code = CheckTypeShape(in cmd);
        if (code != RejectCode.None)
        {
            return code;
        }

        if ((uint)cmd.SelfTradePrevention > (uint)SelfTradePrevention.CancelBoth)
        {
            return RejectCode.InvalidSelfTradePrevention;
        }

        if (cmd.DisplayQuantity.Raw != 0)
        {
            if (cmd.Type != OrderType.Limit || cmd.TimeInForce is not (TimeInForce.Day or TimeInForce.Gtc or TimeInForce.Gtd))
            {
                return RejectCode.IcebergNotAllowed;
            }

            if (cmd.DisplayQuantity.Raw < 0 || cmd.DisplayQuantity.Raw >= cmd.Quantity.Raw)
            {
                return RejectCode.DisplayQuantityInvalid;
            }
        }

        if (cmd.TimeInForce == TimeInForce.Gtd)
        {
            if (cmd.ExpireAt == 0)
            {
                return RejectCode.ExpireAtRequired;
            }

            return cmd.ExpireAt <= cmd.Timestamp ? RejectCode.ExpireAtInPast : RejectCode.None;
        }

        return cmd.ExpireAt != 0 ? RejectCode.ExpireAtNotAllowed : RejectCode.None;
    }

    /// <summary>Price, stop price and time in force by type: the engine's part of <see cref="Validation.OrderValidator"/>'s checks.</summary>
    private static RejectCode CheckTypeShape(in SubmitOrder cmd)
    {
        switch (cmd.Type)
        {
            case OrderType.Limit:
            case OrderType.StopLimit:
                if (cmd.Type == OrderType.Limit
                    ? cmd.TimeInForce is < TimeInForce.Day or > TimeInForce.Gtd
                    : cmd.TimeInForce is not (TimeInForce.Day or TimeInForce.Gtc or TimeInForce.Gtd))
                {
                    return RejectCode.InvalidTimeInForce;
                }

                if (cmd.Price.Raw == 0)
                {
                    return RejectCode.LimitOrderNeedsPrice;
                }

                if (cmd.Price.Raw < 0)
                {
                    return RejectCode.NonPositivePrice;
                }

                return cmd.Type == OrderType.Limit ? NoStopPrice(in cmd) : CheckStopPrice(in cmd);
            case OrderType.Market:
                return NoStopPrice(in cmd);
            case OrderType.MarketToLimit:
                return cmd.TimeInForce is < TimeInForce.Day or > TimeInForce.Gtd ? RejectCode.InvalidTimeInForce : NoStopPrice(in cmd);
            case OrderType.Stop:
                return cmd.TimeInForce is not (TimeInForce.Day or TimeInForce.Gtc or TimeInForce.Gtd) ? RejectCode.InvalidTimeInForce : CheckStopPrice(in cmd);
            default:
                return RejectCode.InvalidOrderType;
        }
    }

    private static RejectCode NoStopPrice(in SubmitOrder cmd) => cmd.StopPrice.Raw != 0 ? RejectCode.StopPriceNotAllowed : RejectCode.None;

    private static RejectCode CheckStopPrice(in SubmitOrder cmd) =>
        cmd.StopPrice.Raw == 0 ? RejectCode.StopPriceRequired
        : cmd.StopPrice.Raw < 0 ? RejectCode.NonPositivePrice
        : RejectCode.None;

    private static RejectCode CheckModify(RestingOrder order, in ModifyOrder cmd)
    {
        if (cmd.NewStopPrice.Raw != 0)
        {
            return RejectCode.StopPriceNotAllowed;
        }

        if (cmd.NewQuantity.Raw <= order.Filled)
        {
            return RejectCode.QuantityNotAboveFilled;
        }

        if (cmd.NewQuantity.Raw > MaxOrderQuantity)
        {
            return RejectCode.QuantityAboveMaximum;
        }

        if (cmd.NewPrice.Raw <= 0)
        {
            return RejectCode.NonPositivePrice;
        }

        return cmd.NewPrice.Raw == order.Price && cmd.NewQuantity.Raw == order.Quantity ? RejectCode.NothingToModify : RejectCode.None;
    }

    private static RejectCode CheckStopModify(RestingOrder order, in ModifyOrder cmd)
    {
        if (cmd.NewQuantity.Raw <= 0)
        {
            return RejectCode.QuantityNotAboveFilled;
        }

        if (cmd.NewQuantity.Raw > MaxOrderQuantity)
        {
            return RejectCode.QuantityAboveMaximum;
        }

        if (order.Type == OrderType.Stop ? cmd.NewPrice.Raw != 0 : cmd.NewPrice.Raw <= 0)
        {
            return order.Type == OrderType.Stop ? RejectCode.MarketOrderHasPrice : RejectCode.NonPositivePrice;
        }

        if (cmd.NewStopPrice.Raw < 0)
        {
            return RejectCode.NonPositivePrice;
        }

        bool sameStop = cmd.NewStopPrice.Raw == 0 || cmd.NewStopPrice.Raw == order.StopPrice;
        return sameStop && cmd.NewPrice.Raw == order.Price && cmd.NewQuantity.Raw == order.Quantity ? RejectCode.NothingToModify : RejectCode.None;
    }

    private static OrderView ViewOf(RestingOrder order) => new(
        order.OrderId,
        order.Instrument,
        order.AccountId,
        order.Side,
        new Price(order.Type == OrderType.Market ? 0 : order.Price),
        new Quantity(order.Quantity),
        new Quantity(order.Filled),
        new Quantity(order.Leaves))
    {
        TimeInForce = order.TimeInForce,
        Type = order.Type,
        StopPrice = new Price(order.StopPrice),
        IsPendingStop = order.IsPendingStop,
        DisplayQuantity = new Quantity(order.Display),
        Displayed = new Quantity(order.IsPendingStop ? 0 : order.Visible),
        ExpireAt = order.ExpireAt,
        SelfTradePrevention = order.Stp,
    };

    private OrderBook<TSink>? BookOf(InstrumentId id) =>
        (uint)id.Value < (uint)books.Length ? books[id.Value] : null;

    private OrderBook<TSink> RequireBook(InstrumentId id)
    {
        OrderBook<TSink>? book = BookOf(id);
        if (book is null)
        {
            ThrowHelper.ThrowArgument("The instrument has no book.", nameof(id));
        }

        return book;
    }

    private bool TryGetBest(InstrumentId instrument, Side side, out Price price)
    {
        OrderBook<TSink>? book = BookOf(instrument);
        BookLevel? best = book is null ? null : OrderBook<TSink>.BestLimit(book.SideOf(side), side == Side.Buy);
        if (best is null)
        {
            price = default;
            return false;
        }

        price = new Price(best.Price);
        return true;
    }
}
