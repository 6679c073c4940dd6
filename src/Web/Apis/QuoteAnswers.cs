using TradSys.Contracts;
using TradSys.Engine.Auctions;
using TradSys.Engine.MarketData;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>
/// The REST quote from its two sources: the books of the node that writes them, and, on a cluster's standby, its followed view of
/// the last level-1 message that writer published (<see cref="Streaming.FollowedMarketData"/>). Both give the same shape and, for
/// the same committed state, the same figures.
/// </summary>
public static class QuoteAnswers
{
    /// <summary>The quote from the writer's level 1 of an instrument, its phase name and any indicative uncross.</summary>
    public static QuoteResponse FromBooks(TradableInstrument instrument, Level1Snapshot q, string phase, AuctionEquilibrium? indicative)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        decimal? Px(Price p, bool present) => present ? instrument.ToDecimal(p) : null;
        var traded = q.TradeCount > 0;
        return new QuoteResponse(instrument.Row.Symbol, instrument.Row.Currency,
            Px(q.BestBid, q.HasBid), q.BestBidQuantity.Raw, Px(q.BestAsk, q.BestAskQuantity.Raw > 0), q.BestAskQuantity.Raw,
            Px(q.LastPrice, traded), q.LastQuantity.Raw, q.Volume.Raw, q.TradeCount, instrument.ToTurnover(q.TradedValue),
            Px(q.Open, traded), Px(q.High, traded), Px(q.Low, traded), Px(q.Vwap, traded), new DateTime(q.Timestamp, DateTimeKind.Utc),
            phase, indicative is { } ind ? instrument.ToDecimal(ind.Price) : null, indicative?.ExecutableVolume.Raw ?? 0);
    }

    /// <summary>
    /// The quote a standby answers from the writer's last level-1 message of the instrument, with the writer's figures; null when
    /// that message cannot say what the writer would answer at <paramref name="nowTicks"/> (UTC), by the same rule as the writer's
    /// own read model (<see cref="Ordering.CommittedQuote.IsCurrent"/>): the venue's phase or trading day has moved on since the
    /// message (the writer applies the uncross, the close or the new day's statistics first, at its next batch, and publishes
    /// them), or the instrument is suspended (a suspension ends by time); or the message comes from a writer that predates the
    /// day's open, high, low and turnover in it.
    /// </summary>
    public static QuoteResponse? FromFollowed(TradableInstrument instrument, QuoteUpdated message, long nowTicks)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Turnover is not { } turnover || message.Phase is null)
        {
            return null;
        }
        var venue = instrument.Spec.Venue;
        var asOf = new DateTime(message.Timestamp.Ticks, DateTimeKind.Utc);
        var local = venue.ToVenueLocal(nowTicks);
        var phase = venue.Schedule.PhaseAt(local).ToString();
        // "Suspended" is no venue phase, so a suspended instrument's message is never current.
        if (!string.Equals(message.Phase, phase, StringComparison.Ordinal) ||
            DateOnly.FromDateTime(local) != DateOnly.FromDateTime(venue.ToVenueLocal(asOf.Ticks)))
        {
            return null;
        }
        return new QuoteResponse(instrument.Row.Symbol, instrument.Row.Currency, message.Bid, message.BidQuantity, message.Ask,
            message.AskQuantity, message.Last, message.LastQuantity, message.Volume, message.Trades, turnover, message.Open, message.High,
            message.Low, message.Vwap, asOf, phase, message.IndicativePrice, message.IndicativeVolume);
    }
}
