using System.Net;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;
using static TradSys.Web.Tests.Reports.ReportScenario;

namespace TradSys.Web.Tests.Reports;

/// <summary>/api/v1/reports: who may use it, every bad input (and that it stores nothing), generation, idempotency, download.</summary>
public sealed class ReportsApiTests : IClassFixture<ReportsApiTests.Platform>
{
    public sealed class Platform : PlatformFactory
    {
        public Platform() => Clock.Fixed = MarketTime;
    }

    private readonly Platform platform;

    public ReportsApiTests(Platform platform) => this.platform = platform;

    private async Task<int> StoredRunsAsync()
    {
        var count = 0;
        await platform.WithDbAsync(async db => count = await db.GeneratedReports.CountAsync());
        return count;
    }

    public static TheoryData<string> Readers => ["regulator1", "compliance1", "admin"];
    public static TheoryData<string> Refused => ["trader1", "viewer1"];

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Traders_and_viewers_are_refused_every_reports_endpoint(string clientId)
    {
        var client = await platform.ClientForAsync(clientId);
        var before = await StoredRunsAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/reports")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/reports/runs")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/reports/runs/1")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/reports/runs/1/pdf")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/reports/runs/1/data")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await RunAsync(client, "audit-trail", new { date = Day })).Status);
        Assert.Equal(before, await StoredRunsAsync());
    }

    [Fact]
    public async Task Nothing_is_served_without_a_token()
    {
        var anonymous = platform.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/reports")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/reports/runs")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RunAsync(anonymous, "audit-trail", new { date = Day })).Status);
    }

    [Fact]
    public async Task A_risk_officer_lists_runs_and_downloads_the_daily_risk_report_and_no_other_report()
    {
        var risk = await platform.ClientForAsync("risk1");
        var regulator = await platform.ClientForAsync("regulator1");

        // The catalogue shows a risk officer the daily risk report only.
        var catalogue = (await risk.GetAsync("/api/v1/reports")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["daily-risk"], catalogue.Select(r => r!["id"]!.GetValue<string>()));
        Assert.Contains("risk", catalogue[0]!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        // On demand: the risk officer's own copy of a past day, polled, listed and downloaded with its checksum.
        var run = await RunAsync(risk, "daily-risk", new { date = "2026-11-18", force = true });
        Assert.Equal(HttpStatusCode.Accepted, run.Status);
        var id = run.Long("id");
        await WaitAsync(risk, id);
        Assert.Contains("Limitsbreached", Text(await DownloadAsync(risk, id)), StringComparison.Ordinal);
        (await risk.GetAsync($"/api/v1/reports/runs/{id}/data")).Expect(HttpStatusCode.OK);
        var listed = (await risk.GetAsync("/api/v1/reports/runs")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Contains(id, listed.Select(r => r!["id"]!.GetValue<long>()));
        Assert.All(listed, r => Assert.Equal("daily-risk", r!["reportId"]!.GetValue<string>()));

        // Any other report: refused to generate (403 naming it), and another role's copy is not there to read (404), nothing stored.
        var before = await StoredRunsAsync();
        var refused = await RunAsync(risk, "audit-trail", new { date = Day });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("audit-trail", refused.Body, StringComparison.Ordinal);
        Assert.Equal(before, await StoredRunsAsync());
        var audit = await RunAsync(regulator, "audit-trail", new { date = "2026-11-18", force = true });
        Assert.Equal(HttpStatusCode.Accepted, audit.Status);
        var auditId = audit.Long("id");
        (await risk.GetAsync($"/api/v1/reports/runs/{auditId}")).Expect(HttpStatusCode.NotFound);
        (await risk.GetAsync($"/api/v1/reports/runs/{auditId}/pdf")).Expect(HttpStatusCode.NotFound);
        (await risk.GetAsync($"/api/v1/reports/runs/{auditId}/data")).Expect(HttpStatusCode.NotFound);
        var filtered = (await risk.GetAsync("/api/v1/reports/runs?reportId=audit-trail")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Empty(filtered);
        await WaitAsync(regulator, auditId);
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task Regulators_compliance_and_admins_read_the_catalogue_generate_list_and_download(string clientId)
    {
        var client = await platform.ClientForAsync(clientId);
        var catalogue = (await client.GetAsync("/api/v1/reports")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(["daily-trades", "compliance-decisions", "audit-trail", "mifid-transactions", "emir-derivatives", "sharia-compliance", "fatca-accounts", "daily-risk"], catalogue.Select(r => r!["id"]!.GetValue<string>()));
        var daily = catalogue[0]!;
        Assert.Equal(["ADX", "EGX", "INTERNAL"], daily["scopes"]!.AsArray().Select(s => s!["venue"]!.GetValue<string>()));
        Assert.Equal("Asia/Dubai", daily["scopes"]![0]!["timeZone"]!.GetValue<string>());
        Assert.Equal("0 16 * * 1,2,3,4,5", daily["scopes"]![0]!["cron"]!.GetValue<string>());
        Assert.Equal("30 15 * * 0,1,2,3,4", daily["scopes"]![1]!["cron"]!.GetValue<string>());

        // A past day of this role's own: the audit trail, forced so every role gets its own copy to fetch.
        var run = await RunAsync(client, "audit-trail", new { date = "2026-11-20", force = true });
        Assert.Equal(HttpStatusCode.Accepted, run.Status);
        var id = run.Long("id");
        Assert.Equal($"/api/v1/reports/runs/{id}", run.Location?.OriginalString);
        await WaitAsync(client, id);
        var pdf = await DownloadAsync(client, id);
        Assert.Contains("Audit-trailextract", Text(pdf), StringComparison.Ordinal);
        var list = (await client.GetAsync("/api/v1/reports/runs?reportId=audit-trail")).Expect(HttpStatusCode.OK);
        Assert.Contains(list.Json["items"]!.AsArray(), r => r!["id"]!.GetValue<long>() == id);
    }

    public static TheoryData<string, string, int, string, string> BadRequests => new()
    {
        { "no-such-report", """{"date":"2026-11-23"}""", 404, "detail", "there is no report 'no-such-report'; the catalogue has: daily-trades, compliance-decisions, audit-trail, mifid-transactions, emir-derivatives, sharia-compliance, fatca-accounts, daily-risk" },
        { "daily-trades", """{"date":"2026-11-23"}""", 400, "venue", "is required: 'daily-trades' is produced per venue (ADX, EGX, INTERNAL)" },
        { "daily-trades", """{"date":"2026-11-23","venue":"NYSE"}""", 400, "venue", "'NYSE' is not covered by 'daily-trades': it covers ADX, EGX, INTERNAL" },
        { "audit-trail", """{"date":"2026-11-23","venue":"ADX"}""", 400, "venue", "'audit-trail' is firm-wide, not per venue: leave venue out" },
        { "daily-trades", """{"venue":"ADX"}""", 400, "date", "is required: the business day as yyyy-MM-dd" },
        { "daily-trades", """{"date":"23/11/2026","venue":"ADX"}""", 400, "date", "'23/11/2026' is not a date in the form yyyy-MM-dd" },
        { "daily-trades", """{"date":"2026-02-30","venue":"ADX"}""", 400, "date", "'2026-02-30' is not a date in the form yyyy-MM-dd" },
        { "daily-trades", """{"date":"2026-11-24","venue":"ADX"}""", 400, "date", "2026-11-24 is in the future: today in Asia/Dubai is 2026-11-23" },
        { "compliance-decisions", """{"date":"2027-01-01"}""", 400, "date", "2027-01-01 is in the future: today in Asia/Dubai is 2026-11-23" },
        { "daily-trades", """{"date":"2026-11-23","venue":"ADX","force":"yes"}""", 400, "$.force", "" },
        { "daily-trades", """{"date":"2026-11-23","venue":"ADX","colour":"red"}""", 400, "$.colour", "" },
        { "daily-trades", """{"date":""", 400, "", "" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Every_bad_request_gets_a_precise_problem_and_stores_nothing(string report, string json, int status, string field, string message)
    {
        var client = await platform.ClientForAsync("regulator1");
        var before = await StoredRunsAsync();
        var reply = await client.PostRawAsync($"/api/v1/reports/{report}/runs", json);
        Assert.True((int)reply.Status == status, $"expected {status}, got {(int)reply.Status}: {reply.Body}");
        Assert.NotNull(reply.Json["title"]);
        if (field == "detail")
        {
            Assert.Equal(message, reply.Str("detail"));
        }
        else if (field.Length > 0 && message.Length > 0)
        {
            Assert.Equal([message], reply.Errors(field));
        }
        else if (field.Length > 0)
        {
            Assert.NotEmpty(reply.Errors(field));
        }
        Assert.Equal(before, await StoredRunsAsync());
    }

    [Fact]
    public async Task Listing_with_a_bad_filter_is_a_problem_naming_the_filter()
    {
        var client = await platform.ClientForAsync("regulator1");
        var reply = (await client.GetAsync("/api/v1/reports/runs?date=yesterday&reportId=nope")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["'yesterday' is not a date in the form yyyy-MM-dd"], reply.Errors("date"));
        Assert.Single(reply.Errors("reportId"));
    }

    [Fact]
    public async Task An_unknown_run_is_404_and_a_run_not_finished_has_no_pdf_yet()
    {
        var client = await platform.ClientForAsync("regulator1");
        (await client.GetAsync("/api/v1/reports/runs/999999")).Expect(HttpStatusCode.NotFound);
        (await client.GetAsync("/api/v1/reports/runs/999999/pdf")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_second_request_for_the_same_report_and_day_returns_the_first_copy_unless_forced()
    {
        var client = await platform.ClientForAsync("compliance1");
        var first = (await RunAsync(client, "compliance-decisions", new { date = "2026-11-21" })).Expect(HttpStatusCode.Accepted);
        var again = (await RunAsync(client, "compliance-decisions", new { date = "2026-11-21" })).Expect(HttpStatusCode.OK);
        Assert.Equal(first.Long("id"), again.Long("id"));
        Assert.Equal(1, again.Long("copy"));
        var forced = (await RunAsync(client, "compliance-decisions", new { date = "2026-11-21", force = true })).Expect(HttpStatusCode.Accepted);
        Assert.NotEqual(first.Long("id"), forced.Long("id"));
        Assert.Equal(2, forced.Long("copy"));
        await WaitAsync(client, first.Long("id"));
        await WaitAsync(client, forced.Long("id"));
        var count = 0;
        await platform.WithDbAsync(async db => count = await db.GeneratedReports.CountAsync(r => r.ReportId == "compliance-decisions" && r.BusinessDate == new DateOnly(2026, 11, 21)));
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task Concurrent_requests_for_one_report_and_day_create_one_copy()
    {
        var client = await platform.ClientForAsync("admin");
        var replies = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RunAsync(client, "audit-trail", new { date = "2026-11-19" })));
        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, r.Describe()));
        Assert.Single(replies.Select(r => r.Long("id")).Distinct());
        await WaitAsync(client, replies[0].Long("id"));
    }
}
