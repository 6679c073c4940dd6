using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;

namespace TradSys.Web.RulePacks;

/// <summary>
/// A rule pack in force that names an instrument that no longer trades under that name (a symbol change's old symbol, or its old ISIN when
/// the change brings a new one): the pack, its version, and each place that names it. The platform never edits a compliance officer's pack:
/// this is a warning for compliance to act on (a new version through maker-checker).
/// </summary>
/// <param name="PackId">The pack's id (e.g. sca).</param>
/// <param name="Regime">The pack's regime (e.g. SCA).</param>
/// <param name="Version">The version in force (the pack's head).</param>
/// <param name="Places">Each place naming it: a parameter's list or value, the pack's appliesTo, a rule's expression.</param>
public sealed record RulePackMention(string PackId, string Regime, string Version, IReadOnlyList<string> Places);

/// <summary>Finds the published packs in force (each pack's current version) that name a symbol or an ISIN.</summary>
public static class RulePackMentions
{
    /// <summary>The packs in force naming any of <paramref name="names"/>, by pack id.</summary>
    public static async Task<List<RulePackMention>> InForceAsync(TradSysDbContext db, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var versions = await db.RulePackHeads.AsNoTracking().OrderBy(h => h.PackId).Select(h => h.CurrentVersion!).ToListAsync(cancellationToken);
        var found = new List<RulePackMention>();
        foreach (var version in versions)
        {
            var (regime, places) = Places(version.Json, names);
            if (places.Count > 0)
            {
                found.Add(new RulePackMention(version.PackId, regime, version.Version, places));
            }
        }
        return found;
    }

    /// <summary>
    /// Where a pack's JSON names any of <paramref name="names"/> (compared ignoring case): a string or an item of a string list among its
    /// parameters, or a quoted literal in its appliesTo or a rule's expression. Descriptions, messages and the changelog are prose, not
    /// lists the rules read, and are not looked at.
    /// </summary>
    public static (string Regime, List<string> Places) Places(string json, IReadOnlyCollection<string> names)
    {
        var pack = JsonNode.Parse(json)!.AsObject();
        var places = new List<string>();
        if (pack["parameters"] is JsonObject parameters)
        {
            foreach (var (name, parameter) in parameters)
            {
                switch (parameter?["value"])
                {
                    case JsonArray list:
                        foreach (var item in list)
                        {
                            if (item is JsonValue v && v.TryGetValue<string>(out var text) && Named(text, names) is { } listed)
                            {
                                places.Add($"parameter {name} lists {listed}");
                            }
                        }
                        break;
                    case JsonValue value when value.TryGetValue<string>(out var text) && Named(text, names) is { } named:
                        places.Add($"parameter {name} is {named}");
                        break;
                }
            }
        }
        if (pack["appliesTo"]?.GetValue<string>() is { } appliesTo)
        {
            places.AddRange(Literals(appliesTo, names).Select(n => $"appliesTo names \"{n}\""));
        }
        if (pack["rules"] is JsonArray rules)
        {
            foreach (var rule in rules.OfType<JsonObject>())
            {
                if (rule["expression"]?.GetValue<string>() is { } expression)
                {
                    var id = rule["id"]?.GetValue<string>() ?? "?";
                    places.AddRange(Literals(expression, names).Select(n => $"rule {id}'s expression names \"{n}\""));
                }
            }
        }
        return (pack["regime"]?.GetValue<string>() ?? "", places);
    }

    private static string? Named(string text, IReadOnlyCollection<string> names) =>
        names.FirstOrDefault(n => string.Equals(text.Trim(), n, StringComparison.OrdinalIgnoreCase));

    /// <summary>The names written as a string literal (double or single quotes) in an expression.</summary>
    private static IEnumerable<string> Literals(string expression, IReadOnlyCollection<string> names) =>
        names.Where(n => expression.Contains('"' + n + '"', StringComparison.OrdinalIgnoreCase) ||
                         expression.Contains('\'' + n + '\'', StringComparison.OrdinalIgnoreCase));
}
