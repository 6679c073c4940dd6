using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Scalar.AspNetCore;
using TradSys.Web.Auth;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Hosting;

/// <summary>Cross-cutting host setup: problem details, JSON, OpenAPI, health, and the start-up sequence.</summary>
public static class HostingExtensions
{
    public static IHostApplicationBuilder AddPlatformDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<BearerSecurityTransformer>();
            o.AddDocumentTransformer<ApiContractDocumentTransformer>();
            o.AddOperationTransformer<ApiContractOperationTransformer>();
        });
        builder.Services.AddHealthChecks();
        builder.AddPlatformHealth();
        return builder;
    }

    /// <summary>Migrates, seeds the demo data when asked, and loads reference data, before anything listens.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var options = PlatformOptions.From(app.Configuration);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        if (options.MigrateOnStartup)
        {
            await db.Database.MigrateAsync();
        }
        if (options.Database == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging: readers (queries, reports, replays) no longer block the order writer's commits, nor it them.
            // The mode is stored in the file; synchronous stays FULL, so an acknowledged commit survives a power cut.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        if (options.SeedDemoData)
        {
            await DemoData.SeedAsync(db, scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(),
                scope.ServiceProvider.GetRequiredService<TimeProvider>(), CancellationToken.None);
            if (options.SeedDemoPriceHistory)
            {
                await DemoPriceHistory.SeedAsync(db, scope.ServiceProvider.GetRequiredService<MarketClock>().UtcNow, CancellationToken.None);
            }
        }
        await app.Services.GetRequiredService<ReferenceDataCache>().LoadAsync(db, CancellationToken.None);
    }

    public static WebApplication UsePlatformDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePlatformAuthentication();
        app.UseAuthorization();
        // After authorization: the order-entry limit is per user, and a refused caller never spends a token.
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The OpenAPI document, its reference page, health probes, and a root that says where things are.</summary>
    public static WebApplication MapPlatformEndpoints(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs/api", o => o.WithTitle("TradSys API")).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapAdminHealthV1();
        app.MapGet("/", () => TypedResults.Ok(new
        {
            name = "TradSys",
            portal = "/portal",
            api = "/api/v1",
            reference = "/docs/api",
            openapi = "/openapi/v1.json",
            token = "/connect/token (client_credentials; the portal signs in with authorization code + PKCE)",
            health = "/health/ready",
        })).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Prints where the platform listens and, with demo data, the demo API clients.</summary>
    public static WebApplication PrintBannerOnStart(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var options = PlatformOptions.From(app.Configuration);
            var url = app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080";
            var lines = new List<string>
            {
                "",
                "TradSys is running",
                $"  URL:           {url}",
                $"  Portal:        {url}/portal (demo users sign in with <user>-demo-password)",
                $"  API reference: {url}/docs/api",
                $"  Mode:          database {options.Database}, bus {options.Bus}, jobs {options.Jobs}",
            };
            if (options.SeedDemoData)
            {
                lines.Add("  Demo API clients (POST /connect/token, grant_type=client_credentials):");
                lines.AddRange(DemoData.Logins.Select(l => $"    {l.ClientId,-12} secret {l.ClientSecret,-26} role {l.Roles}"));
            }
            lines.Add("");
            Console.WriteLine(string.Join(Environment.NewLine, lines));
        });
        return app;
    }
}
