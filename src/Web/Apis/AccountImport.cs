using System.Text.Json;

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

    private static readonly CsvImport.Layout Layout = new(
    [
        ("accountId", CsvImport.Kind.WholeNumber), ("name", CsvImport.Kind.Text), ("nameAr", CsvImport.Kind.Text), ("ownerUserId", CsvImport.Kind.WholeNumber),
        ("clientCategory", CsvImport.Kind.Text), ("isClassified", CsvImport.Kind.Flag), ("isLegalEntity", CsvImport.Kind.Flag), ("isTrust", CsvImport.Kind.Flag),
        ("jurisdiction", CsvImport.Kind.Text), ("nationality", CsvImport.Kind.Text), ("addressCountry", CsvImport.Kind.Text), ("investorNumber", CsvImport.Kind.Text),
        ("nationalId", CsvImport.Kind.Text), ("passportNumber", CsvImport.Kind.Text), ("firstName", CsvImport.Kind.Text), ("surname", CsvImport.Kind.Text),
        ("birthDate", CsvImport.Kind.Date), ("mifidBranch", CsvImport.Kind.Text), ("lei", CsvImport.Kind.Text), ("fatcaStatus", CsvImport.Kind.Text),
        ("usIndicia", CsvImport.Kind.Names), ("hasW9", CsvImport.Kind.Flag), ("usTin", CsvImport.Kind.Text), ("w8BenSignedOn", CsvImport.Kind.Date),
        ("giin", CsvImport.Kind.Text), ("giinOnFfiList", CsvImport.Kind.Flag), ("isPreexisting", CsvImport.Kind.Flag),
        ("enhancedReviewDone", CsvImport.Kind.Flag), ("appropriatenessAssessed", CsvImport.Kind.Flag), ("appropriatenessPassed", CsvImport.Kind.Flag),
        ("suitabilityAssessed", CsvImport.Kind.Flag), ("emirClass", CsvImport.Kind.Text), ("emirReportingExempt", CsvImport.Kind.Flag),
        ("hasMarginAgreement", CsvImport.Kind.Flag), ("isForeignInvestor", CsvImport.Kind.Flag), ("isGccNational", CsvImport.Kind.Flag),
        ("hasFinanceExperience", CsvImport.Kind.Flag), ("shariaOnly", CsvImport.Kind.Flag), ("isMarginAccount", CsvImport.Kind.Flag),
        ("creditLimit", CsvImport.Kind.Amount), ("creditCurrency", CsvImport.Kind.Text), ("creditLine", CsvImport.Kind.Amount),
        ("isActive", CsvImport.Kind.Flag), ("selfTradePrevention", CsvImport.Kind.Text), ("balanceUsd", CsvImport.Kind.Amount),
        ("equityUsd", CsvImport.Kind.Amount), ("balanceSheetUsd", CsvImport.Kind.Amount), ("turnoverUsd", CsvImport.Kind.Amount),
        ("ownFundsUsd", CsvImport.Kind.Amount), ("netAssetsUsd", CsvImport.Kind.Amount), ("reason", CsvImport.Kind.Text),
    ],
    ["name", "ownerUserId", "clientCategory", "jurisdiction", "fatcaStatus", "creditCurrency"], "account", MaxAccounts);

    /// <summary>The columns a file may have, in the order of the documented header.</summary>
    public static IReadOnlyList<string> Columns => Layout.Names;

    /// <summary>The columns every file must have: the fields every account needs.</summary>
    public static IReadOnlyList<string> RequiredColumns => Layout.Required;

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
        var (lines, read) = CsvImport.Read(csv, Layout);
        var problems = read.Select(p => new AccountImportProblem(p.Line, p.Column, p.Message)).ToList();
        var rows = new List<Row>(lines.Count);
        foreach (var line in lines)
        {
            var json = line.Fields;
            var unread = new HashSet<string>(line.UnreadColumns, StringComparer.Ordinal);
            long? accountId = null;
            if (json["accountId"] is { } id)
            {
                accountId = id.GetValue<long>();
                json.Remove("accountId");
            }
            if (accountId is <= 0)
            {
                unread.Add("accountId");
                problems.Add(new(line.Number, "accountId", $"{accountId} is not an account id: a whole number above 0 (or leave it empty to have one allocated)"));
                accountId = null;
            }
            if (!json.ContainsKey("reason") && !string.IsNullOrWhiteSpace(reason))
            {
                json["reason"] = reason.Trim();
            }
            rows.Add(new Row(line.Number, accountId, json.Deserialize<AccountRequest>(RequestJson)!, unread));
        }
        return (rows, problems);
    }

    /// <summary>The column an <see cref="AccountForm"/> field key belongs to (usIndicia[2] is the usIndicia column).</summary>
    public static string ColumnOf(string field) => field.Split('[', 2)[0];
}
