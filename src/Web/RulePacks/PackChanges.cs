using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradSys.Web.RulePacks;

/// <summary>
/// What a new version of a rule pack changes, in words an approver reads before the line diff: each parameter whose value
/// changed ("UpperLimitPct: 15 -> 0"), parameters and rules added or removed, each field of a rule that changed (its
/// expression, outcome, message, reason code ...), and the pack's own fields (effective dates, appliesTo, description).
/// The version number itself is left out (it always changes). Pure: two JSON texts in, a list of lines out.
/// </summary>
public static class PackChanges
{
    /// <summary>The changes from <paramref name="fromJson"/> (null: a new pack) to <paramref name="toJson"/>; empty when they are the same.</summary>
    /// <exception cref="JsonException">A text is not a JSON object (stored versions always are).</exception>
    public static IReadOnlyList<string> Between(string? fromJson, string toJson)
    {
        var to = Parse(toJson);
        if (fromJson is null)
        {
            return [$"new pack {Text(to["id"])} with {Rules(to).Count} rules"];
        }
        var from = Parse(fromJson);
        var changes = new List<string>();
        foreach (var name in Names(from, to).Where(n => n is not ("parameters" or "rules" or "version" or "$schema")))
        {
            Compare(name, from[name], to[name], changes);
        }
        var fromParameters = Members(from["parameters"]);
        var toParameters = Members(to["parameters"]);
        foreach (var name in fromParameters.Keys.Union(toParameters.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!toParameters.TryGetValue(name, out var now))
            {
                changes.Add($"parameter {name} removed (was {Text(fromParameters[name]?["value"])})");
            }
            else if (!fromParameters.TryGetValue(name, out var before))
            {
                changes.Add($"parameter {name} added: {Text(now?["value"])}");
            }
            else
            {
                foreach (var field in Names(before, now))
                {
                    Compare(field == "value" ? name : $"{name}.{field}", before?[field], now?[field], changes);
                }
            }
        }
        var fromRules = Rules(from);
        var toRules = Rules(to);
        foreach (var id in fromRules.Keys.Where(id => !toRules.ContainsKey(id)))
        {
            changes.Add($"rule {id} removed");
        }
        foreach (var (id, rule) in toRules)
        {
            if (!fromRules.TryGetValue(id, out var before))
            {
                changes.Add($"rule {id} added ({Text(rule["outcome"])}): {Text(rule["expression"])}");
                continue;
            }
            foreach (var field in Names(before, rule).Where(f => f != "id"))
            {
                Compare($"rule {id} {field}", before[field], rule[field], changes);
            }
        }
        return changes;
    }

    private static void Compare(string what, JsonNode? before, JsonNode? after, List<string> changes)
    {
        if (!JsonNode.DeepEquals(before, after))
        {
            changes.Add($"{what}: {Text(before)} -> {Text(after)}");
        }
    }

    private static JsonObject Parse(string json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("a rule pack is a JSON object");

    private static IEnumerable<string> Names(JsonNode? a, JsonNode? b) =>
        Members(a).Keys.Union(Members(b).Keys, StringComparer.Ordinal);

    private static Dictionary<string, JsonNode?> Members(JsonNode? node) =>
        node is JsonObject o ? o.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) : new(StringComparer.Ordinal);

    /// <summary>The pack's rules by id, in the order the pack lists them.</summary>
    private static Dictionary<string, JsonObject> Rules(JsonObject pack)
    {
        var rules = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (pack["rules"] is JsonArray list)
        {
            foreach (var rule in list.OfType<JsonObject>())
            {
                rules.TryAdd(Text(rule["id"]), rule);
            }
        }
        return rules;
    }

    /// <summary>A value as an approver reads it: strings bare, lists joined, nothing as "(none)".</summary>
    private static string Text(JsonNode? node) => node switch
    {
        null => "(none)",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray a => "[" + string.Join(", ", a.Select(Text)) + "]",
        _ => node.ToJsonString(),
    };
}
