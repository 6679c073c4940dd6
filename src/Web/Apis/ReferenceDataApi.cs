using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Contracts;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>An instrument with what a trader needs to price an order: lot, tick table, today's limits, venue phase.</summary>
public sealed record InstrumentResponse(string Symbol, string Isin, string Name, string Venue, string Mic, string Currency,
    string Sector, bool IsDerivative, long LotSize, decimal ReferencePrice, decimal LowerLimit, decimal UpperLimit,
    IReadOnlyList<VenueTickBand> TickTable, string Status, string VenuePhase);

/// <summary>A venue's rules and its phase now.</summary>
public sealed record VenueResponse(string Code, string Mic, string Name, string Currency, string TimeZone, long DefaultLotSize,
    int PriceLimitUpBps, int PriceLimitDownBps, IReadOnlyList<VenueTickBand> TickTable, IReadOnlyList<string> TradingDays,
    IReadOnlyList<SessionDefinition> Sessions, IReadOnlyList<DateOnly> Holidays, string PhaseNow, DateTime LocalTimeNow, string Source);

/// <summary>One price level of the book.</summary>
public sealed record DepthLevelResponse(decimal Price, long Quantity, int Orders);

/// <summary>The order book, best prices first.</summary>
public sealed record DepthResponse(string Symbol, IReadOnlyList<DepthLevelResponse> Bids, IReadOnlyList<DepthLevelResponse> Asks);

/// <summary>
/// Level 1 of an instrument: best bid and ask now, and the venue-local trading day's trade statistics; its trading phase
/// (the venue's, or Suspended) and, during a call auction or a suspension, the indicative auction price and the volume that
/// would execute at it now (null and 0 when nothing would).
/// </summary>
public sealed record QuoteResponse(string Symbol, string Currency, decimal? Bid, long BidQuantity, decimal? Ask, long AskQuantity,
    decimal? Last, long LastQuantity, long Volume, long Trades, decimal Turnover, decimal? Open, decimal? High, decimal? Low,
    decimal? Vwap, DateTime AsOf, string Phase, decimal? IndicativePrice, long IndicativeVolume);

/// <summary>An account as its owner and the read-only roles see it.</summary>
public sealed record AccountResponse(long AccountId, string Name, long OwnerUserId, string ClientCategory, string Jurisdiction,
    string? Lei, string? InvestorNumber, string FatcaStatus, string UsIndicia, bool ShariaOnly, decimal CreditLimit,
    string CreditCurrency, bool IsActive);

/// <summary>Instruments, venues, accounts and the caller's identity.</summary>
public static class ReferenceDataApi
{
    public static IEndpointRouteBuilder MapReferenceDataApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.Read);
        api.MapGet("/instruments", ListInstruments).WithTags("Reference data").Produces<IReadOnlyList<InstrumentResponse>>()
            .WithSummary("List instruments").WithDescription("Filters: venue (EGX, ADX, INTERNAL), q (text in symbol, name or ISIN).");
        api.MapGet("/instruments/{symbol}", GetInstrument).WithTags("Reference data").Produces<InstrumentResponse>().WithSummary("Get an instrument");
        api.MapGet("/instruments/{symbol}/depth", GetDepthAsync).WithTags("Market data").Produces<DepthResponse>()
            .WithSummary("Order book depth (levels: 1-100, default 10)")
            .WithDescription("On a node of a cluster that does not write the books (a standby), the depth is the node's followed view of " +
                "the writer's published market data (its top levels only), marked by the headers X-Market-Data-View: followed, " +
                "X-Market-Data-Epoch (the writer's term) and X-Market-Data-Sequence (the instrument's market-data sequence in that term).");
        api.MapGet("/instruments/{symbol}/quote", GetQuoteAsync).WithTags("Market data").Produces<QuoteResponse>()
            .WithSummary("Level 1: best bid and ask, last trade, volume, turnover, open, high, low and VWAP of the trading day; phase; indicative auction price and volume during a call")
            .WithDescription("On a node of a cluster that does not write the books (a standby), the quote is the writer's last published " +
                "level 1 as the node's followed view holds it, marked by the headers X-Market-Data-View: followed, X-Market-Data-Epoch " +
                "and X-Market-Data-Sequence as for the depth; 503 while the view has none, or while the venue's phase or trading day " +
                "has moved on since it (the writer publishes the change at its next batch).");
        api.MapGet("/instruments/{symbol}/bars", PriceBars.GetAsync).WithTags("Market data").Produces<PriceBarsResponse>()
            .WithSummary("The trading day's bars (interval: 1m, 5m, 15m or 1h; default 5m): open, high, low, close, volume, from the public tape");
        api.MapGet("/venues", ListVenuesAsync).WithTags("Reference data").Produces<IReadOnlyList<VenueResponse>>().WithSummary("List venues and their rules");
        api.MapGet("/accounts", ListAccountsAsync).WithTags("Accounts").Produces<IReadOnlyList<AccountResponse>>()
            .WithSummary("List accounts (a trader sees their own)");
        api.MapGet("/me", (ClaimsPrincipal user) =>
        {
            var caller = Caller.From(user);
            return TypedResults.Ok(new CallerResponse(caller.UserId, caller.UserName,
                user.FindFirst(OpenIddict.Abstractions.OpenIddictConstants.Claims.PreferredUsername)?.Value,
                [.. caller.Roles.Order(StringComparer.Ordinal)]));
        }).WithTags("Accounts").WithSummary("Who the token belongs to");
        return app;
    }

    private static IResult ListInstruments(HttpContext http, ReferenceDataCache referenceData, MarketClock clock)
    {
        var q = new Query(http.Request.Query);
        var venue = q.String("venue", 16);
        var text = q.String("q", 64);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var now = clock.UtcNow.Ticks;
        var items = referenceData.Instruments
            .Where(i => venue is null || string.Equals(i.Row.VenueCode, venue, StringComparison.OrdinalIgnoreCase))
            .Where(i => text is null || i.Row.Symbol.Contains(text, StringComparison.OrdinalIgnoreCase)
                        || i.Row.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                        || i.Row.Isin.Contains(text, StringComparison.OrdinalIgnoreCase))
            .Select(i => ToResponse(i, now))
            .ToList();
        return TypedResults.Ok(items);
    }

    private static IResult GetInstrument(string symbol, ReferenceDataCache referenceData, MarketClock clock) =>
        referenceData.TryGet(symbol, out var instrument)
            ? TypedResults.Ok(ToResponse(instrument, clock.UtcNow.Ticks))
            : Problems.NotFound($"unknown instrument '{symbol}'");

    private static async Task<IResult> GetDepthAsync(string symbol, HttpContext http, ClaimsPrincipal user,
        ReferenceDataCache referenceData, OrderWriter writer, Cluster.IWriterLeadership leadership, Streaming.FollowedMarketData followed,
        Cluster.CommandForwarding.WriterForwarding forwarding)
    {
        var q = new Query(http.Request.Query);
        var levels = q.Int("levels", 10, 1, 100);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        if (!referenceData.TryGet(symbol, out var instrument))
        {
            return Problems.NotFound($"unknown instrument '{symbol}'");
        }
        if (!leadership.Current.Leads && followed.TryGetDepth(instrument.Row.Symbol, out var epoch, out var sequence, out var bids, out var asks))
        {
            // A standby has no books: it answers from what the writer published (FollowedMarketData), and says so.
            MarkFollowed(http, epoch, sequence);
            DepthLevelResponse Followed(DepthLevelChange l) => new(l.Price, l.Quantity, l.Orders);
            return TypedResults.Ok(new DepthResponse(instrument.Row.Symbol, [.. bids.Take(levels).Select(Followed)], [.. asks.Take(levels).Select(Followed)]));
        }
        if (await forwarding.TryForwardAsync(http, Cluster.CommandForwarding.ReadResend) is { } fromLeader)
        {
            return fromLeader; // a standby whose followed view cannot answer asks the leader (when it forwards at all)
        }
        SequencerResult result;
        try
        {
            result = await writer.SendAsync(new DepthQuery(Caller.From(user).UserName, instrument.Spec.Id, levels), http.RequestAborted);
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.Unavailable(ex.Message);
        }
        DepthLevelResponse Map(DepthLevel l) => new(instrument.ToDecimal(l.Price), l.Quantity.Raw, l.OrderCount);
        return TypedResults.Ok(new DepthResponse(instrument.Row.Symbol, [.. result.Depth!.Bids.Select(Map)], [.. result.Depth.Asks.Select(Map)]));
    }

    /// <summary>The headers of an answer from this node's followed view of the writer's market data (a standby's).</summary>
    private static void MarkFollowed(HttpContext http, long epoch, long sequence)
    {
        http.Response.Headers["X-Market-Data-View"] = "followed";
        http.Response.Headers["X-Market-Data-Epoch"] = epoch.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["X-Market-Data-Sequence"] = sequence.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Level 1 as the last batch left it (<see cref="CommittedQuotes"/>: no queueing behind the orders in the single writer);
    /// read through the writer when the read model has no entry, or the venue's phase or day has moved on since (the writer
    /// applies the uncross, close or new day first), or the instrument is suspended. A node that does not lead (a cluster's
    /// standby) answers from the writer's last published level 1 (<see cref="Streaming.FollowedMarketData"/>) by the same rule,
    /// marked as the followed view; otherwise it asks the leader (<see cref="Cluster.CommandForwarding"/>, when it forwards at all) or its
    /// writer refuses (503), never from a read model of an earlier term of its own.
    /// </summary>
    private static async Task<IResult> GetQuoteAsync(string symbol, HttpContext http, ClaimsPrincipal user,
        ReferenceDataCache referenceData, OrderWriter writer, CommittedQuotes quotes, MarketClock clock,
        Cluster.IWriterLeadership leadership, Streaming.FollowedMarketData followed, Cluster.CommandForwarding.WriterForwarding forwarding)
    {
        if (!referenceData.TryGet(symbol, out var instrument))
        {
            return Problems.NotFound($"unknown instrument '{symbol}'");
        }
        var leads = leadership.Current.Leads;
        if (!leads && followed.TryGetQuote(instrument.Row.Symbol, out var epoch, out var sequence, out var message) &&
            QuoteAnswers.FromFollowed(instrument, message, clock.UtcNow.Ticks) is { } fromFollowed)
        {
            MarkFollowed(http, epoch, sequence);
            return TypedResults.Ok(fromFollowed);
        }
        if (!leads && await forwarding.TryForwardAsync(http, Cluster.CommandForwarding.ReadResend) is { } fromLeader)
        {
            return fromLeader; // a standby whose followed view cannot answer asks the leader (when it forwards at all)
        }
        SequencerResult result;
        if (leads && quotes.TryGet(instrument.Spec.Id, out var committed) && committed.IsCurrent(instrument, clock.UtcNow.Ticks, out var phase))
        {
            result = new SequencerResult(SequencerOutcome.QuoteRead, null, [], Quote: committed.Quote, Phase: phase, Indicative: committed.Indicative);
        }
        else
        {
            try
            {
                result = await writer.SendAsync(new QuoteQuery(Caller.From(user).UserName, instrument.Spec.Id), http.RequestAborted);
            }
            catch (JournalUnavailableException ex)
            {
                return Problems.Unavailable(ex.Message);
            }
        }
        return TypedResults.Ok(QuoteAnswers.FromBooks(instrument, result.Quote!.Value, result.Phase ?? "", result.Indicative));
    }

    private static async Task<IResult> ListVenuesAsync(TradSysDbContext db, ReferenceDataCache referenceData, MarketClock clock, CancellationToken ct)
    {
        var now = clock.UtcNow.Ticks;
        var venues = await db.Venues.AsNoTracking().OrderBy(v => v.Code).ToListAsync(ct);
        return TypedResults.Ok(venues.Select(v =>
        {
            var spec = referenceData.Venue(v.Code);
            return new VenueResponse(v.Code, v.Mic, v.Name, v.Currency, v.TimeZone, v.DefaultLotSize, v.PriceLimitUpBps,
                v.PriceLimitDownBps, v.TickTable, [.. v.TradingDays.Select(d => d.ToString())], v.Sessions, v.Holidays,
                spec.PhaseAt(now).ToString(), spec.ToVenueLocal(now), v.Source);
        }).ToList());
    }

    private static async Task<IResult> ListAccountsAsync(ClaimsPrincipal user, TradSysDbContext db, CancellationToken ct)
    {
        var caller = Caller.From(user);
        var accounts = db.Accounts.AsNoTracking();
        if (caller.SeesOwnAccountsOnly)
        {
            accounts = accounts.Where(a => a.OwnerUserId == caller.UserId);
        }
        var list = await accounts.OrderBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(list.Select(a => new AccountResponse(a.Id, a.Name, a.OwnerUserId, a.ClientCategory.ToString(),
            a.Jurisdiction.ToString(), a.Lei, a.InvestorNumber, a.FatcaStatus.ToString(), a.UsIndicia.ToString(), a.ShariaOnly,
            Exact.Trim(a.CreditLimit), a.CreditCurrency, a.IsActive)).ToList());
    }

    private static InstrumentResponse ToResponse(TradableInstrument i, long nowTicks)
    {
        var spec = i.Spec;
        var (low, high) = spec.Venue.Limits.Band(spec.ReferencePrice, spec.Venue.Ticks);
        return new InstrumentResponse(i.Row.Symbol, i.Row.Isin, i.Row.Name, i.VenueRow.Code, i.VenueRow.Mic, i.Row.Currency,
            i.Row.Sector, i.Row.IsDerivative, i.Row.LotSize, Exact.Trim(i.Row.ReferencePrice), i.ToDecimal(low), i.ToDecimal(high),
            i.VenueRow.TickTable, i.Row.Status.ToString(), spec.Venue.PhaseAt(nowTicks).ToString());
    }
}
