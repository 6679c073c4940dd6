namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// Who may write a shard's order books (issue 18): the one row per shard that the nodes of a cluster contend for. A node holds
/// the lease while <see cref="ExpiresAt"/> (the database's clock) is ahead and it renews it; a takeover after expiry raises
/// <see cref="Epoch"/>, and every commit of the order writer updates this row only where the epoch is still its own, so a
/// leader that lost the lease (paused, cut off) can never commit again: its next commit touches no row and is rolled back.
/// </summary>
public sealed class WriterLease
{
    public required string Shard { get; set; }

    /// <summary>Raised by one at every change of holder: the fencing token.</summary>
    public long Epoch { get; set; }

    /// <summary>The node's name (<c>Cluster:NodeName</c>).</summary>
    public required string Holder { get; set; }

    /// <summary>Where the other nodes reach the holder (its <c>Cluster:AdvertisedUrl</c>): a standby forwards order commands there; null
    /// when the holder advertises none.</summary>
    public string? AdvertisedUrl { get; set; }

    public DateTime AcquiredAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>Batches the holders have committed (each commit's fence moves it by one).</summary>
    public long CommittedBatches { get; set; }
}
