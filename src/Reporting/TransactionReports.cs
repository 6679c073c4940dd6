using System.Globalization;
using System.Text.Json;
using TradSys.Reporting.Catalogue;
using TradSys.Reporting.Documents;
using TradSys.Reporting.Reports;
using TradSys.Reporting.TransactionReporting;

namespace TradSys.Reporting;

/// <summary>What the transaction reports need from the host: their data port and the firm's identity.</summary>
/// <param name="Source">The day's trades with their reference data.</param>
/// <param name="Firm">The firm's LEI and MiFID branches (configuration).</param>
public sealed record TransactionReportInputs(ITransactionReportSource Source, ReportingFirm Firm);

/// <summary>Loads the regulatory transaction reports (MiFIR, EMIR): data, blocks, subject and the XML twin.</summary>
internal static class TransactionReports
{
    private static readonly JsonSerializerOptions Canonical = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    internal sealed record Loaded(byte[] Data, IReadOnlyList<Block> Blocks, string Subject, byte[] Twin);

    /// <summary>The report, or null when the request is not for a transaction report.</summary>
    public static async Task<Loaded?> LoadAsync(ReportRequest request, TransactionReportInputs? inputs, CancellationToken ct)
    {
        if (request.Report.Id is not (ReportCatalogue.MifidTransactions or ReportCatalogue.EmirDerivatives))
        {
            return null;
        }
        if (inputs is null)
        {
            throw new InvalidOperationException($"'{request.Report.Id}' needs the transaction-reporting data source and the firm's LEI; this host has none");
        }
        if (inputs.Firm.Problem is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        var day = request.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var trades = await inputs.Source.GetTransactionsAsync(request.BusinessDate, request.Scope.TimeZone, ct);
        if (request.Report.Id == ReportCatalogue.EmirDerivatives)
        {
            var emir = EmirDerivatives.Build(trades, inputs.Firm, NationalClientIdentifiers.Annex2);
            return new Loaded(JsonSerializer.SerializeToUtf8Bytes(emir, Canonical), EmirDerivativesReport.Build(emir),
                $"Derivative trades executed on {day} ({request.Scope.TimeZone}) reportable under EMIR Art 9; submitted T+1", Auth030Writer.Write(emir));
        }
        var mifid = MifidTransactions.Build(trades, inputs.Firm, NationalClientIdentifiers.Annex2);
        return new Loaded(JsonSerializer.SerializeToUtf8Bytes(mifid, Canonical), MifidTransactionReport.Build(mifid),
            $"Transactions reportable under MiFIR Art 26 executed on {day} ({request.Scope.TimeZone}); submitted T+1", Auth016Writer.Write(mifid));
    }
}
