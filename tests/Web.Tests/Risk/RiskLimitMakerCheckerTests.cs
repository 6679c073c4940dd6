using System.Net;
using System.Text.Json;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Risk;

/// <summary>
/// Maker-checker on pre-trade limits, as a risk officer and a second one use it through the API: a change is a proposal that
/// changes nothing until another officer approves it (then it applies to the very next order through POST /api/v1/orders); the
/// proposer cannot approve their own; a proposal based on a version that has since changed is refused at approval; a rejected
/// one changes nothing; every step is audited.
/// </summary>
public sealed class RiskLimitMakerCheckerTests
{
    private static Task<Reply> ProposeAsync(ApiClient maker, string scope, string key, object limits) =>
        maker.SendAsync(HttpMethod.Put, $"/api/v1/risk/limits/{scope}/{key}", JsonSerializer.Serialize(limits));

    private static Task<Reply> ApproveAsync(ApiClient checker, long id, string? comment = null) =>
        checker.PostJsonAsync($"/api/v1/risk/limit-proposals/{id}/approve", new { comment });

    private static Task<Reply> RejectAsync(ApiClient checker, long id, string? comment) =>
        checker.PostJsonAsync($"/api/v1/risk/limit-proposals/{id}/reject", new { comment });

    [Fact]
    public async Task A_proposal_changes_nothing_until_another_officer_approves_it_and_then_applies_to_the_next_order()
    {
        await using var platform = new PlatformFactory();
        var risk1 = await platform.ClientForAsync("risk1");
        var risk2 = await platform.ClientForAsync("risk2");
        var trader1 = await platform.ClientForAsync("trader1");
        var limits = new { currency = "EGP", maxOrderQuantity = 1000, reason = "fat-finger limits" };

        var proposed = (await ProposeAsync(risk1, "instrument", "comi.int", limits)).Expect(HttpStatusCode.Accepted);
        var id = proposed.Long("id");
        Assert.Equal($"/api/v1/risk/limit-proposals/{id}", proposed.Location!.OriginalString);
        Assert.Equal(("Pending", "risk1", 0L, "COMI.INT"), (proposed.Str("status"), proposed.Str("proposedBy"), proposed.Long("basedOnVersion"), proposed.Str("key")));
        Assert.Equal(1000, proposed.Long("maxOrderQuantity"));
        // The same request again (a retry) is the same proposal, not a second one.
        Assert.Equal(id, (await ProposeAsync(risk1, "instrument", "COMI.INT", limits)).Expect(HttpStatusCode.Accepted).Long("id"));
        var pending = (await risk2.GetAsync("/api/v1/risk/limit-proposals")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal([id], pending.Select(p => p!["id"]!.GetValue<long>()));
        Assert.False(pending[0]!["stale"]!.GetValue<bool>());

        // Proposed is not in force: the order above it still passes.
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 72m, 1010)).Expect(HttpStatusCode.Created).Str("status"));
        Assert.Empty((await risk1.GetAsync("/api/v1/risk/limits")).Expect(HttpStatusCode.OK).Json.AsArray());

        // The maker cannot be the checker.
        var own = (await ApproveAsync(risk1, id)).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("you proposed these limits (proposal", own.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("Pending", (await risk1.GetAsync($"/api/v1/risk/limit-proposals/{id}")).Expect(HttpStatusCode.OK).Str("status"));

        var approved = (await ApproveAsync(risk2, id, "checked against the desk's mandate")).Expect(HttpStatusCode.OK);
        Assert.Equal((1L, "risk1", "risk2", id), (approved.Long("version"), approved.Str("changedBy"), approved.Str("approvedBy"), approved.Long("proposalId")));

        // The very next order meets it.
        var refused = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 72m, 1010)).Expect(HttpStatusCode.Created);
        Assert.Equal(2003, refused.Long("rejectCode"));
        Assert.Contains("above the maximum order quantity 1,000 set for instrument COMI.INT", refused.Str("rejectReason"), StringComparison.Ordinal);
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 72m, 1000)).Expect(HttpStatusCode.Created).Str("status"));

        var decided = (await risk1.GetAsync($"/api/v1/risk/limit-proposals/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Approved", "risk2", 1L), (decided.Str("status"), decided.Str("decidedBy"), decided.Long("appliedVersion")));
        Assert.Empty((await risk1.GetAsync("/api/v1/risk/limit-proposals")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Contains("no longer pending: Approved by risk2", (await ApproveAsync(risk2, id)).Expect(HttpStatusCode.Conflict).Str("detail"),
            StringComparison.Ordinal);
        Assert.Contains("there is no proposal of limits 999999", (await ApproveAsync(risk2, 999999)).Expect(HttpStatusCode.NotFound).Str("detail"),
            StringComparison.Ordinal);

        var admin = await platform.ClientForAsync("admin");
        var audit = (await admin.GetAsync("/api/v1/audit?subject=instrument/COMI.INT")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Equal(["risk2:risk.limits_set", "risk1:risk.limits_proposed"],
            audit.Select(a => $"{a!["actor"]!.GetValue<string>()}:{a["action"]!.GetValue<string>()}"));
        Assert.Contains($"\"proposal\":{id}", audit[0]!["details"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_or_withdrawn_proposal_changes_nothing()
    {
        await using var platform = new PlatformFactory();
        var risk1 = await platform.ClientForAsync("risk1");
        var risk2 = await platform.ClientForAsync("risk2");
        var trader1 = await platform.ClientForAsync("trader1");

        var id = (await ProposeAsync(risk1, "account", "1001", new { maxOrderQuantity = 5, reason = "tighten" })).Expect(HttpStatusCode.Accepted).Long("id");
        Assert.Contains("reason is required", Assert.Single((await RejectAsync(risk2, id, " ")).Expect(HttpStatusCode.BadRequest).Errors("comment")),
            StringComparison.Ordinal);
        var rejected = (await RejectAsync(risk2, id, "too tight for a professional client")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Rejected", "risk2", "too tight for a professional client"), (rejected.Str("status"), rejected.Str("decidedBy"), rejected.Str("decisionReason")));
        Assert.Contains("no longer pending: Rejected by risk2", (await ApproveAsync(risk2, id)).Expect(HttpStatusCode.Conflict).Str("detail"), StringComparison.Ordinal);

        // Its author takes another back: Withdrawn.
        var second = (await ProposeAsync(risk1, "account", "1001", new { maxOrderQuantity = 6, reason = "tighten again" })).Expect(HttpStatusCode.Accepted).Long("id");
        Assert.Equal("Withdrawn", (await RejectAsync(risk1, second, "proposed by mistake")).Expect(HttpStatusCode.OK).Str("status"));

        Assert.Empty((await risk1.GetAsync("/api/v1/risk/limits")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Empty((await risk1.GetAsync("/api/v1/risk/limits/account/1001/history")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).Str("status"));
        var all = (await risk1.GetAsync("/api/v1/risk/limit-proposals?status=all&scope=account&key=1001")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["Withdrawn", "Rejected"], all.Select(p => p!["status"]!.GetValue<string>()));
        Assert.Single((await risk1.GetAsync("/api/v1/risk/limit-proposals?status=Maybe")).Expect(HttpStatusCode.BadRequest).Errors("status"));

        var audit = (await (await platform.ClientForAsync("admin")).GetAsync("/api/v1/audit?subject=account/1001")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var actions = audit.Select(a => a!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("risk.limits_rejected", actions);
        Assert.Contains("risk.limits_withdrawn", actions);
        Assert.DoesNotContain("risk.limits_set", actions);

        // Only the risk role and admins decide.
        Assert.Equal(HttpStatusCode.Forbidden, (await RejectAsync(trader1, id, "no")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ApproveAsync(await platform.ClientForAsync("compliance1"), id)).Status);
    }

    [Fact]
    public async Task A_proposal_based_on_a_version_that_has_since_changed_is_refused_at_approval()
    {
        await using var platform = new PlatformFactory();
        var admin = await platform.ClientForAsync("admin");
        var risk1 = await platform.ClientForAsync("risk1");
        var risk2 = await platform.ClientForAsync("risk2");
        var trader1 = await platform.ClientForAsync("trader1");

        var first = (await ProposeAsync(admin, "account", "1001", new { maxOrderQuantity = 100, reason = "new client" })).Expect(HttpStatusCode.Accepted).Long("id");
        var second = (await ProposeAsync(risk1, "account", "1001", new { maxOrderQuantity = 500, reason = "bigger desk" })).Expect(HttpStatusCode.Accepted).Long("id");
        Assert.Equal(1, (await ApproveAsync(risk2, first)).Expect(HttpStatusCode.OK).Long("version"));

        var listed = (await risk2.GetAsync("/api/v1/risk/limit-proposals")).Expect(HttpStatusCode.OK).Json.AsArray().Single()!;
        Assert.Equal((second, true, 0, 1), (listed["id"]!.GetValue<long>(), listed["stale"]!.GetValue<bool>(), listed["basedOnVersion"]!.GetValue<int>(),
            listed["currentVersion"]!.GetValue<int>()));
        var stale = (await ApproveAsync(risk2, second)).Expect(HttpStatusCode.Conflict).Str("detail");
        Assert.Contains($"proposal {second} was based on version 0 of the limits of account 1001, which are now at version 1 (proposed by admin", stale,
            StringComparison.Ordinal);
        Assert.Contains("reject it and propose again from the current version", stale, StringComparison.Ordinal);

        // The limits approved first stay in force; the stale proposal did nothing and waits to be rejected.
        Assert.Equal(2003, (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 110)).Expect(HttpStatusCode.Created).Long("rejectCode"));
        Assert.Equal("Pending", (await risk2.GetAsync($"/api/v1/risk/limit-proposals/{second}")).Expect(HttpStatusCode.OK).Str("status"));
        // A proposal that names the version it read is refused at once when that is not current.
        Assert.Contains("at version 1, not 0", (await ProposeAsync(risk1, "account", "1001", new { maxOrderQuantity = 7, reason = "x", version = 0 }))
            .Expect(HttpStatusCode.Conflict).Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_proposal_survives_a_restart_and_is_approved_afterwards()
    {
        string path;
        long id;
        await using (var platform = new PlatformFactory())
        {
            path = platform.DatabasePath;
            var risk1 = await platform.ClientForAsync("risk1");
            id = (await ProposeAsync(risk1, "firm", "firm", new { currency = "EGP", maxOrderQuantity = 50, reason = "firm default" }))
                .Expect(HttpStatusCode.Accepted).Long("id");
        }
        await using var again = new PlatformFactory { DatabasePath = path };
        var risk2 = await again.ClientForAsync("risk2");
        Assert.Equal(id, (await risk2.GetAsync("/api/v1/risk/limit-proposals")).Expect(HttpStatusCode.OK).Json.AsArray().Single()!["id"]!.GetValue<long>());
        Assert.Equal(1, (await ApproveAsync(risk2, id)).Expect(HttpStatusCode.OK).Long("version"));
        var trader1 = await again.ClientForAsync("trader1");
        Assert.Equal(2003, (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 79m, 60)).Expect(HttpStatusCode.Created).Long("rejectCode"));
    }
}
