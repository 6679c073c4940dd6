using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Hosting;

/// <summary>
/// The platform as the README's run command starts it: Production, from the build output (the build's static-asset manifest).
/// ASP.NET Core's runtime handling of static assets (for hot reload) must stay off there: it adds a catch-all route whose
/// constraint looks for a file on disk while routing every request, API calls included, and marks every asset no-cache.
/// </summary>
public sealed class StaticAssetRoutingTests : IClassFixture<StaticAssetRoutingTests.ProductionPlatform>
{
    private readonly ProductionPlatform _platform;

    public StaticAssetRoutingTests(ProductionPlatform platform) => _platform = platform;

    /// <summary>The platform in the Production environment (the test host's default is Development).</summary>
    public sealed class ProductionPlatform : PlatformFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Fact]
    public void No_route_looks_for_files_on_disk_while_routing()
    {
        var routes = _platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(routes);
        // The runtime handler's fallback is "{**path:file}" with a file-exists constraint.
        Assert.DoesNotContain(routes, r => r.RoutePattern.RawText?.Contains(":file}", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task The_portal_still_gets_its_scripts_and_the_api_still_answers()
    {
        var anonymous = _platform.Anonymous();
        var script = await anonymous.GetAsync("/_framework/blazor.web.js");
        Assert.Equal(HttpStatusCode.OK, script.Status);
        var monaco = await anonymous.GetAsync("/_content/BlazorMonaco/lib/monaco-editor/min/vs/loader.js");
        Assert.Equal(HttpStatusCode.OK, monaco.Status);
        var trader = await _platform.ClientForAsync("trader1");
        var quote = (await trader.GetAsync("/api/v1/instruments/COMI.INT/quote")).Expect(HttpStatusCode.OK);
        Assert.Equal("COMI.INT", quote.Str("symbol"));
    }
}
