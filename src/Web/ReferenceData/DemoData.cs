using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using TradSys.Web.Auth;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace TradSys.Web.ReferenceData;

/// <summary>
/// Reference data every deployment needs (the venues' market rules) and, in the embedded mode, demo
/// users, accounts and instruments. Venue figures come from ../shared/DOMAIN.md; where a source marks a
/// figure unverified the venue's <see cref="Venue.Source"/> says so. Instrument prices and Sharia inputs
/// are illustrative demo figures, not taken from filings.
/// </summary>
public static class DemoData
{
    /// <summary>A demo API client: client id, secret, and the user it acts for.</summary>
    public sealed record DemoLogin(string ClientId, string ClientSecret, string UserName, string Roles);

    public static readonly IReadOnlyList<DemoLogin> Logins =
    [
        new("admin", "admin-demo-secret", "admin", Roles.Admin),
        new("trader1", "trader1-demo-secret", "trader1", Roles.Trader),
        new("trader2", "trader2-demo-secret", "trader2", Roles.Trader),
        new("compliance1", "compliance1-demo-secret", "compliance1", Roles.Compliance),
        new("compliance2", "compliance2-demo-secret", "compliance2", Roles.Compliance + "," + Roles.SeniorCompliance),
        new("regulator1", "regulator1-demo-secret", "regulator1", Roles.Regulator),
        new("viewer1", "viewer1-demo-secret", "viewer1", Roles.Viewer),
        new("ops1", "ops1-demo-secret", "ops1", Roles.Operations),
        new("risk1", "risk1-demo-secret", "risk1", Roles.Risk),
        // A second risk officer: a change of limits proposed by one is approved by the other (maker-checker).
        new("risk2", "risk2-demo-secret", "risk2", Roles.Risk),
    ];

    private static readonly TimeOnly EndOfDay = new(23, 59, 59, 999, 999);

    public static IReadOnlyList<Venue> Venues() =>
    [
        new Venue
        {
            Code = "EGX", Mic = "XCAI", Name = "The Egyptian Exchange", Country = "EG", Currency = "EGP", TimeZone = "Africa/Cairo",
            DefaultLotSize = 1, PriceDecimals = 3, PriceLimitUpBps = 2000, PriceLimitDownBps = 2000,
            MarketOrdersInAuctions = true, VolatilityBandBps = 1000, SuspensionMinutes = 10, ClosingVwapMinutes = 30,
            TimestampDecimals = 3, SettlementDays = 2,
            TickTable = [new(0m, 0.001m), new(2m, 0.01m)],
            TradingDays = [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday],
            Sessions =
            [
                new(new TimeOnly(9, 30), new TimeOnly(10, 0), "PreOpen"),
                new(new TimeOnly(10, 0), new TimeOnly(14, 15), "Continuous"),
                new(new TimeOnly(14, 15), new TimeOnly(14, 20), "ClosingAuction"),
                new(new TimeOnly(14, 20), new TimeOnly(14, 30), "TradeAtClose"),
            ],
            Source = "DOMAIN.md (EGX vs ADX). Limits +-20% since Sep 2021. Pre-open start 09:30 per the EGX Ramadan " +
                     "notice (08:30 per EFG: unverified). The 14:15-14:30 split between closing auction and trade-at-close " +
                     "is not given by the sources: unverified. A 10% move suspends the stock for 10 minutes; it reopens through a call " +
                     "auction and the 10% band is then re-centred on the reopening price (the sources do not say: unverified). " +
                     "Market orders in EGX auctions: not stated by the sources, taken (unverified). Holidays: none loaded; load the EGX calendar before production. " +
                     "Trade timestamps in milliseconds: illustrative (the venue's granularity is not given by the sources).",
        },
        new Venue
        {
            Code = "ADX", Mic = "XADS", Name = "Abu Dhabi Securities Exchange", Country = "AE", Currency = "AED", TimeZone = "Asia/Dubai",
            DefaultLotSize = 1, PriceDecimals = 3, PriceLimitUpBps = 1500, PriceLimitDownBps = 1000,
            MarketOrdersInAuctions = false, VolatilityBandBps = 0, SuspensionMinutes = 0, ClosingVwapMinutes = 0,
            TimestampDecimals = 3, SettlementDays = 2,
            TickTable = [new(0m, 0.001m), new(1m, 0.01m), new(10m, 0.02m), new(50m, 0.05m), new(100m, 0.10m)],
            TradingDays = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            Sessions =
            [
                new(new TimeOnly(9, 30), new TimeOnly(10, 0), "PreOpen"),
                new(new TimeOnly(10, 0), new TimeOnly(14, 45), "Continuous"),
                new(new TimeOnly(14, 45), new TimeOnly(14, 55), "PreClose"),
                new(new TimeOnly(14, 55), new TimeOnly(15, 0), "TradeAtLast"),
            ],
            Source = "DOMAIN.md (EGX vs ADX; SCA price limit +15%/-10%). Lot size: sources conflict (100 vs none): " +
                     "unverified, set to 1. Holidays: none loaded; load the ADX calendar before production. " +
                     "Trade timestamps in milliseconds: illustrative (the venue's granularity is not given by the sources).",
        },
        new Venue
        {
            Code = "INTERNAL", Mic = "XOFF", Name = "TradSys internal crossing venue", Country = "AE", Currency = "USD", TimeZone = "Etc/UTC",
            DefaultLotSize = 10, PriceDecimals = 3, PriceLimitUpBps = 1000, PriceLimitDownBps = 1000, TimestampDecimals = 6,
            TickTable = [new(0m, 0.01m)],
            TradingDays = [.. Enum.GetValues<DayOfWeek>()],
            Sessions = [new(TimeOnly.MinValue, EndOfDay, "Continuous")],
            Source = "The firm's own venue: continuous every day around the clock, +-10% limits, lots of 10. " +
                     "MIC XOFF because it is not a regulated market. Trades are stamped to the microsecond (the engine's clock).",
        },
    ];

    /// <summary>Conventional banks: their code in the fixed sector classification (docs/sectors.md), which the Sharia pack excludes.</summary>
    private const string ConventionalFinance = "40101010";

    /// <summary>
    /// Demo listings. Reference prices, shares outstanding (issued shares), average daily volumes, foreign-ownership figures, short-sell eligibility and
    /// Sharia inputs are illustrative demo figures (not from filings or exchange lists); the foreign-ownership limits
    /// follow the issuers' published caps where DOMAIN.md gives the usual 49% (unverified per issuer).
    /// </summary>
    public static IReadOnlyList<Instrument> Instruments() =>
    [
        TradedOnEuVenue(Equity("COMI", "EGS60121C018", "Commercial International Bank (Egypt)", "EGX", "EGP", ConventionalFinance, 80.00m, 3_000_000_000, adv: 4_000_000)),
        Equity("HRHO", "EGS69101C011", "EFG Holding", "EGX", "EGP", "40203020", 25.50m, 1_460_000_000, adv: 2_500_000),
        Equity("ETEL", "EGS48031C016", "Telecom Egypt", "EGX", "EGP", "50101020", 38.00m, 1_707_000_000, adv: 1_200_000),
        Equity("ABUK", "EGS38191C010", "Abu Qir Fertilizers and Chemical Industries", "EGX", "EGP", "15101030", 55.00m, 1_261_000_000, adv: 900_000),
        Equity("FWRY", "EGS745L1C014", "Fawry for Banking Technology and Electronic Payments", "EGX", "EGP", "40201060", 12.00m, 3_417_000_000, adv: 8_000_000),
        Equity("FAB", "AEN000101016", "First Abu Dhabi Bank", "ADX", "AED", ConventionalFinance, 15.50m, 11_047_000_000, adv: 6_000_000,
            shortEligible: true, foreignLimit: 40m, foreignHolding: 13.5m),
        Equity("ADCB", "AEA000201011", "Abu Dhabi Commercial Bank", "ADX", "AED", ConventionalFinance, 10.20m, 7_320_000_000, adv: 5_000_000,
            shortEligible: true, foreignLimit: 49m, foreignHolding: 17.2m),
        Equity("ADIB", "AEA000801018", "Abu Dhabi Islamic Bank", "ADX", "AED", "40101090", 13.50m, 3_632_000_000, adv: 3_000_000,
            foreignLimit: 40m, foreignHolding: 39.999m),
        Equity("ALDAR", "AEA002001013", "Aldar Properties", "ADX", "AED", "60201020", 8.10m, 7_862_000_000, adv: 9_000_000,
            shortEligible: true, foreignLimit: 49m, foreignHolding: 31.4m),
        TradedOnEuVenue(Equity("COMI.INT", "EGS60121C018", "Commercial International Bank (Egypt), internal line", "INTERNAL", "EGP", ConventionalFinance, 80.00m, 3_000_000_000, lot: 10, adv: 4_000_000)),
        Equity("FAB.INT", "AEN000101016", "First Abu Dhabi Bank, internal line", "INTERNAL", "AED", ConventionalFinance, 15.50m, 11_047_000_000, lot: 10, adv: 6_000_000),
        // A complex product for the appropriateness rules: a covered warrant on Fawry (a securitised derivative is a
        // transferable security, so not an EMIR derivative). Illustrative listing on the internal venue; the ISIN is made up.
        Complex(Equity("FWRY.CW", "XS0000TRDCW1", "Fawry call warrant, internal line (illustrative)", "INTERNAL", "EGP", "40203090", 1.50m,
            200_000_000, lot: 10, adv: 500_000)),
        // An exchange-traded derivative for EMIR reporting: a single-stock future on FAB (100 shares a contract, cash-settled,
        // expiring 17 Dec 2026), listed on the internal venue. Illustrative: the contract and its ISIN are made up (valid check digit).
        // A future is a complex product (appropriateness) and a conventional derivative the Sharia pack blocks.
        Future(Equity("FAB.F2612", "AETRDFABF262", "First Abu Dhabi Bank single-stock future Dec 2026, internal line (illustrative)", "INTERNAL", "AED",
            ConventionalFinance, 15.50m, 11_047_000_000, lot: 1, adv: 2_000), underlyingIsin: "AEN000101016", expiresOn: new DateOnly(2026, 12, 17),
            multiplier: 100m),
    ];

    private static Instrument Future(Instrument instrument, string underlyingIsin, DateOnly expiresOn, decimal multiplier)
    {
        instrument.IsDerivative = true;
        instrument.IsComplex = true;
        instrument.AssetClass = AssetClass.Equity;
        instrument.UnderlyingIsin = underlyingIsin;
        instrument.ExpiresOn = expiresOn;
        instrument.PriceMultiplier = multiplier;
        instrument.ReportingSource = "illustrative demo contract: made-up ISIN, expiry and multiplier; not traded on an EU venue";
        return instrument;
    }

    /// <summary>
    /// Marks an ISIN as traded on an EU trading venue (ESMA FIRDS), which makes its transactions reportable under MiFIR Art 26(2).
    /// Illustrative: no FIRDS look-up was made for the demo; check every ISIN against FIRDS before production.
    /// </summary>
    private static Instrument TradedOnEuVenue(Instrument instrument)
    {
        instrument.TradedOnEuVenue = true;
        instrument.FirdsCheckedOn = new DateOnly(2026, 11, 20);
        instrument.ReportingSource = "illustrative: FIRDS listing assumed for the demo (no FIRDS look-up made); check against ESMA FIRDS before production";
        return instrument;
    }

    private static Instrument Complex(Instrument instrument)
    {
        instrument.IsComplex = true;
        return instrument;
    }

    /// <summary>
    /// Reference FX rates for the demo (illustrative, as of the date given; not a market feed). Load the firm's daily
    /// reference rates (for example the ECB's) before production.
    /// </summary>
    public static IReadOnlyList<FxRate> FxRates()
    {
        const string source = "illustrative demo reference rates, not a market feed; load the firm's daily reference rates before production";
        var asOf = new DateOnly(2026, 11, 20);
        return
        [
            new FxRate { Currency = "USD", UsdPerUnit = 1m, EurPerUnit = 0.92m, AsOf = asOf, Source = source },
            new FxRate { Currency = "EUR", UsdPerUnit = 1.087m, EurPerUnit = 1m, AsOf = asOf, Source = source },
            new FxRate { Currency = "AED", UsdPerUnit = 0.27229m, EurPerUnit = 0.25051m, AsOf = asOf, Source = source },
            new FxRate { Currency = "EGP", UsdPerUnit = 0.02053m, EurPerUnit = 0.01889m, AsOf = asOf, Source = source },
        ];
    }

    /// <summary>
    /// Illustrative demo dividends (not the issuers' announcements): a few past ones in 2026 and a few due after the demo's
    /// trading days, so that the Sharia purification and FATCA reports have entitlements to show once demo orders trade.
    /// Every issuer here has some non-permissible income in its (illustrative) screening inputs, so each needs purifying.
    /// </summary>
    public static IReadOnlyList<Dividend> Dividends()
    {
        const string source = "illustrative demo dividend, not the issuer's announcement";
        Dividend D(string symbol, DateOnly exDate, decimal perShare, string currency) => new()
        {
            Symbol = symbol, ExDate = exDate, RecordDate = exDate.AddDays(1), PaymentDate = exDate.AddDays(14),
            AmountPerShare = perShare, Currency = currency, Source = source,
        };
        return
        [
            D("ETEL", new DateOnly(2026, 4, 15), 1.50m, "EGP"),
            D("ABUK", new DateOnly(2026, 5, 20), 4.00m, "EGP"),
            D("ALDAR", new DateOnly(2026, 3, 26), 0.20m, "AED"),
            D("ADIB", new DateOnly(2026, 3, 5), 0.75m, "AED"),
            D("ETEL", new DateOnly(2026, 12, 3), 0.75m, "EGP"),
            D("ABUK", new DateOnly(2026, 12, 8), 2.50m, "EGP"),
            D("ALDAR", new DateOnly(2026, 12, 10), 0.21m, "AED"),
        ];
    }

    private static Instrument Equity(string symbol, string isin, string name, string venue, string currency, string sector,
        decimal referencePrice, long issuedShares, long lot = 1, long adv = 0, bool shortEligible = false, decimal foreignLimit = 100m,
        decimal foreignHolding = 0m)
    {
        var marketCap = referencePrice * issuedShares;
        // Illustrative screening inputs in proportion to market capitalisation; replace with filings data.
        var bank = sector is ConventionalFinance;
        return new Instrument
        {
            Symbol = symbol, Isin = isin, Name = name, VenueCode = venue, Currency = currency, Sector = sector,
            LotSize = lot, ReferencePrice = referencePrice, IssuedShares = issuedShares, AverageDailyVolume = adv,
            IsOnShortSellEligibleList = shortEligible, ForeignOwnershipLimitPct = foreignLimit, ForeignHoldingPct = foreignHolding,
            Sharia = new ShariaInputs
            {
                MarketCap = marketCap,
                AverageMarketCap36M = marketCap * 0.95m,
                TotalAssets = marketCap * (bank ? 6m : 1.2m),
                TotalDebt = marketCap * (bank ? 4m : 0.18m),
                CashAndInterestBearingSecurities = marketCap * (bank ? 1.5m : 0.12m),
                Receivables = marketCap * (bank ? 3m : 0.2m),
                TotalRevenue = marketCap * 0.25m,
                NonPermissibleIncome = marketCap * 0.25m * (bank ? 0.6m : 0.02m),
                ReportingCurrency = currency,
                AsOf = new DateOnly(2026, 6, 30),
                Source = "illustrative demo figures, not from the issuer's filings",
            },
        };
    }

    /// <summary>The demo accounts (owned by trader1, user 2, and trader2, user 3); see the README's table.</summary>
    public static IReadOnlyList<Account> Accounts() =>
    [
        new Account
        {
            // An Egyptian fund (an FFI): W-8BEN-E with a GIIN on the IRS FFI list.
            Id = 1001, Name = "Nile Growth Fund", OwnerUserId = 2, ClientCategory = ClientCategory.Professional, IsClassified = true,
            IsLegalEntity = true, Jurisdiction = Jurisdiction.Egypt, Lei = "5299009TRDSYSNILE056", InvestorNumber = "EG-0012345", AddressCountry = "EG",
            FatcaStatus = FatcaStatus.ForeignCertifiedW8, W8BenSignedOn = new DateOnly(2025, 3, 15), W8BenExpiresOn = new DateOnly(2028, 12, 31),
            Giin = "A1B2C3.99999.SL.818", GiinOnFfiList = true, BalanceUsd = 2_400_000m, EmirClass = EmirCounterpartyClass.Financial,
            BalanceSheetUsd = 48_000_000m, TurnoverUsd = 9_000_000m, OwnFundsUsd = 30_000_000m,
            CreditLimit = 50_000_000m, CreditCurrency = "EGP",
        },
        new Account
        {
            Id = 1002, Name = "Karim Mansour", OwnerUserId = 2, ClientCategory = ClientCategory.Retail, IsClassified = true,
            Jurisdiction = Jurisdiction.Egypt, InvestorNumber = "EG-0067890", AddressCountry = "EG", FatcaStatus = FatcaStatus.NonUsPerson,
            FirstName = "Karim", Surname = "Mansour", BirthDate = new DateOnly(1984, 3, 9), Nationality = "EG", PassportNumber = "A12345678",
            BalanceUsd = 12_000m, NetAssetsUsd = 80_000m, CreditLimit = 500_000m, CreditCurrency = "EGP",
        },
        new Account
        {
            // Sharia-only: the Sharia pack screens every buy (excluded sectors, AAOIFI ratios) and blocks shorts and margin.
            Id = 1003, Name = "Huda Ibrahim", OwnerUserId = 2, ClientCategory = ClientCategory.Retail, IsClassified = true,
            Jurisdiction = Jurisdiction.Egypt, InvestorNumber = "EG-0071234", AddressCountry = "EG", FatcaStatus = FatcaStatus.NonUsPerson,
            FirstName = "Huda", Surname = "Ibrahim", BirthDate = new DateOnly(1991, 7, 21), Nationality = "EG",
            ShariaOnly = true, BalanceUsd = 30_000m, NetAssetsUsd = 150_000m, CreditLimit = 400_000m, CreditCurrency = "EGP",
        },
        new Account
        {
            // A retail client booked in the EU with no appropriateness assessment: MiFID II blocks complex products.
            // Served by the firm's (illustrative) German branch, so the branch reports his transactions in EU-traded
            // instruments; Germany's national client identifier is the CONCAT code (RTS 22 Annex II).
            Id = 1004, Name = "Lukas Weber", OwnerUserId = 2, ClientCategory = ClientCategory.Retail, IsClassified = true,
            Jurisdiction = Jurisdiction.Eu, AddressCountry = "DE", FatcaStatus = FatcaStatus.NonUsPerson,
            FirstName = "Lukas", Surname = "Weber", BirthDate = new DateOnly(1979, 5, 14), Nationality = "DE", MifidBranch = "DE", BalanceUsd = 45_000m, NetAssetsUsd = 210_000m,
            CreditLimit = 100_000m, CreditCurrency = "EUR",
        },
        new Account
        {
            Id = 2001, Name = "Gulf Family Office", OwnerUserId = 3, ClientCategory = ClientCategory.Professional, IsClassified = true,
            IsLegalEntity = true, Jurisdiction = Jurisdiction.Adgm, Lei = "984500TRDSYSGULFFO83", InvestorNumber = "784-1987-1234567-1", AddressCountry = "AE",
            FatcaStatus = FatcaStatus.ForeignCertifiedW8, W8BenSignedOn = new DateOnly(2024, 6, 10), W8BenExpiresOn = new DateOnly(2027, 12, 31),
            Giin = "G7H8J9.99999.SL.784", GiinOnFfiList = true, BalanceUsd = 9_500_000m,
            // A family office investing its own wealth: a non-financial counterparty below the clearing thresholds (illustrative).
            EmirClass = EmirCounterpartyClass.NonFinancialMinus,
            BalanceSheetUsd = 120_000_000m, TurnoverUsd = 15_000_000m, OwnFundsUsd = 60_000_000m, IsGccNational = true,
            BorrowedShares = [new BorrowedShares("FAB", 50_000, "SLB-ADX-2026-0042")],
            CreditLimit = 20_000_000m, CreditCurrency = "AED",
        },
        new Account
        {
            // US indicia (a US phone number) and no W-9 or W-8BEN: FATCA blocks trading until the indicia are cured.
            Id = 2002, Name = "Layla Haddad", OwnerUserId = 3, ClientCategory = ClientCategory.Retail, IsClassified = true,
            Jurisdiction = Jurisdiction.UaeOnshore, InvestorNumber = "784-1990-7654321-2", AddressCountry = "AE",
            FirstName = "Layla", Surname = "Haddad", BirthDate = new DateOnly(1990, 11, 2), Nationality = "AE",
            FatcaStatus = FatcaStatus.IndiciaUncured, UsIndicia = UsIndicia.UsPhone, ShariaOnly = true,
            BalanceUsd = 60_000m, NetAssetsUsd = 300_000m, CreditLimit = 250_000m, CreditCurrency = "AED",
        },
        new Account
        {
            Id = 2003, Name = "Atlantic Capital LLC", OwnerUserId = 3, ClientCategory = ClientCategory.MarketCounterparty, IsClassified = true,
            IsLegalEntity = true, Jurisdiction = Jurisdiction.Us, Lei = "549300TRDSYSATLCAP25", FatcaStatus = FatcaStatus.UsPersonW9,
            // Its W-9 gives an (illustrative) EIN: a reportable US account in the FATCA report.
            HasW9 = true, UsTin = "98-0000042", AddressCountry = "US", UsIndicia = UsIndicia.UsCitizenOrResident | UsIndicia.UsAddress, BalanceUsd = 35_000_000m, EquityUsd = 35_000_000m,
            IsForeignInvestor = true, EmirClass = EmirCounterpartyClass.Financial,
            CreditLimit = 100_000_000m, CreditCurrency = "USD",
        },
    ];

    /// <summary>Each demo account's opening deposit, in its base currency (illustrative).</summary>
    public const decimal DemoFunding = 1_000_000_000m;

    /// <summary>The payment reference of the demo accounts' opening deposits.</summary>
    public const string DemoFundingReference = "DEMO-FUNDING";

    /// <summary>
    /// Funds the demo accounts present once (also in a database created before accounts had cash): an illustrative opening deposit of
    /// <see cref="DemoFunding"/> in each account's base currency, large so that neither the demo nor the load tool is stopped by
    /// buying power. A test that wants to see buying power refuse an order withdraws or uses an account of its own.
    /// </summary>
    private static async Task FundAsync(TradSysDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.CashMovements.AnyAsync(cancellationToken))
        {
            return;
        }
        var demo = Accounts().Select(a => a.Id).ToList();
        var present = await db.Accounts.Where(a => demo.Contains(a.Id)).Select(a => new { a.Id, a.CreditCurrency }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        db.CashMovements.AddRange(present.Select(a => new CashMovement
        {
            AccountId = a.Id, Currency = a.CreditCurrency, Amount = DemoFunding, Kind = CashMovementKind.Deposit, Reference = DemoFundingReference,
            Reason = "Illustrative demo funding", EnteredBy = "system", EnteredAt = now,
        }));
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task SeedAsync(TradSysDbContext db, IOpenIddictApplicationManager applications,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!await db.Venues.AnyAsync(cancellationToken))
        {
            db.Venues.AddRange(Venues());
            db.Instruments.AddRange(ArabicNames.Apply(Instruments()));
        }
        if (!await db.FxRates.AnyAsync(cancellationToken))
        {
            db.FxRates.AddRange(FxRates());
        }
        if (!await db.Dividends.AnyAsync(cancellationToken))
        {
            var at = clock.GetUtcNow().UtcDateTime;
            db.Dividends.AddRange(Dividends().Select(d => { (d.CreatedAt, d.UpdatedAt) = (at, at); return d; }));
        }
        if (await db.Users.AnyAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
            await FundAsync(db, clock, cancellationToken);
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var hasher = new PasswordHasher<User>();
        var users = new List<User>
        {
            new() { Id = 1, UserName = "admin", DisplayName = "Platform Administrator", Roles = Roles.Admin },
            // Traders' identities for RTS 22 fields 57/59 (illustrative persons): Amira is Egyptian (passport, CCPT), Omar Emirati (CONCAT).
            new()
            {
                Id = 2, UserName = "trader1", DisplayName = "Amira Saleh", Roles = Roles.Trader,
                FirstName = "Amira", Surname = "Saleh", BirthDate = new DateOnly(1988, 4, 12), Nationality = "EG", PassportNumber = "A23456789",
            },
            new()
            {
                Id = 3, UserName = "trader2", DisplayName = "Omar Khalid", Roles = Roles.Trader,
                FirstName = "Omar", Surname = "Khalid", BirthDate = new DateOnly(1985, 1, 30), Nationality = "AE",
            },
            new() { Id = 4, UserName = "compliance1", DisplayName = "Nadia Farouk", Roles = Roles.Compliance },
            new() { Id = 5, UserName = "compliance2", DisplayName = "Youssef Hamdan", Roles = Roles.Compliance + "," + Roles.SeniorCompliance },
            new() { Id = 6, UserName = "regulator1", DisplayName = "Regulator (read-only)", Roles = Roles.Regulator },
            new() { Id = 7, UserName = "viewer1", DisplayName = "Desk Viewer", Roles = Roles.Viewer },
            new() { Id = 8, UserName = "ops1", DisplayName = "Back Office (operations)", Roles = Roles.Operations },
            new() { Id = 9, UserName = "risk1", DisplayName = "Layla Mansour (risk officer)", Roles = Roles.Risk },
            new() { Id = 10, UserName = "risk2", DisplayName = "Karim Adel (risk officer)", Roles = Roles.Risk },
        };
        foreach (var user in users)
        {
            user.CreatedAt = now;
            user.PasswordHash = hasher.HashPassword(user, $"{user.UserName}-demo-password");
        }
        db.Users.AddRange(users);
        db.Accounts.AddRange(ArabicNames.Apply(Accounts()));
        await db.SaveChangesAsync(cancellationToken);
        await FundAsync(db, clock, cancellationToken);

        foreach (var login in Logins)
        {
            if (await applications.FindByClientIdAsync(login.ClientId, cancellationToken) is not null)
            {
                continue;
            }
            var user = users.Single(u => u.UserName == login.UserName);
            var descriptor = new OpenIddictApplicationDescriptor
            {
                ClientId = login.ClientId,
                ClientSecret = login.ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = $"API client of {user.DisplayName}",
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            };
            descriptor.Properties[ApiClients.UserIdProperty] = JsonSerializer.SerializeToElement(user.Id);
            await applications.CreateAsync(descriptor, cancellationToken);
        }
    }
}
