namespace TradSys.Web.Persistence.Entities;

/// <summary>Client categorisation (MiFID II Annex II; DFSA COB 2.3; ADGM COBS 2).</summary>
public enum ClientCategory
{
    Retail = 1,
    Professional = 2,
    MarketCounterparty = 3,
}

/// <summary>Where an account is booked; decides which rule packs apply.</summary>
public enum Jurisdiction
{
    Egypt = 1,
    UaeOnshore = 2,
    Adgm = 3,
    Difc = 4,
    Eu = 5,
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
    None = 0,
    UsCitizenOrResident = 1,
    UsBirthplace = 2,
    UsAddress = 4,
    UsPhone = 8,
    StandingInstructionsToUs = 16,
    PowerOfAttorneyUsAddress = 32,
    InCareOfOrHoldMailAddress = 64,
}

/// <summary>Trading state of an instrument.</summary>
public enum InstrumentStatus
{
    Trading = 1,
    Halted = 2,
    Suspended = 3,
}

/// <summary>What an order journal entry records.</summary>
public enum OrderEventKind
{
    Accepted = 1,
    Rejected = 2,
    PartiallyFilled = 3,
    Filled = 4,
    Modified = 5,
    Canceled = 6,
    /// <summary>A stop or stop-limit order's trigger price was reached; it now trades as a market or limit order.</summary>
    Triggered = 7,
}
