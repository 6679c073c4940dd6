using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// A venue's holidays and half days from a CSV file (POST /api/v1/venues/{code}/calendar/holidays/import, issue 14): the dry run says
/// what each line would do and changes nothing; the import is one new version of the calendar, in force for the very next order; a
/// file can remove a date; every problem of a file is named by its line and column at once and nothing is stored; a stale If-Match is
/// refused; only operations and admins import.
/// </summary>
public sealed class VenueHolidayImportTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo, EGX in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static async Task<Reply> ImportAsync(ApiClient client, string code, string query, string csv, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/venues/{code}/calendar/holidays/import{query}")
        {
            Content = new StringContent(csv, Encoding.UTF8, "text/csv"),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        using var response = await client.Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    private static List<(int Line, string Column, string Message)> ProblemsOf(Reply reply) =>
        [.. reply.Json["problems"]!.AsArray().Select(p => (p!["line"]!.GetValue<int>(), p["column"]!.GetValue<string>(), p["message"]!.GetValue<string>()))];

    private static List<(int Line, string Date, string Action)> LinesOf(Reply reply) =>
        [.. reply.Json["lines"]!.AsArray().Select(l => (l!["line"]!.GetValue<int>(), l["date"]!.GetValue<string>(), l["action"]!.GetValue<string>()))];

    [Fact]
    public async Task A_dry_run_changes_nothing_and_the_import_is_one_version_in_force_for_the_next_order()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        const string notice = """
            date,name,closeAt
            2026-11-23,Exchange closure (test),
            2027-01-07,Coptic Christmas,
            2026-12-31,"Year end, early close",13:00
            """;

        var dry = (await ImportAsync(ops, "EGX", "?reason=EGX%20notice%202026%2F311", notice)).Expect(HttpStatusCode.OK);
        Assert.Equal((true, 0, 3), (dry.Json["dryRun"]!.GetValue<bool>(), dry.Json["version"]!.GetValue<int>(), dry.Json["added"]!.GetValue<int>()));
        Assert.Equal([(2, "2026-11-23", "Add"), (3, "2027-01-07", "Add"), (4, "2026-12-31", "Add")], LinesOf(dry));
        var halfDay = dry.Json["lines"]![2]!;
        Assert.Equal(("HalfDay", "13:00", "Year end, early close"), (halfDay["kind"]!.GetValue<string>(), halfDay["closeAt"]!.GetValue<string>(),
            halfDay["name"]!.GetValue<string>()));
        (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        await platform.WithDbAsync(async db => Assert.Equal(0, await db.VenueVersions.CountAsync()));

        var done = (await ImportAsync(ops, "EGX", "?dryRun=false&reason=EGX%20notice%202026%2F311", notice)).Expect(HttpStatusCode.OK);
        Assert.Equal((false, 1, 3), (done.Json["dryRun"]!.GetValue<bool>(), done.Json["version"]!.GetValue<int>(), done.Json["added"]!.GetValue<int>()));
        Assert.StartsWith("EGX (XCAI) is Closed at 2026-11-23 11:00 Africa/Cairo", (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10))
            .Expect(HttpStatusCode.BadRequest).Errors("symbol").Single(), StringComparison.Ordinal);
        var calendar = (await ops.GetAsync("/api/v1/venues/EGX/calendar")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(["2026-11-23", "2027-01-07"], calendar["holidays"]!.AsArray().Select(h => h!["date"]!.GetValue<string>()));
        Assert.Equal("13:00", calendar["halfDays"]![0]!["closeAt"]!.GetValue<string>());
        var version = Assert.Single((await ops.GetAsync("/api/v1/venues/EGX/calendar/history")).Expect(HttpStatusCode.OK).Json.AsArray())!;
        Assert.Equal(("ops1", "EGX notice 2026/311"), (version["changedBy"]!.GetValue<string>(), version["reason"]!.GetValue<string>()));
        Assert.Equal(["halfDays", "holidays"], version["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()).Order());

        // The exchange withdraws today's closure: a line removes the date, a line the calendar already has changes nothing, and the
        // venue trades again at the next order. The same file again changes nothing and stores no version.
        const string withdrawn = """
            date,name,closeAt,action
            2026-11-23,,,remove
            2027-01-07,Coptic Christmas,,
            """;
        var second = (await ImportAsync(ops, "EGX", "?dryRun=false&reason=closure%20withdrawn", withdrawn, "W/\"v1\"")).Expect(HttpStatusCode.OK);
        Assert.Equal([(2, "2026-11-23", "Remove"), (3, "2027-01-07", "Unchanged")], LinesOf(second));
        Assert.Equal("Holiday: Exchange closure (test)", second.Json["lines"]![0]!["before"]!.GetValue<string>());
        Assert.Equal(2, second.Json["version"]!.GetValue<int>());
        (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        var again = (await ImportAsync(ops, "EGX", "?dryRun=false&reason=closure%20withdrawn", withdrawn)).Expect(HttpStatusCode.OK);
        Assert.Equal((2, 2), (again.Json["version"]!.GetValue<int>(), again.Json["unchanged"]!.GetValue<int>()));
        await platform.WithDbAsync(async db => Assert.Equal(2, await db.VenueVersions.CountAsync()));
    }

    [Fact]
    public async Task Every_problem_of_a_file_is_named_by_line_and_column_at_once_and_nothing_is_stored()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        const string bad = """
            date,name,closeAt,action
            2026-11-27,A Friday,,
            2026-02-30,No such day,,
            2026-11-24,,,
            2026-11-24,Twice,,
            2026-11-25,After the close,16:00,
            2026-11-26,Oops,,delete
            2026-11-29,Not removable,,remove
            """;

        var reply = (await ImportAsync(ops, "EGX", "?dryRun=false", bad)).Expect(HttpStatusCode.BadRequest);
        var problems = ProblemsOf(reply);
        Assert.Equal([(0, "reason"), (2, "date"), (3, "date"), (4, "name"), (5, "date"), (6, "closeAt"), (7, "action"), (8, "name")],
            problems.Select(p => (p.Line, p.Column)).Order());
        Assert.Contains("is a Friday, not a trading day", problems.Single(p => p.Line == 2).Message, StringComparison.Ordinal);
        Assert.Contains("not a date as yyyy-MM-dd", problems.Single(p => p.Line == 3).Message, StringComparison.Ordinal);
        Assert.Contains("is on line 4 already", problems.Single(p => p.Line == 5).Message, StringComparison.Ordinal);
        Assert.Contains("not inside the trading day", problems.Single(p => p.Line == 6).Message, StringComparison.Ordinal);
        Assert.Contains("'delete' is not an action", problems.Single(p => p.Line == 7).Message, StringComparison.Ordinal);
        Assert.Contains("must be empty on a line that removes its date", problems.Single(p => p.Line == 8).Message, StringComparison.Ordinal);
        Assert.Single(reply.Errors("reason"));
        Assert.Single(reply.Errors("line 6: closeAt"));

        // A header with a column named wrong stops at the header.
        var header = (await ImportAsync(ops, "EGX", "?reason=x", "Date,name\n2027-01-07,Coptic Christmas\n")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(ProblemsOf(header), p => p is (1, "Date", _) && p.Message.Contains("did you mean 'date'", StringComparison.Ordinal));

        // Nothing was stored; an unknown venue is 404 and a stale If-Match 412.
        await platform.WithDbAsync(async db => Assert.Equal(0, await db.VenueVersions.CountAsync()));
        (await ImportAsync(ops, "NOPE", "?reason=x", "date,name\n2027-01-07,Coptic Christmas\n")).Expect(HttpStatusCode.NotFound);
        var stale = (await ImportAsync(ops, "EGX", "?dryRun=false&reason=x", "date,name\n2027-01-07,Coptic Christmas\n", "W/\"v3\""))
            .Expect(HttpStatusCode.PreconditionFailed);
        Assert.Contains("W/\\\"v0\\\"", stale.Body, StringComparison.Ordinal);
        await platform.WithDbAsync(async db => Assert.Equal(0, await db.VenueVersions.CountAsync()));
    }

    [Fact]
    public async Task Only_operations_and_admins_import_holidays()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        const string file = "date,name\n2027-01-07,Coptic Christmas\n";
        foreach (var user in new[] { "trader1", "compliance1", "regulator1", "risk1" })
        {
            (await ImportAsync(await platform.ClientForAsync(user), "EGX", "?dryRun=false&reason=x", file)).Expect(HttpStatusCode.Forbidden);
        }
        var admin = (await ImportAsync(await platform.ClientForAsync("admin"), "EGX", "?dryRun=false&reason=EGX%20holidays%202027", file))
            .Expect(HttpStatusCode.OK);
        Assert.Equal(1, admin.Json["version"]!.GetValue<int>());
    }
}
