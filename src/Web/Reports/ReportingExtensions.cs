using System.Globalization;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TradSys.Reporting.Catalogue;
using TradSys.Reporting.Documents;

namespace TradSys.Web.Reports;

/// <summary>
/// The report fonts, looked up once at start-up. Missing fonts do not stop the platform (trading
/// does not need them): the problem is logged once, the <c>reporting</c> health check is unhealthy
/// with it, and report generation is refused with it.
/// </summary>
public sealed class ReportingFonts(FontCheck check, string firmName)
{
    public ReportFonts? Fonts => check.Fonts;
    public string? Problem => check.Problem;
    public string FirmName => firmName;
}

internal sealed class ReportingHealthCheck(ReportingFonts fonts) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(fonts.Problem is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy("report fonts found"));
}

public static class ReportingExtensions
{
    /// <summary>Registers the reporting module: fonts, the data-source port, runs, jobs, health check.</summary>
    public static IHostApplicationBuilder AddReporting(this IHostApplicationBuilder builder)
    {
        var firm = builder.Configuration["Reporting:FirmName"] ?? "TradSys Demo Brokerage";
        var families = builder.Configuration.GetSection("Reporting:Fonts").Get<FontFamilies>() ?? ReportFonts.Default;
        builder.Services.AddSingleton(sp =>
        {
            var check = ReportFonts.Load(families);
            if (check.Problem is { } problem)
            {
                sp.GetRequiredService<ILogger<ReportingFonts>>().LogError("{Problem}", problem);
            }
            return new ReportingFonts(check, firm);
        });
        builder.Services.AddScoped<EfReportDataSource>();
        builder.Services.AddSingleton(TransactionReportingSettings.From(builder.Configuration));
        builder.Services.AddScoped<EfTransactionReportSource>();
        builder.Services.AddScoped<ReportRuns>();
        builder.Services.AddScoped<ReportGenerationJob>();
        builder.Services.AddScoped<ScheduledReportJob>();
        builder.Services.AddHealthChecks().AddCheck<ReportingHealthCheck>("reporting", tags: ["reporting"]);
        return builder;
    }

    /// <summary>
    /// One Hangfire recurring job per report and scope, in the scope's time zone after the close, on
    /// its trading days (AddOrUpdate by id: idempotent). Also checks the fonts now, so a missing font
    /// is logged at start-up rather than at the first report.
    /// </summary>
    public static void AddReportSchedules(this IRecurringJobManager jobs, IServiceProvider services)
    {
        _ = services.GetRequiredService<ReportingFonts>();
        if (services.GetRequiredService<TransactionReportingSettings>().Problem is { } firm)
        {
            services.GetRequiredService<ILogger<TransactionReportingSettings>>().LogError("{Problem}", firm);
        }
        foreach (var report in ReportCatalogue.All)
        {
            foreach (var scope in report.Scopes)
            {
                var (id, code) = (report.Id, scope.Code);
                jobs.AddOrUpdate<ScheduledReportJob>(ScheduledReportJob.JobId(report, scope), j => j.RunAsync(id, code, CancellationToken.None),
                    Cron(scope), new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(scope.TimeZone) });
            }
        }
    }

    /// <summary>The cron expression of a scope's schedule: minute, hour, every day of the month, the scope's days of the week.</summary>
    public static string Cron(ReportScope scope) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{scope.RunAt.Minute} {scope.RunAt.Hour} * * {string.Join(',', scope.Days.Order().Select(d => (int)d))}");

    /// <summary>Health of the reporting module alone (never part of /health/ready: missing fonts must not take a trading node out).</summary>
    public static IEndpointRouteBuilder MapReportingHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/reporting", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("reporting"),
            ResponseWriter = async (http, report) =>
            {
                http.Response.ContentType = "application/json";
                var entry = report.Entries.Values.FirstOrDefault();
                await http.Response.WriteAsJsonAsync(new { status = report.Status.ToString(), reporting = entry.Status.ToString(), detail = entry.Description });
            },
        }).AllowAnonymous();
        return app;
    }
}
