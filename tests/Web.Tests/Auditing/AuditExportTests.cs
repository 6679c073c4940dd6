using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auditing;

/// <summary>The audit trail as CSV: every field of every selected record, oldest first, verifiable from the file alone.</summary>
public sealed class AuditExportTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task The_export_holds_every_record_with_its_full_hashes_and_the_chain_verifies_from_the_file()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var order = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 78m, 10)).Expect(HttpStatusCode.Created);
        (await trader1.DeleteAsync($"/api/v1/orders/{order.OrderId}")).Expect(HttpStatusCode.OK);
        var regulator = await platform.ClientForAsync("regulator1");

        var response = await regulator.Http.GetAsync("/api/v1/audit/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment; filename=\"audit-trail-", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var rows = ParseCsv(await response.Content.ReadAsStringAsync());
        Assert.Equal(["id", "timestamp", "actor", "action", "subject", "details", "previous_hash", "hash"], rows[0]);
        var records = rows.Skip(1).ToList();
        var total = (await regulator.GetAsync("/api/v1/audit?pageSize=1")).Expect(HttpStatusCode.OK).Json["total"]!.GetValue<int>();
        Assert.True(records.Count >= total - 1, $"{records.Count} rows for {total} records"); // the list's own read is audited after
        // Oldest first, gap-free, each row's hash recomputed from its own fields, each linked to the row before.
        Assert.Equal("1", records[0][0]);
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            Assert.Equal(8, r.Length);
            Assert.Equal((i + 1).ToString(CultureInfo.InvariantCulture), r[0]);
            Assert.Equal(64, r[7].Length);
            var canonical = string.Join('\u001f', r[0], r[1], Plain(r[2]), Plain(r[3]), Plain(r[4]), Plain(r[5]), r[6]);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), r[7]);
            if (i > 0)
            {
                Assert.Equal(records[i - 1][7], r[6]);
            }
        }
        // The order's details (JSON, with commas and quotes) survive the quoting exactly.
        var submitted = Assert.Single(records, r => r[3] == "order.submitted" && r[4] == $"order/{order.OrderId}");
        Assert.StartsWith("{\"accountId\":1001,", submitted[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_export_takes_the_lists_filters_and_refuses_a_bad_one_by_field()
    {
        var trader1 = await platform.ClientForAsync("trader1");
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 77m, 10)).Expect(HttpStatusCode.Created);
        var admin = await platform.ClientForAsync("admin");

        var orders = ParseCsv(await (await admin.Http.GetAsync("/api/v1/audit/export?subject=order/")).Content.ReadAsStringAsync()).Skip(1).ToList();
        Assert.NotEmpty(orders);
        Assert.All(orders, r => Assert.StartsWith("order/", r[4], StringComparison.Ordinal));

        var bad = await admin.GetAsync("/api/v1/audit/export?from=yesterday");
        bad.Expect(HttpStatusCode.BadRequest);
        Assert.NotNull(bad.Json["errors"]!["from"]);
        (await trader1.GetAsync("/api/v1/audit/export")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_portal_serves_the_export_to_a_signed_in_regulator_and_not_to_a_trader()
    {
        var regulator = new BrowserFlow(platform);
        await regulator.SignInToPortalAsync("/portal/audit", "regulator1");
        var csv = await regulator.Http.GetAsync("/portal/audit/export?action=token.issued");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var rows = ParseCsv(await csv.Content.ReadAsStringAsync()).Skip(1).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("token.issued", r[3]));

        var trader = new BrowserFlow(platform);
        await trader.SignInToPortalAsync("/portal/ticket", "trader1");
        var refused = await trader.Http.GetAsync("/portal/audit/export");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_name_typed_at_a_failed_token_request_cannot_become_a_spreadsheet_formula_and_the_row_still_verifies()
    {
        using var failed = await platform.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "=HYPERLINK(\"http://evil.example\")", ["client_secret"] = "x",
        }));
        Assert.False(failed.IsSuccessStatusCode);
        var admin = await platform.ClientForAsync("admin");
        var rows = ParseCsv(await (await admin.Http.GetAsync("/api/v1/audit/export?action=token.failed")).Content.ReadAsStringAsync()).Skip(1).ToList();
        var row = Assert.Single(rows, r => r[2].Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.Equal("'=HYPERLINK(\"http://evil.example\")", row[2]);
        var canonical = string.Join('\u001f', row[0], row[1], Plain(row[2]), Plain(row[3]), Plain(row[4]), Plain(row[5]), row[6]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), row[7]);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("'quoted", "''quoted")]
    [InlineData("trader1", "trader1")]
    public void Cells_a_spreadsheet_would_run_get_one_apostrophe(string value, string expected) =>
        Assert.Equal(expected, TradSys.Web.Apis.AuditApi.Cell(value));

    /// <summary>A text cell as the record holds it: the one apostrophe the export may have put in front removed.</summary>
    private static string Plain(string cell) => cell.StartsWith('\'') ? cell[1..] : cell;

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Fields_are_quoted_as_RFC_4180_says(string value, string expected) => Assert.Equal(expected, TradSys.Web.Apis.AuditApi.Csv(value));

    /// <summary>A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF between records.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }
        Assert.Empty(fields); // the file ends with a complete record
        Assert.Equal(0, field.Length);
        return rows;
    }
}
