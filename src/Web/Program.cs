using TradSys.Web.Apis;
using TradSys.Web.Auth;
using TradSys.Web.Cluster;
using TradSys.Web.Fix;
using TradSys.Web.Hosting;
using TradSys.Web.Jobs;
using TradSys.Web.Messaging;
using TradSys.Web.Observability;
using TradSys.Web.Ordering;
using TradSys.Web.Persistence;
using TradSys.Web.Portal;
using TradSys.Web.Reports;
using TradSys.Web.RulePacks;
using TradSys.Web.Streaming;
using TradSys.Web.Workflows;

if (PlatformCommands.IsCommand(args))
{
    return await PlatformCommands.RunAsync(args, CommandConsole.System);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddPlatformDefaults();
builder.AddTelemetry();
builder.AddPersistence();
builder.AddCluster();
builder.AddPlatformAuth();
builder.AddOrdering();
builder.AddRules();
builder.AddWorkflows();
builder.AddMessaging();
builder.AddJobs();
builder.AddReporting();
builder.AddPortal();
builder.AddStreaming();
builder.AddFixSessions();

var app = builder.Build();

await app.PrepareDatabaseAsync();
await app.LoadRulePacksAsync();
await app.LoadWorkflowsAsync();
app.UsePlatformDefaults();
app.UseRecurringJobs();

app.MapTokenEndpoint();
app.MapBrowserSignIn();
app.MapOrdersApiV1();
app.MapTradesApiV1();
app.MapPositionsApiV1();
app.MapReferenceDataApiV1();
app.MapAuditApiV1();
app.MapRulePacksApiV1();
app.MapTasksApiV1();
app.MapWorkflowsApiV1();
app.MapRulePackReplaysApiV1();
app.MapRulePackDraftsApiV1();
app.MapReportsApiV1();
app.MapUsersApiV1();
app.MapRiskApiV1();
app.MapCashApiV1();
app.MapAccountsApiV1();
app.MapInstrumentsApiV1();
app.MapVenueCalendarsApiV1();
app.MapReferencePricesApiV1();
app.MapFxRatesApiV1();
app.MapDividendsApiV1();
app.MapSplitsApiV1();
app.MapSymbolChangesApiV1();
app.MapStreamingGateway();
app.MapPlatformEndpoints();
app.MapPortal();

app.PrintBannerOnStart();
await app.RunAsync();
return 0;

/// <summary>The web host's entry point (public for the test host).</summary>
public partial class Program;
