using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.RulePacks;

/// <summary>
/// Saved drafts of the rule editor (/api/v1/rulepacks/{id}/draft): kept as typed, valid or not, per pack and author, private
/// to the author, stale once the pack is published again, guarded by ETags, audited, and never touching the published pack
/// or the approval workflow. One platform for the class; each test works on its own pack so that none sees another's draft.
/// </summary>
public sealed class RulePackDraftsApiTests : IClassFixture<PlatformFactory>
{
    private readonly PlatformFactory _platform;

    public RulePackDraftsApiTests(PlatformFactory platform) => _platform = platform;

    /// <summary>A half-typed edit: it does not even parse, and a draft keeps it anyway.</summary>
    private static string HalfTyped(string id) => RulePackSamples.FileText(id)[..400] + "\n  \"parameters\": { \"UpperLimitPct\": ";

    private static string Body(string? json, string? basedOnVersion) =>
        JsonSerializer.Serialize(new { json, basedOnVersion });

    private static async Task<(HttpStatusCode Status, string Body, string? ETag)> SendAsync(ApiClient client, HttpMethod method, string path,
        string? body = null, string? ifMatch = null, bool ifNoneMatchAny = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        if (ifNoneMatchAny)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }
        using var response = await client.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.ETag?.ToString());
    }

    private Task<(int Drafts, int Audit, int Versions, int Instances)> CountsAsync() => CountsAsync(_platform);

    private static async Task<(int Drafts, int Audit, int Versions, int Instances)> CountsAsync(PlatformFactory platform)
    {
        (int, int, int, int) counts = default;
        await platform.WithDbAsync(async db => counts = (await db.RulePackDrafts.CountAsync(), await db.AuditLog.CountAsync(),
            await db.RulePackVersions.CountAsync(), await db.WorkflowInstances.CountAsync()));
        return counts;
    }

    [Fact]
    public async Task A_draft_that_does_not_parse_is_saved_read_back_saved_again_and_discarded_with_the_published_pack_untouched()
    {
        var compliance = await _platform.ClientForAsync("compliance1");
        var published = (await compliance.GetAsync("/api/v1/rulepacks/sca")).Expect(HttpStatusCode.OK);
        var before = await CountsAsync();
        var text = HalfTyped("sca");

        var first = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/sca/draft", Body(text, published.Str("version")));

        Assert.True(first.Status == HttpStatusCode.Created, first.Body);
        Assert.NotNull(first.ETag);
        var saved = JsonNode.Parse(first.Body)!;
        Assert.Equal(text, saved["json"]!.GetValue<string>());
        Assert.Equal("sca", saved["packId"]!.GetValue<string>());
        Assert.Equal("compliance1", saved["author"]!.GetValue<string>());
        Assert.Equal(published.Str("version"), saved["basedOnVersion"]!.GetValue<string>());
        Assert.Equal(published.Str("version"), saved["currentVersion"]!.GetValue<string>());
        Assert.False(saved["stale"]!.GetValue<bool>());
        Assert.Equal(1, saved["revision"]!.GetValue<long>());
        Assert.Equal(Encoding.UTF8.GetByteCount(text), saved["bytes"]!.GetValue<int>());
        var savedAt = saved["savedAt"]!.GetValue<DateTime>();
        Assert.True(Math.Abs((DateTime.UtcNow - savedAt).TotalMinutes) < 5, $"savedAt {savedAt:O}");

        // Read back as another request would (another day, another browser): the same text and ETag.
        var read = await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/sca/draft");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(text, JsonNode.Parse(read.Body)!["json"]!.GetValue<string>());
        Assert.Equal(first.ETag, read.ETag);
        var list = (await compliance.GetAsync("/api/v1/rulepacks/drafts")).Expect(HttpStatusCode.OK).Json.AsArray();
        var listed = Assert.Single(list, d => d!["packId"]!.GetValue<string>() == "sca")!;
        Assert.Null(listed["json"]);
        Assert.Equal(1, listed["revision"]!.GetValue<long>());

        // Saved again with its ETag: the same row, a new revision and ETag.
        var edited = text + " 0 } }";
        var second = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/sca/draft", Body(edited, published.Str("version")), ifMatch: first.ETag);
        Assert.True(second.Status == HttpStatusCode.OK, second.Body);
        Assert.Equal(2, JsonNode.Parse(second.Body)!["revision"]!.GetValue<long>());
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(edited, JsonNode.Parse((await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/sca/draft")).Body)!["json"]!.GetValue<string>());

        // Neither save published, submitted or changed anything but the draft and its two audit records.
        var during = await CountsAsync();
        Assert.Equal((before.Drafts + 1, before.Audit + 2, before.Versions, before.Instances), during);
        var still = (await compliance.GetAsync("/api/v1/rulepacks/sca")).Expect(HttpStatusCode.OK);
        Assert.Equal(published.Str("version"), still.Str("version"));
        Assert.Equal(published.Str("sha256"), still.Str("sha256"));

        var discarded = await SendAsync(compliance, HttpMethod.Delete, "/api/v1/rulepacks/sca/draft", ifMatch: second.ETag);
        Assert.Equal(HttpStatusCode.NoContent, discarded.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/sca/draft")).Status);
        Assert.DoesNotContain((await compliance.GetAsync("/api/v1/rulepacks/drafts")).Expect(HttpStatusCode.OK).Json.AsArray(),
            d => d!["packId"]!.GetValue<string>() == "sca");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(compliance, HttpMethod.Delete, "/api/v1/rulepacks/sca/draft")).Status);

        await _platform.WithDbAsync(async db =>
        {
            var records = await db.AuditLog.AsNoTracking().Where(a => a.Subject == "rulepack/sca" && a.Action.StartsWith("rulepack.draft_"))
                .OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(["rulepack.draft_saved", "rulepack.draft_saved", "rulepack.draft_discarded"], records.Select(r => r.Action));
            Assert.All(records, r => Assert.Equal("compliance1", r.Actor));
            var details = JsonNode.Parse(records[1].Details)!;
            Assert.Equal(2, details["revision"]!.GetValue<long>());
            Assert.Equal(TradSys.Web.RulePacks.RulePackStore.Sha256Of(edited), details["sha256"]!.GetValue<string>());
            // The text itself is not copied into the trail.
            Assert.DoesNotContain("UpperLimitPct", records[1].Details, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_draft_is_its_authors_alone_and_each_officer_keeps_their_own_draft_of_the_same_pack()
    {
        var compliance1 = await _platform.ClientForAsync("compliance1");
        var compliance2 = await _platform.ClientForAsync("compliance2");
        var version = (await compliance1.GetAsync("/api/v1/rulepacks/mifid")).Expect(HttpStatusCode.OK).Str("version");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(compliance1, HttpMethod.Put, "/api/v1/rulepacks/mifid/draft", Body("{ \"mine\": 1", version))).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(compliance2, HttpMethod.Get, "/api/v1/rulepacks/mifid/draft")).Status);
        Assert.DoesNotContain((await compliance2.GetAsync("/api/v1/rulepacks/drafts")).Expect(HttpStatusCode.OK).Json.AsArray(),
            d => d!["packId"]!.GetValue<string>() == "mifid");
        // compliance2's first save of the same pack is their own draft, and leaves compliance1's as it was.
        Assert.Equal(HttpStatusCode.Created,
            (await SendAsync(compliance2, HttpMethod.Put, "/api/v1/rulepacks/mifid/draft", Body("{ \"theirs\": 2", version), ifNoneMatchAny: true)).Status);
        Assert.Equal("{ \"mine\": 1", JsonNode.Parse((await SendAsync(compliance1, HttpMethod.Get, "/api/v1/rulepacks/mifid/draft")).Body)!["json"]!.GetValue<string>());
        Assert.Equal("{ \"theirs\": 2", JsonNode.Parse((await SendAsync(compliance2, HttpMethod.Get, "/api/v1/rulepacks/mifid/draft")).Body)!["json"]!.GetValue<string>());
        // Discarding one's own draft leaves the other's.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(compliance2, HttpMethod.Delete, "/api/v1/rulepacks/mifid/draft")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(compliance1, HttpMethod.Get, "/api/v1/rulepacks/mifid/draft")).Status);
    }

    [Fact]
    public async Task Submitting_the_saved_draft_for_approval_takes_the_draft_with_it_and_a_different_draft_stays()
    {
        var compliance = await _platform.ClientForAsync("compliance1");
        var version = (await compliance.GetAsync("/api/v1/rulepacks/adgm")).Expect(HttpStatusCode.OK).Str("version");
        var text = RulePackSamples.Edited("adgm", p => p["version"] = "7.0.0");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/adgm/draft", Body(text, version))).Status);

        // The submission is exactly the draft: the draft goes with it, audited, so the editor does not reopen it.
        (await compliance.PostRawAsync("/api/v1/rulepacks/adgm/publish", text)).Expect(HttpStatusCode.Accepted);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/adgm/draft")).Status);
        var audit = await _platform.ClientForAsync("admin");
        var records = (await audit.GetAsync("/api/v1/audit?subject=rulepack/adgm&action=rulepack.draft_discarded")).Expect(HttpStatusCode.OK)
            .Json["items"]!.AsArray();
        Assert.Contains("submitted", Assert.Single(records)!["details"]!.GetValue<string>(), StringComparison.Ordinal);

        // A draft that is not what was submitted (edited further) is kept.
        var further = RulePackSamples.Edited("adgm", p => p["version"] = "7.0.2");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/adgm/draft", Body(further, version))).Status);
        (await compliance.PostRawAsync("/api/v1/rulepacks/adgm/publish", RulePackSamples.Edited("adgm", p => p["version"] = "7.0.1")))
            .Expect(HttpStatusCode.Accepted);
        var kept = await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/adgm/draft");
        Assert.Equal(HttpStatusCode.OK, kept.Status);
        Assert.Equal(further, JsonNode.Parse(kept.Body)!["json"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_draft_started_from_an_older_version_says_so_once_the_pack_is_published_at_a_newer_one()
    {
        var compliance = await _platform.ClientForAsync("compliance1");
        var start = (await compliance.GetAsync("/api/v1/rulepacks/difc")).Expect(HttpStatusCode.OK).Str("version");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/difc/draft", Body(HalfTyped("difc"), start))).Status);

        await MakerChecker.PublishAsync(_platform, "difc", RulePackSamples.Edited("difc", p => p["version"] = "9.0.0"));

        var draft = JsonNode.Parse((await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/difc/draft")).Body)!;
        Assert.True(draft["stale"]!.GetValue<bool>());
        Assert.Equal(start, draft["basedOnVersion"]!.GetValue<string>());
        Assert.Equal("9.0.0", draft["currentVersion"]!.GetValue<string>());
        var listed = (await compliance.GetAsync("/api/v1/rulepacks/drafts")).Expect(HttpStatusCode.OK).Json.AsArray()
            .Single(d => d!["packId"]!.GetValue<string>() == "difc")!;
        Assert.True(listed["stale"]!.GetValue<bool>());
        // The publication did not touch the draft's text.
        Assert.Equal(HalfTyped("difc"), draft["json"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_save_or_discard_overtaken_by_another_window_is_refused_with_412_and_changes_nothing()
    {
        var compliance = await _platform.ClientForAsync("compliance1");
        var version = (await compliance.GetAsync("/api/v1/rulepacks/emir")).Expect(HttpStatusCode.OK).Str("version");
        var windowA = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/emir/draft", Body("{ \"a\": 1", version));
        Assert.Equal(HttpStatusCode.Created, windowA.Status);
        var windowB = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/emir/draft", Body("{ \"b\": 2", version), ifMatch: windowA.ETag);
        Assert.Equal(HttpStatusCode.OK, windowB.Status);
        var before = await CountsAsync();

        // Window A saves with the ETag it read: B's text wins and stays.
        var stale = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/emir/draft", Body("{ \"a\": 3", version), ifMatch: windowA.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Contains("was saved since", JsonNode.Parse(stale.Body)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // A first save when a draft exists, and a stale discard, are refused alike.
        Assert.Equal(HttpStatusCode.PreconditionFailed,
            (await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/emir/draft", Body("{ \"c\": 4", version), ifNoneMatchAny: true)).Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(compliance, HttpMethod.Delete, "/api/v1/rulepacks/emir/draft", ifMatch: windowA.ETag)).Status);
        Assert.Equal(before, await CountsAsync());
        var kept = await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/emir/draft");
        Assert.Equal("{ \"b\": 2", JsonNode.Parse(kept.Body)!["json"]!.GetValue<string>());
        Assert.Equal(windowB.ETag, kept.ETag);

        // Discarded in window B, then saved in A with its old ETag: 412, nothing recreated; without If-Match it is saved anew.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(compliance, HttpMethod.Delete, "/api/v1/rulepacks/emir/draft", ifMatch: windowB.ETag)).Status);
        var gone = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/emir/draft", Body("{ \"a\": 5", version), ifMatch: windowB.ETag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, gone.Status);
        Assert.Contains("no longer exists", JsonNode.Parse(gone.Body)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/emir/draft")).Status);
        var anew = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/emir/draft", Body("{ \"a\": 5", version));
        Assert.Equal(HttpStatusCode.Created, anew.Status);
        Assert.NotEqual(windowA.ETag, anew.ETag);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "json missing", "json", "is required" },
        { "json blank", "json", "is required" },
        { "json too large", "json", "at most 262144 bytes" },
        { "json not a string", "$.json", "wrong type" },
        { "basedOnVersion missing", "basedOnVersion", "is required" },
        { "basedOnVersion unknown", "basedOnVersion", "has no version 7.7.7" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_save_is_refused_naming_the_field_and_nothing_is_stored(string kind, string field, string message)
    {
        var compliance = await _platform.ClientForAsync("compliance1");
        var version = (await compliance.GetAsync("/api/v1/rulepacks/sharia")).Expect(HttpStatusCode.OK).Str("version");
        var body = kind switch
        {
            "json missing" => Body(null, version),
            "json blank" => Body("   ", version),
            "json too large" => Body(new string('x', TradSys.Web.Apis.RulePackDraftsApi.MaxDraftBytes + 1), version),
            "json not a string" => "{\"json\": 5, \"basedOnVersion\": \"" + version + "\"}",
            "basedOnVersion missing" => Body("{", null),
            _ => Body("{", "7.7.7"),
        };
        var before = await CountsAsync();

        var reply = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/sharia/draft", body);

        Assert.True(reply.Status == HttpStatusCode.BadRequest, $"{reply.Status}: {reply.Body}");
        var errors = new Reply(reply.Status, reply.Body, null).Errors(field);
        Assert.NotEmpty(errors);
        Assert.Contains(message, errors[0], StringComparison.Ordinal);
        Assert.Null(reply.ETag);
        Assert.Equal(before, await CountsAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/sharia/draft")).Status);
    }

    [Fact]
    public async Task A_draft_of_a_pack_that_does_not_exist_is_refused_404_and_nothing_is_stored()
    {
        var compliance = await _platform.ClientForAsync("compliance1");
        var before = await CountsAsync();

        var reply = await SendAsync(compliance, HttpMethod.Put, "/api/v1/rulepacks/no-such-pack/draft", Body("{", "1.0.0"));

        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Contains("no rule pack 'no-such-pack'", reply.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(compliance, HttpMethod.Get, "/api/v1/rulepacks/no-such-pack/draft")).Status);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("trader1")]
    [InlineData("viewer1")]
    [InlineData("regulator1")]
    [InlineData("admin")]
    public async Task Only_compliance_officers_keep_drafts_others_are_refused_and_nothing_is_stored(string user)
    {
        var client = await _platform.ClientForAsync(user);
        var before = await CountsAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Put, "/api/v1/rulepacks/fatca/draft", Body("{", "1.0.0"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Get, "/api/v1/rulepacks/fatca/draft")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Delete, "/api/v1/rulepacks/fatca/draft")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Get, "/api/v1/rulepacks/drafts")).Status);
        Assert.Equal(before, await CountsAsync());
    }
}
