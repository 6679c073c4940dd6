using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradSys.Web.Tests.Support;

/// <summary>The shipped packs as drafts to edit, and order contexts for dry runs.</summary>
public static class RulePackSamples
{
    public static readonly string[] ShippedIds = ["adgm", "difc", "emir", "fatca", "mifid", "sca", "sec", "sharia"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string RulesetsDirectory { get; } = Locate();

    /// <summary>A shipped pack's file text.</summary>
    public static string FileText(string id) => File.ReadAllText(Path.Combine(RulesetsDirectory, id + ".json"));

    /// <summary>The version a shipped pack's file carries (what an empty database stores as its first version).</summary>
    public static string ShippedVersion(string id) => JsonNode.Parse(FileText(id))!["version"]!.GetValue<string>();

    /// <summary>A shipped pack, edited: <paramref name="edit"/> gets the parsed JSON to change.</summary>
    public static string Edited(string id, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(FileText(id))!.AsObject();
        edit(node);
        return node.ToJsonString(Indented);
    }

    /// <summary>The SCA pack at <paramref name="version"/> with the daily upper price limit at <paramref name="upperLimitPct"/>.</summary>
    public static string ScaWithUpperLimit(string version, decimal upperLimitPct) => Edited("sca", p =>
    {
        p["version"] = version;
        p["parameters"]!["UpperLimitPct"]!["value"] = upperLimitPct;
    });

    /// <summary>
    /// A buy limit order on ADX at <paramref name="price"/> against a previous close of 100: the SCA pack's upper
    /// limit (15%) blocks above 115; everything else about it is compliant.
    /// </summary>
    public static JsonObject AdxOrder(decimal price) => new()
    {
        ["order"] = new JsonObject
        {
            ["clientOrderId"] = "dry-1", ["side"] = "Buy", ["type"] = "Limit", ["quantity"] = 100, ["price"] = price,
            ["notional"] = price * 100, ["notionalInAccountCurrency"] = price * 100,
        },
        ["account"] = new JsonObject { ["id"] = 2001, ["investorNumber"] = "NIN-778899", ["jurisdiction"] = "UaeOnshore" },
        ["instrument"] = new JsonObject { ["symbol"] = "FAB", ["currency"] = "AED", ["issuedShares"] = 11_000_000_000L },
        ["venue"] = new JsonObject { ["mic"] = "XADS", ["country"] = "AE" },
        ["market"] = new JsonObject { ["tradeDate"] = "2026-01-05", ["priorClose"] = 100 },
    };

    public static string DryRun(JsonObject order, JsonNode? pack = null)
    {
        var body = new JsonObject { ["order"] = order };
        if (pack is not null)
        {
            body["pack"] = pack;
        }
        return body.ToJsonString();
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "rulesets");
            if (File.Exists(Path.Combine(candidate, "rulepack.schema.json")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("rulesets/ not found above " + AppContext.BaseDirectory);
    }
}
