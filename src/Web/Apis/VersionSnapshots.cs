using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradSys.Web.Apis;

/// <summary>
/// The before-and-after snapshots of a versioned record (an account, a listing): what a version stores and what its history
/// shows as changed, written the same way for every kind of record.
/// </summary>
internal static class VersionSnapshots
{
    /// <summary>How a snapshot is serialized: the API's own JSON (camel case), so the history reads like the responses.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The fields whose value differs between two snapshots, in the order of the response.</summary>
    public static List<string> Changed(JsonObject before, JsonObject after) =>
        [.. after.Where(p => !JsonNode.DeepEquals(p.Value, before[p.Key])).Select(p => p.Key)];

    public static string ToJson(JsonNode node) => node.ToJsonString(Json);
}
