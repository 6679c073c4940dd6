using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using TradSys.Web.Tests.Support;
using UglyToad.PdfPig;

namespace TradSys.Web.Tests.Reports;

/// <summary>A trading day on ADX and EGX through the API, and helpers to run and read reports.</summary>
public static partial class ReportScenario
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 13:00 in Abu Dhabi and 11:00 in Cairo, both in continuous trading.</summary>
    public static readonly DateTimeOffset MarketTime = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    public const string Day = "2026-11-23";

    /// <summary>Orders on ADX and EGX that trade, one the FATCA pack blocks, one held for SCA approval.</summary>
    public static async Task TradeAsync(PlatformFactory platform)
    {
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        // ADX: 2001 sells FAB it has borrowed (eligible list), 1001 buys; then 1001 sells part back.
        (await trader2.SubmitAsync(2001, "FAB", "Sell", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 300)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "FAB", "Sell", 15.60m, 120)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "FAB", "Buy", 15.60m, 120)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "ALDAR", "Sell", 8.10m, 1000)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1002, "ALDAR", "Buy", 8.10m, 1000)).Expect(HttpStatusCode.Created);
        // EGX: 1002 buys ETEL from 2001.
        (await trader1.SubmitAsync(1002, "ETEL", "Buy", 38.00m, 50)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "ETEL", "Sell", 38.00m, 50)).Expect(HttpStatusCode.Created);
        // Blocked: FATCA, US indicia without a W-9 (account 2002).
        (await trader2.SubmitAsync(2002, "FAB", "Buy", 15.50m, 10)).Expect(HttpStatusCode.Created);
        // Held: over AED 30m on ADX needs SCA approval.
        (await trader1.SubmitAsync(1001, "FAB", "Buy", 15.50m, 2_000_000)).Expect(HttpStatusCode.Created);
    }

    public static async Task<Reply> RunAsync(ApiClient client, string report, object body) =>
        await client.PostJsonAsync($"/api/v1/reports/{report}/runs", body);

    /// <summary>
    /// Polls the run until it has succeeded (the in-memory Hangfire server runs it). The bound is generous: xUnit runs many
    /// test classes at once, each with its own platform and job server, and on a loaded 2-core machine a queued job has waited
    /// over a minute for a worker. The bound keeps a run that never starts from hanging the suite; it says nothing of speed.
    /// </summary>
    public static async Task<Reply> WaitAsync(ApiClient client, long id)
    {
        Reply? last = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            var reply = last = (await client.GetAsync($"/api/v1/reports/runs/{id}")).Expect(HttpStatusCode.OK);
            var status = reply.Str("status");
            if (status == "Succeeded")
            {
                return reply;
            }
            Assert.True(status is "Queued" or "Running" or "Failed", $"unexpected status: {reply.Body}");
            if (status == "Failed" && reply.Long("attempts") >= 4)
            {
                Assert.Fail($"report run failed: {reply.Body}");
            }
            await Task.Delay(200);
        }
        Assert.Fail($"report run {id} did not finish in 3 minutes; last status: {last?.Body}");
        return null!;
    }

    /// <summary>Downloads the PDF, checks content type and checksum header, and returns the bytes.</summary>
    public static async Task<byte[]> DownloadAsync(ApiClient client, long id)
    {
        using var response = await client.Http.GetAsync($"/api/v1/reports/runs/{id}/pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var header = response.Headers.GetValues("X-Content-SHA256").Single();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), header);
        return bytes;
    }

    /// <summary>All pages' text with whitespace removed (PdfPig joins letters; spacing is layout, not content).</summary>
    public static string Text(byte[] pdf)
    {
        using var doc = PdfDocument.Open(pdf);
        return Squash(string.Concat(doc.GetPages().Select(p => p.Text)));
    }

    public static string Squash(string text) => Spaces().Replace(text, "");

    public static string Money(decimal value) => value.ToString("N2", CultureInfo.InvariantCulture);
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
