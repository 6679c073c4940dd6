using Hangfire;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Streaming;

namespace TradSys.Web.CorporateActions;

/// <summary>
/// Pays the dividends that are due (Hangfire recurring job <see cref="Id"/>, every <see cref="IntervalMinutes"/> minutes by default,
/// <c>CorporateActions:DividendJobMinutes</c>; 0 switches it off): every announced dividend whose payment date has come on its venue's
/// clock is paid as <c>POST /api/v1/dividends/{id}/pay</c> pays it, by "system". Idempotent: an account already paid is skipped by the
/// writer and a paid dividend is not looked at again. On a standby node (the writer does not lead) it does nothing; the leader's run pays.
/// </summary>
public sealed class DividendPaymentJob(TradSysDbContext db, DividendPayments payments, OrderWriter writer, PortfolioStream portfolios,
    MarketClock clock, ILogger<DividendPaymentJob> log)
{
    /// <summary>The recurring job's id.</summary>
    public const string Id = "dividends:pay";

    /// <summary>How often the job looks for due dividends, by default.</summary>
    public const int IntervalMinutes = 15;

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken);

    /// <summary>Pays every due announced dividend; returns the ids paid.</summary>
    public async Task<IReadOnlyList<long>> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!writer.Leads)
        {
            return [];
        }
        var paid = new List<long>();
        // Candidates by the latest possible date anywhere; each is then checked on its own venue's clock.
        var horizon = DateOnly.FromDateTime(clock.UtcNow.AddDays(2));
        var due = await db.Dividends.Where(d => d.Status == DividendStatus.Announced && d.PaymentDate <= horizon).OrderBy(d => d.Id)
            .ToListAsync(cancellationToken);
        foreach (var d in due.Where(d => payments.NotPayable(d) is null))
        {
            var command = await payments.CommandAsync(d, "system", cancellationToken);
            var result = await writer.SendAsync(command, cancellationToken);
            if (result.Risk is not Ordering.Risk.DividendPayout payout)
            {
                throw new InvalidOperationException($"the writer answered dividend {d.Id}'s payment with {result.Outcome}");
            }
            foreach (var account in payout.Booked.Select(m => m.AccountId))
            {
                portfolios.Touch(account);
            }
            await payments.MarkPaidAsync(d, "system", cancellationToken);
            log.LogInformation("Dividend {Id} of {Symbol} paid: {Booked} account(s) booked, {Before} already paid", d.Id, d.Symbol,
                payout.Booked.Count, payout.AlreadyBooked.Count);
            paid.Add(d.Id);
        }
        return paid;
    }
}
