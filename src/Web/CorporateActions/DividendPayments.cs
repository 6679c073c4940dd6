using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.CorporateActions;

/// <summary>
/// Cash dividends' entitlements and payment, shared by the API (<c>POST /api/v1/dividends/{id}/pay</c>) and the daily job
/// (<see cref="DividendPaymentJob"/>).
/// <list type="bullet">
/// <item>Entitlement: the account's net position at the end of the trading day before the ex-date (the trades executed before
/// midnight at the start of the ex-date, in the time zone of the venue the dividend was announced on), summed over every line of
/// the same ISIN (an internal-venue line is the same security). Positions come from the platform's trades
/// (<see cref="Holdings"/>); there are no opening positions.</item>
/// <item>Short positions owe the dividend: the usual market convention is that the short seller pays the lender a manufactured
/// dividend equal to the one the lender would have received, so a negative position gets a negative movement of quantity x
/// amount (booked whatever the buying power: it is owed).</item>
/// <item>Payment: on or after the payment date (venue-local), each entitled account receives quantity x amount per share in the
/// dividend's currency through the single writer, like a deposit (effective for the very next order), as a cash movement of kind
/// Dividend with reference <c>dividend:{id}</c>; the reference is unique per account, so paying again pays nobody twice.</item>
/// </list>
/// </summary>
public sealed class DividendPayments(TradSysDbContext db, ReferenceDataCache referenceData, MarketClock clock)
{
    /// <summary>An account's entitlement: the signed quantity held and the signed gross amount, and whether it is booked already.</summary>
    public sealed record Entitlement(long AccountId, long Quantity, decimal Amount, bool Paid);

    /// <summary>The venue-local date now on the venue of the dividend's listing.</summary>
    public DateOnly Today(Dividend d) => referenceData.VenueDate(d.Symbol, clock.UtcNow);

    /// <summary>Why the dividend cannot be paid now (canceled, or before its payment date), or null when it can.</summary>
    public string? NotPayable(Dividend d)
    {
        if (d.Status == DividendStatus.Canceled)
        {
            return Invariant($"dividend {d.Id} was canceled ({d.CancelReason}): it is never paid");
        }
        var today = Today(d);
        return today < d.PaymentDate
            ? Invariant($"dividend {d.Id} is paid on its payment date, {d.PaymentDate:yyyy-MM-dd}; today is {today:yyyy-MM-dd} on the venue's clock")
            : null;
    }

    /// <summary>Every account's entitlement to <paramref name="d"/> (non-zero positions only), by account id.</summary>
    public async Task<IReadOnlyList<Entitlement>> EntitlementsAsync(Dividend d, CancellationToken ct)
    {
        var listing = referenceData.Get(d.Symbol);
        var zone = referenceData.Venue(listing.VenueRow.Code).TimeZone;
        var exStart = TimeZoneInfo.ConvertTimeToUtc(d.ExDate.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);
        var isin = listing.Row.Isin;
        var lines = await db.Instruments.AsNoTracking().Where(i => i.Isin == isin).Select(i => i.Symbol).ToListAsync(ct);
        var holdings = await Holdings.InAsync(db, exStart, lines, ct);
        var reference = Dividend.PaymentReference(d.Id);
        var paid = (await db.CashMovements.AsNoTracking().Where(m => m.Reference == reference).Select(m => m.AccountId).ToListAsync(ct)).ToHashSet();
        return
        [
            .. holdings.Where(h => h.AccountId != TradeRecord.VenueSide).GroupBy(h => h.AccountId)
                .Select(g => (Account: g.Key, Quantity: g.Sum(h => h.Quantity))).Where(e => e.Quantity != 0).OrderBy(e => e.Account)
                .Select(e => new Entitlement(e.Account, e.Quantity, Amount(e.Quantity, d), paid.Contains(e.Account))),
        ];
    }

    /// <summary>
    /// A holder's dividend: shares x amount per share, rounded half to even to the currency's minor unit (an amount per share scaled by
    /// a split may have more decimals than the currency).
    /// </summary>
    internal static decimal Amount(long shares, Dividend d) =>
        Math.Round(shares * d.AmountPerShare, Apis.DividendForm.CurrencyDecimals(d.Currency), MidpointRounding.ToEven);

    /// <summary>The writer's command paying every entitlement of <paramref name="d"/> (already paid accounts are skipped by the writer).</summary>
    public async Task<PayDividendCommand> CommandAsync(Dividend d, string actor, CancellationToken ct)
    {
        var entitlements = await EntitlementsAsync(d, ct);
        var ids = entitlements.Select(e => e.AccountId).ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var reason = Invariant($"cash dividend of {d.Symbol}, ex-date {d.ExDate:yyyy-MM-dd}, {d.AmountPerShare} {d.Currency} per share");
        return new PayDividendCommand(actor, d.Id, d.Currency, reason, d.Status != DividendStatus.Paid,
            [.. entitlements.Select(e => new DividendPayment(accounts[e.AccountId], e.Quantity, e.Amount))]);
    }

    /// <summary>Marks the tracked <paramref name="d"/> paid (once; the payout itself was audited by the writer with the movements).</summary>
    public async Task MarkPaidAsync(Dividend d, string actor, CancellationToken ct)
    {
        if (d.Status == DividendStatus.Paid)
        {
            return;
        }
        var at = Auditing.AuditTrail.Truncate(clock.UtcNow);
        (d.Status, d.PaidAt, d.PaidBy, d.UpdatedAt, d.UpdatedBy) = (DividendStatus.Paid, at, actor, at, actor);
        d.Version++;
        await db.SaveChangesAsync(ct);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
