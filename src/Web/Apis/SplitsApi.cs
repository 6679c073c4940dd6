using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.CorporateActions;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.Streaming;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// Stock splits and reverse splits, the second corporate action (issue 14 part 3), under /api/v1/splits, built like the dividends
/// (<see cref="DividendsApi"/>): operations and admins announce one (every field's problem at once), cancel it before its effective date
/// with a reason, and apply it on or after its effective date through the single writer (<see cref="ApplySplitCommand"/>: positions,
/// cost, reference prices and open orders in one transaction, audited <c>split.applied</c>); operations, admins, risk and compliance read
/// them. Every change raises the split's version, stamps who and when, and is audited (subject <c>split/{id}</c>).
/// </summary>
public static class SplitsApi
{
    private const string Tag = "Corporate actions";
    private const int MaxSource = 256;
    private const int MaxReason = 512;

    /// <summary>The largest number either side of a ratio (a 1-for-1000 reverse split is the most seen in practice).</summary>
    public const int MaxRatioTerm = 1000;

    private static readonly SemaphoreSlim AnnounceGate = new(1, 1);

    private const string ApplyResend = "a split is applied once (the writer remembers applied splits; the position adjustments' reference split:{id} " +
        "is unique per account and line): sending it again answers unchanged and changes nothing";

    public static IEndpointRouteBuilder MapSplitsApiV1(this IEndpointRouteBuilder app)
    {
        const string all = "/api/v1/splits";
        const string one = "/api/v1/splits/{id}";
        app.MapPost(all, AnnounceAsync).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments).Accepts<SplitRequest>("application/json")
            .Produces<SplitResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("AnnounceSplit").WithSummary("Announce a stock split or reverse split").WithDescription(
                "Body {symbol: a listed instrument, newShares and oldShares: whole numbers 1 to 1000, not equal (2-for-1: newShares 2, oldShares 1; " +
                "a 1-for-10 reverse split: newShares 1, oldShares 10), effectiveDate: yyyy-MM-dd, a trading day of the listing's venue after today " +
                "on its clock, source: where the terms come from}. One split per instrument and effective date (a canceled one does not count). " +
                "Every field's problem is answered at once (400) and nothing is written. Audited (split.announced); version 1.");
        app.MapGet(all, ListAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices).Produces<IReadOnlyList<SplitResponse>>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ListSplits").WithSummary("Splits, by effective date").WithDescription(
                "Query: symbol (exact), from and to (yyyy-MM-dd, inclusive, on the effective date), status (Announced, Canceled, Applied). " +
                "Ordered by effective date then id; at most 1000.");
        app.MapGet(one, GetAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices).Produces<SplitResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetSplit").WithSummary("One split, with its version and who changed it when");
        app.MapGet(one + "/application", ApplicationAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices)
            .Produces<SplitOutcomeResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("GetSplitApplication").WithSummary("What applying a split did, as its split.applied audit record keeps it").WithDescription(
                "Each account's position in each line before and after with its cash in lieu, each line's reference price before and after, " +
                "the open orders canceled and each line's stored daily closes scaled: the figures POST /api/v1/splits/{id}/apply answered when it applied the split (or the job " +
                "splits:apply logged), read from the split.applied audit record. 409 while the split is announced or when it was canceled.");
        app.MapPost(one + "/cancel", CancelAsync).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments).Accepts<SplitCancelRequest>("application/json")
            .Produces<SplitResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CancelSplit").WithSummary("Cancel an announced split before its effective date").WithDescription(
                "Body {reason: required}. Refused (409) on or after the effective date on the venue's clock, or when it is canceled or applied " +
                "already. Audited (split.canceled).");
        app.MapPost(one + "/apply", ApplyAsync).ForwardedToTheWriter(ApplyResend).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments)
            .Produces<SplitApplyResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ApplySplit").WithSummary("Apply a split to positions, reference prices and open orders (on or after its effective date)")
            .WithDescription(
                "In one writer transaction, for every line of the security (its ISIN): each account's position is multiplied by " +
                "newShares/oldShares, rounded toward zero, the fraction paid in cash in lieu at the new reference price (a cash movement of " +
                "kind CashInLieu, reference split:{id}); the average cost is multiplied by oldShares/newShares so the cost basis is unchanged; " +
                "the reference and last closing prices are multiplied by oldShares/newShares (the daily price limits follow) and the issued " +
                "shares by newShares/oldShares; the stored daily closes before the effective date (the VaR's history, past days' reports) by " +
                "oldShares/newShares, answered per line as dailyCloses (count, from, to); the open orders are canceled with the split as their reason, their reservations released. " +
                "Refused (409) before the effective date, for a canceled split, and while a line is in an open phase or has traded today. " +
                "Applying it again answers unchanged: true and changes nothing. The job splits:apply applies due splits by itself. " +
                "Audited (split.applied).");
        return app;
    }

    private static async Task<IResult> AnnounceAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        ReferenceDataCache referenceData, MarketClock clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<SplitRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var r = request!;
        var ct = http.RequestAborted;
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var symbol = Clean(r.Symbol);
        TradableInstrument? listing = null;
        if (symbol is null)
        {
            Add(errors, "symbol", "is required: a listed instrument's symbol");
        }
        else if (!referenceData.TryGet(symbol, out var found) || found.Row.Status == InstrumentStatus.Delisted)
        {
            Add(errors, "symbol", $"there is no listed instrument '{symbol}' (GET /api/v1/instruments lists them)");
        }
        else if (found.Row.IsDerivative)
        {
            Add(errors, "symbol", $"{found.Row.Symbol} is a derivative: a split is announced on the underlying share (contract terms are adjusted by the exchange)");
        }
        else
        {
            listing = found;
        }
        var newShares = Term(errors, "newShares", r.NewShares, "the shares after the split for every oldShares before it (2 in a 2-for-1 split)");
        var oldShares = Term(errors, "oldShares", r.OldShares, "the shares before the split that become newShares (10 in a 1-for-10 reverse split)");
        if (newShares is { } n && oldShares is { } o && n == o)
        {
            Add(errors, "newShares", Invariant($"{n}-for-{o} changes nothing: newShares and oldShares must differ"));
        }
        var effective = Clean(r.EffectiveDate);
        DateOnly? effectiveDate = null;
        if (effective is null)
        {
            Add(errors, "effectiveDate", "is required: the first trading day on the new share count, as yyyy-MM-dd");
        }
        else if (!DateOnly.TryParseExact(effective, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            Add(errors, "effectiveDate", $"'{effective}' is not a date as yyyy-MM-dd");
        }
        else if (listing is not null)
        {
            var venue = referenceData.Venue(listing.VenueRow.Code);
            var today = referenceData.VenueDate(listing.Row.Symbol, clock.UtcNow);
            if (day <= today)
            {
                Add(errors, "effectiveDate", Invariant($"{day:yyyy-MM-dd} is not after today ({today:yyyy-MM-dd} on {listing.VenueRow.Code}'s clock): a split is announced before it takes effect"));
            }
            else if (!venue.Schedule.IsTradingDay(day))
            {
                Add(errors, "effectiveDate", Invariant($"{day:yyyy-MM-dd} ({day.DayOfWeek}) is not a trading day of {listing.VenueRow.Code} (a weekend day or a holiday of its calendar)"));
            }
            else
            {
                effectiveDate = day;
            }
        }
        else
        {
            effectiveDate = day; // checked against the venue once the symbol is right; the symbol's problem is answered meanwhile
        }
        FieldProblems.Text(errors, "source", r.Source, MaxSource, required: true, what: "where the terms come from (the issuer's announcement)");

        await AnnounceGate.WaitAsync(ct);
        try
        {
            if (listing is not null && effectiveDate is { } eff)
            {
                var twin = await db.StockSplits.AsNoTracking()
                    .Where(s => s.Symbol == listing.Row.Symbol && s.EffectiveDate == eff && s.Status != SplitStatus.Canceled).Select(s => (long?)s.Id)
                    .FirstOrDefaultAsync(ct);
                if (twin is { } other)
                {
                    Add(errors, "effectiveDate", Invariant($"{listing.Row.Symbol} already has split {other} effective {eff:yyyy-MM-dd}: one per instrument and day (cancel it first to replace it)"));
                }
            }
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }
            var actor = Caller.From(principal).UserName;
            var at = AuditTrail.Truncate(clock.UtcNow);
            var split = new StockSplit
            {
                Id = await db.StockSplits.AnyAsync(ct) ? await db.StockSplits.MaxAsync(s => s.Id, ct) + 1 : 1,
                Symbol = listing!.Row.Symbol, NewShares = newShares!.Value, OldShares = oldShares!.Value, EffectiveDate = effectiveDate!.Value,
                Source = r.Source!.Trim(), Status = SplitStatus.Announced, Version = 1, CreatedBy = actor, CreatedAt = at, UpdatedBy = actor, UpdatedAt = at,
            };
            db.StockSplits.Add(split);
            try
            {
                await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "split.announced", Subject(split.Id),
                    AuditTrail.Serialize(new { split = SplitResponse.From(split) }))], ct);
            }
            catch (DbUpdateException)
            {
                return Problems.Conflict("another split was announced at the same moment: send the request again");
            }
            return TypedResults.Created(Invariant($"/api/v1/splits/{split.Id}"), SplitResponse.From(split));
        }
        finally
        {
            AnnounceGate.Release();
        }
    }

    private static async Task<IResult> ListAsync(HttpContext http, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var symbol = q.String("symbol", 16);
        var from = q.Date("from");
        var to = q.Date("to");
        var status = q.Enum<SplitStatus>("status");
        if (from is { } f && to is { } t && t < f)
        {
            q.Add("to", Invariant($"{t:yyyy-MM-dd} is before from ({f:yyyy-MM-dd})"));
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var rows = db.StockSplits.AsNoTracking();
        if (symbol is not null)
        {
            rows = rows.Where(s => s.Symbol == symbol);
        }
        if (from is { } a)
        {
            rows = rows.Where(s => s.EffectiveDate >= a);
        }
        if (to is { } b)
        {
            rows = rows.Where(s => s.EffectiveDate <= b);
        }
        if (status is { } st)
        {
            rows = rows.Where(s => s.Status == st);
        }
        var list = await rows.OrderBy(s => s.EffectiveDate).ThenBy(s => s.Id).Take(1000).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(list.Select(SplitResponse.From).ToList());
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var (split, problem) = await FindAsync(id, db, tracked: false, http.RequestAborted);
        return problem ?? TypedResults.Ok(SplitResponse.From(split!));
    }

    private static async Task<IResult> ApplicationAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        var (split, problem) = await FindAsync(id, db, tracked: false, ct);
        if (problem is not null)
        {
            return problem;
        }
        var s = split!;
        if (s.Status != SplitStatus.Applied)
        {
            return Problems.Conflict(Invariant($"split {s.Id} is {s.Status}: only an applied split has an application to show"));
        }
        var record = await AuditTrail.FirstDetailsAsync(db, Subject(s.Id), "split.applied", ct);
        return TypedResults.Ok(new SplitOutcomeResponse(SplitResponse.From(s),
            [.. record["positions"]!.AsArray().Select(p => new SplitPositionResponse(p!["accountId"]!.GetValue<long>(), p["symbol"]!.GetValue<string>(),
                p["before"]!.GetValue<long>(), p["after"]!.GetValue<long>(), Exact.Trim(p["cashInLieu"]!.GetValue<decimal>())))],
            [.. record["referencePrices"]!.AsArray().Select(p => new SplitPriceResponse(p!["symbol"]!.GetValue<string>(),
                Exact.Trim(p["before"]!.GetValue<decimal>()), Exact.Trim(p["after"]!.GetValue<decimal>())))],
            [.. record["canceledOrders"]!.AsArray().Select(o => o!.GetValue<long>())],
            // Splits applied before the closes were scaled with them have no such list: none was scaled then.
            [.. (record["dailyCloses"]?.AsArray() ?? []).Select(d => new SplitClosesAdjusted(d!["symbol"]!.GetValue<string>(), d["count"]!.GetValue<int>(),
                d["from"] is { } f ? DateOnly.Parse(f.GetValue<string>(), CultureInfo.InvariantCulture) : null,
                d["to"] is { } t ? DateOnly.Parse(t.GetValue<string>(), CultureInfo.InvariantCulture) : null))]));
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        SplitApplications splits, MarketClock clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<SplitCancelRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        FieldProblems.Text(errors, "reason", request!.Reason, MaxReason, required: true, what: "say why the split is canceled");
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var ct = http.RequestAborted;
        var (split, problem) = await FindAsync(id, db, tracked: true, ct);
        if (problem is not null)
        {
            return problem;
        }
        var s = split!;
        if (s.Status != SplitStatus.Announced)
        {
            return Problems.Conflict(Invariant($"split {s.Id} is {s.Status}: only an announced split can be canceled"));
        }
        var today = splits.Today(s);
        if (today >= s.EffectiveDate)
        {
            return Problems.Conflict(Invariant($"split {s.Id}'s effective date {s.EffectiveDate:yyyy-MM-dd} has come (today is {today:yyyy-MM-dd} on the venue's clock): a split is canceled before its effective date"));
        }
        var actor = Caller.From(principal).UserName;
        var at = AuditTrail.Truncate(clock.UtcNow);
        var reason = request.Reason!.Trim();
        (s.Status, s.CancelReason, s.UpdatedBy, s.UpdatedAt) = (SplitStatus.Canceled, reason, actor, at);
        s.Version++;
        await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "split.canceled", Subject(s.Id),
            AuditTrail.Serialize(new { splitId = s.Id, version = s.Version, reason }))], ct);
        return TypedResults.Ok(SplitResponse.From(s));
    }

    private static async Task<IResult> ApplyAsync(string id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, SplitApplications splits,
        OrderWriter writer, PortfolioStream portfolios)
    {
        var ct = http.RequestAborted;
        var (split, problem) = await FindAsync(id, db, tracked: false, ct);
        if (problem is not null)
        {
            return problem;
        }
        var s = split!;
        if (splits.NotApplicable(s) is { } why)
        {
            return Problems.Conflict(why);
        }
        var actor = Caller.From(principal).UserName;
        var command = await splits.CommandAsync(s, actor, ct);
        var (result, unavailable) = await writer.TrySendAsync(command, ct);
        if (unavailable is not null)
        {
            return unavailable;
        }
        if (result!.Risk is not SplitApplication application)
        {
            throw new InvalidOperationException($"the writer answered a split's application with {result.Outcome}");
        }
        if (application.Refusal is { } refused)
        {
            return Problems.Conflict(refused);
        }
        foreach (var account in application.Adjustments.Select(a => a.AccountId).Distinct())
        {
            portfolios.Touch(account); // the account's portfolio followers see the new position and cash
        }
        var after = await db.StockSplits.AsNoTracking().SingleAsync(x => x.Id == s.Id, ct);
        return TypedResults.Ok(new SplitApplyResponse(SplitResponse.From(after), application.Unchanged,
            [.. application.Adjustments.Select(a => new SplitPositionResponse(a.AccountId, a.Symbol, a.QuantityBefore, a.QuantityBefore + a.Quantity,
                Exact.Trim(a.CashInLieu)))],
            [.. application.ReferencePrices.Select(p => new SplitPriceResponse(p.Symbol, Exact.Trim(p.Before), Exact.Trim(p.After)))],
            application.CanceledOrders, application.DailyCloses));
    }

    private static async Task<(StockSplit? Split, IResult? Problem)> FindAsync(string id, TradSysDbContext db, bool tracked, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) || key <= 0)
        {
            return (null, Problems.Invalid("id", $"'{id}' is not a split id"));
        }
        var rows = tracked ? db.StockSplits : db.StockSplits.AsNoTracking();
        var s = await rows.SingleOrDefaultAsync(x => x.Id == key, ct);
        return s is null ? (null, Problems.NotFound(Invariant($"there is no split {key}"))) : (s, null);
    }

    private static int? Term(Dictionary<string, List<string>> errors, string field, int? value, string what)
    {
        if (value is not { } v)
        {
            Add(errors, field, $"is required: {what}, a whole number from 1 to {MaxRatioTerm}");
            return null;
        }
        if (v is < 1 or > MaxRatioTerm)
        {
            Add(errors, field, Invariant($"{v} is not a whole number from 1 to {MaxRatioTerm}"));
            return null;
        }
        return v;
    }

    private static string Subject(long id) => Invariant($"split/{id}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A split to announce (<c>POST /api/v1/splits</c>).</summary>
/// <param name="Symbol">A listed instrument's symbol.</param>
/// <param name="NewShares">Shares after for every <paramref name="OldShares"/> before (1 to 1000).</param>
/// <param name="OldShares">Shares before (1 to 1000).</param>
/// <param name="EffectiveDate">The first trading day on the new share count (yyyy-MM-dd, a future trading day of the venue).</param>
/// <param name="Source">Where the terms come from.</param>
public sealed record SplitRequest(string? Symbol, int? NewShares, int? OldShares, string? EffectiveDate, string? Source);

/// <summary>Why a split is canceled (<c>POST /api/v1/splits/{id}/cancel</c>).</summary>
public sealed record SplitCancelRequest(string? Reason);

/// <summary>A split with its status, version and who changed it when.</summary>
public sealed record SplitResponse(long Id, string Symbol, int NewShares, int OldShares, DateOnly EffectiveDate, string Source, string Status,
    string? CancelReason, int Version, string CreatedBy, DateTime CreatedAt, string UpdatedBy, DateTime UpdatedAt, DateTime? AppliedAt, string? AppliedBy)
{
    internal static SplitResponse From(StockSplit s) => new(s.Id, s.Symbol, s.NewShares, s.OldShares, s.EffectiveDate, s.Source, s.Status.ToString(),
        s.CancelReason, s.Version, s.CreatedBy, s.CreatedAt, s.UpdatedBy, s.UpdatedAt, s.AppliedAt, s.AppliedBy);
}

/// <summary>One account's position in one line before and after the split, and the cash paid for the fraction (signed like the position).</summary>
public sealed record SplitPositionResponse(long AccountId, string Symbol, long QuantityBefore, long QuantityAfter, decimal CashInLieu);

/// <summary>A line's reference price before and after the split.</summary>
public sealed record SplitPriceResponse(string Symbol, decimal Before, decimal After);

/// <summary>What applying a split did: the split after it, whether it had been applied before (nothing done now), positions, prices, canceled
/// orders, and each line's stored daily closes before the effective date scaled by old/new (how many, first and last day).</summary>
public sealed record SplitApplyResponse(SplitResponse Split, bool Unchanged, IReadOnlyList<SplitPositionResponse> Positions,
    IReadOnlyList<SplitPriceResponse> ReferencePrices, IReadOnlyList<long> CanceledOrders, IReadOnlyList<SplitClosesAdjusted> DailyCloses);

/// <summary>
/// What applying a split did (<c>GET /api/v1/splits/{id}/application</c>), as its <c>split.applied</c> audit record keeps it: the split, each
/// account's position in each line before and after with its cash in lieu, each line's reference price before and after, the canceled orders,
/// each line's stored daily closes scaled.
/// </summary>
public sealed record SplitOutcomeResponse(SplitResponse Split, IReadOnlyList<SplitPositionResponse> Positions,
    IReadOnlyList<SplitPriceResponse> ReferencePrices, IReadOnlyList<long> CanceledOrders, IReadOnlyList<SplitClosesAdjusted> DailyCloses);
