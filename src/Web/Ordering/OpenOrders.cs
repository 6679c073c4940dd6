using System.Collections.Concurrent;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering;

/// <summary>
/// The working and held orders as the last commit left them, readable from any thread: an amend or cancel request finds the
/// order it names here (its type, state, prices, owner) and is checked and answered without a database read. The single
/// writer updates it after each commit, before it answers anyone (so an order a client has just heard about is here), and
/// rebuilds it at recovery. It is a read model: the writer, which owns the books, decides every command again.
/// </summary>
public sealed class OpenOrders
{
    /// <summary>How many orders that stopped working are remembered (so an amend or cancel racing a fill is answered from memory too).</summary>
    public const int RecentlyClosedCapacity = 16_384;

    private ConcurrentDictionary<long, OrderRecord> _orders = new();
    private readonly ConcurrentDictionary<long, OrderRecord> _closed = new();
    private readonly Queue<long> _closedOrder = new();

    /// <summary>How many orders are working or held.</summary>
    public int Count => _orders.Count;

    /// <summary>A copy of the open order with this id as of the last commit (never mutated afterwards).</summary>
    public bool TryGet(long orderId, out OrderRecord order) => _orders.TryGetValue(orderId, out order!);

    /// <summary>
    /// A copy of the order as the last commit left it if it was open recently: still working or held, or among the last
    /// <see cref="RecentlyClosedCapacity"/> orders that stopped working (filled, canceled, expired, rejected).
    /// </summary>
    public bool TryGetRecent(long orderId, out OrderRecord order) =>
        _orders.TryGetValue(orderId, out order!) || _closed.TryGetValue(orderId, out order!);

    /// <summary>The working and held orders on some accounts as of the last commit, oldest first (copies, never mutated afterwards).</summary>
    public IReadOnlyList<OrderRecord> OpenOn(IReadOnlyCollection<long> accounts) =>
        [.. _orders.Values.Where(o => accounts.Contains(o.AccountId)).OrderBy(o => o.Id)];

    /// <summary>After a commit (writer thread): the batch's changed orders join, change, or leave.</summary>
    internal void Committed(IEnumerable<OrderRecord> changed)
    {
        foreach (var order in changed)
        {
            if (order.IsWorking || order.IsHeld)
            {
                _orders[order.Id] = order.Snapshot();
            }
            else
            {
                // Closed: it was open before, or it closed in the batch that created it (filled on arrival, an IOC's
                // remainder, a self-trade cancel, refused by the rules). Either way an amend or cancel may follow at once.
                _orders.TryRemove(order.Id, out _);
                Remember(order.Snapshot());
            }
        }
    }

    private void Remember(OrderRecord closed)
    {
        if (!_closed.TryAdd(closed.Id, closed))
        {
            _closed[closed.Id] = closed;
            return;
        }
        _closedOrder.Enqueue(closed.Id);
        while (_closedOrder.Count > RecentlyClosedCapacity)
        {
            _closed.TryRemove(_closedOrder.Dequeue(), out _);
        }
    }

    /// <summary>After a rebuild of the books (writer thread).</summary>
    internal void Rebuild(IEnumerable<OrderRecord> open) =>
        _orders = new ConcurrentDictionary<long, OrderRecord>(open.Select(o => KeyValuePair.Create(o.Id, o.Snapshot())));
}
