using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradSys.Web.Apis;

/// <summary>One problem of an account import: the line of the file (the header is line 1), the column, and what is wrong.</summary>
public sealed record AccountImportProblem(int Line, string Column, string Message);

/// <summary>One account of an import: its line, its id (given in the file or allocated; null in a dry run without an id column) and name.</summary>
public sealed record AccountImportLine(int Line, long? AccountId, string Name);

/// <summary>
/// The answer to an import without problems: whether it was a dry run (nothing written) and the accounts it creates or created,
/// in the order of the file.
/// </summary>
public sealed record AccountImportResponse(bool DryRun, int Accounts, IReadOnlyList<AccountImportLine> Lines);

/// <summary>
/// Reads a CSV file of new accounts (RFC 4180: comma-separated, fields with commas, quotes or line breaks in double quotes, a
/// quote doubled inside them; UTF-8, a byte-order mark allowed) into <see cref="AccountRequest"/>s, one per line after the header.
/// The header names the columns, each an <see cref="AccountRequest"/> field by its JSON name (<see cref="Columns"/>), in any
/// order; a column left out or a cell left empty is "not on file", as a field left out of a POST. Cells are typed: true/false,
/// whole and decimal numbers with a dot, dates as yyyy-MM-dd, usIndicia as names separated by ';'. Pure: the endpoint checks
/// each request with <see cref="AccountForm"/> and writes.
/// </summary>
internal static class AccountImport
{
    /// <summary>The largest file taken (413 beyond it).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The most accounts one import creates (400 beyond it): one transaction, one answer listing every problem.</summary>
    public const int MaxAccounts = 1000;

    private enum Kind
    {
        Text,
        Flag,
        WholeNumber,
        Amount,
        Date,
        Names,
    }

    private static readonly (string Name, Kind Kind)[] ColumnKinds =
    [
        ("accountId", Kind.WholeNumber), ("name", Kind.Text), ("nameAr", Kind.Text), ("ownerUserId", Kind.WholeNumber),
        ("clientCategory", Kind.Text), ("isClassified", Kind.Flag), ("isLegalEntity", Kind.Flag), ("isTrust", Kind.Flag),
        ("jurisdiction", Kind.Text), ("nationality", Kind.Text), ("addressCountry", Kind.Text), ("investorNumber", Kind.Text),
        ("nationalId", Kind.Text), ("passportNumber", Kind.Text), ("firstName", Kind.Text), ("surname", Kind.Text), ("birthDate", Kind.Date),
        ("mifidBranch", Kind.Text), ("lei", Kind.Text), ("fatcaStatus", Kind.Text), ("usIndicia", Kind.Names), ("hasW9", Kind.Flag),
        ("usTin", Kind.Text), ("w8BenSignedOn", Kind.Date), ("giin", Kind.Text), ("giinOnFfiList", Kind.Flag), ("isPreexisting", Kind.Flag),
        ("enhancedReviewDone", Kind.Flag), ("appropriatenessAssessed", Kind.Flag), ("appropriatenessPassed", Kind.Flag),
        ("suitabilityAssessed", Kind.Flag), ("emirClass", Kind.Text), ("emirReportingExempt", Kind.Flag), ("hasMarginAgreement", Kind.Flag),
        ("isForeignInvestor", Kind.Flag), ("isGccNational", Kind.Flag), ("hasFinanceExperience", Kind.Flag), ("shariaOnly", Kind.Flag),
        ("isMarginAccount", Kind.Flag), ("creditLimit", Kind.Amount), ("creditCurrency", Kind.Text), ("creditLine", Kind.Amount),
        ("isActive", Kind.Flag), ("selfTradePrevention", Kind.Text), ("balanceUsd", Kind.Amount), ("equityUsd", Kind.Amount),
        ("balanceSheetUsd", Kind.Amount), ("turnoverUsd", Kind.Amount), ("ownFundsUsd", Kind.Amount), ("netAssetsUsd", Kind.Amount),
        ("reason", Kind.Text),
    ];

    /// <summary>The columns a file may have, in the order of the documented header.</summary>
    public static IReadOnlyList<string> Columns { get; } = [.. ColumnKinds.Select(c => c.Name)];

    /// <summary>The columns every file must have: the fields every account needs.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } = ["name", "ownerUserId", "clientCategory", "jurisdiction", "fatcaStatus", "creditCurrency"];

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web);

    /// <summary>One line of the file read as a request: its line number, the id it asks for (if any) and the columns whose cells could not be read.</summary>
    public sealed record Row(int Line, long? AccountId, AccountRequest Request, IReadOnlySet<string> UnreadColumns);

    /// <summary>
    /// Reads the file. <paramref name="reason"/> stands for the reason of every line whose reason cell is empty (or that has no reason
    /// column). Problems of the header stop there (no line is read); problems of cells are listed with the line and the column, and
    /// the line is still read (its other cells are checked too).
    /// </summary>
    public static (List<Row> Rows, List<AccountImportProblem> Problems) Read(string csv, string? reason)
    {
        var problems = new List<AccountImportProblem>();
        var rows = new List<Row>();
        var records = Records(csv.TrimStart('\uFEFF'), problems);
        if (problems.Count > 0)
        {
            return (rows, problems);
        }
        if (records.Count == 0)
        {
            problems.Add(new(1, "header", $"the file is empty: its first line names the columns ({string.Join(",", Columns)})"));
            return (rows, problems);
        }
        var header = records[0].Cells.Select(c => c.Trim()).ToList();
        var kinds = ColumnKinds.ToDictionary(c => c.Name, c => c.Kind, StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var column = header[i];
            if (!kinds.ContainsKey(column))
            {
                var near = Columns.FirstOrDefault(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
                problems.Add(new(1, column.Length == 0 ? Ordinal(i) : column, near is not null
                    ? $"'{column}' is not a column: column names are case-sensitive (did you mean '{near}'?)"
                    : $"'{column}' is not a column: the columns are {string.Join(", ", Columns)}"));
            }
            else if (header.IndexOf(column) != i)
            {
                problems.Add(new(1, column, $"'{column}' is named twice (columns {header.IndexOf(column) + 1} and {i + 1})"));
            }
        }
        foreach (var required in RequiredColumns.Where(c => !header.Contains(c, StringComparer.Ordinal)))
        {
            problems.Add(new(1, required, "is missing from the header: every account needs it"));
        }
        if (problems.Count > 0)
        {
            return (rows, problems);
        }
        var lines = records.Skip(1).Where(r => !r.Cells.All(string.IsNullOrWhiteSpace)).ToList();
        if (lines.Count == 0)
        {
            problems.Add(new(1, "file", "has a header but no account: add one line per account after it"));
            return (rows, problems);
        }
        if (lines.Count > MaxAccounts)
        {
            problems.Add(new(lines[MaxAccounts].Line, "file", string.Create(CultureInfo.InvariantCulture,
                $"has {lines.Count} accounts; one import takes at most {MaxAccounts}: split the file")));
            return (rows, problems);
        }
        foreach (var record in lines)
        {
            if (record.Cells.Count != header.Count)
            {
                problems.Add(new(record.Line, "line", string.Create(CultureInfo.InvariantCulture,
                    $"has {record.Cells.Count} cells but the header names {header.Count} columns (a comma inside a value needs the value in double quotes)")));
                continue;
            }
            var json = new JsonObject();
            var unread = new HashSet<string>(StringComparer.Ordinal);
            long? accountId = null;
            for (var i = 0; i < header.Count; i++)
            {
                var column = header[i];
                var cell = record.Cells[i].Trim();
                if (cell.Length == 0)
                {
                    continue;
                }
                if (Cell(kinds[column], cell) is (var value, null))
                {
                    if (column == "accountId")
                    {
                        accountId = value!.GetValue<long>();
                    }
                    else
                    {
                        json[column] = value;
                    }
                }
                else
                {
                    unread.Add(column);
                    problems.Add(new(record.Line, column, Cell(kinds[column], cell).Problem!));
                }
            }
            if (accountId is <= 0)
            {
                unread.Add("accountId");
                problems.Add(new(record.Line, "accountId", $"{accountId} is not an account id: a whole number above 0 (or leave it empty to have one allocated)"));
                accountId = null;
            }
            if (!json.ContainsKey("reason") && !string.IsNullOrWhiteSpace(reason))
            {
                json["reason"] = reason.Trim();
            }
            rows.Add(new Row(record.Line, accountId, json.Deserialize<AccountRequest>(RequestJson)!, unread));
        }
        return (rows, problems);
    }

    /// <summary>The column an <see cref="AccountForm"/> field key belongs to (usIndicia[2] is the usIndicia column).</summary>
    public static string ColumnOf(string field) => field.Split('[', 2)[0];

    private static string Ordinal(int index) => string.Create(CultureInfo.InvariantCulture, $"column {index + 1}");

    private static (JsonNode? Value, string? Problem) Cell(Kind kind, string cell)
    {
        switch (kind)
        {
            case Kind.Text:
                return (JsonValue.Create(cell), null);
            case Kind.Flag:
                return string.Equals(cell, "true", StringComparison.OrdinalIgnoreCase) ? (JsonValue.Create(true), null)
                    : string.Equals(cell, "false", StringComparison.OrdinalIgnoreCase) ? (JsonValue.Create(false), null)
                    : (null, $"'{cell}' is not true or false");
            case Kind.WholeNumber:
                return long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    ? (JsonValue.Create(whole), null)
                    : (null, $"'{cell}' is not a whole number");
            case Kind.Amount:
                return decimal.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                    ? (JsonValue.Create(amount), null)
                    : (null, $"'{cell}' is not an amount: digits with a dot for decimals and no thousands separator (e.g. 250000.50)");
            case Kind.Date:
                return DateOnly.TryParseExact(cell, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? (JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), null)
                    : (null, $"'{cell}' is not a date as yyyy-MM-dd (e.g. 2025-03-15)");
            case Kind.Names:
                return (new JsonArray([.. cell.Split(';').Select(n => (JsonNode?)JsonValue.Create(n.Trim()))]), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    internal sealed record Record(int Line, List<string> Cells);

    /// <summary>RFC 4180 records, each with the line it starts on; an unterminated quote is a problem of the line it opened on.</summary>
    internal static List<Record> Records(string csv, List<AccountImportProblem> problems)
    {
        var records = new List<Record>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var quoteLine = 0;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    cell.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when cell.ToString().Trim().Length == 0:
                    quoted = true;
                    quoteLine = line;
                    cell.Clear();
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    records.Add(new Record(recordLine, cells));
                    cells = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        if (quoted)
        {
            problems.Add(new(quoteLine, "line", "a double quote opens a value that is never closed (a quote inside a quoted value is written twice: \"\")"));
            return records;
        }
        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            records.Add(new Record(recordLine, cells));
        }
        return records;
    }
}
