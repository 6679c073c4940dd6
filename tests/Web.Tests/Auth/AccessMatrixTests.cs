using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Auth;

/// <summary>
/// The whole access matrix in one test: every endpoint the host maps (read from its <see cref="EndpointDataSource"/>), called
/// by every role and by nobody, against the table below. The table is written by hand from the platform's rules (DESIGN.md's
/// roles, issue 7), not read from the endpoints' metadata: a policy that drifts from it fails here, and so does an endpoint
/// nobody wrote a row for.
/// </summary>
/// <remarks>
/// "Allowed" is anything but 401 and 403 (the probes send minimal bodies and unknown ids, so 400, 404 and 409 are the usual
/// answers, and nothing changes). "Refused" is, for the API, 401 without a token and 403 with one; for the portal (session
/// cookie), a redirect to <c>/portal/signin</c> without a session (401 for the circuit hub, which script calls) and 403 with one. Static files (a pattern without route
/// parameters ending in a file extension: Bootstrap, Blazor's scripts, scoped CSS and their compressed copies) are one rule:
/// anyone may fetch them. HEAD follows GET and is not probed separately.
/// </remarks>
public sealed class AccessMatrixTests : IDisposable
{
    private readonly PlatformFactory _platform = new();

    public void Dispose() => _platform.Dispose();

    /// <summary>Who calls: the demo user and the roles they hold. senior_compliance is only ever held with compliance (the users API refuses it alone), so compliance2 stands for it.</summary>
    private static readonly (string User, string[] Roles)[] Callers =
    [
        ("admin", ["admin"]), ("trader1", ["trader"]), ("compliance1", ["compliance"]), ("compliance2", ["compliance", "senior_compliance"]),
        ("regulator1", ["regulator"]), ("viewer1", ["viewer"]), ("risk1", ["risk"]), ("ops1", ["operations"]), ("", ["anonymous"]),
    ];

    private const string Anyone = "anonymous admin trader compliance senior_compliance regulator viewer risk operations";
    private const string AnyRole = "admin trader compliance senior_compliance regulator viewer risk operations";
    private const string RiskReaders = "risk admin compliance senior_compliance regulator";
    private const string RiskManagers = "risk admin";
    private const string CashManagers = "operations admin";
    private const string AccountManagers = "operations admin";
    private const string InstrumentManagers = "operations admin";
    private const string ReferencePriceManagers = "operations admin";
    private const string ReferencePriceReaders = "operations admin risk compliance senior_compliance";
    private const string Trader = "trader";
    private const string AuditRoles = "admin compliance regulator";
    private const string RulePackReaders = "admin compliance regulator";
    private const string Compliance = "compliance";
    private const string ReportRoles = "admin compliance regulator risk";
    private const string TaskRoles = "compliance senior_compliance";
    private const string WorkflowReaders = "admin compliance senior_compliance regulator";
    private const string Admin = "admin";

    private enum Door
    {
        /// <summary>No credentials needed: probed with a bearer client per role and without one.</summary>
        Public,
        /// <summary>The REST API: bearer tokens from /connect/token.</summary>
        Api,
        /// <summary>The portal: the session cookie from the browser sign-in.</summary>
        Portal,
    }

    /// <summary>One row: the endpoint (method and route pattern as mapped), the request that probes it, and who may use it.</summary>
    private sealed record Row(string Method, string Pattern, Door Door, string Allowed, string? Probe = null, string ProbeMethod = "", string? Body = null);

    private static readonly Guid NoTask = Guid.Parse("00000000-0000-0000-0000-00000000beef");

    /// <summary>The expected matrix. A new endpoint needs a row here (the failure names it).</summary>
    private static readonly Row[] Expected =
    [
        // Host, health and documentation.
        new("GET", "/", Door.Public, Anyone),
        new("*", "/health/live", Door.Public, Anyone, ProbeMethod: "GET"),
        new("*", "/health/ready", Door.Public, Anyone, ProbeMethod: "GET"),
        new("*", "/health/reporting", Door.Public, Anyone, ProbeMethod: "GET"),
        new("GET", "/openapi/{documentName}.json", Door.Public, Anyone, "/openapi/v1.json"),
        // The WebSocket gateway: REST's bearer token, every role (a plain GET is told it takes upgrades only: 400).
        new("*", "/ws", Door.Api, AnyRole, ProbeMethod: "GET"),
        new("GET", "/docs/api/{documentName?}", Door.Public, Anyone, "/docs/api"),
        // The static-file fallback (a file no endpoint maps): behind the host's fallback policy, so a signed-in caller gets 404.
        new("GET", "{**path:file}", Door.Api, AnyRole, "/no-such-file.txt"),

        // Sign-in (OpenIddict): open by nature; the requests below are incomplete and answered 400.
        new("POST", "/connect/token", Door.Public, Anyone, Body: "form"),
        new("GET", "/connect/authorize", Door.Public, Anyone),
        new("POST", "/connect/authorize", Door.Public, Anyone, Body: "form"),
        new("POST", "/connect/login", Door.Public, Anyone, Body: "form"),
        new("GET", "/connect/logout", Door.Public, Anyone),
        new("POST", "/connect/logout", Door.Public, Anyone, Body: "form"),

        // Orders: traders place, amend and cancel; every role reads (a trader only their own accounts).
        new("POST", "/api/v1/orders/", Door.Api, Trader, "/api/v1/orders", Body: "{}"),
        new("POST", "/api/v1/orders/check", Door.Api, Trader, Body: "{}"),
        new("GET", "/api/v1/orders/", Door.Api, AnyRole, "/api/v1/orders"),
        new("GET", "/api/v1/orders/{id:long}", Door.Api, AnyRole, "/api/v1/orders/999999"),
        new("GET", "/api/v1/orders/{id:long}/events", Door.Api, AnyRole, "/api/v1/orders/999999/events"),
        new("PATCH", "/api/v1/orders/{id:long}", Door.Api, Trader, "/api/v1/orders/999999", Body: "{}"),
        new("DELETE", "/api/v1/orders/", Door.Api, Trader, "/api/v1/orders"),
        new("DELETE", "/api/v1/orders/{id:long}", Door.Api, Trader, "/api/v1/orders/999999"),
        new("GET", "/api/v1/trades", Door.Api, AnyRole),
        new("GET", "/api/v1/positions", Door.Api, AnyRole),

        // Reference and market data, accounts, the caller.
        new("GET", "/api/v1/instruments", Door.Api, AnyRole),
        new("GET", "/api/v1/instruments/{symbol}", Door.Api, AnyRole, "/api/v1/instruments/COMI.INT"),
        new("GET", "/api/v1/instruments/{symbol}/depth", Door.Api, AnyRole, "/api/v1/instruments/COMI.INT/depth"),
        new("GET", "/api/v1/instruments/{symbol}/quote", Door.Api, AnyRole, "/api/v1/instruments/COMI.INT/quote"),
        new("GET", "/api/v1/instruments/{symbol}/bars", Door.Api, AnyRole, "/api/v1/instruments/COMI.INT/bars"),
        new("GET", "/api/v1/venues", Door.Api, AnyRole),
        // Venue calendars (issue 14): operations and admins change a calendar; every role reads it and its versions.
        new("GET", "/api/v1/venues/{code}/calendar", Door.Api, AnyRole, "/api/v1/venues/EGX/calendar"),
        new("PUT", "/api/v1/venues/{code}/calendar", Door.Api, InstrumentManagers, "/api/v1/venues/NO.SUCH/calendar", Body: "{}"),
        new("GET", "/api/v1/venues/{code}/calendar/history", Door.Api, AnyRole, "/api/v1/venues/EGX/calendar/history"),
        new("POST", "/api/v1/venues/{code}/calendar/holidays/import", Door.Api, InstrumentManagers, "/api/v1/venues/NO.SUCH/calendar/holidays/import", Body: "{}"),
        // Daily reference prices and FX rates (issue 14 part 3): operations and admins import a day's; they, risk officers and compliance read it.
        new("GET", "/api/v1/reference-prices/{date}", Door.Api, ReferencePriceReaders, "/api/v1/reference-prices/2026-11-23"),
        new("PUT", "/api/v1/reference-prices/{date}", Door.Api, ReferencePriceManagers, "/api/v1/reference-prices/2026-11-23", Body: "{}"),
        // The reference FX rates in force: read as the daily figures are, changed by the same operations and admins.
        new("GET", "/api/v1/fx-rates", Door.Api, ReferencePriceReaders),
        new("PUT", "/api/v1/fx-rates/{currency}", Door.Api, ReferencePriceManagers, "/api/v1/fx-rates/EGP", Body: "{}"),
        new("POST", "/api/v1/fx-rates", Door.Api, ReferencePriceManagers, Body: "{}"),
        new("POST", "/api/v1/fx-rates/import", Door.Api, ReferencePriceManagers, Body: "{}"),
        new("POST", "/api/v1/dividends", Door.Api, InstrumentManagers, Body: "{}"),
        new("GET", "/api/v1/dividends", Door.Api, ReferencePriceReaders),
        new("GET", "/api/v1/dividends/{id}", Door.Api, ReferencePriceReaders, "/api/v1/dividends/999999"),
        new("PUT", "/api/v1/dividends/{id}", Door.Api, InstrumentManagers, "/api/v1/dividends/999999", Body: "{}"),
        new("POST", "/api/v1/dividends/{id}/cancel", Door.Api, InstrumentManagers, "/api/v1/dividends/999999/cancel", Body: "{}"),
        new("GET", "/api/v1/dividends/{id}/entitlements", Door.Api, ReferencePriceReaders, "/api/v1/dividends/999999/entitlements"),
        new("POST", "/api/v1/dividends/{id}/pay", Door.Api, InstrumentManagers, "/api/v1/dividends/999999/pay", Body: "{}"),
        new("POST", "/api/v1/splits", Door.Api, InstrumentManagers, Body: "{}"),
        new("GET", "/api/v1/splits", Door.Api, ReferencePriceReaders),
        new("GET", "/api/v1/splits/{id}", Door.Api, ReferencePriceReaders, "/api/v1/splits/999999"),
        new("GET", "/api/v1/splits/{id}/application", Door.Api, ReferencePriceReaders, "/api/v1/splits/999999/application"),
        new("POST", "/api/v1/splits/{id}/cancel", Door.Api, InstrumentManagers, "/api/v1/splits/999999/cancel", Body: "{}"),
        new("POST", "/api/v1/splits/{id}/apply", Door.Api, InstrumentManagers, "/api/v1/splits/999999/apply", Body: "{}"),
        new("POST", "/api/v1/symbol-changes", Door.Api, InstrumentManagers, Body: "{}"),
        new("GET", "/api/v1/symbol-changes", Door.Api, ReferencePriceReaders),
        new("GET", "/api/v1/symbol-changes/{id}", Door.Api, ReferencePriceReaders, "/api/v1/symbol-changes/999999"),
        new("GET", "/api/v1/symbol-changes/{id}/application", Door.Api, ReferencePriceReaders, "/api/v1/symbol-changes/999999/application"),
        new("POST", "/api/v1/symbol-changes/{id}/cancel", Door.Api, InstrumentManagers, "/api/v1/symbol-changes/999999/cancel", Body: "{}"),
        new("POST", "/api/v1/symbol-changes/{id}/apply", Door.Api, InstrumentManagers, "/api/v1/symbol-changes/999999/apply", Body: "{}"),
        // Listings (issue 14): operations and admins list, change and delist instruments; every role reads a listing and its versions.
        new("POST", "/api/v1/instruments", Door.Api, InstrumentManagers, Body: "{}"),
        new("POST", "/api/v1/instruments/import", Door.Api, InstrumentManagers, Body: "{}"),
        new("PUT", "/api/v1/instruments/{symbol}", Door.Api, InstrumentManagers, "/api/v1/instruments/NO.SUCH", Body: "{}"),
        new("POST", "/api/v1/instruments/{symbol}/delist", Door.Api, InstrumentManagers, "/api/v1/instruments/NO.SUCH/delist", Body: "{}"),
        new("GET", "/api/v1/instruments/{symbol}/listing", Door.Api, AnyRole, "/api/v1/instruments/COMI.INT/listing"),
        new("GET", "/api/v1/instruments/{symbol}/history", Door.Api, AnyRole, "/api/v1/instruments/COMI.INT/history"),
        new("GET", "/api/v1/accounts", Door.Api, AnyRole),
        // Onboarding and KYC (issue 14): operations and admins change accounts; every role reads one (a trader their own).
        new("POST", "/api/v1/accounts", Door.Api, AccountManagers, Body: "{}"),
        new("POST", "/api/v1/accounts/import", Door.Api, AccountManagers, Body: "{}"),
        new("GET", "/api/v1/accounts/{accountId}", Door.Api, AnyRole, "/api/v1/accounts/1001"),
        new("PUT", "/api/v1/accounts/{accountId}", Door.Api, AccountManagers, "/api/v1/accounts/999999", Body: "{}"),
        new("GET", "/api/v1/accounts/{accountId}/history", Door.Api, AnyRole, "/api/v1/accounts/1001/history"),
        new("GET", "/api/v1/me", Door.Api, AnyRole),

        // The audit trail.
        new("GET", "/api/v1/audit/", Door.Api, AuditRoles, "/api/v1/audit"),
        new("GET", "/api/v1/audit/verify", Door.Api, AuditRoles),
        new("GET", "/api/v1/audit/export", Door.Api, AuditRoles),

        // Rule packs: read by compliance, admins and regulators; changed by compliance (maker-checker).
        new("GET", "/api/v1/rulepacks/", Door.Api, RulePackReaders, "/api/v1/rulepacks"),
        new("GET", "/api/v1/rulepacks/{id}", Door.Api, RulePackReaders, "/api/v1/rulepacks/no-such-pack"),
        new("GET", "/api/v1/rulepacks/{id}/versions", Door.Api, RulePackReaders, "/api/v1/rulepacks/no-such-pack/versions"),
        new("GET", "/api/v1/rulepacks/{id}/versions/{version}", Door.Api, RulePackReaders, "/api/v1/rulepacks/no-such-pack/versions/1"),
        new("GET", "/api/v1/rulepacks/{id}/diff", Door.Api, RulePackReaders, "/api/v1/rulepacks/no-such-pack/diff"),
        new("POST", "/api/v1/rulepacks/validate", Door.Api, Compliance, Body: "{}"),
        new("POST", "/api/v1/rulepacks/dry-run", Door.Api, Compliance, Body: "{}"),
        new("POST", "/api/v1/rulepacks/{id}/publish", Door.Api, Compliance, "/api/v1/rulepacks/no-such-pack/publish", Body: "{}"),
        new("POST", "/api/v1/rulepacks/{id}/rollback", Door.Api, Compliance, "/api/v1/rulepacks/no-such-pack/rollback", Body: "{}"),
        new("POST", "/api/v1/rulepacks/order-context", Door.Api, Compliance, Body: "{}"),
        new("GET", "/api/v1/rulepacks/changes/{instanceId:guid}/diff", Door.Api, TaskRoles, $"/api/v1/rulepacks/changes/{NoTask}/diff"),
        new("POST", "/api/v1/rulepacks/replays/", Door.Api, Compliance, "/api/v1/rulepacks/replays", Body: "{}"),
        new("GET", "/api/v1/rulepacks/replays/", Door.Api, RulePackReaders, "/api/v1/rulepacks/replays"),
        new("GET", "/api/v1/rulepacks/replays/{id}", Door.Api, RulePackReaders, $"/api/v1/rulepacks/replays/{NoTask}"),
        new("GET", "/api/v1/rulepacks/replays/{id}/changes", Door.Api, RulePackReaders, $"/api/v1/rulepacks/replays/{NoTask}/changes"),
        new("GET", "/api/v1/rulepacks/changes/{instanceId:guid}/replays", Door.Api, TaskRoles, $"/api/v1/rulepacks/changes/{NoTask}/replays"),
        new("POST", "/api/v1/rulepacks/changes/{instanceId:guid}/replays", Door.Api, Compliance, $"/api/v1/rulepacks/changes/{NoTask}/replays", Body: "{}"),
        // A draft is its author's work in progress: compliance officers only, each their own (RulePackDraftsApiTests).
        new("GET", "/api/v1/rulepacks/drafts", Door.Api, Compliance),
        new("GET", "/api/v1/rulepacks/{id}/draft", Door.Api, Compliance, "/api/v1/rulepacks/no-such-pack/draft"),
        new("PUT", "/api/v1/rulepacks/{id}/draft", Door.Api, Compliance, "/api/v1/rulepacks/no-such-pack/draft", Body: "{}"),
        new("DELETE", "/api/v1/rulepacks/{id}/draft", Door.Api, Compliance, "/api/v1/rulepacks/no-such-pack/draft"),

        // The task inbox: compliance and senior compliance.
        new("GET", "/api/v1/tasks/", Door.Api, TaskRoles, "/api/v1/tasks"),
        new("GET", "/api/v1/tasks/{id:guid}", Door.Api, TaskRoles, $"/api/v1/tasks/{NoTask}"),
        new("POST", "/api/v1/tasks/{id:guid}/claim", Door.Api, TaskRoles, $"/api/v1/tasks/{NoTask}/claim", Body: "{}"),
        new("POST", "/api/v1/tasks/{id:guid}/approve", Door.Api, TaskRoles, $"/api/v1/tasks/{NoTask}/approve", Body: "{}"),
        new("POST", "/api/v1/tasks/{id:guid}/reject", Door.Api, TaskRoles, $"/api/v1/tasks/{NoTask}/reject", Body: "{}"),
        new("POST", "/api/v1/tasks/{id:guid}/reassign", Door.Api, TaskRoles, $"/api/v1/tasks/{NoTask}/reassign", Body: "{}"),

        // Workflow definitions and instances.
        new("GET", "/api/v1/workflows/definitions", Door.Api, WorkflowReaders),
        new("GET", "/api/v1/workflows/definitions/{id}/versions/{version:int}", Door.Api, WorkflowReaders, "/api/v1/workflows/definitions/no-such-flow/versions/1"),
        new("GET", "/api/v1/workflows/instances/{id:guid}", Door.Api, WorkflowReaders, $"/api/v1/workflows/instances/{NoTask}"),
        new("POST", "/api/v1/workflows/definitions/validate", Door.Api, Compliance, Body: "{}"),
        new("POST", "/api/v1/workflows/definitions/{id}/publish", Door.Api, Compliance, "/api/v1/workflows/definitions/no-such-flow/publish", Body: "{}"),

        // Reports: regulators, compliance and admins; risk officers too, who see only the daily risk report (ReportsApiTests).
        new("GET", "/api/v1/reports/", Door.Api, ReportRoles, "/api/v1/reports"),
        new("POST", "/api/v1/reports/{reportId}/runs", Door.Api, ReportRoles, "/api/v1/reports/no-such-report/runs", Body: "{}"),
        new("GET", "/api/v1/reports/runs", Door.Api, ReportRoles),
        new("GET", "/api/v1/reports/runs/{id:long}", Door.Api, ReportRoles, "/api/v1/reports/runs/999999"),
        new("GET", "/api/v1/reports/runs/{id:long}/pdf", Door.Api, ReportRoles, "/api/v1/reports/runs/999999/pdf"),
        new("GET", "/api/v1/reports/runs/{id:long}/data", Door.Api, ReportRoles, "/api/v1/reports/runs/999999/data"),
        new("GET", "/api/v1/reports/runs/{id:long}/twin", Door.Api, ReportRoles, "/api/v1/reports/runs/999999/twin"),

        // Administration: admins only.
        new("GET", "/api/v1/users/", Door.Api, Admin, "/api/v1/users"),
        new("GET", "/api/v1/users/{id:long}", Door.Api, Admin, "/api/v1/users/999999"),
        new("POST", "/api/v1/users/", Door.Api, Admin, "/api/v1/users", Body: "{}"),
        new("PATCH", "/api/v1/users/{id:long}", Door.Api, Admin, "/api/v1/users/999999", Body: "{}"),
        new("PUT", "/api/v1/users/{id:long}/password", Door.Api, Admin, "/api/v1/users/999999/password", Body: "{}"),
        new("POST", "/api/v1/users/{id:long}/clients", Door.Api, Admin, "/api/v1/users/999999/clients", Body: "{}"),
        new("PUT", "/api/v1/users/{id:long}/accounts/{accountId:long}", Door.Api, Admin, "/api/v1/users/999999/accounts/1001"),
        new("GET", "/api/v1/risk/trading-statuses", Door.Api, RiskReaders),
        new("GET", "/api/v1/risk/trading-statuses/history", Door.Api, RiskReaders),
        new("PUT", "/api/v1/risk/trading-statuses/{scope}/{key}", Door.Api, RiskManagers, "/api/v1/risk/trading-statuses/account/999999", Body: "{}"),
        new("GET", "/api/v1/risk/limits", Door.Api, RiskReaders),
        new("GET", "/api/v1/risk/limits/{scope}/{key}/history", Door.Api, RiskReaders, "/api/v1/risk/limits/account/999999/history"),
        new("PUT", "/api/v1/risk/limits/{scope}/{key}", Door.Api, RiskManagers, "/api/v1/risk/limits/account/999999", Body: "{}"),
        new("GET", "/api/v1/risk/limit-proposals", Door.Api, RiskReaders),
        new("GET", "/api/v1/risk/limit-proposals/{id:long}", Door.Api, RiskReaders, "/api/v1/risk/limit-proposals/999999"),
        new("POST", "/api/v1/risk/limit-proposals/{id:long}/approve", Door.Api, RiskManagers, "/api/v1/risk/limit-proposals/999999/approve", Body: "{}"),
        new("POST", "/api/v1/risk/limit-proposals/{id:long}/reject", Door.Api, RiskManagers, "/api/v1/risk/limit-proposals/999999/reject", Body: "{}"),
        new("POST", "/api/v1/risk/options/analytics", Door.Api, RiskReaders, Body: "{}"),
        new("POST", "/api/v1/risk/var/what-if", Door.Api, RiskReaders, Body: "{}"),
        new("GET", "/api/v1/risk/exposure", Door.Api, AnyRole),
        new("GET", "/api/v1/risk/var", Door.Api, AnyRole),
        new("GET", "/api/v1/risk/price-history", Door.Api, AnyRole),
        new("POST", "/api/v1/risk/price-history", Door.Api, RiskManagers, Body: "{}"),
        new("GET", "/api/v1/risk/alerts", Door.Api, AnyRole),
        new("POST", "/api/v1/risk/alerts/{id:long}/acknowledge", Door.Api, RiskManagers, "/api/v1/risk/alerts/999999/acknowledge", Body: "{}"),
        new("GET", "/api/v1/accounts/{accountId}/cash", Door.Api, AnyRole, "/api/v1/accounts/1001/cash"),
        new("GET", "/api/v1/accounts/{accountId}/cash/movements", Door.Api, AnyRole, "/api/v1/accounts/1001/cash/movements"),
        new("POST", "/api/v1/accounts/{accountId}/cash/deposits", Door.Api, CashManagers, "/api/v1/accounts/999999/cash/deposits", Body: "{}"),
        new("POST", "/api/v1/accounts/{accountId}/cash/withdrawals", Door.Api, CashManagers, "/api/v1/accounts/999999/cash/withdrawals", Body: "{}"),
        new("GET", "/api/v1/admin/health", Door.Api, Admin),

        // The portal's own endpoints: sign-in, callback and the signed-out page are open; logout needs a session.
        new("GET", "/portal/signin", Door.Public, Anyone),
        new("GET", "/portal/callback", Door.Public, Anyone),
        new("GET", "/portal/signed-out", Door.Public, Anyone),
        // The language switch: a cookie and a redirect, before or after sign-in (the sign-in page has a language too).
        new("GET", "/portal/culture", Door.Public, Anyone, "/portal/culture?culture=ar&returnUrl=/portal"),
        new("POST", "/portal/logout", Door.Portal, AnyRole, Body: "form"),
        new("GET", "/portal/reports/runs/{id:long}/{kind}", Door.Portal, ReportRoles, "/portal/reports/runs/999999/pdf"),
        new("GET", "/portal/audit/export", Door.Portal, AuditRoles),

        // The portal's pages (GET renders; POST is a form post, refused here without its antiforgery token when allowed).
        new("GET", "/portal", Door.Portal, AnyRole),
        new("POST", "/portal", Door.Portal, AnyRole, Body: "form"),
        new("GET", "/portal/ticket", Door.Portal, Trader),
        new("POST", "/portal/ticket", Door.Portal, Trader, Body: "form"),
        new("GET", "/portal/blotter", Door.Portal, AnyRole),
        new("POST", "/portal/blotter", Door.Portal, AnyRole, Body: "form"),
        new("GET", "/portal/trades", Door.Portal, AnyRole),
        new("POST", "/portal/trades", Door.Portal, AnyRole, Body: "form"),
        new("GET", "/portal/positions", Door.Portal, AnyRole),
        new("POST", "/portal/positions", Door.Portal, AnyRole, Body: "form"),
        new("GET", "/portal/rules", Door.Portal, RulePackReaders),
        new("POST", "/portal/rules", Door.Portal, RulePackReaders, Body: "form"),
        new("GET", "/portal/rules/{PackId}", Door.Portal, RulePackReaders, "/portal/rules/sca"),
        new("POST", "/portal/rules/{PackId}", Door.Portal, RulePackReaders, "/portal/rules/sca", Body: "form"),
        new("GET", "/portal/inbox", Door.Portal, TaskRoles),
        new("POST", "/portal/inbox", Door.Portal, TaskRoles, Body: "form"),
        new("GET", "/portal/reports", Door.Portal, ReportRoles),
        new("POST", "/portal/reports", Door.Portal, ReportRoles, Body: "form"),
        new("GET", "/portal/audit", Door.Portal, AuditRoles),
        new("POST", "/portal/audit", Door.Portal, AuditRoles, Body: "form"),
        // An account's profile: every signed-in role may open the page (the API behind it answers a trader for their own accounts only).
        new("GET", "/portal/accounts/{AccountId:long}", Door.Portal, AnyRole, "/portal/accounts/1001"),
        new("POST", "/portal/accounts/{AccountId:long}", Door.Portal, AnyRole, "/portal/accounts/1001", Body: "form"),
        // The list of accounts: every signed-in role (a trader sees their own); onboarding, editing and the CSV import: operations and admins.
        new("GET", "/portal/accounts", Door.Portal, AnyRole),
        new("POST", "/portal/accounts", Door.Portal, AnyRole, Body: "form"),
        new("GET", "/portal/accounts/new", Door.Portal, AccountManagers),
        new("POST", "/portal/accounts/new", Door.Portal, AccountManagers, Body: "form"),
        new("GET", "/portal/accounts/{AccountId:long}/edit", Door.Portal, AccountManagers, "/portal/accounts/1001/edit"),
        new("POST", "/portal/accounts/{AccountId:long}/edit", Door.Portal, AccountManagers, "/portal/accounts/1001/edit", Body: "form"),
        new("GET", "/portal/accounts/import", Door.Portal, AccountManagers),
        new("POST", "/portal/accounts/import", Door.Portal, AccountManagers, Body: "form"),
        // Instruments: every signed-in role reads the list and a listing with its versions; listing, changing, delisting and the CSV
        // import: operations and admins.
        new("GET", "/portal/instruments", Door.Portal, AnyRole),
        new("POST", "/portal/instruments", Door.Portal, AnyRole, Body: "form"),
        new("GET", "/portal/instruments/{Symbol}", Door.Portal, AnyRole, "/portal/instruments/HRHO"),
        new("POST", "/portal/instruments/{Symbol}", Door.Portal, AnyRole, "/portal/instruments/HRHO", Body: "form"),
        new("GET", "/portal/instruments/new", Door.Portal, InstrumentManagers),
        new("POST", "/portal/instruments/new", Door.Portal, InstrumentManagers, Body: "form"),
        new("GET", "/portal/instruments/{Symbol}/edit", Door.Portal, InstrumentManagers, "/portal/instruments/HRHO/edit"),
        new("POST", "/portal/instruments/{Symbol}/edit", Door.Portal, InstrumentManagers, "/portal/instruments/HRHO/edit", Body: "form"),
        new("GET", "/portal/instruments/import", Door.Portal, InstrumentManagers),
        new("POST", "/portal/instruments/import", Door.Portal, InstrumentManagers, Body: "form"),
        // Venues and their calendars (issue 14): the list and a venue's calendar page (read, change, versions): operations and admins.
        new("GET", "/portal/venues", Door.Portal, InstrumentManagers),
        new("POST", "/portal/venues", Door.Portal, InstrumentManagers, Body: "form"),
        new("GET", "/portal/venues/{Code}/calendar", Door.Portal, InstrumentManagers, "/portal/venues/EGX/calendar"),
        new("POST", "/portal/venues/{Code}/calendar", Door.Portal, InstrumentManagers, "/portal/venues/EGX/calendar", Body: "form"),
        new("GET", "/portal/venues/{Code}/holidays/import", Door.Portal, InstrumentManagers, "/portal/venues/EGX/holidays/import"),
        new("POST", "/portal/venues/{Code}/holidays/import", Door.Portal, InstrumentManagers, "/portal/venues/EGX/holidays/import", Body: "form"),
        new("GET", "/portal/reference-prices", Door.Portal, ReferencePriceReaders),
        new("POST", "/portal/reference-prices", Door.Portal, ReferencePriceReaders, Body: "form"),
        new("GET", "/portal/reference-prices/{Date}", Door.Portal, ReferencePriceReaders, "/portal/reference-prices/2026-11-23"),
        new("POST", "/portal/reference-prices/{Date}", Door.Portal, ReferencePriceReaders, "/portal/reference-prices/2026-11-23", Body: "form"),
        new("GET", "/portal/reference-prices/fx-rates/import", Door.Portal, ReferencePriceManagers),
        new("POST", "/portal/reference-prices/fx-rates/import", Door.Portal, ReferencePriceManagers, Body: "form"),
        new("GET", "/portal/dividends", Door.Portal, ReferencePriceReaders),
        new("POST", "/portal/dividends", Door.Portal, ReferencePriceReaders, Body: "form"),
        new("GET", "/portal/splits", Door.Portal, ReferencePriceReaders),
        new("POST", "/portal/splits", Door.Portal, ReferencePriceReaders, Body: "form"),
        new("GET", "/portal/symbol-changes", Door.Portal, ReferencePriceReaders),
        new("POST", "/portal/symbol-changes", Door.Portal, ReferencePriceReaders, Body: "form"),
        new("GET", "/portal/risk", Door.Portal, RiskManagers),
        new("POST", "/portal/risk", Door.Portal, RiskManagers, Body: "form"),
        new("GET", "/portal/admin/users", Door.Portal, Admin),
        new("POST", "/portal/admin/users", Door.Portal, Admin, Body: "form"),
        new("GET", "/portal/admin/health", Door.Portal, Admin),
        new("POST", "/portal/admin/health", Door.Portal, Admin, Body: "form"),

        // An address under /portal that no page has: the portal's not-found page for any signed-in user, the sign-in otherwise.
        new("*", "/portal/{**path}", Door.Portal, AnyRole, "/portal/no-such-page", ProbeMethod: "GET"),

        // Blazor's circuit hub and redirect helper: a signed-in portal user of any role.
        new("*", "/_blazor", Door.Portal, AnyRole, ProbeMethod: "GET"),
        new("*", "/_blazor/negotiate", Door.Portal, AnyRole, "/_blazor/negotiate?negotiateVersion=1", ProbeMethod: "POST", Body: "form"),
        new("*", "/_blazor/disconnect/", Door.Portal, AnyRole, ProbeMethod: "POST", Body: "form"),
        new("*", "/_blazor/initializers/", Door.Portal, AnyRole, ProbeMethod: "GET"),
        new("GET", "/_framework/opaque-redirect", Door.Portal, AnyRole),

        // The Hangfire dashboard: admins, through the portal's sign-in.
        new("*", "/hangfire/{**path}", Door.Portal, Admin, "/hangfire", ProbeMethod: "GET"),
    ];

    [Fact]
    public async Task Every_endpoint_answers_each_role_as_the_table_says()
    {
        var mapped = MappedEndpoints();
        var rows = Expected.ToDictionary(r => Key(r.Method, r.Pattern));
        var missing = mapped.Where(e => !e.IsStaticFile && !rows.ContainsKey(e.Key)).Select(e => e.Key).ToList();
        Assert.True(missing.Count == 0,
            $"endpoints without a row in {nameof(AccessMatrixTests)}.{nameof(Expected)}: add one for each, with who may call it:\n  " +
            string.Join("\n  ", missing));
        var stale = rows.Keys.Except(mapped.Select(e => e.Key)).ToList();
        Assert.True(stale.Count == 0, $"rows for endpoints the host no longer maps (remove or correct them):\n  {string.Join("\n  ", stale)}");

        // Sessions first: the probes below post empty login forms, which count against the login throttle.
        var sessions = new Dictionary<string, BrowserFlow>();
        var apis = new Dictionary<string, ApiClient>();
        foreach (var (user, _) in Callers)
        {
            if (user.Length == 0)
            {
                sessions[user] = new BrowserFlow(_platform);
                apis[user] = _platform.Anonymous();
                continue;
            }
            var browser = new BrowserFlow(_platform);
            var home = await browser.SignInToPortalAsync("/portal", user);
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            sessions[user] = browser;
            apis[user] = await _platform.ClientForAsync(user);
        }

        var before = await _platform.CountRowsAsync();
        var failures = new List<string>();
        foreach (var row in Expected)
        {
            foreach (var (user, roles) in Callers)
            {
                var allowed = roles.Any(r => row.Allowed.Split(' ').Contains(r, StringComparer.Ordinal));
                var client = row.Door == Door.Portal ? sessions[user].Http : apis[user].Http;
                var (status, location) = await ProbeAsync(client, row);
                var verdict = Judge(row.Door, user.Length == 0, allowed, status, location);
                if (verdict is not null)
                {
                    failures.Add($"{row.Method} {row.Pattern} as {(user.Length == 0 ? "anonymous" : $"{user} ({string.Join(", ", roles)})")}: " +
                                 $"expected {(allowed ? "allowed" : "refused")}, got {(int)status}{(location is null ? "" : $" -> {location}")}: {verdict}");
                }
            }
        }

        foreach (var file in mapped.Where(e => e.IsStaticFile).Select(e => e.Pattern).Distinct())
        {
            var reply = await _platform.CreateClient().GetAsync("/" + file);
            if (reply.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"static file /{file} as anonymous: expected 200, got {(int)reply.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} calls answered against the matrix:\n  {string.Join("\n  ", failures)}");
        // Every probe was incomplete or aimed at nothing: the order path wrote nothing (the audit trail records sign-ins, not probes).
        var after = await _platform.CountRowsAsync();
        Assert.Equal((before.Orders, before.Events, before.Trades), (after.Orders, after.Events, after.Trades));
    }

    [Fact]
    public async Task A_trader_reaching_for_another_traders_orders_accounts_or_trades_by_id_is_refused_and_nothing_changes()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        // A trade between the two (trader2's 2001 sells to trader1's 1001), and a resting order of trader2's.
        var sell = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 86m, 10)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 86m, 10)).Expect(HttpStatusCode.Created);
        var resting = (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 87m, 10)).Expect(HttpStatusCode.Created);
        var restingBefore = (await trader2.GetAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("Accepted", resting.Str("status"));
        var before = await _platform.CountRowsAsync();

        // By id: the order does not exist for trader1 (404, not 403, so ids cannot be probed for existence).
        (await trader1.GetAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.NotFound);
        (await trader1.GetAsync($"/api/v1/orders/{resting.OrderId}/events")).Expect(HttpStatusCode.NotFound);
        (await trader1.PatchJsonAsync($"/api/v1/orders/{resting.OrderId}", new { quantity = 5 })).Expect(HttpStatusCode.NotFound);
        (await trader1.PatchJsonAsync($"/api/v1/orders/{resting.OrderId}", new { price = 87.5m })).Expect(HttpStatusCode.NotFound);
        (await trader1.DeleteAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.NotFound);
        (await trader1.GetAsync($"/api/v1/orders/{sell.OrderId}")).Expect(HttpStatusCode.NotFound);
        // By account: refused, naming the account.
        (await trader1.DeleteAsync("/api/v1/orders?accountId=2002")).Expect(HttpStatusCode.Forbidden);
        (await trader1.SubmitAsync(2002, "COMI.INT", "Buy", 87m, 10)).Expect(HttpStatusCode.Forbidden);
        (await trader1.PostJsonAsync("/api/v1/orders/check", new
        {
            accountId = 2002, clientOrderId = Guid.NewGuid().ToString("N"), symbol = "COMI.INT", side = "Buy", price = 87m, quantity = 10,
        })).Expect(HttpStatusCode.Forbidden);
        (await trader1.GetAsync("/api/v1/orders?accountId=2002")).Expect(HttpStatusCode.Forbidden);
        (await trader1.GetAsync("/api/v1/trades?accountId=2001")).Expect(HttpStatusCode.Forbidden);

        // The shared trade: trader1 sees their own side only; filtering by trader2's order finds nothing of trader2's.
        var trades = (await trader1.GetAsync("/api/v1/trades")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        var trade = Assert.Single(trades);
        Assert.Equal(1001L, trade!["buyAccountId"]!.GetValue<long>());
        Assert.Null(trade["sellAccountId"]);
        Assert.Null(trade["sellOrderId"]);
        var bySell = (await trader1.GetAsync($"/api/v1/trades?orderId={sell.OrderId}")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.All(bySell, t => Assert.Null(t!["sellAccountId"]));
        var accounts = (await trader1.GetAsync("/api/v1/accounts")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.DoesNotContain(accounts, a => a!["accountId"]!.GetValue<long>() is 2001 or 2002 or 2003);

        // Nothing changed: no row written, trader2's order exactly as it was, and still trader2's to cancel.
        Assert.Equal(before, await _platform.CountRowsAsync());
        Assert.Equal(restingBefore, (await trader2.GetAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK).Body);
        (await trader2.DeleteAsync($"/api/v1/orders/{resting.OrderId}")).Expect(HttpStatusCode.OK);
    }

    /// <summary>Why a reply breaks the row, or null when it keeps it.</summary>
    private static string? Judge(Door door, bool anonymous, bool allowed, HttpStatusCode status, string? location)
    {
        var toSignIn = status == HttpStatusCode.Redirect && location is not null &&
                       new Uri(new Uri("http://localhost"), location).PathAndQuery.StartsWith("/portal/signin", StringComparison.Ordinal);
        var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (door == Door.Portal && toSignIn);
        if (allowed)
        {
            return refused ? "refused a caller the table allows" : null;
        }
        if (!refused)
        {
            return "let in a caller the table refuses";
        }
        return (door, anonymous) switch
        {
            (Door.Api, true) when status != HttpStatusCode.Unauthorized => "the API answers 401 without a token",
            (Door.Api, false) when status != HttpStatusCode.Forbidden => "the API answers 403 to a role it refuses",
            // The circuit hub is called by script, not navigated to: the cookie handler answers it 401 rather than redirecting.
            (Door.Portal, true) when !toSignIn && status != HttpStatusCode.Unauthorized => "the portal sends a browser without a session to sign in",
            (Door.Portal, false) when status != HttpStatusCode.Forbidden => "the portal answers 403 to a role it refuses",
            _ => null,
        };
    }

    private static async Task<(HttpStatusCode Status, string? Location)> ProbeAsync(HttpClient client, Row row)
    {
        var method = new HttpMethod(row.ProbeMethod.Length > 0 ? row.ProbeMethod : row.Method);
        using var request = new HttpRequestMessage(method, row.Probe ?? row.Pattern);
        request.Content = row.Body switch
        {
            null => null,
            "form" => new FormUrlEncodedContent([]),
            var json => new StringContent(json, Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Headers.Location?.OriginalString);
    }

    private sealed record Mapped(string Key, string Pattern, bool IsStaticFile);

    private List<Mapped> MappedEndpoints()
    {
        _ = _platform.CreateClient();
        var result = new List<Mapped>();
        foreach (var endpoint in _platform.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            var isStatic = !pattern.Contains('{', StringComparison.Ordinal) && Path.HasExtension(pattern) && !pattern.StartsWith("/api", StringComparison.Ordinal);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods.Where(m => m != "HEAD"))
            {
                result.Add(new Mapped(Key(method, pattern), pattern.TrimStart('/'), isStatic));
            }
        }
        return result;
    }

    private static string Key(string method, string pattern) => $"{method} {pattern}";
}
