using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using TradSys.Reporting.TransactionReporting;
using TradSys.Rules.Context;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// A reference-data file for a first start: venues, instruments and FX rates as JSON (the fields of <see cref="Venue"/>,
/// <see cref="Instrument"/> and <see cref="FxRate"/>, camelCase; an instrument names its venue by code). Read and checked as a whole:
/// every problem is reported with its place in the file (line and column for what is not JSON or not the right type, the JSON
/// path, e.g. <c>instruments[2].isin</c>, for a value that is wrong), and the file is usable only when there is none.
/// </summary>
public sealed partial class ReferenceDataFile
{
    /// <summary>A problem and where it is.</summary>
    public sealed record Problem(string Where, string Message)
    {
        public override string ToString() => $"{Where}: {Message}";
    }

    /// <summary>The file's content as written.</summary>
    public sealed record Content(List<VenueEntry>? Venues, List<InstrumentEntry>? Instruments, List<FxRateEntry>? FxRates);

    /// <summary>A venue as written.</summary>
    public sealed record VenueEntry(string? Code, string? Mic, string? Name, string? Country, bool? IsEea, string? Currency, string? TimeZone,
        long? DefaultLotSize, int? PriceDecimals, int? PriceLimitUpBps, int? PriceLimitDownBps, List<VenueTickBand>? TickTable,
        List<DayOfWeek>? TradingDays, List<SessionDefinition>? Sessions, List<DateOnly>? Holidays, bool? MarketOrdersInAuctions,
        int? VolatilityBandBps, int? SuspensionMinutes, int? ClosingVwapMinutes, int? TimestampDecimals, int? SettlementDays, string? Source);

    /// <summary>An instrument as written.</summary>
    public sealed record InstrumentEntry(string? Symbol, string? Isin, string? Name, string? NameAr, string? Venue, string? Currency, string? Sector,
        long? LotSize, decimal? ReferencePrice, long? IssuedShares, long? AverageDailyVolume, bool? IsOnShortSellEligibleList,
        decimal? ForeignOwnershipLimitPct, decimal? ForeignHoldingPct, bool? IsComplex, bool? IsLiquid, bool? IsRestricted, bool? IsInterestBearing,
        bool? IsDerivative, AssetClass? AssetClass, string? UnderlyingIsin, DateOnly? ExpiresOn, decimal? PriceMultiplier, bool? TradedOnEuVenue,
        DateOnly? FirdsCheckedOn, string? ReportingSource, ShariaInputs? Sharia);

    /// <summary>An FX rate as written.</summary>
    public sealed record FxRateEntry(string? Currency, decimal? UsdPerUnit, decimal? EurPerUnit, DateOnly? AsOf, string? Source);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public IReadOnlyList<Venue> Venues { get; }
    public IReadOnlyList<Instrument> Instruments { get; }
    public IReadOnlyList<FxRate> FxRates { get; }
    public IReadOnlyList<Problem> Problems { get; }

    private ReferenceDataFile(IReadOnlyList<Venue> venues, IReadOnlyList<Instrument> instruments, IReadOnlyList<FxRate> fxRates, IReadOnlyList<Problem> problems)
    {
        Venues = venues;
        Instruments = instruments;
        FxRates = fxRates;
        Problems = problems;
    }

    /// <summary>
    /// Reads and checks <paramref name="json"/> against what the database holds already: a venue code, symbol or FX currency there
    /// is a problem (this loads new reference data; it does not change what exists), and an instrument may name a venue there.
    /// </summary>
    public static ReferenceDataFile Read(string json, IReadOnlyDictionary<string, Venue> existingVenues, IReadOnlySet<string> existingSymbols,
        IReadOnlySet<string> existingFxCurrencies)
    {
        Content? content;
        try
        {
            content = JsonSerializer.Deserialize<Content>(json, Json);
        }
        catch (JsonException e)
        {
            // The reader stops at the first malformed place: it is all that can be said until it is fixed.
            var where = $"line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}" + (string.IsNullOrEmpty(e.Path) ? "" : $" ({e.Path})");
            return Failed(new Problem(where, Plain(e)));
        }
        if (content is null)
        {
            return Failed(new Problem("$", "the file holds null: write an object with venues, instruments and fxRates"));
        }
        var problems = new List<Problem>();
        var venues = CheckVenues(content.Venues ?? [], existingVenues, problems);
        var allVenues = new Dictionary<string, Venue>(existingVenues, StringComparer.Ordinal);
        foreach (var venue in venues)
        {
            allVenues.TryAdd(venue.Code, venue);
        }
        var fxRates = CheckFxRates(content.FxRates ?? [], existingFxCurrencies, problems);
        var knownCurrencies = new HashSet<string>(existingFxCurrencies.Concat(fxRates.Select(r => r.Currency)), StringComparer.Ordinal);
        // A venue of the file that has problems of its own is reported there, not again at each of its instruments.
        var invalidVenues = (content.Venues ?? []).Where(v => v?.Code is not null && !allVenues.ContainsKey(v.Code)).Select(v => v.Code!)
            .ToHashSet(StringComparer.Ordinal);
        var instruments = CheckInstruments(content.Instruments ?? [], allVenues, invalidVenues, existingSymbols, knownCurrencies, problems);
        if (content.Venues is null && content.Instruments is null && content.FxRates is null)
        {
            problems.Add(new Problem("$", "nothing to load: give venues, instruments or fxRates"));
        }
        return new ReferenceDataFile(venues, instruments, fxRates, problems);
    }

    private static ReferenceDataFile Failed(Problem problem) => new([], [], [], [problem]);

    /// <summary>What is wrong, in the operator's words rather than System.Text.Json's (the place is given separately).</summary>
    private static string Plain(JsonException e)
    {
        var message = e.Message;
        if (UnknownField().Match(message) is { Success: true } unknown)
        {
            return $"unknown field '{unknown.Groups[1].Value}' (misspelt? docs/operations.md lists the fields)";
        }
        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return "the value has the wrong type for this field (text, a number, true or false, a date yyyy-MM-dd, a time HH:mm:ss, " +
                   "an object or a list: docs/operations.md gives each field's)";
        }
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static List<Venue> CheckVenues(List<VenueEntry> entries, IReadOnlyDictionary<string, Venue> existing, List<Problem> problems)
    {
        var venues = new List<Venue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var at = $"venues[{i}]";
            var e = entries[i];
            if (e is null)
            {
                problems.Add(new Problem(at, "is null"));
                continue;
            }
            var before = problems.Count;
            void Bad(string field, string message) => problems.Add(new Problem($"{at}.{field}", message));
            if (e.Code is null || !VenueCodePattern().IsMatch(e.Code))
            {
                Bad("code", "is required: 2-16 upper-case letters, digits or '_', starting with a letter (e.g. EGX)");
            }
            else if (existing.ContainsKey(e.Code))
            {
                Bad("code", $"venue {e.Code} is already in the database (this command adds reference data; it does not change it)");
            }
            else if (!seen.Add(e.Code))
            {
                Bad("code", $"venue {e.Code} is given twice in the file");
            }
            if (e.Mic is null || !MicPattern().IsMatch(e.Mic))
            {
                Bad("mic", "is required: the ISO 10383 market identifier code, 4 upper-case letters or digits (e.g. XCAI)");
            }
            Required(e.Name, "name", 200, Bad);
            if (e.Country is null || !CountryPattern().IsMatch(e.Country))
            {
                Bad("country", "is required: an ISO 3166 alpha-2 code (e.g. EG)");
            }
            if (e.Currency is null || !CurrencyPattern().IsMatch(e.Currency))
            {
                Bad("currency", "is required: an ISO 4217 code (e.g. EGP)");
            }
            if (string.IsNullOrWhiteSpace(e.TimeZone))
            {
                Bad("timeZone", "is required: an IANA time zone id (e.g. Africa/Cairo)");
            }
            else if (!TimeZoneInfo.TryFindSystemTimeZoneById(e.TimeZone, out _))
            {
                Bad("timeZone", $"'{e.TimeZone}' is not a time zone this machine knows (an IANA id such as Africa/Cairo or Asia/Dubai)");
            }
            Range(e.DefaultLotSize, "defaultLotSize", 1, 1_000_000, required: true, Bad);
            Range(e.PriceDecimals, "priceDecimals", 0, 6, required: true, Bad);
            Range(e.PriceLimitUpBps, "priceLimitUpBps", 0, 100_000, required: true, Bad);
            Range(e.PriceLimitDownBps, "priceLimitDownBps", 0, 10_000, required: true, Bad);
            Range(e.VolatilityBandBps, "volatilityBandBps", 0, 10_000, required: false, Bad);
            Range(e.SuspensionMinutes, "suspensionMinutes", 0, 24 * 60, required: false, Bad);
            Range(e.ClosingVwapMinutes, "closingVwapMinutes", 0, 24 * 60, required: false, Bad);
            Range(e.TimestampDecimals, "timestampDecimals", 0, 6, required: false, Bad);
            Range(e.SettlementDays, "settlementDays", 0, 10, required: true, Bad);
            Required(e.Source, "source", 2000, Bad);
            CheckTickTable(e.TickTable, e.PriceDecimals, Bad);
            if (e.TradingDays is not { Count: > 0 })
            {
                Bad("tradingDays", "is required: the days of the week the venue trades (e.g. [\"Sunday\", \"Monday\"])");
            }
            else if (e.TradingDays.Distinct().Count() != e.TradingDays.Count)
            {
                Bad("tradingDays", "names a day twice");
            }
            CheckSessions(e.Sessions, Bad);
            if (problems.Count > before)
            {
                continue;
            }
            var venue = new Venue
            {
                Code = e.Code!, Mic = e.Mic!, Name = e.Name!.Trim(), Country = e.Country!, IsEea = e.IsEea ?? false, Currency = e.Currency!,
                TimeZone = e.TimeZone!, DefaultLotSize = e.DefaultLotSize!.Value, PriceDecimals = e.PriceDecimals!.Value,
                PriceLimitUpBps = e.PriceLimitUpBps!.Value, PriceLimitDownBps = e.PriceLimitDownBps!.Value, TickTable = e.TickTable!,
                TradingDays = e.TradingDays!, Sessions = e.Sessions!, Holidays = [.. (e.Holidays ?? []).Distinct().Order()],
                MarketOrdersInAuctions = e.MarketOrdersInAuctions ?? true, VolatilityBandBps = e.VolatilityBandBps ?? 0,
                SuspensionMinutes = e.SuspensionMinutes ?? 0, ClosingVwapMinutes = e.ClosingVwapMinutes ?? 0,
                TimestampDecimals = e.TimestampDecimals ?? 3, SettlementDays = e.SettlementDays!.Value, Source = e.Source!.Trim(),
            };
            // The platform's own check at start: what it would refuse there is refused here, with the venue's place.
            try
            {
                ReferenceDataCache.BuildVenue(venue);
                venues.Add(venue);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or TimeZoneNotFoundException)
            {
                problems.Add(new Problem(at, ex.Message));
            }
        }
        return venues;
    }

    private static void CheckTickTable(List<VenueTickBand>? bands, int? decimals, Action<string, string> bad)
    {
        if (bands is not { Count: > 0 })
        {
            bad("tickTable", "is required: at least one band, the first from 0 (e.g. [{\"from\": 0, \"tick\": 0.01}])");
            return;
        }
        for (var b = 0; b < bands.Count; b++)
        {
            var band = bands[b];
            if (band is null)
            {
                bad($"tickTable[{b}]", "is null");
                continue;
            }
            if (b == 0 && band.From != 0m)
            {
                bad($"tickTable[{b}].from", "the first band starts at 0");
            }
            if (b > 0 && bands[b - 1] is { } previous && band.From <= previous.From)
            {
                bad($"tickTable[{b}].from", $"must be above the previous band's {previous.From.ToString(CultureInfo.InvariantCulture)} (bands ascend)");
            }
            if (band.Tick <= 0m)
            {
                bad($"tickTable[{b}].tick", "must be above 0");
            }
            else if (decimals is >= 0 and <= 6 && decimal.Round(band.Tick, decimals.Value) != band.Tick)
            {
                bad($"tickTable[{b}].tick", $"{band.Tick.ToString(CultureInfo.InvariantCulture)} has more than the venue's {decimals} price decimals");
            }
        }
    }

    private static void CheckSessions(List<SessionDefinition>? sessions, Action<string, string> bad)
    {
        if (sessions is not { Count: > 0 })
        {
            bad("sessions", "is required: the phases of the trading day in venue-local time (e.g. [{\"start\": \"10:00\", \"end\": \"14:30\", \"phase\": \"Continuous\"}])");
            return;
        }
        var phases = string.Join(", ", Enum.GetNames<MarketPhase>().Where(p => p != nameof(MarketPhase.Closed)));
        for (var s = 0; s < sessions.Count; s++)
        {
            var session = sessions[s];
            if (session is null)
            {
                bad($"sessions[{s}]", "is null");
                continue;
            }
            if (session.End <= session.Start)
            {
                bad($"sessions[{s}].end", $"must be after its start {session.Start:HH\\:mm} (a session ending at midnight ends at 23:59:59.9999999)");
            }
            if (s > 0 && sessions[s - 1] is { } previous && session.Start < previous.End)
            {
                bad($"sessions[{s}].start", $"overlaps the previous session, which ends at {previous.End:HH\\:mm}");
            }
            if (string.IsNullOrWhiteSpace(session.Phase) || !Enum.TryParse<MarketPhase>(session.Phase, ignoreCase: false, out var phase) ||
                !Enum.IsDefined(phase) || phase == MarketPhase.Closed || int.TryParse(session.Phase, CultureInfo.InvariantCulture, out _))
            {
                bad($"sessions[{s}].phase", $"'{session.Phase}' is not a phase: one of {phases}");
            }
        }
    }

    private static List<FxRate> CheckFxRates(List<FxRateEntry> entries, IReadOnlySet<string> existing, List<Problem> problems)
    {
        var rates = new List<FxRate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var at = $"fxRates[{i}]";
            var e = entries[i];
            if (e is null)
            {
                problems.Add(new Problem(at, "is null"));
                continue;
            }
            var before = problems.Count;
            void Bad(string field, string message) => problems.Add(new Problem($"{at}.{field}", message));
            if (e.Currency is null || !CurrencyPattern().IsMatch(e.Currency))
            {
                Bad("currency", "is required: an ISO 4217 code (e.g. EGP)");
            }
            else if (existing.Contains(e.Currency))
            {
                Bad("currency", $"a rate for {e.Currency} is already in the database");
            }
            else if (!seen.Add(e.Currency))
            {
                Bad("currency", $"{e.Currency} is given twice in the file");
            }
            if (e.UsdPerUnit is not > 0m)
            {
                Bad("usdPerUnit", "is required: US dollars per unit, above 0");
            }
            if (e.EurPerUnit is not > 0m)
            {
                Bad("eurPerUnit", "is required: euros per unit, above 0");
            }
            if (e.AsOf is null)
            {
                Bad("asOf", "is required: the date the rate is for (yyyy-MM-dd)");
            }
            Required(e.Source, "source", 2000, Bad);
            if (problems.Count == before)
            {
                rates.Add(new FxRate { Currency = e.Currency!, UsdPerUnit = e.UsdPerUnit!.Value, EurPerUnit = e.EurPerUnit!.Value, AsOf = e.AsOf!.Value, Source = e.Source!.Trim() });
            }
        }
        return rates;
    }

    private static List<Instrument> CheckInstruments(List<InstrumentEntry> entries, IReadOnlyDictionary<string, Venue> venues,
        IReadOnlySet<string> invalidVenues, IReadOnlySet<string> existing, IReadOnlySet<string> fxCurrencies, List<Problem> problems)
    {
        var instruments = new List<Instrument>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < entries.Count; i++)
        {
            var at = $"instruments[{i}]";
            var e = entries[i];
            if (e is null)
            {
                problems.Add(new Problem(at, "is null"));
                continue;
            }
            var before = problems.Count;
            void Bad(string field, string message) => problems.Add(new Problem($"{at}.{field}", message));
            if (e.Symbol is null || !SymbolPattern().IsMatch(e.Symbol))
            {
                Bad("symbol", "is required: 1-32 upper-case letters, digits, '.' or '-', starting with a letter or digit (e.g. COMI)");
            }
            else if (existing.Contains(e.Symbol))
            {
                Bad("symbol", $"{e.Symbol} is already in the database (this command adds reference data; it does not change it)");
            }
            else if (!seen.Add(e.Symbol))
            {
                Bad("symbol", $"{e.Symbol} is given twice in the file");
            }
            if (Identifiers.IsinProblem(e.Isin) is { } isin)
            {
                Bad("isin", isin);
            }
            Required(e.Name, "name", 200, Bad);
            Venue? venue = null;
            if (string.IsNullOrEmpty(e.Venue))
            {
                Bad("venue", "is required: the code of a venue in this file or in the database");
            }
            else if (!venues.TryGetValue(e.Venue, out venue) && !invalidVenues.Contains(e.Venue))
            {
                Bad("venue", $"there is no venue {e.Venue} in this file or in the database (known: {string.Join(", ", venues.Keys.Order(StringComparer.Ordinal))})");
            }
            if (e.Currency is null || !CurrencyPattern().IsMatch(e.Currency))
            {
                Bad("currency", "is required: an ISO 4217 code (e.g. EGP)");
            }
            else if (!fxCurrencies.Contains(e.Currency))
            {
                Bad("currency", $"there is no FX rate for {e.Currency} in this file or in the database: add it to fxRates " +
                                "(the rules convert every order's notional to USD and EUR)");
            }
            if (e.Sector is null || !SectorClassification.IsCode(e.Sector))
            {
                Bad("sector", $"'{e.Sector}' is not a code of the sector classification (docs/sectors.md), e.g. 40101010 for banks");
            }
            Range(e.LotSize, "lotSize", 1, 1_000_000, required: true, Bad);
            if (e.ReferencePrice is not > 0m)
            {
                Bad("referencePrice", "is required: the previous close, above 0 (the base of the daily price limits)");
            }
            else if (venue is not null && !OnTick(e.ReferencePrice.Value, venue))
            {
                Bad("referencePrice", $"{e.ReferencePrice.Value.ToString(CultureInfo.InvariantCulture)} is not on venue {venue.Code}'s tick table " +
                                      $"({venue.PriceDecimals} decimals)");
            }
            if (e.IssuedShares is < 0)
            {
                Bad("issuedShares", "must not be negative");
            }
            if (e.AverageDailyVolume is < 0)
            {
                Bad("averageDailyVolume", "must not be negative");
            }
            Percent(e.ForeignOwnershipLimitPct, "foreignOwnershipLimitPct", Bad);
            Percent(e.ForeignHoldingPct, "foreignHoldingPct", Bad);
            if (e.PriceMultiplier is <= 0m)
            {
                Bad("priceMultiplier", "must be above 0");
            }
            if (e.IsDerivative == true)
            {
                if (Identifiers.IsinProblem(e.UnderlyingIsin) is { } underlying)
                {
                    Bad("underlyingIsin", $"a derivative needs its underlying's ISIN: {underlying}");
                }
                if (e.ExpiresOn is null)
                {
                    Bad("expiresOn", "a derivative needs its expiry date");
                }
            }
            if (problems.Count > before)
            {
                continue;
            }
            instruments.Add(new Instrument
            {
                Symbol = e.Symbol!, Isin = e.Isin!, Name = e.Name!.Trim(), NameAr = e.NameAr?.Trim(), VenueCode = e.Venue!, Currency = e.Currency!,
                Sector = e.Sector!, LotSize = e.LotSize!.Value, ReferencePrice = e.ReferencePrice!.Value, IssuedShares = e.IssuedShares ?? 0,
                AverageDailyVolume = e.AverageDailyVolume ?? 0, IsOnShortSellEligibleList = e.IsOnShortSellEligibleList ?? false,
                ForeignOwnershipLimitPct = e.ForeignOwnershipLimitPct ?? 100m, ForeignHoldingPct = e.ForeignHoldingPct ?? 0m,
                IsComplex = e.IsComplex ?? false, IsLiquid = e.IsLiquid ?? false, IsRestricted = e.IsRestricted ?? false,
                IsInterestBearing = e.IsInterestBearing ?? false, IsDerivative = e.IsDerivative ?? false, AssetClass = e.AssetClass ?? AssetClass.None,
                UnderlyingIsin = e.UnderlyingIsin, ExpiresOn = e.ExpiresOn, PriceMultiplier = e.PriceMultiplier ?? 1m,
                TradedOnEuVenue = e.TradedOnEuVenue ?? false, FirdsCheckedOn = e.FirdsCheckedOn, ReportingSource = e.ReportingSource,
                Sharia = e.Sharia ?? new ShariaInputs(),
            });
        }
        return instruments;
    }

    private static bool OnTick(decimal price, Venue venue)
    {
        if (decimal.Round(price, venue.PriceDecimals) != price)
        {
            return false;
        }
        var band = venue.TickTable.Where(b => b.From <= price).MaxBy(b => b.From);
        return band is not null && price % band.Tick == 0m;
    }

    private static void Required(string? value, string field, int max, Action<string, string> bad)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            bad(field, "is required");
        }
        else if (value.Trim().Length > max)
        {
            bad(field, $"must be at most {max} characters");
        }
    }

    private static void Range(long? value, string field, long min, long max, bool required, Action<string, string> bad)
    {
        if (value is null)
        {
            if (required)
            {
                bad(field, $"is required: a whole number from {min} to {max}");
            }
        }
        else if (value < min || value > max)
        {
            bad(field, $"{value} is outside {min}-{max}");
        }
    }

    private static void Percent(decimal? value, string field, Action<string, string> bad)
    {
        if (value is < 0m or > 100m)
        {
            bad(field, $"{value.Value.ToString(CultureInfo.InvariantCulture)} is not a percentage from 0 to 100");
        }
    }

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownField();

    [GeneratedRegex("^[A-Z][A-Z0-9_]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex VenueCodePattern();

    [GeneratedRegex("^[A-Z0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex MicPattern();

    [GeneratedRegex("^[A-Z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex CountryPattern();

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^[A-Z0-9][A-Z0-9.-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex SymbolPattern();
}
