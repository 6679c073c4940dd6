using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TradSys.Engine.Risk.PreTrade;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using TradSys.Web.RulePacks;

namespace TradSys.Web.Ordering;

/// <summary>What applying a symbol change did (<see cref="SequencerResult.Risk"/> of <see cref="SequencerOutcome.SymbolChanged"/>).</summary>
/// <param name="Unchanged">True when the change had been applied before: nothing was done now.</param>
/// <param name="Refusal">Why it was not applied (nothing changed), or null.</param>
/// <param name="Positions">Each account's position moved from the old symbol to the new one, with the average cost carried.</param>
/// <param name="ReferencePrice">The reference price the new symbol was listed with (the old symbol's), and its last closing price.</param>
/// <param name="CanceledOrders">The old symbol's open orders canceled, by id.</param>
/// <param name="DailyCloses">The old symbol's stored daily closes copied to the new one (filled when the batch is staged, before its commit).</param>
/// <param name="Carried">The old symbol's pre-trade limits (a new version on the new symbol) and the limit proposals withdrawn, filled when
/// it is applied; its announced dividends and splits from the effective date on, moved to the new symbol, filled when the batch is staged.</param>
/// <param name="PackWarnings">The published rule packs in force that still name the old symbol (or its old ISIN when the change brings a new
/// one), filled when the batch is staged: a warning for compliance, the packs are not changed.</param>
public sealed record SymbolChangeApplication(bool Unchanged, string? Refusal, IReadOnlyList<SymbolChangePosition> Positions,
    SymbolChangePrices? ReferencePrice, IReadOnlyList<long> CanceledOrders, SymbolChangeCloses DailyCloses, SymbolChangeCarried Carried,
    List<RulePackMention> PackWarnings)
{
    /// <summary>Nothing done: applied before, or refused with <paramref name="refusal"/>.</summary>
    public static SymbolChangeApplication Nothing(bool unchanged, string? refusal) =>
        new(unchanged, refusal, [], null, [], new SymbolChangeCloses(), new SymbolChangeCarried(), []);
}

/// <summary>
/// The old symbol's announced corporate actions that fall on or after the change's effective date, moved to the new symbol: the positions
/// they are for have moved there (a dividend's entitlement is read from the holdings of its symbol's ISIN at its ex-date, and the new ISIN
/// may differ; a split is applied to its symbol's listing, which the old one no longer is). Those before the effective date stay on the old
/// symbol, whose holdings at their dates they are for.
/// </summary>
public sealed class SymbolChangeCarried
{
    /// <summary>The dividends moved, by id.</summary>
    public List<long> Dividends { get; } = [];

    /// <summary>The stock splits moved, by id.</summary>
    public List<long> Splits { get; } = [];

    /// <summary>The old symbol's pre-trade limits in force, set as a new version of the new symbol's limits (at most one).</summary>
    public List<SymbolChangeLimits> RiskLimits { get; } = [];

    /// <summary>The proposals of limits for the old symbol that were pending, withdrawn with the change as their reason, by id.</summary>
    public List<long> WithdrawnLimitProposals { get; } = [];
}

/// <summary>The old symbol's limits (its version in force) carried to the new symbol as the new symbol's version.</summary>
public sealed record SymbolChangeLimits(string Symbol, int Version, string NewSymbol, int NewVersion);

/// <summary>The prices the new symbol was listed with: the old symbol's reference price and last closing price, unchanged.</summary>
public sealed record SymbolChangePrices(string Symbol, string NewSymbol, decimal ReferencePrice, decimal? ClosingPrice);

/// <summary>The old symbol's stored daily closes copied to the new symbol: how many, and the first and last day (null when none).</summary>
public sealed class SymbolChangeCloses
{
    public int Count { get; set; }
    public DateOnly? From { get; set; }
    public DateOnly? To { get; set; }
}

/// <summary>
/// Applying a symbol change on the single writer's thread, in ONE transaction with the journal (issue 14, part 3; the policy is in
/// docs/back-office.md). The old listing is not renamed: an instrument's symbol is its key (fixed once listed, as the listings API
/// says), and every trade, order, journal entry, report and audit record of the days before names it; renaming would rewrite that
/// history. So the change is a listing and a delisting in one step:
/// <list type="bullet">
/// <item>refused (nothing changed) while the old listing is in an open phase or has traded today (a line on a venue that never closes,
/// the internal crossing venue, is changed while it trades: the writer is single-threaded), when the new symbol has been listed since the
/// announcement, or when a position has moved since the API read the positions;</item>
/// <item>the new symbol is listed as a copy of the old listing (venue, currency, lot, tick table, sector, Sharia inputs, derivative
/// terms, reference and closing prices, issued shares), with the new ISIN and name when the change brings them (<see cref="ListingCommands"/>:
/// version 1, <c>instrument.listed</c>); its book is made when the batch is committed, as for every listing;</item>
/// <item>the old symbol's open orders, working and held for review, are canceled with the change as their reason: the engine keeps one
/// book per instrument id and has no way to move a resting order to another book with its time priority, and the new book does not exist
/// until the commit;</item>
/// <item>every account's position moves: a <see cref="PositionAdjustment"/> closing it on the old symbol and one opening it on the new one,
/// both carrying the average cost (reference <c>symchg:{id}</c>), so the cost basis is unchanged and nothing is realised;</item>
/// <item>the old symbol's stored daily closes are copied to the new symbol (the VaR's price history, the reports), so its history is
/// continuous; the old symbol keeps its own;</item>
/// <item>the old symbol's announced dividends going ex and splits taking effect on or after the effective date move to the new symbol
/// (<see cref="SymbolChangeCarried"/>);</item>
/// <item>the old symbol's pre-trade limits in force become a new version of the new symbol's limits (<see cref="RiskControls.Set(RiskLimitRecord)"/>,
/// the path an approved change takes: effective for the very next order), reason naming the change, set by the applying user; refused
/// (nothing changed) when the new symbol has limits of its own; the old symbol's pending proposals of limits are withdrawn with the change
/// as their reason (they were based on the old symbol's version; an officer proposes again on the new symbol). The listing's own status,
/// suspension, short-sell eligibility and restricted and threshold flags are copied with it;</item>
/// <item>the published rule packs in force that still name the old symbol are listed as a warning (<see cref="RulePackMentions"/>): a
/// compliance officer's pack is never edited by the platform;</item>
/// <item>the old symbol is delisted (<c>instrument.delisted</c>), the change row marked Applied and one <c>symbolchange.applied</c>
/// audit record lists all of it.</item>
/// </list>
/// Applying it again does nothing (the writer remembers applied changes, loaded at every rebuild from the change rows).
/// </summary>
internal sealed class SymbolChangeCommands(OrderBooks books, ReferenceDataCache referenceData, TradingPhases phases, ListingCommands listings,
    Stages.WorkflowStep workflow, RiskControls controls)
{
    private readonly HashSet<long> _applied = [];
    private readonly List<PositionAdjustment> _staged = [];
    private readonly List<Marked> _marked = [];

    private sealed record Marked(ApplySymbolChangeCommand Command, Dictionary<string, object> Details, SymbolChangeCloses Closes, SymbolChangeCarried Carried,
        string OldIsin, List<RulePackMention> PackWarnings);

    /// <summary>Reads the applied symbol changes (at start and at every rebuild of the books).</summary>
    public async Task LoadAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        var applied = await db.SymbolChanges.AsNoTracking().Where(s => s.Status == SplitStatus.Applied).Select(s => s.Id).ToListAsync(cancellationToken);
        _applied.Clear();
        _applied.UnionWith(applied);
    }

    public SequencerResult Apply(ApplySymbolChangeCommand c, WriterBatch batch)
    {
        if (_applied.Contains(c.ChangeId))
        {
            return Result(SymbolChangeApplication.Nothing(true, null));
        }
        if (!referenceData.TryGet(c.Symbol, out var old) || old.Row.Status == InstrumentStatus.Delisted)
        {
            return Refused($"{c.Symbol} is not listed (delisted since the change was announced): there is nothing to rename");
        }
        var newSymbol = c.NewRow.Symbol;
        if (referenceData.TryGet(newSymbol, out _))
        {
            return Refused($"{newSymbol} has been listed since the change was announced: cancel this change and announce another symbol");
        }
        if (!SplitCommands.TradesAroundTheClock(old))
        {
            if (phases.PhaseOf(old.Spec.Id) is { } phase && phase != MarketPhase.Closed)
            {
                return Refused($"{c.Symbol} is in its {phase} phase: a symbol change is applied while the listing is closed (before the open on its effective date)");
            }
            if (books.Recorder.StatisticsFor(old.Spec.Id, batch.Timestamp).HasTrades)
            {
                return Refused($"{c.Symbol} has traded today: apply the symbol change before the next session");
            }
        }
        if (controls.InstrumentLimits(newSymbol) is { } taken)
        {
            // Merging two sets of limits would be a decision of limits without maker-checker: refused, for risk officers to settle first.
            return Refused($"{newSymbol} has pre-trade limits of its own (version {taken.Version}): the limits of {c.Symbol} cannot be carried " +
                           "to it; a risk officer settles the limits first");
        }
        var holders = books.Aggregates.Holders(new HashSet<string>(StringComparer.Ordinal) { old.Row.Symbol })
            .Where(h => h.AccountId != TradeRecord.VenueSide).ToList();
        var read = c.Positions.ToDictionary(p => p.AccountId);
        if (holders.Count != read.Count || holders.Exists(h => !read.TryGetValue(h.AccountId, out var p) || p.Quantity != h.Quantity))
        {
            return Refused("a position in " + c.Symbol + " changed since the change was read: send it again");
        }

        // The new listing first: refused, nothing has been done yet.
        var listed = listings.List(new ListInstrumentCommand(c.Actor, c.NewRow, c.Reason), batch);
        if (listed.Outcome != SequencerOutcome.InstrumentChanged)
        {
            return Refused(listed.Listing?.Problem ?? $"{newSymbol} could not be listed");
        }

        // The open orders leave the old book, each journaled with the change as its cancel reason (the cancel releases its reservation).
        var working = books.Recorder.Live.Values.Where(o => o.IsWorking && string.Equals(o.Symbol, old.Row.Symbol, StringComparison.Ordinal))
            .Select(o => o.Id).OrderBy(id => id).ToList();
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
        // Orders held for review on the old symbol could never be released to its book: they end the same way, their workflows closed.
        working.AddRange(workflow.CancelForCorporateAction(new HashSet<string>(StringComparer.Ordinal) { old.Row.Symbol }, c.CancelReason, c.Actor, batch));
        batch.Touched.Add(old.Spec.Id);

        var reference = SymbolChange.Reference(c.ChangeId);
        var moved = new List<SymbolChangePosition>();
        foreach (var (accountId, _, quantity) in holders)
        {
            var average = read[accountId].AverageCost;
            _staged.Add(Adjustment(accountId, old.Row.Symbol, quantity, -quantity, average, reference, c, batch));
            _staged.Add(Adjustment(accountId, newSymbol, 0, quantity, average, reference, c, batch));
            var positions = books.Aggregates.PositionsOf(accountId)!;
            positions[old.Row.Symbol] = 0;
            positions[newSymbol] = quantity;
            moved.Add(new SymbolChangePosition(accountId, quantity, average));
        }

        var delisted = listings.Delist(new DelistInstrumentCommand(c.Actor, old.Row.Symbol, c.Reason, null), batch);
        if (delisted.Outcome != SequencerOutcome.InstrumentChanged)
        {
            // Checked above (listed, not delisted): the batch is failed so that nothing of the listing or the moves is committed.
            throw new InvalidOperationException($"{c.Symbol} could not be delisted: {delisted.Listing?.Problem}");
        }
        _applied.Add(c.ChangeId);
        var prices = new SymbolChangePrices(old.Row.Symbol, newSymbol, c.NewRow.ReferencePrice, c.NewRow.ClosingPrice);
        var closes = new SymbolChangeCloses();
        var details = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["symbolChangeId"] = c.ChangeId, ["symbol"] = old.Row.Symbol, ["newSymbol"] = newSymbol, ["isin"] = old.Row.Isin,
            ["newIsin"] = c.NewRow.Isin, ["newName"] = c.NewRow.Name, ["effectiveDate"] = c.EffectiveDate, ["reference"] = reference,
            ["referencePrice"] = prices, ["positions"] = moved, ["canceledOrders"] = working,
        };
        var carried = new SymbolChangeCarried();
        CarryLimits(c, old.Row.Symbol, carried, batch);
        var warnings = new List<RulePackMention>();
        _marked.Add(new Marked(c, details, closes, carried, old.Row.Isin, warnings));
        return Result(new SymbolChangeApplication(false, null, moved, prices, working, closes, carried, warnings));
    }

    /// <summary>
    /// The old symbol's limits in force become the next version of the new symbol's (the same values and currency), effective for the next
    /// command as an approved change is; the old symbol's pending proposals are withdrawn. Each is audited as its own kind of change is.
    /// </summary>
    private void CarryLimits(ApplySymbolChangeCommand c, string symbol, SymbolChangeCarried carried, WriterBatch batch)
    {
        var newSymbol = c.NewRow.Symbol;
        if (controls.InstrumentLimits(symbol) is { } limits)
        {
            var version = (controls.InstrumentLimits(newSymbol)?.Version ?? 0) + 1;
            var row = new RiskLimitRecord
            {
                Scope = RiskScope.Instrument, Key = newSymbol, Version = version, Currency = limits.Currency, MaxOrderQuantity = limits.MaxOrderQuantity,
                MaxOrderNotional = limits.MaxOrderNotional, PriceCollarPct = limits.PriceCollarPct, MaxOpenOrders = limits.MaxOpenOrders,
                MaxOpenNotional = limits.MaxOpenNotional, MaxLongPosition = limits.MaxLongPosition, MaxShortPosition = limits.MaxShortPosition,
                MaxConcentrationPct = limits.MaxConcentrationPct, MaxIssuerHoldingPct = limits.MaxIssuerHoldingPct, MaxAdvPct = limits.MaxAdvPct,
                MaxVar = limits.MaxVar, Reason = Invariant($"{c.Reason}: the limits of {symbol} (version {limits.Version}) carried to {newSymbol}"),
                ChangedBy = c.Actor, ChangedAt = batch.Now,
            };
            controls.Set(row);
            carried.RiskLimits.Add(new SymbolChangeLimits(symbol, limits.Version, newSymbol, version));
            batch.Record(c.Actor, "risk.limits_set", RiskControlCommands.Subject(RiskScope.Instrument, newSymbol), new
            {
                scope = nameof(RiskScope.Instrument), key = newSymbol, version, currency = row.Currency, limits = row.Limits, previous = (RiskLimits?)null,
                reason = row.Reason, symbolChangeId = c.ChangeId, carriedFrom = new { symbol, version = limits.Version },
            });
        }
        foreach (var proposal in controls.PendingProposals.Where(p => p.Scope == RiskScope.Instrument && string.Equals(p.Key, symbol, StringComparison.Ordinal))
                     .ToList())
        {
            proposal.Status = RiskLimitProposalStatus.Withdrawn;
            proposal.DecidedBy = c.Actor;
            proposal.DecidedAt = batch.Now;
            proposal.DecisionReason = Invariant($"withdrawn: {c.Reason}; {symbol} is delisted, propose the limits again on {newSymbol}");
            controls.Decided(proposal);
            carried.WithdrawnLimitProposals.Add(proposal.Id);
            batch.Record(c.Actor, "risk.limits_withdrawn", RiskControlCommands.Subject(RiskScope.Instrument, symbol), new
            {
                proposal = proposal.Id, scope = nameof(RiskScope.Instrument), key = symbol, proposedBy = proposal.ProposedBy, reason = proposal.DecisionReason,
                symbolChangeId = c.ChangeId,
            });
        }
    }

    private static PositionAdjustment Adjustment(long accountId, string symbol, long before, long quantity, decimal average, string reference,
        ApplySymbolChangeCommand c, WriterBatch batch) => new()
    {
        AccountId = accountId, Symbol = symbol, QuantityBefore = before, Quantity = quantity, RatioNew = 1, RatioOld = 1, CashInLieu = 0m,
        CarriedAverageCost = average, Reference = reference, Reason = c.Reason, EnteredBy = c.Actor, EnteredAt = batch.Now,
    };

    /// <summary>
    /// Adds the batch's position moves, the copies of the old symbols' stored daily closes, the changes' status and their
    /// <c>symbolchange.applied</c> audit records to the writer's context and batch. Runs after the listings' staging (the new
    /// instrument rows are in the context by then).
    /// </summary>
    public async Task StageAsync(TradSysDbContext db, WriterBatch batch, CancellationToken cancellationToken)
    {
        db.PositionAdjustments.AddRange(_staged);
        foreach (var (c, details, closes, carried, oldIsin, warnings) in _marked)
        {
            var change = await db.SymbolChanges.FindAsync([c.ChangeId], cancellationToken)
                         ?? throw new InvalidOperationException($"symbol change {c.ChangeId} is not in the database");
            var at = _staged.FirstOrDefault(a => a.Reference == SymbolChange.Reference(c.ChangeId))?.EnteredAt ?? batch.Now;
            (change.Status, change.AppliedAt, change.AppliedBy, change.UpdatedAt, change.UpdatedBy) = (SplitStatus.Applied, at, c.Actor, at, c.Actor);
            change.Version++;
            var history = await db.ReferencePriceDays.AsNoTracking().Where(p => p.Symbol == c.Symbol).OrderBy(p => p.Date).ToListAsync(cancellationToken);
            var newSymbol = c.NewRow.Symbol;
            var existing = (await db.ReferencePriceDays.AsNoTracking().Where(p => p.Symbol == newSymbol).Select(p => p.Date).ToListAsync(cancellationToken))
                .ToHashSet();
            var copies = history.Where(p => !existing.Contains(p.Date)).Select(p => new ReferencePriceDay
            {
                Date = p.Date, Symbol = newSymbol, Price = p.Price, Currency = p.Currency, Source = p.Source, EnteredBy = p.EnteredBy, EnteredAt = p.EnteredAt,
            }).ToList();
            db.ReferencePriceDays.AddRange(copies);
            (closes.Count, closes.From, closes.To) = (copies.Count, copies.Count == 0 ? null : copies[0].Date, copies.Count == 0 ? null : copies[^1].Date);
            details["dailyCloses"] = closes;
            await CarryAsync(db, c, at, carried, cancellationToken);
            details["carried"] = carried;
            warnings.AddRange(await RulePackMentions.InForceAsync(db, NamesOf(c, oldIsin), cancellationToken));
            details["packWarnings"] = warnings;
            batch.Record(c.Actor, "symbolchange.applied", Invariant($"symbolchange/{c.ChangeId}"), details);
        }
    }

    /// <summary>The names a pack may know the old listing by: its symbol, and its ISIN when the change brings a new one.</summary>
    public static IReadOnlyCollection<string> NamesOf(string symbol, string isin, string? newIsin) =>
        newIsin is not null && !string.Equals(newIsin, isin, StringComparison.Ordinal) ? [symbol, isin] : [symbol];

    private static IReadOnlyCollection<string> NamesOf(ApplySymbolChangeCommand c, string oldIsin) => NamesOf(c.Symbol, oldIsin, c.NewRow.Isin);

    /// <summary>
    /// Moves the old symbol's announced dividends going ex, and announced splits taking effect, on or after the effective date to the new
    /// symbol, tracked in the writer's context so that they commit with the change (each row's version raised).
    /// </summary>
    private static async Task CarryAsync(TradSysDbContext db, ApplySymbolChangeCommand c, DateTime at, SymbolChangeCarried carried,
        CancellationToken cancellationToken)
    {
        var newSymbol = c.NewRow.Symbol;
        foreach (var d in await db.Dividends.AnnouncedGoingExFrom([c.Symbol], c.EffectiveDate).ToListAsync(cancellationToken))
        {
            (d.Symbol, d.UpdatedAt, d.UpdatedBy) = (newSymbol, at, c.Actor);
            d.Version++;
            carried.Dividends.Add(d.Id);
        }
        foreach (var split in await db.StockSplits.Where(x => x.Symbol == c.Symbol && x.Status == SplitStatus.Announced && x.EffectiveDate >= c.EffectiveDate)
                     .OrderBy(x => x.Id).ToListAsync(cancellationToken))
        {
            (split.Symbol, split.UpdatedAt, split.UpdatedBy) = (newSymbol, at, c.Actor);
            split.Version++;
            carried.Splits.Add(split.Id);
        }
    }

    /// <summary>The batch is committed.</summary>
    public void Committed() => Clear();

    /// <summary>The batch was not committed: the changes are forgotten (the listings undo their own; positions are rebuilt with the books).</summary>
    public void Discard()
    {
        foreach (var marked in _marked)
        {
            _applied.Remove(marked.Command.ChangeId);
        }
        Clear();
    }

    private void Clear()
    {
        _staged.Clear();
        _marked.Clear();
    }

    private static SequencerResult Result(SymbolChangeApplication application) => new(SequencerOutcome.SymbolChanged, null, [], Risk: application);

    private static SequencerResult Refused(string why) =>
        Result(SymbolChangeApplication.Nothing(false, why));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
