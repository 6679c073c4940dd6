using System.Net;
using System.Text.Json.Nodes;

namespace TradSys.Web.Tests.Support;

/// <summary>Drafts, requests and polling for rule-pack replays.</summary>
public static class ReplaySamples
{
    /// <summary>The SEC pack at <paramref name="version"/> with the price collar for prices up to 25 at <paramref name="collarLowPct"/> (shipped: 10).</summary>
    public static string SecWithCollarLowPct(string version, decimal collarLowPct) => RulePackSamples.Edited("sec", p =>
    {
        p["version"] = version;
        p["parameters"]!["CollarLowPct"]!["value"] = collarLowPct;
    });

    /// <summary>The SEC pack at <paramref name="version"/> with the price collar for prices over 50 at <paramref name="collarHighPct"/> (shipped: 3).</summary>
    public static string SecWithCollarHighPct(string version, decimal collarHighPct) => RulePackSamples.Edited("sec", p =>
    {
        p["version"] = version;
        p["parameters"]!["CollarHighPct"]!["value"] = collarHighPct;
    });

    /// <summary>A replay request body; the range is an hour either side of now (market time is real time unless fixed).</summary>
    public static string Request(JsonNode? pack, DateTime? from = null, DateTime? to = null, long? accountId = null, string? symbol = null)
    {
        var now = DateTime.UtcNow;
        var body = new JsonObject
        {
            ["pack"] = pack,
            ["from"] = (from ?? now.AddHours(-1)).ToString("O"),
            ["to"] = (to ?? now.AddHours(1)).ToString("O"),
        };
        if (accountId is not null)
        {
            body["accountId"] = accountId;
        }
        if (symbol is not null)
        {
            body["symbol"] = symbol;
        }
        return body.ToJsonString();
    }

    /// <summary>Starts a run and waits for it to end; returns the final GET and every processed count seen on the way.</summary>
    public static async Task<(JsonNode Run, List<int> Seen)> RunAsync(ApiClient compliance, string request, TimeSpan? timeout = null)
    {
        var started = (await compliance.PostRawAsync("/api/v1/rulepacks/replays", request)).Expect(HttpStatusCode.Accepted);
        Assert.NotNull(started.Location);
        Assert.Equal($"/api/v1/rulepacks/replays/{started.Str("id")}", started.Location!.OriginalString);
        return await WaitAsync(compliance, started.Location.OriginalString, timeout);
    }

    /// <summary>Polls a run until it is Completed or Failed.</summary>
    public static async Task<(JsonNode Run, List<int> Seen)> WaitAsync(ApiClient client, string location, TimeSpan? timeout = null)
    {
        var seen = new List<int>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var run = (await client.GetAsync(location)).Expect(HttpStatusCode.OK).Json;
            seen.Add(run["processed"]!.GetValue<int>());
            var status = run["status"]!.GetValue<string>();
            if (status is "Completed" or "Failed")
            {
                return (run, seen);
            }
            Assert.True(DateTime.UtcNow < deadline, $"replay still {status} after the deadline: {run.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Every change of a run, page by page.</summary>
    public static async Task<List<JsonNode>> ChangesAsync(ApiClient client, string id, int pageSize = 2)
    {
        var all = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var reply = (await client.GetAsync($"/api/v1/rulepacks/replays/{id}/changes?page={page}&pageSize={pageSize}")).Expect(HttpStatusCode.OK).Json;
            var items = reply["items"]!.AsArray();
            all.AddRange(items.Select(i => i!));
            if (items.Count < pageSize)
            {
                Assert.Equal(all.Count, reply["total"]!.GetValue<int>());
                return all;
            }
        }
    }
}
