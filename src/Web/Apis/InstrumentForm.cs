using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TradSys.Reporting.TransactionReporting;
using TradSys.Rules.Context;
using TradSys.Web.Persistence.Entities;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>A derivative's or a share's Sharia screening inputs as sent and read: the balance-sheet and income figures and their as-of date.</summary>
public sealed record ListingShariaInputs(decimal? TotalDebt, decimal? CashAndInterestBearingSecurities, decimal? Receivables,
    decimal? NonPermissibleIncome, decimal? TotalRevenue, decimal? MarketCap, decimal? AverageMarketCap36M, decimal? TotalAssets,
    string? ReportingCurrency, DateOnly? AsOf, string? Source);

/// <summary>
/// An instrument's listing data as sent to list it (POST /api/v1/instruments) or to replace it (PUT /api/v1/instruments/{symbol}): the
/// fields of the instrument entity that a listing sets. Left out means "not on file" (null, false, 0), except
/// <see cref="ForeignOwnershipLimitPct"/> (absent: 100, no limit) and <see cref="PriceMultiplier"/> (absent: 1). The tick table and the
/// price decimals are the venue's. Symbol, venue and currency are fixed once listed; the reference price is set at listing and then by
/// the venue's close. The read-only fields of <see cref="InstrumentDetailResponse"/> (status, version, tickTable, venuePhase) may be
/// sent back as read and are ignored, so a GET body, edited, is a valid PUT body.
/// </summary>
public sealed record InstrumentRequest(
    string? Symbol, string? Isin, string? Name, string? NameAr, string? Venue, string? Currency, string? Sector, long? LotSize,
    decimal? ReferencePrice, long? IssuedShares, long? AverageDailyVolume, bool? IsOnShortSellEligibleList, decimal? ForeignOwnershipLimitPct,
    decimal? ForeignHoldingPct, bool? IsComplex, bool? IsLiquid, bool? IsRestricted, bool? IsOnThresholdList, bool? IsUsSource,
    bool? IsInterestBearing, bool? IsDerivative, bool? IsOtc, string? AssetClass, string? UnderlyingIsin, DateOnly? ExpiresOn,
    decimal? PriceMultiplier, bool? TradedOnEuVenue, DateOnly? FirdsCheckedOn, DateOnly? NextFinancialStatementsOn, string? ReportingSource,
    ListingShariaInputs? Sharia, string? Reason,
    string? Status = null, int? Version = null, IReadOnlyList<VenueTickBand>? TickTable = null, string? VenuePhase = null);

/// <summary>The reason for a delisting (POST /api/v1/instruments/{symbol}/delist).</summary>
public sealed record DelistRequest(string? Reason);

/// <summary>An instrument's listing data (GET /api/v1/instruments/{symbol}/listing): every field of <see cref="InstrumentRequest"/>,
/// its status, its version, the venue's tick table and the venue's phase now.</summary>
public sealed record InstrumentDetailResponse(
    string Symbol, int Version, string Status, string Isin, string Name, string? NameAr, string Venue, string Currency, string Sector, long LotSize,
    decimal ReferencePrice, long IssuedShares, long AverageDailyVolume, bool IsOnShortSellEligibleList, decimal ForeignOwnershipLimitPct,
    decimal ForeignHoldingPct, bool IsComplex, bool IsLiquid, bool IsRestricted, bool IsOnThresholdList, bool IsUsSource,
    bool IsInterestBearing, bool IsDerivative, bool IsOtc, string AssetClass, string? UnderlyingIsin, DateOnly? ExpiresOn,
    decimal PriceMultiplier, bool TradedOnEuVenue, DateOnly? FirdsCheckedOn, DateOnly? NextFinancialStatementsOn, string? ReportingSource,
    ListingShariaInputs Sharia, IReadOnlyList<VenueTickBand> TickTable, string VenuePhase)
{
    internal static InstrumentDetailResponse From(Instrument i, int version, Venue? venue, string phase) => new(
        i.Symbol, version, i.Status.ToString(), i.Isin, i.Name, i.NameAr, i.VenueCode, i.Currency, i.Sector, i.LotSize,
        Exact.Trim(i.ReferencePrice), i.IssuedShares, i.AverageDailyVolume, i.IsOnShortSellEligibleList, Exact.Trim(i.ForeignOwnershipLimitPct),
        Exact.Trim(i.ForeignHoldingPct), i.IsComplex, i.IsLiquid, i.IsRestricted, i.IsOnThresholdList, i.IsUsSource,
        i.IsInterestBearing, i.IsDerivative, i.IsOtc, i.AssetClass.ToString(), i.UnderlyingIsin, i.ExpiresOn,
        Exact.Trim(i.PriceMultiplier), i.TradedOnEuVenue, i.FirdsCheckedOn, i.NextFinancialStatementsOn, i.ReportingSource,
        new ListingShariaInputs(Exact.Trim(i.Sharia.TotalDebt), Exact.Trim(i.Sharia.CashAndInterestBearingSecurities), Exact.Trim(i.Sharia.Receivables),
            Exact.Trim(i.Sharia.NonPermissibleIncome), Exact.Trim(i.Sharia.TotalRevenue), Exact.Trim(i.Sharia.MarketCap),
            Exact.Trim(i.Sharia.AverageMarketCap36M), Exact.Trim(i.Sharia.TotalAssets), i.Sharia.ReportingCurrency, i.Sharia.AsOf, i.Sharia.Source),
        venue?.TickTable ?? [], phase);
}

/// <summary>One version of an instrument: who changed it, when, why, which fields, and the instrument before (null when listed) and after.</summary>
public sealed record InstrumentVersionResponse(int Version, DateTime ChangedAt, string ChangedBy, string Reason, IReadOnlyList<string> ChangedFields,
    JsonElement? Before, JsonElement After);

/// <summary>
/// Checks an <see cref="InstrumentRequest"/> field by field (every problem at once, keyed by the request's field names) and applies a
/// checked request to an instrument row. Pure: the caller passes the venues and FX currencies it knows and the instrument being edited.
/// </summary>
internal static partial class InstrumentForm
{
    public const int MaxReason = 512;
    private const decimal MaxAmount = 1_000_000_000_000_000m;


    /// <summary>The facts the checks need besides the request.</summary>
    /// <param name="Current">The instrument being edited (null for a listing).</param>
    /// <param name="SymbolTaken">Whether a symbol is listed already (any status, case-insensitive).</param>
    /// <param name="Venues">The venues by code.</param>
    /// <param name="HasFxRate">Whether the platform has an FX rate for a currency.</param>
    /// <param name="KnownCurrencies">The currencies with an FX rate, for the message.</param>
    /// <param name="Today">Today (UTC): as-of dates cannot be later.</param>
    public sealed record Facts(Instrument? Current, Func<string, bool> SymbolTaken, IReadOnlyDictionary<string, Venue> Venues,
        Func<string, bool> HasFxRate, string KnownCurrencies, DateOnly Today);

    public static Dictionary<string, List<string>> Check(InstrumentRequest r, Facts facts)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var current = facts.Current;
        var symbol = r.Symbol?.Trim();
        if (current is null)
        {
            if (string.IsNullOrEmpty(symbol) || !SymbolPattern().IsMatch(symbol))
            {
                Add(errors, "symbol", "is required: 1-16 upper-case letters, digits, '.' or '-', starting with a letter or digit (e.g. COMI)");
            }
            else if (facts.SymbolTaken(symbol))
            {
                Add(errors, "symbol", $"{symbol} is listed already (change it with PUT /api/v1/instruments/{symbol})");
            }
        }
        else if (symbol is not null && !string.Equals(symbol, current.Symbol, StringComparison.Ordinal))
        {
            Add(errors, "symbol", $"is {symbol} but the instrument changed is {current.Symbol}: a symbol is fixed once listed (leave it out or send the route's)");
        }
        if (Identifiers.IsinProblem(r.Isin?.Trim()) is { } isin)
        {
            Add(errors, "isin", isin == "no ISIN" ? "is required: the ISO 6166 ISIN (12 characters, e.g. EGS60121C018)" : isin);
        }
        Text(errors, "name", r.Name, 128, required: true);
        Text(errors, "nameAr", r.NameAr, 128);

        Venue? venue = null;
        var venueCode = r.Venue?.Trim();
        if (current is not null && venueCode is not null && !string.Equals(venueCode, current.VenueCode, StringComparison.Ordinal))
        {
            Add(errors, "venue", $"is fixed once listed (it is {current.VenueCode}): its book lives on that venue; delist and list a new symbol to move it");
        }
        else if (current is not null)
        {
            facts.Venues.TryGetValue(current.VenueCode, out venue);
        }
        else if (string.IsNullOrEmpty(venueCode))
        {
            Add(errors, "venue", $"is required: the code of a venue ({string.Join(", ", facts.Venues.Keys.Order(StringComparer.Ordinal))})");
        }
        else if (!facts.Venues.TryGetValue(venueCode, out venue))
        {
            Add(errors, "venue", $"there is no venue '{venueCode}' (known: {string.Join(", ", facts.Venues.Keys.Order(StringComparer.Ordinal))})");
        }

        var currency = r.Currency?.Trim();
        if (current is not null && currency is not null && !string.Equals(currency, current.Currency, StringComparison.Ordinal))
        {
            Add(errors, "currency", $"is fixed once listed (it is {current.Currency}): positions and trades are kept in it");
        }
        else if (current is null && (currency is null || !CurrencyPattern().IsMatch(currency)))
        {
            Add(errors, "currency", "is required: an ISO 4217 code (e.g. EGP)");
        }
        else if (current is null && !facts.HasFxRate(currency!))
        {
            Add(errors, "currency", $"'{currency}' has no platform FX rate (known: {facts.KnownCurrencies}): the rules convert every order's notional to USD and EUR");
        }

        if (string.IsNullOrWhiteSpace(r.Sector))
        {
            Add(errors, "sector", "is required: a code of the sector classification (docs/sectors.md), e.g. 40101010 for conventional banks");
        }
        else if (!SectorClassification.IsCode(r.Sector.Trim()))
        {
            Add(errors, "sector", $"'{r.Sector}' is not a code of the sector classification (docs/sectors.md), e.g. 40101010 for conventional banks, 40101090 for Islamic banks");
        }

        if (r.LotSize is null)
        {
            Add(errors, "lotSize", "is required: shares per lot, 1 to 1,000,000");
        }
        else if (r.LotSize is < 1 or > 1_000_000)
        {
            Add(errors, "lotSize", string.Create(CultureInfo.InvariantCulture, $"must be 1 to 1,000,000 (it is {r.LotSize})"));
        }

        ReferencePrice(errors, r.ReferencePrice, venue, current);
        NonNegative(errors, "issuedShares", r.IssuedShares);
        NonNegative(errors, "averageDailyVolume", r.AverageDailyVolume);
        Percent(errors, "foreignOwnershipLimitPct", r.ForeignOwnershipLimitPct);
        Percent(errors, "foreignHoldingPct", r.ForeignHoldingPct);
        if (r.ForeignHoldingPct > (r.ForeignOwnershipLimitPct ?? 100m) && r.ForeignOwnershipLimitPct is >= 0m and <= 100m)
        {
            Add(errors, "foreignHoldingPct", string.Create(CultureInfo.InvariantCulture,
                $"{r.ForeignHoldingPct}% is above the foreign-ownership limit {r.ForeignOwnershipLimitPct ?? 100m}%: correct the holding or the limit"));
        }
        if (r.PriceMultiplier is <= 0m)
        {
            Add(errors, "priceMultiplier", "must be above 0 (units of the underlying per contract; 1 for a share)");
        }
        var assetClass = Choice<AssetClass>(errors, "assetClass", r.AssetClass);
        if (r.IsDerivative == true)
        {
            if (Identifiers.IsinProblem(r.UnderlyingIsin?.Trim()) is { } underlying)
            {
                Add(errors, "underlyingIsin", $"a derivative needs its underlying's ISIN: {underlying}");
            }
            if (r.ExpiresOn is null)
            {
                Add(errors, "expiresOn", "a derivative needs its expiry (last trading) date");
            }
            if (assetClass is null or TradSys.Rules.Context.AssetClass.None)
            {
                Add(errors, "assetClass", $"a derivative needs its asset class: one of {string.Join(", ", Enum.GetNames<AssetClass>().Where(n => n != "None"))}");
            }
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(r.UnderlyingIsin) || r.ExpiresOn is not null || r.IsOtc == true)
            {
                Add(errors, "isDerivative", "underlyingIsin, expiresOn and isOtc are a derivative's terms: set isDerivative true or leave them out");
            }
        }
        Text(errors, "reportingSource", r.ReportingSource, 256);
        PastDate(errors, "firdsCheckedOn", r.FirdsCheckedOn, facts.Today);
        Sharia(errors, r.Sharia, facts);
        Text(errors, "reason", r.Reason, MaxReason, required: true, what: "say why (e.g. 'new listing: EGX notice 2026/114')");
        return errors;
    }

    /// <summary>The reason of a delisting: required, at most <see cref="MaxReason"/> characters.</summary>
    public static Dictionary<string, List<string>> CheckReason(string? reason)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Text(errors, "reason", reason, MaxReason, required: true, what: "say why (e.g. 'delisted by EGX notice 2026/120')");
        return errors;
    }

    /// <summary>Sets the listing fields of <paramref name="i"/> from a request that <see cref="Check"/> accepted (symbol, venue and currency only on a new row).</summary>
    public static void Apply(InstrumentRequest r, Instrument i, bool listing)
    {
        if (listing)
        {
            i.Symbol = r.Symbol!.Trim();
            i.VenueCode = r.Venue!.Trim();
            i.Currency = r.Currency!.Trim();
            i.ReferencePrice = r.ReferencePrice!.Value;
            i.Status = InstrumentStatus.Trading;
        }
        i.Isin = r.Isin!.Trim();
        i.Name = r.Name!.Trim();
        i.NameAr = Clean(r.NameAr);
        i.Sector = r.Sector!.Trim();
        i.LotSize = r.LotSize!.Value;
        i.IssuedShares = r.IssuedShares ?? 0;
        i.AverageDailyVolume = r.AverageDailyVolume ?? 0;
        i.IsOnShortSellEligibleList = r.IsOnShortSellEligibleList == true;
        i.ForeignOwnershipLimitPct = r.ForeignOwnershipLimitPct ?? 100m;
        i.ForeignHoldingPct = r.ForeignHoldingPct ?? 0m;
        i.IsComplex = r.IsComplex == true;
        i.IsLiquid = r.IsLiquid == true;
        i.IsRestricted = r.IsRestricted == true;
        i.IsOnThresholdList = r.IsOnThresholdList == true;
        i.IsUsSource = r.IsUsSource == true;
        i.IsInterestBearing = r.IsInterestBearing == true;
        i.IsDerivative = r.IsDerivative == true;
        i.IsOtc = r.IsOtc == true;
        i.AssetClass = string.IsNullOrWhiteSpace(r.AssetClass) ? TradSys.Rules.Context.AssetClass.None : Enum.Parse<AssetClass>(r.AssetClass.Trim());
        i.UnderlyingIsin = Clean(r.UnderlyingIsin);
        i.ExpiresOn = r.ExpiresOn;
        i.PriceMultiplier = r.PriceMultiplier ?? 1m;
        i.TradedOnEuVenue = r.TradedOnEuVenue == true;
        i.FirdsCheckedOn = r.FirdsCheckedOn;
        i.NextFinancialStatementsOn = r.NextFinancialStatementsOn;
        i.ReportingSource = Clean(r.ReportingSource);
        var s = r.Sharia;
        i.Sharia = new ShariaInputs
        {
            TotalDebt = s?.TotalDebt ?? 0m, CashAndInterestBearingSecurities = s?.CashAndInterestBearingSecurities ?? 0m,
            Receivables = s?.Receivables ?? 0m, NonPermissibleIncome = s?.NonPermissibleIncome ?? 0m, TotalRevenue = s?.TotalRevenue ?? 0m,
            MarketCap = s?.MarketCap ?? 0m, AverageMarketCap36M = s?.AverageMarketCap36M ?? 0m, TotalAssets = s?.TotalAssets ?? 0m,
            ReportingCurrency = s?.ReportingCurrency?.Trim() ?? "", AsOf = s?.AsOf, Source = s?.Source?.Trim() ?? "",
        };
    }

    /// <summary>Copies every listing field and the status from one row to another (the order writer's cached row takes an edit in place).</summary>
    public static void CopyListing(Instrument from, Instrument to)
    {
        to.Isin = from.Isin;
        to.Name = from.Name;
        to.NameAr = from.NameAr;
        to.Sector = from.Sector;
        to.LotSize = from.LotSize;
        to.Status = from.Status;
        to.IssuedShares = from.IssuedShares;
        to.AverageDailyVolume = from.AverageDailyVolume;
        to.IsOnShortSellEligibleList = from.IsOnShortSellEligibleList;
        to.ForeignOwnershipLimitPct = from.ForeignOwnershipLimitPct;
        to.ForeignHoldingPct = from.ForeignHoldingPct;
        to.IsComplex = from.IsComplex;
        to.IsLiquid = from.IsLiquid;
        to.IsRestricted = from.IsRestricted;
        to.IsOnThresholdList = from.IsOnThresholdList;
        to.IsUsSource = from.IsUsSource;
        to.IsInterestBearing = from.IsInterestBearing;
        to.IsDerivative = from.IsDerivative;
        to.IsOtc = from.IsOtc;
        to.AssetClass = from.AssetClass;
        to.UnderlyingIsin = from.UnderlyingIsin;
        to.ExpiresOn = from.ExpiresOn;
        to.PriceMultiplier = from.PriceMultiplier;
        to.TradedOnEuVenue = from.TradedOnEuVenue;
        to.FirdsCheckedOn = from.FirdsCheckedOn;
        to.NextFinancialStatementsOn = from.NextFinancialStatementsOn;
        to.ReportingSource = from.ReportingSource;
        // In place: the owned Sharia inputs of a row EF Core tracks stay the same object.
        var s = to.Sharia;
        s.TotalDebt = from.Sharia.TotalDebt;
        s.CashAndInterestBearingSecurities = from.Sharia.CashAndInterestBearingSecurities;
        s.Receivables = from.Sharia.Receivables;
        s.NonPermissibleIncome = from.Sharia.NonPermissibleIncome;
        s.TotalRevenue = from.Sharia.TotalRevenue;
        s.MarketCap = from.Sharia.MarketCap;
        s.AverageMarketCap36M = from.Sharia.AverageMarketCap36M;
        s.TotalAssets = from.Sharia.TotalAssets;
        s.ReportingCurrency = from.Sharia.ReportingCurrency;
        s.AsOf = from.Sharia.AsOf;
        s.Source = from.Sharia.Source;
    }

    /// <summary>A detached copy of a row (its listing fields, status and the price state), for a version's "before" and an undo.</summary>
    public static Instrument Clone(Instrument i)
    {
        var copy = new Instrument
        {
            Symbol = i.Symbol, Isin = i.Isin, Name = i.Name, VenueCode = i.VenueCode, Currency = i.Currency, Sector = i.Sector,
            ReferencePrice = i.ReferencePrice, ClosingPrice = i.ClosingPrice, ClosingPriceOn = i.ClosingPriceOn, SuspendedUntil = i.SuspendedUntil,
        };
        CopyListing(i, copy);
        return copy;
    }

    /// <summary>The instrument as stored in a version (the detail response without the version, the venue's tick table and phase, as JSON).</summary>
    public static JsonObject Snapshot(Instrument i)
    {
        var json = JsonSerializer.SerializeToNode(InstrumentDetailResponse.From(i, 0, null, ""), VersionSnapshots.Json)!.AsObject();
        json.Remove("version");
        json.Remove("tickTable");
        json.Remove("venuePhase");
        return json;
    }

    /// <summary>The fields whose value differs between two snapshots, in the order of the response.</summary>
    public static List<string> Changed(JsonObject before, JsonObject after) => VersionSnapshots.Changed(before, after);

    public static string ToJson(JsonNode node) => VersionSnapshots.ToJson(node);

    private static void ReferencePrice(Dictionary<string, List<string>> errors, decimal? price, Venue? venue, Instrument? current)
    {
        if (current is not null)
        {
            if (price is { } sent && sent != current.ReferencePrice)
            {
                Add(errors, "referencePrice", string.Create(CultureInfo.InvariantCulture,
                    $"is set at listing and then by the venue's close (it is {Exact.Trim(current.ReferencePrice)}): leave it out or send it as read"));
            }
            return;
        }
        if (price is not > 0m)
        {
            Add(errors, "referencePrice", "is required: the first reference price (the base of the daily price limits), above 0");
        }
        else if (venue is not null && !OnTick(price.Value, venue))
        {
            Add(errors, "referencePrice", string.Create(CultureInfo.InvariantCulture,
                $"{price.Value} is not on venue {venue.Code}'s tick table ({venue.PriceDecimals} decimals; the tick at this price is {TickAt(price.Value, venue)})"));
        }
    }

    private static bool OnTick(decimal price, Venue venue) =>
        decimal.Round(price, venue.PriceDecimals) == price && TickAt(price, venue) is { } tick && price % tick == 0m;

    private static decimal? TickAt(decimal price, Venue venue) => venue.TickTable.Where(b => b.From <= price).MaxBy(b => b.From)?.Tick;

    private static void Sharia(Dictionary<string, List<string>> errors, ListingShariaInputs? s, Facts facts)
    {
        if (s is null)
        {
            return;
        }
        Amount(errors, "sharia.totalDebt", s.TotalDebt);
        Amount(errors, "sharia.cashAndInterestBearingSecurities", s.CashAndInterestBearingSecurities);
        Amount(errors, "sharia.receivables", s.Receivables);
        Amount(errors, "sharia.nonPermissibleIncome", s.NonPermissibleIncome);
        Amount(errors, "sharia.totalRevenue", s.TotalRevenue);
        Amount(errors, "sharia.marketCap", s.MarketCap);
        Amount(errors, "sharia.averageMarketCap36M", s.AverageMarketCap36M);
        Amount(errors, "sharia.totalAssets", s.TotalAssets);
        Text(errors, "sharia.source", s.Source, 256);
        if (s.NonPermissibleIncome > s.TotalRevenue)
        {
            Add(errors, "sharia.nonPermissibleIncome", "is more than totalRevenue: non-permissible income is part of the revenue");
        }
        var anyFigure = new[] { s.TotalDebt, s.CashAndInterestBearingSecurities, s.Receivables, s.NonPermissibleIncome, s.TotalRevenue, s.MarketCap,
            s.AverageMarketCap36M, s.TotalAssets }.Any(v => v is > 0m);
        if (!anyFigure)
        {
            return;
        }
        if (s.AsOf is null)
        {
            Add(errors, "sharia.asOf", "is required with screening figures: the date of the financial statements they come from");
        }
        else
        {
            PastDate(errors, "sharia.asOf", s.AsOf, facts.Today);
        }
        var currency = s.ReportingCurrency?.Trim();
        if (string.IsNullOrEmpty(currency))
        {
            Add(errors, "sharia.reportingCurrency", "is required with screening figures: the ISO 4217 currency they are in");
        }
        else if (!CurrencyPattern().IsMatch(currency))
        {
            Add(errors, "sharia.reportingCurrency", $"'{currency}' is not an ISO 4217 code (e.g. EGP)");
        }
    }

    private static void NonNegative(Dictionary<string, List<string>> errors, string field, long? value)
    {
        if (value is < 0)
        {
            Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"must be zero or more (it is {value})"));
        }
    }

    private static void Percent(Dictionary<string, List<string>> errors, string field, decimal? value)
    {
        if (value is < 0m or > 100m)
        {
            Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"must be a percentage from 0 to 100 (it is {value})"));
        }
    }

    private static void Amount(Dictionary<string, List<string>> errors, string field, decimal? value)
    {
        if (value is < 0m)
        {
            Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"must be zero or more (it is {value})"));
        }
        else if (value > MaxAmount)
        {
            Add(errors, field, "must be at most 1,000,000,000,000,000");
        }
    }

    private static void PastDate(Dictionary<string, List<string>> errors, string field, DateOnly? value, DateOnly today)
    {
        if (value is { } date && date > today)
        {
            Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd} is in the future: an as-of date is today ({today:yyyy-MM-dd}) or earlier"));
        }
    }

    [GeneratedRegex("^[A-Z0-9][A-Z0-9.-]{0,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolPattern();

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyPattern();
}
