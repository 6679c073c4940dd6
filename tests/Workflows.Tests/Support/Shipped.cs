using TradSys.Engine;
using TradSys.Rules.Context;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Workflows.Tests.Support;

/// <summary>The definitions shipped in rulesets/workflows/, and helpers to build facts and runtimes.</summary>
internal static class Shipped
{
    public static string Root { get; } = FindRoot();

    public static string Directory => Path.Combine(Root, "rulesets", "workflows");

    public static string Json(string id) => File.ReadAllText(Path.Combine(Directory, id + ".json"));

    public static CompiledWorkflow Compile(string id) => WorkflowCompiler.Compile(Json(id), id + ".json");

    public static readonly string[] Ids = ["straight-through", "compliance-review", "four-eyes-large-orders", "rulepack-publication"];

    public static WorkflowCatalog Catalog()
    {
        var catalog = new WorkflowCatalog();
        foreach (string id in Ids)
        {
            catalog.Publish(Compile(id));
        }

        return catalog;
    }

    public static WorkflowRuntime Runtime() => new(Catalog());

    public static WorkflowContext Order(string outcome = "Pass", decimal notionalUsd = 10_000m, ClientCategory category = ClientCategory.Retail,
        string maker = "trader1") => new()
    {
        Subject = "order", Outcome = outcome, NotionalUsd = notionalUsd, Notional = notionalUsd, Currency = "USD", ClientCategory = category,
        AccountId = 1001, Symbol = "FAB", Mic = "XADS", Side = Side.Buy, Quantity = 100, Maker = maker,
    };

    public static WorkflowActor Officer(string name, params string[] roles) => new(name, roles.Length == 0 ? ["compliance"] : roles);

    public static readonly DateTime T0 = new(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TradSys.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TradSys.sln not found above " + AppContext.BaseDirectory);
    }
}
