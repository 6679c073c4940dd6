using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using static TradSys.Web.Http.FieldProblems;

using TradSys.Web.Streaming;

namespace TradSys.Web.Apis;

/// <summary>
/// Accounts' cash and buying power under /api/v1/accounts/{accountId}/cash: the balance in each currency (available on the trade date,
/// settled on the venue's settlement date), what open buys reserve, the credit line and the buying power the pre-trade risk stage
/// checks; deposits and withdrawals booked by operations or admins, through the single writer (effective for the very next order,
/// audited with their reason and payment reference). A trader reads their own accounts; the other roles read every account.
/// </summary>
public static class CashApi
{
    private const int MaxReason = 512;
    private const int MaxReference = 64;

    /// <summary>What makes sending a deposit or withdrawal again safe after a forwarded one's outcome was lost.</summary>
    private const string BookingResend = "a payment's reference is booked once per account: a deposit or withdrawal already booked and " +
        "sent again with the same reference is refused (409, 'already booked'), never booked twice (GET .../cash/movements lists it)";

    public static IEndpointRouteBuilder MapCashApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/accounts/{accountId}").WithTags("Cash");
        api.MapGet("/cash", GetAsync).ForwardedToTheWriter(CommandForwarding.ReadResend).RequireAuthorization(Policies.Read).Produces<CashResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetAccountCash").WithSummary("An account's cash and buying power").WithDescription(
                "Per currency: available (every trade counted on its trade date) and settled (trades counted on their settlement date: T+2 on " +
                "EGX and ADX, at once on the internal venue), with the trade legs still to settle. Then, in the account's base currency: what its " +
                "working and held buys reserve (leaves quantity at the limit price; a market or stop buy at the top of the day's price band), " +
                "its credit line, and its buying power = available cash (at the platform's FX rates) + credit line - reserved. A trader sees only " +
                "their own accounts.");
        api.MapGet("/cash/movements", MovementsAsync).RequireAuthorization(Policies.Read).Produces<IReadOnlyList<CashMovementResponse>>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListCashMovements").WithSummary("An account's deposits and withdrawals, newest first (up to 500)");
        api.MapPost("/cash/deposits", DepositAsync).ForwardedToTheWriter(BookingResend)
            .RequireAuthorization(Policies.ManageCash).Accepts<CashMovementRequest>("application/json").Produces<CashBookedResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("DepositCash").WithSummary("Book a deposit on an account").WithDescription(
                "Body {\"currency\": ISO 4217 code with a platform FX rate, \"amount\": positive, \"reference\": the payment's reference, unique per " +
                "account (a payment is booked once: 409 otherwise), \"reason\": required}. Effective for the very next order.");
        api.MapPost("/cash/withdrawals", WithdrawAsync).ForwardedToTheWriter(BookingResend)
            .RequireAuthorization(Policies.ManageCash).Accepts<CashMovementRequest>("application/json").Produces<CashBookedResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("WithdrawCash").WithSummary("Book a withdrawal from an account").WithDescription(
                "Body as for a deposit. Refused (409, nothing booked) when the amount is more than the settled cash in that currency (sale " +
                "proceeds can be withdrawn once they settle) or more than the cash left after what the account's open buys reserve.");
        return app;
    }

    private static async Task<IResult> GetAsync(string accountId, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer)
    {
        var (account, problem) = await ReadableAccount.FindAsync(accountId, user, db, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var (result, unavailable) = await writer.TrySendAsync(new CashQuery(Caller.From(user).UserName, account!), http.RequestAborted);
        return unavailable ?? TypedResults.Ok(CashResponse.From((CashStatement)result!.Risk!));
    }

    private static async Task<IResult> MovementsAsync(string accountId, HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var (account, problem) = await ReadableAccount.FindAsync(accountId, user, db, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var rows = await db.CashMovements.AsNoTracking().Where(m => m.AccountId == account!.Id).OrderByDescending(m => m.Id).Take(500)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(rows.Select(CashMovementResponse.From).ToList());
    }

    private static Task<IResult> DepositAsync(string accountId, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer,
        ReferenceDataCache referenceData, PortfolioStream portfolios) => BookAsync(accountId, deposit: true, http, user, db, writer, referenceData, portfolios);

    private static Task<IResult> WithdrawAsync(string accountId, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer,
        ReferenceDataCache referenceData, PortfolioStream portfolios) => BookAsync(accountId, deposit: false, http, user, db, writer, referenceData, portfolios);

    private static async Task<IResult> BookAsync(string accountId, bool deposit, HttpContext http, ClaimsPrincipal user, TradSysDbContext db,
        OrderWriter writer, ReferenceDataCache referenceData, PortfolioStream portfolios)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<CashMovementRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var r = request!;
        var currency = r.Currency?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(currency))
        {
            Add(errors, "currency", "is required (an ISO 4217 code, e.g. EGP)");
        }
        else if (!referenceData.Fx.Has(currency))
        {
            Add(errors, "currency", $"'{r.Currency}' has no platform FX rate, so it could not count in buying power " +
                                    $"(known: {referenceData.Fx.Known})");
        }
        if (r.Amount is not { } amount)
        {
            Add(errors, "amount", "is required (a positive amount)");
        }
        else if (amount <= 0)
        {
            Add(errors, "amount", $"must be positive (a {(deposit ? "deposit" : "withdrawal")} of {amount} was asked)");
        }
        else if (decimal.Round(amount, 2) != amount)
        {
            Add(errors, "amount", $"has more than 2 decimal places ({amount})");
        }
        else if (amount > 1_000_000_000_000m)
        {
            Add(errors, "amount", "must be at most 1,000,000,000,000");
        }
        var reference = r.Reference?.Trim();
        if (string.IsNullOrEmpty(reference))
        {
            Add(errors, "reference", "is required (the payment's reference, e.g. the bank transfer id)");
        }
        else if (reference.Length > MaxReference)
        {
            Add(errors, "reference", $"must be at most {MaxReference} characters");
        }
        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            Add(errors, "reason", "is required: say why the money moves");
        }
        else if (r.Reason.Trim().Length > MaxReason)
        {
            Add(errors, "reason", $"must be at most {MaxReason} characters");
        }
        if (!long.TryParse(accountId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            Add(errors, "accountId", $"'{accountId}' is not an account id");
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, http.RequestAborted);
        if (account is null)
        {
            return Problems.NotFound($"there is no account {id}");
        }
        var signed = deposit ? r.Amount!.Value : -r.Amount!.Value;
        var (result, unavailable) = await writer.TrySendAsync(new BookCashCommand(Caller.From(user).UserName, account, currency!, signed, reference!, r.Reason!.Trim()),
            http.RequestAborted);
        if (unavailable is not null)
        {
            return unavailable;
        }
        if (result!.Risk is CashBooking)
        {
            portfolios.Touch(id); // the account's portfolio followers see the new cash and buying power
        }
        return result.Risk switch
        {
            CashRefusal refusal => Problems.Conflict(refusal.Message),
            CashBooking booking => TypedResults.Created($"/api/v1/accounts/{id}/cash/movements",
                new CashBookedResponse(CashMovementResponse.From(booking.Movement), CashResponse.From(booking.Statement))),
            _ => throw new InvalidOperationException($"the writer answered a cash booking with {result.Outcome}"),
        };
    }
}

/// <summary>A deposit or withdrawal to book: the currency, a positive amount, the payment's reference and why.</summary>
public sealed record CashMovementRequest(string? Currency, decimal? Amount, string? Reference, string? Reason);

/// <summary>A booked deposit (positive amount) or withdrawal (negative).</summary>
public sealed record CashMovementResponse(long Id, long AccountId, string Kind, string Currency, decimal Amount, string Reference, string Reason,
    string EnteredBy, DateTime EnteredAt)
{
    internal static CashMovementResponse From(CashMovement m) =>
        new(m.Id, m.AccountId, m.Kind.ToString(), m.Currency, Exact.Trim(m.Amount), m.Reference, m.Reason, m.EnteredBy, m.EnteredAt);
}

/// <summary>A trade's cash leg still to settle: when (venue-local date), on which venue, how much (negative: to pay).</summary>
public sealed record UnsettledCashResponse(DateOnly SettlesOn, string Venue, decimal Amount);

/// <summary>One currency of an account's cash.</summary>
public sealed record CurrencyCashResponse(string Currency, decimal Available, decimal Settled, IReadOnlyList<UnsettledCashResponse> Unsettled);

/// <summary>
/// An account's cash and buying power: each currency, and in the base currency the cash available (every currency at the platform's FX
/// rates), what open buys reserve (each buy in its instrument's currency, converted at the rates in force now), the credit line and the
/// buying power (cash, reserved and buying power null, with <see cref="Problem"/>, when a currency held or reserved has no FX rate into
/// the base currency).
/// </summary>
public sealed record CashResponse(long AccountId, string BaseCurrency, IReadOnlyList<CurrencyCashResponse> Currencies, decimal? Cash, decimal? Reserved,
    int ReservingOrders, decimal CreditLine, decimal? BuyingPower, string? Problem)
{
    internal static CashResponse From(CashStatement s) => new(s.AccountId, s.BaseCurrency,
        [.. s.Currencies.Select(c => new CurrencyCashResponse(c.Currency, Exact.Trim(c.Available), Exact.Trim(c.Settled),
            [.. c.Unsettled.Select(p => new UnsettledCashResponse(p.SettlesOn, p.Venue, Exact.Trim(p.Amount)))]))],
        s.Cash is { } cash ? Exact.Trim(decimal.Round(cash, 2)) : null, s.Reserved is { } reserved ? Exact.Trim(decimal.Round(reserved, 2)) : null, s.ReservingOrders, Exact.Trim(s.CreditLine),
        s.BuyingPower is { } bp ? Exact.Trim(decimal.Round(bp, 2)) : null, s.Problem);
}

/// <summary>The movement just booked and the account's cash after it.</summary>
public sealed record CashBookedResponse(CashMovementResponse Movement, CashResponse Cash);
