using TradSys.Engine.Commands;
using TradSys.Engine.Matching;
using TradSys.Engine.Reference;

namespace TradSys.Engine.Validation;

/// <summary>
/// Static checks of a request against the instrument's reference data and the market phase, run by the
/// host before the engine. Returns the first failing check's code, in a fixed order, or <see cref="RejectCode.None"/>.
/// Pure and allocation-free.
/// </summary>
public static class OrderValidator
{
    /// <summary>
    /// Validates a new order. Checks, in order: the instrument matches and is trading; side defined; quantity is positive
    /// and whole lots; by type: a limit or stop-limit order has a positive price on tick inside the daily band, a market,
    /// market-to-limit or stop order has price zero; a stop or stop-limit order has a stop price that is positive and on
    /// tick (not checked against the daily band: it is a trigger, not a trade price; the order it becomes is checked
    /// when it trades), any other order none; the time in force suits the type (limit: any; market-to-limit: any; stop
    /// and stop-limit: DAY, GTC, GTD; market: not checked, it is immediate, FOK honoured); the self-trade prevention
    /// mode is defined; an iceberg's display quantity (limit orders with DAY, GTC or GTD only) is positive, below the
    /// quantity and whole lots; a GTD order has an expiry after the request's timestamp and no other order has one; the
    /// phase takes the order (<see cref="CheckPhase"/>). (The quantity is at most <see cref="MatchingEngine.MaxOrderQuantity"/>.)
    /// </summary>
    /// <param name="order">The request.</param>
    /// <param name="instrument">The instrument's reference data.</param>
    /// <param name="phase">The venue's phase at the request's time.</param>
    /// <param name="fixedPrice">In trade-at-close or trade-at-last, the closing (last) price every order must carry; zero when not known to the caller (the engine then checks it).</param>
    /// <returns>The first failing check, or <see cref="RejectCode.None"/>.</returns>
    public static RejectCode Validate(in SubmitOrder order, InstrumentSpec instrument, MarketPhase phase, Price fixedPrice = default)
    {
        if (instrument is null || order.Instrument != instrument.Id)
        {
            return RejectCode.UnknownInstrument;
        }

        if (!instrument.IsTrading)
        {
            return RejectCode.InstrumentNotTrading;
        }

        if (order.Side is not (Side.Buy or Side.Sell))
        {
            return RejectCode.InvalidSide;
        }

        RejectCode code = CheckQuantity(order.Quantity, instrument);
        if (code != RejectCode.None)
        {
            return code;
        }

        code = CheckType(in order, instrument);
        if (code != RejectCode.None)
        {
            return code;
        }

        if ((uint)order.SelfTradePrevention > (uint)SelfTradePrevention.CancelBoth)
        {
            return RejectCode.InvalidSelfTradePrevention;
        }

        code = CheckIceberg(in order, instrument);
        if (code != RejectCode.None)
        {
            return code;
        }

        code = CheckExpiry(in order);
        if (code != RejectCode.None)
        {
            return code;
        }

        return CheckPhase(order.Type, order.TimeInForce, order.Price, instrument.Venue, phase, fixedPrice);
    }

    /// <summary>
    /// Whether the phase takes an order of this type, time in force and price. Continuous: any. A call (pre-open, closing
    /// auction, pre-close): limit, stop and stop-limit orders, and market orders where the venue takes them in auctions
    /// (<see cref="VenueSpec.MarketOrdersInAuctions"/>; else <see cref="RejectCode.MarketOrderNotAllowedInAuction"/>); not
    /// market-to-limit (no price to take: <see cref="RejectCode.OrderTypeNotAllowedInPhase"/>); not IOC or FOK, which could
    /// never execute before the uncross (<see cref="RejectCode.ImmediateOrderNotAllowedInAuction"/>). Trade-at-close and
    /// trade-at-last: limit orders only, at <paramref name="fixedPrice"/> when given (<see cref="RejectCode.PriceNotAtClosingPrice"/>).
    /// Closed: <see cref="RejectCode.SessionClosed"/>.
    /// </summary>
    /// <param name="type">The order type.</param>
    /// <param name="timeInForce">The time in force.</param>
    /// <param name="price">The limit price.</param>
    /// <param name="venue">The venue.</param>
    /// <param name="phase">The venue's phase.</param>
    /// <param name="fixedPrice">The closing (last) price of an at-price phase; zero when unknown.</param>
    /// <returns>The refusal, or <see cref="RejectCode.None"/>.</returns>
    public static RejectCode CheckPhase(OrderType type, TimeInForce timeInForce, Price price, VenueSpec venue, MarketPhase phase, Price fixedPrice = default)
    {
        if (venue is null)
        {
            ThrowHelper.ThrowArgumentNull(nameof(venue));
        }

        if (phase == MarketPhase.Continuous)
        {
            return RejectCode.None;
        }

        if (VenueSpec.IsCall(phase))
        {
            if (type == OrderType.MarketToLimit)
            {
                return RejectCode.OrderTypeNotAllowedInPhase;
            }

            if (type == OrderType.Market && !venue.MarketOrdersInAuctions)
            {
                return RejectCode.MarketOrderNotAllowedInAuction;
            }

            return timeInForce is TimeInForce.Ioc or TimeInForce.Fok ? RejectCode.ImmediateOrderNotAllowedInAuction : RejectCode.None;
        }

        if (VenueSpec.IsAtPrice(phase))
        {
            if (type != OrderType.Limit)
            {
                return RejectCode.OrderTypeNotAllowedInPhase;
            }

            return fixedPrice.Raw != 0 && price != fixedPrice ? RejectCode.PriceNotAtClosingPrice : RejectCode.None;
        }

        return RejectCode.SessionClosed;
    }

    /// <summary>
    /// Validates the new price and total quantity of a modify with the same checks as <see cref="Validate"/>:
    /// instrument trading, quantity positive and whole lots, price positive, on tick and inside the daily band,
    /// phase open: amend is allowed in continuous trading and during calls, and in an at-price phase at the fixed price
    /// only. Whether the quantity exceeds what is filled is the engine's check.
    /// </summary>
    /// <param name="newPrice">The requested price.</param>
    /// <param name="newQuantity">The requested total quantity.</param>
    /// <param name="instrument">The instrument's reference data.</param>
    /// <param name="phase">The venue's phase at the request's time.</param>
    /// <param name="fixedPrice">In an at-price phase, the closing (last) price; zero when unknown to the caller.</param>
    /// <returns>The first failing check, or <see cref="RejectCode.None"/>.</returns>
    public static RejectCode ValidateModify(Price newPrice, Quantity newQuantity, InstrumentSpec instrument, MarketPhase phase, Price fixedPrice = default)
    {
        if (instrument is null)
        {
            return RejectCode.UnknownInstrument;
        }

        if (!instrument.IsTrading)
        {
            return RejectCode.InstrumentNotTrading;
        }

        RejectCode quantityCode = CheckQuantity(newQuantity, instrument);
        if (quantityCode != RejectCode.None)
        {
            return quantityCode;
        }

        RejectCode priceCode = CheckPrice(newPrice, instrument);
        if (priceCode != RejectCode.None)
        {
            return priceCode;
        }

        if (phase == MarketPhase.Continuous || VenueSpec.IsCall(phase))
        {
            return RejectCode.None;
        }

        if (VenueSpec.IsAtPrice(phase))
        {
            return fixedPrice.Raw != 0 && newPrice != fixedPrice ? RejectCode.PriceNotAtClosingPrice : RejectCode.None;
        }

        return RejectCode.SessionClosed;
    }

    /// <summary>
    /// Validates the amend of a pending (not yet triggered) stop or stop-limit order with the checks of
    /// <see cref="Validate"/>: instrument trading; quantity positive and whole lots; a stop (market) order takes no
    /// price, a stop-limit order's price is positive, on tick and inside the daily band; a new stop price (zero keeps
    /// the current one) is positive and on tick; phase continuous or a call (not at-price: <see cref="RejectCode.OrderTypeNotAllowedInPhase"/>). Whether the quantity is
    /// a change at all is the engine's check.
    /// </summary>
    /// <param name="type">The order's type: <see cref="OrderType.Stop"/> or <see cref="OrderType.StopLimit"/>.</param>
    /// <param name="newPrice">The requested limit price; <see cref="Price.Zero"/> for a stop order.</param>
    /// <param name="newQuantity">The requested total quantity.</param>
    /// <param name="newStopPrice">The requested stop price; <see cref="Price.Zero"/> keeps the current one.</param>
    /// <param name="instrument">The instrument's reference data.</param>
    /// <param name="phase">The venue's phase at the request's time.</param>
    /// <returns>The first failing check, or <see cref="RejectCode.None"/>.</returns>
    public static RejectCode ValidateStopModify(OrderType type, Price newPrice, Quantity newQuantity, Price newStopPrice,
        InstrumentSpec instrument, MarketPhase phase)
    {
        if (type is not (OrderType.Stop or OrderType.StopLimit))
        {
            return RejectCode.StopPriceNotAllowed;
        }

        if (instrument is null)
        {
            return RejectCode.UnknownInstrument;
        }

        if (!instrument.IsTrading)
        {
            return RejectCode.InstrumentNotTrading;
        }

        RejectCode code = CheckQuantity(newQuantity, instrument);
        if (code != RejectCode.None)
        {
            return code;
        }

        code = type == OrderType.Stop
            ? newPrice.Raw != 0 ? RejectCode.MarketOrderHasPrice : RejectCode.None
            : CheckPrice(newPrice, instrument);
        if (code != RejectCode.None)
        {
            return code;
        }

        if (newStopPrice.Raw != 0)
        {
            code = CheckStopPrice(newStopPrice, instrument);
            if (code != RejectCode.None)
            {
                return code;
            }
        }

        // Stops wait in calls (they are taken there) but not in at-price phases, which take only limit orders.
        return phase == MarketPhase.Continuous || VenueSpec.IsCall(phase) ? RejectCode.None
            : VenueSpec.IsAtPrice(phase) ? RejectCode.OrderTypeNotAllowedInPhase
            : RejectCode.SessionClosed;
    }

    private static RejectCode CheckType(in SubmitOrder order, InstrumentSpec instrument)
    {
        bool restingTif = order.TimeInForce is TimeInForce.Day or TimeInForce.Gtc or TimeInForce.Gtd;
        bool anyTif = order.TimeInForce is >= TimeInForce.Day and <= TimeInForce.Gtd;
        switch (order.Type)
        {
            case OrderType.Limit:
            case OrderType.StopLimit:
                if (order.Type == OrderType.Limit ? !anyTif : !restingTif)
                {
                    return RejectCode.InvalidTimeInForce;
                }

                if (order.Price.Raw == 0)
                {
                    return RejectCode.LimitOrderNeedsPrice;
                }

                RejectCode priceCode = CheckPrice(order.Price, instrument);
                if (priceCode != RejectCode.None)
                {
                    return priceCode;
                }

                return order.Type == OrderType.Limit ? NoStopPrice(in order) : CheckStopPrice(order.StopPrice, instrument);
            case OrderType.Market:
                return order.Price.Raw != 0 ? RejectCode.MarketOrderHasPrice : NoStopPrice(in order);
            case OrderType.MarketToLimit:
                if (!anyTif)
                {
                    return RejectCode.InvalidTimeInForce;
                }

                return order.Price.Raw != 0 ? RejectCode.MarketOrderHasPrice : NoStopPrice(in order);
            case OrderType.Stop:
                if (!restingTif)
                {
                    return RejectCode.InvalidTimeInForce;
                }

                return order.Price.Raw != 0 ? RejectCode.MarketOrderHasPrice : CheckStopPrice(order.StopPrice, instrument);
            default:
                return RejectCode.InvalidOrderType;
        }
    }

    private static RejectCode NoStopPrice(in SubmitOrder order) => order.StopPrice.Raw != 0 ? RejectCode.StopPriceNotAllowed : RejectCode.None;

    private static RejectCode CheckStopPrice(Price stopPrice, InstrumentSpec instrument)
    {
        if (stopPrice.Raw == 0)
        {
            return RejectCode.StopPriceRequired;
        }

        if (stopPrice.Raw < 0)
        {
            return RejectCode.NonPositivePrice;
        }

        return instrument.Venue.Ticks.IsOnTick(stopPrice) ? RejectCode.None : RejectCode.StopPriceOffTick;
    }

    private static RejectCode CheckIceberg(in SubmitOrder order, InstrumentSpec instrument)
    {
        long display = order.DisplayQuantity.Raw;
        if (display == 0)
        {
            return RejectCode.None;
        }

        if (order.Type != OrderType.Limit || order.TimeInForce is not (TimeInForce.Day or TimeInForce.Gtc or TimeInForce.Gtd))
        {
            return RejectCode.IcebergNotAllowed;
        }

        if (display < 0 || display >= order.Quantity.Raw || (instrument.LotSize > 1 && display % instrument.LotSize != 0))
        {
            return RejectCode.DisplayQuantityInvalid;
        }

        return RejectCode.None;
    }

    private static RejectCode CheckExpiry(in SubmitOrder order)
    {
        if (order.TimeInForce != TimeInForce.Gtd)
        {
            return order.ExpireAt != 0 ? RejectCode.ExpireAtNotAllowed : RejectCode.None;
        }

        if (order.ExpireAt == 0)
        {
            return RejectCode.ExpireAtRequired;
        }

        return order.ExpireAt <= order.Timestamp ? RejectCode.ExpireAtInPast : RejectCode.None;
    }

    private static RejectCode CheckQuantity(Quantity quantity, InstrumentSpec instrument)
    {
        if (quantity.Raw <= 0)
        {
            return RejectCode.NonPositiveQuantity;
        }

        if (quantity.Raw > MatchingEngine.MaxOrderQuantity)
        {
            return RejectCode.QuantityAboveMaximum;
        }

        if (instrument.LotSize > 1 && quantity.Raw % instrument.LotSize != 0)
        {
            return RejectCode.QuantityNotWholeLots;
        }

        return RejectCode.None;
    }

    private static RejectCode CheckPrice(Price price, InstrumentSpec instrument)
    {
        if (price.Raw <= 0)
        {
            return RejectCode.NonPositivePrice;
        }

        if (!instrument.Venue.Ticks.IsOnTick(price))
        {
            return RejectCode.PriceOffTick;
        }

        (Price low, Price high) = instrument.DailyBand();
        if (price < low || price > high)
        {
            return RejectCode.PriceOutsideDailyLimits;
        }

        return RejectCode.None;
    }
}
