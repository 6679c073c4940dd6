using System.Threading.Channels;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering;

/// <summary>A committed batch as the single writer hands it to the outbox: its journal entries and trades, and their orders.</summary>
/// <param name="Events">The batch's journal entries, in sequence.</param>
/// <param name="Trades">The batch's trades, in id order.</param>
/// <param name="Orders">The orders the entries belong to (only their identity is read: client order id, account, symbol, side).</param>
public sealed record CommittedJournal(IReadOnlyList<OrderEventRecord> Events, IReadOnlyList<TradeRecord> Trades, IReadOnlyDictionary<long, OrderRecord> Orders);

/// <summary>
/// Hands what the single writer has just committed to the outbox publisher in memory, so it is published without being
/// read back from the database. The hand-over is bounded and never blocks the writer: when the publisher falls more than
/// <see cref="Capacity"/> batches behind, later batches are not queued and the publisher catches up from the database
/// (it always can: its cursor says where it is, and the journal holds everything committed).
/// </summary>
public sealed class OutboxSignal
{
    /// <summary>Committed batches the publisher may fall behind by before it reads from the database instead.</summary>
    public const int Capacity = 4096;

    private readonly Channel<CommittedJournal> _committed = Channel.CreateBounded<CommittedJournal>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>The writer's hand-over after a commit (writer thread; never blocks).</summary>
    public void Committed(CommittedJournal journal) => _committed.Writer.TryWrite(journal);

    /// <summary>The next committed batch, if one is waiting.</summary>
    public bool TryTake(out CommittedJournal journal) => _committed.Reader.TryRead(out journal!);

    /// <summary>Waits until a batch is handed over or <paramref name="timeout"/> passes.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return await _committed.Reader.WaitToReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
