using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering.Stages;

/// <summary>
/// The validate stage as the single writer runs it: the order against its instrument and the venue's phase at the batch's
/// own timestamp. The request thread ran the same checks a moment earlier (<see cref="PreTrade.ValidationStage"/>, which
/// explains a refusal in the venue's terms); a session boundary may have passed since, so the writer decides. Nothing is
/// created when this refuses.
/// </summary>
internal sealed class ValidateStage(ReferenceDataCache referenceData, TradingPhases phases)
{
    /// <summary>A new order (also an order only checked), as the engine will take it.</summary>
    public RejectCode NewOrder(SubmitCommand s, SelfTradePrevention selfTrade, long timestamp, out SubmitOrder submit)
    {
        var spec = referenceData.Get(s.Instrument.Id).Spec;
        submit = new SubmitOrder(0, s.Instrument.Id, s.AccountId, s.Side, s.Type, s.TimeInForce, s.Price, s.Quantity, timestamp,
            s.StopPrice, s.DisplayQuantity, s.ExpireAt, selfTrade);
        return OrderValidator.Validate(submit, spec, spec.Venue.PhaseAt(timestamp), phases.FixedPrice(spec.Id));
    }

    /// <summary>An amendment of a working order (a waiting stop may also move its stop price).</summary>
    public RejectCode Amendment(OrderRecord order, ModifyCommand m, long timestamp)
    {
        var spec = referenceData.Get(order.Symbol).Spec;
        var phase = spec.Venue.PhaseAt(timestamp);
        return order.IsPendingStop
            ? OrderValidator.ValidateStopModify(order.Type, m.NewPrice, m.NewQuantity, m.NewStopPrice, spec, phase)
            : m.NewStopPrice.Raw != 0 ? RejectCode.StopPriceNotAllowed
            : OrderValidator.ValidateModify(m.NewPrice, m.NewQuantity, spec, phase, phases.FixedPrice(spec.Id));
    }

    /// <summary>A held order released after review: re-validated now, as the engine will take it.</summary>
    public RejectCode Release(OrderRecord order, SelfTradePrevention selfTrade, long timestamp, out SubmitOrder submit)
    {
        var instrument = referenceData.Get(order.Symbol);
        var decimals = instrument.Decimals;
        Price.TryFromDecimal(order.Price ?? 0m, decimals, out var price);
        Price.TryFromDecimal(order.StopPrice ?? 0m, decimals, out var stop);
        submit = new SubmitOrder(order.Id, instrument.Spec.Id, order.AccountId, order.Side, order.Type, order.TimeInForce, price,
            new Quantity(order.Quantity), timestamp, stop, new Quantity(order.DisplayQuantity ?? 0), order.ExpireAt?.Ticks ?? 0, selfTrade);
        return OrderValidator.Validate(submit, instrument.Spec, instrument.Spec.Venue.PhaseAt(timestamp), phases.FixedPrice(instrument.Spec.Id));
    }
}
