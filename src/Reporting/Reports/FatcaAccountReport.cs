using System.Globalization;
using System.Text.RegularExpressions;
using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;

namespace TradSys.Reporting.Reports;

/// <summary>One account's FATCA assessment, and for a reportable account the Form 8966 / IGA fields.</summary>
/// <param name="Account">Account number and holder name.</param>
/// <param name="HolderType">Individual or Entity.</param>
/// <param name="Jurisdiction">Booking jurisdiction.</param>
/// <param name="AddressCountry">Country of residence / registered address; "not on file" when missing.</param>
/// <param name="FatcaStatus">Documentation state as recorded.</param>
/// <param name="UsIndicia">US indicia found (1.1471-4(c)(5)(iv)(B)); empty when none.</param>
/// <param name="Documentation">Forms on file, each with what is wrong with it, if anything.</param>
/// <param name="DueDiligenceTier">Model 1 IGA Annex I tier and what it requires.</param>
/// <param name="Exempt">True when the tier exempts the account from review and reporting.</param>
/// <param name="Reportable">True for a US reportable account.</param>
/// <param name="Reason">Why it is (or is not) reportable.</param>
/// <param name="Actions">What compliance must do (empty when nothing).</param>
/// <param name="ReportedTo">Where a reportable account is reported.</param>
/// <param name="Tin">The US TIN, or "missing".</param>
/// <param name="BalanceUsd">Value of the holdings at the period end, USD.</param>
/// <param name="GrossDividendsUsd">Dividends paid in the period, USD.</param>
/// <param name="GrossProceedsUsd">Gross proceeds of sales in the period, USD.</param>
/// <param name="BalanceUsdOnFile">The balance on file the tiers use, USD.</param>
/// <param name="Notes">Caveats on the figures (no FX rate, short positions left out).</param>
public sealed record FatcaAccountRow(PartyInfo Account, string HolderType, string Jurisdiction, string AddressCountry, string FatcaStatus,
    IReadOnlyList<string> UsIndicia, IReadOnlyList<string> Documentation, string DueDiligenceTier, bool Exempt, bool Reportable, string Reason,
    IReadOnlyList<string> Actions, string ReportedTo, string Tin, decimal BalanceUsd, decimal GrossDividendsUsd, decimal GrossProceedsUsd,
    decimal BalanceUsdOnFile, IReadOnlyList<string> Notes);

/// <summary>The FATCA account report's data, as computed from <see cref="FatcaInputData"/> (what is hashed and stored).</summary>
/// <param name="BusinessDate">Period end.</param>
/// <param name="TimeZone">Time zone of the day.</param>
/// <param name="PeriodStart">Period start (1 January).</param>
/// <param name="Fx">FX rates used.</param>
/// <param name="Accounts">Every account, assessed.</param>
/// <param name="Inputs">The facts the assessment was computed from.</param>
public sealed record FatcaReportData(DateOnly BusinessDate, string TimeZone, DateOnly PeriodStart, IReadOnlyList<FxRateInfo> Fx,
    IReadOnlyList<FatcaAccountRow> Accounts, IReadOnlyList<FatcaAccountInputs> Inputs);

/// <summary>
/// The FATCA account report (firm-wide): every account with its FATCA status, US indicia, documentation (W-9 and TIN,
/// W-8BEN / W-8BEN-E with expiry, GIIN format and FFI-list check), Model 1 IGA Annex I due-diligence tier and whether it is
/// a US reportable account and why; the Form 8966 / IGA fields of the reportable ones (holder, address country, TIN, account
/// number, balance at the period end, gross dividends and gross proceeds of the calendar year to date); the accounts
/// needing action; the exempt and non-reportable ones. The UAE reports under its Model 1B IGA to the Ministry of Finance;
/// Egypt's IGA status is unverified (DOMAIN.md), which the report says for every Egyptian account.
/// </summary>
public static partial class FatcaAccountReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Pre-existing individual accounts at or below this balance are exempt from review (Annex I II.A).</summary>
    public const decimal IndividualExemptUsd = 50_000m;
    /// <summary>Above this, a pre-existing account is high value: enhanced review (Annex I II.D; entities IV.B).</summary>
    public const decimal HighValueUsd = 1_000_000m;
    /// <summary>Pre-existing entity accounts at or below this balance are exempt until they exceed <see cref="HighValueUsd"/> (Annex I IV.A).</summary>
    public const decimal EntityExemptUsd = 250_000m;
    /// <summary>W-8 forms expiring within this many days are flagged for renewal.</summary>
    public const int ExpiryWarningDays = 90;

    /// <summary>Where reportable accounts booked in the UAE (and the firm's other non-Egyptian books) are reported.</summary>
    public const string UaeAuthority = "UAE Ministry of Finance (Model 1B IGA, signed 17 Jun 2015)";
    /// <summary>What the report says for accounts booked in Egypt.</summary>
    public const string EgyptUnverified = "Egypt: IGA status unverified (DOMAIN.md); confirm the filing route before filing";

    /// <summary>A well-formed GIIN: XXXXXX.XXXXX.XX.XXX (19 characters; the last part is the ISO 3166 numeric country code).</summary>
    public static bool IsWellFormedGiin(string? giin) => giin is not null && GiinPattern().IsMatch(giin);

    [GeneratedRegex(@"^[A-Z0-9]{6}\.[A-Z0-9]{5}\.[A-Z]{2}\.[0-9]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex GiinPattern();

    /// <summary>Assesses every account from the port's facts.</summary>
    public static FatcaReportData Compute(FatcaInputData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var fx = input.Fx.ToDictionary(r => r.Currency, StringComparer.OrdinalIgnoreCase);
        var rows = input.Accounts.OrderBy(a => a.Facts.Account.AccountId).Select(a => Assess(a, input.BusinessDate, fx)).ToList();
        return new FatcaReportData(input.BusinessDate, input.TimeZone, input.PeriodStart, input.Fx, rows, input.Accounts);
    }

    private static FatcaAccountRow Assess(FatcaAccountInputs inputs, DateOnly day, Dictionary<string, FxRateInfo> fx)
    {
        var f = inputs.Facts;
        var actions = new List<string>();
        var documentation = new List<string>();
        var notes = new List<string>();

        // Documentation on file.
        var tin = string.IsNullOrWhiteSpace(f.UsTin) ? "missing" : f.UsTin!;
        if (f.HasW9)
        {
            documentation.Add($"W-9 on file, TIN {tin}");
        }
        var form = f.IsLegalEntity ? "W-8BEN-E" : "W-8BEN";
        var w8Valid = false;
        if (f.W8ExpiresOn is { } expires)
        {
            if (expires < day)
            {
                documentation.Add($"{form} EXPIRED on {Format.Date(expires)}");
                actions.Add($"{form} expired on {Format.Date(expires)}: obtain a new one");
            }
            else
            {
                w8Valid = true;
                var soon = expires <= day.AddDays(ExpiryWarningDays);
                documentation.Add($"{form} valid to {Format.Date(expires)}" + (soon ? $" (expires within {ExpiryWarningDays} days)" : ""));
                if (soon)
                {
                    actions.Add($"{form} expires on {Format.Date(expires)}, within {ExpiryWarningDays} days: request renewal");
                }
            }
        }
        if (f.IsLegalEntity && (f.Giin is not null || f.FatcaStatus == "ForeignCertifiedW8"))
        {
            if (f.Giin is null)
            {
                documentation.Add("GIIN: none on file");
                actions.Add("no GIIN on the W-8BEN-E: obtain it or the entity's FATCA classification");
            }
            else if (!IsWellFormedGiin(f.Giin))
            {
                documentation.Add($"GIIN {f.Giin}: MALFORMED (expected XXXXXX.XXXXX.XX.XXX)");
                actions.Add($"GIIN {f.Giin} is malformed: correct it from the W-8BEN-E");
            }
            else
            {
                documentation.Add($"GIIN {f.Giin}: {(f.GiinOnFfiList ? "found on the IRS FFI list" : "NOT on the IRS FFI list")}");
                if (!f.GiinOnFfiList)
                {
                    actions.Add($"GIIN {f.Giin} is not on the IRS FFI list: verify the entity's status");
                }
            }
        }
        if (documentation.Count == 0)
        {
            documentation.Add("no FATCA form on file");
        }

        // US indicia and whether documentation cures them.
        var usPerson = f.HasW9 || f.FatcaStatus == "UsPersonW9";
        var uncured = f.UsIndicia.Count > 0 && !f.HasW9 && !w8Valid;
        if (uncured)
        {
            actions.Add($"US indicia ({string.Join(", ", f.UsIndicia)}) not cured: obtain a W-9, or a W-8BEN with documentary evidence");
        }
        if (usPerson && tin == "missing")
        {
            actions.Add("US person without a TIN on file: obtain it (Form 8966 requires it)");
        }

        // Due-diligence tier (Model 1 IGA Annex I) on the balance on file.
        var balance = f.BalanceUsdOnFile;
        string tier;
        var exempt = false;
        if (!f.IsPreexisting)
        {
            tier = $"New {(f.IsLegalEntity ? "entity" : "individual")} account: self-certification at opening (Annex I {(f.IsLegalEntity ? "V" : "III")})";
        }
        else if (!f.IsLegalEntity)
        {
            if (balance <= IndividualExemptUsd)
            {
                exempt = true;
                tier = $"Pre-existing individual, balance at most USD {Format.Money(IndividualExemptUsd)}: exempt from review (Annex I II.A)";
            }
            else if (balance <= HighValueUsd)
            {
                tier = "Pre-existing individual, lower value: electronic record search for indicia (Annex I II.B)";
            }
            else
            {
                tier = $"Pre-existing individual, high value (> USD {Format.Money(HighValueUsd)}): enhanced review (Annex I II.D) " +
                       (f.EnhancedReviewDone ? "done" : "PENDING");
                if (!f.EnhancedReviewDone)
                {
                    actions.Add("enhanced review of a high-value pre-existing account pending");
                }
            }
        }
        else if (balance <= EntityExemptUsd)
        {
            exempt = true;
            tier = $"Pre-existing entity, balance at most USD {Format.Money(EntityExemptUsd)}: exempt until it exceeds USD {Format.Money(HighValueUsd)} (Annex I IV.A)";
        }
        else
        {
            tier = $"Pre-existing entity, balance > USD {Format.Money(EntityExemptUsd)}: review required (Annex I IV.D)";
        }

        // Reportable?
        bool reportable;
        string reason;
        if (exempt)
        {
            reportable = false;
            reason = "Not reportable: exempt by its due-diligence tier (unless the firm elects to review it)";
        }
        else if (f.FatcaStatus == "Recalcitrant")
        {
            reportable = true;
            reason = "Reportable: recalcitrant account holder (indicia found, no documentation provided)";
        }
        else if (usPerson)
        {
            reportable = true;
            reason = "Reportable: specified US person (W-9 on file)";
        }
        else if (uncured || f.FatcaStatus == "IndiciaUncured")
        {
            reportable = true;
            reason = "Reportable: US indicia not cured, treated as a US reportable account (Annex I II.B.4)";
        }
        else
        {
            reportable = false;
            reason = f.UsIndicia.Count > 0
                ? $"Not reportable: US indicia cured by a valid {form}"
                : w8Valid ? $"Not reportable: non-US {(f.IsLegalEntity ? "entity" : "person")} certified on a valid {form}"
                : "Not reportable: no US indicia found";
        }

        // Form 8966 amounts, converted to USD per currency total.
        decimal Usd(IEnumerable<(string Currency, decimal Amount)> amounts, string what)
        {
            var total = 0m;
            foreach (var g in amounts.GroupBy(a => a.Currency, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var sum = g.Sum(a => a.Amount);
                if (fx.TryGetValue(g.Key, out var rate))
                {
                    total += Math.Round(sum * rate.UsdPerUnit, 2, MidpointRounding.AwayFromZero);
                }
                else if (sum != 0)
                {
                    notes.Add($"{what}: {Format.Money(sum)} {g.Key} not converted (no FX rate on file)");
                }
            }
            return total;
        }
        var shorts = inputs.Positions.Where(p => p.Quantity < 0).ToList();
        if (shorts.Count > 0)
        {
            notes.Add($"short positions not counted in the balance: {string.Join(", ", shorts.Select(p => $"{p.Symbol} {Format.Count(p.Quantity)}"))}");
        }
        var balanceUsd = Usd(inputs.Positions.Where(p => p.Quantity > 0).Select(p => (p.Currency, p.Quantity * p.Price)), "balance");
        var dividendsUsd = Usd(inputs.Dividends.Select(d => (d.Currency, d.SharesHeld * d.AmountPerShare)), "dividends");
        var proceedsUsd = Usd(inputs.SaleProceeds.Select(p => (p.Currency, p.Amount)), "gross proceeds");

        return new FatcaAccountRow(f.Account, f.IsLegalEntity ? "Entity" : "Individual", f.Jurisdiction, f.AddressCountry ?? "not on file", f.FatcaStatus,
            f.UsIndicia, documentation, tier, exempt, reportable, reason, actions,
            f.Jurisdiction == "Egypt" ? EgyptUnverified : UaeAuthority, tin, balanceUsd, dividendsUsd, proceedsUsd, balance, notes);
    }

    /// <summary>Builds the document body for the computed data.</summary>
    public static IReadOnlyList<Block> Build(FatcaReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(data.TimeZone);
        var reportable = data.Accounts.Where(a => a.Reportable).ToList();
        var action = data.Accounts.Where(a => a.Actions.Count > 0).ToList();
        var rest = data.Accounts.Where(a => !a.Reportable).ToList();
        static string Party(FatcaAccountRow a) => Format.Party(a.Account);
        return
        [
            new Facts(
            [
                new("Period", $"calendar year to date: {Format.Date(data.PeriodStart)} to {Format.Date(data.BusinessDate)} " +
                    $"({data.TimeZone}, {Format.Offset(data.BusinessDate, zone)})"),
                new("Reporting route", $"UAE: {UaeAuthority}, Form 8966 fields through the Ministry's portal (direct filers: 31 March). " +
                    $"{EgyptUnverified}."),
                new("Accounts", Format.Count(data.Accounts.Count)),
                new("Reportable accounts", Format.Count(reportable.Count)),
                new("Accounts needing action", Format.Count(action.Count)),
                new("Amounts", "Balance: the account's holdings on the platform at the period end, each at its last trade price on or " +
                    "before the period end (else the reference price stored for the period end, else the nearest earlier stored day's, else " +
                    "today's, as each position says); cash is not held by the platform. Gross dividends: dividends paid " +
                    "in the period on the shares held at the end of the day before the ex-date. Gross proceeds: the account's sales " +
                    "executed in the period. Converted to USD per currency total at the reference rates of the period end: " +
                    (data.Fx.Count == 0 ? "none on file" : string.Join("; ", data.Fx.OrderBy(r => r.Currency, StringComparer.Ordinal)
                        .Select(r => $"{r.Currency} {r.UsdPerUnit.ToString("0.######", C)} (rate of {Format.Date(r.AsOf)}), {r.Source}"))) + "."),
                new("Not checked", "Exclusions of US persons that are not specified US persons (listed corporations, banks, ...), " +
                    "passive NFFEs' controlling persons and cash-value insurance tiers: the data model does not hold these facts."),
            ]),
            new Heading("Reportable accounts: Form 8966 / IGA fields"),
            new Table(
                [
                    new("Account", 1.8f), new("Type", 1.05f), new("Country", 1f), new("US TIN", 1.1f), new("Balance (USD)", 1.1f, CellAlign.Right),
                    new("Gross dividends (USD)", 1.1f, CellAlign.Right), new("Gross proceeds (USD)", 1.1f, CellAlign.Right), new("Reason; reported to", 2.4f),
                ],
                reportable.Select(a => (IReadOnlyList<string>)
                [
                    Party(a), a.HolderType, a.AddressCountry, a.Tin == "missing" ? "MISSING" : a.Tin, Format.Money(a.BalanceUsd),
                    Format.Money(a.GrossDividendsUsd), Format.Money(a.GrossProceedsUsd),
                    $"{a.Reason}; {a.ReportedTo}" + (a.Notes.Count > 0 ? "\n" + string.Join("\n", a.Notes) : ""),
                ]),
                ["Total", Format.Count(reportable.Count), "", "", Format.Money(reportable.Sum(a => a.BalanceUsd)),
                    Format.Money(reportable.Sum(a => a.GrossDividendsUsd)), Format.Money(reportable.Sum(a => a.GrossProceedsUsd)), ""]),
            new Heading("Accounts needing action"),
            new Table(
                [new("Account", 2f), new("Status", 1.7f), new("What is needed", 4.5f)],
                action.Select(a => (IReadOnlyList<string>)[Party(a), a.FatcaStatus, string.Join("\n", a.Actions)]),
                ["Total", Format.Count(action.Count), ""]),
            new Heading("Exempt and non-reportable accounts"),
            new Table(
                [new("Account", 2f), new("Status", 1.7f), new("Reason", 4.5f)],
                rest.Select(a => (IReadOnlyList<string>)[Party(a), a.FatcaStatus, a.Reason]),
                ["Total", Format.Count(rest.Count), ""]),
            new Heading("Every account: status, indicia, documentation and due-diligence tier"),
            new Table(
                [
                    new("Account", 1.6f), new("Status", 1.6f), new("US indicia", 1.2f), new("Documentation on file", 2f),
                    new("Due-diligence tier (balance on file, USD)", 1.9f), new("Reportable", 1.05f),
                ],
                data.Accounts.Select(a => (IReadOnlyList<string>)
                [
                    $"{Party(a)}\n{a.HolderType}, {a.Jurisdiction}", a.FatcaStatus, a.UsIndicia.Count == 0 ? "none" : string.Join(", ", a.UsIndicia),
                    string.Join("\n", a.Documentation), $"{a.DueDiligenceTier}\n(USD {Format.Money(a.BalanceUsdOnFile)})", a.Reportable ? "YES" : "no",
                ]),
                ["Total", Format.Count(data.Accounts.Count), "", "", "", Format.Count(reportable.Count)]),
        ];
    }
}
