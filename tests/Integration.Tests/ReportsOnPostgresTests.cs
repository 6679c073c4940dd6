using System.Globalization;
using System.Net;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using UglyToad.PdfPig;

namespace TradSys.Integration.Tests;

/// <summary>
/// The daily ADX trade report as a scheduled Hangfire job on PostgreSQL storage, after trades sent
/// through the API: the recurring job exists with its Dubai schedule, runs, stores one PDF whose
/// figures are the database's, and a second run of the same day adds nothing.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class ReportsOnPostgresTests : IAsyncLifetime
{
    // Monday 2026-11-23 09:00 UTC: 13:00 in Abu Dhabi, continuous trading.
    private readonly ProductionPlatformFactory _platform = new() { Clock = { Fixed = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero) } };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task The_scheduled_daily_ADX_report_runs_under_Hangfire_on_PostgreSQL_and_matches_the_database()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 200)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 100)).Expect(HttpStatusCode.Created);

        var storage = _platform.Services.GetRequiredService<JobStorage>();
        const string jobId = "report:daily-trades:ADX";
        using (var connection = storage.GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == jobId);
            Assert.Equal("0 16 * * 1,2,3,4,5", job.Cron);
            Assert.Equal("Asia/Dubai", job.TimeZoneId);
        }

        await RunRecurringAsync(storage, jobId);
        await RunRecurringAsync(storage, jobId);

        await using var scope = _platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var run = await db.GeneratedReports.AsNoTracking().SingleAsync(r => r.ReportId == "daily-trades" && r.Scope == "ADX");
        Assert.Equal(ReportRunStatus.Succeeded, run.Status);
        Assert.Equal("schedule", run.Trigger);
        Assert.Equal(new DateOnly(2026, 11, 23), run.BusinessDate);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(run.Content!)), run.Sha256);

        var trades = await db.Trades.AsNoTracking().Where(t => t.Symbol == "FAB").ToListAsync();
        Assert.Equal(2, trades.Count);
        using var pdf = PdfDocument.Open(run.Content!);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        var value = trades.Sum(t => t.Price * t.Quantity).ToString("N2", CultureInfo.InvariantCulture);
        Assert.Contains($"Trades{trades.Count}", text, StringComparison.Ordinal);
        Assert.Contains($"Valuetraded{value}AED", text, StringComparison.Ordinal);
        Assert.Contains("SCA—SecuritiesandCommoditiesAuthority(UAE)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scheduled_Sharia_and_FATCA_reports_run_under_Hangfire_on_PostgreSQL_with_the_purification_of_the_database()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "ETEL", "Sell", 38.00m, 100)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1003, "ETEL", "Buy", 38.00m, 100)).Expect(HttpStatusCode.Created);
        // Tuesday evening in Dubai, after both closes: ETEL went ex that day.
        _platform.Clock.Fixed = new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero);
        decimal ratio, egp;
        await using (var scope = _platform.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
            var exDate = new DateOnly(2026, 11, 24);
            db.Dividends.Add(new Dividend
            {
                Symbol = "ETEL", ExDate = exDate, RecordDate = exDate.AddDays(1), PaymentDate = exDate.AddDays(14), AmountPerShare = 7.50m,
                Currency = "EGP", Source = "test",
            });
            await db.SaveChangesAsync();
            var etel = await db.Instruments.AsNoTracking().SingleAsync(i => i.Symbol == "ETEL");
            ratio = etel.Sharia.NonPermissibleIncome / etel.Sharia.TotalRevenue;
            egp = (await db.FxRates.AsNoTracking().SingleAsync(r => r.Currency == "EGP")).UsdPerUnit;
        }

        var storage = _platform.Services.GetRequiredService<JobStorage>();
        foreach (var id in new[] { "report:sharia-compliance:FIRM", "report:fatca-accounts:FIRM" })
        {
            using (var connection = storage.GetConnection())
            {
                var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == id);
                Assert.Equal("0 18 * * 0,1,2,3,4,5,6", job.Cron);
                Assert.Equal("Asia/Dubai", job.TimeZoneId);
            }
            await RunRecurringAsync(storage, id);
        }

        await using var check = _platform.Services.CreateAsyncScope();
        var runs = await check.ServiceProvider.GetRequiredService<TradSysDbContext>().GeneratedReports.AsNoTracking()
            .Where(r => r.ReportId == "sharia-compliance" || r.ReportId == "fatca-accounts").ToListAsync();
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal((ReportRunStatus.Succeeded, new DateOnly(2026, 11, 24)), (r.Status, r.BusinessDate)));
        using var pdf = PdfDocument.Open(runs.Single(r => r.ReportId == "sharia-compliance").Content!);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        var purification = Math.Round(100 * 7.50m * ratio, 2, MidpointRounding.AwayFromZero);
        var usd = Math.Round(purification * egp, 2, MidpointRounding.AwayFromZero);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{purification:N2}EGP{usd:N2}"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scheduled_daily_risk_report_runs_under_Hangfire_on_PostgreSQL_with_the_VaR_of_the_positions()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        var risk = await _platform.ClientForAsync("risk1");
        // In the account's base currency, as the report gives it.
        var mine = (await risk.GetAsync("/api/v1/risk/var?accountId=1001&method=historical&horizon=1&confidence=0.99")).Expect(HttpStatusCode.OK).Json;
        var var = mine["valueAtRisk"]!.GetValue<decimal>();
        // Monday evening in Dubai, after both closes.
        _platform.Clock.Fixed = new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

        var storage = _platform.Services.GetRequiredService<JobStorage>();
        const string jobId = "report:daily-risk:FIRM";
        using (var connection = storage.GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == jobId);
            Assert.Equal("0 18 * * 0,1,2,3,4,5,6", job.Cron);
            Assert.Equal("Asia/Dubai", job.TimeZoneId);
        }
        await RunRecurringAsync(storage, jobId);

        await using var check = _platform.Services.CreateAsyncScope();
        var run = await check.ServiceProvider.GetRequiredService<TradSysDbContext>().GeneratedReports.AsNoTracking()
            .SingleAsync(r => r.ReportId == "daily-risk");
        Assert.Equal((ReportRunStatus.Succeeded, new DateOnly(2026, 11, 23)), (run.Status, run.BusinessDate));
        using var pdf = PdfDocument.Open(run.Content!);
        var text = string.Concat(pdf.GetPages().Select(p => p.Text)).Replace(" ", "", StringComparison.Ordinal);
        Assert.Contains("Dailyriskreport", text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{var:N2}"), text, StringComparison.Ordinal);
        Assert.Contains("FAB30015.50Last4,650.00AED", text, StringComparison.Ordinal);
    }

    /// <summary>Triggers the recurring job now and waits for Hangfire to finish it.</summary>
    internal static async Task RunRecurringAsync(JobStorage storage, string recurringId)
    {
        string? before;
        using (var connection = storage.GetConnection())
        {
            before = connection.GetRecurringJobs().Single(j => j.Id == recurringId).LastJobId;
        }
        new RecurringJobManager(storage).Trigger(recurringId);
        var monitoring = storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            using (var connection = storage.GetConnection())
            {
                var last = connection.GetRecurringJobs().Single(j => j.Id == recurringId).LastJobId;
                if (last is not null && last != before)
                {
                    var state = monitoring.JobDetails(last)?.History.FirstOrDefault()?.StateName;
                    if (state == "Succeeded")
                    {
                        return;
                    }
                    Assert.NotEqual("Failed", state);
                }
            }
            await Task.Delay(250);
        }
        Assert.Fail($"recurring job {recurringId} did not succeed in time");
    }
}
