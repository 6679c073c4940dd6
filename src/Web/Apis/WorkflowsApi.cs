using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Workflows;
using TradSys.Workflows.Definitions;

namespace TradSys.Web.Apis;

/// <summary>
/// Workflow instances and definitions under /api/v1/workflows: an instance's whole history (tasks and transition log);
/// the definitions and their versions; validate a draft; publish a new version (refused with precise messages when
/// invalid or not newer; running instances keep the version they began with).
/// </summary>
public static class WorkflowsApi
{
    /// <summary>The shipped definitions are 1-3 KiB.</summary>
    public const int MaxDefinitionBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapWorkflowsApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/workflows").WithTags("Workflows");
        api.MapGet("/instances/{id:guid}", InstanceAsync).RequireAuthorization(Policies.ReadWorkflows).Produces<WorkflowInstanceResponse>()
            .WithSummary("An instance's full history: facts, tasks, transition log");
        api.MapGet("/definitions", DefinitionsAsync).RequireAuthorization(Policies.ReadWorkflows).Produces<IReadOnlyList<WorkflowDefinitionResponse>>()
            .WithSummary("Every definition version, current ones flagged");
        api.MapGet("/definitions/{id}/versions/{version:int}", DefinitionJsonAsync).RequireAuthorization(Policies.ReadWorkflows)
            .WithSummary("A definition version's JSON as published");
        api.MapPost("/definitions/validate", (Func<HttpContext, Task<IResult>>)ValidateAsync).RequireAuthorization(Policies.ManageWorkflows)
            .Produces<WorkflowValidationResponse>().ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("Validate a draft definition").WithDescription(
                "200 when it satisfies the schema and every check (reachable states, known targets, guards that compile, tasks with a " +
                "role, four-eyes with 2+ approvals, valid timers); else 400 with errors [{definition, version, state, transition, location, " +
                "line, position, message}]. Nothing is stored.");
        api.MapPost("/definitions/{id}/publish", PublishAsync).RequireAuthorization(Policies.ManageWorkflows)
            .Produces<WorkflowPublishedResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Publish a new version").WithDescription(
                "The body is the definition's JSON; its id must be the route's and its version greater than the current. New subjects " +
                "use it at once; running instances keep theirs. A bad definition never replaces a working one. Optional ?comment=.");
        return app;
    }

    private static async Task<IResult> InstanceAsync(Guid id, HttpContext http, TradSysDbContext db)
    {
        var ct = http.RequestAborted;
        var record = await db.WorkflowInstances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (record is null)
        {
            return Problems.NotFound($"no workflow instance {id}");
        }
        return TypedResults.Ok(await InstanceResponseAsync(db, record, ct));
    }

    internal static async Task<WorkflowInstanceResponse> InstanceResponseAsync(TradSysDbContext db, Persistence.Entities.WorkflowInstanceRecord record,
        CancellationToken ct)
    {
        var tasks = await db.WorkflowTasks.AsNoTracking().Where(t => t.InstanceId == record.Id).ToListAsync(ct);
        var log = await db.WorkflowTransitions.AsNoTracking().Where(t => t.InstanceId == record.Id).OrderBy(t => t.Sequence).ToListAsync(ct);
        var instance = WorkflowMapping.ToInstance(record, tasks);
        return new WorkflowInstanceResponse(instance.Id, instance.DefinitionId, instance.DefinitionVersion, record.Subject, instance.SubjectId, record.OrderId,
            instance.State, instance.Version, instance.CreatedAt, instance.UpdatedAt, instance.CompletedAt, instance.Facts,
            [.. instance.Tasks.Select(t => TaskResponse.From(t, instance, record.OrderId))], [.. log.Select(WorkflowTransitionResponse.Of)]);
    }

    private static async Task<IResult> DefinitionsAsync(HttpContext http, TradSysDbContext db, WorkflowCatalog catalog)
    {
        var rows = await db.WorkflowDefinitions.AsNoTracking().OrderBy(d => d.DefinitionId).ThenByDescending(d => d.Version).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(rows.Select(r =>
        {
            var compiled = catalog.Get(r.DefinitionId, r.Version);
            var current = catalog.Current.TryGetValue(r.DefinitionId, out var c) && c.Version == r.Version;
            return new WorkflowDefinitionResponse(r.DefinitionId, r.Version, compiled?.Document.Title ?? "", compiled is null ? "" : compiled.Subject.ToString(),
                compiled?.Document.Priority ?? 0, compiled?.Document.AppliesWhen, current, r.PublishedAt, r.PublishedBy, r.Sha256, r.Comment);
        }).ToList());
    }

    private static async Task<IResult> DefinitionJsonAsync(string id, int version, HttpContext http, TradSysDbContext db)
    {
        var row = await db.WorkflowDefinitions.AsNoTracking().SingleOrDefaultAsync(d => d.DefinitionId == id && d.Version == version, http.RequestAborted);
        return row is null
            ? Problems.NotFound($"workflow '{id}' has no version {version} (GET /api/v1/workflows/definitions lists them)")
            : TypedResults.Text(row.Json, "application/json");
    }

    private static async Task<IResult> ValidateAsync(HttpContext http)
    {
        var (json, problem) = await RequestBody.ReadTextAsync(http, MaxDefinitionBytes);
        if (problem is not null)
        {
            return problem;
        }
        return TryCompile(json!, "draft", out var workflow, out var errors)
            ? TypedResults.Ok(new WorkflowValidationResponse(true, workflow!.Id, workflow.Version, workflow.States.Count))
            : Invalid(errors);
    }

    private static async Task<IResult> PublishAsync(string id, HttpContext http, ClaimsPrincipal user, WorkflowDefinitionStore store)
    {
        var q = new Query(http.Request.Query);
        var comment = q.String("comment", 512);
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var (json, problem) = await RequestBody.ReadTextAsync(http, MaxDefinitionBytes);
        if (problem is not null)
        {
            return problem;
        }
        if (!TryCompile(json!, $"draft of {id}", out var workflow, out var errors))
        {
            return Invalid(errors);
        }
        if (!string.Equals(workflow!.Id, id, StringComparison.Ordinal))
        {
            return Problems.Invalid("id", $"the definition's id is '{workflow.Id}' but it is published to /api/v1/workflows/definitions/{id}; they must be the same");
        }
        var change = await store.PublishAsync(workflow, Caller.From(user).UserName, comment, http.RequestAborted);
        if (change == WorkflowDefinitionChange.VersionNotNewer)
        {
            var current = store.Catalog.Current[id].Version;
            return Problems.Conflict($"workflow '{id}' is at version {current}; a new version must be greater (give the draft version {current + 1})");
        }
        return TypedResults.Created($"/api/v1/workflows/definitions/{id}/versions/{workflow.Version}",
            new WorkflowPublishedResponse(workflow.Id, workflow.Version, true));
    }

    private static bool TryCompile(string json, string source, out CompiledWorkflow? workflow, out IReadOnlyList<WorkflowError> errors)
    {
        try
        {
            workflow = WorkflowCompiler.Compile(json, source);
            errors = [];
            return true;
        }
        catch (WorkflowDefinitionException ex)
        {
            workflow = null;
            errors = ex.Errors;
            return false;
        }
    }

    private static IResult Invalid(IReadOnlyList<WorkflowError> errors) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The workflow definition is not valid",
            detail: errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} problems, the first: {errors[0]}",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(WorkflowErrorResponse.From).ToList() });
}
