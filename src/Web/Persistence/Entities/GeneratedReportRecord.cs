namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One generated (or generating) report: which report, scope and business day, its status, and when
/// done the PDF with its SHA-256, and the data it was built from (canonical JSON, the PDF's
/// machine-readable twin) with the SHA-256 printed in the PDF's footers. The bytes live in the
/// database rather than under the data directory: they share the transaction, backups and
/// replication of the trades they report, and every node of a scale-out deployment can serve
/// them without a shared file system. Reports are small (tens to hundreds of KB a day).
/// </summary>
public sealed class GeneratedReportRecord
{
    public long Id { get; set; }
    public required string ReportId { get; set; }
    /// <summary>Venue code, or FIRM for a firm-wide report.</summary>
    public required string Scope { get; set; }
    public DateOnly BusinessDate { get; set; }
    /// <summary>1 for the first copy; a rerun asked for with force=true adds the next copy.</summary>
    public int Copy { get; set; }
    public ReportRunStatus Status { get; set; }
    /// <summary>on-demand or schedule.</summary>
    public required string Trigger { get; set; }
    public required string RequestedBy { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int Attempts { get; set; }
    public string? Error { get; set; }
    public string? FileName { get; set; }
    public string? Sha256 { get; set; }
    public string? DataSha256 { get; set; }
    public int? Pages { get; set; }
    public long? Length { get; set; }
    public byte[]? Content { get; set; }
    public byte[]? Data { get; set; }
    /// <summary>The regulator's machine-readable file (an ISO 20022 XML for transaction reports); null for reports that have none.</summary>
    public byte[]? Twin { get; set; }
    /// <summary>Media type of <see cref="Twin"/>.</summary>
    public string? TwinContentType { get; set; }
    /// <summary>Download file name of <see cref="Twin"/>.</summary>
    public string? TwinFileName { get; set; }
    /// <summary>SHA-256 (lower-case hex) of <see cref="Twin"/>.</summary>
    public string? TwinSha256 { get; set; }
}

/// <summary>Where a report run is.</summary>
public enum ReportRunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
