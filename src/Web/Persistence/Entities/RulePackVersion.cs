namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// One published version of a rule pack, kept forever: the exact JSON text that was published, its SHA-256,
/// and who published it when. Versions are never edited or deleted; rollback moves <see cref="RulePackHead"/>.
/// </summary>
public sealed class RulePackVersion
{
    public long Id { get; set; }
    /// <summary>The pack id from the JSON (e.g. sec).</summary>
    public required string PackId { get; set; }
    /// <summary>The version string from the JSON; unique per pack.</summary>
    public required string Version { get; set; }
    /// <summary>The pack's JSON exactly as published.</summary>
    public required string Json { get; set; }
    /// <summary>SHA-256 of the UTF-8 bytes of <see cref="Json"/>, lowercase hex.</summary>
    public required string Sha256 { get; set; }
    public DateTime PublishedAt { get; set; }
    public required string PublishedBy { get; set; }
    public string? Comment { get; set; }
}

/// <summary>
/// Which version of a pack is current: one row per pack, so "exactly one current version" holds by the
/// primary key rather than by a flag that two writers could both set.
/// </summary>
public sealed class RulePackHead
{
    public required string PackId { get; set; }
    public long CurrentVersionId { get; set; }
    public RulePackVersion? CurrentVersion { get; set; }
    /// <summary>When the current version became current (publish or rollback).</summary>
    public DateTime ChangedAt { get; set; }
    public required string ChangedBy { get; set; }
}
