namespace TradSys.Engine.Risk.PreTrade;

/// <summary>
/// The pre-trade risk checks, pure: no I/O, no clock, no allocation. The host's risk stage calls <see cref="Status"/> for each
/// trading status that applies (firm, trader, account) and <see cref="Limits"/> for each scope's limits that apply (firm, client
/// category, account, instrument); the first refusal decides.
/// </summary>
public static class PreTradeRisk
{
    /// <summary>
    /// A trading status against a new order: Halted refuses it; ReducingOnly takes it only if it reduces the position without
    /// reversing it (a sell of at most the long position, a buy of at most the short one).
    /// </summary>
    public static RiskVerdict Status(TradingStatus status, Side side, long quantity, long position) => status switch
    {
        TradingStatus.Active => RiskVerdict.Pass,
        TradingStatus.ReducingOnly when Reduces(side, quantity, position) => RiskVerdict.Pass,
        TradingStatus.ReducingOnly => new RiskVerdict(RejectCode.ReducingOnly, RiskLimitKind.TradingStatus, position, side == Side.Buy ? quantity : -quantity),
        _ => new RiskVerdict(RejectCode.TradingHalted, RiskLimitKind.TradingStatus, 0, quantity),
    };

    /// <summary>True when the order only brings the position closer to flat.</summary>
    public static bool Reduces(Side side, long quantity, long position) =>
        side == Side.Sell ? position > 0 && quantity <= position : position < 0 && quantity <= -position;

    /// <summary>
    /// Buying power against what an order would use of it: refused when <paramref name="required"/> (the buy's cost, or the margin
    /// on a short sale, in the account's base currency) is more than <paramref name="buyingPower"/> (cash plus credit line less what
    /// the account's other open orders reserve). An order that uses nothing (a sell of shares held) always passes, even when the
    /// buying power is negative.
    /// </summary>
    public static RiskVerdict BuyingPower(decimal buyingPower, decimal required) =>
        required <= 0m || required <= buyingPower
            ? RiskVerdict.Pass
            : new RiskVerdict(RejectCode.InsufficientBuyingPower, RiskLimitKind.BuyingPower, buyingPower, required);

    /// <summary>
    /// One scope's limits against a new order, in a fixed order: quantity, notional, collar, open orders, open notional, position,
    /// concentration in the portfolio, holding of the issuer, volume collar.
    /// </summary>
    public static RiskVerdict Limits(in RiskLimits limits, in PreTradeOrder order)
    {
        if (limits.MaxOrderQuantity is { } maxQuantity && order.Quantity > maxQuantity)
        {
            return new RiskVerdict(RejectCode.MaxOrderQuantityExceeded, RiskLimitKind.MaxOrderQuantity, maxQuantity, order.Quantity);
        }
        if (limits.MaxOrderNotional is { } maxNotional && order.Notional > maxNotional)
        {
            return new RiskVerdict(RejectCode.MaxOrderNotionalExceeded, RiskLimitKind.MaxOrderNotional, maxNotional, order.Notional);
        }
        if (limits.PriceCollarPct is { } collar && order.LimitPrice > 0 && order.ReferencePrice > 0)
        {
            var distancePct = Math.Abs(order.LimitPrice - order.ReferencePrice) * 100m / order.ReferencePrice;
            if (distancePct > collar)
            {
                return new RiskVerdict(RejectCode.PriceCollarBreached, RiskLimitKind.PriceCollarPct, collar, Math.Round(distancePct, 4));
            }
        }
        if (limits.MaxOpenOrders is { } maxOpen && order.OpenOrders + 1 > maxOpen)
        {
            return new RiskVerdict(RejectCode.MaxOpenOrdersExceeded, RiskLimitKind.MaxOpenOrders, maxOpen, order.OpenOrders + 1);
        }
        if (limits.MaxOpenNotional is { } maxOpenNotional && order.OpenNotional + order.Notional > maxOpenNotional)
        {
            return new RiskVerdict(RejectCode.MaxOpenNotionalExceeded, RiskLimitKind.MaxOpenNotional, maxOpenNotional, order.OpenNotional + order.Notional);
        }
        var after = order.Side == Side.Buy ? order.Position + order.Quantity : order.Position - order.Quantity;
        if (limits.MaxLongPosition is { } maxLong && order.Side == Side.Buy && after > maxLong)
        {
            return new RiskVerdict(RejectCode.PositionLimitExceeded, RiskLimitKind.MaxLongPosition, maxLong, after);
        }
        if (limits.MaxShortPosition is { } maxShort && order.Side == Side.Sell && -after > maxShort)
        {
            return new RiskVerdict(RejectCode.PositionLimitExceeded, RiskLimitKind.MaxShortPosition, maxShort, -after);
        }
        if (limits.MaxConcentrationPct is { } maxConcentration && Math.Abs(after) > Math.Abs(order.Position))
        {
            // An account with nothing (or less than nothing) to its name has no room for any position: the share is unbounded.
            var share = order.PortfolioValue > 0 ? order.PositionValueAfter * 100m / order.PortfolioValue : decimal.MaxValue;
            if (share > maxConcentration)
            {
                return new RiskVerdict(RejectCode.ConcentrationLimitExceeded, RiskLimitKind.MaxConcentrationPct, maxConcentration,
                    share == decimal.MaxValue ? share : Math.Round(share, 8));
            }
        }
        if (limits.MaxIssuerHoldingPct is { } maxHolding)
        {
            var holdingAfter = order.Side == Side.Buy ? order.IssuerHolding + order.Quantity : order.IssuerHolding - order.Quantity;
            if (Math.Abs(holdingAfter) > Math.Abs(order.IssuerHolding))
            {
                // Unknown shares outstanding: nothing to compare with, so the holding cannot be shown to be within the limit.
                var share = order.SharesOutstanding > 0 ? Math.Abs(holdingAfter) * 100m / order.SharesOutstanding : decimal.MaxValue;
                if (share > maxHolding)
                {
                    return new RiskVerdict(RejectCode.IssuerHoldingLimitExceeded, RiskLimitKind.MaxIssuerHoldingPct, maxHolding,
                        share == decimal.MaxValue ? share : Math.Round(share, 8));
                }
            }
        }
        if (limits.MaxAdvPct is { } maxAdv)
        {
            var share = order.AverageDailyVolume > 0 ? order.Quantity * 100m / order.AverageDailyVolume : decimal.MaxValue;
            if (share > maxAdv)
            {
                return new RiskVerdict(RejectCode.AdvCollarBreached, RiskLimitKind.MaxAdvPct, maxAdv, share == decimal.MaxValue ? share : Math.Round(share, 8));
            }
        }
        return RiskVerdict.Pass;
    }
}
