using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TradSys.Reporting.TransactionReporting;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.CorporateActions;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.RulePacks;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// Symbol changes, the third corporate action (issue 14 part 3), under /api/v1/symbol-changes, built like the splits
/// (<see cref="SplitsApi"/>): operations and admins announce one (every field's problem at once), cancel it before its effective date
/// with a reason, and apply it on or after its effective date through the single writer (<see cref="ApplySymbolChangeCommand"/>: the new
/// symbol listed as a copy of the old listing, positions moved at their cost, open orders canceled, stored daily closes copied, the old
/// symbol delisted, in one transaction, audited <c>symbolchange.applied</c>); operations, admins, risk and compliance read them. Every
/// change raises the version, stamps who and when, and is audited (subject <c>symbolchange/{id}</c>).
/// </summary>
public static partial class SymbolChangesApi
{
    private const string Tag = "Corporate actions";
    private const int MaxSource = 256;
    private const int MaxReason = 512;
    private const int MaxName = 128;

    private static readonly SemaphoreSlim AnnounceGate = new(1, 1);

    private const string ApplyResend = "a symbol change is applied once (the writer remembers applied changes; the position adjustments' reference " +
        "symchg:{id} is unique per account and symbol): sending it again answers unchanged and changes nothing";

    public static IEndpointRouteBuilder MapSymbolChangesApiV1(this IEndpointRouteBuilder app)
    {
        const string all = "/api/v1/symbol-changes";
        const string one = "/api/v1/symbol-changes/{id}";
        app.MapPost(all, AnnounceAsync).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments).Accepts<SymbolChangeRequest>("application/json")
            .Produces<SymbolChangeResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("AnnounceSymbolChange").WithSummary("Announce a symbol change (a ticker rename)").WithDescription(
                "Body {symbol: a listed instrument, newSymbol: 1-16 upper-case letters, digits, '.' or '-', not listed (in any status) and not " +
                "the new symbol of another announced change, newIsin: optional, an ISIN with its check digit when the change brings a new one, " +
                "newName: optional, at most 128 characters, effectiveDate: yyyy-MM-dd, a trading day of the listing's venue after today on its " +
                "clock, source: where the change comes from}. One announced change per instrument. Every field's problem is answered at once " +
                "(400) and nothing is written. Audited (symbolchange.announced); version 1.");
        app.MapGet(all, ListAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices).Produces<IReadOnlyList<SymbolChangeResponse>>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ListSymbolChanges").WithSummary("Symbol changes, by effective date").WithDescription(
                "Query: symbol (exact, the old or the new symbol), from and to (yyyy-MM-dd, inclusive, on the effective date), status " +
                "(Announced, Canceled, Applied). Ordered by effective date then id; at most 1000.");
        app.MapGet(one, GetAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices).Produces<SymbolChangeResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetSymbolChange").WithSummary("One symbol change, with its version and who changed it when");
        app.MapGet(one + "/application", ApplicationAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices)
            .Produces<SymbolChangeOutcomeResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("GetSymbolChangeApplication").WithSummary("What applying a symbol change did, as its symbolchange.applied audit record keeps it")
            .WithDescription("Each account's position moved with its average cost, the reference price the new symbol was listed with, the open " +
                "orders canceled, the stored daily closes copied and what was carried to the new symbol (dividends, splits, pre-trade limits, " +
                "withdrawn limit proposals), as the audit record keeps them; packWarnings: the published rule packs in force NOW that still " +
                "name the old symbol (or its old ISIN when the change brought a new one), empty once compliance has published versions " +
                "without it. 409 while the change is announced or when it was canceled.");
        app.MapPost(one + "/cancel", CancelAsync).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments)
            .Accepts<SymbolChangeCancelRequest>("application/json")
            .Produces<SymbolChangeResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CancelSymbolChange").WithSummary("Cancel an announced symbol change before its effective date").WithDescription(
                "Body {reason: required}. Refused (409) on or after the effective date on the venue's clock, or when it is canceled or applied " +
                "already. Audited (symbolchange.canceled).");
        app.MapPost(one + "/apply", ApplyAsync).ForwardedToTheWriter(ApplyResend).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments)
            .Produces<SymbolChangeApplyResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("ApplySymbolChange").WithSummary("Apply a symbol change to the listing, positions, open orders and reference prices (on or after its effective date)")
            .WithDescription(
                "In one writer transaction: the new symbol is listed as a copy of the old listing (with the new ISIN and name when given; " +
                "the same reference and closing prices), each account's position moves to it at its average cost (position adjustments of " +
                "reference symchg:{id}: nothing realised), the old symbol's open orders are canceled with the change as their reason, its " +
                "stored daily closes are copied to the new symbol (dailyCloses: count, from, to), its announced dividends going ex and splits " +
                "taking effect on or after the effective date move to the new symbol (carried: their ids; earlier ones stay with the old " +
                "symbol's holdings at their dates), the old symbol's pre-trade limits in force become a new version of the new symbol's " +
                "limits, effective for the next order (carried.riskLimits: symbol, version, newSymbol, newVersion; reason naming the change, " +
                "changedBy the applying user), its pending limit proposals are withdrawn with the change as their reason " +
                "(carried.withdrawnLimitProposals) and the old symbol is delisted. packWarnings lists the published rule packs in force that " +
                "still name the old symbol (pack, regime, version and each place): they are not edited, compliance publishes new versions. " +
                "Refused (409) before the effective date, for a canceled change, while the listing is in an open phase or has traded today, " +
                "when the new symbol has been listed since, and when the new symbol has pre-trade limits of its own. Applying it again answers unchanged: true and changes nothing. The job symbol-changes:apply applies " +
                "due changes by itself. Audited (symbolchange.applied, instrument.listed, instrument.delisted).");
        return app;
    }

    private static async Task<IResult> AnnounceAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        ReferenceDataCache referenceData, MarketClock clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<SymbolChangeRequest>(http);
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
        else
        {
            listing = found;
        }
        var newSymbol = Clean(r.NewSymbol);
        if (newSymbol is null)
        {
            Add(errors, "newSymbol", "is required: the symbol the security trades under from the effective date (e.g. CIBE)");
            newSymbol = null;
        }
        else if (!SymbolPattern().IsMatch(newSymbol))
        {
            Add(errors, "newSymbol", $"'{newSymbol}' is not a symbol: 1-16 upper-case letters, digits, '.' or '-', starting with a letter or digit");
            newSymbol = null;
        }
        else if (symbol is not null && string.Equals(newSymbol, symbol, StringComparison.OrdinalIgnoreCase))
        {
            Add(errors, "newSymbol", $"is {symbol}'s own symbol: a symbol change names another one");
            newSymbol = null;
        }
        else if (referenceData.TryGet(newSymbol, out var taken))
        {
            Add(errors, "newSymbol", $"{taken.Row.Symbol} exists already ({taken.Row.Status}): a new symbol must not be listed, nor have been (its history is its own)");
            newSymbol = null;
        }
        var newIsin = Clean(r.NewIsin);
        if (newIsin is not null && Identifiers.IsinProblem(newIsin) is { } isinProblem)
        {
            Add(errors, "newIsin", isinProblem);
        }
        var newName = Clean(r.NewName);
        if (newName is not null && newName.Length > MaxName)
        {
            Add(errors, "newName", Invariant($"is {newName.Length} characters long: at most {MaxName}"));
        }
        var effective = Clean(r.EffectiveDate);
        DateOnly? effectiveDate = null;
        if (effective is null)
        {
            Add(errors, "effectiveDate", "is required: the first trading day under the new symbol, as yyyy-MM-dd");
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
                Add(errors, "effectiveDate", Invariant($"{day:yyyy-MM-dd} is not after today ({today:yyyy-MM-dd} on {listing.VenueRow.Code}'s clock): a symbol change is announced before it takes effect"));
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
        FieldProblems.Text(errors, "source", r.Source, MaxSource, required: true, what: "where the change comes from (the issuer's announcement)");

        await AnnounceGate.WaitAsync(ct);
        try
        {
            if (listing is not null)
            {
                var own = listing.Row.Symbol;
                var twin = await db.SymbolChanges.AsNoTracking().Where(s => s.Symbol == own && s.Status == SplitStatus.Announced)
                    .Select(s => new { s.Id, s.NewSymbol, s.EffectiveDate }).FirstOrDefaultAsync(ct);
                if (twin is not null)
                {
                    Add(errors, "symbol", Invariant($"{own} already has symbol change {twin.Id} to {twin.NewSymbol} announced for {twin.EffectiveDate:yyyy-MM-dd}: one at a time (cancel it first to replace it)"));
                }
            }
            if (newSymbol is not null)
            {
                // Symbols are upper case (the pattern above), so an exact comparison finds any claim on it.
                var claimed = await db.SymbolChanges.AsNoTracking().Where(s => s.NewSymbol == newSymbol && s.Status == SplitStatus.Announced)
                    .Select(s => new { s.Id, s.Symbol }).FirstOrDefaultAsync(ct);
                if (claimed is not null)
                {
                    Add(errors, "newSymbol", Invariant($"{newSymbol} is the new symbol of {claimed.Symbol} in announced symbol change {claimed.Id}"));
                }
            }
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }
            var actor = Caller.From(principal).UserName;
            var at = AuditTrail.Truncate(clock.UtcNow);
            var change = new SymbolChange
            {
                Id = await db.SymbolChanges.AnyAsync(ct) ? await db.SymbolChanges.MaxAsync(s => s.Id, ct) + 1 : 1,
                Symbol = listing!.Row.Symbol, NewSymbol = newSymbol!, NewIsin = newIsin, NewName = newName, EffectiveDate = effectiveDate!.Value,
                Source = r.Source!.Trim(), Status = SplitStatus.Announced, Version = 1, CreatedBy = actor, CreatedAt = at, UpdatedBy = actor, UpdatedAt = at,
            };
            db.SymbolChanges.Add(change);
            try
            {
                await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "symbolchange.announced", Subject(change.Id),
                    AuditTrail.Serialize(new { symbolChange = SymbolChangeResponse.From(change) }))], ct);
            }
            catch (DbUpdateException)
            {
                return Problems.Conflict("another symbol change was announced at the same moment: send the request again");
            }
            return TypedResults.Created(Invariant($"/api/v1/symbol-changes/{change.Id}"), SymbolChangeResponse.From(change));
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
        var rows = db.SymbolChanges.AsNoTracking();
        if (symbol is not null)
        {
            rows = rows.Where(s => s.Symbol == symbol || s.NewSymbol == symbol);
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
        return TypedResults.Ok(list.Select(SymbolChangeResponse.From).ToList());
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var (change, problem) = await FindAsync(id, db, tracked: false, http.RequestAborted);
        return problem ?? TypedResults.Ok(SymbolChangeResponse.From(change!));
    }

    private static async Task<IResult> ApplicationAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        var (change, problem) = await FindAsync(id, db, tracked: false, ct);
        if (problem is not null)
        {
            return problem;
        }
        var s = change!;
        if (s.Status != SplitStatus.Applied)
        {
            return Problems.Conflict(Invariant($"symbol change {s.Id} is {s.Status}: only an applied symbol change has an application to show"));
        }
        var record = await AuditTrail.FirstDetailsAsync(db, Subject(s.Id), "symbolchange.applied", ct);
        var price = record["referencePrice"]!;
        var closes = record["dailyCloses"]!;
        var carried = record["carried"];
        var warnings = await RulePackMentions.InForceAsync(db,
            SymbolChangeCommands.NamesOf(s.Symbol, record["isin"]?.GetValue<string>() ?? "", record["newIsin"]?.GetValue<string>()), ct);
        return TypedResults.Ok(new SymbolChangeOutcomeResponse(SymbolChangeResponse.From(s),
            [.. record["positions"]!.AsArray().Select(p => new SymbolChangePositionResponse(p!["accountId"]!.GetValue<long>(), s.Symbol, s.NewSymbol,
                p["quantity"]!.GetValue<long>(), Exact.Trim(p["averageCost"]!.GetValue<decimal>())))],
            new SymbolChangePriceResponse(s.Symbol, s.NewSymbol, Exact.Trim(price["referencePrice"]!.GetValue<decimal>()),
                price["closingPrice"] is { } close ? Exact.Trim(close.GetValue<decimal>()) : null),
            [.. record["canceledOrders"]!.AsArray().Select(o => o!.GetValue<long>())],
            new SymbolChangeClosesResponse(closes["count"]!.GetValue<int>(),
                closes["from"] is { } f ? DateOnly.Parse(f.GetValue<string>(), CultureInfo.InvariantCulture) : null,
                closes["to"] is { } t ? DateOnly.Parse(t.GetValue<string>(), CultureInfo.InvariantCulture) : null),
            // Applied before the corporate actions (or the limits) were carried: the record has no "carried" (or no limits), and nothing was moved.
            new SymbolChangeCarriedResponse(
                [.. carried?["dividends"]?.AsArray().Select(d => d!.GetValue<long>()) ?? []],
                [.. carried?["splits"]?.AsArray().Select(x => x!.GetValue<long>()) ?? []],
                [.. carried?["riskLimits"]?.AsArray().Select(l => new SymbolChangeLimitsResponse(l!["symbol"]!.GetValue<string>(),
                    l["version"]!.GetValue<int>(), l["newSymbol"]!.GetValue<string>(), l["newVersion"]!.GetValue<int>())) ?? []],
                [.. carried?["withdrawnLimitProposals"]?.AsArray().Select(p => p!.GetValue<long>()) ?? []]),
            warnings));
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        SymbolChangeApplications changes, MarketClock clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<SymbolChangeCancelRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        FieldProblems.Text(errors, "reason", request!.Reason, MaxReason, required: true, what: "say why the symbol change is canceled");
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var ct = http.RequestAborted;
        var (change, problem) = await FindAsync(id, db, tracked: true, ct);
        if (problem is not null)
        {
            return problem;
        }
        var s = change!;
        if (s.Status != SplitStatus.Announced)
        {
            return Problems.Conflict(Invariant($"symbol change {s.Id} is {s.Status}: only an announced symbol change can be canceled"));
        }
        var today = changes.Today(s);
        if (today >= s.EffectiveDate)
        {
            return Problems.Conflict(Invariant($"symbol change {s.Id}'s effective date {s.EffectiveDate:yyyy-MM-dd} has come (today is {today:yyyy-MM-dd} on the venue's clock): a symbol change is canceled before its effective date"));
        }
        var actor = Caller.From(principal).UserName;
        var at = AuditTrail.Truncate(clock.UtcNow);
        var reason = request.Reason!.Trim();
        (s.Status, s.CancelReason, s.UpdatedBy, s.UpdatedAt) = (SplitStatus.Canceled, reason, actor, at);
        s.Version++;
        await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "symbolchange.canceled", Subject(s.Id),
            AuditTrail.Serialize(new { symbolChangeId = s.Id, version = s.Version, reason }))], ct);
        return TypedResults.Ok(SymbolChangeResponse.From(s));
    }

    private static async Task<IResult> ApplyAsync(string id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db,
        SymbolChangeApplications changes, OrderWriter writer)
    {
        var ct = http.RequestAborted;
        var (change, problem) = await FindAsync(id, db, tracked: false, ct);
        if (problem is not null)
        {
            return problem;
        }
        var s = change!;
        if (changes.NotApplicable(s) is { } why)
        {
            return Problems.Conflict(why);
        }
        ApplySymbolChangeCommand? command = null;
        if (s.Status == SplitStatus.Announced)
        {
            command = await changes.CommandAsync(s, Caller.From(principal).UserName, ct);
        }
        SymbolChangeApplication application;
        if (command is null)
        {
            // Applied before: the old symbol is delisted, so no command can be built; the writer would answer unchanged.
            application = SymbolChangeApplication.Nothing(true, null);
        }
        else
        {
            var (result, unavailable) = await writer.TrySendAsync(command, ct);
            if (unavailable is not null)
            {
                return unavailable;
            }
            if (result!.Risk is not SymbolChangeApplication applied)
            {
                throw new InvalidOperationException($"the writer answered a symbol change's application with {result.Outcome}");
            }
            if (applied.Refusal is { } refused)
            {
                return Problems.Conflict(refused);
            }
            changes.Touch(applied);
            application = applied;
        }
        var after = await db.SymbolChanges.AsNoTracking().SingleAsync(x => x.Id == s.Id, ct);
        return TypedResults.Ok(new SymbolChangeApplyResponse(SymbolChangeResponse.From(after), application.Unchanged,
            [.. application.Positions.Select(p => new SymbolChangePositionResponse(p.AccountId, s.Symbol, s.NewSymbol, p.Quantity, Exact.Trim(p.AverageCost)))],
            application.ReferencePrice is { } price
                ? new SymbolChangePriceResponse(price.Symbol, price.NewSymbol, Exact.Trim(price.ReferencePrice), price.ClosingPrice is { } c ? Exact.Trim(c) : null)
                : null,
            application.CanceledOrders,
            new SymbolChangeClosesResponse(application.DailyCloses.Count, application.DailyCloses.From, application.DailyCloses.To),
            SymbolChangeCarriedResponse.From(application.Carried), application.PackWarnings));
    }

    private static async Task<(SymbolChange? Change, IResult? Problem)> FindAsync(string id, TradSysDbContext db, bool tracked, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) || key <= 0)
        {
            return (null, Problems.Invalid("id", $"'{id}' is not a symbol change id"));
        }
        var rows = tracked ? db.SymbolChanges : db.SymbolChanges.AsNoTracking();
        var s = await rows.SingleOrDefaultAsync(x => x.Id == key, ct);
        return s is null ? (null, Problems.NotFound(Invariant($"there is no symbol change {key}"))) : (s, null);
    }

    private static string Subject(long id) => Invariant($"symbolchange/{id}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Z0-9][A-Z0-9.-]{0,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolPattern();
}

/// <summary>A symbol change to announce (<c>POST /api/v1/symbol-changes</c>).</summary>
/// <param name="Symbol">A listed instrument's symbol.</param>
/// <param name="NewSymbol">The symbol it trades under from the effective date (not listed, in any status).</param>
/// <param name="NewIsin">The new ISIN when the change brings one (else the listing's is kept).</param>
/// <param name="NewName">The new name when the change brings one (else the listing's is kept).</param>
/// <param name="EffectiveDate">The first trading day under the new symbol (yyyy-MM-dd, a future trading day of the venue).</param>
/// <param name="Source">Where the change comes from.</param>
public sealed record SymbolChangeRequest(string? Symbol, string? NewSymbol, string? NewIsin, string? NewName, string? EffectiveDate, string? Source);

/// <summary>Why a symbol change is canceled (<c>POST /api/v1/symbol-changes/{id}/cancel</c>).</summary>
public sealed record SymbolChangeCancelRequest(string? Reason);

/// <summary>A symbol change with its status, version and who changed it when.</summary>
public sealed record SymbolChangeResponse(long Id, string Symbol, string NewSymbol, string? NewIsin, string? NewName, DateOnly EffectiveDate,
    string Source, string Status, string? CancelReason, int Version, string CreatedBy, DateTime CreatedAt, string UpdatedBy, DateTime UpdatedAt,
    DateTime? AppliedAt, string? AppliedBy)
{
    internal static SymbolChangeResponse From(SymbolChange s) => new(s.Id, s.Symbol, s.NewSymbol, s.NewIsin, s.NewName, s.EffectiveDate, s.Source,
        s.Status.ToString(), s.CancelReason, s.Version, s.CreatedBy, s.CreatedAt, s.UpdatedBy, s.UpdatedAt, s.AppliedAt, s.AppliedBy);
}

/// <summary>One account's position moved from the old symbol to the new one, with the average cost it keeps.</summary>
public sealed record SymbolChangePositionResponse(long AccountId, string Symbol, string NewSymbol, long Quantity, decimal AverageCost);

/// <summary>The reference price (and last closing price) the new symbol was listed with: the old symbol's.</summary>
public sealed record SymbolChangePriceResponse(string Symbol, string NewSymbol, decimal ReferencePrice, decimal? ClosingPrice);

/// <summary>The old symbol's stored daily closes copied to the new symbol: how many, first and last day.</summary>
public sealed record SymbolChangeClosesResponse(int Count, DateOnly? From, DateOnly? To);

/// <summary>What moved to the new symbol: the old symbol's announced dividends (going ex) and splits (taking effect) on or after the effective
/// date, by id; its pre-trade limits in force, as a new version of the new symbol's; its pending limit proposals, withdrawn, by id.</summary>
public sealed record SymbolChangeCarriedResponse(IReadOnlyList<long> Dividends, IReadOnlyList<long> Splits, IReadOnlyList<SymbolChangeLimitsResponse> RiskLimits,
    IReadOnlyList<long> WithdrawnLimitProposals)
{
    internal static SymbolChangeCarriedResponse From(SymbolChangeCarried c) => new(c.Dividends, c.Splits,
        [.. c.RiskLimits.Select(l => new SymbolChangeLimitsResponse(l.Symbol, l.Version, l.NewSymbol, l.NewVersion))], c.WithdrawnLimitProposals);
}

/// <summary>The old symbol's pre-trade limits (version <c>Version</c>) set as version <c>NewVersion</c> of the new symbol's limits
/// (GET /api/v1/risk/limits/instrument/{newSymbol}).</summary>
public sealed record SymbolChangeLimitsResponse(string Symbol, int Version, string NewSymbol, int NewVersion);

/// <summary>What applying a symbol change did: the change after it, whether it had been applied before (nothing done now), the positions
/// moved, the new symbol's reference price (null when unchanged), the canceled orders, the stored daily closes copied and the announced
/// corporate actions and limits carried to the new symbol, and the published rule packs in force that still name the old symbol (a warning
/// for compliance: packs are never edited by the platform).</summary>
public sealed record SymbolChangeApplyResponse(SymbolChangeResponse SymbolChange, bool Unchanged, IReadOnlyList<SymbolChangePositionResponse> Positions,
    SymbolChangePriceResponse? ReferencePrice, IReadOnlyList<long> CanceledOrders, SymbolChangeClosesResponse DailyCloses, SymbolChangeCarriedResponse Carried,
    IReadOnlyList<RulePackMention> PackWarnings);

/// <summary>What applying a symbol change did (<c>GET /api/v1/symbol-changes/{id}/application</c>), as its <c>symbolchange.applied</c> audit
/// record keeps it, and the published rule packs in force now that still name the old symbol.</summary>
public sealed record SymbolChangeOutcomeResponse(SymbolChangeResponse SymbolChange, IReadOnlyList<SymbolChangePositionResponse> Positions,
    SymbolChangePriceResponse ReferencePrice, IReadOnlyList<long> CanceledOrders, SymbolChangeClosesResponse DailyCloses, SymbolChangeCarriedResponse Carried,
    IReadOnlyList<RulePackMention> PackWarnings);
