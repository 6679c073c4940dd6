using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.CorporateActions;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.Streaming;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// Cash dividends, the first corporate action (issue 14 part 3), under /api/v1/dividends: operations and admins announce one
/// (every field's problem at once), correct its terms or cancel it before its ex-date with a reason, and pay it on or after its payment date (each
/// entitled account credited through the single writer like a deposit, once); operations, admins, risk and compliance read them
/// and their entitlements. Every change raises the dividend's version, stamps who and when, and is audited (subject
/// <c>dividend/{id}</c>). Entitlement and payment rules: <see cref="DividendPayments"/>. Splits: <see cref="SplitsApi"/>; symbol changes are not built.
/// </summary>
public static class DividendsApi
{
    private const string Tag = "Corporate actions";

    /// <summary>Serializes announcements in this process, so the id (max + 1) and the duplicate check see each other.</summary>
    private static readonly SemaphoreSlim AnnounceGate = new(1, 1);

    private const string PayResend = "a dividend pays each account once (the cash movement's reference dividend:{id} is unique per account): " +
        "sending the payment again books only what was not booked, never twice";

    public static IEndpointRouteBuilder MapDividendsApiV1(this IEndpointRouteBuilder app)
    {
        const string all = "/api/v1/dividends";
        const string one = "/api/v1/dividends/{id}";
        app.MapPost(all, AnnounceAsync).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments).Accepts<DividendRequest>("application/json")
            .Produces<DividendResponse>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("AnnounceDividend").WithSummary("Announce a cash dividend").WithDescription(
                "Body {symbol: a listed instrument, exDate, recordDate, paymentDate: yyyy-MM-dd with exDate <= recordDate <= paymentDate (on " +
                "T+2 markets such as EGX and ADX the record date is normally the business day after the ex-date), amountPerShare: above 0 " +
                "with at most the currency's decimals, currency: the instrument's currency or another with a platform FX rate, source: where " +
                "the figures come from (the issuer's announcement)}. One dividend per instrument and ex-date (a canceled one does not count). " +
                "Every field's problem is answered at once (400) and nothing is written. Audited (dividend.announced); version 1.");
        app.MapGet(all, ListAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices).Produces<IReadOnlyList<DividendResponse>>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("ListDividends").WithSummary("Dividends, by ex-date").WithDescription(
                "Query: symbol (exact), from and to (yyyy-MM-dd, inclusive, on the ex-date), status (Announced, Canceled, Paid). Ordered " +
                "by ex-date then id; at most 1000.");
        app.MapGet(one, GetAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices).Produces<DividendResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetDividend").WithSummary("One dividend, with its version and who changed it when").WithDescription(
                "The ETag header (W/\"vN\") is the version to send back in If-Match when correcting it (PUT).");
        app.MapPut(one, ChangeAsync).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments).Accepts<DividendChangeRequest>("application/json")
            .Produces<DividendChangeResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithName("ChangeDividend").WithSummary("Correct an announced dividend's terms before its ex-date").WithDescription(
                "Body {exDate, recordDate, paymentDate, amountPerShare, currency, source: every term, checked as when announcing (send them " +
                "all: start from GET), reason: required, audited}. The symbol does not change (cancel and announce on the other instrument). " +
                "Refused (409) when the dividend is canceled or paid, or on or after its ex-date on the venue's clock; a corrected ex-date " +
                "must itself be after today (400 on exDate). With If-Match (W/\"vN\", N the version GET answers) a dividend changed since " +
                "gets 412. A change raises the version, stamps who and when and is audited (dividend.changed, each changed term before and " +
                "after, the reason), and answers unchanged: false with the terms changed; the same terms sent again write nothing and answer " +
                "unchanged: true with the version as it was. Every field's problem at once (400) and nothing written.");
        app.MapPost(one + "/cancel", CancelAsync).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments).Accepts<DividendCancelRequest>("application/json")
            .Produces<DividendResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CancelDividend").WithSummary("Cancel an announced dividend before its ex-date").WithDescription(
                "Body {reason: required}. Refused (409) on or after the ex-date on the venue's clock, or when it is canceled or paid already. " +
                "Audited (dividend.canceled).");
        app.MapGet(one + "/entitlements", EntitlementsAsync).WithTags(Tag).RequireAuthorization(Policies.ReadReferencePrices)
            .Produces<DividendEntitlementsResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetDividendEntitlements").WithSummary("Who is entitled to a dividend, and for how much").WithDescription(
                "Each account's net position in the security (every line of its ISIN) at the end of the trading day before the ex-date " +
                "(trades executed before midnight starting the ex-date, venue time), the gross amount (quantity x amount per share; " +
                "negative for a short position, which owes the dividend) and whether it is paid. Before the ex-date the figures are the " +
                "positions so far and can still change.");
        app.MapPost(one + "/pay", PayAsync).ForwardedToTheWriter(PayResend).WithTags(Tag).RequireAuthorization(Policies.ManageInstruments)
            .Produces<DividendPayoutResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("PayDividend").WithSummary("Pay a dividend's entitlements (on or after its payment date)").WithDescription(
                "Credits each entitled account's cash with its gross amount in the dividend's currency (a cash movement of kind Dividend, " +
                "reference dividend:{id}), through the single writer like a deposit: the very next order's buying power counts it. Refused " +
                "(409) before the payment date on the venue's clock and for a canceled dividend. Paying again books only accounts not paid " +
                "yet (none, normally): an account is paid once. The daily job (dividends:pay) pays due dividends by itself. Audited " +
                "(dividend.paid).");
        return app;
    }

    private static async Task<IResult> AnnounceAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        ReferenceDataCache referenceData, MarketClock clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<DividendRequest>(http);
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
        var terms = DividendForm.Check(errors, listing, r.ExDate, r.RecordDate, r.PaymentDate, r.AmountPerShare, r.Currency, r.Source, referenceData,
            out var ex);

        await AnnounceGate.WaitAsync(ct);
        try
        {
            if (listing is not null && ex is { } exDate)
            {
                await DividendForm.TwinAsync(errors, db, listing.Row.Symbol, exDate, except: null, ct);
            }
            if (errors.Count > 0)
            {
                return Problems.Invalid(errors);
            }

            var actor = Caller.From(principal).UserName;
            var at = AuditTrail.Truncate(clock.UtcNow);
            var dividend = new Dividend
            {
                Id = await db.Dividends.AnyAsync(ct) ? await db.Dividends.MaxAsync(d => d.Id, ct) + 1 : 1,
                Symbol = listing!.Row.Symbol, ExDate = terms!.ExDate, RecordDate = terms.RecordDate, PaymentDate = terms.PaymentDate,
                AmountPerShare = terms.AmountPerShare, Currency = terms.Currency, Source = terms.Source, Status = DividendStatus.Announced, Version = 1,
                CreatedBy = actor, CreatedAt = at, UpdatedBy = actor, UpdatedAt = at,
            };
            db.Dividends.Add(dividend);
            try
            {
                await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "dividend.announced", Subject(dividend.Id),
                    AuditTrail.Serialize(new { dividend = DividendResponse.From(dividend) }))], ct);
            }
            catch (DbUpdateException)
            {
                // Another node announced a dividend with this id at the same moment: nothing of this request was saved.
                return Problems.Conflict("another dividend was announced at the same moment: send the request again");
            }
            return TypedResults.Created(Invariant($"/api/v1/dividends/{dividend.Id}"), DividendResponse.From(dividend));
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
        var status = q.Enum<DividendStatus>("status");
        if (from is { } f && to is { } t && t < f)
        {
            q.Add("to", Invariant($"{t:yyyy-MM-dd} is before from ({f:yyyy-MM-dd})"));
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var rows = db.Dividends.AsNoTracking();
        if (symbol is not null)
        {
            rows = rows.Where(d => d.Symbol == symbol);
        }
        if (from is { } a)
        {
            rows = rows.Where(d => d.ExDate >= a);
        }
        if (to is { } b)
        {
            rows = rows.Where(d => d.ExDate <= b);
        }
        if (status is { } s)
        {
            rows = rows.Where(d => d.Status == s);
        }
        var list = await rows.OrderBy(d => d.ExDate).ThenBy(d => d.Id).Take(1000).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(list.Select(DividendResponse.From).ToList());
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, TradSysDbContext db)
    {
        var (dividend, problem) = await FindAsync(id, db, tracked: false, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        http.Response.Headers.ETag = VersionTags.ETagOf(dividend!.Version);
        return TypedResults.Ok(DividendResponse.From(dividend));
    }

    private static async Task<IResult> ChangeAsync(string id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        DividendPayments payments, ReferenceDataCache referenceData, MarketClock clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<DividendChangeRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        if (VersionTags.IfMatch(http, "this dividend", "GET /api/v1/dividends/{id}", out var expected) is { } badTag)
        {
            return badTag;
        }
        var ct = http.RequestAborted;
        var (dividend, problem) = await FindAsync(id, db, tracked: true, ct);
        if (problem is not null)
        {
            return problem;
        }
        var d = dividend!;
        if (expected is { } v && v != d.Version)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                detail: Invariant($"dividend {d.Id} is at version {d.Version}, not {v}: read it again (GET /api/v1/dividends/{d.Id}) and resend your change"));
        }
        if (d.Status != DividendStatus.Announced)
        {
            return Problems.Conflict(Invariant($"dividend {d.Id} is {d.Status}: only an announced dividend can be corrected"));
        }
        var today = payments.Today(d);
        if (today >= d.ExDate)
        {
            return Problems.Conflict(Invariant($"dividend {d.Id}'s ex-date {d.ExDate:yyyy-MM-dd} has come (today is {today:yyyy-MM-dd} on the venue's clock): a dividend is corrected before its ex-date"));
        }
        var r = request!;
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var listing = referenceData.TryGet(d.Symbol, out var found) ? found : null;
        var terms = DividendForm.Check(errors, listing, r.ExDate, r.RecordDate, r.PaymentDate, r.AmountPerShare, r.Currency, r.Source, referenceData,
            out var ex);
        if (ex is { } newEx && newEx <= today)
        {
            Add(errors, "exDate", Invariant($"{newEx:yyyy-MM-dd} is not after today ({today:yyyy-MM-dd} on the venue's clock): a corrected ex-date must still be to come"));
        }
        FieldProblems.Text(errors, "reason", r.Reason, DividendForm.MaxReason, required: true, what: "say why the dividend is corrected");
        if (ex is { } exDate && exDate != d.ExDate)
        {
            await DividendForm.TwinAsync(errors, db, d.Symbol, exDate, except: d.Id, ct);
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var t = terms!;
        var before = new { exDate = d.ExDate, recordDate = d.RecordDate, paymentDate = d.PaymentDate, amountPerShare = Exact.Trim(d.AmountPerShare), currency = d.Currency, source = d.Source };
        var changes = new Dictionary<string, object>(StringComparer.Ordinal);
        void Compare<T>(string field, T was, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(was, now))
            {
                changes[field] = new { before = was, after = now };
            }
        }
        Compare("exDate", before.exDate, t.ExDate);
        Compare("recordDate", before.recordDate, t.RecordDate);
        Compare("paymentDate", before.paymentDate, t.PaymentDate);
        Compare("amountPerShare", before.amountPerShare, Exact.Trim(t.AmountPerShare));
        Compare("currency", before.currency, t.Currency);
        Compare("source", before.source, t.Source);
        if (changes.Count == 0)
        {
            http.Response.Headers.ETag = VersionTags.ETagOf(d.Version);
            return TypedResults.Ok(new DividendChangeResponse(DividendResponse.From(d), Unchanged: true, []));
        }
        var actor = Caller.From(principal).UserName;
        var at = AuditTrail.Truncate(clock.UtcNow);
        var reason = r.Reason!.Trim();
        (d.ExDate, d.RecordDate, d.PaymentDate, d.AmountPerShare, d.Currency, d.Source) = (t.ExDate, t.RecordDate, t.PaymentDate, t.AmountPerShare, t.Currency, t.Source);
        (d.UpdatedBy, d.UpdatedAt) = (actor, at);
        d.Version++;
        await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "dividend.changed", Subject(d.Id),
            AuditTrail.Serialize(new { dividendId = d.Id, version = d.Version, reason, changes }))], ct);
        http.Response.Headers.ETag = VersionTags.ETagOf(d.Version);
        return TypedResults.Ok(new DividendChangeResponse(DividendResponse.From(d), Unchanged: false, [.. changes.Keys]));
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        DividendPayments payments, MarketClock clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<DividendCancelRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        FieldProblems.Text(errors, "reason", request!.Reason, DividendForm.MaxReason, required: true, what: "say why the dividend is canceled");
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var ct = http.RequestAborted;
        var (dividend, problem) = await FindAsync(id, db, tracked: true, ct);
        if (problem is not null)
        {
            return problem;
        }
        var d = dividend!;
        if (d.Status != DividendStatus.Announced)
        {
            return Problems.Conflict(Invariant($"dividend {d.Id} is {d.Status}: only an announced dividend can be canceled"));
        }
        var today = payments.Today(d);
        if (today >= d.ExDate)
        {
            return Problems.Conflict(Invariant($"dividend {d.Id}'s ex-date {d.ExDate:yyyy-MM-dd} has come (today is {today:yyyy-MM-dd} on the venue's clock): a dividend is canceled before its ex-date"));
        }
        var actor = Caller.From(principal).UserName;
        var at = AuditTrail.Truncate(clock.UtcNow);
        var reason = request.Reason!.Trim();
        (d.Status, d.CancelReason, d.UpdatedBy, d.UpdatedAt) = (DividendStatus.Canceled, reason, actor, at);
        d.Version++;
        await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "dividend.canceled", Subject(d.Id),
            AuditTrail.Serialize(new { dividendId = d.Id, version = d.Version, reason }))], ct);
        return TypedResults.Ok(DividendResponse.From(d));
    }

    private static async Task<IResult> EntitlementsAsync(string id, HttpContext http, TradSysDbContext db, DividendPayments payments)
    {
        var (dividend, problem) = await FindAsync(id, db, tracked: false, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var lines = await payments.EntitlementsAsync(dividend!, http.RequestAborted);
        return TypedResults.Ok(new DividendEntitlementsResponse(DividendResponse.From(dividend!),
            [.. lines.Select(l => new DividendEntitlementResponse(l.AccountId, l.Quantity, Exact.Trim(l.Amount), l.Paid))],
            Exact.Trim(lines.Sum(l => l.Amount))));
    }

    private static async Task<IResult> PayAsync(string id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, DividendPayments payments,
        OrderWriter writer, PortfolioStream portfolios)
    {
        var ct = http.RequestAborted;
        var (dividend, problem) = await FindAsync(id, db, tracked: true, ct);
        if (problem is not null)
        {
            return problem;
        }
        var d = dividend!;
        if (payments.NotPayable(d) is { } why)
        {
            return Problems.Conflict(why);
        }
        var actor = Caller.From(principal).UserName;
        var command = await payments.CommandAsync(d, actor, ct);
        var (result, unavailable) = await writer.TrySendAsync(command, ct);
        if (unavailable is not null)
        {
            return unavailable;
        }
        if (result!.Risk is not DividendPayout payout)
        {
            throw new InvalidOperationException($"the writer answered a dividend payment with {result.Outcome}");
        }
        foreach (var m in payout.Booked)
        {
            portfolios.Touch(m.AccountId); // the account's portfolio followers see the new cash and buying power
        }
        await payments.MarkPaidAsync(d, actor, ct);
        var booked = payout.Booked.ToDictionary(m => m.AccountId);
        return TypedResults.Ok(new DividendPayoutResponse(DividendResponse.From(d),
            [.. command.Payments.Select(p => new DividendPaymentResponse(p.Account.Id, p.Quantity, Exact.Trim(p.Amount),
                booked.TryGetValue(p.Account.Id, out var m) ? "Booked" : "AlreadyBooked", m?.Id))],
            payout.Booked.Count, payout.AlreadyBooked.Count));
    }

    private static async Task<(Dividend? Dividend, IResult? Problem)> FindAsync(string id, TradSysDbContext db, bool tracked, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key) || key <= 0)
        {
            return (null, Problems.Invalid("id", $"'{id}' is not a dividend id"));
        }
        var rows = tracked ? db.Dividends : db.Dividends.AsNoTracking();
        var d = await rows.SingleOrDefaultAsync(x => x.Id == key, ct);
        return d is null ? (null, Problems.NotFound(Invariant($"there is no dividend {key}"))) : (d, null);
    }

    private static string Subject(long id) => Invariant($"dividend/{id}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A dividend to announce (<c>POST /api/v1/dividends</c>).</summary>
/// <param name="Symbol">A listed instrument's symbol.</param>
/// <param name="ExDate">First trading day without the right (yyyy-MM-dd).</param>
/// <param name="RecordDate">The day the register closes (yyyy-MM-dd, on or after the ex-date).</param>
/// <param name="PaymentDate">The day it is paid (yyyy-MM-dd, on or after the record date).</param>
/// <param name="AmountPerShare">Gross amount per share, above 0, at most the currency's decimals.</param>
/// <param name="Currency">ISO 4217: the instrument's, or another with a platform FX rate.</param>
/// <param name="Source">Where the figures come from.</param>
public sealed record DividendRequest(string? Symbol, string? ExDate, string? RecordDate, string? PaymentDate, decimal? AmountPerShare, string? Currency,
    string? Source);

/// <summary>A correction of an announced dividend's terms (<c>PUT /api/v1/dividends/{id}</c>): every term, as when announcing, and why.</summary>
/// <param name="ExDate">First trading day without the right (yyyy-MM-dd), after today.</param>
/// <param name="RecordDate">The day the register closes (yyyy-MM-dd, on or after the ex-date).</param>
/// <param name="PaymentDate">The day it is paid (yyyy-MM-dd, on or after the record date).</param>
/// <param name="AmountPerShare">Gross amount per share, above 0, at most the currency's decimals.</param>
/// <param name="Currency">ISO 4217: the instrument's, or another with a platform FX rate.</param>
/// <param name="Source">Where the corrected figures come from.</param>
/// <param name="Reason">Why the dividend is corrected (audited).</param>
public sealed record DividendChangeRequest(string? ExDate, string? RecordDate, string? PaymentDate, decimal? AmountPerShare, string? Currency,
    string? Source, string? Reason);

/// <summary>A correction's answer: the dividend after it, whether the terms sent were those in force already, and which terms changed.</summary>
public sealed record DividendChangeResponse(DividendResponse Dividend, bool Unchanged, IReadOnlyList<string> Changed);

/// <summary>Why a dividend is canceled (<c>POST /api/v1/dividends/{id}/cancel</c>).</summary>
public sealed record DividendCancelRequest(string? Reason);

/// <summary>A dividend with its status, version and who changed it when.</summary>
public sealed record DividendResponse(long Id, string Symbol, DateOnly ExDate, DateOnly RecordDate, DateOnly PaymentDate, decimal AmountPerShare,
    string Currency, string Source, string Status, string? CancelReason, int Version, string CreatedBy, DateTime CreatedAt, string UpdatedBy,
    DateTime UpdatedAt, DateTime? PaidAt, string? PaidBy)
{
    internal static DividendResponse From(Dividend d) => new(d.Id, d.Symbol, d.ExDate, d.RecordDate, d.PaymentDate, Exact.Trim(d.AmountPerShare),
        d.Currency, d.Source, d.Status.ToString(), d.CancelReason, d.Version, d.CreatedBy, d.CreatedAt, d.UpdatedBy, d.UpdatedAt, d.PaidAt, d.PaidBy);
}

/// <summary>An account's entitlement: signed shares held at the end of the day before the ex-date, the signed gross amount, whether it is paid.</summary>
public sealed record DividendEntitlementResponse(long AccountId, long Quantity, decimal GrossAmount, bool Paid);

/// <summary>A dividend's entitlements and their total.</summary>
public sealed record DividendEntitlementsResponse(DividendResponse Dividend, IReadOnlyList<DividendEntitlementResponse> Entitlements, decimal TotalGross);

/// <summary>One account's payment: Booked now (with its cash movement) or AlreadyBooked by an earlier payment.</summary>
public sealed record DividendPaymentResponse(long AccountId, long Quantity, decimal Amount, string Outcome, long? MovementId);

/// <summary>What a payment did: the dividend after it, each account, how many were booked now and how many had been before.</summary>
public sealed record DividendPayoutResponse(DividendResponse Dividend, IReadOnlyList<DividendPaymentResponse> Payments, int Booked, int AlreadyBooked);
