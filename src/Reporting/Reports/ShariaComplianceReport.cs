using System.Globalization;
using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;
using TradSys.Rules.Computations;

namespace TradSys.Reporting.Reports;

/// <summary>One financial-ratio screen applied to a holding.</summary>
/// <param name="Name">What is divided by what ("Debt / market cap").</param>
/// <param name="Parameter">The Sharia pack parameter holding the limit.</param>
/// <param name="ValuePct">The ratio in percent (4 decimals); null when the denominator is not positive.</param>
/// <param name="LimitPct">The limit in percent.</param>
/// <param name="Strict">True when the ratio must stay below the limit (S&amp;P); false when it may equal it (AAOIFI, MSCI).</param>
/// <param name="Pass">True when the ratio is within the limit.</param>
public sealed record RatioScreen(string Name, string Parameter, decimal? ValuePct, decimal LimitPct, bool Strict, bool Pass);

/// <summary>A holding of a Sharia-only account with its screening result.</summary>
/// <param name="Symbol">Instrument.</param>
/// <param name="Isin">ISIN.</param>
/// <param name="Issuer">Issuer (Latin; Arabic on a second line when on file).</param>
/// <param name="Sector">Sector.</param>
/// <param name="Quantity">Shares held at the end of the day.</param>
/// <param name="Ratios">The methodology's ratio screens.</param>
/// <param name="Failures">Why it is not compliant (empty when compliant).</param>
/// <param name="Compliant">True when every screen passes.</param>
/// <param name="FiguresAsOf">Date of the screening figures; null when none are on file.</param>
/// <param name="FiguresSource">Where the figures came from.</param>
public sealed record ScreenedHolding(string Symbol, string Isin, string Issuer, string Sector, long Quantity, IReadOnlyList<RatioScreen> Ratios,
    IReadOnlyList<string> Failures, bool Compliant, DateOnly? FiguresAsOf, string FiguresSource);

/// <summary>
/// The purification due on one dividend for one account (index practice): shares held at the ex-date × dividend per
/// share × (non-permissible income ÷ total revenue), rounded to 2 decimals in the dividend's currency, then converted to USD.
/// </summary>
/// <param name="DividendId">The dividend.</param>
/// <param name="Symbol">Listing it was declared on.</param>
/// <param name="ExDate">Ex-date.</param>
/// <param name="RecordDate">Record date.</param>
/// <param name="PaymentDate">Payment date.</param>
/// <param name="SharesHeld">Entitled shares.</param>
/// <param name="AmountPerShare">Dividend per share.</param>
/// <param name="Currency">Dividend currency.</param>
/// <param name="GrossDividend">Shares × amount per share.</param>
/// <param name="NonPermissibleIncome">The issuer's non-permissible income (screening inputs on file).</param>
/// <param name="TotalRevenue">The issuer's total revenue.</param>
/// <param name="RatioPct">Non-permissible share of revenue, percent (4 decimals).</param>
/// <param name="Purification">Amount to purify, in <paramref name="Currency"/>.</param>
/// <param name="UsdPerUnit">The FX rate used; null when the currency has none.</param>
/// <param name="FxAsOf">The rate's date.</param>
/// <param name="PurificationUsd">Amount to purify in USD (2 decimals); null without a rate.</param>
/// <param name="AaoifiVariant">AAOIFI variant for information only (unverified, not used): non-permissible income per share × shares held, in the issuer's reporting currency; null without issued shares.</param>
/// <param name="OnTheDay">The ex-date is the report's day.</param>
/// <param name="InMonth">The ex-date is in the report's month.</param>
public sealed record PurificationLine(long DividendId, string Symbol, DateOnly ExDate, DateOnly RecordDate, DateOnly PaymentDate, long SharesHeld,
    decimal AmountPerShare, string Currency, decimal GrossDividend, decimal NonPermissibleIncome, decimal TotalRevenue, decimal RatioPct,
    decimal Purification, decimal? UsdPerUnit, DateOnly? FxAsOf, decimal? PurificationUsd, decimal? AaoifiVariant, bool OnTheDay, bool InMonth);

/// <summary>One Sharia-only account's section of the report.</summary>
/// <param name="Account">The account.</param>
/// <param name="Holdings">Holdings at the end of the day, screened.</param>
/// <param name="Decisions">The day's Sharia-pack blocks and holds on it.</param>
/// <param name="Purification">Purification per dividend whose ex-date is in the year to date.</param>
/// <param name="DayUsd">Total purification (USD) of the dividends going ex on the day.</param>
/// <param name="MonthToDateUsd">Total of the month to date.</param>
/// <param name="YearToDateUsd">Total of the year to date.</param>
/// <param name="MissingFx">Currencies of dividends that could not be converted (their amounts are not in the USD totals).</param>
public sealed record ShariaAccountSection(PartyInfo Account, IReadOnlyList<ScreenedHolding> Holdings, IReadOnlyList<DecisionRow> Decisions,
    IReadOnlyList<PurificationLine> Purification, decimal DayUsd, decimal MonthToDateUsd, decimal YearToDateUsd, IReadOnlyList<string> MissingFx);

/// <summary>The Sharia compliance report's data, as computed from <see cref="ShariaInputData"/> (what is hashed and stored).</summary>
/// <param name="BusinessDate">The day.</param>
/// <param name="TimeZone">Its time zone.</param>
/// <param name="MonthFrom">First day of the month-to-date period.</param>
/// <param name="YearFrom">First day of the year-to-date period.</param>
/// <param name="Screen">The published screening parameters used.</param>
/// <param name="Fx">The FX rates used.</param>
/// <param name="Dividends">The dividends of the year to date.</param>
/// <param name="Accounts">Every Sharia-only account.</param>
public sealed record ShariaComplianceData(DateOnly BusinessDate, string TimeZone, DateOnly MonthFrom, DateOnly YearFrom, ShariaScreenParameters Screen,
    IReadOnlyList<FxRateInfo> Fx, IReadOnlyList<DividendFacts> Dividends, IReadOnlyList<ShariaAccountSection> Accounts);

/// <summary>
/// The Sharia compliance report, daily and firm-wide: for each Sharia-only account its holdings screened under the
/// methodology the published Sharia pack uses (with the ratios printed and any non-compliant holding flagged), the day's
/// Sharia-pack blocks and holds, and the dividend purification due.
/// <para>
/// Purification follows index practice (DOMAIN.md): dividend × (non-permissible income ÷ total revenue), per dividend
/// whose ex-date falls in the period, on the shares held at the end of the day before the ex-date (the record-date
/// entitlement: a holding bought on or after the ex-date earns no dividend and needs no purification). The period is the
/// report's day, with month-to-date and year-to-date totals per account: purification is owed per dividend, and the
/// running totals are what the client and the Sharia board reconcile the charity payments against, every day of the year.
/// </para>
/// </summary>
public static class ShariaComplianceReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>What the report says of the purification method.</summary>
    public const string Method =
        "Index practice (DOMAIN.md): purification = shares held at the ex-date (end of the previous trading day: the record-date " +
        "entitlement) × dividend per share × (non-permissible income ÷ total revenue), rounded to 2 decimals in the dividend's currency, " +
        "then converted to USD. The AAOIFI variant (non-permissible income per share × shares held; unverified) is shown for " +
        "information only and is not used for the amounts due.";

    /// <summary>Screens the holdings and computes the purification from the port's facts.</summary>
    public static ShariaComplianceData Compute(ShariaInputData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var instruments = input.Instruments.ToDictionary(i => i.Symbol, StringComparer.Ordinal);
        var dividends = input.Dividends.ToDictionary(d => d.DividendId);
        var fx = input.Fx.ToDictionary(r => r.Currency, StringComparer.OrdinalIgnoreCase);
        var dividendFx = (input.DividendFx ?? new Dictionary<long, IReadOnlyList<FxRateInfo>>()).ToDictionary(
            kv => kv.Key, kv => kv.Value.ToDictionary(r => r.Currency, StringComparer.OrdinalIgnoreCase));
        var monthFrom = new DateOnly(input.BusinessDate.Year, input.BusinessDate.Month, 1);
        var yearFrom = new DateOnly(input.BusinessDate.Year, 1, 1);

        var sections = new List<ShariaAccountSection>();
        foreach (var account in input.Accounts.OrderBy(a => a.Account.AccountId))
        {
            var holdings = account.Holdings.OrderBy(h => h.Symbol, StringComparer.Ordinal)
                .Select(h => Screen(instruments[h.Symbol], h.Quantity, input.Screen)).ToList();
            var lines = new List<PurificationLine>();
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var e in account.Entitlements.Where(e => e.SharesHeld > 0))
            {
                var d = dividends[e.DividendId];
                if (d.ExDate < yearFrom || d.ExDate > input.BusinessDate)
                {
                    continue;
                }
                var s = instruments[d.Symbol].Sharia;
                var gross = e.SharesHeld * d.AmountPerShare;
                var amount = ShariaPurification.Amount(gross, s.NonPermissibleIncome, s.TotalRevenue);
                var ratio = s.TotalRevenue > 0 ? Math.Round(Math.Min(1m, s.NonPermissibleIncome / s.TotalRevenue) * 100m, 4, MidpointRounding.AwayFromZero) : 0m;
                // Purification is owed on the dividend received: converted at the rates of its payment date (the day's when it pays later).
                var rate = (dividendFx.TryGetValue(d.DividendId, out var own) ? own : fx).GetValueOrDefault(d.Currency);
                if (rate is null)
                {
                    missing.Add(d.Currency);
                }
                var issued = instruments[d.Symbol].IssuedShares;
                lines.Add(new PurificationLine(d.DividendId, d.Symbol, d.ExDate, d.RecordDate, d.PaymentDate, e.SharesHeld, d.AmountPerShare, d.Currency,
                    gross, s.NonPermissibleIncome, s.TotalRevenue, ratio, amount, rate?.UsdPerUnit, rate?.AsOf,
                    rate is null ? null : Math.Round(amount * rate.UsdPerUnit, 2, MidpointRounding.AwayFromZero),
                    issued > 0 ? ShariaPurification.AmountPerShare(s.NonPermissibleIncome / issued, e.SharesHeld) : null,
                    d.ExDate == input.BusinessDate, d.ExDate >= monthFrom));
            }
            lines = [.. lines.OrderBy(l => l.ExDate).ThenBy(l => l.Symbol, StringComparer.Ordinal).ThenBy(l => l.DividendId)];
            sections.Add(new ShariaAccountSection(account.Account, holdings, account.Decisions, lines,
                lines.Where(l => l.OnTheDay).Sum(l => l.PurificationUsd ?? 0m),
                lines.Where(l => l.InMonth).Sum(l => l.PurificationUsd ?? 0m),
                lines.Sum(l => l.PurificationUsd ?? 0m), [.. missing]));
        }
        return new ShariaComplianceData(input.BusinessDate, input.TimeZone, monthFrom, yearFrom, input.Screen, input.Fx,
            [.. input.Dividends.OrderBy(d => d.ExDate).ThenBy(d => d.Symbol, StringComparer.Ordinal)], sections);
    }

    /// <summary>A sector code with its name from the fixed classification (docs/sectors.md); anything else as recorded.</summary>
    private static string SectorLabel(string sector) =>
        TradSys.Rules.Context.SectorClassification.Codes.TryGetValue(sector, out var name) ? $"{name} ({sector})" : sector;

    /// <summary>Screens one holding under the pack's methodology, with the pack's limits.</summary>
    public static ScreenedHolding Screen(InstrumentFacts instrument, long quantity, ShariaScreenParameters screen)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentNullException.ThrowIfNull(screen);
        var s = instrument.Sharia;
        var failures = new List<string>();
        var sector = instrument.Sector.ToLowerInvariant();
        if (screen.ExcludedSectors.Contains(sector, StringComparer.Ordinal))
        {
            failures.Add($"excluded sector ({SectorLabel(instrument.Sector)})");
        }
        if (screen.Methodology == "MSCI" && screen.MsciExtraSectors.Contains(sector, StringComparer.Ordinal))
        {
            failures.Add($"sector MSCI excludes ({SectorLabel(instrument.Sector)})");
        }
        if (instrument.IsDerivative)
        {
            failures.Add("conventional derivative");
        }
        if (instrument.IsInterestBearing)
        {
            failures.Add("interest-bearing instrument");
        }
        var ratios = new List<RatioScreen>();
        if (s.AsOf is null)
        {
            failures.Add("no screening figures on file");
        }
        else
        {
            RatioScreen Ratio(string name, string parameter, decimal numerator, decimal denominator, bool strict)
            {
                var limit = screen.Limits.TryGetValue(parameter, out var l) ? l
                    : throw new InvalidOperationException($"the Sharia pack {screen.PackVersion} has no parameter {parameter}");
                // The same comparison as the pack's rule (numerator × 100 against denominator × limit), so report and order path agree.
                var pass = denominator > 0 && (strict ? numerator * 100 < denominator * limit : numerator * 100 <= denominator * limit);
                decimal? pct = denominator > 0 ? Math.Round(numerator * 100m / denominator, 4, MidpointRounding.AwayFromZero) : null;
                return new RatioScreen(name, parameter, pct, limit, strict, pass);
            }
            switch (screen.Methodology)
            {
                case "SP":
                    ratios.Add(Ratio("Debt / 36-month average market value of equity", "SpDebtMaxPct", s.TotalDebt, s.AverageMarketCap36M, true));
                    ratios.Add(Ratio("Cash and interest-bearing securities / 36-month average market value", "SpCashMaxPct",
                        s.CashAndInterestBearingSecurities, s.AverageMarketCap36M, true));
                    ratios.Add(Ratio("Receivables / 36-month average market value", "SpReceivablesMaxPct", s.Receivables, s.AverageMarketCap36M, true));
                    ratios.Add(Ratio("Non-permissible income / revenue", "SpIncomeMaxPct", s.NonPermissibleIncome, s.TotalRevenue, true));
                    break;
                case "MSCI":
                    ratios.Add(Ratio("Debt / total assets", "MsciDebtMaxPct", s.TotalDebt, s.TotalAssets, false));
                    ratios.Add(Ratio("Cash and interest-bearing securities / total assets", "MsciCashMaxPct", s.CashAndInterestBearingSecurities, s.TotalAssets, false));
                    ratios.Add(Ratio("Receivables and cash / total assets", "MsciReceivablesCashMaxPct",
                        s.Receivables + s.CashAndInterestBearingSecurities, s.TotalAssets, false));
                    ratios.Add(Ratio("Non-permissible income / revenue", "MsciIncomeMaxPct", s.NonPermissibleIncome, s.TotalRevenue, false));
                    break;
                default:
                    ratios.Add(Ratio("Debt / market cap", "AaoifiDebtMaxPct", s.TotalDebt, s.MarketCap, false));
                    ratios.Add(Ratio("Cash and interest-bearing securities / market cap", "AaoifiCashMaxPct",
                        s.CashAndInterestBearingSecurities, s.MarketCap, false));
                    ratios.Add(Ratio("Non-permissible income / revenue", "AaoifiIncomeMaxPct", s.NonPermissibleIncome, s.TotalRevenue, false));
                    break;
            }
            failures.AddRange(ratios.Where(r => !r.Pass).Select(r => r.ValuePct is { } v
                ? $"{r.Name} {Pct(v)} {(r.Strict ? "not below" : "above")} {Pct(r.LimitPct)}"
                : $"{r.Name}: denominator not positive"));
        }
        var issuer = instrument.IssuerAr is { Length: > 0 } ar ? $"{instrument.Issuer}\n{ar}" : instrument.Issuer;
        return new ScreenedHolding(instrument.Symbol, instrument.Isin, issuer, instrument.Sector, quantity, ratios, failures, failures.Count == 0,
            s.AsOf, s.Source);
    }

    /// <summary>Builds the document body for the computed data.</summary>
    public static IReadOnlyList<Block> Build(ShariaComplianceData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(data.TimeZone);
        var flagged = data.Accounts.Sum(a => a.Holdings.Count(h => !h.Compliant));
        var limits = string.Join("; ", data.Screen.Limits.Where(kv => kv.Key.StartsWith(Prefix(data.Screen.Methodology), StringComparison.Ordinal))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {Pct(kv.Value)}"));
        var blocks = new List<Block>
        {
            new Facts(
            [
                new("Day", $"{Format.Date(data.BusinessDate)} ({data.TimeZone}, {Format.Offset(data.BusinessDate, zone)})"),
                new("Screening", $"{MethodologyName(data.Screen.Methodology)}, as the published Sharia pack applies it ({data.Screen.PackId} " +
                    $"{data.Screen.PackVersion}): {limits}; excluded sectors: {string.Join(", ", data.Screen.ExcludedSectors.Select(SectorLabel))}" +
                    (data.Screen.Methodology == "MSCI" ? $", and under MSCI {string.Join(", ", data.Screen.MsciExtraSectors.Select(SectorLabel))}" : "") +
                    "; no derivatives or interest-bearing instruments."),
                new("Sharia-only accounts", Format.Count(data.Accounts.Count)),
                new("Non-compliant holdings", Format.Count(flagged)),
                new("Purification method", Method),
                new("Purification periods", $"day {Format.Date(data.BusinessDate)}; month to date from {Format.Date(data.MonthFrom)}; " +
                    $"year to date from {Format.Date(data.YearFrom)} (by ex-date)."),
                new("FX to USD", data.Fx.Count == 0 ? "no reference rates on file"
                    : string.Join("; ", data.Fx.OrderBy(r => r.Currency, StringComparer.Ordinal)
                        .Select(r => $"{r.Currency} {r.UsdPerUnit.ToString("0.######", C)} (rate of {Format.Date(r.AsOf)}), {r.Source}")) +
                      ". These are the report day's rates; each purification line is converted at the rates of its dividend's payment date " +
                      "(the report day's when it pays later), shown on the line with their date."),
                new("Screening figures", "The issuers' screening inputs on file at generation time are used for the day's screen and " +
                    "for every purification line of the year (no history of screening inputs is kept)."),
            ]),
            new Heading("Purification totals per account (USD)"),
            new Table(
                [new("Account", 3f), new("Day", 1f, CellAlign.Right), new("Month to date", 1.2f, CellAlign.Right), new("Year to date", 1.2f, CellAlign.Right)],
                data.Accounts.Select(a => (IReadOnlyList<string>)
                    [Format.Party(a.Account), Format.Money(a.DayUsd), Format.Money(a.MonthToDateUsd), Format.Money(a.YearToDateUsd)]),
                ["Total", Format.Money(data.Accounts.Sum(a => a.DayUsd)), Format.Money(data.Accounts.Sum(a => a.MonthToDateUsd)),
                    Format.Money(data.Accounts.Sum(a => a.YearToDateUsd))]),
        };
        foreach (var a in data.Accounts)
        {
            blocks.Add(new Heading($"Account {Format.Party(a.Account).Replace("\n", " ", StringComparison.Ordinal)}"));
            blocks.Add(new Paragraph($"Holdings at the end of {Format.Date(data.BusinessDate)}: {Format.Count(a.Holdings.Count)}, " +
                $"{Format.Count(a.Holdings.Count(h => !h.Compliant))} not compliant. Blocked or held by the Sharia pack on the day: " +
                $"{Format.Count(a.Decisions.Count)}. Purification year to date: {Format.Money(a.YearToDateUsd)} USD" +
                (a.MissingFx.Count > 0 ? $" (without the {string.Join(", ", a.MissingFx)} amounts: no FX rate on file)." : ".")));
            blocks.Add(new Table(
                [
                    new("Instrument", 1.7f), new("Shares", 0.8f, CellAlign.Right), new("Ratios (limit)", 3.2f), new("Result", 2.3f),
                ],
                a.Holdings.Select(h => (IReadOnlyList<string>)
                [
                    $"{h.Symbol} ({h.Isin})\n{h.Issuer}\n{SectorLabel(h.Sector)}", Format.Count(h.Quantity),
                    h.Ratios.Count == 0 ? "no figures" : string.Join("\n", h.Ratios.Select(r =>
                        $"{r.Name}: {(r.ValuePct is { } v ? Pct(v) : "n/a")} ({(r.Strict ? "below" : "max")} {Pct(r.LimitPct)})")),
                    h.Compliant
                        ? $"Compliant\nfigures of {(h.FiguresAsOf is { } d ? Format.Date(d) : "n/a")}"
                        : "NON-COMPLIANT: " + string.Join("; ", h.Failures),
                ]),
                ["Holdings", Format.Count(a.Holdings.Count), "", $"{Format.Count(a.Holdings.Count(h => !h.Compliant))} non-compliant"]));
            blocks.Add(new Table(
                [new("Order", 0.8f), new("Decided (UTC)", 1.3f), new("Order terms", 1.9f), new("Outcome", 0.8f), new("Sharia rule and message", 4.2f)],
                a.Decisions.Select(d => (IReadOnlyList<string>)
                [
                    d.OrderId.ToString(C), Format.Utc(d.DecidedAtUtc),
                    $"{d.Side} {Format.Count(d.Quantity)} {d.Symbol}" + (d.Price is { } p ? $" @ {Format.Price(p)}" : " at market"), d.Outcome,
                    string.Join("\n", d.Rules.Select(r => $"{r.ReasonCode} {r.RuleId} ({r.PackId} {r.PackVersion}): {r.Message}")),
                ]),
                ["Decisions", "", "", Format.Count(a.Decisions.Count), ""]));
            blocks.Add(new Table(
                [
                    new("Dividend (ex / record / paid)", 1.9f), new("Shares at ex-date", 0.9f, CellAlign.Right), new("Dividend", 1.3f, CellAlign.Right),
                    new("Non-perm. / revenue", 0.9f, CellAlign.Right), new("Purification", 1.2f, CellAlign.Right), new("USD", 0.9f, CellAlign.Right),
                    new("AAOIFI variant (info, not used)", 1.1f, CellAlign.Right),
                ],
                a.Purification.Select(l => (IReadOnlyList<string>)
                [
                    $"{l.Symbol} {Format.Price(l.AmountPerShare)} {l.Currency}/share\n{Format.Date(l.ExDate)} / {Format.Date(l.RecordDate)} / {Format.Date(l.PaymentDate)}",
                    Format.Count(l.SharesHeld), $"{Format.Money(l.GrossDividend)} {l.Currency}", Pct(l.RatioPct), $"{Format.Money(l.Purification)} {l.Currency}",
                    l.PurificationUsd is { } usd ? Format.Money(usd) : "no FX rate", l.AaoifiVariant is { } v ? Format.Money(v) : "n/a",
                ]),
                ["Year to date", "", "", "", "", Format.Money(a.YearToDateUsd), ""]));
        }
        return blocks;
    }

    private static string Prefix(string methodology) => methodology switch { "SP" => "Sp", "MSCI" => "Msci", _ => "Aaoifi" };

    private static string MethodologyName(string methodology) => methodology switch
    {
        "SP" => "S&P DJI Shariah indices",
        "MSCI" => "MSCI Islamic index methodology",
        _ => "AAOIFI Shari'ah Standard 21",
    };

    private static string Pct(decimal value) => value.ToString("0.00##", C) + "%";
}
