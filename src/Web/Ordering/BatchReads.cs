using Microsoft.EntityFrameworkCore;
using TradSys.Web.Ordering.Stages;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering;

/// <summary>
/// The writer's reads, once per batch and before any command is applied (a command itself never waits on the database):
/// the account and instrument rows its new, checked, amended and released orders need (the rule packs read them, so a
/// change to an account's onboarding facts or an instrument's lists counts from the next batch; ownership is checked
/// against them, for cancels too), kept between batches and read again when their table changed (<see cref="ReferenceRows"/>),
/// and the earlier orders its resends name that are no longer in the writer's memory. A batch with the session watcher's tick
/// (<see cref="AdvancePhasesCommand"/>) reads the change counters too, and takes a rule pack or a venue calendar changed elsewhere;
/// so does a batch with a cash or exposure read or a cash booking (they convert at the FX rates in force); any other batch of queries
/// and platform commands reads nothing.
/// </summary>
internal sealed class BatchReads(OrderBooks books, ClientOrderIds clientOrderIds, WorkflowStep workflow, VenueExecutions venues,
    Func<TradSysDbContext, CancellationToken, Task> refreshRulePacks, Func<TradSysDbContext, CancellationToken, Task> refreshVenues,
    Func<TradSysDbContext, CancellationToken, Task> refreshFx)
{
    private readonly ReferenceRows rows = new();

    /// <summary>Forgets the rows kept between batches (recovery).</summary>
    public void Forget() => rows.Forget();

    public async Task ReadAsync(TradSysDbContext db, IReferenceVersions versions, IReadOnlyList<SequencerCommand> commands, WriterBatch batch,
        CancellationToken cancellationToken)
    {
        var accountIds = new HashSet<long>();
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        var priors = new List<long>();
        var tick = false;
        foreach (var command in commands)
        {
            switch (command)
            {
                case AdvancePhasesCommand:
                    // The session watcher's tick (every few seconds): the counters are read even without an order, so that a calendar
                    // or rule pack changed elsewhere (a holiday removed by SQL) counts from this tick, not from the next order.
                    tick = true;
                    break;
                case CashQuery or ExposureQuery or BookCashCommand:
                    // Buying power and exposure convert at the FX rates in force: a rate changed since the last read counts for them too.
                    tick = true;
                    break;
                case SubmitCommand submit:
                    accountIds.Add(submit.AccountId);
                    symbols.Add(submit.Instrument.Symbol);
                    if (clientOrderIds.TryFind(submit.AccountId, submit.ClientOrderId, out var entry) && books.Open(entry.OrderId) is null)
                    {
                        priors.Add(entry.OrderId);
                    }
                    break;
                case CheckOrderCommand check:
                    accountIds.Add(check.Order.AccountId);
                    symbols.Add(check.Order.Instrument.Symbol);
                    break;
                case ModifyCommand modify when venues.Open(modify.OrderId) is { } routed:
                    accountIds.Add(routed.AccountId);
                    symbols.Add(routed.Symbol);
                    break;
                case CancelCommand { UserId: not null } cancel when venues.Open(cancel.OrderId) is { } routed:
                    accountIds.Add(routed.AccountId);
                    break;
                case ModifyCommand modify when books.Recorder.Live.TryGetValue(modify.OrderId, out var live):
                    accountIds.Add(live.AccountId);
                    symbols.Add(live.Symbol);
                    break;
                case CancelCommand { UserId: not null } cancel when books.Open(cancel.OrderId) is { } open:
                    // Only the owner's account row: ownership is checked against it.
                    accountIds.Add(open.AccountId);
                    break;
                case ReleaseHeldOrderCommand release when books.Held.TryGetValue(release.OrderId, out var held):
                    accountIds.Add(held.AccountId);
                    symbols.Add(held.Symbol);
                    break;
                case WorkflowTaskCommand task when workflow.HeldOrderOf(task) is { } approved:
                    accountIds.Add(approved.AccountId);
                    symbols.Add(approved.Symbol);
                    break;
            }
        }
        if (accountIds.Count > 0 || tick)
        {
            var (packsMoved, venuesMoved, fxMoved) = await rows.ReadAsync(db, versions, accountIds, symbols, cancellationToken);
            if (packsMoved)
            {
                // A pack was published or rolled back (on this node or another) since the packs in use were read: the batch's
                // orders are decided by the packs current in the database.
                await refreshRulePacks(db, cancellationToken);
            }
            if (venuesMoved)
            {
                // A venue's row changed (a calendar change made on another node, an operator's SQL, or this writer's own, already
                // applied): the batch's orders meet the calendars current in the database.
                await refreshVenues(db, cancellationToken);
            }
            if (fxMoved)
            {
                // An FX rate changed (PUT /api/v1/fx-rates/{currency} on any node, reference load, an operator's SQL): the batch's
                // orders are converted (credit, buying power, thresholds in euros) with the rates current in the database.
                await refreshFx(db, cancellationToken);
            }
            batch.Accounts = rows.Accounts;
            batch.Instruments = rows.Instruments;
            foreach (var id in accountIds)
            {
                if (rows.Accounts.TryGetValue(id, out var account))
                {
                    books.CreditCurrencies[id] = account.CreditCurrency;
                }
            }
        }
        if (priors.Count > 0)
        {
            batch.Priors = await db.Orders.AsNoTracking().Where(o => priors.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        }
    }
}

/// <summary>The change counters of the reference tables (<see cref="Persistence.Entities.ReferenceVersion"/>), read cheaply once per batch.</summary>
internal interface IReferenceVersions
{
    /// <summary>Reads the counters (synchronously: on the writer's own thread, a prepared three-row read).</summary>
    (long Accounts, long Instruments, long RulePacks, long Venues, long FxRates) Read();
}

/// <summary>
/// The account and instrument rows the writer has read, kept between batches. Each batch first reads the change counters of the
/// two tables and of the rule packs' heads (raised by triggers on any change, whoever makes it); a counter that moved drops that table's rows, which are
/// then read again as commands need them. So a row is read once per change, not once per batch, and a change still counts
/// from the next batch. An id with no row is remembered as missing until its table changes.
/// </summary>
internal sealed class ReferenceRows
{
    private long _accountsVersion = -1;
    private long _instrumentsVersion = -1;
    private long _rulePacksVersion = -1;
    private long _venuesVersion = -1;
    private long _fxVersion = -1;
    private readonly HashSet<long> _noAccount = [];
    private readonly HashSet<string> _noInstrument = new(StringComparer.Ordinal);

    public Dictionary<long, Account> Accounts { get; } = [];

    public Dictionary<string, Instrument> Instruments { get; } = new(StringComparer.Ordinal);

    public void Forget()
    {
        _accountsVersion = _instrumentsVersion = _rulePacksVersion = _venuesVersion = _fxVersion = -1;
    }

    /// <summary>Reads what the commands need; whether the rule packs', the venues' and the FX rates' counters moved since the last read (or none was made).</summary>
    public async Task<(bool PacksMoved, bool VenuesMoved, bool FxMoved)> ReadAsync(TradSysDbContext db, IReferenceVersions versions, IReadOnlySet<long> accountIds, IReadOnlySet<string> symbols,
        CancellationToken cancellationToken)
    {
        var (accounts, instruments, rulePacks, venues, fxRates) = versions.Read();
        var fxMoved = fxRates != _fxVersion;
        _fxVersion = fxRates;
        var packsMoved = rulePacks != _rulePacksVersion;
        _rulePacksVersion = rulePacks;
        var venuesMoved = venues != _venuesVersion;
        _venuesVersion = venues;
        if (accounts != _accountsVersion)
        {
            Accounts.Clear();
            _noAccount.Clear();
            _accountsVersion = accounts;
        }
        if (instruments != _instrumentsVersion)
        {
            Instruments.Clear();
            _noInstrument.Clear();
            _instrumentsVersion = instruments;
        }
        var ids = accountIds.Where(id => !Accounts.ContainsKey(id) && !_noAccount.Contains(id)).ToList();
        if (ids.Count > 0)
        {
            foreach (var account in await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken))
            {
                Accounts[account.Id] = account;
            }
            _noAccount.UnionWith(ids.Where(id => !Accounts.ContainsKey(id)));
        }
        var names = symbols.Where(s => !Instruments.ContainsKey(s) && !_noInstrument.Contains(s)).ToList();
        if (names.Count > 0)
        {
            foreach (var instrument in await db.Instruments.AsNoTracking().Where(i => names.Contains(i.Symbol)).ToListAsync(cancellationToken))
            {
                Instruments[instrument.Symbol] = instrument;
            }
            _noInstrument.UnionWith(names.Where(s => !Instruments.ContainsKey(s)));
        }
        return (packsMoved, venuesMoved, fxMoved);
    }
}
