using TradSys.Web.RulePacks;
using TradSys.Workflows;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Web.Workflows;

/// <summary>
/// The workflow stage: the definitions' catalogue and runtime from src/Workflows, and the ports this host gives them
/// (EF Core instances, Hangfire timers, log notices; the single writer carries out order effects, <see cref="RulePackApprovals"/>
/// rule-pack ones).
/// </summary>
public static class WorkflowsExtensions
{
    public static IHostApplicationBuilder AddWorkflows(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<WorkflowCatalog>();
        services.AddSingleton(sp => new WorkflowRuntime(sp.GetRequiredService<WorkflowCatalog>()));
        services.AddSingleton<WorkflowDefinitionStore>();
        services.AddSingleton<IWorkflowTimers, HangfireWorkflowTimers>();
        services.AddSingleton<IWorkflowNotifier, LoggingWorkflowNotifier>();
        services.AddSingleton<IWorkflowInstanceStore, EfWorkflowInstanceStore>();
        services.AddSingleton<RulePackApprovals>();
        services.AddScoped<WorkflowTimerJob>();
        return builder;
    }

    /// <summary>Loads the published definitions (or, on a database without any, rulesets/workflows) before the writer starts, and
    /// schedules the open rule-pack instances' timers again.</summary>
    public static async Task LoadWorkflowsAsync(this WebApplication app)
    {
        var directory = RulesExtensions.LocateRulesets(app.Configuration, app.Environment.ContentRootPath);
        await app.Services.GetRequiredService<WorkflowDefinitionStore>().LoadAsync(directory, CancellationToken.None);
        // Order instances' timers are scheduled again by the single writer's recovery; rule-pack instances' here.
        await app.Services.GetRequiredService<RulePackApprovals>().RescheduleTimersAsync(CancellationToken.None);
    }
}
