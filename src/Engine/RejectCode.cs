namespace TradSys.Engine;

/// <summary>
/// Why a request was refused, grouped by the stage that refused it: validation 1xxx, risk 2xxx,
/// matching 3xxx, compliance rule packs 4xxx and venue routing 5xxx (both decided by the host). Values are stable: they are journaled and sent to clients.
/// </summary>
public enum RejectCode
{
    /// <summary>Not rejected.</summary>
    None = 0,

    // Validation (1xxx): the request is malformed or not allowed by the instrument's reference data.

    /// <summary>The instrument is not known to the engine or does not match the reference data given.</summary>
    UnknownInstrument = 1001,

    /// <summary>The instrument exists but is suspended or not enabled for trading.</summary>
    InstrumentNotTrading = 1002,

    /// <summary>The quantity is zero or negative.</summary>
    NonPositiveQuantity = 1003,

    /// <summary>The quantity is not a whole multiple of the instrument's lot size.</summary>
    QuantityNotWholeLots = 1004,

    /// <summary>The price is not on the instrument's tick grid.</summary>
    PriceOffTick = 1005,

    /// <summary>The price is outside the daily price-limit band around the reference price.</summary>
    PriceOutsideDailyLimits = 1006,

    /// <summary>The market is not in continuous trading (closed, or in a phase that does not accept this order yet).</summary>
    SessionClosed = 1007,

    /// <summary>A limit order arrived without a price (price zero).</summary>
    LimitOrderNeedsPrice = 1008,

    /// <summary>A market order arrived with a price; market orders must carry price zero.</summary>
    MarketOrderHasPrice = 1009,

    /// <summary>The price is negative (or zero where a price is required).</summary>
    NonPositivePrice = 1010,

    /// <summary>The side is not <see cref="Side.Buy"/> or <see cref="Side.Sell"/>.</summary>
    InvalidSide = 1011,

    /// <summary>The order type is not a defined <see cref="OrderType"/>.</summary>
    InvalidOrderType = 1012,

    /// <summary>The time in force is not a defined <see cref="TimeInForce"/>.</summary>
    InvalidTimeInForce = 1013,

    /// <summary>The quantity is above <c>MatchingEngine.MaxOrderQuantity</c>, the bound that keeps every running total exact.</summary>
    QuantityAboveMaximum = 1014,

    /// <summary>A stop or stop-limit order arrived without a stop price (stop price zero).</summary>
    StopPriceRequired = 1015,

    /// <summary>A stop price was given for an order that is not (or no longer) a pending stop or stop-limit order.</summary>
    StopPriceNotAllowed = 1016,

    /// <summary>The stop price is not on the instrument's tick grid (it need not be inside the daily band: it is a trigger, not a trade price).</summary>
    StopPriceOffTick = 1017,

    /// <summary>An iceberg's display quantity is not positive, not below the order quantity, or not whole lots.</summary>
    DisplayQuantityInvalid = 1018,

    /// <summary>A display quantity was given for an order that is not a limit order with DAY, GTC or GTD.</summary>
    IcebergNotAllowed = 1019,

    /// <summary>A GTD order arrived without an expiry (ExpireAt zero).</summary>
    ExpireAtRequired = 1020,

    /// <summary>A GTD order's expiry is not after the request's timestamp.</summary>
    ExpireAtInPast = 1021,

    /// <summary>An expiry was given for an order whose time in force is not GTD.</summary>
    ExpireAtNotAllowed = 1022,

    /// <summary>The self-trade prevention mode is not a defined <see cref="SelfTradePrevention"/>.</summary>
    InvalidSelfTradePrevention = 1023,

    /// <summary>A market order during a call auction at a venue that takes none in auctions (ADX: "Market (Day, not in auctions)").</summary>
    MarketOrderNotAllowedInAuction = 1024,

    /// <summary>An IOC or FOK order during a call auction: nothing executes before the uncross, so it could never trade.</summary>
    ImmediateOrderNotAllowedInAuction = 1025,

    /// <summary>The order type is not taken in the current phase (market-to-limit in a call; anything but a limit order at the fixed price in trade-at-close or trade-at-last).</summary>
    OrderTypeNotAllowedInPhase = 1026,

    /// <summary>In trade-at-close or trade-at-last a limit order must carry exactly the closing (last) price.</summary>
    PriceNotAtClosingPrice = 1027,

    // Risk (2xxx): refused by the pre-trade risk stage (TradSys.Engine.Risk.PreTrade) against the firm's limits.

    /// <summary>Trading is halted for the whole firm, the trader or the account (a kill switch); cancels still pass.</summary>
    TradingHalted = 2001,

    /// <summary>The firm, the trader or the account may only reduce positions, and the order would not reduce one.</summary>
    ReducingOnly = 2002,

    /// <summary>The order's quantity is above the maximum order quantity that applies to it.</summary>
    MaxOrderQuantityExceeded = 2003,

    /// <summary>The order's notional (quantity times price) is above the maximum order notional that applies to it.</summary>
    MaxOrderNotionalExceeded = 2004,

    /// <summary>The order's price is further from the reference or last price than the price collar allows (fat finger).</summary>
    PriceCollarBreached = 2005,

    /// <summary>The account would have more working orders than the maximum that applies to it.</summary>
    MaxOpenOrdersExceeded = 2006,

    /// <summary>The account's working orders would add up to more notional than the maximum that applies to it.</summary>
    MaxOpenNotionalExceeded = 2007,

    /// <summary>The position after the order (if it all executed) would be beyond the long or short position limit.</summary>
    PositionLimitExceeded = 2008,

    /// <summary>A buy (or the short part of a sell) would cost more than the account's buying power: its cash, plus its credit line, less what its open buys reserve.</summary>
    InsufficientBuyingPower = 2009,

    /// <summary>The instrument's share of the account's portfolio value after the order would be above the concentration limit.</summary>
    ConcentrationLimitExceeded = 2010,

    /// <summary>The account's holding of the issuer's shares outstanding after the order would be above the issuer holding limit.</summary>
    IssuerHoldingLimitExceeded = 2011,

    /// <summary>The order's quantity is a larger share of the instrument's average daily volume than the volume collar allows.</summary>
    AdvCollarBreached = 2012,

    // Matching (3xxx): refused by the engine against the state of the book.

    // Compliance 4xxx: decided by the host's rule packs, never by the engine.

    /// <summary>A compliance rule pack blocked the order (the order's rule decision names the rules).</summary>
    BlockedByRule = 4001,

    /// <summary>An amendment would need compliance review; the order keeps its terms (a held order cannot keep working in the book).</summary>
    AmendmentNeedsReview = 4002,

    /// <summary>
    /// A compliance officer rejected the order in its review (it was held for review and never reached the engine); the order's
    /// reject reason carries the reviewer's reason.
    /// </summary>
    RejectedInReview = 4003,

    /// <summary>No live order has this id.</summary>
    UnknownOrder = 3001,

    /// <summary>The order exists but is no longer live (filled or canceled).</summary>
    OrderNotActive = 3002,

    /// <summary>A market order found no opposite liquidity at all.</summary>
    NoLiquidity = 3003,

    /// <summary>A live order already has this id.</summary>
    DuplicateOrderId = 3004,

    /// <summary>A modify asked for a total quantity at or below what has already been filled.</summary>
    QuantityNotAboveFilled = 3005,

    /// <summary>Market orders never rest, so they cannot be modified.</summary>
    MarketOrderCannotBeModified = 3006,

    /// <summary>A modify asked for the order's current price and quantity.</summary>
    NothingToModify = 3007,

    /// <summary>A market-to-limit order found no opposite liquidity, so it has no price to take.</summary>
    MarketToLimitNoLiquidity = 3008,

    // Venue routing 5xxx: decided by the host for orders routed to an exchange over FIX, never by the engine.

    /// <summary>The order's venue is routed over a FIX session that is not logged on: refused at once, never queued (the reason names the venue and the session's state).</summary>
    VenueUnavailable = 5001,

    /// <summary>The venue rejected the order (its ExecutionReport's text is the order's reject reason).</summary>
    VenueRejected = 5002,

    /// <summary>A cancel or replace of a routed order is already waiting for the venue's answer: one request at a time.</summary>
    VenueRequestPending = 5003,

    /// <summary>The routed order has not been acknowledged by its venue yet (pending new): it can be canceled or amended once it has.</summary>
    VenueNotAcknowledged = 5004,
}
