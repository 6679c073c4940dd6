using BenchmarkDotNet.Attributes;
using TradSys.Rules.Context;
using TradSys.Workflows.Definitions;
using TradSys.Workflows.Runtime;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// The workflow stage as the single writer runs it for each new order: fill the reused facts from the rules' decision
/// and the order, pick the definition (every current order definition's appliesWhen by priority), start it. The
/// straight-through case is the budget in docs/benchmarks.md (under 1 µs per order, nothing allocated); the review case
/// shows what a suspending order costs (an instance, a task, the timers; stored by the writer with the order).
/// </summary>
[MemoryDiagnoser]
public class WorkflowBenchmarks
{
    private readonly WorkflowContext _facts = new();
    private WorkflowRuntime _runtime = null!;
    private DateTime _now;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = new WorkflowCatalog();
        string directory = Path.Combine(FindRoot(), "rulesets", "workflows");
        foreach (string file in Directory.GetFiles(directory, "*.json").Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal)))
        {
            catalog.Publish(WorkflowCompiler.Compile(File.ReadAllText(file), Path.GetFileName(file)));
        }

        _runtime = new WorkflowRuntime(catalog);
        _now = new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);
        if (!StraightThrough() || ReviewSuspends() is null)
        {
            throw new InvalidOperationException("the benchmark orders do not take the paths their names say");
        }
    }

    [Benchmark(Baseline = true)]
    public bool StraightThrough() => Stage("Pass", 12_500m).IsStraightThrough;

    [Benchmark]
    public WorkflowInstance? ReviewSuspends() => Stage("Review", 12_500m).Instance;

    private WorkflowStart Stage(string outcome, decimal notionalUsd)
    {
        WorkflowContext f = _facts;
        f.Subject = "order";
        f.Outcome = outcome;
        f.ReasonCodes = "";
        f.Notional = notionalUsd;
        f.NotionalUsd = notionalUsd;
        f.Currency = "USD";
        f.ClientCategory = ClientCategory.Retail;
        f.AccountId = 1001;
        f.Symbol = "COMI.INT";
        f.Mic = "XINT";
        f.Side = Side.Buy;
        f.Quantity = 100;
        f.Maker = "trader1";
        CompiledWorkflow definition = _runtime.Catalog.Select(WorkflowSubject.Order, f)!;
        return _runtime.Start(definition, f, "1", _now);
    }

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
