using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using TradSys.Web.CorporateActions;
using TradSys.Web.Hosting;
using TradSys.Web.ReferenceData;
using TradSys.Web.Reports;

namespace TradSys.Web.Jobs;

/// <summary>Hangfire: in-memory storage in the embedded mode, PostgreSQL in production.</summary>
public static class JobsExtensions
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var options = PlatformOptions.From(builder.Configuration);
        // This host's own storage, not the process-wide JobStorage.Current that Hangfire.AspNetCore would hand out:
        // with several hosts in one process (the test factories), Current is whichever configured last, and jobs
        // enqueued by one host would run (or wait forever) in another's storage.
        JobStorage? storage = null;
        builder.Services.AddSingleton(sp =>
        {
            _ = sp.GetRequiredService<IGlobalConfiguration>();
            return storage ?? throw new InvalidOperationException("Hangfire storage was not configured");
        });
        // Likewise this host's own job activator: AddHangfire registers JobActivator.Current, which every host overwrites
        // when it configures Hangfire, so a job enqueued by one host could be activated in another host's service provider
        // (its database, its writer) and finish there while its own run stayed queued (seen: a report run "Queued" for
        // nine minutes while other test hosts started and stopped).
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire(cfg =>
        {
            cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings()
                .UseLogProvider(HostsLogProvider.Instance);
            if (options.Jobs == JobStorageKind.Postgres)
            {
                var cs = builder.Configuration.GetConnectionString("Hangfire") ?? builder.Configuration.GetConnectionString("Postgres")
                    ?? throw new InvalidOperationException(
                        "Platform:Jobs is Postgres but neither ConnectionStrings:Hangfire nor ConnectionStrings:Postgres is set.");
                storage = cfg.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(cs)).Entry;
            }
            else
            {
                storage = cfg.UseInMemoryStorage().Entry;
            }
        });
        builder.Services.AddHangfireServer(o => o.WorkerCount = Math.Max(2, Environment.ProcessorCount));
        builder.Services.AddScoped<AuditChainVerificationJob>();
        builder.Services.AddScoped<ReferencePriceCloseJob>();
        builder.Services.AddScoped<DividendPayments>();
        builder.Services.AddScoped<DividendPaymentJob>();
        builder.Services.AddScoped<SplitApplications>();
        builder.Services.AddScoped<SplitApplyJob>();
        builder.Services.AddScoped<SymbolChangeApplications>();
        builder.Services.AddScoped<SymbolChangeApplyJob>();
        builder.Services.AddHostedService<UnfinishedJobRecovery>();
        builder.Services.AddHostedService<HostsLogProvider.Registration>();
        return builder;
    }

    /// <summary>Registers the recurring jobs (idempotent: AddOrUpdate by id).</summary>
    public static WebApplication UseRecurringJobs(this WebApplication app)
    {
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        jobs.AddOrUpdate<AuditChainVerificationJob>(AuditChainVerificationJob.Id, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        // Each venue's reference prices and the day's FX rates once its day is over (idempotent per day: docs/risk.md); 0 switches it off.
        var minutes = app.Configuration.GetValue("ReferencePrices:CloseJobMinutes", ReferencePriceCloseJob.IntervalMinutes);
        if (minutes is < 0 or > 59)
        {
            throw new InvalidOperationException($"ReferencePrices:CloseJobMinutes is {minutes}: give 1 to 59 minutes, or 0 to switch the close job off");
        }
        if (minutes == 0)
        {
            jobs.RemoveIfExists(ReferencePriceCloseJob.Id);
        }
        else
        {
            jobs.AddOrUpdate<ReferencePriceCloseJob>(ReferencePriceCloseJob.Id, j => j.RunAsync(CancellationToken.None), $"*/{minutes} * * * *");
        }
        // Due cash dividends paid to their entitled accounts (idempotent per account: docs/back-office.md); 0 switches it off.
        var dividendMinutes = app.Configuration.GetValue("CorporateActions:DividendJobMinutes", DividendPaymentJob.IntervalMinutes);
        if (dividendMinutes is < 0 or > 59)
        {
            throw new InvalidOperationException($"CorporateActions:DividendJobMinutes is {dividendMinutes}: give 1 to 59 minutes, or 0 to switch the dividend job off");
        }
        if (dividendMinutes == 0)
        {
            jobs.RemoveIfExists(DividendPaymentJob.Id);
        }
        else
        {
            jobs.AddOrUpdate<DividendPaymentJob>(DividendPaymentJob.Id, j => j.RunAsync(CancellationToken.None), $"*/{dividendMinutes} * * * *");
        }
        // Due stock splits applied between sessions (once: docs/back-office.md); 0 switches it off.
        var splitMinutes = app.Configuration.GetValue("CorporateActions:SplitJobMinutes", SplitApplyJob.IntervalMinutes);
        if (splitMinutes is < 0 or > 59)
        {
            throw new InvalidOperationException($"CorporateActions:SplitJobMinutes is {splitMinutes}: give 1 to 59 minutes, or 0 to switch the split job off");
        }
        if (splitMinutes == 0)
        {
            jobs.RemoveIfExists(SplitApplyJob.Id);
        }
        else
        {
            jobs.AddOrUpdate<SplitApplyJob>(SplitApplyJob.Id, j => j.RunAsync(CancellationToken.None), $"*/{splitMinutes} * * * *");
        }
        // Due symbol changes applied between sessions (once: docs/back-office.md); 0 switches it off.
        var symbolChangeMinutes = app.Configuration.GetValue("CorporateActions:SymbolChangeJobMinutes", SymbolChangeApplyJob.IntervalMinutes);
        if (symbolChangeMinutes is < 0 or > 59)
        {
            throw new InvalidOperationException($"CorporateActions:SymbolChangeJobMinutes is {symbolChangeMinutes}: give 1 to 59 minutes, or 0 to switch the symbol change job off");
        }
        if (symbolChangeMinutes == 0)
        {
            jobs.RemoveIfExists(SymbolChangeApplyJob.Id);
        }
        else
        {
            jobs.AddOrUpdate<SymbolChangeApplyJob>(SymbolChangeApplyJob.Id, j => j.RunAsync(CancellationToken.None), $"*/{symbolChangeMinutes} * * * *");
        }
        jobs.AddReportSchedules(app.Services);
        return app;
    }
}
