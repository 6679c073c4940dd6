using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.Streaming;

namespace TradSys.Web.CorporateActions;

/// <summary>
/// Stock splits' application, shared by the API (<c>POST /api/v1/splits/{id}/apply</c>) and the job (<see cref="SplitApplyJob"/>): when a
/// split can be applied (an announced one, on or after its effective date on its venue's clock) and the writer's command that applies it
/// (<see cref="ApplySplitCommand"/>; what it does: <c>Ordering.SplitCommands</c> and docs/back-office.md).
/// </summary>
public sealed class SplitApplications(TradSysDbContext db, ReferenceDataCache referenceData, MarketClock clock, OrderWriter writer,
    PortfolioStream portfolios)
{
    /// <summary>The venue-local date now on the venue of the split's listing.</summary>
    public DateOnly Today(StockSplit s) => referenceData.VenueDate(s.Symbol, clock.UtcNow);

    /// <summary>Why the split cannot be applied now (canceled, or before its effective date), or null when it can (or was applied: unchanged).</summary>
    public string? NotApplicable(StockSplit s)
    {
        if (s.Status == SplitStatus.Canceled)
        {
            return Invariant($"split {s.Id} was canceled ({s.CancelReason}): it is never applied");
        }
        if (s.Status == SplitStatus.Applied)
        {
            return null;
        }
        var today = Today(s);
        return today < s.EffectiveDate
            ? Invariant($"split {s.Id} is applied on its effective date, {s.EffectiveDate:yyyy-MM-dd}; today is {today:yyyy-MM-dd} on the venue's clock")
            : null;
    }

    /// <summary>The writer's command applying <paramref name="s"/>, with the accounts holding any line of its security now.</summary>
    public async Task<ApplySplitCommand> CommandAsync(StockSplit s, string actor, CancellationToken ct)
    {
        var listing = referenceData.Get(s.Symbol);
        var isin = listing.Row.Isin;
        var lines = await db.Instruments.AsNoTracking().Where(i => i.Isin == isin).Select(i => i.Symbol).ToListAsync(ct);
        var holders = (await Holdings.AsOfAsync(db, null, null, ct)).Where(h => lines.Contains(h.Symbol) && h.AccountId != TradeRecord.VenueSide)
            .Select(h => h.AccountId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => holders.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var ratio = Invariant($"{s.NewShares}-for-{s.OldShares}");
        var kind = s.NewShares > s.OldShares ? "split" : "reverse split";
        var reason = Invariant($"{kind} {ratio} of {s.Symbol} ({isin}), effective {s.EffectiveDate:yyyy-MM-dd} (split {s.Id})");
        var cancelReason = Invariant($"canceled: corporate action: {kind} {ratio} of {s.Symbol} effective {s.EffectiveDate:yyyy-MM-dd} (split {s.Id}); prices and quantities were in the old shares: enter the order again in the new ones");
        return new ApplySplitCommand(actor, s.Id, listing.Row.Symbol, isin, s.NewShares, s.OldShares, s.EffectiveDate, reason, cancelReason, accounts);
    }

    /// <summary>
    /// Applies the split through the writer: the application (unchanged when it was applied before; a refusal when a line is trading),
    /// or the writer's unavailability (a problem to answer). Each adjusted account's portfolio followers are told.
    /// </summary>
    public async Task<SplitApplication> ApplyAsync(StockSplit s, string actor, CancellationToken ct)
    {
        var command = await CommandAsync(s, actor, ct);
        var result = await writer.SendAsync(command, ct);
        if (result.Risk is not SplitApplication application)
        {
            throw new InvalidOperationException($"the writer answered split {s.Id}'s application with {result.Outcome}");
        }
        foreach (var account in application.Adjustments.Select(a => a.AccountId).Distinct())
        {
            portfolios.Touch(account);
        }
        return application;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Applies the splits that are due (Hangfire recurring job <see cref="Id"/>, every <see cref="IntervalMinutes"/> minutes by default,
/// <c>CorporateActions:SplitJobMinutes</c>; 0 switches it off): every announced split whose effective date has come on its venue's clock
/// is applied as <c>POST /api/v1/splits/{id}/apply</c> applies it, by "system". The writer refuses while a line is in an open phase or has
/// traded today, so the job applies it in the hours before the open of the effective date (it logs a warning while refused and tries again
/// next run). On a standby node (the writer does not lead) it does nothing.
/// </summary>
public sealed class SplitApplyJob(TradSysDbContext db, SplitApplications splits, OrderWriter writer, MarketClock clock, ILogger<SplitApplyJob> log)
{
    /// <summary>The recurring job's id.</summary>
    public const string Id = "splits:apply";

    /// <summary>How often the job looks for due splits, by default.</summary>
    public const int IntervalMinutes = 15;

    [Hangfire.AutomaticRetry(Attempts = 3)]
    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken);

    /// <summary>Applies every due announced split it can; returns the ids applied now.</summary>
    public async Task<IReadOnlyList<long>> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!writer.Leads)
        {
            return [];
        }
        var applied = new List<long>();
        var horizon = DateOnly.FromDateTime(clock.UtcNow.AddDays(2));
        var due = await db.StockSplits.AsNoTracking().Where(s => s.Status == SplitStatus.Announced && s.EffectiveDate <= horizon).OrderBy(s => s.Id)
            .ToListAsync(cancellationToken);
        foreach (var s in due.Where(s => splits.NotApplicable(s) is null))
        {
            var application = await splits.ApplyAsync(s, "system", cancellationToken);
            if (application.Refusal is { } why)
            {
                log.LogWarning("Split {Id} of {Symbol} is due and was not applied: {Why}", s.Id, s.Symbol, why);
                continue;
            }
            log.LogInformation("Split {Id} of {Symbol} applied: {Positions} position(s) adjusted, {Orders} open order(s) canceled", s.Id, s.Symbol,
                application.Adjustments.Count, application.CanceledOrders.Count);
            applied.Add(s.Id);
        }
        return applied;
    }
}
