using TradSys.Rules.Context;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>Accounts that pass every rule of the packs that apply to them, and the orders each pack's cases start from.</summary>
internal static class RuleCaseTemplates
{
    public const string ValidLei = "5493001KJTIIGC8Y1R12";
    public const string OtherLei = "529900T8BM49AURSDO55";

    /// <summary>An Egyptian retail individual, classified, documented for FATCA, with room on every limit.</summary>
    public static void Passing(Account a)
    {
        a.ClientCategory = ClientCategory.Retail;
        a.IsClassified = true;
        a.Jurisdiction = Jurisdiction.Egypt;
        a.InvestorNumber = "EG-9990001";
        a.FatcaStatus = FatcaStatus.NonUsPerson;
        a.Lei = ValidLei;
        a.CreditLimit = 1_000_000_000m;
        a.CreditCurrency = "USD";
        // No cash booked on a rule case's account: its credit line is its buying power.
        a.CreditLine = 1_000_000_000m;
        a.EquityUsd = 1_000_000m;
        a.BalanceUsd = 10_000m;
        a.NetAssetsUsd = 100_000m;
        a.EmirClass = EmirCounterpartyClass.Financial;
        a.EmirReportingExempt = true;
        a.HasMarginAgreement = true;
    }

    public static void Counterparty(Account a) => Passing(a);

    public static void Sec(Account a)
    {
        Passing(a);
        a.Jurisdiction = Jurisdiction.Us;
    }

    public static void Eu(Account a)
    {
        Passing(a);
        a.Jurisdiction = Jurisdiction.Eu;
        a.AppropriatenessAssessed = true;
        a.AppropriatenessPassed = true;
    }

    public static void Adgm(Account a)
    {
        Passing(a);
        a.Jurisdiction = Jurisdiction.Adgm;
    }

    public static void Difc(Account a)
    {
        Passing(a);
        a.Jurisdiction = Jurisdiction.Difc;
    }

    public static void Sharia(Account a)
    {
        Passing(a);
        a.ShariaOnly = true;
    }

    /// <summary>The template of a pack's cases.</summary>
    public static Action<Account> For(string pack) => pack switch
    {
        "sec" => Sec,
        "mifid" or "emir" => Eu,
        "adgm" => Adgm,
        "difc" => Difc,
        "sharia" => Sharia,
        _ => Passing,
    };

    /// <summary>The order a pack's cases start from: on the internal venue, on ADX for SCA, a non-bank for Sharia, a derivative for EMIR.</summary>
    public static Dictionary<string, object?> Order(string pack) => pack switch
    {
        "sca" => new() { ["symbol"] = "FAB", ["side"] = "Buy", ["price"] = 15.50m, ["quantity"] = 100m },
        "sharia" => new() { ["symbol"] = "FWRY.CW", ["side"] = "Buy", ["price"] = 1.50m, ["quantity"] = 10m },
        "emir" => new() { ["symbol"] = "FWRY.CW", ["side"] = "Buy", ["price"] = 1.50m, ["quantity"] = 10m, ["counterpartyLei"] = OtherLei },
        _ => new() { ["symbol"] = "COMI.INT", ["side"] = "Buy", ["price"] = 80m, ["quantity"] = 10m },
    };

    /// <summary>The instrument a pack's cases edit when a way edits reference data.</summary>
    public static string Symbol(string pack, Dictionary<string, object?>? order) =>
        order?.GetValueOrDefault("symbol") as string ?? (string)Order(pack)["symbol"]!;
}
