using TradSys.Engine;
using TradSys.Rules.Context;

namespace TradSys.Rules.Tests.Support;

/// <summary>
/// Order contexts for tests. <see cref="Passing"/> passes every rule of every shipped pack; <see cref="For"/>
/// additionally makes one pack applicable. Rule cases mutate these to fire or to pass at the threshold.
/// </summary>
internal static class Contexts
{
    public const string ValidLei = "5493001KJTIIGC8Y1R12";
    public const string OtherValidLei = "529900T8BM49AURSDO55";
    public static readonly DateOnly TradeDate = new(2025, 6, 2);

    public static OrderContext Passing()
    {
        var c = new OrderContext();
        Fill(c);
        return c;
    }

    public static void Fill(OrderContext c)
    {
        OrderView o = c.Order;
        o.ClientOrderId = "C-1";
        o.Side = Side.Buy;
        o.Type = OrderType.Limit;
        o.TimeInForce = TimeInForce.Day;
        o.Quantity = 1_000;
        o.Price = 10.00m;
        o.Notional = 10_000m;
        o.NotionalInAccountCurrency = 10_000m;
        o.NotionalEur = 2_500m;
        o.TraderAuthorised = true;
        o.CounterpartyLei = OtherValidLei;

        AccountView a = c.Account;
        a.Id = 1;
        a.ClientCategory = ClientCategory.Retail;
        a.IsClassified = true;
        a.Jurisdiction = Jurisdiction.UaeOnshore;
        a.Lei = ValidLei;
        a.IsLegalEntity = false;
        a.IsIndividual = true;
        a.InvestorNumber = "784-1234-5678901-1";
        a.FatcaStatus = FatcaStatus.NonUsPerson;
        a.CreditLimit = 1_000_000m;
        a.EquityUsd = 100_000m;
        a.BalanceUsd = 20_000m;
        a.EmirClass = EmirCounterpartyClass.Financial;
        a.HasMarginAgreement = true;
        a.EmirReportingExempt = true;

        InstrumentView i = c.Instrument;
        i.Symbol = "ALDAR";
        i.Isin = "AEA002001013";
        i.Currency = "AED";
        i.Sector = "60201020";
        i.SectorCode = "60201020";
        i.IssuedShares = 1_000_000_000;
        i.IsOnShortSellEligibleList = true;
        i.IsLiquid = true;
        i.ForeignOwnershipLimitPct = 49m;
        i.ForeignHoldingPct = 20m;
        ShariaView s = i.Sharia;
        s.MarketCap = 10_000m;
        s.AverageMarketCap36M = 10_000m;
        s.TotalAssets = 10_000m;
        s.TotalDebt = 1_000m;
        s.CashAndInterestBearingSecurities = 1_000m;
        s.Receivables = 1_000m;
        s.NonPermissibleIncome = 0m;
        s.TotalRevenue = 1_000m;
        s.AsOf = new DateOnly(2025, 3, 31);

        c.Venue.Mic = "XADS";
        c.Venue.Country = "AE";

        MarketView m = c.Market;
        m.TradeDate = TradeDate;
        m.PriorClose = 10.00m;
        m.BestBid = 9.99m;
        m.BestAsk = 10.01m;
        m.ReferencePrice = 10.00m;
        m.DayLow = 9.80m;
        m.TickSize = 0.01m;
        m.AverageDailyVolume = 1_000_000;
    }

    /// <summary>A passing context to which pack <paramref name="packId"/> applies.</summary>
    public static OrderContext For(string packId)
    {
        OrderContext c = Passing();
        MakeApplicable(c, packId);
        return c;
    }

    public static void MakeApplicable(OrderContext c, string packId)
    {
        switch (packId)
        {
            case "sec":
                c.Account.Jurisdiction = Jurisdiction.Us;
                break;
            case "mifid":
                c.Account.Jurisdiction = Jurisdiction.Eu;
                break;
            case "adgm":
                c.Account.Jurisdiction = Jurisdiction.Adgm;
                break;
            case "difc":
                c.Account.Jurisdiction = Jurisdiction.Difc;
                break;
            case "sharia":
                c.Account.ShariaOnly = true;
                break;
            case "emir":
                c.Account.Jurisdiction = Jurisdiction.Eu;
                c.Instrument.IsDerivative = true;
                c.Instrument.AssetClass = AssetClass.Equity;
                // A derivative is a complex product (MiFID II Art 25(4)), which MiFID II also applies to for an EU account.
                c.Account.AppropriatenessAssessed = true;
                c.Account.AppropriatenessPassed = true;
                break;
            default:
                break;
        }
    }
}
