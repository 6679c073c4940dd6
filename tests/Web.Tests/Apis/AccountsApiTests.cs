using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Client onboarding and KYC through /api/v1/accounts (issue 14), as the back office uses it: ops1 onboards a client and changes a
/// client's data, every bad field is named at once and nothing is stored, each change is a version with who, when, why and before and
/// after, and audited; the roles that do not onboard are refused; and a change the rule packs read decides the very next order.
/// </summary>
public sealed class AccountsApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo and 13:00 in Abu Dhabi, both in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A new client: an Emirati fund (legal entity, W-8BEN signed in March 2025, a real LEI: GLEIF's own).</summary>
    private static Dictionary<string, object?> NewFund() => new()
    {
        ["name"] = "Falcon Income Fund", ["nameAr"] = "صندوق الصقر للدخل", ["ownerUserId"] = 3, ["clientCategory"] = "Professional",
        ["isClassified"] = true, ["isLegalEntity"] = true, ["jurisdiction"] = "Adgm", ["addressCountry"] = "AE", ["investorNumber"] = "784-2026-0000001-1",
        ["lei"] = "506700GE1G29325QX363", ["fatcaStatus"] = "ForeignCertifiedW8", ["w8BenSignedOn"] = "2025-03-15", ["giin"] = "A1B2C3.99999.SL.784",
        ["giinOnFfiList"] = true, ["emirClass"] = "Financial", ["shariaOnly"] = true, ["creditLimit"] = 5_000_000m, ["creditCurrency"] = "AED",
        ["balanceSheetUsd"] = 25_000_000m, ["reason"] = "onboarding: KYC file 2026-117 approved",
    };

    private static Task<Reply> PutAsync(ApiClient client, string path, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        return SendAsync(client, request);
    }

    private static async Task<Reply> SendAsync(ApiClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return new Reply(response.StatusCode, text, response.Headers.Location);
        }
    }

    /// <summary>An account as read (GET), with its ETag, ready to be edited and sent back.</summary>
    private static async Task<(JsonObject Body, string ETag)> ReadAsync(ApiClient client, long accountId)
    {
        using var response = await client.Http.GetAsync($"/api/v1/accounts/{accountId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return (body, response.Headers.ETag!.ToString());
    }

    private static async Task<JsonArray> AuditAsync(ApiClient admin, string subject, string action) =>
        (await admin.GetAsync($"/api/v1/audit?subject={subject}&action={action}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();

    [Fact]
    public async Task Operations_onboard_a_client_stored_as_version_1_audited_and_seen_by_its_trader()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var trader2 = await platform.ClientForAsync("trader2");

        var created = (await ops.PostJsonAsync("/api/v1/accounts", NewFund())).Expect(HttpStatusCode.Created);
        var id = created.Long("accountId");
        Assert.Equal($"/api/v1/accounts/{id}", created.Location!.OriginalString);
        Assert.Equal(2004, id); // the demo accounts end at 2003
        var account = created.Json;
        Assert.Equal(1, account["version"]!.GetValue<int>());
        Assert.Equal(("Falcon Income Fund", "صندوق الصقر للدخل", 3L), (account["name"]!.GetValue<string>(), account["nameAr"]!.GetValue<string>(), account["ownerUserId"]!.GetValue<long>()));
        Assert.Equal(("Professional", "Adgm", "ForeignCertifiedW8", "Financial"), (account["clientCategory"]!.GetValue<string>(),
            account["jurisdiction"]!.GetValue<string>(), account["fatcaStatus"]!.GetValue<string>(), account["emirClass"]!.GetValue<string>()));
        // The W-8BEN's expiry is derived: 31 December of the third calendar year after the year of signing.
        Assert.Equal(("2025-03-15", "2028-12-31"), (account["w8BenSignedOn"]!.GetValue<string>(), account["w8BenExpiresOn"]!.GetValue<string>()));
        Assert.Equal(("506700GE1G29325QX363", true, true), (account["lei"]!.GetValue<string>(), account["shariaOnly"]!.GetValue<bool>(), account["isActive"]!.GetValue<bool>()));
        Assert.Equal((5_000_000m, "AED", 0m), (account["creditLimit"]!.GetValue<decimal>(), account["creditCurrency"]!.GetValue<string>(), account["creditLine"]!.GetValue<decimal>()));
        Assert.Equal("CancelIncoming", account["selfTradePrevention"]!.GetValue<string>());

        // Read back as stored, by its trader too (trader2 owns it), and in trader2's list of accounts.
        var (read, etag) = await ReadAsync(trader2, id);
        Assert.Equal("W/\"v1\"", etag);
        Assert.True(JsonNode.DeepEquals(account, read), $"created {account} but read {read}");
        var list = (await trader2.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Contains(list, a => a!["accountId"]!.GetValue<long>() == id);

        var history = (await ops.GetAsync($"/api/v1/accounts/{id}/history")).Expect(HttpStatusCode.OK).Json.AsArray();
        var v1 = Assert.Single(history)!;
        Assert.Equal((1, "ops1", "onboarding: KYC file 2026-117 approved"), (v1["version"]!.GetValue<int>(), v1["changedBy"]!.GetValue<string>(), v1["reason"]!.GetValue<string>()));
        Assert.Null(v1["before"]);
        Assert.Equal("506700GE1G29325QX363", v1["after"]!["lei"]!.GetValue<string>());
        Assert.Contains("shariaOnly", v1["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));

        var audit = Assert.Single(await AuditAsync(admin, $"account/{id}", "account.created"))!;
        Assert.Equal("ops1", audit["actor"]!.GetValue<string>());
        var details = JsonNode.Parse(audit["details"]!.GetValue<string>())!;
        Assert.Equal(("Falcon Income Fund", "onboarding: KYC file 2026-117 approved"), (details["account"]!["name"]!.GetValue<string>(), details["reason"]!.GetValue<string>()));

        // An admin onboards too; the ids continue.
        var second = NewFund();
        second["name"] = "Falcon Income Fund II";
        Assert.Equal(id + 1, (await admin.PostJsonAsync("/api/v1/accounts", second)).Expect(HttpStatusCode.Created).Long("accountId"));
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once_and_nothing_is_stored()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var before = await platform.CountRowsAsync();
        var accountsBefore = (await admin.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Body;

        var bad = new Dictionary<string, object?>
        {
            ["name"] = " ", ["ownerUserId"] = 8, ["clientCategory"] = "retail", ["nationality"] = "Egypt", ["addressCountry"] = "ZZ",
            ["mifidBranch"] = "AE", ["birthDate"] = "2030-01-01", ["lei"] = "HWUPKR0MPOU8FGXBT395", ["emirClass"] = "Financial",
            ["fatcaStatus"] = "UsPersonW9", ["usIndicia"] = new[] { "UsPhone", "Martian" }, ["usTin"] = "123", ["w8BenSignedOn"] = "2027-01-01",
            ["giin"] = "A1B2C3-99999", ["giinOnFfiList"] = false, ["appropriatenessPassed"] = true, ["creditCurrency"] = "XYZ",
            ["creditLimit"] = -1m, ["creditLine"] = 1_000.005m, ["balanceUsd"] = -5m, ["selfTradePrevention"] = "Sometimes",
            ["accountId"] = 77, ["w8BenExpiresOn"] = "2031-12-31",
        };
        platform.Clock.Fixed = Monday;
        var reply = (await ops.PostJsonAsync("/api/v1/accounts", bad)).Expect(HttpStatusCode.BadRequest);
        var expected = new Dictionary<string, string>
        {
            ["name"] = "is required",
            ["ownerUserId"] = "ops1 is not a trader",
            ["clientCategory"] = "'retail' is not one of Retail, Professional, MarketCounterparty",
            ["jurisdiction"] = "is required: one of Egypt, UaeOnshore, Adgm, Difc, Eu, Us",
            ["nationality"] = "'Egypt' is not an ISO 3166 alpha-2 country code",
            ["addressCountry"] = "'ZZ' is not an ISO 3166 alpha-2 country code",
            ["mifidBranch"] = "'AE' is not in the EEA",
            ["birthDate"] = "2030-01-01 is in the future",
            ["lei"] = "'HWUPKR0MPOU8FGXBT395' has check digits that do not verify (ISO 7064 MOD 97-10)",
            ["emirClass"] = "a natural person is not an EMIR counterparty",
            ["hasW9"] = "must be true for fatcaStatus UsPersonW9",
            ["usIndicia[1]"] = "'Martian' is not a US indicium",
            ["usTin"] = "'123' is not a US TIN",
            ["w8BenSignedOn"] = "2027-01-01 is in the future",
            ["giin"] = "'A1B2C3-99999' is not a GIIN",
            ["appropriatenessPassed"] = "cannot be true without an assessment on file",
            ["creditCurrency"] = "'XYZ' has no platform FX rate",
            ["creditLimit"] = "must be zero or more (it is -1)",
            ["creditLine"] = "has more than 2 decimal places (1000.005)",
            ["balanceUsd"] = "must be zero or more (it is -5)",
            ["selfTradePrevention"] = "'Sometimes' is not one of None, CancelResting, CancelIncoming, CancelBoth",
            ["reason"] = "is required",
            ["accountId"] = "is allocated by the platform",
            ["w8BenExpiresOn"] = "is derived from w8BenSignedOn",
        };
        foreach (var (field, message) in expected)
        {
            Assert.Contains(reply.Errors(field), e => e.Contains(message, StringComparison.Ordinal));
        }
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), reply.Json["errors"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        // The cross-field rules: a W-9 needs its TIN, a cash account no credit line, an EMIR counterparty an LEI.
        var more = new Dictionary<string, object?>(NewFund())
        {
            ["hasW9"] = true, ["fatcaStatus"] = "UsPersonW9", ["w8BenSignedOn"] = null, ["creditLine"] = 10m, ["lei"] = null,
            ["firstName"] = "Omar", ["usTin"] = null,
        };
        var second = (await ops.PostJsonAsync("/api/v1/accounts", more)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(second.Errors("usTin"), e => e.Contains("is required with a W-9", StringComparison.Ordinal));
        Assert.Contains(second.Errors("creditLine"), e => e.Contains("must be 0 for a cash account", StringComparison.Ordinal));
        Assert.Contains(second.Errors("lei"), e => e.Contains("is required for an EMIR counterparty (emirClass Financial)", StringComparison.Ordinal));
        Assert.Contains(second.Errors("isLegalEntity"), e => e.Contains("a legal entity has no first name", StringComparison.Ordinal));
        // A value of the wrong JSON type is named by its path.
        var wrongType = (await ops.PostRawAsync("/api/v1/accounts", "{\"name\": \"X\", \"creditLimit\": \"lots\"}")).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(wrongType.Errors("$.creditLimit"));

        // An edit with bad fields changes nothing either.
        var (account, etag) = await ReadAsync(ops, 1002);
        account["lei"] = "HWUPKR0MPOU8FGXBT349";
        account["shariaOnly"] = true;
        account["creditCurrency"] = "USD";
        account["reason"] = "bad edit";
        var edit = (await PutAsync(ops, "/api/v1/accounts/1002", account, etag)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains(edit.Errors("lei"), e => e.Contains("do not verify", StringComparison.Ordinal));
        Assert.Contains(edit.Errors("creditCurrency"), e => e.Contains("cannot change once the account is opened (it is EGP)", StringComparison.Ordinal));
        Assert.False((await ReadAsync(ops, 1002)).Body["shariaOnly"]!.GetValue<bool>());
        Assert.Empty((await ops.GetAsync("/api/v1/accounts/1002/history")).Expect(HttpStatusCode.OK).Json.AsArray());

        Assert.Equal(before, await platform.CountRowsAsync());
        Assert.Equal(accountsBefore, (await admin.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Body);
    }

    [Fact]
    public async Task An_edit_is_a_version_with_before_and_after_audited_and_a_stale_or_idle_edit_stores_nothing()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");

        // The W-8BEN of the Gulf Family Office is renewed and the office obtains... a new LEI (Apple's, a real one).
        var (account, etag) = await ReadAsync(ops, 2001);
        Assert.Equal(("W/\"v0\"", "2027-12-31"), (etag, account["w8BenExpiresOn"]!.GetValue<string>()));
        account["w8BenSignedOn"] = "2026-11-20";
        account["w8BenExpiresOn"] = null;
        account["lei"] = "HWUPKR0MPOU8FGXBT394";
        account["reason"] = "W-8BEN renewed; LEI re-issued";
        var edited = (await PutAsync(ops, "/api/v1/accounts/2001", account, etag)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal((1, "2029-12-31", "HWUPKR0MPOU8FGXBT394"), (edited["version"]!.GetValue<int>(), edited["w8BenExpiresOn"]!.GetValue<string>(), edited["lei"]!.GetValue<string>()));
        // The lists compliance keeps are left as they were.
        Assert.Equal("SLB-ADX-2026-0042", edited["borrowedShares"]![0]!["confirmation"]!.GetValue<string>());

        var version = Assert.Single((await ops.GetAsync("/api/v1/accounts/2001/history")).Expect(HttpStatusCode.OK).Json.AsArray())!;
        Assert.Equal(["lei", "w8BenSignedOn", "w8BenExpiresOn"], version["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(("984500TRDSYSGULFFO83", "HWUPKR0MPOU8FGXBT394"), (version["before"]!["lei"]!.GetValue<string>(), version["after"]!["lei"]!.GetValue<string>()));
        Assert.Equal(("2027-12-31", "2029-12-31"), (version["before"]!["w8BenExpiresOn"]!.GetValue<string>(), version["after"]!["w8BenExpiresOn"]!.GetValue<string>()));
        Assert.Equal(("ops1", "W-8BEN renewed; LEI re-issued"), (version["changedBy"]!.GetValue<string>(), version["reason"]!.GetValue<string>()));
        var audit = Assert.Single(await AuditAsync(admin, "account/2001", "account.updated"))!;
        var changes = JsonNode.Parse(audit["details"]!.GetValue<string>())!["changes"]!;
        Assert.Equal(("2024-06-10", "2026-11-20"), (changes["w8BenSignedOn"]!["before"]!.GetValue<string>(), changes["w8BenSignedOn"]!["after"]!.GetValue<string>()));

        // Sending the same data again is not a change; an edit based on the old version is refused; nothing is stored for either.
        var rows = await platform.CountRowsAsync();
        account["reason"] = "again";
        Assert.Equal(1, (await PutAsync(ops, "/api/v1/accounts/2001", account, "W/\"v1\"")).Expect(HttpStatusCode.OK).Json["version"]!.GetValue<int>());
        account["shariaOnly"] = true;
        var stale = (await PutAsync(ops, "/api/v1/accounts/2001", account, etag)).Expect(HttpStatusCode.PreconditionFailed);
        Assert.Contains("its ETag is now W/\"v1\"", stale.Str("detail"), StringComparison.Ordinal);
        Assert.Single((await ops.GetAsync("/api/v1/accounts/2001/history")).Expect(HttpStatusCode.OK).Json.AsArray());
        Assert.Equal(rows, await platform.CountRowsAsync());
        Assert.False((await ReadAsync(ops, 2001)).Body["shariaOnly"]!.GetValue<bool>());

        (await PutAsync(ops, "/api/v1/accounts/999999", account)).Expect(HttpStatusCode.NotFound);
        (await PutAsync(ops, "/api/v1/accounts/abc", account)).Expect(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_operations_and_admins_onboard_and_traders_read_only_their_own_accounts()
    {
        await using var platform = new PlatformFactory();
        var ops = await platform.ClientForAsync("ops1");
        var (account, _) = await ReadAsync(ops, 1002);
        account["shariaOnly"] = true;
        account["reason"] = "not allowed";
        var clients = new List<ApiClient>();
        foreach (var name in new[] { "trader1", "viewer1", "compliance1", "risk1", "regulator1" })
        {
            clients.Add(await platform.ClientForAsync(name));
        }
        // Counted after the sign-ins (each is audited).
        var rows = await platform.CountRowsAsync();
        foreach (var client in clients)
        {
            (await client.PostJsonAsync("/api/v1/accounts", NewFund())).Expect(HttpStatusCode.Forbidden);
            (await PutAsync(client, "/api/v1/accounts/1002", account)).Expect(HttpStatusCode.Forbidden);
        }
        Assert.Equal(rows, await platform.CountRowsAsync());
        Assert.False((await ReadAsync(ops, 1002)).Body["shariaOnly"]!.GetValue<bool>());

        var trader1 = clients[0];
        (await trader1.GetAsync("/api/v1/accounts/1002")).Expect(HttpStatusCode.OK);
        (await trader1.GetAsync("/api/v1/accounts/1002/history")).Expect(HttpStatusCode.OK);
        (await trader1.GetAsync("/api/v1/accounts/2001")).Expect(HttpStatusCode.Forbidden);
        (await trader1.GetAsync("/api/v1/accounts/2001/history")).Expect(HttpStatusCode.Forbidden);
        (await clients[1].GetAsync("/api/v1/accounts/2001")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_change_the_rules_read_decides_the_very_next_order()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");

        // Karim Mansour's account is not Sharia-only: a bank's shares are his to buy.
        var before = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", before.Str("status"));

        // He asks for a Sharia-only account: the very next order is screened, and a bank is an excluded sector.
        var (account, etag) = await ReadAsync(ops, 1002);
        account["shariaOnly"] = true;
        account["reason"] = "client asked for Sharia-compliant investing only";
        (await PutAsync(ops, "/api/v1/accounts/1002", account, etag)).Expect(HttpStatusCode.OK);
        var blocked = (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", blocked.Str("status"));
        Assert.Contains("SHARIA.EXCLUDED_SECTOR", blocked.Str("rejectReason"), StringComparison.Ordinal);

        // And back: the next order is decided without the screen again.
        (account, etag) = await ReadAsync(ops, 1002);
        account["shariaOnly"] = false;
        account["reason"] = "entered on the wrong account";
        (await PutAsync(ops, "/api/v1/accounts/1002", account, etag)).Expect(HttpStatusCode.OK);
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1002, "COMI.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.Created).Str("status"));
        Assert.Equal(2, (await ops.GetAsync("/api/v1/accounts/1002/history")).Expect(HttpStatusCode.OK).Json.AsArray().Count);
    }

    [Fact]
    public async Task Withdrawing_a_W9_blocks_the_very_next_order_under_FATCA()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader2 = await platform.ClientForAsync("trader2");
        var accepted = (await trader2.SubmitAsync(2003, "COMI.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", accepted.Str("status"));

        // The W-9 is withdrawn (found invalid): the US indicia are uncured until new documentation arrives.
        var (account, etag) = await ReadAsync(ops, 2003);
        account["hasW9"] = false;
        account["usTin"] = null;
        account["fatcaStatus"] = "IndiciaUncured";
        account["reason"] = "W-9 found invalid at review";
        (await PutAsync(ops, "/api/v1/accounts/2003", account, etag)).Expect(HttpStatusCode.OK);
        var blocked = (await trader2.SubmitAsync(2003, "COMI.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Rejected", blocked.Str("status"));
        Assert.Contains("FATCA.", blocked.Str("rejectReason"), StringComparison.Ordinal);
    }
}
