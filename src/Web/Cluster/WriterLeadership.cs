namespace TradSys.Web.Cluster;

/// <summary>
/// A term of the order writer's leadership as this node sees it now: whether it leads, and the epoch it leads under (the
/// fencing token every commit of the term carries). A new epoch is a new term: the writer rebuilds its books from the database
/// before its first batch, since another node may have written in between.
/// </summary>
/// <param name="Leads">This node is the writer of <paramref name="Shard"/>.</param>
/// <param name="Shard">The shard (<c>Cluster:Shard</c>).</param>
/// <param name="Epoch">The lease's epoch while leading (0 on a single node, which needs no fence).</param>
/// <param name="Fenced">Commits must carry the epoch (a cluster); false on a single node.</param>
/// <param name="Leader">The node holding the lease as last seen (null when unknown).</param>
/// <param name="LeaderUrl">Where the other nodes reach that leader (its <c>Cluster:AdvertisedUrl</c> in the lease row; null when it
/// advertises none or the leader is unknown).</param>
public readonly record struct WriterTerm(bool Leads, string Shard, long Epoch, bool Fenced, string? Leader, Uri? LeaderUrl = null)
{
    /// <summary>What a commit of this term must check: null on a single node.</summary>
    public WriterFence? Fence => Leads && Fenced ? new WriterFence(Shard, Epoch) : null;
}

/// <summary>The epoch a commit checks, in the same transaction, against the shard's lease row.</summary>
public sealed record WriterFence(string Shard, long Epoch);

/// <summary>Who writes the order books: this node always (a single node), or the holder of a lease (a cluster).</summary>
public interface IWriterLeadership
{
    /// <summary>The term as of now (any thread; cheap: read before every batch).</summary>
    WriterTerm Current { get; }

    /// <summary>The writer found its term over (a commit was fenced): stop leading under <paramref name="epoch"/> at once.</summary>
    void Lost(long epoch, string reason);
}

/// <summary>One node, no cluster: it is the writer, always, and its commits need no fence.</summary>
public sealed class SingleNodeLeadership : IWriterLeadership
{
    public WriterTerm Current { get; } = new(true, ClusterOptions.DefaultShard, 0, Fenced: false, Leader: null);

    public void Lost(long epoch, string reason) =>
        throw new InvalidOperationException($"a single node's writer cannot lose its leadership (epoch {epoch}: {reason})");
}

/// <summary>A commit of a term that is over: the shard's lease has a newer epoch (or no row). Nothing of the batch was committed.</summary>
public sealed class WriterFencedException(WriterFence fence)
    : Exception($"the order writer's lease of shard '{fence.Shard}' is no longer at epoch {fence.Epoch} (another node took it over): the batch was rolled back")
{
    public WriterFence Fence { get; } = fence;
}
