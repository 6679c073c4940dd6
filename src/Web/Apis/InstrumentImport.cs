using System.Text.Json;
using K = TradSys.Web.Apis.CsvImport.Kind;

namespace TradSys.Web.Apis;

/// <summary>One problem of an instrument import: the line of the file (the header is line 1), the column, and what is wrong.</summary>
public sealed record InstrumentImportProblem(int Line, string Column, string Message);

/// <summary>
/// One line of an instrument import: the symbol, what it does (<c>List</c> a new instrument, <c>Change</c> a listed one's fields, or
/// <c>Unchanged</c> when it sends what is stored), the fields it changes, and the version it makes (in a dry run, the version it
/// would make).
/// </summary>
public sealed record InstrumentImportLine(int Line, string Symbol, string Action, IReadOnlyList<string> ChangedFields, int Version);

/// <summary>The answer to an import without problems: whether it was a dry run (nothing written), the counts, and every line in the order of the file.</summary>
public sealed record InstrumentImportResponse(bool DryRun, int Listed, int Changed, int Unchanged, IReadOnlyList<InstrumentImportLine> Lines);

/// <summary>
/// Reads a CSV file of listings (<see cref="CsvImport"/>: RFC 4180, UTF-8) into <see cref="InstrumentRequest"/>s, one per line after
/// the header. The columns are the request's fields by their JSON name (<see cref="Columns"/>), the Sharia inputs as
/// <c>sharia.totalDebt</c> and so on, in any order, plus <c>version</c>: the version a line that changes a listed instrument
/// expects (optional). Pure: the endpoint checks each request with <see cref="InstrumentForm"/> and sends the import to the writer.
/// </summary>
internal static class InstrumentImport
{
    /// <summary>The largest file taken (413 beyond it).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The most lines one import takes (400 beyond it): one batch of the writer, one answer listing every problem.</summary>
    public const int MaxInstruments = 500;

    private static readonly CsvImport.Layout Layout = new(
    [
        ("symbol", K.Text), ("version", K.WholeNumber), ("isin", K.Text), ("name", K.Text), ("nameAr", K.Text), ("venue", K.Text),
        ("currency", K.Text), ("sector", K.Text), ("lotSize", K.WholeNumber), ("referencePrice", K.Amount), ("issuedShares", K.WholeNumber),
        ("averageDailyVolume", K.WholeNumber), ("isOnShortSellEligibleList", K.Flag), ("foreignOwnershipLimitPct", K.Amount),
        ("foreignHoldingPct", K.Amount), ("isComplex", K.Flag), ("isLiquid", K.Flag), ("isRestricted", K.Flag), ("isOnThresholdList", K.Flag),
        ("isUsSource", K.Flag), ("isInterestBearing", K.Flag), ("isDerivative", K.Flag), ("isOtc", K.Flag), ("assetClass", K.Text),
        ("underlyingIsin", K.Text), ("expiresOn", K.Date), ("priceMultiplier", K.Amount), ("tradedOnEuVenue", K.Flag),
        ("firdsCheckedOn", K.Date), ("nextFinancialStatementsOn", K.Date), ("reportingSource", K.Text),
        ("sharia.totalDebt", K.Amount), ("sharia.cashAndInterestBearingSecurities", K.Amount), ("sharia.receivables", K.Amount),
        ("sharia.nonPermissibleIncome", K.Amount), ("sharia.totalRevenue", K.Amount), ("sharia.marketCap", K.Amount),
        ("sharia.averageMarketCap36M", K.Amount), ("sharia.totalAssets", K.Amount), ("sharia.reportingCurrency", K.Text),
        ("sharia.asOf", K.Date), ("sharia.source", K.Text), ("reason", K.Text),
    ],
    ["symbol", "isin", "name", "sector", "lotSize"], "instrument", MaxInstruments);

    /// <summary>The columns a file may have, in the order of the documented header.</summary>
    public static IReadOnlyList<string> Columns => Layout.Names;

    /// <summary>The columns every file must have: the fields every listing needs, new or changed.</summary>
    public static IReadOnlyList<string> RequiredColumns => Layout.Required;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    /// <summary>One line of the file read as a request: its line number, the request (its Version the expected version) and the columns whose cells could not be read.</summary>
    public sealed record Row(int Line, InstrumentRequest Request, IReadOnlySet<string> UnreadColumns);

    /// <summary>Reads the file; <paramref name="reason"/> stands for the reason of every line whose reason cell is empty (or that has no reason column).</summary>
    public static (List<Row> Rows, List<InstrumentImportProblem> Problems) Read(string csv, string? reason)
    {
        var (lines, read) = CsvImport.Read(csv, Layout);
        var problems = read.Select(p => new InstrumentImportProblem(p.Line, p.Column, p.Message)).ToList();
        var rows = new List<Row>(lines.Count);
        foreach (var line in lines)
        {
            var json = line.Fields;
            if (!json.ContainsKey("reason") && !string.IsNullOrWhiteSpace(reason))
            {
                json["reason"] = reason.Trim();
            }
            if (json["version"] is { } version && (version.GetValue<long>() is < 0 or > int.MaxValue))
            {
                problems.Add(new(line.Number, "version", $"{version} is not a version: a whole number, 0 or more (as GET .../listing shows it)"));
                json.Remove("version");
            }
            rows.Add(new Row(line.Number, json.Deserialize<InstrumentRequest>(RequestJson)!, line.UnreadColumns));
        }
        return (rows, problems);
    }
}
