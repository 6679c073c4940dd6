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
    private ConcurrentDictionary<long, OrderRecord> _orders = new();

    /// <summary>How many orders are working or held.</summary>
    public int Count => _orders.Count;

    /// <summary>A copy of the open order with this id as of the last commit (never mutated afterwards).</summary>
    public bool TryGet(long orderId, out OrderRecord order) => _orders.TryGetValue(orderId, out order!);

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
                _orders.TryRemove(order.Id, out _);
            }
        }
    }

    /// <summary>After a rebuild of the books (writer thread).</summary>
    internal void Rebuild(IEnumerable<OrderRecord> open) =>
        _orders = new ConcurrentDictionary<long, OrderRecord>(open.Select(o => KeyValuePair.Create(o.Id, o.Snapshot())));
}
