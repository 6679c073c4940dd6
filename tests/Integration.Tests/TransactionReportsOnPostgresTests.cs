using System.Net;
using System.Xml.Linq;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Integration.Tests;

/// <summary>
/// The T+1 MiFID II transaction report as a scheduled Hangfire job on PostgreSQL: trades on Monday, the job on Tuesday
/// morning in Dubai reports Monday, and stores the auth.016 XML twin with its checksum beside the PDF.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class TransactionReportsOnPostgresTests : IAsyncLifetime
{
    private readonly ProductionPlatformFactory _platform = new() { Clock = { Fixed = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero) } };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task The_scheduled_mifid_report_the_morning_after_reports_the_day_before_with_its_xml_twin()
    {
        var trader1 = await _platform.ClientForAsync("trader1");
        var trader2 = await _platform.ClientForAsync("trader2");
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.00m, 30)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1004, "COMI.INT", "Buy", 80.00m, 30)).Expect(HttpStatusCode.Created);

        var storage = _platform.Services.GetRequiredService<JobStorage>();
        const string jobId = "report:mifid-transactions:FIRM";
        using (var connection = storage.GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == jobId);
            Assert.Equal("0 7 * * 0,1,2,3,4,5,6", job.Cron);
            Assert.Equal("Asia/Dubai", job.TimeZoneId);
        }

        // Tuesday 07:00 in Dubai.
        _platform.Clock.Fixed = new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
        await ReportsOnPostgresTests.RunRecurringAsync(storage, jobId);

        await using var scope = _platform.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
        var run = await db.GeneratedReports.AsNoTracking().SingleAsync(r => r.ReportId == "mifid-transactions");
        Assert.Equal(ReportRunStatus.Succeeded, run.Status);
        Assert.Equal(new DateOnly(2026, 11, 23), run.BusinessDate);
        Assert.Equal("application/xml", run.TwinContentType);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(run.Twin!)), run.TwinSha256);
        var trade = await db.Trades.AsNoTracking().SingleAsync(t => t.Symbol == "COMI.INT");
        XNamespace ns = "urn:iso:std:iso:20022:tech:xsd:auth.016.001.01";
        var tx = Assert.Single(XDocument.Load(new MemoryStream(run.Twin!)).Descendants(ns + "New"));
        Assert.Equal($"TS20261123T{trade.Id}B", tx.Element(ns + "TxId")!.Value);
    }
}
