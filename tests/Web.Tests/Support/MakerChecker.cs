using System.Net;

namespace TradSys.Web.Tests.Support;

/// <summary>
/// Rule-pack changes go live through maker-checker: compliance1 submits (202, a task), compliance2 approves it. So do changes of
/// risk limits: a risk officer proposes (202, a proposal), another (risk2 unless told) approves it.
/// Tests that need a pack or limits changed use these; RulePackMakerCheckerTests and RiskLimitMakerCheckerTests show the refusals.
/// </summary>
internal static class MakerChecker
{
    /// <summary>Submits a new version as compliance1 and approves it as compliance2; returns the stored version (GET .../versions/{v}).</summary>
    public static async Task<Reply> PublishAsync(PlatformFactory platform, string packId, string json, string? comment = null)
    {
        var maker = await platform.ClientForAsync("compliance1");
        var path = $"/api/v1/rulepacks/{packId}/publish" + (comment is null ? "" : "?comment=" + Uri.EscapeDataString(comment));
        var submitted = (await maker.PostRawAsync(path, json)).Expect(HttpStatusCode.Accepted);
        await ApproveAsync(platform, submitted);
        return (await maker.GetAsync($"/api/v1/rulepacks/{packId}/versions/{submitted.Str("version")}")).Expect(HttpStatusCode.OK);
    }

    /// <summary>Submits a rollback as compliance1 and approves it as compliance2; returns the version now current.</summary>
    public static async Task<Reply> RollbackAsync(PlatformFactory platform, string packId, string version, string? comment = null)
    {
        var maker = await platform.ClientForAsync("compliance1");
        var submitted = (await maker.PostJsonAsync($"/api/v1/rulepacks/{packId}/rollback", new { version, comment })).Expect(HttpStatusCode.Accepted);
        await ApproveAsync(platform, submitted);
        return (await maker.GetAsync($"/api/v1/rulepacks/{packId}")).Expect(HttpStatusCode.OK);
    }

    /// <summary>The checker (compliance2) approves a submitted change.</summary>
    public static async Task<Reply> ApproveAsync(PlatformFactory platform, Reply submitted)
    {
        var checker = await platform.ClientForAsync("compliance2");
        var task = submitted.Json["task"]!["taskId"]!.GetValue<string>();
        return (await checker.PostJsonAsync($"/api/v1/tasks/{task}/approve", new { comment = "checked" })).Expect(HttpStatusCode.OK);
    }

    /// <summary>
    /// Proposes limits as <paramref name="maker"/> (PUT /api/v1/risk/limits/{scope}/{key}) and approves them as <paramref name="checker"/>:
    /// the approval's reply (200 with the new version). A proposal refused (400, 404, 409) is returned as it is, for tests of refusals.
    /// </summary>
    public static async Task<Reply> SetLimitsAsync(PlatformFactory platform, ApiClient maker, string scope, string key, object limits,
        string checker = "risk2")
    {
        var proposed = await maker.SendAsync(HttpMethod.Put, $"/api/v1/risk/limits/{scope}/{key}", System.Text.Json.JsonSerializer.Serialize(limits));
        if (proposed.Status != HttpStatusCode.Accepted)
        {
            return proposed;
        }
        var approver = await platform.ClientForAsync(checker);
        return await approver.PostJsonAsync($"/api/v1/risk/limit-proposals/{proposed.Long("id")}/approve", new { comment = "checked" });
    }
}
