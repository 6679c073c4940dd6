using TradSys.Engine;
using TradSys.Rules.Context;

namespace TradSys.Rules.Tests.Evaluation;

internal static partial class RuleCases
{
    private static IReadOnlyDictionary<string, object> Methodology(string name) => new Dictionary<string, object> { ["Methodology"] = name };

    private static partial IEnumerable<RuleCase> Others() => [.. Mifid(), .. Sca(), .. Classification("adgm"), .. Classification("difc"), .. Sharia(), .. Fatca(), .. Emir()];

    private static IEnumerable<RuleCase> Mifid()
    {
        yield return new("mifid", "MIFID.NO_LEI",
            c => { c.Account.IsLegalEntity = true; c.Account.Lei = "5493001KJTIIGC8Y1R1"; },
            c => c.Account.IsLegalEntity = true);
        yield return new("mifid", "MIFID.NO_LEI",
            c => { c.Account.IsLegalEntity = true; c.Account.Lei = ""; },
            c => c.Account.Lei = "");
        yield return new("mifid", "MIFID.TICK",
            c => { c.Market.TickSize = 0.05m; c.Order.Price = 10.02m; },
            c => { c.Market.TickSize = 0.05m; c.Order.Price = 10.05m; });
        yield return new("mifid", "MIFID.APPROPRIATENESS_MISSING",
            c => c.Instrument.IsComplex = true,
            c => { c.Instrument.IsComplex = true; c.Account.AppropriatenessAssessed = true; c.Account.AppropriatenessPassed = true; });
        // Art 25(4): a derivative is complex even when its flag says otherwise.
        yield return new("mifid", "MIFID.APPROPRIATENESS_MISSING",
            c => { c.Instrument.IsDerivative = true; c.Instrument.IsComplex = false; },
            c => { c.Instrument.IsDerivative = false; c.Instrument.IsComplex = false; });
        yield return new("mifid", "MIFID.APPROPRIATENESS_WARNING",
            c => { c.Instrument.IsComplex = true; c.Account.AppropriatenessAssessed = true; },
            c => { c.Instrument.IsComplex = true; c.Account.AppropriatenessAssessed = true; c.Account.AppropriatenessPassed = true; });
        yield return new("mifid", "MIFID.UNCOVERED_SHORT",
            c => { ShortSale(c); c.Order.HasBorrowedShares = false; c.Order.LocateId = ""; },
            c => { ShortSale(c); c.Order.HasBorrowedShares = false; });
        // 0.1% of issued capital, then each further 0.1%.
        yield return new("mifid", "MIFID.SSR_NOTIFY",
            c => { ShortSale(c); c.Aggregates.NetShortPositionPct = 0.1m; },
            c => { ShortSale(c); c.Aggregates.NetShortPositionPct = 0.099m; });
        yield return new("mifid", "MIFID.SSR_NOTIFY",
            c => { ShortSale(c); c.Aggregates.NetShortPositionPct = 0.2m; c.Aggregates.LastNotifiedShortPositionPct = 0.15m; },
            c => { ShortSale(c); c.Aggregates.NetShortPositionPct = 0.19m; c.Aggregates.LastNotifiedShortPositionPct = 0.1m; });
        yield return new("mifid", "MIFID.SSR_PUBLIC",
            c => { ShortSale(c); c.Aggregates.NetShortPositionPct = 0.5m; c.Aggregates.LastNotifiedShortPositionPct = 0.4m; },
            c => { ShortSale(c); c.Aggregates.NetShortPositionPct = 0.49m; c.Aggregates.LastNotifiedShortPositionPct = 0.4m; });
        // Art 6(2): and each 0.1% above 0.5%.
        yield return new("mifid", "MIFID.SSR_PUBLIC",
            c => { ShortSale(c); c.Aggregates.NetShortPositionPct = 0.7m; c.Aggregates.LastNotifiedShortPositionPct = 0.6m; },
            c => { ShortSale(c); c.Aggregates.NetShortPositionPct = 0.69m; c.Aggregates.LastNotifiedShortPositionPct = 0.6m; });
        yield return new("mifid", "MIFID.SSR_FALL",
            c => { ShortSale(c); c.Market.DayLow = 9.00m; },
            c => { ShortSale(c); c.Market.DayLow = 9.01m; });
    }

    private static IEnumerable<RuleCase> Sca()
    {
        yield return new("sca", "SCA.NIN", c => c.Account.InvestorNumber = "", Nothing);
        // Previous close 10.00: +15% = 11.50, -10% = 9.00.
        yield return new("sca", "SCA.PRICE_UPPER", c => c.Order.Price = 11.51m, c => c.Order.Price = 11.50m);
        yield return new("sca", "SCA.PRICE_LOWER", c => c.Order.Price = 8.99m, c => c.Order.Price = 9.00m);
        yield return new("sca", "SCA.SHORT_NOT_ELIGIBLE",
            c => { ShortSale(c); c.Instrument.IsOnShortSellEligibleList = false; },
            ShortSale);
        yield return new("sca", "SCA.SHORT_NOT_BORROWED",
            c => { ShortSale(c); c.Aggregates.BorrowedSharesAvailable = c.Order.Quantity - 1; },
            ShortSale);
        // Limit 49% of 1,000,000,000 shares; 48.9999% held: 100 shares left.
        yield return new("sca", "SCA.FOREIGN_OWNERSHIP",
            c => { c.Account.IsForeignInvestor = true; c.Instrument.ForeignHoldingPct = 48.99999m; c.Order.Quantity = 101; },
            c => { c.Account.IsForeignInvestor = true; c.Instrument.ForeignHoldingPct = 48.99999m; c.Order.Quantity = 100; });
        yield return new("sca", "SCA.FOREIGN_OWNERSHIP",
            c => { c.Account.IsGccNational = true; c.Instrument.ForeignHoldingPct = 49m; },
            c => { c.Account.IsGccNational = true; c.Instrument.ForeignHoldingPct = 48m; },
            new Dictionary<string, object> { ["GccCountsAsForeign"] = true });
        yield return new("sca", "SCA.LARGE_TRADE", c => c.Order.Notional = 30_000_000.01m, c => c.Order.Notional = 30_000_000m);
        yield return new("sca", "SCA.LARGE_TRADE",
            c => { c.Venue.Mic = "XDFM"; c.Order.Notional = 20_000_000.01m; },
            c => { c.Venue.Mic = "XDFM"; c.Order.Notional = 20_000_000m; });
        yield return new("sca", "SCA.INSIDER_BLACKOUT",
            c => { c.Aggregates.IsInsiderOfIssuer = true; c.Instrument.DaysToFinancialStatements = 15; },
            c => { c.Aggregates.IsInsiderOfIssuer = true; c.Instrument.DaysToFinancialStatements = 16; });
        // 5% of 1,000,000,000 = 50,000,000 shares.
        yield return new("sca", "SCA.SUBSTANTIAL_HOLDING",
            c => { c.Aggregates.PositionQuantity = 49_999_000; c.Order.Quantity = 1_000; },
            c => { c.Aggregates.PositionQuantity = 49_998_999; c.Order.Quantity = 1_000; });
    }

    private static IEnumerable<RuleCase> Classification(string pack)
    {
        string p = pack.ToUpperInvariant();
        yield return new(pack, p + ".CLASSIFY_FIRST", c => c.Account.IsClassified = false, Nothing);
        // Deemed professional undertaking: 2 of balance sheet $20m, turnover $40m, own funds $2m.
        yield return new(pack, p + ".UNDERTAKING_CRITERIA",
            c => { Undertaking(c); c.Account.BalanceSheetUsd = 20_000_000m; c.Account.TurnoverUsd = 39_999_999m; c.Account.OwnFundsUsd = 999_999m; },
            c => { Undertaking(c); c.Account.BalanceSheetUsd = 20_000_000m; c.Account.TurnoverUsd = 40_000_000m; c.Account.OwnFundsUsd = 0m; });
        yield return new(pack, p + ".UNDERTAKING_CRITERIA",
            c => { Undertaking(c); c.Account.OwnFundsUsd = 999_999m; },
            c => { Undertaking(c); c.Account.OwnFundsUsd = 1_000_000m; });
        // Assessed professional individual: net assets $1m and experience.
        yield return new(pack, p + ".INDIVIDUAL_CRITERIA",
            c => { c.Account.ClientCategory = ClientCategory.Professional; c.Account.NetAssetsUsd = 999_999.99m; c.Account.HasFinanceExperience = true; },
            c => { c.Account.ClientCategory = ClientCategory.Professional; c.Account.NetAssetsUsd = 1_000_000m; c.Account.HasFinanceExperience = true; });
        yield return new(pack, p + ".TRUST_CRITERIA",
            c => { Trust(c); c.Account.NetAssetsUsd = 9_999_999m; },
            c => { Trust(c); c.Account.NetAssetsUsd = 10_000_000m; });
        yield return new(pack, p + ".RETAIL_SUITABILITY",
            c => c.Order.IsAdvised = true,
            c => { c.Order.IsAdvised = true; c.Account.SuitabilityAssessed = true; });
        yield return new(pack, p + ".RETAIL_COMPLEX",
            c => c.Instrument.IsComplex = true,
            c => { c.Instrument.IsComplex = true; c.Account.ClientCategory = ClientCategory.MarketCounterparty; });
        yield return new(pack, p + ".MARKUP_DISCLOSURE",
            c => c.Order.MarkupBps = 5m,
            c => { c.Order.MarkupBps = 5m; c.Order.MarkupDisclosed = true; });

        static void Undertaking(OrderContext c)
        {
            c.Account.ClientCategory = ClientCategory.Professional;
            c.Account.IsIndividual = false;
            c.Account.IsLegalEntity = true;
        }

        static void Trust(OrderContext c)
        {
            Undertaking(c);
            c.Account.IsTrust = true;
        }
    }

    private static IEnumerable<RuleCase> Sharia()
    {
        yield return new("sharia", "SHARIA.EXCLUDED_SECTOR", c => c.Instrument.SectorCode = "30203010", c => c.Instrument.SectorCode = "50101020");
        yield return new("sharia", "SHARIA.EXCLUDED_SECTOR", c => c.Instrument.SectorCode = "40101010", c => { c.Instrument.SectorCode = "40101010"; c.Order.Side = Side.Sell; c.Order.ShortMarking = ShortMarking.Long; });
        // The free text the instrument row may still hold is never read: only the code decides.
        yield return new("sharia", "SHARIA.EXCLUDED_SECTOR",
            c => { c.Instrument.Sector = "banks"; c.Instrument.SectorCode = "40101010"; },
            c => { c.Instrument.Sector = "conventional finance"; c.Instrument.SectorCode = "40101090"; });
        yield return new("sharia", "SHARIA.MSCI_EXCLUDED_SECTOR", c => c.Instrument.SectorCode = "25301020", c => { c.Instrument.SectorCode = "25301020"; c.Order.Side = Side.Sell; c.Order.ShortMarking = ShortMarking.Long; }, Methodology("MSCI"));
        yield return new("sharia", "SHARIA.MSCI_EXCLUDED_SECTOR", c => c.Instrument.SectorCode = "50202010", c => c.Instrument.SectorCode = "50101020", Methodology("MSCI"));
        yield return new("sharia", "SHARIA.UNCLASSIFIED_SECTOR", c => c.Instrument.SectorCode = "", c => { c.Instrument.SectorCode = ""; c.Order.Side = Side.Sell; c.Order.ShortMarking = ShortMarking.Long; });
        yield return new("sharia", "SHARIA.UNKNOWN_METHODOLOGY", Nothing, c => { c.Order.Side = Side.Sell; c.Order.ShortMarking = ShortMarking.Long; }, Methodology("AAOFI"));
        yield return new("sharia", "SHARIA.SHORT_SALE", ShortSale, c => { c.Order.Side = Side.Sell; c.Order.ShortMarking = ShortMarking.Long; });
        yield return new("sharia", "SHARIA.MARGIN", c => c.Order.UsesMargin = true, Nothing);
        yield return new("sharia", "SHARIA.DERIVATIVE", c => c.Instrument.IsDerivative = true, Nothing);
        yield return new("sharia", "SHARIA.INTEREST_BEARING", c => c.Instrument.IsInterestBearing = true, Nothing);

        // Market cap 10,000: AAOIFI 30% = 3,000 (at most).
        yield return new("sharia", "SHARIA.AAOIFI_DEBT", c => c.Instrument.Sharia.TotalDebt = 3_001m, c => c.Instrument.Sharia.TotalDebt = 3_000m);
        yield return new("sharia", "SHARIA.AAOIFI_CASH", c => c.Instrument.Sharia.CashAndInterestBearingSecurities = 3_001m, c => c.Instrument.Sharia.CashAndInterestBearingSecurities = 3_000m);
        // Revenue 1,000: 5% = 50.
        yield return new("sharia", "SHARIA.AAOIFI_INCOME", c => c.Instrument.Sharia.NonPermissibleIncome = 51m, c => c.Instrument.Sharia.NonPermissibleIncome = 50m);

        // 36-month average market value 10,000: S&P below 33% (3,300 fails), receivables below 49%.
        yield return new("sharia", "SHARIA.SP_DEBT", c => c.Instrument.Sharia.TotalDebt = 3_300m, c => c.Instrument.Sharia.TotalDebt = 3_299m, Methodology("SP"));
        yield return new("sharia", "SHARIA.SP_DEBT", c => { c.Instrument.Sharia.MarketCap = 100_000m; c.Instrument.Sharia.TotalDebt = 3_300m; }, c => { c.Instrument.Sharia.AverageMarketCap36M = 100_000m; c.Instrument.Sharia.TotalDebt = 3_300m; }, Methodology("SP"));
        yield return new("sharia", "SHARIA.SP_CASH", c => c.Instrument.Sharia.CashAndInterestBearingSecurities = 3_300m, c => c.Instrument.Sharia.CashAndInterestBearingSecurities = 3_299m, Methodology("SP"));
        yield return new("sharia", "SHARIA.SP_RECEIVABLES", c => c.Instrument.Sharia.Receivables = 4_900m, c => c.Instrument.Sharia.Receivables = 4_899m, Methodology("SP"));
        yield return new("sharia", "SHARIA.SP_INCOME", c => c.Instrument.Sharia.NonPermissibleIncome = 50m, c => c.Instrument.Sharia.NonPermissibleIncome = 49m, Methodology("SP"));

        // Total assets 10,000: MSCI 33.33% = 3,333.
        yield return new("sharia", "SHARIA.MSCI_DEBT", c => c.Instrument.Sharia.TotalDebt = 3_333.01m, c => c.Instrument.Sharia.TotalDebt = 3_333m, Methodology("MSCI"));
        yield return new("sharia", "SHARIA.MSCI_DEBT", c => { c.Instrument.Sharia.MarketCap = 100_000m; c.Instrument.Sharia.TotalDebt = 3_400m; }, c => { c.Instrument.Sharia.TotalAssets = 100_000m; c.Instrument.Sharia.TotalDebt = 3_400m; }, Methodology("MSCI"));
        yield return new("sharia", "SHARIA.MSCI_CASH", c => c.Instrument.Sharia.CashAndInterestBearingSecurities = 3_333.01m, c => c.Instrument.Sharia.CashAndInterestBearingSecurities = 3_333m, Methodology("MSCI"));
        yield return new("sharia", "SHARIA.MSCI_RECEIVABLES_CASH", c => c.Instrument.Sharia.Receivables = 2_333.01m, c => c.Instrument.Sharia.Receivables = 2_333m, Methodology("MSCI"));
        yield return new("sharia", "SHARIA.MSCI_INCOME", c => c.Instrument.Sharia.NonPermissibleIncome = 50.01m, c => c.Instrument.Sharia.NonPermissibleIncome = 50m, Methodology("MSCI"));

        yield return new("sharia", "SHARIA.PURIFICATION", c => c.Instrument.Sharia.NonPermissibleIncome = 10m, Nothing);
        yield return new("sharia", "SHARIA.NO_SCREENING_DATA", c => c.Instrument.Sharia.AsOf = DateOnly.MinValue, Nothing);
    }

    private static IEnumerable<RuleCase> Fatca()
    {
        yield return new("fatca", "FATCA.US_PERSON_NO_W9",
            c => c.Account.UsIndicia = UsIndicia.UsCitizenOrResident | UsIndicia.UsPhone,
            c => { c.Account.UsIndicia = UsIndicia.UsCitizenOrResident; c.Account.HasW9 = true; });
        yield return new("fatca", "FATCA.INDICIA_UNCURED",
            c => { c.Account.UsIndicia = UsIndicia.UsBirthplace; c.Account.W8BenExpiresOn = Support.Contexts.TradeDate.AddDays(-1); },
            c => { c.Account.UsIndicia = UsIndicia.UsBirthplace; c.Account.W8BenExpiresOn = Support.Contexts.TradeDate; });
        yield return new("fatca", "FATCA.W8BEN_EXPIRED",
            c => { c.Account.FatcaStatus = FatcaStatus.ForeignCertifiedW8; c.Account.W8BenExpiresOn = new DateOnly(2024, 12, 31); },
            c => { c.Account.FatcaStatus = FatcaStatus.ForeignCertifiedW8; c.Account.W8BenExpiresOn = new DateOnly(2025, 12, 31); });
        yield return new("fatca", "FATCA.ENTITY_GIIN",
            c => { Entity(c); c.Account.Giin = "98Q96B.00000.LE.25"; },
            Entity);
        yield return new("fatca", "FATCA.ENTITY_GIIN",
            c => { Entity(c); c.Account.GiinOnFfiList = false; },
            Entity);
        yield return new("fatca", "FATCA.UNDOCUMENTED", c => c.Account.FatcaStatus = FatcaStatus.IndiciaUncured, Nothing);
        yield return new("fatca", "FATCA.RECALCITRANT", c => c.Account.FatcaStatus = FatcaStatus.Recalcitrant, Nothing);
        yield return new("fatca", "FATCA.RECALCITRANT_WITHHOLDING",
            c => { c.Account.FatcaStatus = FatcaStatus.Recalcitrant; c.Instrument.IsUsSource = true; },
            c => c.Instrument.IsUsSource = true);
        yield return new("fatca", "FATCA.ENHANCED_REVIEW",
            c => { c.Account.IsPreexisting = true; c.Account.BalanceUsd = 1_000_000.01m; },
            c => { c.Account.IsPreexisting = true; c.Account.BalanceUsd = 1_000_000m; });

        static void Entity(OrderContext c)
        {
            c.Account.IsLegalEntity = true;
            c.Account.IsIndividual = false;
            c.Account.FatcaStatus = FatcaStatus.ForeignCertifiedW8;
            c.Account.Giin = "98Q96B.00000.LE.250";
            c.Account.GiinOnFfiList = true;
        }
    }

    private static IEnumerable<RuleCase> Emir()
    {
        // Natural persons are not EMIR counterparties and need no LEI; undertakings do.
        yield return new("emir", "EMIR.OWN_LEI",
            c => { c.Account.Lei = ""; c.Account.IsLegalEntity = true; c.Account.IsIndividual = false; },
            c => c.Account.Lei = "");
        // Only OTC: on an exchange-traded derivative the counterparty is the clearing member or CCP.
        yield return new("emir", "EMIR.COUNTERPARTY_LEI",
            c => { c.Instrument.IsOtc = true; c.Order.CounterpartyLei = "LEI"; },
            c => c.Order.CounterpartyLei = "");
        yield return new("emir", "EMIR.UTI_TOO_LONG",
            c => c.Order.Uti = new string('A', 53),
            c => c.Order.Uti = new string('A', 52));
        yield return new("emir", "EMIR.REPORT_T1", c => c.Account.EmirReportingExempt = false, Nothing);
        // Equity €1bn; credit €1bn; rates €3bn; FX €3bn; commodity €4bn.
        foreach ((AssetClass assetClass, decimal threshold) in new[] { (AssetClass.Equity, 1_000_000_000m), (AssetClass.Credit, 1_000_000_000m), (AssetClass.Rates, 3_000_000_000m), (AssetClass.Fx, 3_000_000_000m), (AssetClass.Commodity, 4_000_000_000m) })
        {
            yield return new("emir", "EMIR.CLEARING_THRESHOLD",
                c => { NfcMinus(c, assetClass); c.Aggregates.OtcDerivativeNotionalEur = threshold - c.Order.NotionalEur + 0.01m; },
                c => { NfcMinus(c, assetClass); c.Aggregates.OtcDerivativeNotionalEur = threshold - c.Order.NotionalEur; });
        }

        yield return new("emir", "EMIR.CONFIRM_T1", c => c.Instrument.IsOtc = true, c => { c.Instrument.IsOtc = true; c.Account.EmirClass = EmirCounterpartyClass.NonFinancialMinus; });
        yield return new("emir", "EMIR.CONFIRM_T2", c => { c.Instrument.IsOtc = true; c.Account.EmirClass = EmirCounterpartyClass.NonFinancialMinus; }, c => c.Instrument.IsOtc = true);
        yield return new("emir", "EMIR.UNCLEARED_MARGIN",
            c => { c.Instrument.IsOtc = true; c.Account.HasMarginAgreement = false; c.Aggregates.UnclearedNotionalEur = 8_000_000_000m; },
            c => { c.Instrument.IsOtc = true; c.Account.HasMarginAgreement = false; c.Aggregates.UnclearedNotionalEur = 8_000_000_000m - c.Order.NotionalEur; });

        static void NfcMinus(OrderContext c, AssetClass assetClass)
        {
            c.Account.EmirClass = EmirCounterpartyClass.NonFinancialMinus;
            c.Instrument.AssetClass = assetClass;
        }
    }
}
