namespace TradSys.Web.Persistence.Entities;

/// <summary>
/// A compliance officer's unfinished edit of a rule pack (table <c>rule_pack_drafts</c>): the editor's text exactly as it
/// was when saved, valid or not, and the published version it started from. One per pack and author, seen only by its
/// author: a draft is work in progress, not a proposal (what another officer reviews is the submission). Saving or
/// discarding a draft never touches the published pack and never submits anything.
/// </summary>
public sealed class RulePackDraft
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }
    /// <summary>The pack being edited (the route's id, which must be a published pack).</summary>
    public required string PackId { get; set; }
    /// <summary>Whose draft it is (user name).</summary>
    public required string Author { get; set; }
    /// <summary>The editor's text as saved; it may not parse or validate yet.</summary>
    public required string Json { get; set; }
    /// <summary>The published version the edit started from; a newer current version makes the draft stale.</summary>
    public required string BasedOnVersion { get; set; }
    /// <summary>When the draft was first saved (UTC).</summary>
    public DateTime CreatedAt { get; set; }
    /// <summary>When the draft was last saved (UTC).</summary>
    public DateTime SavedAt { get; set; }
    /// <summary>Raised by every save: the ETag, and the concurrency token that lets only one of two racing saves win.</summary>
    public long Revision { get; set; }
}
