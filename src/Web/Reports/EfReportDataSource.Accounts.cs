using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Reporting.Data;
using TradSys.Rules.Packs;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Reports;

// The account-level reports' half of the port: Sharia compliance with dividend purification, and FATCA accounts.
// Positions come from Holdings (the rules stage's query), the Sharia limits from the published pack version.
public sealed partial class EfReportDataSource
{
    /// <summary>The Sharia pack's id in the rule-pack store.</summary>
    private const string ShariaPackId = "sharia";

    public async Task<ShariaInputData> GetShariaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken)
    {
        var (_, dayEnd) = Day(businessDate, timeZone);
        var yearFrom = new DateOnly(businessDate.Year, 1, 1);
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.ShariaOnly).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var ids = accounts.Select(a => a.Id).ToList();
        var holdings = await Holdings.AsOfAsync(db, dayEnd, ids, cancellationToken);
        var dividends = await db.Dividends.AsNoTracking().Where(d => d.Status != DividendStatus.Canceled && d.ExDate >= yearFrom && d.ExDate <= businessDate)
            .OrderBy(d => d.ExDate).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        var (instruments, zones) = await InstrumentsAsync(cancellationToken);
        var entitlements = await EntitlementsAsync(dividends, ids, instruments, zones, cancellationToken);

        // The day's Sharia-pack blocks and holds on these accounts: the compliance report's rows, narrowed to the Sharia rules.
        var day = await GetComplianceDecisionsAsync(businessDate, timeZone, cancellationToken);
        var decisions = day.Decisions.Where(d => ids.Contains(d.Account.AccountId) &&
                                                 d.Rules.Any(r => r.PackId == ShariaPackId && r.Outcome is "Block" or "Review"))
            .Select(d => d with { Rules = [.. d.Rules.Where(r => r.PackId == ShariaPackId)] }).ToList();

        // Each dividend's purification at the rates of its payment date, or of the report's day when it pays later.
        var rateDays = new Dictionary<DateOnly, IReadOnlyList<FxRateInfo>>();
        foreach (var date in dividends.Select(d => d.PaymentDate < businessDate ? d.PaymentDate : businessDate).Distinct())
        {
            rateDays[date] = (await FxChoiceAsync(date, cancellationToken)).Choice.Rates;
        }
        var dividendFx = dividends.ToDictionary(d => d.Id, d => rateDays[d.PaymentDate < businessDate ? d.PaymentDate : businessDate]);

        var used = holdings.Select(h => h.Symbol).Concat(dividends.Select(d => d.Symbol)).ToHashSet(StringComparer.Ordinal);
        return new ShariaInputData(businessDate, timeZone, await ShariaScreenAsync(cancellationToken),
            [.. instruments.Values.Where(i => used.Contains(i.Symbol)).OrderBy(i => i.Symbol, StringComparer.Ordinal).Select(Facts)],
            [.. dividends.Select(d => Facts(d, instruments))], (await FxChoiceAsync(businessDate, cancellationToken)).Choice.Rates,
            [
                .. accounts.Select(a => new ShariaAccountInputs(new PartyInfo(a.Id, a.Name, a.NameAr),
                    [.. holdings.Where(h => h.AccountId == a.Id).Select(h => new PositionRow(h.Symbol, h.Quantity))],
                    [.. dividends.Select(d => new DividendEntitlement(d.Id, entitlements.GetValueOrDefault((d.Id, a.Id))))],
                    [.. decisions.Where(d => d.Account.AccountId == a.Id)])),
            ], dividendFx);
    }

    public async Task<FatcaInputData> GetFatcaInputsAsync(DateOnly businessDate, string timeZone, CancellationToken cancellationToken)
    {
        var (_, dayEnd) = Day(businessDate, timeZone);
        var periodStart = new DateOnly(businessDate.Year, 1, 1);
        var (periodFrom, _) = Day(periodStart, timeZone);
        var accounts = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var ids = accounts.Select(a => a.Id).ToList();
        var holdings = await Holdings.AsOfAsync(db, dayEnd, ids, cancellationToken);
        var (instruments, zones) = await InstrumentsAsync(cancellationToken);

        // Each held instrument at its last trade price on or before the period end, else its reference price stored for the day (else the
        // nearest earlier stored day's, else today's, labelled).
        var held = holdings.Select(h => h.Symbol).Distinct(StringComparer.Ordinal).ToList();
        var stored = await StoredPricesAsync(held, businessDate, cancellationToken);
        var prices = new Dictionary<string, (decimal Price, string Source)>(StringComparer.Ordinal);
        foreach (var symbol in held)
        {
            var last = await db.Trades.AsNoTracking().Where(t => t.Symbol == symbol && t.ExecutedAt < dayEnd).OrderByDescending(t => t.Id)
                .Select(t => new { t.Price, t.ExecutedAt }).FirstOrDefaultAsync(cancellationToken);
            if (last is null)
            {
                var reference = ReferenceFigures.Price(businessDate, Today, stored.GetValueOrDefault(symbol), instruments[symbol].ReferencePrice);
                prices[symbol] = (reference.Price, reference.Label.Replace("Reference", "reference price", StringComparison.Ordinal));
            }
            else
            {
                prices[symbol] = (last.Price, $"last trade {last.ExecutedAt:yyyy-MM-dd}");
            }
        }

        var dividends = await db.Dividends.AsNoTracking().Where(d => d.Status != DividendStatus.Canceled && d.PaymentDate >= periodStart && d.PaymentDate <= businessDate)
            .OrderBy(d => d.PaymentDate).ThenBy(d => d.Id).ToListAsync(cancellationToken);
        var entitlements = await EntitlementsAsync(dividends, ids, instruments, zones, cancellationToken);

        // Decimals are summed here rather than in SQL: SQLite keeps them as text and cannot add them exactly.
        var sales = await db.Trades.AsNoTracking().Where(t => t.ExecutedAt >= periodFrom && t.ExecutedAt < dayEnd)
            .Select(t => new { t.SellAccountId, t.Currency, t.Price, t.Quantity }).ToListAsync(cancellationToken);

        return new FatcaInputData(businessDate, timeZone, periodStart, (await FxChoiceAsync(businessDate, cancellationToken)).Choice.Rates,
        [
            .. accounts.Select(a => new FatcaAccountInputs(
                new FatcaAccountFacts(new PartyInfo(a.Id, a.Name, a.NameAr), a.Jurisdiction.ToString(), a.AddressCountry, a.IsLegalEntity,
                    a.FatcaStatus.ToString(), IndiciaNames(a.UsIndicia), a.HasW9, a.UsTin, a.W8BenExpiresOn, a.Giin, a.GiinOnFfiList,
                    a.IsPreexisting, a.BalanceUsd, a.EnhancedReviewDone),
                [
                    .. holdings.Where(h => h.AccountId == a.Id).Select(h =>
                        new ValuedPosition(h.Symbol, h.Quantity, prices[h.Symbol].Price, prices[h.Symbol].Source, instruments[h.Symbol].Currency)),
                ],
                [
                    .. dividends.Where(d => entitlements.GetValueOrDefault((d.Id, a.Id)) > 0).Select(d =>
                        new DividendPaid(d.Symbol, d.PaymentDate, entitlements[(d.Id, a.Id)], d.AmountPerShare, d.Currency)),
                ],
                [
                    .. sales.Where(s => s.SellAccountId == a.Id).GroupBy(s => s.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                        .Select(g => new CurrencyAmount(g.Sum(s => s.Price * s.Quantity), g.Key)),
                ])),
        ]);
    }

    /// <summary>Every instrument by symbol, and each venue's time zone.</summary>
    private async Task<(Dictionary<string, Instrument> Instruments, Dictionary<string, string> Zones)> InstrumentsAsync(CancellationToken ct) =>
        (await db.Instruments.AsNoTracking().ToDictionaryAsync(i => i.Symbol, StringComparer.Ordinal, ct),
         await db.Venues.AsNoTracking().ToDictionaryAsync(v => v.Code, v => v.TimeZone, StringComparer.Ordinal, ct));

    /// <summary>
    /// Shares of each dividend's ISIN each account held at the end of the day before the ex-date (venue time of the listing
    /// the dividend was declared on), over every line of that ISIN; a short or flat position is entitled to nothing.
    /// </summary>
    private async Task<Dictionary<(long DividendId, long AccountId), long>> EntitlementsAsync(IReadOnlyList<Dividend> dividends,
        IReadOnlyCollection<long> accounts, Dictionary<string, Instrument> instruments, Dictionary<string, string> zones, CancellationToken ct)
    {
        var result = new Dictionary<(long, long), long>();
        var atMoment = new Dictionary<DateTime, IReadOnlyList<Holding>>();
        foreach (var d in dividends)
        {
            var listing = instruments[d.Symbol];
            var (exStart, _) = Day(d.ExDate, zones[listing.VenueCode]);
            if (!atMoment.TryGetValue(exStart, out var positions))
            {
                atMoment[exStart] = positions = await Holdings.AsOfAsync(db, exStart, accounts, ct);
            }
            foreach (var g in positions.Where(p => instruments[p.Symbol].Isin == listing.Isin).GroupBy(p => p.AccountId))
            {
                result[(d.Id, g.Key)] = Math.Max(0, g.Sum(p => p.Quantity));
            }
        }
        return result;
    }

    /// <summary>The screening parameters of the Sharia pack version published now (what the order path enforces).</summary>
    private async Task<ShariaScreenParameters> ShariaScreenAsync(CancellationToken ct)
    {
        var head = await db.RulePackHeads.AsNoTracking().Include(h => h.CurrentVersion).SingleOrDefaultAsync(h => h.PackId == ShariaPackId, ct)
                   ?? throw new InvalidOperationException("no Sharia rule pack is published: the screening methodology and limits are unknown");
        var pack = RulePackLoader.Parse(head.CurrentVersion!.Json, $"{ShariaPackId} {head.CurrentVersion.Version}");
        var limits = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        string methodology = "AAOIFI";
        string[] excluded = [], msci = [];
        foreach (var (name, p) in pack.Parameters)
        {
            switch (p.Type)
            {
                case "number" when p.Value.ValueKind == JsonValueKind.Number:
                    limits[name] = p.Value.GetDecimal();
                    break;
                case "string" when name == "Methodology":
                    methodology = p.Value.GetString() ?? methodology;
                    break;
                case "stringList" when name == "ExcludedSectors":
                    excluded = [.. p.Value.EnumerateArray().Select(e => (e.GetString() ?? "").ToLowerInvariant())];
                    break;
                case "stringList" when name == "MsciExtraSectors":
                    msci = [.. p.Value.EnumerateArray().Select(e => (e.GetString() ?? "").ToLowerInvariant())];
                    break;
            }
        }
        return new ShariaScreenParameters(pack.Id, pack.Version, methodology, limits, excluded, msci);
    }

    private static InstrumentFacts Facts(Instrument i) =>
        new(i.Symbol, i.Isin, i.Name, i.NameAr, i.VenueCode, i.Currency, i.Sector, i.IsDerivative, i.IsInterestBearing, i.IssuedShares,
            new ShariaFigures(i.Sharia.TotalDebt, i.Sharia.CashAndInterestBearingSecurities, i.Sharia.Receivables, i.Sharia.NonPermissibleIncome,
                i.Sharia.TotalRevenue, i.Sharia.MarketCap, i.Sharia.AverageMarketCap36M, i.Sharia.TotalAssets, i.Sharia.ReportingCurrency,
                i.Sharia.AsOf, i.Sharia.Source));

    private static DividendFacts Facts(Dividend d, Dictionary<string, Instrument> instruments) =>
        new(d.Id, d.Symbol, instruments[d.Symbol].Isin, d.ExDate, d.RecordDate, d.PaymentDate, d.AmountPerShare, d.Currency, d.Source);

    private static IReadOnlyList<string> IndiciaNames(UsIndicia indicia) =>
        [.. Enum.GetValues<UsIndicia>().Where(f => f != UsIndicia.None && indicia.HasFlag(f)).Select(f => f.ToString())];
}
