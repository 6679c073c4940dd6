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
    /// Validates a new order. Checks, in order: the instrument matches and is trading; quantity is positive
    /// and whole lots; a limit order has a positive price and a market order has price zero; the price is on
    /// tick and inside the daily band; the phase is <see cref="MarketPhase.Continuous"/>. (Side, type and time in force
    /// must be defined values, and the quantity at most <see cref="MatchingEngine.MaxOrderQuantity"/>.)
    /// </summary>
    /// <param name="order">The request.</param>
    /// <param name="instrument">The instrument's reference data.</param>
    /// <param name="phase">The venue's phase at the request's time.</param>
    /// <returns>The first failing check, or <see cref="RejectCode.None"/>.</returns>
    public static RejectCode Validate(in SubmitOrder order, InstrumentSpec instrument, MarketPhase phase)
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

        RejectCode quantityCode = CheckQuantity(order.Quantity, instrument);
        if (quantityCode != RejectCode.None)
        {
            return quantityCode;
        }

        switch (order.Type)
        {
            case OrderType.Limit:
                if (order.TimeInForce is not (TimeInForce.Day or TimeInForce.Gtc))
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

                break;
            case OrderType.Market:
                if (order.Price.Raw != 0)
                {
                    return RejectCode.MarketOrderHasPrice;
                }

                break;
            default:
                return RejectCode.InvalidOrderType;
        }

        return phase == MarketPhase.Continuous ? RejectCode.None : RejectCode.SessionClosed;
    }

    /// <summary>
    /// Validates the new price and total quantity of a modify with the same checks as <see cref="Validate"/>:
    /// instrument trading, quantity positive and whole lots, price positive, on tick and inside the daily band,
    /// phase continuous. Whether the quantity exceeds what is filled is the engine's check.
    /// </summary>
    /// <param name="newPrice">The requested price.</param>
    /// <param name="newQuantity">The requested total quantity.</param>
    /// <param name="instrument">The instrument's reference data.</param>
    /// <param name="phase">The venue's phase at the request's time.</param>
    /// <returns>The first failing check, or <see cref="RejectCode.None"/>.</returns>
    public static RejectCode ValidateModify(Price newPrice, Quantity newQuantity, InstrumentSpec instrument, MarketPhase phase)
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

        return phase == MarketPhase.Continuous ? RejectCode.None : RejectCode.SessionClosed;
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
