namespace TradSys.Reporting.Catalogue;

/// <summary>
/// One report the platform produces: what it is, who may read it, and for which scopes (a venue,
/// or the whole firm) it is generated, each with its regulator and its schedule.
/// </summary>
/// <param name="Id">Stable id used in the API and in job names (kebab case).</param>
/// <param name="Title">Title printed on every page.</param>
/// <param name="Description">One sentence on what the report contains.</param>
/// <param name="PerVenue">True when a request must name one of the <see cref="Scopes"/> as its venue; false for a firm-wide report.</param>
/// <param name="Scopes">The venues (or the firm) it covers, each with its regulator and schedule.</param>
/// <param name="Roles">Roles allowed to generate, list and download it.</param>
/// <param name="ReportsDayBefore">
/// True for a T+1 report (MiFIR, EMIR): its scheduled run reports the business day before the day it runs on. On-demand requests
/// always name the day they want.
/// </param>
public sealed record ReportDefinition(string Id, string Title, string Description, bool PerVenue, IReadOnlyList<ReportScope> Scopes, IReadOnlyList<string> Roles,
    bool ReportsDayBefore = false)
{
    /// <summary>The scope with this code (venue code, or <see cref="ReportScope.Firm"/>), or null.</summary>
    public ReportScope? Scope(string code) => Scopes.FirstOrDefault(s => string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Where a report applies and when it is due: a venue with its regulator, or the firm as a whole.
/// The schedule is in the scope's own time zone, after its close, on its trading days.
/// </summary>
/// <param name="Code">The venue code (<c>ADX</c>, <c>EGX</c>, <c>INTERNAL</c>) or <see cref="Firm"/>.</param>
/// <param name="Regulator">Who receives it (printed in the header).</param>
/// <param name="TimeZone">IANA time zone of the business day and of the schedule.</param>
/// <param name="RunAt">Local time the scheduled run starts (after the close).</param>
/// <param name="Days">Days of the week it runs (the venue's trading days).</param>
/// <param name="RunsNextDay">The scheduled run reports the day before (a venue that trades around the clock closes its day at
/// midnight, so its report runs just after).</param>
public sealed record ReportScope(string Code, string Regulator, string TimeZone, TimeOnly RunAt, IReadOnlyList<DayOfWeek> Days,
    bool RunsNextDay = false)
{
    /// <summary>The scope code of a firm-wide report.</summary>
    public const string Firm = "FIRM";
}

/// <summary>The reports the platform offers. Schedules and regulators are data here, not scattered through jobs.</summary>
public static class ReportCatalogue
{
    /// <summary>Daily trade report per venue.</summary>
    public const string DailyTrades = "daily-trades";
    /// <summary>Blocked and reviewed orders with their rule explanations.</summary>
    public const string ComplianceDecisions = "compliance-decisions";
    /// <summary>Audit-trail extract with the hash-chain verification.</summary>
    public const string AuditTrail = "audit-trail";
    /// <summary>MiFID II / MiFIR transaction report (RTS 22), T+1, with its ISO 20022 auth.016 twin.</summary>
    public const string MifidTransactions = "mifid-transactions";
    /// <summary>EMIR Refit derivatives report, T+1, with its ISO 20022 auth.030 XML twin (simplified).</summary>
    public const string EmirDerivatives = "emir-derivatives";
    /// <summary>Sharia-only accounts: holdings screened, the day's Sharia blocks, dividend purification.</summary>
    public const string ShariaCompliance = "sharia-compliance";
    /// <summary>Every account's FATCA status, documentation, due-diligence tier and reportability, with the Form 8966 / IGA fields.</summary>
    public const string FatcaAccounts = "fatca-accounts";
    /// <summary>The day's limit breaches, each account's one-day 99% VaR with its backtest, and the largest exposures.</summary>
    public const string DailyRisk = "daily-risk";

    /// <summary>Roles that read reports: regulators, compliance, admins. Traders and viewers do not.</summary>
    public static readonly IReadOnlyList<string> ReaderRoles = ["regulator", "compliance", "admin"];

    /// <summary>Roles that read the daily risk report: the report readers and the firm's risk officers (role <c>risk</c>).</summary>
    public static readonly IReadOnlyList<string> RiskReaderRoles = [.. ReaderRoles, "risk"];

    private static readonly DayOfWeek[] AdxDays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    private static readonly DayOfWeek[] EgxDays = [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday];
    private static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    // ADX closes at 15:00 (trade-at-last ends), EGX at 14:30 (trade-at-close ends): the runs start an hour later.
    private static readonly ReportScope Adx = new("ADX", "SCA — Securities and Commodities Authority (UAE)", "Asia/Dubai", new TimeOnly(16, 0), AdxDays);
    private static readonly ReportScope Egx = new("EGX", "FRA — Financial Regulatory Authority (Egypt)", "Africa/Cairo", new TimeOnly(15, 30), EgxDays);
    // The firm's internal crossing venue (MIC XOFF) trades around the clock every day in UTC: its daily trade report covers the
    // UTC day and runs just after midnight for the day before. Its trades are the firm's own crossings, reported to the firm's
    // compliance and held for the market regulators of the instruments crossed (COMI.INT: the FRA; FAB.INT: the SCA).
    private static readonly ReportScope Internal = new("INTERNAL", "Firm compliance: internal crossings (XOFF), for the FRA and the SCA on request",
        "Etc/UTC", new TimeOnly(0, 30), EveryDay, RunsNextDay: true);
    // Firm-wide reports cover every venue's day: they run in Dubai (the firm's seat) after both markets have closed.
    private static readonly ReportScope Firm = new(ReportScope.Firm, "SCA and FRA (firm-wide, copy to compliance)", "Asia/Dubai", new TimeOnly(18, 0), EveryDay);
    // T+1 transaction reports run the morning after, in Dubai, every day (the internal venue trades every day), for the day before:
    // by then both markets' days are complete and the whole of T+1 is left to correct and resubmit rejected records.
    private static readonly ReportScope MifidFirm = new(ReportScope.Firm, "NCA of the firm's MiFID branch (MiFIR Art 26), copy to compliance", "Asia/Dubai",
        new TimeOnly(7, 0), EveryDay);
    private static readonly ReportScope EmirFirm = new(ReportScope.Firm, "Trade repository (EMIR Art 9), copy to compliance", "Asia/Dubai",
        new TimeOnly(7, 0), EveryDay);

    // The Sharia report goes to the firm's Sharia supervisory board, with the market regulators in copy; the FATCA report to
    // the UAE Ministry of Finance under the Model 1B IGA (17 Jun 2015). Egypt's IGA status is unverified (DOMAIN.md).
    private static readonly ReportScope ShariaBoard = Firm with { Regulator = "Sharia supervisory board (firm-wide; copy to SCA and FRA)" };
    private static readonly ReportScope FatcaAuthority = Firm with
    {
        Regulator = "UAE Ministry of Finance (FATCA Model 1B IGA); Egypt: IGA status unverified",
    };

    // The risk report is the firm's own (its risk officer and compliance), for the regulators on request; it runs with the other
    // firm-wide reports once both markets have closed, so its positions are the day's closing ones.
    private static readonly ReportScope RiskFirm = Firm with { Regulator = "Firm risk management and compliance; SCA and FRA on request" };

    /// <summary>Every report, in the order the API lists them.</summary>
    public static readonly IReadOnlyList<ReportDefinition> All =
    [
        new(DailyTrades, "Daily trade report",
            "Every trade executed on the venue during its trading day (venue time), with instrument, ISIN, price, quantity, " +
            "value, buyer and seller, and totals per instrument.",
            PerVenue: true, [Adx, Egx, Internal], ReaderRoles),
        new(ComplianceDecisions, "Compliance report: blocked and reviewed orders",
            "Every order the compliance rule packs blocked or held for review during the day, with each rule that fired, " +
            "its regulation, message and the input values it read, and the reviewer's decision.",
            PerVenue: false, [Firm], ReaderRoles),
        new(AuditTrail, "Audit-trail extract",
            "The audit records of the day with their hash-chain links, and the verification of the whole chain at generation time.",
            PerVenue: false, [Firm], ReaderRoles),
        new(MifidTransactions, "MiFID II transaction report (RTS 22)",
            "Every transaction the firm's MiFID branches must report for the day before (T+1): the key RTS 22 fields per trade and side, " +
            "totals, and the validation of every record (LEI check digits, CON-011, national client identifiers); with an ISO 20022 " +
            "auth.016 XML twin.",
            PerVenue: false, [MifidFirm], ReaderRoles, ReportsDayBefore: true),
        new(EmirDerivatives, "EMIR derivatives report (Refit)",
            "Every derivative trade of the day before (T+1) with the key EMIR Refit fields per counterparty the firm reports for: UTI, " +
            "both counterparties, direction, ISIN, asset class, notional, price, execution time, expiry, clearing and venue; totals and " +
            "the validation of every report; with an ISO 20022 auth.030 XML twin (simplified).",
            PerVenue: false, [EmirFirm], ReaderRoles, ReportsDayBefore: true),
        new(ShariaCompliance, "Sharia compliance report with dividend purification",
            "For each Sharia-only account: its holdings screened under the Sharia pack's methodology with the ratios and any " +
            "non-compliant holding flagged, the day's Sharia-pack blocks, and the dividend purification due (day, month and year to date).",
            PerVenue: false, [ShariaBoard], ReaderRoles),
        new(FatcaAccounts, "FATCA account report",
            "Every account's FATCA status, US indicia, documentation, due-diligence tier and whether it is reportable, with the " +
            "Form 8966 / IGA fields of the reportable accounts for the calendar year to date, and the accounts needing action.",
            PerVenue: false, [FatcaAuthority], ReaderRoles),
        new(DailyRisk, "Daily risk report",
            "The limits breached during the day (the risk alert monitor's breach alerts), every account's one-day 99% historical VaR " +
            "and expected shortfall of its positions at the day's end with the backtest of that figure (exceptions and their days, " +
            "Kupiec's test, the Basel zone), and the firm's largest positions.",
            PerVenue: false, [RiskFirm], RiskReaderRoles),
    ];

    /// <summary>The report with this id, or null.</summary>
    public static ReportDefinition? Find(string id) => All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal));
}
