using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TradSys.Contracts;
using TradSys.Web.Apis;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence;
using TradSys.Web.Portal.Services;
using TradSys.Web.ReferenceData;
using TradeExecuted = TradSys.Contracts.TradeExecuted;

namespace TradSys.Web.Streaming;

/// <summary>
/// The source of the <c>portfolio</c> channel: for each account some connection follows, its positions with P&amp;L and its cash and
/// buying power, computed exactly as <c>GET /api/v1/positions</c> and <c>GET /api/v1/accounts/{id}/cash</c> compute them, sent whole
/// whenever they may have changed. What may change them: an order update of the account (a new buy reserves buying power, a cancel
/// frees it, a fill moves the position), a trade in an instrument it holds (the last price values the position), a deposit or
/// withdrawal (<see cref="Touch"/>). Changes are conflated: an account is computed at most once every
/// <see cref="StreamingOptions.PortfolioIntervalMilliseconds"/>, always after the change, so the last message is the current state.
/// One loop computes every account in turn, so each connection gets an account's states in order; a new subscription gets the
/// current state first. The feeds it hears are this node's (issue 17's bus fan-out to every node is not built yet).
/// </summary>
public sealed class PortfolioStream : BackgroundService
{
    /// <summary>Who the writer's queries of this channel are made for (queries are not audited; the name shows in traces).</summary>
    private const string Actor = "portfolio-stream";

    private readonly IServiceScopeFactory _scopes;
    private readonly OrderUpdateFeed _orders;
    private readonly TimeProvider _clock;
    private readonly ILogger<PortfolioStream> _log;
    private readonly TimeSpan _interval;
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<StreamConnection, byte>> _subscribers = new();
    private readonly ConcurrentDictionary<long, byte> _changed = new();
    private readonly ConcurrentQueue<(long Account, StreamConnection Connection)> _first = new();
    /// <summary>Per followed account, the instruments it held at its last computation (written by the loop only).</summary>
    private readonly ConcurrentDictionary<long, string[]> _held = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private bool _failing;

    public PortfolioStream(IServiceScopeFactory scopes, OrderUpdateFeed orders, TimeProvider clock, IOptions<StreamingOptions> options,
        ILogger<PortfolioStream> log)
    {
        (_scopes, _orders, _clock, _log) = (scopes, orders, clock, log);
        _interval = TimeSpan.FromMilliseconds(options.Value.PortfolioIntervalMilliseconds);
        _orders.Updated += OnOrderUpdate;
        _orders.Traded += OnTrade;
    }

    internal void Subscribe(long account, StreamConnection connection)
    {
        _subscribers.GetOrAdd(account, _ => new()).TryAdd(connection, 0);
        _first.Enqueue((account, connection));
        _wake.Release();
    }

    internal void Unsubscribe(long account, StreamConnection connection)
    {
        if (_subscribers.TryGetValue(account, out var set))
        {
            set.TryRemove(connection, out _);
        }
    }

    internal void Remove(StreamConnection connection)
    {
        foreach (var set in _subscribers.Values)
        {
            set.TryRemove(connection, out _);
        }
    }

    /// <summary>Something outside the order journal changed the account's cash (a deposit or withdrawal): its followers hear of it.</summary>
    public void Touch(long account)
    {
        if (Followed(account))
        {
            _changed[account] = 0;
            _wake.Release();
        }
    }

    private bool Followed(long account) => _subscribers.TryGetValue(account, out var set) && !set.IsEmpty;

    private void OnOrderUpdate(OrderUpdated update) => Touch(update.AccountId);

    private void OnTrade(TradeExecuted trade)
    {
        var any = false;
        foreach (var (account, symbols) in _held)
        {
            if (Array.IndexOf(symbols, trade.Symbol) >= 0 && Followed(account))
            {
                _changed[account] = 0;
                any = true;
            }
        }
        if (any)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _wake.WaitAsync(stoppingToken);
                // Everything that arrived meanwhile is handled by this round; drain the extra wake-ups it made.
                while (_wake.CurrentCount > 0 && _wake.Wait(0, CancellationToken.None))
                {
                }
                await RoundAsync(stoppingToken);
                // Conflation: a busy account is computed at most once an interval.
                await Task.Delay(_interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Computes each changed account once and sends it to its followers, and each new subscription's first state.</summary>
    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        var first = new Dictionary<long, List<StreamConnection>>();
        while (_first.TryDequeue(out var subscription))
        {
            if (!first.TryGetValue(subscription.Account, out var list))
            {
                first[subscription.Account] = list = [];
            }
            if (!list.Contains(subscription.Connection))
            {
                list.Add(subscription.Connection);
            }
        }
        var changed = new List<long>();
        foreach (var account in _changed.Keys)
        {
            if (_changed.TryRemove(account, out _))
            {
                changed.Add(account);
            }
        }
        var accounts = changed.Union(first.Keys).Where(Followed).ToList();
        if (accounts.Count == 0)
        {
            Forget();
            return;
        }
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<OrderWriter>();
        var referenceData = scope.ServiceProvider.GetRequiredService<ReferenceDataCache>();
        foreach (var account in accounts)
        {
            PortfolioMessage? message;
            try
            {
                message = await ComputeAsync(db, writer, referenceData, account, cancellationToken);
                _failing = false;
            }
            catch (Exception ex) when (ex is JournalUnavailableException or System.Data.Common.DbException)
            {
                // The writer or the database cannot answer now: this account is computed again next round, and a new subscriber
                // waits for it (logged once until a round works again).
                if (!_failing)
                {
                    _log.LogWarning(ex, "The portfolio channel cannot value account {Account} now; retrying", account);
                    _failing = true;
                }
                _changed[account] = 0;
                foreach (var connection in first.GetValueOrDefault(account) ?? [])
                {
                    _first.Enqueue((account, connection));
                }
                _wake.Release();
                continue;
            }
            if (message is null || !_subscribers.TryGetValue(account, out var set))
            {
                continue;
            }
            var payload = new Outbound(OutboundKind.Portfolio, StreamMessages.Serialize(message));
            // A changed account goes to every follower; an unchanged one only to those who have not had its state yet.
            IEnumerable<StreamConnection> to = changed.Contains(account) ? set.Keys : first.GetValueOrDefault(account) ?? [];
            foreach (var connection in to)
            {
                if (set.ContainsKey(connection))
                {
                    connection.OfferEssential(payload);
                }
            }
        }
        Forget();
    }

    private async Task<PortfolioMessage?> ComputeAsync(TradSysDbContext db, OrderWriter writer, ReferenceDataCache referenceData, long accountId,
        CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return null; // subscriptions are checked against existing accounts; accounts are never deleted
        }
        // The state sent is at least as new as this journal position: every change up to it is in what is read next.
        var sequence = writer.CommittedSequence;
        var positions = await PositionValuation.ValueAsync(db, writer, referenceData, Actor, [accountId], null, cancellationToken);
        var cash = (CashStatement)(await writer.SendAsync(new CashQuery(Actor, account), cancellationToken)).Risk!;
        _held[accountId] = [.. positions.Where(p => p.Quantity != 0).Select(p => p.Symbol)];
        return new PortfolioMessage(accountId, sequence, positions, CashResponse.From(cash), _clock.GetUtcNow());
    }

    /// <summary>Drops what is kept for accounts nobody follows any more.</summary>
    private void Forget()
    {
        foreach (var (account, set) in _subscribers)
        {
            if (set.IsEmpty)
            {
                _held.TryRemove(account, out _);
            }
        }
    }

    public override void Dispose()
    {
        _orders.Updated -= OnOrderUpdate;
        _orders.Traded -= OnTrade;
        _wake.Dispose();
        base.Dispose();
    }
}
