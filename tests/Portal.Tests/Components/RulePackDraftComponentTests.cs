using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Apis;
using TradSys.Web.Portal.Components.Pages.Compliance;
using TradSys.Web.Portal.Components.Shared;
using TradSys.Web.Portal.Services;

namespace TradSys.Portal.Tests.Components;

/// <summary>
/// bUnit tests of the rule editor's saved drafts (the draft bar: save, save again with the ETag, a save overtaken in another
/// window, discard, the stale warning, the prompt before leaving unsaved changes), the pack list's drafts column, and the
/// inbox's view of the author's replay beside a pack change. The REST API is answered by <see cref="StubApi"/>.
/// </summary>
public sealed class RulePackDraftComponentTests : BunitContext
{
    private const string Published = "{ \"id\": \"sca\", \"version\": \"1.0.0\" }";
    private const string DraftPath = "/api/v1/rulepacks/sca/draft";
    private readonly StubApi _api = new();

    private void SignIn(string userName, params string[] roles)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(userName);
        auth.SetRoles(roles);
        auth.SetClaims(StubApi.SessionClaims());
        Services.AddSingleton(_api.Session());
        Services.AddScoped<PortalApi>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddLocalization();
        // NavigationLock registers Blazor's beforeunload prompt through JS; "confirm" is planned per test.
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static string Draft(string json, long revision, bool stale = false, string basedOn = "1.0.0", string current = "1.0.0") =>
        new JsonObject
        {
            ["packId"] = "sca", ["author"] = "compliance1", ["basedOnVersion"] = basedOn, ["currentVersion"] = current, ["stale"] = stale,
            ["createdAt"] = "2026-12-01T08:00:00Z", ["savedAt"] = "2026-12-04T16:45:12Z", ["revision"] = revision, ["bytes"] = json.Length,
            ["json"] = json,
        }.ToJsonString();

    private IRenderedComponent<RulePackDraftBar> Bar(string text, RulePackDraftResponse? initial = null, string? etag = null, Action? discarded = null) =>
        Render<RulePackDraftBar>(p => p
            .Add(b => b.PackId, "sca").Add(b => b.Text, text).Add(b => b.BasedOnVersion, initial?.BasedOnVersion ?? "1.0.0")
            .Add(b => b.PublishedText, Published).Add(b => b.Initial, initial).Add(b => b.InitialETag, etag)
            .Add(b => b.OnDiscarded, () => discarded?.Invoke()));

    [Fact]
    public void A_first_save_sends_the_text_and_its_version_asks_that_no_draft_exists_and_the_next_save_carries_the_ETag()
    {
        SignIn("compliance1", "compliance");
        const string text = "{ \"id\": \"sca\", \"version\": \"1.0.0\", \"rules\": [";
        _api.Replies[$"PUT {DraftPath}"] = (HttpStatusCode.Created, Draft(text, 1));
        _api.ReplyHeaders[$"PUT {DraftPath}"] = ("ETag", "\"7-1\"");
        var bar = Bar(Published);
        Assert.Contains("No saved draft: the editor shows version 1.0.0 as published.", bar.Find("#draft-status").TextContent, StringComparison.Ordinal);
        Assert.Empty(bar.FindAll("#draft-unsaved"));
        Assert.Empty(bar.FindAll("#draft-discard"));

        bar.Render(p => p.Add(b => b.Text, text));
        Assert.NotNull(bar.Find("#draft-unsaved"));
        bar.Find("#draft-save").Click();

        var put = Assert.Single(_api.Requests, r => r.Method == "PUT");
        Assert.Equal(DraftPath, put.Path);
        Assert.Null(put.IfMatch);
        Assert.Equal("*", _api.IfNoneMatch[_api.Requests.IndexOf(put)]);
        var body = JsonNode.Parse(put.Body!)!;
        Assert.Equal(text, body["json"]!.GetValue<string>());
        Assert.Equal("1.0.0", body["basedOnVersion"]!.GetValue<string>());
        bar.WaitForAssertion(() => Assert.Contains("Your draft, saved at 2026-12-04 16:45:12 UTC, started from version 1.0.0.",
            bar.Find("#draft-status").TextContent, StringComparison.Ordinal));
        Assert.Contains("Saved.", bar.Find("#draft-notice").TextContent, StringComparison.Ordinal);
        Assert.Empty(bar.FindAll("#draft-unsaved"));
        Assert.NotNull(bar.Find("#draft-discard"));

        bar.Render(p => p.Add(b => b.Text, text + "]}"));
        Assert.NotNull(bar.Find("#draft-unsaved"));
        _api.Replies[$"PUT {DraftPath}"] = (HttpStatusCode.OK, Draft(text + "]}", 2));
        bar.Find("#draft-save").Click();
        Assert.Equal("\"7-1\"", _api.Requests.Last(r => r.Method == "PUT").IfMatch);
        Assert.Null(_api.IfNoneMatch[^1]);
    }

    [Fact]
    public void A_save_overtaken_in_another_window_is_explained_and_only_a_second_press_overwrites_it()
    {
        SignIn("compliance1", "compliance");
        var initial = System.Text.Json.JsonSerializer.Deserialize<RulePackDraftResponse>(Draft("{ \"old\": 1", 3), PortalApi.Json)!;
        _api.Replies[$"PUT {DraftPath}"] = (HttpStatusCode.PreconditionFailed,
            """{"title":"Changed since you read it","status":412,"detail":"your draft of pack 'sca' was saved since the revision in If-Match"}""");
        var bar = Bar("{ \"mine\": 2", initial, "\"7-3\"");

        bar.Find("#draft-save").Click();

        Assert.Equal("\"7-3\"", _api.Requests.Single(r => r.Method == "PUT").IfMatch);
        bar.WaitForAssertion(() => Assert.Contains("was saved or discarded in another window", bar.Find("#draft-error").TextContent, StringComparison.Ordinal));
        Assert.NotNull(bar.Find("#draft-unsaved"));
        _api.Replies[$"PUT {DraftPath}"] = (HttpStatusCode.OK, Draft("{ \"mine\": 2", 5));
        bar.Find("#draft-save").Click();
        Assert.Null(_api.Requests.Last(r => r.Method == "PUT").IfMatch);
        Assert.Null(_api.IfNoneMatch[^1]);
        bar.WaitForAssertion(() => Assert.Empty(bar.FindAll("#draft-error")));
    }

    [Fact]
    public void A_refused_save_names_the_field_in_the_APIs_words()
    {
        SignIn("compliance1", "compliance");
        _api.Replies[$"PUT {DraftPath}"] = (HttpStatusCode.BadRequest,
            """{"title":"The request is not valid","status":400,"errors":{"json":["must be at most 262144 bytes in UTF-8; this draft is 300000 bytes"]}}""");
        var bar = Bar("{ \"big\": 1");

        bar.Find("#draft-save").Click();

        bar.WaitForAssertion(() => Assert.Contains("Not saved: json: must be at most 262144 bytes", bar.Find("#draft-error").TextContent, StringComparison.Ordinal));
        Assert.Contains("No saved draft", bar.Find("#draft-status").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_draft_from_an_older_version_warns_and_discarding_it_asks_the_page_for_the_published_version()
    {
        SignIn("compliance1", "compliance");
        var initial = System.Text.Json.JsonSerializer.Deserialize<RulePackDraftResponse>(
            Draft("{ \"old\": 1", 4, stale: true, basedOn: "1.0.0", current: "1.0.1"), PortalApi.Json)!;
        _api.Replies[$"DELETE {DraftPath}"] = (HttpStatusCode.NoContent, "");
        var discarded = 0;
        var bar = Bar("{ \"old\": 1", initial, "\"9-4\"", () => discarded++);

        Assert.Contains("started from version 1.0.0, but the pack has since been made current at version 1.0.1", bar.Find("#draft-stale").TextContent,
            StringComparison.Ordinal);
        Assert.Empty(bar.FindAll("#draft-unsaved"));
        bar.Find("#draft-discard").Click();

        var delete = Assert.Single(_api.Requests, r => r.Method == "DELETE");
        Assert.Equal(DraftPath, delete.Path);
        Assert.Equal("\"9-4\"", delete.IfMatch);
        bar.WaitForAssertion(() => Assert.Equal(1, discarded));
        Assert.Empty(bar.FindAll("#draft-stale"));
        Assert.Empty(bar.FindAll("#draft-discard"));
        Assert.Contains("Draft discarded.", bar.Find("#draft-notice").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Leaving_for_another_portal_page_with_unsaved_changes_asks_first_and_stays_when_the_officer_says_no()
    {
        SignIn("compliance1", "compliance");
        var confirm = JSInterop.Setup<bool>("confirm", _ => true).SetResult(false);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var bar = Bar(Published);

        // Nothing unsaved: no question.
        navigation.NavigateTo("/portal/rules");
        Assert.Empty(confirm.Invocations);
        Assert.EndsWith("/portal/rules", navigation.Uri, StringComparison.Ordinal);

        bar.Render(p => p.Add(b => b.Text, "{ \"edited\": true }"));
        var before = navigation.Uri;
        navigation.NavigateTo("/portal/inbox");
        bar.WaitForAssertion(() => Assert.Single(confirm.Invocations));
        Assert.Equal("The draft has unsaved changes. Leave without saving them?", confirm.Invocations.Single().Arguments[0]);
        Assert.Equal(before, navigation.Uri);
        Assert.Equal("http://localhost/portal/rules", before);
    }

    [Fact]
    public void The_pack_list_shows_an_officer_their_drafts_with_a_stale_one_marked_and_a_regulator_no_drafts_column()
    {
        SignIn("compliance1", "compliance");
        _api.Replies["GET /api/v1/rulepacks"] = (HttpStatusCode.OK, """
            [{"id":"sca","regime":"SCA","currentVersion":"1.0.1","effectiveFrom":"2026-01-01","effectiveTo":null,"ruleCount":9,
              "publishedAt":"2026-12-04T10:00:00Z","publishedBy":"compliance1","sha256":"ab","currentSince":"2026-12-04T10:00:00Z","currentSetBy":"compliance2"},
             {"id":"sec","regime":"SEC","currentVersion":"1.0.0","effectiveFrom":"2026-01-01","effectiveTo":null,"ruleCount":7,
              "publishedAt":"2026-11-24T10:00:00Z","publishedBy":"system","sha256":"cd","currentSince":"2026-11-24T10:00:00Z","currentSetBy":"system"}]
            """);
        _api.Replies["GET /api/v1/rulepacks/drafts"] = (HttpStatusCode.OK,
            "[" + Draft("x", 2, stale: true, basedOn: "1.0.0", current: "1.0.1").Replace(",\"json\":\"x\"", "", StringComparison.Ordinal) + "]");

        var list = Render<RulePacks>();

        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("tr[data-pack=sca] .pack-draft-open")));
        Assert.Equal("saved 2026-12-04 16:45 UTC, from 1.0.0", list.Find("tr[data-pack=sca] .pack-draft-open").TextContent);
        Assert.Equal("/portal/rules/sca", list.Find("tr[data-pack=sca] .pack-draft-open").GetAttribute("href"));
        Assert.Equal("older than 1.0.1", list.Find("tr[data-pack=sca] .pack-draft-stale").TextContent);
        Assert.Empty(list.FindAll("tr[data-pack=sec] .pack-draft-open"));
    }

    [Fact]
    public void A_regulator_reads_the_pack_list_without_a_drafts_column()
    {
        SignIn("regulator1", "regulator");
        _api.Replies["GET /api/v1/rulepacks"] = (HttpStatusCode.OK, "[]");
        var list = Render<RulePacks>();
        list.WaitForAssertion(() => Assert.NotNull(list.Find("#packs")));
        Assert.DoesNotContain("Your draft", list.Find("#packs").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Path.Contains("drafts", StringComparison.Ordinal));
    }

    private static readonly Guid Change = Guid.Parse("6f1c2a9e-0000-4000-8000-0000000000cc");
    private static readonly Guid Run = Guid.Parse("0b5e0000-0000-4000-8000-000000000001");

    private static string Replays(params (string By, bool ByAuthor, string Status)[] runs) => new JsonObject
    {
        ["instanceId"] = Change.ToString(), ["packId"] = "sca", ["version"] = "1.0.1", ["kind"] = "publish", ["maker"] = "compliance1",
        ["contentSha256"] = "ab12",
        ["replays"] = new JsonArray([.. runs.Select(r => (JsonNode)new JsonObject
        {
            ["run"] = new JsonObject
            {
                ["id"] = Run.ToString(), ["packId"] = "sca", ["draftVersion"] = "1.0.0", ["from"] = "2026-11-27T00:00:00Z", ["to"] = "2026-12-05T00:00:00Z",
                ["requestedBy"] = r.By, ["requestedAt"] = "2026-12-04T15:10:00Z", ["status"] = r.Status, ["total"] = 40, ["processed"] = r.Status == "Completed" ? 40 : 10,
                ["percent"] = r.Status == "Completed" ? 100 : 25, ["changed"] = 3, ["unchanged"] = 35, ["skipped"] = 2, ["skippedNoContext"] = 2, ["skippedRefused"] = 0,
                ["baselineDiffersFromStored"] = 0,
            },
            ["byAuthor"] = r.ByAuthor,
            ["effects"] = new JsonArray(
                new JsonObject { ["baseline"] = "Pass", ["draft"] = "Block", ["newlyFired"] = new JsonArray("SCA.PRICE_UPPER"), ["noLongerFired"] = new JsonArray(), ["count"] = 2 },
                new JsonObject { ["baseline"] = "Review", ["draft"] = "Block", ["newlyFired"] = new JsonArray("SCA.PRICE_UPPER"), ["noLongerFired"] = new JsonArray("SCA.LARGE_TRADE"), ["count"] = 1 }),
        })]),
    }.ToJsonString();

    private const string ChangedOrders = """
        {"items":[{"orderId":17,"accountId":1001,"symbol":"COMI.INT","side":"Buy","quantity":100,"price":80.5,"createdAt":"2026-12-04T09:00:00Z",
          "storedOutcome":"Pass","baselineOutcome":"Pass","draftOutcome":"Block",
          "newlyFired":[{"packId":"sca","packVersion":"1.0.0","ruleId":"SCA.PRICE_UPPER","outcome":"Block","reasonCode":"SCA-PL-01","message":"Above the daily upper limit."}],
          "noLongerFired":[],"baselineFault":null,"draftFault":null}],"page":1,"pageSize":200,"total":3}
        """;

    [Fact]
    public void Beside_a_change_the_approver_reads_the_authors_replay_its_range_counts_and_outcome_moves_and_opens_the_changed_orders()
    {
        SignIn("compliance2", "compliance");
        _api.Replies[$"GET /api/v1/rulepacks/changes/{Change}/replays"] = (HttpStatusCode.OK, Replays(("compliance1", true, "Completed")));
        _api.Replies[$"GET /api/v1/rulepacks/replays/{Run}/changes"] = (HttpStatusCode.OK, ChangedOrders);

        var view = Render<ChangeReplay>(p => p.Add(c => c.InstanceId, Change).Add(c => c.CanReplay, true));

        view.WaitForAssertion(() => Assert.NotNull(view.Find(".change-replay-run")));
        Assert.Empty(view.FindAll(".change-replay-none"));
        Assert.Empty(view.FindAll(".change-replay-start"));
        Assert.Equal("compliance1 replayed it at 2026-12-04 15:10 UTC over the orders from 2026-11-27 00:00 to 2026-12-05 00:00 UTC.",
            view.Find(".change-replay-range").TextContent.Trim());
        var counts = view.Find(".change-replay-counts").TextContent;
        Assert.Contains("Orders re-evaluated: 40;", counts, StringComparison.Ordinal);
        Assert.Contains("3 would change", counts, StringComparison.Ordinal);
        Assert.Contains("35 unchanged", counts, StringComparison.Ordinal);
        Assert.Equal(["2 × Pass → Block by SCA.PRICE_UPPER", "1 × Review → Block by SCA.PRICE_UPPER (SCA.LARGE_TRADE no longer fires)"],
            view.FindAll(".change-replay-effect").Select(e => string.Join(' ', e.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));

        view.Find(".change-replay-show").Click();

        view.WaitForAssertion(() => Assert.NotNull(view.Find(".change-replay-orders tr[data-order='17']")));
        var row = view.Find(".change-replay-orders tr[data-order='17']").TextContent;
        Assert.Contains("Buy 100 COMI.INT at 80.5", row, StringComparison.Ordinal);
        Assert.Contains("SCA.PRICE_UPPER: Above the daily upper limit.", row, StringComparison.Ordinal);
        Assert.Contains("The first 1 of 3 orders.", view.Markup, StringComparison.Ordinal);
        Assert.Contains(_api.Requests, r => r.Path == $"/api/v1/rulepacks/replays/{Run}/changes?pageSize=200");
    }

    [Fact]
    public void A_change_nobody_replayed_says_so_and_the_approver_replays_it_over_the_last_seven_days()
    {
        SignIn("compliance2", "compliance");
        _api.Replies[$"GET /api/v1/rulepacks/changes/{Change}/replays"] = (HttpStatusCode.OK, Replays());
        var view = Render<ChangeReplay>(p => p.Add(c => c.InstanceId, Change).Add(c => c.CanReplay, true));
        view.WaitForAssertion(() => Assert.NotNull(view.Find(".change-replay-none")));
        Assert.Equal("The author did not replay this change.", view.Find(".change-replay-none").TextContent);
        Assert.Empty(view.FindAll(".change-replay-run"));

        _api.Replies[$"POST /api/v1/rulepacks/changes/{Change}/replays"] = (HttpStatusCode.Accepted, """{"id":"0b5e0000-0000-4000-8000-000000000001","status":"Queued"}""");
        _api.Replies[$"GET /api/v1/rulepacks/replays/{Run}"] = (HttpStatusCode.OK, """{"id":"0b5e0000-0000-4000-8000-000000000001","status":"Completed"}""");
        _api.Replies[$"GET /api/v1/rulepacks/changes/{Change}/replays"] = (HttpStatusCode.OK, Replays(("compliance2", false, "Completed")));
        view.Find(".change-replay-start").Click();

        view.WaitForAssertion(() => Assert.NotNull(view.Find(".change-replay-run")));
        var posted = JsonNode.Parse(_api.Requests.Single(r => r.Method == "POST").Body!)!;
        var from = posted["from"]!.GetValue<DateTime>();
        var to = posted["to"]!.GetValue<DateTime>();
        Assert.Equal(TimeSpan.FromDays(8), to - from);
        Assert.Equal(DateTime.UtcNow.Date.AddDays(1), to.ToUniversalTime());
        // Still not the author's: said so, with whose run it is.
        Assert.NotNull(view.Find(".change-replay-none"));
        Assert.Contains("Replayed by compliance2 instead:", view.Find(".change-replay-run").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_still_going_shows_its_progress_and_senior_compliance_alone_is_offered_no_replay()
    {
        SignIn("compliance2", "senior_compliance");
        _api.Replies[$"GET /api/v1/rulepacks/changes/{Change}/replays"] = (HttpStatusCode.OK, Replays(("compliance1", true, "Running")));
        var view = Render<ChangeReplay>(p => p.Add(c => c.InstanceId, Change).Add(c => c.CanReplay, false));
        view.WaitForAssertion(() => Assert.NotNull(view.Find(".change-replay-status")));
        Assert.Contains("Running: 10 of 40 orders", view.Find(".change-replay-status").TextContent, StringComparison.Ordinal);
        Assert.Empty(view.FindAll(".change-replay-counts"));

        _api.Replies[$"GET /api/v1/rulepacks/changes/{Change}/replays"] = (HttpStatusCode.OK, Replays());
        var none = Render<ChangeReplay>(p => p.Add(c => c.InstanceId, Change).Add(c => c.CanReplay, false));
        none.WaitForAssertion(() => Assert.NotNull(none.Find(".change-replay-none")));
        Assert.Empty(none.FindAll(".change-replay-start"));
    }

    [Fact]
    public void The_inbox_puts_the_authors_replay_beside_a_pack_changes_diff()
    {
        SignIn("compliance2", "compliance");
        _api.Replies["GET /api/v1/tasks"] = (HttpStatusCode.OK, $$"""
            [{"taskId":"6f1c2a9e-0000-4000-8000-000000000002","instanceId":"{{Change}}","name":"approve","role":"compliance","status":"Open",
              "requiredApprovals":1,"fourEyes":false,"approvers":[],"claimedBy":null,"rejectedBy":null,"escalated":false,
              "openedAt":"2026-12-04T15:20:00Z","closedAt":null,"comment":null,"definition":"rulepack-publication","definitionVersion":1,
              "subject":"rulepack","subjectId":"sca@1.0.1","orderId":null,"state":"review","version":1,"maker":"compliance1","outcome":null,
              "reasonCodes":null,"notional":0,"currency":null,"notionalUsd":0,"packId":"sca"}]
            """);
        _api.Replies[$"GET /api/v1/rulepacks/changes/{Change}/diff"] = (HttpStatusCode.OK,
            """{"packId":"sca","from":"1.0.0","to":"1.0.1","added":1,"removed":1,"diff":"--- a\n+++ b\n-      \"value\": 15,\n+      \"value\": 0,","changes":["UpperLimitPct: 15 -> 0"]}""");
        _api.Replies[$"GET /api/v1/rulepacks/changes/{Change}/replays"] = (HttpStatusCode.OK, Replays(("compliance1", true, "Completed")));

        var inbox = Render<Inbox>();

        inbox.WaitForAssertion(() => Assert.NotNull(inbox.Find(".inbox-task .change-replay-run")));
        var task = inbox.Find(".inbox-task");
        Assert.NotNull(task.QuerySelector(".pack-change-diff"));
        Assert.Contains("2 × Pass → Block", task.QuerySelector(".change-replay-effects")!.TextContent, StringComparison.Ordinal);
    }
}
