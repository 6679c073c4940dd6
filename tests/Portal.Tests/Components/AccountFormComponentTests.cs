using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Pages.Accounts;

namespace TradSys.Portal.Tests.Components;

/// <summary>
/// The account form (onboard a client, change a client's data) and the CSV import page as operations use them: what the API says is
/// wrong shown beside each field, a change made by someone else in between said plainly, and an import offered only after a clean
/// dry run of the same file.
/// </summary>
public sealed class AccountFormComponentTests : BunitContext
{
    private readonly StubApi _api = new();

    private const string Account = """
        {"accountId":1003,"version":2,"name":"Huda Al Mansoori","nameAr":"هدى المنصوري","ownerUserId":3,"clientCategory":"Retail",
         "isClassified":true,"isLegalEntity":false,"isTrust":false,"jurisdiction":"UaeOnshore","nationality":"AE","addressCountry":"AE",
         "investorNumber":"ADX-77","nationalId":null,"passportNumber":null,"firstName":"Huda","surname":"Al Mansoori","birthDate":"1990-02-01",
         "mifidBranch":null,"lei":null,"fatcaStatus":"ForeignCertifiedW8","usIndicia":["UsPhone"],"hasW9":false,"usTin":null,
         "w8BenSignedOn":"2025-03-10","w8BenExpiresOn":"2028-12-31","giin":null,"giinOnFfiList":false,"isPreexisting":false,
         "enhancedReviewDone":false,"appropriatenessAssessed":true,"appropriatenessPassed":false,"suitabilityAssessed":false,
         "emirClass":"None","emirReportingExempt":false,"hasMarginAgreement":false,"isForeignInvestor":false,"isGccNational":true,
         "hasFinanceExperience":false,"shariaOnly":true,"isMarginAccount":true,"creditLimit":0,"creditCurrency":"AED","creditLine":250000.5,
         "isActive":true,"selfTradePrevention":"CancelIncoming","balanceUsd":0,"equityUsd":0,"balanceSheetUsd":0,"turnoverUsd":0,
         "ownFundsUsd":0,"netAssetsUsd":0,"insiderOfIsins":[],"borrowedShares":[]}
        """;

    private void SignIn(string role)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("someone");
        auth.SetRoles(role);
        auth.SetClaims(StubApi.SessionClaims());
        Services.AddSingleton(_api.Session());
        Services.AddScoped<TradSys.Web.Portal.Services.PortalApi>();
        Services.AddLocalization();
    }

    private IRenderedComponent<AccountEdit> EditAccount1003()
    {
        _api.Replies["GET /api/v1/accounts/1003"] = (HttpStatusCode.OK, Account);
        _api.ReplyHeaders["GET /api/v1/accounts/1003"] = ("ETag", "W/\"v2\"");
        var page = Render<AccountEdit>(p => p.Add(x => x.AccountId, 1003L));
        page.WaitForAssertion(() => Assert.Equal("Huda Al Mansoori", page.Find("#account-name").GetAttribute("value")));
        return page;
    }

    [Fact]
    public void An_edit_is_sent_whole_with_its_version_and_every_problem_the_API_names_is_shown_beside_its_field()
    {
        SignIn("operations");
        var page = EditAccount1003();
        Assert.Equal("Change client account 1003", page.Find("#edit-title").TextContent);
        Assert.True(page.Find("#account-shariaOnly").HasAttribute("checked"));
        Assert.True(page.Find("#account-usIndicia-UsPhone").HasAttribute("checked"));
        Assert.Equal("250000.5", page.Find("#account-creditLine").GetAttribute("value"));
        Assert.True(page.Find("#account-creditCurrency").HasAttribute("disabled")); // fixed once the account is opened
        _api.Replies["PUT /api/v1/accounts/1003"] = (HttpStatusCode.BadRequest, """
            {"title":"The request is not valid","status":400,"errors":{
              "lei":["'HWUPKR0MPOU8FGXBT395' has check digits that do not verify (ISO 7064 MOD 97-10)"],
              "usIndicia[1]":["'Martian' is not a US indicium"],
              "reason":["is required: say why"],
              "insiderOfIsins":["is kept by compliance"]}}
            """);

        page.Find("#account-lei").Change("HWUPKR0MPOU8FGXBT395");
        page.Find("#account-shariaOnly").Change(false);
        page.Find("#account-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("FGXBT395' has check digits that do not verify", page.Find("#lei-problem").TextContent, StringComparison.Ordinal));
        Assert.Contains("is-invalid", page.Find("#account-lei").ClassName, StringComparison.Ordinal);
        Assert.Equal("lei-problem", page.Find("#account-lei").GetAttribute("aria-describedby"));
        Assert.Contains("'Martian' is not a US indicium", page.Find("#usIndicia-problem").TextContent, StringComparison.Ordinal);
        Assert.Contains("Is required: say why", page.Find("#reason-problem").TextContent, StringComparison.Ordinal);
        Assert.Contains("insiderOfIsins: is kept by compliance", page.Find("#edit-other-problems").TextContent, StringComparison.Ordinal);
        Assert.Contains("Some fields need correcting", page.Find("#edit-error").TextContent, StringComparison.Ordinal);

        var put = Assert.Single(_api.Requests, r => r.Method == "PUT");
        Assert.Equal(("/api/v1/accounts/1003", "W/\"v2\""), (put.Path, put.IfMatch));
        var body = JsonNode.Parse(put.Body!)!;
        Assert.Equal("HWUPKR0MPOU8FGXBT395", body["lei"]!.GetValue<string>());
        Assert.False(body["shariaOnly"]!.GetValue<bool>());
        Assert.Equal(("AED", 250000.5m, 3L), (body["creditCurrency"]!.GetValue<string>(), body["creditLine"]!.GetValue<decimal>(), body["ownerUserId"]!.GetValue<long>()));
        Assert.Equal(["UsPhone"], body["usIndicia"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Null(body["w8BenExpiresOn"]); // derived by the platform: not sent back
        Assert.Equal("2025-03-10", body["w8BenSignedOn"]!.GetValue<string>());
    }

    [Fact]
    public void A_change_made_by_someone_else_in_between_is_said_plainly_and_the_latest_version_can_be_loaded()
    {
        SignIn("admin");
        var page = EditAccount1003();
        _api.Replies["PUT /api/v1/accounts/1003"] = (HttpStatusCode.PreconditionFailed,
            """{"title":"Changed since you read it","status":412,"detail":"account 1003 was changed since the version in If-Match; read it again (its ETag is now W/\"v3\")"}""");

        page.Find("#account-reason").Change("W-8BEN renewed");
        page.Find("#account-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Someone else changed this account since you opened it", page.Find("#edit-conflict").TextContent, StringComparison.Ordinal));
        Assert.Contains("its ETag is now W/\"v3\"", page.Find("#edit-conflict").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#edit-error"));
        var changed = JsonNode.Parse(Account)!.AsObject();
        changed["name"] = "Huda Al-Mansoori";
        _api.Replies["GET /api/v1/accounts/1003"] = (HttpStatusCode.OK, changed.ToJsonString());
        _api.ReplyHeaders["GET /api/v1/accounts/1003"] = ("ETag", "W/\"v3\"");

        page.Find("#edit-reload").Click();

        page.WaitForAssertion(() => Assert.Equal("Huda Al-Mansoori", page.Find("#account-name").GetAttribute("value")));
        Assert.Empty(page.FindAll("#edit-conflict"));
        Assert.Equal(2, _api.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public void Onboarding_a_client_posts_the_form_and_opens_the_new_accounts_profile_and_a_number_is_read_before_sending()
    {
        SignIn("operations");
        var page = Render<AccountEdit>();
        Assert.Equal("Onboard a client", page.Find("#edit-title").TextContent);
        Assert.True(page.Find("#account-isActive").HasAttribute("checked"));
        page.Find("#account-name").Change("Falcon Income Fund");
        page.Find("#account-ownerUserId").Change("three");
        page.Find("#account-creditLimit").Change("1,000");
        page.Find("#account-form").Submit();

        page.WaitForAssertion(() => Assert.Contains("'three' is not a whole number", page.Find("#ownerUserId-problem").TextContent, StringComparison.Ordinal));
        Assert.Contains("'1,000' is not an amount", page.Find("#creditLimit-problem").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(_api.Requests, r => r.Method == "POST");

        _api.Replies["POST /api/v1/accounts"] = (HttpStatusCode.Created, Account.Replace("\"accountId\":1003", "\"accountId\":2004", StringComparison.Ordinal));
        page.Find("#account-ownerUserId").Change("3");
        page.Find("#account-creditLimit").Change("1000.50");
        page.Find("#account-clientCategory").Change("Professional");
        page.Find("#account-usIndicia-UsAddress").Change(true);
        page.Find("#account-form").Submit();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.EndsWith("/portal/accounts/2004", navigation.Uri, StringComparison.Ordinal));
        var body = JsonNode.Parse(Assert.Single(_api.Requests, r => r.Method == "POST").Body!)!;
        Assert.Equal(("Falcon Income Fund", 3L, 1000.50m, "Professional"), (body["name"]!.GetValue<string>(), body["ownerUserId"]!.GetValue<long>(),
            body["creditLimit"]!.GetValue<decimal>(), body["clientCategory"]!.GetValue<string>()));
        Assert.Equal(["UsAddress"], body["usIndicia"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.True(body["isActive"]!.GetValue<bool>());
        Assert.Null(body["lei"]);
    }

    [Fact]
    public void The_profile_offers_the_edit_to_operations_only()
    {
        SignIn("compliance");
        _api.Replies["GET /api/v1/accounts/1003"] = (HttpStatusCode.OK, Account);
        _api.Replies["GET /api/v1/accounts/1003/history"] = (HttpStatusCode.OK, "[]");
        var page = Render<AccountProfile>(p => p.Add(x => x.AccountId, 1003));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#account-version")));
        Assert.Empty(page.FindAll("#account-edit"));
    }

    [Fact]
    public void The_profile_links_operations_to_the_account_form()
    {
        SignIn("operations");
        _api.Replies["GET /api/v1/accounts/1003"] = (HttpStatusCode.OK, Account);
        _api.Replies["GET /api/v1/accounts/1003/history"] = (HttpStatusCode.OK, "[]");
        var page = Render<AccountProfile>(p => p.Add(x => x.AccountId, 1003));
        page.WaitForAssertion(() => Assert.Equal("/portal/accounts/1003/edit", page.Find("#account-edit").GetAttribute("href")));
    }

    [Fact]
    public void An_import_lists_every_problem_of_the_dry_run_and_is_offered_only_after_a_clean_check()
    {
        SignIn("operations");
        var page = Render<AccountImportPage>();
        Assert.Contains("name,nameAr,ownerUserId", page.Find("#import-columns").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("#import-check").HasAttribute("disabled"));
        Assert.True(page.Find("#import-run").HasAttribute("disabled"));
        const string csv = "name,ownerUserId,clientCategory,jurisdiction,fatcaStatus,creditCurrency\nFalcon,3,Retail,Egypt,NonUsPerson,EGP\nNile,x,Retail,Egypt,NonUsPerson,XYZ\n";
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "clients.csv"));
        page.WaitForAssertion(() => Assert.False(page.Find("#import-check").HasAttribute("disabled")));
        _api.Replies["POST /api/v1/accounts/import"] = (HttpStatusCode.BadRequest, """
            {"title":"The file is not valid: nothing was imported","status":400,"detail":"2 problem(s) on 1 line(s); correct them and send the whole file again",
             "errors":{"line 3: ownerUserId":["'x' is not a whole number"],"line 3: creditCurrency":["'XYZ' has no platform FX rate"]},
             "problems":[{"line":3,"column":"ownerUserId","message":"'x' is not a whole number"},{"line":3,"column":"creditCurrency","message":"'XYZ' has no platform FX rate"}]}
            """);

        page.Find("#import-reason").Change("bulk onboarding");
        page.Find("#import-check").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#import-problems tbody tr").Count));
        Assert.Equal([("3", "ownerUserId", "'x' is not a whole number"), ("3", "creditCurrency", "'XYZ' has no platform FX rate")],
            page.FindAll("#import-problems tbody tr").Select(r => (r.QuerySelector(".problem-line")!.TextContent, r.QuerySelector(".problem-column")!.TextContent,
                r.QuerySelector(".problem-message")!.TextContent)).ToList());
        Assert.Contains("2 problem(s) on 1 line(s)", page.Find("#import-error").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("#import-run").HasAttribute("disabled"));
        var check = Assert.Single(_api.Requests, r => r.Method == "POST");
        Assert.Equal(("/api/v1/accounts/import?dryRun=true&reason=bulk%20onboarding", csv), (check.Path, check.Body));

        _api.Replies["POST /api/v1/accounts/import"] = (HttpStatusCode.OK,
            """{"dryRun":true,"accounts":2,"lines":[{"line":2,"accountId":null,"name":"Falcon"},{"line":3,"accountId":null,"name":"Nile"}]}""");
        page.Find("#import-check").Click();
        page.WaitForAssertion(() => Assert.False(page.Find("#import-run").HasAttribute("disabled")));
        Assert.Contains("clients.csv: 2 accounts, no problem", page.Find("#import-notice").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("#import-problems"));
        Assert.Equal(["allocated when imported", "allocated when imported"], page.FindAll("#import-lines .line-account").Select(c => c.TextContent.Trim()));

        _api.Replies["POST /api/v1/accounts/import"] = (HttpStatusCode.OK,
            """{"dryRun":false,"accounts":2,"lines":[{"line":2,"accountId":2004,"name":"Falcon"},{"line":3,"accountId":2005,"name":"Nile"}]}""");
        page.Find("#import-run").Click();

        page.WaitForAssertion(() => Assert.Contains("2 accounts opened", page.Find("#import-notice").TextContent, StringComparison.Ordinal));
        Assert.Equal(["/portal/accounts/2004", "/portal/accounts/2005"], page.FindAll("#import-lines .line-account a").Select(a => a.GetAttribute("href")));
        Assert.Equal("/api/v1/accounts/import?dryRun=false&reason=bulk%20onboarding", _api.Requests[^1].Path);
        Assert.True(page.Find("#import-run").HasAttribute("disabled")); // imported: not offered twice
    }

    [Theory]
    [InlineData("operations", true)]
    [InlineData("admin", true)]
    [InlineData("trader", false)]
    public void The_accounts_list_links_each_profile_and_offers_onboarding_to_operations_and_admins(string role, bool manages)
    {
        SignIn(role);
        _api.Replies["GET /api/v1/accounts"] = (HttpStatusCode.OK, """
            [{"accountId":1001,"name":"Omar Hassan","ownerUserId":2,"clientCategory":"Retail","jurisdiction":"Egypt","lei":null,
              "investorNumber":null,"fatcaStatus":"NonUsPerson","usIndicia":"None","shariaOnly":false,"creditLimit":0,"creditCurrency":"EGP","isActive":true}]
            """);
        var page = Render<AccountList>();
        page.WaitForAssertion(() => Assert.Equal("/portal/accounts/1001", page.Find("tr[data-account='1001'] a").GetAttribute("href")));
        Assert.Contains("Omar Hassan", page.Find("tr[data-account='1001']").TextContent, StringComparison.Ordinal);
        Assert.Equal(manages, page.FindAll("#accounts-new").Count == 1);
        Assert.Equal(manages, page.FindAll("#accounts-import").Count == 1);
    }
}
