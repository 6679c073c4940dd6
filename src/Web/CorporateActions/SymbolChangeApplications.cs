using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Apis;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.Streaming;

namespace TradSys.Web.CorporateActions;

/// <summary>
/// Symbol changes' application, shared by the API (<c>POST /api/v1/symbol-changes/{id}/apply</c>) and the job
/// (<see cref="SymbolChangeApplyJob"/>), built like <see cref="SplitApplications"/>: when a change can be applied (an announced one, on or
/// after its effective date on its venue's clock) and the writer's command that applies it (<see cref="ApplySymbolChangeCommand"/>; what
/// it does: <c>Ordering.SymbolChangeCommands</c> and docs/back-office.md).
/// </summary>
public sealed class SymbolChangeApplications(TradSysDbContext db, ReferenceDataCache referenceData, MarketClock clock, OrderWriter writer,
    PortfolioStream portfolios)
{
    /// <summary>The venue-local date now on the venue of the change's listing.</summary>
    public DateOnly Today(SymbolChange s) => referenceData.VenueDate(s.Symbol, clock.UtcNow);

    /// <summary>Why the change cannot be applied now (canceled, or before its effective date), or null when it can (or was applied: unchanged).</summary>
    public string? NotApplicable(SymbolChange s)
    {
        if (s.Status == SplitStatus.Canceled)
        {
            return Invariant($"symbol change {s.Id} was canceled ({s.CancelReason}): it is never applied");
        }
        if (s.Status == SplitStatus.Applied)
        {
            return null;
        }
        var today = Today(s);
        return today < s.EffectiveDate
            ? Invariant($"symbol change {s.Id} is applied on its effective date, {s.EffectiveDate:yyyy-MM-dd}; today is {today:yyyy-MM-dd} on the venue's clock")
            : null;
    }

    /// <summary>The writer's command applying <paramref name="s"/>, with each account's position in the old symbol and its average cost now.</summary>
    public async Task<ApplySymbolChangeCommand> CommandAsync(SymbolChange s, string actor, CancellationToken ct)
    {
        var listing = referenceData.Get(s.Symbol);
        var row = InstrumentForm.Clone(listing.Row);
        row.Symbol = s.NewSymbol;
        row.Isin = s.NewIsin ?? listing.Row.Isin;
        row.Name = s.NewName ?? listing.Row.Name;
        var ledger = await Holdings.LedgerAsync(db, null, null, listing.Row.Symbol, ct);
        var positions = new List<SymbolChangePosition>();
        foreach (var group in ledger.Where(t => t.AccountId != TradeRecord.VenueSide).GroupBy(t => t.AccountId).OrderBy(g => g.Key))
        {
            var priced = PositionPricing.Price(group.Key, listing.Row.Symbol, listing.Row.Currency, [.. group], listing.Row.ReferencePrice, "Reference",
                listing.Row.PriceMultiplier);
            if (priced.Quantity != 0)
            {
                positions.Add(new SymbolChangePosition(group.Key, priced.Quantity, priced.AverageCost ?? 0m));
            }
        }
        var renamed = Invariant($"symbol change of {s.Symbol} to {s.NewSymbol}, effective {s.EffectiveDate:yyyy-MM-dd} (symbol change {s.Id})");
        var cancelReason = Invariant($"canceled: corporate action: {s.Symbol} trades as {s.NewSymbol} from {s.EffectiveDate:yyyy-MM-dd} (symbol change {s.Id}); enter the order again on {s.NewSymbol}");
        return new ApplySymbolChangeCommand(actor, s.Id, listing.Row.Symbol, row, s.EffectiveDate, renamed, cancelReason, positions);
    }

    /// <summary>
    /// Applies the change through the writer: the application (unchanged when it was applied before; a refusal when the listing is
    /// trading). Each moved account's portfolio followers are told.
    /// </summary>
    public async Task<SymbolChangeApplication> ApplyAsync(SymbolChange s, string actor, CancellationToken ct)
    {
        var command = await CommandAsync(s, actor, ct);
        var result = await writer.SendAsync(command, ct);
        if (result.Risk is not SymbolChangeApplication application)
        {
            throw new InvalidOperationException($"the writer answered symbol change {s.Id}'s application with {result.Outcome}");
        }
        Touch(application);
        return application;
    }

    /// <summary>Tells each moved account's portfolio followers.</summary>
    public void Touch(SymbolChangeApplication application)
    {
        foreach (var account in application.Positions.Select(p => p.AccountId).Distinct())
        {
            portfolios.Touch(account);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Applies the symbol changes that are due (Hangfire recurring job <see cref="Id"/>, every <see cref="IntervalMinutes"/> minutes by
/// default, <c>CorporateActions:SymbolChangeJobMinutes</c>; 0 switches it off), as <see cref="SplitApplyJob"/> applies splits: every
/// announced change whose effective date has come on its venue's clock is applied by "system"; while the writer refuses (the market is
/// open) it logs a warning and tries again next run. On a standby node it does nothing.
/// </summary>
public sealed class SymbolChangeApplyJob(TradSysDbContext db, SymbolChangeApplications changes, OrderWriter writer, MarketClock clock,
    ILogger<SymbolChangeApplyJob> log)
{
    /// <summary>The recurring job's id.</summary>
    public const string Id = "symbol-changes:apply";

    /// <summary>How often the job looks for due changes, by default.</summary>
    public const int IntervalMinutes = 15;

    [Hangfire.AutomaticRetry(Attempts = 3)]
    [Hangfire.DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(CancellationToken cancellationToken) => await RunOnceAsync(cancellationToken);

    /// <summary>Applies every due announced change it can; returns the ids applied now.</summary>
    public async Task<IReadOnlyList<long>> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!writer.Leads)
        {
            return [];
        }
        var applied = new List<long>();
        var horizon = DateOnly.FromDateTime(clock.UtcNow.AddDays(2));
        var due = await db.SymbolChanges.AsNoTracking().Where(s => s.Status == SplitStatus.Announced && s.EffectiveDate <= horizon).OrderBy(s => s.Id)
            .ToListAsync(cancellationToken);
        foreach (var s in due.Where(s => changes.NotApplicable(s) is null))
        {
            var application = await changes.ApplyAsync(s, "system", cancellationToken);
            if (application.Refusal is { } why)
            {
                log.LogWarning("Symbol change {Id} of {Symbol} to {NewSymbol} is due and was not applied: {Why}", s.Id, s.Symbol, s.NewSymbol, why);
                continue;
            }
            log.LogInformation("Symbol change {Id} of {Symbol} to {NewSymbol} applied: {Positions} position(s) moved, {Orders} open order(s) canceled",
                s.Id, s.Symbol, s.NewSymbol, application.Positions.Count, application.CanceledOrders.Count);
            foreach (var pack in application.PackWarnings)
            {
                log.LogWarning("Symbol change {Id}: rule pack {Pack} {Version} in force still names {Symbol} ({Places}); compliance publishes a version without it",
                    s.Id, pack.PackId, pack.Version, s.Symbol, string.Join("; ", pack.Places));
            }
            applied.Add(s.Id);
        }
        return applied;
    }
}
