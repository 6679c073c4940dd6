using TradSys.Rules.Compilation;
using TradSys.Rules.Evaluation;

namespace TradSys.Web.RulePacks;

/// <summary>The compliance rule packs: one <see cref="RuleEvaluator"/> for the process and the store that publishes into it.</summary>
public static class RulesExtensions
{
    /// <summary>The file every rulesets folder holds; finding it is how the folder is found.</summary>
    public const string SchemaFileName = "rulepack.schema.json";

    public static IHostApplicationBuilder AddRules(this IHostApplicationBuilder builder)
    {
        // Empty until LoadRulePacksAsync runs, which is before the host listens.
        builder.Services.AddSingleton(new RuleEvaluator(CompiledRuleSet.Empty));
        builder.Services.AddSingleton<RulePackStore>();
        builder.Services.AddScoped<RulePackReplayJob>();
        return builder;
    }

    /// <summary>Loads the published packs (or, on a database without any, the rulesets folder) into the evaluator.</summary>
    public static async Task LoadRulePacksAsync(this WebApplication app)
    {
        var directory = LocateRulesets(app.Configuration, app.Environment.ContentRootPath);
        await app.Services.GetRequiredService<RulePackStore>().LoadAsync(directory, CancellationToken.None);
    }

    /// <summary>
    /// <c>Rules:Directory</c> when set (relative to the content root), which must exist; otherwise the first folder
    /// named <c>rulesets</c> holding <see cref="SchemaFileName"/> found walking up from the content root; null when none.
    /// </summary>
    public static string? LocateRulesets(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration["Rules:Directory"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(Path.Combine(contentRoot, configured));
            return Directory.Exists(path)
                ? path
                : throw new InvalidOperationException($"Rules:Directory is '{configured}', but {path} is not a folder.");
        }
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "rulesets");
            if (File.Exists(Path.Combine(candidate, SchemaFileName)))
            {
                return candidate;
            }
        }
        return null;
    }
}
