using Microsoft.EntityFrameworkCore;
using TradSys.Engine.Risk.PreTrade;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Risk;

/// <summary>
/// The trading statuses (kill switches) and pre-trade limits in force, owned by the single writer: a change is a writer
/// command, so it takes effect for the very next command in the queue and is committed with the batch that made it (its rows
/// are staged here and written by the journal stage). Other threads read <see cref="Current"/>, the state as last committed.
/// </summary>
internal sealed class RiskControls
{
    /// <summary>The key of the firm-wide scope.</summary>
    public const string FirmKey = "firm";

    private TradingStatusRecord? _firmStatus;
    private readonly Dictionary<long, TradingStatusRecord> _traderStatus = [];
    private readonly Dictionary<long, TradingStatusRecord> _accountStatus = [];
    private RiskLimitRecord? _firmLimits;
    private readonly Dictionary<string, RiskLimitRecord> _categoryLimits = new(StringComparer.Ordinal);
    private readonly Dictionary<long, RiskLimitRecord> _accountLimits = [];
    private readonly Dictionary<string, RiskLimitRecord> _instrumentLimits = new(StringComparer.Ordinal);
    private readonly List<object> _pending = [];
    private readonly List<RiskLimitProposal> _proposals = [];
    private readonly List<RiskLimitProposal> _decided = [];
    private RiskControlsView _current = RiskControlsView.Empty;

    /// <summary>Every status and the limits in force as last committed (any thread).</summary>
    public RiskControlsView Current => Volatile.Read(ref _current);

    public TradingStatusRecord? FirmStatus => _firmStatus;

    public TradingStatusRecord? TraderStatus(long userId) => _traderStatus.GetValueOrDefault(userId);

    public TradingStatusRecord? AccountStatus(long accountId) => _accountStatus.GetValueOrDefault(accountId);

    public RiskLimitRecord? FirmLimits => _firmLimits;

    public RiskLimitRecord? CategoryLimits(ClientCategory category) => _categoryLimits.GetValueOrDefault(category.ToString());

    public RiskLimitRecord? AccountLimits(long accountId) => _accountLimits.GetValueOrDefault(accountId);

    public RiskLimitRecord? InstrumentLimits(string symbol) => _instrumentLimits.GetValueOrDefault(symbol);

    /// <summary>The limits of a scope now, or null when none were ever set.</summary>
    public RiskLimitRecord? Limits(RiskScope scope, string key) => scope switch
    {
        RiskScope.Firm => _firmLimits,
        RiskScope.ClientCategory => _categoryLimits.GetValueOrDefault(key),
        RiskScope.Account => long.TryParse(key, out var id) ? _accountLimits.GetValueOrDefault(id) : null,
        RiskScope.Instrument => _instrumentLimits.GetValueOrDefault(key),
        _ => null,
    };

    /// <summary>Makes a status effective now and stages its row for the batch's commit.</summary>
    public void Set(TradingStatusRecord status)
    {
        Apply(status);
        _pending.Add(status);
    }

    /// <summary>Makes a version of a scope's limits effective now and stages its row for the batch's commit.</summary>
    public void Set(RiskLimitRecord limits)
    {
        Apply(limits);
        _pending.Add(limits);
    }

    /// <summary>The proposals of limits waiting for a checker, oldest first (the writer's thread).</summary>
    public IReadOnlyList<RiskLimitProposal> PendingProposals => _proposals;

    /// <summary>A pending proposal by id, or null when there is none (unknown, or already decided).</summary>
    public RiskLimitProposal? PendingProposal(long id) => _proposals.Find(p => p.Id == id);

    /// <summary>Keeps a new proposal pending and stages its row for the batch's commit.</summary>
    public void Propose(RiskLimitProposal proposal)
    {
        _proposals.Add(proposal);
        _pending.Add(proposal);
    }

    /// <summary>A pending proposal was approved, rejected or withdrawn (already changed): it leaves the pending ones; its row is updated.</summary>
    public void Decided(RiskLimitProposal proposal)
    {
        _proposals.Remove(proposal);
        _decided.Add(proposal);
    }

    /// <summary>Adds the batch's new rows to <paramref name="db"/> (the journal stage saves them in the batch's transaction).</summary>
    public void Stage(TradSysDbContext db)
    {
        foreach (var row in _pending)
        {
            db.Add(row);
        }
        foreach (var proposal in _decided)
        {
            // One made and decided within the same batch is inserted as it ends up (its Id is given only by the insert).
            if (proposal.Id != 0)
            {
                db.Update(proposal);
            }
        }
    }

    /// <summary>After a commit: the staged rows are durable; publish the state to readers.</summary>
    public void Committed()
    {
        if (_pending.Count == 0 && _decided.Count == 0)
        {
            return;
        }
        _pending.Clear();
        _decided.Clear();
        Publish();
    }

    /// <summary>Reads the statuses and limits in force from the database (start-up and recovery after a failed commit).</summary>
    public async Task LoadAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        _pending.Clear();
        _decided.Clear();
        _proposals.Clear();
        _firmStatus = null;
        _traderStatus.Clear();
        _accountStatus.Clear();
        _firmLimits = null;
        _categoryLimits.Clear();
        _accountLimits.Clear();
        _instrumentLimits.Clear();
        // The latest row per scope and key: the table holds each scope's whole history, small next to the orders.
        foreach (var status in await db.TradingStatuses.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken))
        {
            Apply(status);
        }
        foreach (var limits in await db.RiskLimits.AsNoTracking().OrderBy(l => l.Version).ThenBy(l => l.Id).ToListAsync(cancellationToken))
        {
            Apply(limits);
        }
        _proposals.AddRange(await db.RiskLimitProposals.AsNoTracking().Where(p => p.Status == RiskLimitProposalStatus.Pending).OrderBy(p => p.Id)
            .ToListAsync(cancellationToken));
        Publish();
    }

    private void Apply(TradingStatusRecord status)
    {
        switch (status.Scope)
        {
            case RiskScope.Firm:
                _firmStatus = status;
                break;
            case RiskScope.Trader:
                _traderStatus[long.Parse(status.Key, System.Globalization.CultureInfo.InvariantCulture)] = status;
                break;
            case RiskScope.Account:
                _accountStatus[long.Parse(status.Key, System.Globalization.CultureInfo.InvariantCulture)] = status;
                break;
            default:
                throw new InvalidOperationException($"trading status {status.Id}: scope {status.Scope} takes no trading status");
        }
    }

    private void Apply(RiskLimitRecord limits)
    {
        switch (limits.Scope)
        {
            case RiskScope.Firm:
                _firmLimits = limits;
                break;
            case RiskScope.ClientCategory:
                _categoryLimits[limits.Key] = limits;
                break;
            case RiskScope.Account:
                _accountLimits[long.Parse(limits.Key, System.Globalization.CultureInfo.InvariantCulture)] = limits;
                break;
            case RiskScope.Instrument:
                _instrumentLimits[limits.Key] = limits;
                break;
            default:
                throw new InvalidOperationException($"risk limits {limits.Id}: scope {limits.Scope} takes no limits");
        }
    }

    /// <summary>Readers get copies: the writer changes a pending proposal's row in place when it is decided.</summary>
    private static RiskLimitProposal Copy(RiskLimitProposal p) => new()
    {
        Id = p.Id, Scope = p.Scope, Key = p.Key, BasedOnVersion = p.BasedOnVersion, Currency = p.Currency, MaxOrderQuantity = p.MaxOrderQuantity,
        MaxOrderNotional = p.MaxOrderNotional, PriceCollarPct = p.PriceCollarPct, MaxOpenOrders = p.MaxOpenOrders, MaxOpenNotional = p.MaxOpenNotional,
        MaxLongPosition = p.MaxLongPosition, MaxShortPosition = p.MaxShortPosition, MaxConcentrationPct = p.MaxConcentrationPct,
        MaxIssuerHoldingPct = p.MaxIssuerHoldingPct, MaxAdvPct = p.MaxAdvPct, MaxVar = p.MaxVar, Reason = p.Reason, ProposedBy = p.ProposedBy,
        ProposedAt = p.ProposedAt, Status = p.Status,
    };

    private void Publish()
    {
        List<TradingStatusRecord> statuses = [.. _firmStatus is null ? [] : new[] { _firmStatus }, .. _traderStatus.Values, .. _accountStatus.Values];
        List<RiskLimitRecord> limits = [.. _firmLimits is null ? [] : new[] { _firmLimits }, .. _categoryLimits.Values, .. _accountLimits.Values, .. _instrumentLimits.Values];
        Volatile.Write(ref _current, new RiskControlsView(
            [.. statuses.OrderBy(s => s.Scope).ThenBy(s => s.Key, StringComparer.Ordinal)],
            [.. limits.OrderBy(l => l.Scope).ThenBy(l => l.Key, StringComparer.Ordinal)],
            [.. _proposals.Select(Copy)]));
    }
}

/// <summary>The trading statuses and limits in force and the proposals of limits waiting for a checker, as last committed.</summary>
internal sealed record RiskControlsView(IReadOnlyList<TradingStatusRecord> Statuses, IReadOnlyList<RiskLimitRecord> Limits,
    IReadOnlyList<RiskLimitProposal> PendingProposals)
{
    public static readonly RiskControlsView Empty = new([], [], []);

    /// <summary>The version of a scope's limits in force (0: none yet).</summary>
    public int VersionOf(RiskScope scope, string key) =>
        Limits.FirstOrDefault(l => l.Scope == scope && string.Equals(l.Key, key, StringComparison.Ordinal))?.Version ?? 0;
}
