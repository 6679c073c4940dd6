using System.Collections.Concurrent;
using TradSys.Rules.Compilation;
using TradSys.Rules.Packs;

namespace TradSys.Rules.Tests.Support;

/// <summary>The packs shipped in rulesets/, loaded and compiled once per parameter set.</summary>
internal static class ShippedPacks
{
    public static readonly string[] Ids = ["sec", "mifid", "sca", "adgm", "difc", "sharia", "fatca", "emir"];

    private static readonly ConcurrentDictionary<string, CompiledPack> Cache = new(StringComparer.Ordinal);

    public static RulePackDocument Document(string id) => RulePackLoader.Parse(Repo.PackJson(id), id + ".json");

    public static CompiledPack Compiled(string id, IReadOnlyDictionary<string, object>? overrides = null)
    {
        string key = id + "|" + string.Join(",", (overrides ?? new Dictionary<string, object>()).Select(kv => kv.Key + "=" + kv.Value));
        return Cache.GetOrAdd(key, _ => RulePackCompiler.Compile(Document(id), id + ".json", overrides));
    }

    public static CompiledRuleSet All() => CompiledRuleSet.Create(Ids.Select(id => Compiled(id)));
}
