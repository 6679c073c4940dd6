using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using TradSys.Reporting.Catalogue;
using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;
using TradSys.Reporting.Reports;

namespace TradSys.Reporting;

/// <summary>A valid request for one report: which report, for which scope (venue or firm) and business day.</summary>
/// <param name="Report">The catalogue entry.</param>
/// <param name="Scope">The venue (or the firm) it is for.</param>
/// <param name="BusinessDate">The business day, in the scope's time zone.</param>
public sealed record ReportRequest(ReportDefinition Report, ReportScope Scope, DateOnly BusinessDate);

/// <summary>A rendered report.</summary>
/// <param name="Pdf">The PDF.</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of the PDF bytes.</param>
/// <param name="Data">The report's data as canonical JSON (UTF-8): the machine-readable twin of the PDF.</param>
/// <param name="DataSha256">SHA-256 of <paramref name="Data"/>, printed in every footer.</param>
/// <param name="Pages">Page count.</param>
/// <param name="FileName">A file name for downloads.</param>
/// <param name="Twin">The regulator's machine-readable file (the transaction reports' ISO 20022 XML), or null.</param>
public sealed record GeneratedReport(byte[] Pdf, string Sha256, byte[] Data, string DataSha256, int Pages, string FileName, ReportTwin? Twin = null);

/// <summary>A report's machine-readable file for the regulator's systems.</summary>
/// <param name="Content">The bytes.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="FileName">A file name for downloads.</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of <paramref name="Content"/>.</param>
public sealed record ReportTwin(byte[] Content, string ContentType, string FileName, string Sha256);

/// <summary>
/// Turns a <see cref="ReportRequest"/> into a PDF: reads the data through the port, hashes it,
/// builds the report's blocks and renders them. Stateless apart from the fonts; safe to share. The transaction reports
/// (MiFIR, EMIR) read through their own port and need the firm's LEI: <paramref name="transactions"/>, when the host has them.
/// </summary>
public sealed class ReportGenerator(IReportDataSource source, ReportFonts fonts, string firmName, TransactionReportInputs? transactions = null)
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>
    /// Checks a request as a person or program sends it. Returns the request, or the HTTP status
    /// (404 unknown report, 400 otherwise) and a message per field; <paramref name="now"/> decides
    /// what "in the future" means, in the scope's time zone.
    /// </summary>
    public static RequestCheck Check(string reportId, string? date, string? venue, DateTimeOffset now)
    {
        var report = ReportCatalogue.Find(reportId);
        if (report is null)
        {
            return RequestCheck.Fail(404, "reportId",
                $"there is no report '{reportId}'; the catalogue has: {string.Join(", ", ReportCatalogue.All.Select(r => r.Id))}");
        }
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        ReportScope? scope = null;
        if (report.PerVenue)
        {
            if (string.IsNullOrWhiteSpace(venue))
            {
                errors["venue"] = $"is required: '{report.Id}' is produced per venue ({string.Join(", ", report.Scopes.Select(s => s.Code))})";
            }
            else if ((scope = report.Scope(venue)) is null)
            {
                errors["venue"] = $"'{venue}' is not covered by '{report.Id}': it covers {string.Join(", ", report.Scopes.Select(s => s.Code))}";
            }
        }
        else if (!string.IsNullOrWhiteSpace(venue) && !string.Equals(venue, ReportScope.Firm, StringComparison.OrdinalIgnoreCase))
        {
            errors["venue"] = $"'{report.Id}' is firm-wide, not per venue: leave venue out";
        }
        else
        {
            scope = report.Scopes[0];
        }

        DateOnly day = default;
        if (string.IsNullOrWhiteSpace(date))
        {
            errors["date"] = "is required: the business day as yyyy-MM-dd";
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            errors["date"] = $"'{date}' is not a date in the form yyyy-MM-dd";
        }
        else if (scope is not null)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(scope.TimeZone);
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
            if (day > today)
            {
                errors["date"] = $"{date} is in the future: today in {scope.TimeZone} is {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
            }
        }
        return errors.Count > 0 ? new RequestCheck(null, 400, errors) : new RequestCheck(new ReportRequest(report, scope!, day), 200, errors);
    }

    /// <summary>Reads the data, renders the PDF and returns it with its checksums.</summary>
    public async Task<GeneratedReport> GenerateAsync(ReportRequest request, string reportRunId, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var transactionReport = await TransactionReports.LoadAsync(request, transactions, cancellationToken);
        var (data, blocks, subject) = transactionReport is { } t ? (t.Data, t.Blocks, t.Subject) : await LoadAsync(request, cancellationToken);
        var dataHash = Convert.ToHexStringLower(SHA256.HashData(data));
        var page = new PageTemplate(firmName, request.Scope.Regulator, request.Report.Title, subject, reportRunId, dataHash, generatedAt);
        using var renderer = new PdfRenderer(fonts);
        var (pdf, pages) = renderer.Render(new ReportDocument(page, blocks));
        var fileName = $"{request.Report.Id}_{request.Scope.Code}_{request.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}_{reportRunId}.pdf";
        var twin = transactionReport?.Twin is { } xml
            ? new ReportTwin(xml, "application/xml", Path.ChangeExtension(fileName, ".xml"), Convert.ToHexStringLower(SHA256.HashData(xml)))
            : null;
        return new GeneratedReport(pdf, Convert.ToHexStringLower(SHA256.HashData(pdf)), data, dataHash, pages, fileName, twin);
    }

    private async Task<(byte[] Data, IReadOnlyList<Block> Blocks, string Subject)> LoadAsync(ReportRequest request, CancellationToken ct)
    {
        var day = request.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        switch (request.Report.Id)
        {
            case ReportCatalogue.DailyTrades:
                var trades = await source.GetDailyTradesAsync(request.Scope.Code, request.BusinessDate, ct);
                return (JsonSerializer.SerializeToUtf8Bytes(trades, Canonical), DailyTradeReport.Build(trades),
                    $"{trades.Venue.Name} ({trades.Venue.Mic}), trading day {day}");
            case ReportCatalogue.ComplianceDecisions:
                var decisions = await source.GetComplianceDecisionsAsync(request.BusinessDate, request.Scope.TimeZone, ct);
                return (JsonSerializer.SerializeToUtf8Bytes(decisions, Canonical), ComplianceReport.Build(decisions),
                    $"Orders blocked or held for review by the compliance rule packs, {day} ({request.Scope.TimeZone})");
            case ReportCatalogue.AuditTrail:
                var audit = await source.GetAuditTrailAsync(request.BusinessDate, request.Scope.TimeZone, ct);
                return (JsonSerializer.SerializeToUtf8Bytes(audit, Canonical), AuditTrailReport.Build(audit),
                    $"Audit records of {day} ({request.Scope.TimeZone}) and the hash-chain verification");
            case ReportCatalogue.ShariaCompliance:
                // The data hashed and stored is the computed report (screens, purification lines, totals) with the facts it came from.
                var sharia = ShariaComplianceReport.Compute(await source.GetShariaInputsAsync(request.BusinessDate, request.Scope.TimeZone, ct));
                return (JsonSerializer.SerializeToUtf8Bytes(sharia, Canonical), ShariaComplianceReport.Build(sharia),
                    $"Sharia-only accounts: holdings screened, Sharia-pack blocks and dividend purification, {day} ({request.Scope.TimeZone})");
            case ReportCatalogue.FatcaAccounts:
                var fatca = FatcaAccountReport.Compute(await source.GetFatcaInputsAsync(request.BusinessDate, request.Scope.TimeZone, ct));
                return (JsonSerializer.SerializeToUtf8Bytes(fatca, Canonical), FatcaAccountReport.Build(fatca),
                    $"FATCA accounts, calendar year {request.BusinessDate.Year} to {day} ({request.Scope.TimeZone})");
            case ReportCatalogue.DailyRisk:
                var risk = await source.GetDailyRiskAsync(request.BusinessDate, request.Scope.TimeZone, ct);
                return (JsonSerializer.SerializeToUtf8Bytes(risk, Canonical), DailyRiskReport.Build(risk),
                    $"Limits breached, VaR by account with its backtest, largest exposures, {day} ({request.Scope.TimeZone})");
            default:
                throw new NotSupportedException($"report '{request.Report.Id}' has no builder");
        }
    }
}

/// <summary>The outcome of <see cref="ReportGenerator.Check"/>.</summary>
/// <param name="Request">The valid request, or null.</param>
/// <param name="Status">200 when valid; 404 for an unknown report; 400 for bad fields.</param>
/// <param name="Errors">Field name to message.</param>
public sealed record RequestCheck(ReportRequest? Request, int Status, IReadOnlyDictionary<string, string> Errors)
{
    internal static RequestCheck Fail(int status, string field, string message) =>
        new(null, status, new Dictionary<string, string>(StringComparer.Ordinal) { [field] = message });
}
