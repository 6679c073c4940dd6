using System.Globalization;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>One problem of a price-history file: the line (the header is line 1), the column, and what is wrong.</summary>
public sealed record PriceHistoryImportProblem(int Line, string Column, string Message);

/// <summary>
/// Reads a CSV file of daily closes (RFC 4180, UTF-8, the header first naming the columns symbol, date and close in any order), one
/// close a line: the instrument's symbol, the trading day as yyyy-MM-dd and the closing price in the instrument's currency with a dot.
/// Each close's day and price are checked by <see cref="DailyCloseCheck"/>, as PUT /api/v1/reference-prices/{date} checks them.
/// Every problem of every line is listed with its line and column; the endpoint writes nothing unless there are none. Pure: the
/// instruments come in as an argument.
/// </summary>
internal static class PriceHistoryImport
{
    /// <summary>The largest file taken (413 beyond it): about 100,000 lines.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>The most closes one import writes.</summary>
    public const int MaxCloses = 100_000;

    /// <summary>The columns, in the documented order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["symbol", "date", "close"];

    /// <summary>One close read from a line.</summary>
    public sealed record Row(int Line, string Symbol, DateOnly Date, decimal Close);

    /// <summary>Reads the file; <paramref name="listing"/> gives a listed instrument by its exact symbol (null: none), whose closes are
    /// checked as PUT /api/v1/reference-prices/{date} checks its prices (<see cref="DailyCloseCheck"/>).</summary>
    public static (List<Row> Rows, List<PriceHistoryImportProblem> Problems) Read(string csv, Func<string, DailyCloseCheck.Listing?> listing)
    {
        var rows = new List<Row>();
        var problems = new List<PriceHistoryImportProblem>();
        var fileProblems = new List<CsvImport.Problem>();
        var records = CsvImport.Records(csv.TrimStart('\uFEFF'), fileProblems);
        problems.AddRange(fileProblems.Select(p => new PriceHistoryImportProblem(p.Line, p.Column, p.Message)));
        if (problems.Count > 0)
        {
            return (rows, problems);
        }
        if (records.Count == 0)
        {
            problems.Add(new(1, "header", "the file is empty: its first line names the columns symbol,date,close"));
            return (rows, problems);
        }
        var header = records[0].Cells.Select(c => c.Trim()).ToList();
        for (var i = 0; i < header.Count; i++)
        {
            var column = header[i];
            if (!Columns.Contains(column, StringComparer.Ordinal))
            {
                problems.Add(new(1, column.Length == 0 ? $"column {i + 1}" : column,
                    $"'{column}' is not a column: the columns are symbol, date and close (lower case)"));
            }
            else if (header.IndexOf(column) != i)
            {
                problems.Add(new(1, column, $"'{column}' is named twice (columns {header.IndexOf(column) + 1} and {i + 1})"));
            }
        }
        foreach (var missing in Columns.Where(c => !header.Contains(c, StringComparer.Ordinal)))
        {
            problems.Add(new(1, missing, "is missing from the header: every close needs it"));
        }
        if (problems.Count > 0)
        {
            return (rows, problems);
        }
        var lines = records.Skip(1).Where(r => !r.Cells.All(string.IsNullOrWhiteSpace)).ToList();
        if (lines.Count == 0)
        {
            problems.Add(new(1, "file", "has a header but no close: add one line per instrument and day after it"));
            return (rows, problems);
        }
        if (lines.Count > MaxCloses)
        {
            problems.Add(new(lines[MaxCloses].Line, "file", Invariant($"has {lines.Count} closes; one import takes at most {MaxCloses}: split the file")));
            return (rows, problems);
        }
        int symbolAt = header.IndexOf("symbol"), dateAt = header.IndexOf("date"), closeAt = header.IndexOf("close");
        var firstLine = new Dictionary<(string, DateOnly), int>();
        foreach (var record in lines)
        {
            if (record.Cells.Count != header.Count)
            {
                problems.Add(new(record.Line, "line", Invariant($"has {record.Cells.Count} cells but the header names {header.Count} columns")));
                continue;
            }
            var symbol = record.Cells[symbolAt].Trim();
            var dateText = record.Cells[dateAt].Trim();
            var closeText = record.Cells[closeAt].Trim();
            var listed = symbol.Length == 0 ? null : listing(symbol);
            if (symbol.Length == 0)
            {
                problems.Add(new(record.Line, "symbol", "is empty: give the instrument's symbol"));
            }
            else if (listed is null)
            {
                problems.Add(new(record.Line, "symbol", $"'{symbol}' is not a listed instrument (symbols are case-sensitive: GET /api/v1/instruments)"));
            }
            var symbolOk = listed is not null;
            var dateOk = DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
            if (!dateOk)
            {
                problems.Add(new(record.Line, "date", $"'{dateText}' is not a date as yyyy-MM-dd"));
            }
            else if (listed is not null && DailyCloseCheck.DayProblem(listed, date) is { } dayProblem)
            {
                problems.Add(new(record.Line, "date", dayProblem));
                dateOk = false;
            }
            var closeOk = decimal.TryParse(closeText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var close);
            if (!closeOk)
            {
                problems.Add(new(record.Line, "close", $"'{closeText}' is not a price: a number with a dot for decimals, e.g. 15.42"));
            }
            else if (DailyCloseCheck.PriceProblem(listed, close) is { } priceProblem)
            {
                problems.Add(new(record.Line, "close", priceProblem));
                closeOk = false;
            }
            if (symbolOk && dateOk)
            {
                if (firstLine.TryGetValue((symbol, date), out var earlier))
                {
                    problems.Add(new(record.Line, "date", Invariant($"{symbol} on {date:yyyy-MM-dd} is already on line {earlier}: one close per instrument and day")));
                    continue;
                }
                firstLine[(symbol, date)] = record.Line;
            }
            if (symbolOk && dateOk && closeOk)
            {
                rows.Add(new Row(record.Line, symbol, date, close));
            }
        }
        return (rows, problems);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
