using System.Net;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>The OpenAPI document and its reference page are served without a token.</summary>
public sealed class ApiReferenceTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task The_openapi_document_describes_the_order_api_and_the_token_flow()
    {
        var doc = (await platform.Anonymous().GetAsync("/openapi/v1.json")).Expect(HttpStatusCode.OK).Json;
        Assert.NotNull(doc["paths"]!["/api/v1/orders"]!["post"]);
        Assert.NotNull(doc["paths"]!["/api/v1/orders/{id}"]!["patch"]);
        Assert.Equal("/connect/token", doc["components"]!["securitySchemes"]!["oauth2"]!["flows"]!["clientCredentials"]!["tokenUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        var page = (await platform.Anonymous().GetAsync("/docs/api")).Expect(HttpStatusCode.OK);
        Assert.Contains("<html", page.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Readiness_reports_the_database()
    {
        (await platform.Anonymous().GetAsync("/health/ready")).Expect(HttpStatusCode.OK);
    }
}
