using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Rules.Compilation;
using TradSys.Rules.Evaluation;
using TradSys.Rules.Packs;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.RulePacks;

/// <summary>What a publish or rollback came to.</summary>
public enum RulePackChangeOutcome
{
    /// <summary>Stored, audited and swapped in.</summary>
    Done,
    /// <summary>Publish: the pack already has a version with this version string.</summary>
    VersionExists,
    /// <summary>Rollback: no pack with this id has been published.</summary>
    PackNotFound,
    /// <summary>Rollback: the pack has no stored version with this version string.</summary>
    VersionNotFound,
    /// <summary>Rollback: the version asked for is already current.</summary>
    AlreadyCurrent,
}

/// <summary>The result of a publish or rollback.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Version">The version now current (when done).</param>
/// <param name="PreviousVersion">The version that was current before, if any.</param>
public sealed record RulePackChange(RulePackChangeOutcome Outcome, RulePackVersion? Version = null, string? PreviousVersion = null);

/// <summary>
/// Keeps the published rule packs: their version history in the database and the compiled set in the
/// <see cref="RuleEvaluator"/>. A change is validated and compiled first, then stored with its audit record in
/// one transaction, and only after that commit swapped into the evaluator, so a change that cannot be stored
/// never runs and a bad draft never replaces the published pack. The swap is one reference write
/// (<see cref="RuleEvaluator.Publish"/>): an evaluation runs wholly against the old set or wholly against the
/// new. Changes are serialised here because each new set is built from the current one.
/// </summary>
/// <remarks>Many nodes (issue 18): a change made on another node reaches this node's order writer through <see cref="RefreshAsync"/>,
/// which the writer calls before a batch whenever the heads' change counter moved (a trigger on <c>rule_pack_heads</c>).</remarks>
public sealed class RulePackStore(RuleEvaluator evaluator, IServiceScopeFactory scopes, AuditTrail audit, TimeProvider clock,
    ILogger<RulePackStore> logger)
{
    /// <summary>The actor recorded for packs loaded from the rulesets folder at first start.</summary>
    public const string SystemActor = "system";

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The evaluator the order path will use.</summary>
    public RuleEvaluator Evaluator => evaluator;

    /// <summary>Parses, validates and compiles a pack's JSON.</summary>
    /// <exception cref="RulePackException">Any problem, with every error found.</exception>
    public static CompiledPack Compile(string json, string source) => RulePackCompiler.Compile(RulePackLoader.Parse(json, source), source);

    /// <summary>SHA-256 of the text's UTF-8 bytes, lowercase hex.</summary>
    public static string Sha256Of(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>
    /// SHA-256 of what a pack's JSON says, lowercase hex, or null when it does not parse: every key, value and their order
    /// count; insignificant whitespace, how a string is escaped and the root <c>version</c> do not. The version is left out
    /// because it is the name a submission gives the content (the editor writes it into the JSON, re-indented, only at
    /// submit), so a replay of a draft and the submission of that same draft under a new version have the same hash, while
    /// a draft differing in any rule, parameter or date has another.
    /// </summary>
    public static string? ContentSha256Of(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                WriteCanonical(writer, document.RootElement, root: true);
            }
            return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
        }
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool root)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (root && string.Equals(property.Name, "version", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value, root: false);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, root: false);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers keep their text (15 and 15.0 are different drafts); true, false and null are what they are.
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }

    /// <summary>
    /// Start-up: runs the current version of every stored pack. When the database has no packs yet, loads every
    /// pack file in <paramref name="rulesetsDirectory"/> and stores each as its first version, published by
    /// <see cref="SystemActor"/>. Any pack that does not load stops the start with its precise errors.
    /// </summary>
    /// <exception cref="RulePackException">A pack does not load or compile.</exception>
    /// <exception cref="InvalidOperationException">The database has no packs and no rulesets folder was found.</exception>
    public async Task LoadAsync(string? rulesetsDirectory, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var stored = await db.RulePackHeads.AsNoTracking().OrderBy(h => h.PackId).Select(h => h.CurrentVersion!).ToListAsync(cancellationToken);
        if (stored.Count > 0)
        {
            var packs = CompileAll(stored.Select(v => (v.Json, $"{v.PackId}@{v.Version} (database)")));
            evaluator.Publish(CompiledRuleSet.Create(packs));
            logger.LogInformation("Rule packs loaded from the database: {Packs}", string.Join(", ", packs.Select(p => $"{p.Id} {p.Version}")));
            return;
        }

        if (rulesetsDirectory is null)
        {
            throw new InvalidOperationException(
                "The database holds no rule packs and no rulesets folder was found: set Rules:Directory (environment variable " +
                "Rules__Directory) to the folder holding rulepack.schema.json and the pack files.");
        }
        var files = Directory.GetFiles(rulesetsDirectory, "*.json")
            .Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Json: File.ReadAllText(f), Source: Path.GetFileName(f)))
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"The database holds no rule packs and {rulesetsDirectory} has no pack files (*.json).");
        }
        var compiled = CompileAll(files);
        var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
        var entries = new List<AuditEntry>();
        for (var i = 0; i < files.Count; i++)
        {
            var version = NewVersion(compiled[i], files[i].Json, now, SystemActor, $"loaded from rulesets/{files[i].Source}");
            db.RulePackHeads.Add(new RulePackHead { PackId = version.PackId, CurrentVersion = version, ChangedAt = now, ChangedBy = SystemActor });
            entries.Add(PublishedEntry(version, null, now));
        }
        await audit.SaveWithAsync(db, entries, cancellationToken);
        evaluator.Publish(CompiledRuleSet.Create(compiled));
        logger.LogInformation("Rule packs loaded from {Directory} and stored as their first versions: {Packs}", rulesetsDirectory,
            string.Join(", ", compiled.Select(p => $"{p.Id} {p.Version}")));
    }

    /// <summary>Stores <paramref name="pack"/> (compiled from <paramref name="json"/>) as a new version, makes it current, audits it and swaps it in.</summary>
    /// <remarks><paramref name="alongside"/>: more work for the same transaction (the approving workflow instance's change);
    /// its <see cref="DbUpdateConcurrencyException"/> rolls the whole publish back and is rethrown.</remarks>
    public async Task<RulePackChange> PublishAsync(CompiledPack pack, string json, string actor, string? comment, CancellationToken cancellationToken,
        Func<TradSysDbContext, CancellationToken, Task>? alongside = null)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            if (await VersionExistsAsync(db, pack.Id, pack.Version, cancellationToken))
            {
                return new RulePackChange(RulePackChangeOutcome.VersionExists);
            }
            var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
            var version = NewVersion(pack, json, now, actor, comment);
            var head = await db.RulePackHeads.Include(h => h.CurrentVersion).SingleOrDefaultAsync(h => h.PackId == pack.Id, cancellationToken);
            var previous = head?.CurrentVersion?.Version;
            if (head is null)
            {
                db.RulePackHeads.Add(new RulePackHead { PackId = pack.Id, CurrentVersion = version, ChangedAt = now, ChangedBy = actor });
            }
            else
            {
                head.CurrentVersion = version;
                head.ChangedAt = now;
                head.ChangedBy = actor;
            }
            if (alongside is not null)
            {
                await alongside(db, cancellationToken);
            }
            try
            {
                await audit.SaveWithAsync(db, [PublishedEntry(version, previous, now)], cancellationToken);
            }
            catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
            {
                // Another node may have published the same version first; the unique (pack, version) index kept one.
                await using var check = scopes.CreateAsyncScope();
                if (await VersionExistsAsync(check.ServiceProvider.GetRequiredService<TradSysDbContext>(), pack.Id, pack.Version, cancellationToken))
                {
                    return new RulePackChange(RulePackChangeOutcome.VersionExists);
                }
                throw;
            }
            evaluator.Publish(evaluator.RuleSet.With(pack));
            logger.LogInformation("Rule pack {Pack} {Version} published by {Actor} (was {Previous})", pack.Id, pack.Version, actor, previous ?? "none");
            return new RulePackChange(RulePackChangeOutcome.Done, version, previous);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Brings the evaluator up to the packs current in the database: any pack whose current version differs from the one in
    /// use (published or rolled back on another node, or on this one a moment ago) is compiled from its stored text and
    /// swapped in, under the same lock as a publish. Called by the order writer, on its connection, before a batch whose
    /// orders the packs decide, whenever the heads' change counter moved.
    /// </summary>
    /// <exception cref="RulePackException">A stored version no longer compiles: the batch is refused rather than decided by a stale pack.</exception>
    public async Task RefreshAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        var heads = await db.RulePackHeads.AsNoTracking().Select(h => new { h.PackId, h.CurrentVersion!.Version }).ToListAsync(cancellationToken);
        var inUse = evaluator.RuleSet;
        var stale = heads.Where(h => inUse.Find(h.PackId)?.Version != h.Version).Select(h => h.PackId).ToList();
        if (stale.Count == 0)
        {
            return;
        }
        var versions = await db.RulePackHeads.AsNoTracking().Where(h => stale.Contains(h.PackId)).Select(h => h.CurrentVersion!)
            .ToListAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // A publish on this node may have swapped some in while this waited for its lock.
            var set = evaluator.RuleSet;
            versions = [.. versions.Where(v => set.Find(v.PackId)?.Version != v.Version)];
            foreach (var version in versions)
            {
                set = set.With(Compile(version.Json, $"{version.PackId}@{version.Version} (database)"));
            }
            if (versions.Count == 0)
            {
                return;
            }
            evaluator.Publish(set);
        }
        finally
        {
            _gate.Release();
        }
        logger.LogInformation("Rule packs brought up to the database's current versions: {Packs}",
            string.Join(", ", versions.Select(v => $"{v.PackId} {v.Version}")));
    }

    /// <summary>Makes a stored version current again, audits it and swaps it in.</summary>
    /// <exception cref="RulePackException">The stored version no longer compiles (the compiler became stricter since).</exception>
    /// <remarks><paramref name="alongside"/>: more work for the same transaction, as for <see cref="PublishAsync"/>.</remarks>
    public async Task<RulePackChange> RollbackAsync(string packId, string versionString, string actor, string? comment, CancellationToken cancellationToken,
        Func<TradSysDbContext, CancellationToken, Task>? alongside = null)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var head = await db.RulePackHeads.Include(h => h.CurrentVersion).SingleOrDefaultAsync(h => h.PackId == packId, cancellationToken);
            if (head is null)
            {
                return new RulePackChange(RulePackChangeOutcome.PackNotFound);
            }
            var target = await db.RulePackVersions.SingleOrDefaultAsync(v => v.PackId == packId && v.Version == versionString, cancellationToken);
            if (target is null)
            {
                return new RulePackChange(RulePackChangeOutcome.VersionNotFound);
            }
            var previous = head.CurrentVersion!.Version;
            if (target.Id == head.CurrentVersionId)
            {
                return new RulePackChange(RulePackChangeOutcome.AlreadyCurrent, target, previous);
            }
            var pack = Compile(target.Json, $"{packId}@{versionString} (database)");
            var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
            head.CurrentVersion = target;
            head.ChangedAt = now;
            head.ChangedBy = actor;
            if (alongside is not null)
            {
                await alongside(db, cancellationToken);
            }
            await audit.SaveWithAsync(db, [new AuditEntry(now, actor, "rulepack.rolled_back", $"rulepack/{packId}",
                AuditTrail.Serialize(new { pack = packId, version = target.Version, sha256 = target.Sha256, previousVersion = previous, comment }))],
                cancellationToken);
            evaluator.Publish(evaluator.RuleSet.With(pack));
            logger.LogInformation("Rule pack {Pack} rolled back from {Previous} to {Version} by {Actor}", packId, previous, target.Version, actor);
            return new RulePackChange(RulePackChangeOutcome.Done, target, previous);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether the pack already has a stored version with this version string.</summary>
    public async Task<bool> VersionExistsAsync(string packId, string version, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await VersionExistsAsync(scope.ServiceProvider.GetRequiredService<TradSysDbContext>(), packId, version, cancellationToken);
    }

    private static Task<bool> VersionExistsAsync(TradSysDbContext db, string packId, string version, CancellationToken cancellationToken) =>
        db.RulePackVersions.AsNoTracking().AnyAsync(v => v.PackId == packId && v.Version == version, cancellationToken);

    private static RulePackVersion NewVersion(CompiledPack pack, string json, DateTime now, string actor, string? comment) => new()
    {
        PackId = pack.Id, Version = pack.Version, Json = json, Sha256 = Sha256Of(json), PublishedAt = now, PublishedBy = actor,
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
    };

    private static AuditEntry PublishedEntry(RulePackVersion version, string? previous, DateTime now) =>
        new(now, version.PublishedBy, "rulepack.published", $"rulepack/{version.PackId}", AuditTrail.Serialize(new
        {
            pack = version.PackId, version = version.Version, sha256 = version.Sha256, previousVersion = previous, comment = version.Comment,
        }));

    /// <summary>Compiles every pack, collecting the errors of all bad ones, and refuses two packs with one id.</summary>
    private static List<CompiledPack> CompileAll(IEnumerable<(string Json, string Source)> packs)
    {
        var compiled = new List<CompiledPack>();
        var errors = new List<RulePackError>();
        foreach (var (json, source) in packs)
        {
            try
            {
                var pack = Compile(json, source);
                if (compiled.Find(p => string.Equals(p.Id, pack.Id, StringComparison.Ordinal)) is not null)
                {
                    errors.Add(new RulePackError(source, pack.Id, null, "id", null, null, $"pack id '{pack.Id}' is already used by another pack file"));
                }
                compiled.Add(pack);
            }
            catch (RulePackException ex)
            {
                errors.AddRange(ex.Errors);
            }
        }
        return errors.Count > 0 ? throw new RulePackException(errors) : compiled;
    }
}
