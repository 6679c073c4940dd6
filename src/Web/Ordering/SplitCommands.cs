using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Ordering;

/// <summary>What applying a split did (<see cref="SequencerResult.Risk"/> of <see cref="SequencerOutcome.SplitApplied"/>).</summary>
/// <param name="Unchanged">True when the split had been applied before: nothing was done now.</param>
/// <param name="Refusal">Why it was not applied (nothing changed), or null.</param>
/// <param name="Adjustments">Each account's position in each line, before and after, and its cash in lieu.</param>
/// <param name="ReferencePrices">Each line's reference price before and after.</param>
/// <param name="CanceledOrders">The open orders canceled, by id.</param>
/// <param name="DailyCloses">Each line's stored daily closes before the effective date scaled by old/new (filled when the batch is staged,
/// before its commit and so before the answer).</param>
public sealed record SplitApplication(bool Unchanged, string? Refusal, IReadOnlyList<PositionAdjustment> Adjustments,
    IReadOnlyList<SplitPriceChange> ReferencePrices, IReadOnlyList<long> CanceledOrders, IReadOnlyList<SplitClosesAdjusted> DailyCloses);

/// <summary>A line's stored daily closes (<see cref="ReferencePriceDay"/>) before a split's effective date, scaled by old/new: how many, and
/// the first and last day (null when it had none).</summary>
public sealed record SplitClosesAdjusted(string Symbol, int Count, DateOnly? From, DateOnly? To);

/// <summary>A line's reference price (and issued shares) before and after a split.</summary>
public sealed record SplitPriceChange(string Symbol, decimal Before, decimal After, long IssuedSharesBefore, long IssuedSharesAfter);

/// <summary>
/// Applying a stock split on the single writer's thread, so that positions, prices and orders change in sequence with the orders and
/// in ONE transaction with the journal (issue 14, part 3; the policy is in docs/back-office.md):
/// <list type="bullet">
/// <item>refused (nothing changed) while the listing it was announced on is in an open phase (pre-open, continuous, an auction, trade at
/// close) or any line of the security has traded today (the day's prices would be in old shares): a split is applied between sessions,
/// on the morning of its effective date. A line on a venue that never closes (the internal crossing venue) is split while it trades:
/// the writer is single-threaded, so its orders are canceled and its price band recentred on the new reference price before any
/// later order is matched;</item>
/// <item>every line's open orders, working and held for review, are canceled with the split as their reason (their reservations released
/// by the cancel, a held order's workflow closed), never re-priced: a limit price and a quantity chosen for the old shares mean something
/// else for the new ones;</item>
/// <item>every account's position in every line of the ISIN is multiplied by new/old, rounded toward zero; the fraction is paid in
/// cash (cash in lieu, kind CashInLieu, reference <c>split:{id}</c>) at the new reference price, and the average cost is multiplied by
/// old/new so that the cost basis of the shares kept is unchanged (<see cref="PositionAdjustment"/> rows, read by <see cref="Holdings"/>);</item>
/// <item>every line's reference price and last closing price are multiplied by old/new (rounded to the line's price decimals), which
/// moves the daily price limits derived from them; the issued shares are multiplied by new/old;</item>
/// <item>every line's stored daily closes before the effective date (the one store of closes: the VaR's price history, reports of a past
/// day) are multiplied by old/new the same way, so a history spanning the split is one series in new shares, not a split-sized move;</item>
/// <item>every line's announced dividends going ex on or after the effective date have their amount per share multiplied by old/new
/// (rounded to 8 decimals, half to even; version raised): they are paid on the new shares, and each holder's entitlement is rounded to the
/// currency's minor unit when paid (<see cref="CorporateActions.DividendPayments"/>);</item>
/// <item>the split row is marked Applied (version raised, who and when) and one <c>split.applied</c> audit record lists all of it.</item>
/// </list>
/// Applying it again does nothing (the writer remembers applied splits, loaded at every rebuild from the split rows).
/// </summary>
internal sealed class SplitCommands(OrderBooks books, ReferenceDataCache referenceData, TradingPhases phases, Stages.WorkflowStep workflow)
{
    private readonly HashSet<long> _applied = [];
    private readonly List<PositionAdjustment> _staged = [];
    private readonly List<Marked> _marked = [];

    /// <summary>A split applied in this batch: what its staging writes (the closes, the split row) and its audit record's details so far.</summary>
    private sealed record Marked(ApplySplitCommand Command, IReadOnlyList<TradableInstrument> Lines, Dictionary<string, object> Details,
        List<SplitClosesAdjusted> Closes);
    private readonly List<(TradableInstrument Previous, decimal Reference, decimal? Closing, long Issued)> _undo = [];

    /// <summary>Reads the applied splits (at start and at every rebuild of the books).</summary>
    public async Task LoadAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        var applied = await db.StockSplits.AsNoTracking().Where(s => s.Status == SplitStatus.Applied).Select(s => s.Id).ToListAsync(cancellationToken);
        _applied.Clear();
        _applied.UnionWith(applied);
    }

    /// <summary>
    /// A line on a venue whose trading day is one continuous phase from 00:00 to 24:00 (the internal crossing venue): on its
    /// trading days its phase is never Closed and it may have traded since midnight, so neither check of <see cref="Apply"/> could
    /// ever pass for it on its effective date.
    /// </summary>
    internal static bool TradesAroundTheClock(TradableInstrument line) =>
        line.Spec.Venue.Schedule.Phases is [{ Phase: MarketPhase.Continuous } only] && only.Start == TimeOnly.MinValue &&
        (only.EndsAtEndOfDay || only.End >= LastSecondOfDay);

    /// <summary>A session stored as ending at 23:59:59.999999 (the demo data, the calendar form) runs to the end of the day.</summary>
    private static readonly TimeOnly LastSecondOfDay = new(23, 59, 59);

    public SequencerResult Apply(ApplySplitCommand c, WriterBatch batch)
    {
        if (_applied.Contains(c.SplitId))
        {
            return Result(new SplitApplication(true, null, [], [], [], []));
        }
        var lines = referenceData.Instruments.Where(i => string.Equals(i.Row.Isin, c.Isin, StringComparison.Ordinal)).ToList();
        foreach (var line in lines)
        {
            if (TradesAroundTheClock(line))
            {
                // Always open and always trading today (the internal line): split while it trades, or never.
                continue;
            }
            if (string.Equals(line.Row.Symbol, c.Symbol, StringComparison.Ordinal) && phases.PhaseOf(line.Spec.Id) is { } phase && phase != MarketPhase.Closed)
            {
                return Refused($"{line.Row.Symbol} is in its {phase} phase: a split is applied while the listing it was announced on is closed " +
                               "(before the open on its effective date)");
            }
            if (books.Recorder.StatisticsFor(line.Spec.Id, batch.Timestamp).HasTrades)
            {
                return Refused($"{line.Row.Symbol} has traded today: its day's prices are in old shares; apply the split before the next session");
            }
        }
        var symbols = lines.Select(l => l.Row.Symbol).ToHashSet(StringComparer.Ordinal);
        var holders = books.Aggregates.Holders(symbols).Where(h => h.AccountId != TradeRecord.VenueSide).ToList();
        var missing = holders.Select(h => h.AccountId).Distinct().Where(a => !c.Accounts.ContainsKey(a)).ToList();
        if (missing.Count > 0)
        {
            return Refused(Invariant($"account(s) {string.Join(", ", missing)} took a position since the split was read: send it again"));
        }

        // Prices first: the cash in lieu is paid at the new reference price.
        var prices = new List<SplitPriceChange>();
        var newReference = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var row = line.Row;
            _undo.Add((line, row.ReferencePrice, row.ClosingPrice, row.IssuedShares));
            var before = row.ReferencePrice;
            var issuedBefore = row.IssuedShares;
            row.ReferencePrice = Scale(before, c.OldShares, c.NewShares, line.Decimals);
            if (row.ClosingPrice is { } close)
            {
                row.ClosingPrice = Scale(close, c.OldShares, c.NewShares, line.Decimals);
            }
            row.IssuedShares = row.IssuedShares * c.NewShares / c.OldShares;
            referenceData.Replace(line.Spec.Id);
            phases.Recentre(line.Spec.Id);
            newReference[row.Symbol] = row.ReferencePrice;
            prices.Add(new SplitPriceChange(row.Symbol, before, row.ReferencePrice, issuedBefore, row.IssuedShares));
        }

        // Open orders leave the books, each journaled with the split as its cancel reason (the cancel releases its reservation).
        var working = books.Recorder.Live.Values.Where(o => o.IsWorking && symbols.Contains(o.Symbol)).Select(o => o.Id).OrderBy(id => id).ToList();
        books.Recorder.CancelReasonOverride = c.CancelReason;
        try
        {
            foreach (var id in working)
            {
                books.Engine.Cancel(new CancelOrder(id, batch.Timestamp, CancelReason.Requested));
            }
        }
        finally
        {
            books.Recorder.CancelReasonOverride = null;
        }
        // Orders held for review were entered in the old shares too: they end the same way, their workflows closed.
        working.AddRange(workflow.CancelForCorporateAction(symbols, c.CancelReason, c.Actor, batch));
        foreach (var line in lines)
        {
            batch.Touched.Add(line.Spec.Id);
        }

        var reference = StockSplit.Reference(c.SplitId);
        var adjustments = new List<PositionAdjustment>();
        var cashInLieu = new Dictionary<long, (string Currency, decimal Amount)>();
        foreach (var (accountId, symbol, quantity) in holders)
        {
            var line = lines.First(l => l.Row.Symbol == symbol);
            var exact = quantity * (decimal)c.NewShares / c.OldShares;
            var kept = (long)decimal.Truncate(exact);
            var fraction = exact - kept;
            var cash = fraction == 0 ? 0m
                : Math.Round(fraction * newReference[symbol] * line.Row.PriceMultiplier, Apis.DividendForm.CurrencyDecimals(line.Row.Currency),
                    MidpointRounding.ToEven);
            var adjustment = new PositionAdjustment
            {
                AccountId = accountId, Symbol = symbol, QuantityBefore = quantity, Quantity = kept - quantity, RatioNew = c.NewShares,
                RatioOld = c.OldShares, CashInLieu = cash, Reference = reference, Reason = c.Reason, EnteredBy = c.Actor, EnteredAt = batch.Now,
            };
            adjustments.Add(adjustment);
            books.Aggregates.PositionsOf(accountId)![symbol] = kept;
            if (cash != 0)
            {
                var sum = cashInLieu.GetValueOrDefault(accountId, (Currency: line.Row.Currency, Amount: 0m));
                cashInLieu[accountId] = (line.Row.Currency, sum.Amount + cash);
            }
        }
        foreach (var (accountId, (currency, amount)) in cashInLieu.OrderBy(p => p.Key))
        {
            var account = c.Accounts[accountId];
            books.Cash.Book(new CashMovement
            {
                AccountId = accountId, Currency = currency, Amount = amount, Kind = CashMovementKind.CashInLieu, Reference = reference,
                Reason = Invariant($"cash in lieu of a fraction of a share: {c.Reason}"), EnteredBy = c.Actor, EnteredAt = batch.Now,
            }, account.CreditCurrency);
        }
        _staged.AddRange(adjustments);
        _applied.Add(c.SplitId);
        // The audit record is written when the batch is staged, once the stored closes it also lists have been read and scaled.
        var details = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["splitId"] = c.SplitId, ["symbol"] = c.Symbol, ["isin"] = c.Isin, ["newShares"] = c.NewShares, ["oldShares"] = c.OldShares,
            ["effectiveDate"] = c.EffectiveDate, ["reference"] = reference, ["referencePrices"] = prices,
            ["positions"] = adjustments.Select(a => new
            {
                accountId = a.AccountId, symbol = a.Symbol, before = a.QuantityBefore, after = a.QuantityBefore + a.Quantity, cashInLieu = a.CashInLieu,
            }).ToList(),
            ["canceledOrders"] = working,
        };
        var closes = new List<SplitClosesAdjusted>();
        _marked.Add(new Marked(c, lines, details, closes));
        return Result(new SplitApplication(false, null, adjustments, prices, working, closes));
    }

    /// <summary>
    /// Adds the batch's adjustments, the lines' new prices, their stored daily closes before the effective date scaled, the splits' status
    /// and their <c>split.applied</c> audit records to the writer's context and batch (the batch's transaction).
    /// </summary>
    public async Task StageAsync(TradSysDbContext db, WriterBatch batch, CancellationToken cancellationToken)
    {
        if (_staged.Count > 0)
        {
            db.PositionAdjustments.AddRange(_staged.Select(a => new PositionAdjustment
            {
                AccountId = a.AccountId, Symbol = a.Symbol, QuantityBefore = a.QuantityBefore, Quantity = a.Quantity, RatioNew = a.RatioNew,
                RatioOld = a.RatioOld, CashInLieu = a.CashInLieu, Reference = a.Reference, Reason = a.Reason, EnteredBy = a.EnteredBy, EnteredAt = a.EnteredAt,
            }));
        }
        foreach (var (previous, _, _, _) in _undo)
        {
            var cached = previous.Row;
            var row = await db.Instruments.FindAsync([cached.Symbol], cancellationToken)
                      ?? throw new InvalidOperationException($"instrument {cached.Symbol} is not in the database");
            (row.ReferencePrice, row.ClosingPrice, row.IssuedShares) = (cached.ReferencePrice, cached.ClosingPrice, cached.IssuedShares);
        }
        foreach (var (c, lines, details, closes) in _marked)
        {
            var (id, actor) = (c.SplitId, c.Actor);
            var split = await db.StockSplits.FindAsync([id], cancellationToken)
                        ?? throw new InvalidOperationException($"split {id} is not in the database");
            var at = Auditing.AuditTrail.Truncate(DateTime.UtcNow);
            if (_staged.FirstOrDefault(a => a.Reference == StockSplit.Reference(id)) is { } first)
            {
                at = first.EnteredAt;
            }
            (split.Status, split.AppliedAt, split.AppliedBy, split.UpdatedAt, split.UpdatedBy) = (SplitStatus.Applied, at, actor, at, actor);
            split.Version++;
            foreach (var line in lines)
            {
                closes.Add(await ScaleClosesAsync(db, line, c, cancellationToken));
            }
            details["dailyCloses"] = closes;
            details["dividends"] = await ScaleDividendsAsync(db, lines, c, at, cancellationToken);
            batch.Record(actor, "split.applied", Invariant($"split/{id}"), details);
        }
    }

    /// <summary>
    /// The line's stored daily closes before the effective date, scaled by old/new as its reference price is (its price decimals, half to
    /// even), tracked in the writer's context so that they commit with the split. Their source, who stored them and when stay: the
    /// <c>split.applied</c> audit record says which were scaled.
    /// </summary>
    private static async Task<SplitClosesAdjusted> ScaleClosesAsync(TradSysDbContext db, TradableInstrument line, ApplySplitCommand c,
        CancellationToken cancellationToken)
    {
        var symbol = line.Row.Symbol;
        var before = await db.ReferencePriceDays.Where(p => p.Symbol == symbol && p.Date < c.EffectiveDate).OrderBy(p => p.Date)
            .ToListAsync(cancellationToken);
        foreach (var close in before)
        {
            close.Price = Scale(close.Price, c.OldShares, c.NewShares, line.Decimals);
        }
        return before.Count == 0
            ? new SplitClosesAdjusted(symbol, 0, null, null)
            : new SplitClosesAdjusted(symbol, before.Count, before[0].Date, before[^1].Date);
    }

    /// <summary>
    /// The lines' announced dividends going ex on or after the effective date, their amount per share scaled by old/new (8 decimals, half
    /// to even), tracked in the writer's context so that they commit with the split; what changed, for the audit record.
    /// </summary>
    private static async Task<List<object>> ScaleDividendsAsync(TradSysDbContext db, IReadOnlyList<TradableInstrument> lines, ApplySplitCommand c,
        DateTime at, CancellationToken cancellationToken)
    {
        var symbols = lines.Select(l => l.Row.Symbol).ToList();
        var dividends = await db.Dividends.AnnouncedGoingExFrom(symbols, c.EffectiveDate).ToListAsync(cancellationToken);
        var changed = new List<object>(dividends.Count);
        foreach (var d in dividends)
        {
            var before = d.AmountPerShare;
            d.AmountPerShare = Math.Round(before * c.OldShares / c.NewShares, DividendDecimals, MidpointRounding.ToEven);
            (d.UpdatedAt, d.UpdatedBy) = (at, c.Actor);
            d.Version++;
            changed.Add(new { dividendId = d.Id, symbol = d.Symbol, exDate = d.ExDate, amountPerShareBefore = before, amountPerShare = d.AmountPerShare });
        }
        return changed;
    }

    /// <summary>The decimals a dividend's amount per share is kept to (its column's scale).</summary>
    private const int DividendDecimals = 8;

    /// <summary>The batch is committed.</summary>
    public void Committed() => Clear();

    /// <summary>The batch was not committed: the lines' prices are put back (positions and cash are rebuilt with the books).</summary>
    public void Discard()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            var (previous, reference, closing, issued) = _undo[i];
            (previous.Row.ReferencePrice, previous.Row.ClosingPrice, previous.Row.IssuedShares) = (reference, closing, issued);
            referenceData.Restore(previous);
        }
        foreach (var marked in _marked)
        {
            _applied.Remove(marked.Command.SplitId);
        }
        Clear();
    }

    private void Clear()
    {
        _staged.Clear();
        _marked.Clear();
        _undo.Clear();
    }

    /// <summary>A price of the old shares in new shares: times old/new, rounded to the line's decimals (half to even).</summary>
    internal static decimal Scale(decimal price, int oldShares, int newShares, int decimals) =>
        Math.Round(price * oldShares / newShares, decimals, MidpointRounding.ToEven);

    private static SequencerResult Result(SplitApplication application) => new(SequencerOutcome.SplitApplied, null, [], Risk: application);

    private static SequencerResult Refused(string why) => Result(new SplitApplication(false, why, [], [], [], []));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
