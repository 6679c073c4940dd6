using TradSys.Web.Cluster;
using TradSys.Workflows.Definitions;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Workflows;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Apis;

/// <summary>
/// The task inbox under /api/v1/tasks: the open tasks for the caller's roles; claim; approve or reject (with a reason);
/// reassign. A decision on an order's task is carried out by the single writer (the held order released to the engine,
/// price limits and session re-checked then, or rejected) in one transaction with the instance's change; a decision on a
/// rule-pack change's task publishes the change in one transaction with it. Refused, with problem details and nothing
/// changed: an unknown task (404), a role the caller lacks or the maker deciding on their own order or pack (403), a task
/// no longer open, claimed by someone else, already approved by the caller, or an instance changed since the caller read
/// it (409), a rejection without a reason (400).
/// </summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapTasksApiV1(this IEndpointRouteBuilder app)
    {
        const string TaskResend = "a claim, approval or rejection already made is refused when sent again (409: the task is closed, " +
            "already claimed or approved by you, or its version has moved on), never made twice; a reassignment sent again finds the task " +
            "assigned already and changes nothing (200, outcome Unchanged, nothing added to the task's history)";
        var api = app.MapGroup("/api/v1/tasks").WithTags("Tasks");
        api.MapGet("/", ListAsync).RequireAuthorization(Policies.Tasks).Produces<IReadOnlyList<TaskResponse>>()
            .WithSummary("My inbox: the tasks for my roles").WithDescription(
                "status=open (default: open tasks whose role I hold) or all (also closed ones, newest first, up to 200).");
        api.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Policies.Tasks).Produces<TaskResponse>().WithSummary("A task");
        api.MapPost("/{id:guid}/claim", (Guid id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer,
                RulePackApprovals approvals) => DecideAsync(id, WorkflowTaskAction.Claim, http, user, db, writer, approvals))
            .ForwardedToTheWriter(TaskResend)
            .RequireAuthorization(Policies.Tasks).Produces<TaskDecisionResponse>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Claim a task: only you may decide it until you decide or it is reassigned");
        api.MapPost("/{id:guid}/approve", (Guid id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer,
                RulePackApprovals approvals) => DecideAsync(id, WorkflowTaskAction.Approve, http, user, db, writer, approvals))
            .ForwardedToTheWriter(TaskResend)
            .RequireAuthorization(Policies.Tasks).Produces<TaskDecisionResponse>().ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Approve").WithDescription(
                "{\"comment\": optional, \"version\": optional}. With all its approvals (two different people for four-eyes) the workflow " +
                "goes on: a held order is released to the engine (re-validated now; if the session is closed or the price is outside today's " +
                "limits nothing changes and the answer is 409), a rule-pack change goes live.");
        api.MapPost("/{id:guid}/reject", (Guid id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer,
                RulePackApprovals approvals) => DecideAsync(id, WorkflowTaskAction.Reject, http, user, db, writer, approvals))
            .ForwardedToTheWriter(TaskResend)
            .RequireAuthorization(Policies.Tasks).Produces<TaskDecisionResponse>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Reject with a reason").WithDescription("{\"comment\": the reason (required), \"version\": optional}.");
        api.MapPost("/{id:guid}/reassign", ReassignAsync).ForwardedToTheWriter(TaskResend).RequireAuthorization(Policies.Tasks).Produces<TaskDecisionResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Reassign to a user or a role").WithDescription(
                "{\"user\": a user holding the task's role, or \"role\": another role; \"comment\", \"version\" optional}. The answer's " +
                "outcome is Done when the task was reassigned, or Unchanged when it was assigned so already (to that user; to that role and " +
                "unclaimed): nothing is written, its history gets no second entry and the task is answered as it is, so sending the request " +
                "again is safe.");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ClaimsPrincipal user, TradSysDbContext db, WorkflowCatalog catalog)
    {
        var q = new Query(http.Request.Query);
        var status = q.String("status") ?? "open";
        if (status is not ("open" or "all"))
        {
            q.Add("status", "must be open or all");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        var caller = Caller.From(user);
        var roles = caller.Roles.ToList();
        var tasks = db.WorkflowTasks.AsNoTracking().Where(t => roles.Contains(t.Role) || t.ClaimedBy == caller.UserName);
        tasks = status == "open" ? tasks.Where(t => t.Status == "Open") : tasks;
        var rows = await tasks.OrderByDescending(t => t.OpenedAt).Take(200).ToListAsync(http.RequestAborted);
        return TypedResults.Ok(await ResponsesAsync(db, rows, http.RequestAborted, catalog));
    }

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, TradSysDbContext db, WorkflowCatalog catalog)
    {
        var row = await db.WorkflowTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, http.RequestAborted);
        return row is null ? TaskNotFound(id) : TypedResults.Ok((await ResponsesAsync(db, [row], http.RequestAborted, catalog))[0]);
    }

    private static async Task<IResult> ReassignAsync(Guid id, HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer,
        RulePackApprovals approvals)
    {
        var (request, problem) = await RequestBody.ReadAsync<TaskReassignRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var toUser = string.IsNullOrWhiteSpace(request!.User) ? null : request.User.Trim();
        var toRole = string.IsNullOrWhiteSpace(request.Role) ? null : request.Role.Trim();
        if ((toUser is null) == (toRole is null))
        {
            return Problems.Invalid("user", "name exactly one of user (a person holding the task's role) and role");
        }
        var task = await db.WorkflowTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, http.RequestAborted);
        if (task is null)
        {
            return TaskNotFound(id);
        }
        if (toRole is not null && !Roles.All.Contains(toRole, StringComparer.Ordinal))
        {
            return Problems.Invalid("role", $"'{toRole}' is not a role ({string.Join(", ", Roles.All)})");
        }
        if (toUser is not null)
        {
            var target = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == toUser, http.RequestAborted);
            if (target is null || !target.IsActive)
            {
                return Problems.Invalid("user", $"no active user '{toUser}'");
            }
            if (!target.RoleList().Contains(task.Role, StringComparer.Ordinal))
            {
                return Problems.Invalid("user", $"{toUser} does not hold the task's role '{task.Role}'");
            }
        }
        return await SendAsync(task.Id, WorkflowTaskAction.Reassign, request.Comment, toUser, toRole, request.Version, http, user, db, writer, approvals);
    }

    private static async Task<IResult> DecideAsync(Guid id, WorkflowTaskAction action, HttpContext http, ClaimsPrincipal user, TradSysDbContext db,
        OrderWriter writer, RulePackApprovals approvals)
    {
        TaskDecisionRequest request = new();
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await RequestBody.ReadAsync<TaskDecisionRequest>(http);
            if (problem is not null)
            {
                return problem;
            }
            request = body!;
        }
        if (request.Comment is { Length: > 1024 })
        {
            return Problems.Invalid("comment", "must be at most 1024 characters");
        }
        if (action == WorkflowTaskAction.Reject && string.IsNullOrWhiteSpace(request.Comment))
        {
            return Problems.Invalid("comment", "is required to reject: the reason, which the trader (or the pack's author) sees");
        }
        return await SendAsync(id, action, request.Comment?.Trim(), null, null, request.Version, http, user, db, writer, approvals);
    }

    private static async Task<IResult> SendAsync(Guid id, WorkflowTaskAction action, string? comment, string? toUser, string? toRole, long? version,
        HttpContext http, ClaimsPrincipal user, TradSysDbContext db, OrderWriter writer, RulePackApprovals approvals)
    {
        var ct = http.RequestAborted;
        var caller = Caller.From(user);
        var by = new WorkflowActor(caller.UserName, [.. caller.Roles]);
        var task = await db.WorkflowTasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (task is null)
        {
            return TaskNotFound(id);
        }
        if (await RulePackApprovals.InstanceOfTaskAsync(db, id, ct) is not null)
        {
            var decision = await approvals.ActAsync(id, action, by, comment, toUser, toRole, version, ct);
            if (decision.Conflict)
            {
                return Problems.Conflict(version is { } v && decision.Step is null
                    ? $"the workflow instance is at version {decision.Instance!.Version}, not {v}: read the task again"
                    : "another decision on this workflow instance was made at the same moment; read the task again");
            }
            if (decision.Problem is not null)
            {
                return Problems.Conflict(decision.Problem + "; nothing was changed");
            }
            return Answer(decision.Step!, decision.Instance!, id, null, null);
        }

        SequencerResult result;
        try
        {
            result = await writer.SendAsync(new WorkflowTaskCommand(caller.UserName, by, id, action, comment, toUser, toRole, version), ct);
        }
        catch (JournalUnavailableException ex)
        {
            return Problems.Unavailable(ex.Message);
        }
        return result.Outcome switch
        {
            SequencerOutcome.WorkflowNotFound => Problems.Conflict($"task {id} is {task.Status}, not open: its workflow has finished"),
            SequencerOutcome.WorkflowConflict => Problems.Conflict(
                $"the workflow instance is at version {result.Instance!.Version}, not {version}: read the task again"),
            SequencerOutcome.WorkflowStep => Answer(result.Workflow!, result.Instance!, id, result.Order, result),
            _ => Problems.Conflict(result.Workflow?.Message ?? $"the order could not be released: {RejectReasons.Describe(result.Code)}"),
        };
    }

    private static IResult Answer(WorkflowStepResult step, WorkflowInstance instance, Guid taskId, Persistence.Entities.OrderRecord? order,
        SequencerResult? result)
    {
        var task = instance.Tasks.Find(t => t.Id == taskId);
        long? orderId = instance.Subject == TradSys.Workflows.Definitions.WorkflowSubject.Order ? OrderWorkflowStage.OrderIdOf(instance) : null;
        return step.Outcome switch
        {
            WorkflowStepOutcome.Done or WorkflowStepOutcome.ApprovalRecorded or WorkflowStepOutcome.Unchanged => TypedResults.Ok(new TaskDecisionResponse(
                step.Outcome.ToString(), step.Message, TaskResponse.From(task!, instance, orderId),
                order is null ? null : OrderResponse.From(order, result is null ? null : [.. result.Trades.Select(t => TradeResponse.From(t, new HashSet<long>()))]))),
            WorkflowStepOutcome.TaskNotFound => TaskNotFound(taskId),
            WorkflowStepOutcome.RoleRequired or WorkflowStepOutcome.MakerCannotAct => Problems.Forbidden(step.Message),
            WorkflowStepOutcome.ReasonRequired => Problems.Invalid("comment", step.Message),
            WorkflowStepOutcome.Invalid => Problems.Invalid("request", step.Message),
            _ => Problems.Conflict(step.Message),
        };
    }

    /// <summary>Task rows with their instances, as responses.</summary>
    internal static async Task<List<TaskResponse>> ResponsesAsync(TradSysDbContext db, IReadOnlyList<Persistence.Entities.WorkflowTaskRecord> rows,
        CancellationToken ct, WorkflowCatalog? catalog = null)
    {
        var ids = rows.Select(r => r.InstanceId).Distinct().ToList();
        var instances = await db.WorkflowInstances.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        return [.. rows.Select(r =>
        {
            var record = instances[r.InstanceId];
            var instance = WorkflowMapping.ToInstance(record, [r]);
            return TaskResponse.From(instance.Tasks[0], instance, record.OrderId, catalog);
        })];
    }

    private static IResult TaskNotFound(Guid id) => Problems.NotFound($"no task {id} (GET /api/v1/tasks lists yours)");
}
