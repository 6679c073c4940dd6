
namespace TradSys.Web.Ordering;

/// <summary>Plain-words text for the engine's reason codes.</summary>
public static class RejectReasons
{
    public static string Describe(RejectCode code) => code switch
    {
        RejectCode.None => "",
        RejectCode.UnknownInstrument => "the instrument does not exist",
        RejectCode.InstrumentNotTrading => "the instrument is not trading",
        RejectCode.NonPositiveQuantity => "the quantity must be positive",
        RejectCode.QuantityNotWholeLots => "the quantity is not a whole number of lots",
        RejectCode.PriceOffTick => "the price is not on the tick",
        RejectCode.PriceOutsideDailyLimits => "the price is outside today's price limits",
        RejectCode.SessionClosed => "the venue is closed",
        RejectCode.MarketOrderNotAllowedInAuction => "the venue takes no market orders in its auctions",
        RejectCode.ImmediateOrderNotAllowedInAuction => "IOC and FOK orders cannot execute during an auction call",
        RejectCode.OrderTypeNotAllowedInPhase => "this order type is not taken in the current trading phase",
        RejectCode.PriceNotAtClosingPrice => "in trade-at-close or trade-at-last orders are taken only at the closing price",
        RejectCode.LimitOrderNeedsPrice => "a limit order needs a price",
        RejectCode.MarketOrderHasPrice => "a market order takes no price",
        RejectCode.NonPositivePrice => "the price must be positive",
        RejectCode.InvalidSide => "the side is not Buy or Sell",
        RejectCode.InvalidOrderType => "the order type is not supported",
        RejectCode.InvalidTimeInForce => "the time in force is not supported",
        RejectCode.QuantityAboveMaximum => "the quantity is above the largest order the engine takes",
        RejectCode.StopPriceRequired => "a stop order needs a stop price",
        RejectCode.StopPriceNotAllowed => "only a stop order takes a stop price",
        RejectCode.StopPriceOffTick => "the stop price is not on the tick",
        RejectCode.DisplayQuantityInvalid => "the display quantity must be positive, below the quantity and whole lots",
        RejectCode.IcebergNotAllowed => "only a DAY, GTC or GTD limit order can be an iceberg",
        RejectCode.ExpireAtRequired => "a GTD order needs an expiry",
        RejectCode.ExpireAtInPast => "the expiry must be in the future",
        RejectCode.ExpireAtNotAllowed => "only a GTD order takes an expiry",
        RejectCode.InvalidSelfTradePrevention => "the self-trade prevention mode is not supported",
        RejectCode.MarketToLimitNoLiquidity => "no opposite orders for a market-to-limit order to take its price from",
        RejectCode.UnknownOrder => "the order is not working",
        RejectCode.OrderNotActive => "the order is not working",
        RejectCode.NoLiquidity => "no opposite orders to execute a market order against",
        RejectCode.DuplicateOrderId => "duplicate order id",
        RejectCode.QuantityNotAboveFilled => "the new quantity must be greater than the quantity already filled",
        RejectCode.MarketOrderCannotBeModified => "a market order cannot be amended",
        RejectCode.NothingToModify => "the amend changes nothing",
        RejectCode.BlockedByRule => "blocked by the compliance rule packs",
        RejectCode.AmendmentNeedsReview => "the amendment would need compliance review; the order keeps its terms (send a new order to have it reviewed)",
        RejectCode.RejectedInReview => "a compliance officer rejected the order in its review",
        _ => code.ToString(),
    };
}
