using System.Net;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Portal.Components.Pages.Accounts;

namespace TradSys.Portal.Tests.Components;

/// <summary>The account profile page: the account's data as the API gives it, its versions, and the API's refusal shown.</summary>
public sealed class AccountProfileComponentTests : BunitContext
{
    private readonly StubApi _api = new();

    private const string Account = """
        {"accountId":1003,"version":2,"name":"Huda Al Mansoori","nameAr":"هدى المنصوري","ownerUserId":3,"clientCategory":"Retail",
         "isClassified":true,"isLegalEntity":false,"isTrust":false,"jurisdiction":"UaeOnshore","nationality":"AE","addressCountry":"AE",
         "investorNumber":"ADX-77","nationalId":null,"passportNumber":null,"firstName":"Huda","surname":"Al Mansoori","birthDate":"1990-02-01",
         "mifidBranch":null,"lei":null,"fatcaStatus":"ForeignCertified","usIndicia":["UsPhone"],"hasW9":false,"usTin":null,
         "w8BenSignedOn":"2025-03-10","w8BenExpiresOn":"2028-12-31","giin":null,"giinOnFfiList":false,"isPreexisting":false,
         "enhancedReviewDone":false,"appropriatenessAssessed":true,"appropriatenessPassed":false,"suitabilityAssessed":false,
         "emirClass":"None","emirReportingExempt":false,"hasMarginAgreement":false,"isForeignInvestor":false,"isGccNational":true,
         "hasFinanceExperience":false,"shariaOnly":true,"isMarginAccount":true,"creditLimit":0,"creditCurrency":"AED","creditLine":250000,
         "isActive":true,"selfTradePrevention":"CancelNewest","balanceUsd":0,"equityUsd":0,"balanceSheetUsd":0,"turnoverUsd":0,
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

    [Fact]
    public void The_profile_shows_the_clients_data_and_who_changed_what_when_and_why()
    {
        SignIn("compliance");
        _api.Replies["GET /api/v1/accounts/1003"] = (HttpStatusCode.OK, Account);
        _api.Replies["GET /api/v1/accounts/1003/history"] = (HttpStatusCode.OK, """
            [{"version":2,"changedAt":"2026-12-05T20:40:00Z","changedBy":"ops1","reason":"client asked for Sharia-only trading",
              "changedFields":["shariaOnly"],"before":{},"after":{}}]
            """);

        var page = Render<AccountProfile>(p => p.Add(x => x.AccountId, 1003));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#account-history tbody tr")));

        Assert.Equal("Client account 1003: Huda Al Mansoori", page.Find("#account-title").TextContent);
        Assert.Equal("Huda Al Mansoori · هدى المنصوري", page.Find(".account-name").TextContent);
        Assert.Equal("individual", page.Find(".account-kind").TextContent);
        Assert.Equal("not on file", page.Find(".account-lei").TextContent);
        Assert.Equal("signed 2025-03-10, expires 2028-12-31", page.Find(".account-w8ben").TextContent);
        Assert.Equal("UsPhone", page.Find(".account-indicia").TextContent);
        Assert.Equal("not passed", page.Find(".account-appropriateness").TextContent);
        Assert.Equal("yes", page.Find(".account-sharia").TextContent);
        Assert.Equal("250,000 AED", page.Find(".account-credit-line").TextContent);
        Assert.Equal("version 2", page.Find("#account-version").TextContent);
        Assert.Equal("/portal/audit?account=1003", page.Find("#account-audit").GetAttribute("href"));
        Assert.Equal("/portal/blotter?account=1003", page.Find("#account-orders").GetAttribute("href"));
        var row = Assert.Single(page.FindAll("#account-history tbody tr"));
        Assert.Equal("ops1", row.QuerySelector(".history-by")!.TextContent);
        Assert.Equal("client asked for Sharia-only trading", row.QuerySelector(".history-reason")!.TextContent);
        Assert.Equal("shariaOnly", row.QuerySelector(".history-fields")!.TextContent);
        Assert.Contains("2026-12-05 20:40:00", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_without_versions_says_so()
    {
        SignIn("operations");
        _api.Replies["GET /api/v1/accounts/1003"] = (HttpStatusCode.OK, Account);
        _api.Replies["GET /api/v1/accounts/1003/history"] = (HttpStatusCode.OK, "[]");

        var page = Render<AccountProfile>(p => p.Add(x => x.AccountId, 1003));

        page.WaitForAssertion(() => Assert.Contains("No change recorded", page.Find("#account-history-none").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void A_trader_opening_someone_elses_account_is_told_the_APIs_refusal()
    {
        SignIn("trader");
        _api.Replies["GET /api/v1/accounts/2001"] = (HttpStatusCode.Forbidden, """{"title":"Forbidden","status":403,"detail":"account 2001 is not yours"}""");

        var page = Render<AccountProfile>(p => p.Add(x => x.AccountId, 2001));

        page.WaitForAssertion(() => Assert.Contains("account 2001 is not yours", page.Find("#account-error").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#account-history"));
        Assert.DoesNotContain(_api.Requests, r => r.Path.EndsWith("/history", StringComparison.Ordinal));
    }
}
