using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.RulePacks;
using TradSys.Workflows.Definitions;

namespace TradSys.Web.Workflows;

/// <summary>What publishing a definition came to.</summary>
public enum WorkflowDefinitionChange
{
    /// <summary>Stored, audited, current.</summary>
    Published,
    /// <summary>The version is not greater than the current one.</summary>
    VersionNotNewer,
}

/// <summary>
/// Keeps the workflow definitions: every published version in the database, all of them compiled in the
/// <see cref="WorkflowCatalog"/> (an instance runs on the version it began with), the highest of each id current. A
/// new version is compiled first, then stored with its audit record, and only after that commit made current: a bad
/// or unstorable definition never replaces a working one.
/// </summary>
public sealed class WorkflowDefinitionStore(WorkflowCatalog catalog, IServiceScopeFactory scopes, AuditTrail audit, TimeProvider clock,
    ILogger<WorkflowDefinitionStore> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The catalogue the runtime reads.</summary>
    public WorkflowCatalog Catalog => catalog;

    /// <summary>
    /// Start-up: compiles every stored version. When none is stored yet, loads <c>workflows/*.json</c> under
    /// <paramref name="rulesetsDirectory"/> and stores each as published by the system. A definition that does not compile
    /// stops the start with its precise errors.
    /// </summary>
    /// <exception cref="WorkflowDefinitionException">A definition does not compile.</exception>
    public async Task LoadAsync(string? rulesetsDirectory, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var stored = await db.WorkflowDefinitions.AsNoTracking().OrderBy(d => d.DefinitionId).ThenBy(d => d.Version).ToListAsync(cancellationToken);
        if (stored.Count == 0)
        {
            var folder = rulesetsDirectory is null ? null : Path.Combine(rulesetsDirectory, "workflows");
            if (folder is null || !Directory.Exists(folder))
            {
                throw new InvalidOperationException(
                    "The database holds no workflow definitions and no rulesets/workflows folder was found (Rules:Directory locates rulesets).");
            }
            var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
            var entries = new List<AuditEntry>();
            var errors = new List<WorkflowError>();
            foreach (var file in Directory.GetFiles(folder, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var json = await File.ReadAllTextAsync(file, cancellationToken);
                try
                {
                    var compiled = WorkflowCompiler.Compile(json, Path.GetFileName(file));
                    stored.Add(NewRecord(compiled, json, now, RulePackStore.SystemActor, $"loaded from rulesets/workflows/{Path.GetFileName(file)}"));
                }
                catch (WorkflowDefinitionException ex)
                {
                    errors.AddRange(ex.Errors);
                }
            }
            if (errors.Count > 0)
            {
                throw new WorkflowDefinitionException(errors);
            }
            db.WorkflowDefinitions.AddRange(stored);
            entries.AddRange(stored.Select(PublishedEntry));
            await audit.SaveWithAsync(db, entries, cancellationToken);
        }

        var all = new List<WorkflowError>();
        foreach (var record in stored)
        {
            try
            {
                var compiled = WorkflowCompiler.Compile(record.Json, $"{record.DefinitionId} v{record.Version} (database)");
                if (catalog.Publish(compiled) == WorkflowPublishOutcome.VersionNotNewer)
                {
                    catalog.AddHistoric(compiled);
                }
            }
            catch (WorkflowDefinitionException ex)
            {
                all.AddRange(ex.Errors);
            }
        }
        if (all.Count > 0)
        {
            throw new WorkflowDefinitionException(all);
        }
        logger.LogInformation("Workflow definitions loaded: {Definitions}", string.Join(", ", catalog.Current.Values.Select(w => $"{w.Id} v{w.Version}")));
    }

    /// <summary>Stores a compiled definition as a new version, audits it and makes it current.</summary>
    public async Task<WorkflowDefinitionChange> PublishAsync(CompiledWorkflow workflow, string actor, string? comment, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (catalog.Current.TryGetValue(workflow.Id, out var current) && current.Version >= workflow.Version)
            {
                return WorkflowDefinitionChange.VersionNotNewer;
            }
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var record = NewRecord(workflow, workflow.Json, AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime), actor, comment);
            db.WorkflowDefinitions.Add(record);
            await audit.SaveWithAsync(db, [PublishedEntry(record)], cancellationToken);
            catalog.Publish(workflow);
            logger.LogInformation("Workflow {Id} v{Version} published by {Actor}", workflow.Id, workflow.Version, actor);
            return WorkflowDefinitionChange.Published;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static WorkflowDefinitionRecord NewRecord(CompiledWorkflow workflow, string json, DateTime now, string actor, string? comment) => new()
    {
        DefinitionId = workflow.Id, Version = workflow.Version, Json = json, Sha256 = RulePackStore.Sha256Of(json), PublishedAt = now, PublishedBy = actor,
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
    };

    private static AuditEntry PublishedEntry(WorkflowDefinitionRecord r) =>
        new(r.PublishedAt, r.PublishedBy, "workflow.published", $"workflow/{r.DefinitionId}", AuditTrail.Serialize(new
        {
            definition = r.DefinitionId, version = r.Version, sha256 = r.Sha256, comment = r.Comment,
        }));
}
