using System.Globalization;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.PreTrade;

/// <summary>
/// The validate stage: instrument trading, quantity positive and in whole lots, price present for limit
/// orders, on the tick and within the daily limits, the venue's phase taking the order (continuous trading; calls
/// for limit, stop and, where the venue allows, market orders; trade-at-close/last at the closing price only). The
/// engine's <see cref="OrderValidator"/> decides; this stage explains its answer in the venue's own terms.
/// </summary>
public sealed class ValidationStage(OrderWriter writer) : IPreTradeStage
{
    public string Name => "validate";

    public ValueTask<StageVerdict> EvaluateAsync(OrderTicket ticket, CancellationToken cancellationToken)
    {
        var instrument = ticket.Instrument;
        var now = ticket.ReceivedAtUtc.Ticks;
        var phase = instrument.Spec.Venue.PhaseAt(now);
        var order = new SubmitOrder(0, instrument.Spec.Id, ticket.AccountId, ticket.Side, ticket.Type, ticket.TimeInForce,
            ticket.Price, ticket.Quantity, now, ticket.StopPrice, ticket.DisplayQuantity, ticket.ExpireAt);
        var fixedPrice = writer.FixedPrice(instrument.Spec.Id);
        var code = OrderValidator.Validate(order, instrument.Spec, phase, fixedPrice);
        return ValueTask.FromResult(Explain(code, instrument, ticket.Price, ticket.Quantity, now, phase, fixedPrice));
    }

    /// <summary>Validates an amend's new price and total quantity.</summary>
    public static StageVerdict ValidateAmend(TradableInstrument instrument, Price price, Quantity quantity, DateTime nowUtc)
    {
        var now = nowUtc.Ticks;
        var phase = instrument.Spec.Venue.PhaseAt(now);
        var code = OrderValidator.ValidateModify(price, quantity, instrument.Spec, phase);
        return Explain(code, instrument, price, quantity, now, phase);
    }

    /// <summary>Validates the amend of a stop or stop-limit order still waiting for its trigger.</summary>
    public static StageVerdict ValidateStopAmend(TradableInstrument instrument, OrderType type, Price price, Quantity quantity,
        Price stopPrice, DateTime nowUtc)
    {
        var now = nowUtc.Ticks;
        var phase = instrument.Spec.Venue.PhaseAt(now);
        var code = OrderValidator.ValidateStopModify(type, price, quantity, stopPrice, instrument.Spec, phase);
        return Explain(code, instrument, price, quantity, now, phase);
    }

    /// <summary>The verdict for a validation code, with the venue's own figures in the message.</summary>
    public static StageVerdict Explain(RejectCode code, TradableInstrument instrument, Price price, Quantity quantity,
        long nowTicks, MarketPhase phase, Price fixedPrice = default)
    {
        var spec = instrument.Spec;
        var venue = instrument.VenueRow;
        var symbol = instrument.Row.Symbol;
        return code switch
        {
            RejectCode.None => StageVerdict.Pass,
            RejectCode.InstrumentNotTrading => StageVerdict.Invalid(code, "symbol",
                $"{symbol} is {instrument.Row.Status} and takes no orders"),
            RejectCode.NonPositiveQuantity => StageVerdict.Invalid(code, "quantity",
                $"quantity must be positive; got {quantity.Raw}"),
            RejectCode.QuantityNotWholeLots => StageVerdict.Invalid(code, "quantity",
                $"quantity {quantity.Raw} is not a whole number of lots: the lot size of {symbol} is {spec.LotSize}"),
            RejectCode.LimitOrderNeedsPrice => StageVerdict.Invalid(code, "price", "a limit order needs a price"),
            RejectCode.MarketOrderHasPrice => StageVerdict.Invalid(code, "price", "a market order takes no price; leave price out"),
            RejectCode.NonPositivePrice => StageVerdict.Invalid(code, "price", $"price must be positive; got {Format(instrument, price)}"),
            RejectCode.PriceOffTick => StageVerdict.Invalid(code, "price",
                $"price {Format(instrument, price)} is not on the tick: at this price {venue.Code} moves in steps of " +
                $"{Format(instrument, new Price(spec.Venue.Ticks.TickAt(price)))} (nearest valid prices " +
                $"{Format(instrument, spec.Venue.Ticks.RoundDownToTick(price))} and {Format(instrument, spec.Venue.Ticks.RoundUpToTick(price))})"),
            RejectCode.PriceOutsideDailyLimits => LimitsVerdict(code, instrument, price),
            RejectCode.StopPriceRequired or RejectCode.StopPriceNotAllowed => StageVerdict.Invalid(code, "stopPrice", RejectReasons.Describe(code)),
            RejectCode.StopPriceOffTick => StageVerdict.Invalid(code, "stopPrice",
                $"stop price is not on the tick: {venue.Code} moves in steps of the tick table (GET /api/v1/instruments/{symbol})"),
            RejectCode.DisplayQuantityInvalid => StageVerdict.Invalid(code, "displayQuantity",
                $"displayQuantity must be positive, a whole number of lots ({spec.LotSize}) and less than the quantity {quantity.Raw}"),
            RejectCode.IcebergNotAllowed => StageVerdict.Invalid(code, "displayQuantity", RejectReasons.Describe(code)),
            RejectCode.ExpireAtRequired or RejectCode.ExpireAtInPast or RejectCode.ExpireAtNotAllowed =>
                StageVerdict.Invalid(code, "expireAt", RejectReasons.Describe(code)),
            RejectCode.InvalidOrderType => StageVerdict.Invalid(code, "type", RejectReasons.Describe(code)),
            RejectCode.InvalidTimeInForce => StageVerdict.Invalid(code, "timeInForce", RejectReasons.Describe(code)),
            RejectCode.SessionClosed => StageVerdict.Invalid(code, "symbol", SessionMessage(instrument, nowTicks, phase)),
            RejectCode.MarketOrderNotAllowedInAuction => StageVerdict.Invalid(code, "type",
                $"{venue.Code} takes no market orders in its auctions and {symbol} is in {phase} now; send a limit order " +
                "(market orders are taken in continuous trading)"),
            RejectCode.ImmediateOrderNotAllowedInAuction => StageVerdict.Invalid(code, "timeInForce",
                $"{symbol} is in {phase}: nothing executes before the auction's uncross, so an IOC or FOK order could never trade; " +
                "use DAY, GTC or GTD"),
            RejectCode.OrderTypeNotAllowedInPhase => StageVerdict.Invalid(code, "type", VenueSpec.IsAtPrice(phase)
                ? $"{symbol} is in {phase}: only limit orders at the closing price are taken"
                : $"{symbol} is in {phase}: a market-to-limit order has no opposite price to take during an auction; send a limit order"),
            RejectCode.PriceNotAtClosingPrice => StageVerdict.Invalid(code, "price", fixedPrice.Raw > 0
                ? $"{symbol} is in {phase}: orders are taken only at the closing price {Format(instrument, fixedPrice)}; got {Format(instrument, price)}"
                : $"{symbol} is in {phase}: orders are taken only at the closing price (GET /api/v1/instruments/{symbol}/quote shows it); " +
                  $"got {Format(instrument, price)}"),
            _ => StageVerdict.Invalid(code, "order", RejectReasons.Describe(code)),
        };
    }

    private static StageVerdict LimitsVerdict(RejectCode code, TradableInstrument instrument, Price price)
    {
        var spec = instrument.Spec;
        var (low, high) = spec.Venue.Limits.Band(spec.ReferencePrice, spec.Venue.Ticks);
        var venue = instrument.VenueRow;
        return StageVerdict.Invalid(code, "price",
            $"price {Format(instrument, price)} is outside today's limits {Format(instrument, low)} to {Format(instrument, high)} " +
            $"({venue.Code}: +{Percent(venue.PriceLimitUpBps)}/-{Percent(venue.PriceLimitDownBps)} of the reference price " +
            $"{Format(instrument, spec.ReferencePrice)})");
    }

    private static string SessionMessage(TradableInstrument instrument, long nowTicks, MarketPhase phase)
    {
        var venue = instrument.VenueRow;
        var local = instrument.Spec.Venue.ToVenueLocal(nowTicks);
        var continuous = venue.Sessions.Where(s => string.Equals(s.Phase, nameof(MarketPhase.Continuous), StringComparison.OrdinalIgnoreCase))
            .Select(s => $"{s.Start:HH\\:mm}-{s.End:HH\\:mm}");
        var open = venue.Sessions.Where(s => !string.Equals(s.Phase, nameof(MarketPhase.Continuous), StringComparison.OrdinalIgnoreCase))
            .Select(s => $"{s.Phase} {s.Start:HH\\:mm}-{s.End:HH\\:mm}").ToList();
        return $"{venue.Code} ({venue.Mic}) is {phase} at {local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} " +
               $"{venue.TimeZone} ({local.DayOfWeek}); orders are taken in continuous trading, " +
               $"{string.Join(", ", continuous)} on {string.Join(", ", venue.TradingDays)}" +
               (open.Count > 0 ? $" (and in {string.Join(", ", open)})" : "");
    }

    private static string Percent(int bps) => (bps / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>A price as the venue writes it, without trailing zeros beyond two decimals.</summary>
    public static string Format(TradableInstrument instrument, Price price) =>
        instrument.ToDecimal(price).ToString("0.00#######", CultureInfo.InvariantCulture);
}
