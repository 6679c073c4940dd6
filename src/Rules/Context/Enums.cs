namespace TradSys.Rules.Context;

// The web host stores these very types on its accounts (Web references Rules), so what the packs read is what
// the database holds; rule expressions may name only types the sandbox exposes.

/// <summary>Client categorisation (MiFID II Annex II; DFSA COB 2.3; ADGM COBS 2).</summary>
public enum ClientCategory
{
    /// <summary>Retail client.</summary>
    Retail = 1,
    /// <summary>Professional client (per se, deemed or assessed).</summary>
    Professional = 2,
    /// <summary>Market counterparty / eligible counterparty.</summary>
    MarketCounterparty = 3,
}

/// <summary>Where an account is booked; decides which rule packs apply.</summary>
public enum Jurisdiction
{
    /// <summary>Egypt (FRA).</summary>
    Egypt = 1,
    /// <summary>UAE onshore (SCA).</summary>
    UaeOnshore = 2,
    /// <summary>Abu Dhabi Global Market (FSRA).</summary>
    Adgm = 3,
    /// <summary>Dubai International Financial Centre (DFSA).</summary>
    Difc = 4,
    /// <summary>European Union (MiFID II, EMIR).</summary>
    Eu = 5,
    /// <summary>United States (SEC, FINRA).</summary>
    Us = 6,
}

/// <summary>FATCA documentation state of an account holder.</summary>
public enum FatcaStatus
{
    /// <summary>No US indicia found.</summary>
    NonUsPerson = 1,
    /// <summary>US person with a W-9 on file.</summary>
    UsPersonW9 = 2,
    /// <summary>Non-US person certified on a valid W-8BEN / W-8BEN-E.</summary>
    ForeignCertifiedW8 = 3,
    /// <summary>US indicia found and not cured; documentation pending.</summary>
    IndiciaUncured = 4,
    /// <summary>Failed to provide documentation after indicia: recalcitrant.</summary>
    Recalcitrant = 5,
}

/// <summary>US indicia under Treas. Reg. 1.1471-4(c)(5)(iv)(B); a set of flags.</summary>
[Flags]
public enum UsIndicia
{
    /// <summary>No indicia.</summary>
    None = 0,
    /// <summary>US citizen or resident.</summary>
    UsCitizenOrResident = 1,
    /// <summary>US place of birth.</summary>
    UsBirthplace = 2,
    /// <summary>US residence or mailing address, including a US PO box.</summary>
    UsAddress = 4,
    /// <summary>US telephone number.</summary>
    UsPhone = 8,
    /// <summary>Standing instructions to transfer funds to a US account.</summary>
    StandingInstructionsToUs = 16,
    /// <summary>Power of attorney or signatory authority granted to a person with a US address.</summary>
    PowerOfAttorneyUsAddress = 32,
    /// <summary>An in-care-of or hold-mail address as the sole address.</summary>
    InCareOfOrHoldMailAddress = 64,
}

/// <summary>How a sell order is marked (Reg SHO 200(g); MiFIR RTS 22 field 62).</summary>
public enum ShortMarking
{
    /// <summary>Not marked: buys, or a sell whose marking is missing.</summary>
    None = 0,
    /// <summary>Sale of shares the account owns.</summary>
    Long = 1,
    /// <summary>Short sale.</summary>
    Short = 2,
    /// <summary>Short sale exempt from the price test (Rule 201(d)).</summary>
    ShortExempt = 3,
}

/// <summary>EMIR counterparty classification.</summary>
public enum EmirCounterpartyClass
{
    /// <summary>Not an EMIR counterparty (for example an individual).</summary>
    None = 0,
    /// <summary>Financial counterparty.</summary>
    Financial = 1,
    /// <summary>Non-financial counterparty above the clearing threshold.</summary>
    NonFinancialPlus = 2,
    /// <summary>Non-financial counterparty below the clearing threshold.</summary>
    NonFinancialMinus = 3,
}

/// <summary>Derivative asset class, for EMIR clearing thresholds.</summary>
public enum AssetClass
{
    /// <summary>Not a derivative or not classified.</summary>
    None = 0,
    /// <summary>Credit derivatives.</summary>
    Credit = 1,
    /// <summary>Equity derivatives.</summary>
    Equity = 2,
    /// <summary>Interest-rate derivatives.</summary>
    Rates = 3,
    /// <summary>Foreign-exchange derivatives.</summary>
    Fx = 4,
    /// <summary>Commodity and other derivatives.</summary>
    Commodity = 5,
}
