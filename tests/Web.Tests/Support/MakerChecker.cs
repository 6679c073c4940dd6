using System.Net;

namespace TradSys.Web.Tests.Support;

/// <summary>
/// Rule-pack changes go live through maker-checker: compliance1 submits (202, a task), compliance2 approves it.
/// Tests that need a pack changed use these; RulePackMakerCheckerTests shows the refusals.
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
}
