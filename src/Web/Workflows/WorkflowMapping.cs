using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using System.Text.Json.Serialization;
using TradSys.Rules.Context;
using TradSys.Web.Persistence.Entities;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Workflows;

/// <summary>Between the library's instances and the database rows.</summary>
internal static class WorkflowMapping
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string SubjectName(WorkflowSubject subject) => subject == WorkflowSubject.Order ? "order" : "rulepack";

    public static WorkflowInstance ToInstance(WorkflowInstanceRecord r, IEnumerable<WorkflowTaskRecord> tasks) => new()
    {
        Id = r.Id, DefinitionId = r.DefinitionId, DefinitionVersion = r.DefinitionVersion,
        Subject = r.Subject == "order" ? WorkflowSubject.Order : WorkflowSubject.RulePack, SubjectId = r.SubjectId, State = r.State,
        Version = r.Version, Facts = JsonSerializer.Deserialize<WorkflowContext>(r.FactsJson, Json)!, Payload = r.Payload, CreatedAt = r.CreatedAt,
        UpdatedAt = r.UpdatedAt, CompletedAt = r.CompletedAt, StateEnteredSequence = r.StateEnteredSequence, StateEnteredAt = r.StateEnteredAt,
        LastSequence = r.LastSequence, FiredTimers = [.. r.FiredTimers.Split(',', StringSplitOptions.RemoveEmptyEntries)],
        Tasks = [.. tasks.OrderBy(t => t.OpenedAt).ThenBy(t => t.Id).Select(ToTask)],
    };

    public static WorkflowInstanceRecord ToRecord(WorkflowInstance i, long? orderId)
    {
        var r = new WorkflowInstanceRecord
        {
            Id = i.Id, DefinitionId = i.DefinitionId, Subject = SubjectName(i.Subject), SubjectId = i.SubjectId, OrderId = orderId, State = i.State,
            FactsJson = "{}",
        };
        CopyTo(i, r);
        return r;
    }

    public static void CopyTo(WorkflowInstance i, WorkflowInstanceRecord r)
    {
        r.DefinitionVersion = i.DefinitionVersion;
        r.State = i.State;
        r.Version = i.Version;
        r.FactsJson = JsonSerializer.Serialize(i.Facts, Json);
        r.Payload = i.Payload;
        r.FiredTimers = string.Join(',', i.FiredTimers);
        r.StateEnteredSequence = i.StateEnteredSequence;
        r.StateEnteredAt = i.StateEnteredAt;
        r.LastSequence = i.LastSequence;
        r.CreatedAt = i.CreatedAt;
        r.UpdatedAt = i.UpdatedAt;
        r.CompletedAt = i.CompletedAt;
    }

    public static WorkflowTask ToTask(WorkflowTaskRecord t) => new()
    {
        Id = t.Id, Name = t.Name, State = t.State, Role = t.Role, RequiredApprovals = t.RequiredApprovals, FourEyes = t.FourEyes,
        Status = Enum.Parse<WorkflowTaskStatus>(t.Status), ClaimedBy = t.ClaimedBy, Approvers = [.. t.Approvers.Split(',', StringSplitOptions.RemoveEmptyEntries)],
        RejectedBy = t.RejectedBy, Escalated = t.Escalated, OpenedAt = t.OpenedAt, ClosedAt = t.ClosedAt, Comment = t.Comment,
    };

    public static WorkflowTaskRecord ToRecord(WorkflowTask t, Guid instanceId)
    {
        var r = new WorkflowTaskRecord { Id = t.Id, InstanceId = instanceId, Name = t.Name, State = t.State, Role = t.Role, Status = "" };
        CopyTo(t, r);
        return r;
    }

    public static void CopyTo(WorkflowTask t, WorkflowTaskRecord r)
    {
        r.Role = t.Role;
        r.RequiredApprovals = t.RequiredApprovals;
        r.FourEyes = t.FourEyes;
        r.Status = t.Status.ToString();
        r.ClaimedBy = t.ClaimedBy;
        r.Approvers = string.Join(',', t.Approvers);
        r.RejectedBy = t.RejectedBy;
        r.Escalated = t.Escalated;
        r.OpenedAt = t.OpenedAt;
        r.ClosedAt = t.ClosedAt;
        r.Comment = t.Comment;
    }

    public static WorkflowTransitionRecord ToRecord(TransitionRecord t, Guid instanceId) => new()
    {
        InstanceId = instanceId, Sequence = t.Sequence, FromState = t.From, ToState = t.To, Trigger = t.Trigger, Actor = t.Actor, Comment = t.Comment, At = t.At,
    };

    /// <summary>
    /// Adds a new instance, or updates a stored one expecting <paramref name="expectedVersion"/>, with its tasks and its new
    /// log entries, to <paramref name="db"/> (saved by the caller's transaction); clears the instance's new log entries.
    /// </summary>
    public static async Task StageAsync(Persistence.TradSysDbContext db, WorkflowInstance instance, long? orderId, long? expectedVersion,
        CancellationToken cancellationToken)
    {
        if (expectedVersion is null)
        {
            db.WorkflowInstances.Add(ToRecord(instance, orderId));
            db.WorkflowTasks.AddRange(instance.Tasks.Select(t => ToRecord(t, instance.Id)));
        }
        else
        {
            var record = await db.WorkflowInstances.FindAsync([instance.Id], cancellationToken)
                ?? throw new InvalidOperationException($"workflow instance {instance.Id} is not stored");
            CopyTo(instance, record);
            db.Entry(record).Property(r => r.Version).OriginalValue = expectedVersion.Value;
            var stored = await db.WorkflowTasks.Where(t => t.InstanceId == instance.Id).ToDictionaryAsync(t => t.Id, cancellationToken);
            foreach (var task in instance.Tasks)
            {
                if (stored.TryGetValue(task.Id, out var row))
                {
                    CopyTo(task, row);
                }
                else
                {
                    db.WorkflowTasks.Add(ToRecord(task, instance.Id));
                }
            }
        }

        db.WorkflowTransitions.AddRange(instance.NewTransitions.Select(t => ToRecord(t, instance.Id)));
        instance.NewTransitions.Clear();
    }
}
