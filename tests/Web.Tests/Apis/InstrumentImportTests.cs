using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TradSys.Web.Apis;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Bulk listings from CSV through POST /api/v1/instruments/import (issue 14): a dry run says what each line would do (list, change
/// which fields, nothing) and writes nothing; a real import goes through the order writer as one batch, every line versioned and
/// audited, and trades at once; every bad line is named with its line and column at once, and none of the file is written.
/// </summary>
public sealed class InstrumentImportTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo, EGX in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private const string Header = "symbol,isin,name,nameAr,venue,currency,sector,lotSize,referencePrice,foreignOwnershipLimitPct,isRestricted," +
                                  "sharia.totalDebt,sharia.totalRevenue,sharia.reportingCurrency,sharia.asOf,reason";

    private static async Task<Reply> PostCsvAsync(ApiClient client, string query, string csv, string mediaType = "text/csv")
    {
        using var content = new StringContent(csv, Encoding.UTF8, mediaType);
        using var response = await client.Http.PostAsync("/api/v1/instruments/import" + query, content);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    private static List<(int Line, string Column, string Message)> ProblemsOf(Reply reply) =>
        [.. reply.Json["problems"]!.AsArray().Select(p => (p!["line"]!.GetValue<int>(), p["column"]!.GetValue<string>(), p["message"]!.GetValue<string>()))];

    /// <summary>A line of a file with every column (<see cref="InstrumentImport.Columns"/>), its cells from an instrument's listing data.</summary>
    private static string LineOf(JsonObject listing) => string.Join(',', InstrumentImport.Columns.Select(column =>
    {
        var path = column.Split('.');
        var value = path.Length == 2 ? listing[path[0]]?[path[1]] : listing[column];
        var text = value?.ToString() ?? "";
        return text.Contains(',', StringComparison.Ordinal) ? $"\"{text}\"" : text;
    }));

    /// <summary>HRHO's line as it is listed (GET .../listing, its version 0), restricted and with a 49% foreign-ownership limit.</summary>
    private static async Task<string> HrhoChangedAsync(ApiClient client) => LineOf(await HrhoChangedListingAsync(client));

    private static async Task<JsonObject> HrhoChangedListingAsync(ApiClient client)
    {
        var hrho = (await client.GetAsync("/api/v1/instruments/HRHO/listing")).Expect(HttpStatusCode.OK).Json.AsObject();
        hrho["isRestricted"] = true;
        hrho["foreignOwnershipLimitPct"] = 49m;
        hrho["reason"] = "restricted, foreign cap 49%: EGX notice 2026/130";
        return hrho;
    }

    private static JsonObject OrascomListing() => new()
    {
        ["symbol"] = "ORAS", ["isin"] = "EGS95001C011", ["name"] = "Orascom Construction", ["nameAr"] = "أوراسكوم كونستراكشون", ["venue"] = "EGX",
        ["currency"] = "EGP", ["sector"] = "20103010", ["lotSize"] = 1, ["referencePrice"] = 250m, ["foreignOwnershipLimitPct"] = 49m,
        ["sharia"] = new JsonObject { ["totalDebt"] = 9_000_000_000m, ["totalRevenue"] = 60_000_000_000m, ["reportingCurrency"] = "EGP", ["asOf"] = "2026-09-30" },
    };

    private const string Orascom = "ORAS,EGS95001C011,Orascom Construction,أوراسكوم كونستراكشون,EGX,EGP,20103010,1,250,49,false,9000000000,60000000000,EGP,2026-09-30,";

    [Fact]
    public async Task A_dry_run_writes_nothing_and_the_import_then_lists_and_changes_every_line_through_the_writer_versioned_and_audited()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var trader1 = await platform.ClientForAsync("trader1");
        var csv = "\uFEFF" + string.Join(',', InstrumentImport.Columns) + "\r\n" + LineOf(OrascomListing()) + "\r\n" + await HrhoChangedAsync(ops) + "\r\n";
        var rows = await platform.CountRowsAsync();
        var instruments = (await admin.GetAsync("/api/v1/instruments")).Expect(HttpStatusCode.OK).Body;

        // The dry run (the default) says what each line would do and writes nothing.
        var dry = (await PostCsvAsync(ops, "?reason=listings%20file%202026-11", csv)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((true, 1, 1, 0), (dry["dryRun"]!.GetValue<bool>(), dry["listed"]!.GetValue<int>(), dry["changed"]!.GetValue<int>(),
            dry["unchanged"]!.GetValue<int>()));
        var lines = dry["lines"]!.AsArray();
        Assert.Equal([(2, "ORAS", "List", 1), (3, "HRHO", "Change", 1)], lines.Select(l => (l!["line"]!.GetValue<int>(), l["symbol"]!.GetValue<string>(),
            l["action"]!.GetValue<string>(), l["version"]!.GetValue<int>())).ToList());
        var hrhoFields = lines[1]!["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.Equal(["foreignOwnershipLimitPct", "isRestricted"], hrhoFields.Order(StringComparer.Ordinal));
        Assert.Equal(rows, await platform.CountRowsAsync());
        Assert.Equal(instruments, (await admin.GetAsync("/api/v1/instruments")).Expect(HttpStatusCode.OK).Body);
        (await ops.GetAsync("/api/v1/instruments/ORAS/listing")).Expect(HttpStatusCode.NotFound);
        (await trader1.SubmitAsync(1001, "ORAS", "Buy", 250m, 100)).Expect(HttpStatusCode.BadRequest);

        var done = (await PostCsvAsync(ops, "?dryRun=false&reason=listings%20file%202026-11", csv)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((false, 1, 1), (done["dryRun"]!.GetValue<bool>(), done["listed"]!.GetValue<int>(), done["changed"]!.GetValue<int>()));

        // The listing trades at once; the change is in force and is HRHO's version 1 with the dry run's fields and the line's reason.
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "ORAS", "Buy", 250m, 100)).Expect(HttpStatusCode.Created).Str("status"));
        var hrho = (await ops.GetAsync("/api/v1/instruments/HRHO/listing")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((true, 49m, 1), (hrho["isRestricted"]!.GetValue<bool>(), hrho["foreignOwnershipLimitPct"]!.GetValue<decimal>(), hrho["version"]!.GetValue<int>()));
        var v1 = Assert.Single((await ops.GetAsync("/api/v1/instruments/HRHO/history")).Expect(HttpStatusCode.OK).Json.AsArray())!;
        Assert.Equal(("ops1", "restricted, foreign cap 49%: EGX notice 2026/130"), (v1["changedBy"]!.GetValue<string>(), v1["reason"]!.GetValue<string>()));
        Assert.Equal(hrhoFields, v1["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        var oras = Assert.Single((await ops.GetAsync("/api/v1/instruments/ORAS/history")).Expect(HttpStatusCode.OK).Json.AsArray())!;
        Assert.Equal("listings file 2026-11", oras["reason"]!.GetValue<string>()); // the query's reason for an empty cell

        // Audited as the single calls are, plus the import itself.
        Assert.Single((await admin.GetAsync("/api/v1/audit?subject=instrument/ORAS&action=instrument.listed")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray());
        Assert.Single((await admin.GetAsync("/api/v1/audit?subject=instrument/HRHO&action=instrument.updated")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray());
        var imported = Assert.Single((await admin.GetAsync("/api/v1/audit?action=instrument.imported")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray())!;
        Assert.Equal("ops1", imported["actor"]!.GetValue<string>());
        Assert.Equal([2, 3], JsonNode.Parse(imported["details"]!.GetValue<string>())!["lines"]!.AsArray().Select(l => l!["line"]!.GetValue<int>()));
        Assert.True((await admin.GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json["valid"]!.GetValue<bool>());

        // The same file again: HRHO's line still says version 0, read before the import changed it, so the file is refused whole.
        var again = ProblemsOf((await PostCsvAsync(ops, "?dryRun=false&reason=again", csv)).Expect(HttpStatusCode.BadRequest));
        Assert.Equal((3, "version", "is 0 but HRHO is at version 1: it was changed since; read it again"), Assert.Single(again));
    }

    [Fact]
    public async Task The_same_file_sent_again_changes_nothing_and_answers_every_line_unchanged_while_a_changed_file_still_writes()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        // Without a version column: a resend is checked against the instruments as they are then.
        var hrho = await HrhoChangedListingAsync(ops);
        hrho.Remove("version");
        var header = string.Join(',', InstrumentImport.Columns) + "\r\n";
        var csv = header + LineOf(OrascomListing()) + "\r\n" + LineOf(hrho) + "\r\n";

        var first = (await PostCsvAsync(ops, "?dryRun=false&reason=listings%20file%202026-11", csv)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((1, 1, 0), (first["listed"]!.GetValue<int>(), first["changed"]!.GetValue<int>(), first["unchanged"]!.GetValue<int>()));
        var rows = await platform.CountRowsAsync();

        // The same request again (a resend after "outcome unknown"): every line is what is listed now.
        var again = (await PostCsvAsync(ops, "?dryRun=false&reason=listings%20file%202026-11", csv)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((false, 0, 0, 2), (again["dryRun"]!.GetValue<bool>(), again["listed"]!.GetValue<int>(), again["changed"]!.GetValue<int>(),
            again["unchanged"]!.GetValue<int>()));
        Assert.Equal([(2, "ORAS", "Unchanged", 1), (3, "HRHO", "Unchanged", 1)], again["lines"]!.AsArray().Select(l => (l!["line"]!.GetValue<int>(),
            l["symbol"]!.GetValue<string>(), l["action"]!.GetValue<string>(), l["version"]!.GetValue<int>())).ToList());
        Assert.Equal(rows, await platform.CountRowsAsync());
        Assert.Single((await admin.GetAsync("/api/v1/audit?action=instrument.imported")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray());
        Assert.Single((await ops.GetAsync("/api/v1/instruments/ORAS/history")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Single((await ops.GetAsync("/api/v1/instruments/HRHO/history")).Expect(HttpStatusCode.OK).Json.AsArray());

        // A file that changes one line still writes that line's version and the import's record.
        hrho["foreignOwnershipLimitPct"] = 40m;
        var changed = (await PostCsvAsync(ops, "?dryRun=false&reason=cap%20lowered", header + LineOf(OrascomListing()) + "\r\n" + LineOf(hrho) + "\r\n"))
            .Expect(HttpStatusCode.OK).Json;
        Assert.Equal((0, 1, 1), (changed["listed"]!.GetValue<int>(), changed["changed"]!.GetValue<int>(), changed["unchanged"]!.GetValue<int>()));
        Assert.Equal(2, (await admin.GetAsync("/api/v1/audit?action=instrument.imported")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray().Count);
        Assert.Equal(2, (await ops.GetAsync("/api/v1/instruments/HRHO/history")).Expect(HttpStatusCode.OK).Json.AsArray().Count);
        Assert.Single((await ops.GetAsync("/api/v1/instruments/ORAS/history")).Expect(HttpStatusCode.OK).Json.AsArray());
    }

    [Fact]
    public async Task Every_bad_line_is_listed_at_once_with_its_line_and_column_and_none_of_the_file_is_written()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var csv = Header + "\n" +
                  Orascom + "ok\n" +                                                                                       // line 2: good
                  "SWDY,EG123,Elsewedy Electric,,EGX,EGP,Industrials,abc,12.345,120,maybe,,,,,new listing\n" +      // line 3
                  "ORAS,EGS95001C011,Orascom again,,EGX,EGP,20103010,1,250,,,,,,,dup\n" +                                   // line 4
                  "ABUK,EGS38191C010,Abu Qir,,EGX,EGP,20105010,1,30,,,5,10,,2026-02-30,\n" +                                 // line 5: no reason
                  "HRHO,EGS69101C011,EFG Holding,,ADX,AED,40203020,1,25.5,,,,,,,move\n";                                   // line 6
        var rows = await platform.CountRowsAsync();

        var reply = (await PostCsvAsync(ops, "?dryRun=false", csv)).Expect(HttpStatusCode.BadRequest);
        var problems = ProblemsOf(reply);
        var where = problems.Select(p => (p.Line, p.Column)).ToHashSet();
        Assert.DoesNotContain(problems, p => p.Line == 2);
        Assert.Superset(new HashSet<(int, string)>
        {
            (3, "isin"), (3, "sector"), (3, "lotSize"), (3, "referencePrice"), (3, "foreignOwnershipLimitPct"), (3, "isRestricted"),
            (4, "symbol"),
            (5, "sharia.asOf"), (5, "reason"),
            (6, "venue"), (6, "currency"),
        }, where);
        Assert.Contains(problems, p => p is (3, "lotSize", "'abc' is not a whole number"));
        Assert.Contains(problems, p => p is (3, "isRestricted", "'maybe' is not true or false"));
        Assert.Contains(problems, p => p.Line == 4 && p.Message.Contains("on line 2 already", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 5 && p.Column == "sharia.asOf" && p.Message.Contains("yyyy-MM-dd", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Line == 6 && p.Column == "venue" && p.Message.Contains("fixed once listed", StringComparison.Ordinal));
        Assert.Equal(problems.OrderBy(p => p.Line).Select(p => p.Line), problems.Select(p => p.Line));
        Assert.NotEmpty(reply.Errors("line 3: isin"));
        Assert.Contains("nothing was imported", reply.Json["title"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(rows, await platform.CountRowsAsync());
        (await ops.GetAsync("/api/v1/instruments/ORAS/listing")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_line_whose_version_moved_or_a_delisted_instrument_is_refused_and_the_rest_is_not_written()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        (await ops.PostJsonAsync("/api/v1/instruments/ETEL/delist", new { reason = "delisted by EGX notice 2026/120" })).Expect(HttpStatusCode.OK);
        var csv = "symbol,version,isin,name,venue,currency,sector,lotSize,referencePrice,reason\n" +
                  "ORAS,,EGS95001C011,Orascom Construction,EGX,EGP,20103010,1,250,new\n" +
                  "HRHO,3,EGS69101C011,EFG Holding,EGX,EGP,40203020,1,25.5,stale\n" +
                  "ETEL,,EGS48031C016,Telecom Egypt,EGX,EGP,50101020,1,38,relist\n";

        var problems = ProblemsOf((await PostCsvAsync(ops, "?dryRun=false", csv)).Expect(HttpStatusCode.BadRequest));
        Assert.Contains(problems, p => p is (3, "version", _) && p.Message.Contains("at version 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is (4, "symbol", _) && p.Message.Contains("ETEL is delisted", StringComparison.Ordinal));
        (await ops.GetAsync("/api/v1/instruments/ORAS/listing")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_file_too_large_too_long_empty_or_not_csv_is_refused_clearly_and_only_operations_and_admins_may_import()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var others = new List<ApiClient>();
        foreach (var user in new[] { "trader1", "compliance1", "viewer1", "risk1" })
        {
            others.Add(await platform.ClientForAsync(user));
        }
        var rows = await platform.CountRowsAsync();

        var large = Header + "\n" + string.Concat(Enumerable.Repeat(Orascom + "x\n", 1024 * 1024 / Orascom.Length + 1));
        var tooLarge = (await PostCsvAsync(ops, "", large)).Expect(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("1048576", tooLarge.Body, StringComparison.Ordinal);

        var longFile = Header + "\n" + string.Concat(Enumerable.Range(0, 501).Select(i => Orascom.Replace("ORAS,", $"S{i},", StringComparison.Ordinal) + "x\n"));
        var tooLong = ProblemsOf((await PostCsvAsync(ops, "", longFile)).Expect(HttpStatusCode.BadRequest));
        Assert.Equal((502, "file"), (Assert.Single(tooLong).Line, tooLong[0].Column));
        Assert.Contains("at most 500", tooLong[0].Message, StringComparison.Ordinal);

        var empty = ProblemsOf((await PostCsvAsync(ops, "", Header + "\n")).Expect(HttpStatusCode.BadRequest));
        Assert.Equal("has a header but no instrument: add one line per instrument after it", Assert.Single(empty).Message);
        var missing = ProblemsOf((await PostCsvAsync(ops, "", "symbol,name\nX,Y\n")).Expect(HttpStatusCode.BadRequest));
        Assert.Equal(["isin", "lotSize", "sector"], missing.Select(p => p.Column).Order(StringComparer.Ordinal));
        (await PostCsvAsync(ops, "", Header + "\n" + Orascom + "x\n", "application/json")).Expect(HttpStatusCode.UnsupportedMediaType);

        foreach (var client in others)
        {
            (await PostCsvAsync(client, "?dryRun=false", Header + "\n" + Orascom + "x\n")).Expect(HttpStatusCode.Forbidden);
        }
        (await PostCsvAsync(admin, "", Header + "\n" + Orascom + "x\n")).Expect(HttpStatusCode.OK);
        Assert.Equal(rows, await platform.CountRowsAsync());
    }
}
