using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>What a delisting did: the instrument as delisted and the working orders it canceled.</summary>
public sealed record DelistResponse(InstrumentDetailResponse Instrument, IReadOnlyList<long> CanceledOrderIds);

/// <summary>
/// Listings under /api/v1/instruments (issue 14): list an instrument, replace its listing data and delist it (operations and admins),
/// read its listing data and its versions (every role). Each request is checked field by field (<see cref="InstrumentForm"/>) and changes
/// nothing when any field is wrong. The change itself is a command of the order writer (<see cref="ListingCommands"/>): committed with
/// its version and audit record before the answer, and in force for the very next order, without a restart: a listed instrument trades
/// as soon as the call returns, an edit counts from the next order, a delisted one takes no more orders. The read-only list and the
/// trader's view of an instrument stay in <see cref="ReferenceDataApi"/>.
/// </summary>
public static class InstrumentsApi
{
    public static IEndpointRouteBuilder MapInstrumentsApiV1(this IEndpointRouteBuilder app)
    {
        const string fields =
            "Body: symbol (1-16 upper-case letters, digits, '.' or '-'), isin (ISO 6166, check digit verified), name, nameAr, venue (a venue " +
            "code; its tick table and price decimals apply), currency (ISO 4217, with a platform FX rate), sector (a code of the fixed sector " +
            "classification, docs/sectors.md), lotSize (1-1,000,000), referencePrice (on the venue's tick table; set at listing, then by the " +
            "close), issuedShares, averageDailyVolume, isOnShortSellEligibleList, foreignOwnershipLimitPct (0-100, default 100), " +
            "foreignHoldingPct, isComplex, isLiquid, isRestricted, isOnThresholdList, isUsSource, isInterestBearing, isDerivative, isOtc, " +
            "assetClass, underlyingIsin and expiresOn (a derivative's, required with isDerivative), priceMultiplier (default 1), " +
            "tradedOnEuVenue, firdsCheckedOn, nextFinancialStatementsOn, reportingSource, sharia {totalDebt, " +
            "cashAndInterestBearingSecurities, receivables, nonPermissibleIncome, totalRevenue, marketCap, averageMarketCap36M, totalAssets, " +
            "reportingCurrency and asOf (both required with any figure), source}, and reason (required). A field left out is not on file. " +
            "Every field's problem is answered at once (400) and nothing is stored.";
        const string one = "/api/v1/instruments/{symbol}";
        app.MapPost("/api/v1/instruments", ListAsync).WithTags("Listings").RequireAuthorization(Policies.ManageInstruments)
            .Accepts<InstrumentRequest>("application/json").Produces<InstrumentDetailResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ListInstrument").WithSummary("List a new instrument: it trades as soon as this returns").WithDescription(
                fields + " The listing is committed (version 1, audited) and the order books rebuilt with the new one before the answer; its " +
                "book opens in the venue's current phase. Platforms with several nodes: the other nodes take it at their next start.");
        app.MapGet(one + "/listing", GetAsync).WithTags("Listings").RequireAuthorization(Policies.Read).Produces<InstrumentDetailResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetInstrumentListing").WithSummary("An instrument's listing data, status and version").WithDescription(
                "Every listing field, the status (Trading, Halted, Suspended, Delisted), the version, the venue's tick table and phase; the ETag " +
                "header is the version to send back in If-Match when replacing it.");
        app.MapPut(one, ReplaceAsync).WithTags("Listings").RequireAuthorization(Policies.ManageInstruments).Accepts<InstrumentRequest>("application/json")
            .Produces<InstrumentDetailResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ReplaceInstrument").WithSummary("Change an instrument's listing data, with a reason").WithDescription(
                fields + " Send every field (start from GET .../listing): this replaces them all. symbol, venue, currency and referencePrice " +
                "cannot change (send them as read or leave them out). With If-Match (the ETag of GET .../listing), an instrument changed in " +
                "between gets 412. A change stores a new version and counts from the very next order; the same data changes nothing. A " +
                "delisted instrument is not changed (409).");
        app.MapPost(one + "/delist", DelistAsync).WithTags("Listings").RequireAuthorization(Policies.ManageInstruments).Accepts<DelistRequest>("application/json")
            .Produces<DelistResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("DelistInstrument").WithSummary("Delist an instrument, with a reason: no new orders; its working orders are canceled").WithDescription(
                "Body: reason (required). From the very next order the instrument is refused at validation ('is Delisted and takes no " +
                "orders'); its working orders are canceled in the same commit, each with the delisting as its reason (listed in " +
                "canceledOrderIds); orders held for review stay held and are refused if released. A new version is stored and audited. " +
                "If-Match as for PUT.");
        app.MapGet(one + "/history", HistoryAsync).WithTags("Listings").RequireAuthorization(Policies.Read)
            .Produces<IReadOnlyList<InstrumentVersionResponse>>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListInstrumentVersions").WithSummary("An instrument's versions, newest first: who changed what, when and why").WithDescription(
                "Each version with the fields it changed and the instrument before and after. An instrument listed before versions were kept " +
                "(the demo instruments) has none until its first change, whose 'before' is the state it had.");
        return app;
    }

    private static async Task<IResult> GetAsync(string symbol, HttpContext http, TradSysDbContext db, ReferenceDataCache referenceData, MarketClock clock)
    {
        var row = await db.Instruments.AsNoTracking().SingleOrDefaultAsync(i => i.Symbol == symbol, http.RequestAborted);
        if (row is null)
        {
            return Problems.NotFound($"there is no instrument '{symbol}' (GET /api/v1/instruments lists them)");
        }
        var version = await VersionOfAsync(db, row.Symbol, http.RequestAborted);
        http.Response.Headers.ETag = ETagOf(version);
        return TypedResults.Ok(Detail(row, version, referenceData, clock));
    }

    private static async Task<IResult> HistoryAsync(string symbol, HttpContext http, TradSysDbContext db)
    {
        if (!await db.Instruments.AnyAsync(i => i.Symbol == symbol, http.RequestAborted))
        {
            return Problems.NotFound($"there is no instrument '{symbol}' (GET /api/v1/instruments lists them)");
        }
        var rows = await db.InstrumentVersions.AsNoTracking().Where(v => v.Symbol == symbol).OrderByDescending(v => v.Version)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(rows.Select(v => new InstrumentVersionResponse(v.Version, v.ChangedAt, v.ChangedBy, v.Reason, v.ChangedFields,
            v.Before is null ? null : JsonDocument.Parse(v.Before).RootElement.Clone(), JsonDocument.Parse(v.After).RootElement.Clone())).ToList());
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, TimeProvider clock,
        ReferenceDataCache referenceData, OrderWriter writer, MarketClock marketClock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<InstrumentRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var r = request!;
        var symbol = r.Symbol?.Trim() ?? "";
        var inDatabase = symbol.Length > 0 && await db.Instruments.AnyAsync(i => i.Symbol == symbol, http.RequestAborted);
        var errors = InstrumentForm.Check(r, FactsFor(null, s => inDatabase || referenceData.TryGet(s, out _), referenceData, clock));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var row = new Instrument { Symbol = "", Isin = "", Name = "", VenueCode = "", Currency = "", Sector = "" };
        InstrumentForm.Apply(r, row, listing: true);
        var (result, problem) = await SendAsync(writer, new ListInstrumentCommand(Caller.From(principal).UserName, row, r.Reason!.Trim()), http);
        if (problem is not null)
        {
            return problem;
        }
        http.Response.Headers.ETag = ETagOf(result!.Version);
        return TypedResults.Created($"/api/v1/instruments/{row.Symbol}/listing", Detail(result.Row!, result.Version, referenceData, marketClock));
    }

    private static async Task<IResult> ReplaceAsync(string symbol, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, TimeProvider clock,
        ReferenceDataCache referenceData, OrderWriter writer, MarketClock marketClock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<InstrumentRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var current = await db.Instruments.AsNoTracking().SingleOrDefaultAsync(i => i.Symbol == symbol, http.RequestAborted);
        if (current is null)
        {
            return Problems.NotFound($"there is no instrument '{symbol}' (GET /api/v1/instruments lists them)");
        }
        if (IfMatch(http, out var expected) is { } preconditionProblem)
        {
            return preconditionProblem;
        }
        var r = request!;
        var errors = InstrumentForm.Check(r, FactsFor(current, _ => true, referenceData, clock));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var row = InstrumentForm.Clone(current);
        InstrumentForm.Apply(r, row, listing: false);
        var (result, problem) = await SendAsync(writer, new EditInstrumentCommand(Caller.From(principal).UserName, row, r.Reason!.Trim(), expected), http);
        if (problem is not null)
        {
            return problem;
        }
        http.Response.Headers.ETag = ETagOf(result!.Version);
        return TypedResults.Ok(Detail(result.Row!, result.Version, referenceData, marketClock));
    }

    private static async Task<IResult> DelistAsync(string symbol, HttpContext http, ClaimsPrincipal principal, ReferenceDataCache referenceData,
        OrderWriter writer, MarketClock marketClock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<DelistRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if (IfMatch(http, out var expected) is { } preconditionProblem)
        {
            return preconditionProblem;
        }
        var errors = InstrumentForm.CheckReason(request!.Reason);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var (result, problem) = await SendAsync(writer, new DelistInstrumentCommand(Caller.From(principal).UserName, symbol, request.Reason!.Trim(), expected), http);
        if (problem is not null)
        {
            return problem;
        }
        http.Response.Headers.ETag = ETagOf(result!.Version);
        return TypedResults.Ok(new DelistResponse(Detail(result.Row!, result.Version, referenceData, marketClock), result.Canceled ?? []));
    }

    /// <summary>Sends a listing command to the order writer; the problem when it was refused or could not be carried out.</summary>
    private static async Task<(ListingResult? Result, IResult? Problem)> SendAsync(OrderWriter writer, SequencerCommand command, HttpContext http)
    {
        SequencerResult result;
        try
        {
            result = await writer.SendAsync(command, http.RequestAborted);
        }
        catch (JournalUnavailableException ex)
        {
            return (null, Problems.Unavailable(ex.Message));
        }
        var listing = result.Listing!;
        return listing.Refusal switch
        {
            ListingRefusal.None => (listing, null),
            ListingRefusal.NotFound => (null, Problems.NotFound(listing.Problem!)),
            ListingRefusal.Conflict when command is not ListInstrumentCommand && http.Request.Headers.IfMatch.Count > 0 =>
                (null, TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                    detail: $"{listing.Problem} (its ETag is now {ETagOf(listing.Version)})")),
            _ => (null, Problems.Conflict(listing.Problem!)),
        };
    }

    /// <summary>The version in If-Match (W/"vN"), if sent; a problem when it is not one of ours.</summary>
    private static IResult? IfMatch(HttpContext http, out int? expected)
    {
        expected = null;
        if (http.Request.Headers.IfMatch.Count == 0)
        {
            return null;
        }
        var tag = http.Request.Headers.IfMatch.ToString().Trim();
        if (tag.StartsWith("W/\"v", StringComparison.Ordinal) && tag.EndsWith('"') &&
            int.TryParse(tag.AsSpan(4, tag.Length - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            expected = version;
            return null;
        }
        return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
            detail: $"If-Match '{tag}' is not a version of this instrument (send the ETag of GET /api/v1/instruments/{{symbol}}/listing, e.g. W/\"v2\")");
    }

    private static InstrumentForm.Facts FactsFor(Instrument? current, Func<string, bool> symbolTaken, ReferenceDataCache referenceData, TimeProvider clock) =>
        new(current, symbolTaken, referenceData.VenueRows, referenceData.Fx.Has, referenceData.Fx.Known, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    private static InstrumentDetailResponse Detail(Instrument row, int version, ReferenceDataCache referenceData, MarketClock clock)
    {
        referenceData.VenueRows.TryGetValue(row.VenueCode, out var venue);
        var phase = venue is null ? "" : referenceData.Venue(row.VenueCode).PhaseAt(clock.UtcNow.Ticks).ToString();
        return InstrumentDetailResponse.From(row, version, venue, phase);
    }

    /// <summary>The instrument's version: the number of its last stored version (0 when none is stored).</summary>
    private static async Task<int> VersionOfAsync(TradSysDbContext db, string symbol, CancellationToken ct) =>
        await db.InstrumentVersions.Where(v => v.Symbol == symbol).MaxAsync(v => (int?)v.Version, ct) ?? 0;

    private static string ETagOf(int version) => string.Create(CultureInfo.InvariantCulture, $"W/\"v{version}\"");
}
