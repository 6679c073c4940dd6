using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Bulk onboarding from CSV through POST /api/v1/accounts/import (issue 14): a dry run lists every line's problems (line, column,
/// message) and writes nothing; a real import writes every account (each version 1, audited like a single create) or none.
/// </summary>
public sealed class AccountImportTests
{
    private const string Header = "name,nameAr,ownerUserId,clientCategory,isLegalEntity,jurisdiction,addressCountry,lei,fatcaStatus,usIndicia," +
                                  "w8BenSignedOn,emirClass,isMarginAccount,creditLimit,creditCurrency,creditLine,reason";

    /// <summary>Three clients of trader2 (user 3): a fund with a real LEI (GLEIF's), a name with a comma in quotes, and a margin account.</summary>
    private const string Good =
        "\uFEFF" + Header + "\r\n" +
        "Falcon Income Fund,صندوق الصقر للدخل,3,Professional,true,Adgm,AE,506700GE1G29325QX363,ForeignCertifiedW8,,2025-03-15,Financial,false,5000000,AED,,onboarding: file 2026-201\r\n" +
        "\"Nile, Sons & Co\",,3,Retail,false,Egypt,EG,,NonUsPerson,UsPhone;UsAddress,,,false,,EGP,,\r\n" +
        "Delta Margin Client,,3,Retail,false,Egypt,EG,,NonUsPerson,,,,true,100000,EGP,250000.50,margin agreement signed\r\n";

    private static async Task<Reply> PostCsvAsync(ApiClient client, string query, string csv, string mediaType = "text/csv")
    {
        using var content = new StringContent(csv, Encoding.UTF8, mediaType);
        using var response = await client.Http.PostAsync("/api/v1/accounts/import" + query, content);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    private static List<(int Line, string Column, string Message)> ProblemsOf(Reply reply) =>
        [.. reply.Json["problems"]!.AsArray().Select(p => (p!["line"]!.GetValue<int>(), p["column"]!.GetValue<string>(), p["message"]!.GetValue<string>()))];

    private static async Task<string> AccountsAsync(ApiClient admin) => (await admin.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Body;

    [Fact]
    public async Task A_dry_run_writes_nothing_and_the_import_then_creates_every_account_as_version_1_audited()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var rows = await platform.CountRowsAsync();
        var accounts = await AccountsAsync(admin);

        // The dry run is the default: it answers what would be created and writes nothing.
        var dry = (await PostCsvAsync(ops, "?reason=bulk%20onboarding%202026-11", Good)).Expect(HttpStatusCode.OK).Json;
        Assert.True(dry["dryRun"]!.GetValue<bool>());
        Assert.Equal(3, dry["accounts"]!.GetValue<int>());
        Assert.Equal([(2, "Falcon Income Fund"), (3, "Nile, Sons & Co"), (4, "Delta Margin Client")],
            dry["lines"]!.AsArray().Select(l => (l!["line"]!.GetValue<int>(), l["name"]!.GetValue<string>())).ToList());
        Assert.Equal(rows, await platform.CountRowsAsync());
        Assert.Equal(accounts, await AccountsAsync(admin));

        var done = (await PostCsvAsync(ops, "?dryRun=false&reason=bulk%20onboarding%202026-11", Good)).Expect(HttpStatusCode.OK).Json;
        Assert.False(done["dryRun"]!.GetValue<bool>());
        var ids = done["lines"]!.AsArray().Select(l => l!["accountId"]!.GetValue<long>()).ToList();
        Assert.Equal([2004L, 2005L, 2006L], ids); // the demo accounts end at 2003

        var fund = (await ops.GetAsync("/api/v1/accounts/2004")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("صندوق الصقر للدخل", "506700GE1G29325QX363", "2028-12-31", "Financial"), (fund["nameAr"]!.GetValue<string>(),
            fund["lei"]!.GetValue<string>(), fund["w8BenExpiresOn"]!.GetValue<string>(), fund["emirClass"]!.GetValue<string>()));
        var nile = (await ops.GetAsync("/api/v1/accounts/2005")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Nile, Sons & Co", nile["name"]!.GetValue<string>());
        Assert.Equal(["UsAddress", "UsPhone"], nile["usIndicia"]!.AsArray().Select(i => i!.GetValue<string>()).Order(StringComparer.Ordinal));
        var margin = (await ops.GetAsync("/api/v1/accounts/2006")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((true, 250000.5m, 3L), (margin["isMarginAccount"]!.GetValue<bool>(), margin["creditLine"]!.GetValue<decimal>(), margin["ownerUserId"]!.GetValue<long>()));

        // Each is version 1 by ops1 with its line's reason (or the query's for an empty cell), audited like a single create.
        var expectedReasons = new[] { "onboarding: file 2026-201", "bulk onboarding 2026-11", "margin agreement signed" };
        for (var i = 0; i < 3; i++)
        {
            var version = Assert.Single((await ops.GetAsync($"/api/v1/accounts/{ids[i]}/history")).Expect(HttpStatusCode.OK).Json.AsArray())!;
            Assert.Equal((1, "ops1", expectedReasons[i]), (version["version"]!.GetValue<int>(), version["changedBy"]!.GetValue<string>(), version["reason"]!.GetValue<string>()));
            var audit = Assert.Single((await admin.GetAsync($"/api/v1/audit?subject=account/{ids[i]}&action=account.created")).Expect(HttpStatusCode.OK)
                .Json["items"]!.AsArray())!;
            Assert.Equal("ops1", audit["actor"]!.GetValue<string>());
            Assert.Equal(i + 2, JsonNode.Parse(audit["details"]!.GetValue<string>())!["importLine"]!.GetValue<int>());
        }
        Assert.True((await admin.GetAsync("/api/v1/audit/verify")).Expect(HttpStatusCode.OK).Json["valid"]!.GetValue<bool>());
        Assert.Equal(rows.Audit + 3, (await platform.CountRowsAsync()).Audit);
    }

    [Fact]
    public async Task Every_kind_of_bad_line_is_listed_at_once_with_its_line_and_column_and_none_of_the_file_is_written()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var rows = await platform.CountRowsAsync();
        var accounts = await AccountsAsync(admin);
        const string header = "accountId,name,ownerUserId,clientCategory,isLegalEntity,jurisdiction,lei,fatcaStatus,birthDate,creditLimit,creditCurrency,reason";
        var csv = string.Join("\n",
            header,
            "5001,Good Client,3,Retail,false,Egypt,,NonUsPerson,1980-01-31,1000,EGP,onboarding", // line 2: good, yet not written
            "1001,Existing Id,3,Retail,false,Egypt,,NonUsPerson,,,EGP,onboarding", // line 3: an account that exists
            "5001,Same Id Again,3,Retail,false,Egypt,,NonUsPerson,,,EGP,onboarding", // line 4: the id of line 2
            "5002,Typed Badly,3,Retail,yes,Egypt,,NonUsPerson,31/01/1980,\"1,000\",EGP,onboarding", // line 5: not a flag, date, amount
            "5003,Checked Badly,8,retail,true,Mars,HWUPKR0MPOU8FGXBT395,,,,XYZ,", // line 6: the form's checks
            "5004,Too Few Cells,3,Retail", // line 7
            "abc,Bad Id,3,Retail,false,Egypt,,NonUsPerson,,,EGP,onboarding"); // line 8

        foreach (var query in new[] { "?dryRun=true", "?dryRun=false" })
        {
            var reply = (await PostCsvAsync(ops, query, csv)).Expect(HttpStatusCode.BadRequest);
            var problems = ProblemsOf(reply);
            var expected = new (int Line, string Column, string Message)[]
            {
                (3, "accountId", "account 1001 exists already"),
                (4, "accountId", "account 5001 is on line 2 already"),
                (5, "isLegalEntity", "'yes' is not true or false"),
                (5, "birthDate", "'31/01/1980' is not a date as yyyy-MM-dd"),
                (5, "creditLimit", "'1,000' is not an amount"),
                (6, "ownerUserId", "ops1 is not a trader"),
                (6, "clientCategory", "'retail' is not one of Retail, Professional, MarketCounterparty"),
                (6, "jurisdiction", "'Mars' is not one of"),
                (6, "lei", "check digits that do not verify"),
                (6, "fatcaStatus", "is required"),
                (6, "creditCurrency", "'XYZ' has no platform FX rate"),
                (6, "reason", "is required"),
                (7, "line", "has 4 cells but the header names 12 columns"),
                (8, "accountId", "'abc' is not a whole number"),
            };
            foreach (var (line, column, message) in expected)
            {
                Assert.Contains(problems, p => p.Line == line && p.Column == column && p.Message.Contains(message, StringComparison.Ordinal));
            }
            Assert.Equal(expected.Length, problems.Count);
            Assert.DoesNotContain(problems, p => p.Line == 2);
            // The same problems as RFC 7807 validation errors, keyed by line and column.
            Assert.Contains(reply.Errors("line 5: birthDate"), e => e.Contains("yyyy-MM-dd", StringComparison.Ordinal));
            Assert.Contains("nothing was imported", reply.Json["title"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // The good line was not written either: all or nothing.
        (await ops.GetAsync("/api/v1/accounts/5001")).Expect(HttpStatusCode.NotFound);
        Assert.Equal(rows, await platform.CountRowsAsync());
        Assert.Equal(accounts, await AccountsAsync(admin));

        // With the bad lines taken out, the file imports, keeping the ids it gives.
        var fixedCsv = string.Join("\n", header, "5001,Good Client,3,Retail,false,Egypt,,NonUsPerson,1980-01-31,1000,EGP,onboarding",
            ",Allocated Id,3,Retail,false,Egypt,,NonUsPerson,,,EGP,onboarding");
        var done = (await PostCsvAsync(ops, "?dryRun=false", fixedCsv)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([5001L, 5002L], done["lines"]!.AsArray().Select(l => l!["accountId"]!.GetValue<long>()).ToList());
        // Importing it again refuses each line whose id now exists, and writes nothing.
        var again = (await PostCsvAsync(ops, "?dryRun=false", string.Join("\n", header, "5001,Good Client,3,Retail,false,Egypt,,NonUsPerson,,,EGP,again")))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Equal([(2, "accountId")], ProblemsOf(again).Select(p => (p.Line, p.Column)).ToList());
    }

    [Fact]
    public async Task A_bad_header_or_an_unclosed_quote_is_named_before_any_line_is_read()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");

        var header = (await PostCsvAsync(ops, "", "name,Name,ownerUserId,clientCategory,jurisdiction,colour,ownerUserId\nX,Y,3,Retail,Egypt,red,3\n"))
            .Expect(HttpStatusCode.BadRequest);
        var problems = ProblemsOf(header);
        Assert.Contains(problems, p => p is (1, "Name", _) && p.Message.Contains("did you mean 'name'?", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is (1, "colour", _) && p.Message.Contains("is not a column", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is (1, "ownerUserId", _) && p.Message.Contains("named twice (columns 3 and 7)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is (1, "fatcaStatus", _) && p.Message.Contains("missing from the header", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is (1, "creditCurrency", _) && p.Message.Contains("missing from the header", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);

        var quote = (await PostCsvAsync(ops, "", Header + "\nFalcon,,3\n\"Open quote,,3\nmore\n")).Expect(HttpStatusCode.BadRequest);
        Assert.Equal([(3, "line")], ProblemsOf(quote).Select(p => (p.Line, p.Column)).ToList());
        Assert.Contains("never closed", ProblemsOf(quote)[0].Message, StringComparison.Ordinal);

        var onlyHeader = (await PostCsvAsync(ops, "", Header + "\n\n")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("no account", ProblemsOf(onlyHeader)[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_too_large_too_long_empty_or_not_csv_is_refused_clearly()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var trader = await platform.ClientForAsync("trader1");
        var rows = await platform.CountRowsAsync();

        var large = Header + "\n" + new string('x', 1024 * 1024);
        var tooLarge = (await PostCsvAsync(ops, "?dryRun=false", large)).Expect(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("at most 1048576 bytes", tooLarge.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var line = "\nClient,,3,Retail,false,Egypt,EG,,NonUsPerson,,,,false,,EGP,,onboarding";
        var tooLong = (await PostCsvAsync(ops, "?dryRun=false", Header + string.Concat(Enumerable.Repeat(line, 1001)))).Expect(HttpStatusCode.BadRequest);
        var problem = Assert.Single(ProblemsOf(tooLong));
        Assert.Equal((1002, "file"), (problem.Line, problem.Column));
        Assert.Contains("has 1001 accounts; one import takes at most 1000", problem.Message, StringComparison.Ordinal);

        var json = (await PostCsvAsync(ops, "?dryRun=false", "{}", "application/json")).Expect(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("Content-Type: text/csv", json.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        (await PostCsvAsync(ops, "?dryRun=false", "")).Expect(HttpStatusCode.BadRequest);

        // Only operations and admins import.
        (await PostCsvAsync(trader, "?dryRun=false", Good)).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(rows, await platform.CountRowsAsync());
    }
}
