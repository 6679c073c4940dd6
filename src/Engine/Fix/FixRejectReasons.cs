namespace TradSys.Engine.Fix;

/// <summary>SessionRejectReason (373) values of FIX 4.4, carried by a session Reject (35=3).</summary>
public enum FixSessionRejectReason
{
    /// <summary>Invalid tag number (not a FIX 4.4 or user-defined tag).</summary>
    InvalidTagNumber = 0,

    /// <summary>Required tag missing.</summary>
    RequiredTagMissing = 1,

    /// <summary>Tag not defined for this message type.</summary>
    TagNotDefinedForMessageType = 2,

    /// <summary>Undefined tag.</summary>
    UndefinedTag = 3,

    /// <summary>Tag specified without a value.</summary>
    TagSpecifiedWithoutValue = 4,

    /// <summary>Value is incorrect (out of range) for this tag.</summary>
    ValueIsIncorrect = 5,

    /// <summary>Incorrect data format for value.</summary>
    IncorrectDataFormat = 6,

    /// <summary>Decryption problem.</summary>
    DecryptionProblem = 7,

    /// <summary>Signature problem.</summary>
    SignatureProblem = 8,

    /// <summary>CompID problem.</summary>
    CompIdProblem = 9,

    /// <summary>SendingTime accuracy problem.</summary>
    SendingTimeAccuracyProblem = 10,

    /// <summary>Invalid MsgType.</summary>
    InvalidMsgType = 11,

    /// <summary>XML validation error.</summary>
    XmlValidationError = 12,

    /// <summary>Tag appears more than once.</summary>
    TagAppearsMoreThanOnce = 13,

    /// <summary>Tag specified out of required order.</summary>
    TagSpecifiedOutOfRequiredOrder = 14,

    /// <summary>Repeating group fields out of order.</summary>
    RepeatingGroupFieldsOutOfOrder = 15,

    /// <summary>Incorrect NumInGroup count for repeating group.</summary>
    IncorrectNumInGroupCount = 16,

    /// <summary>Non "data" value includes field delimiter (SOH character).</summary>
    NonDataValueIncludesFieldDelimiter = 17,

    /// <summary>Other.</summary>
    Other = 99,
}

/// <summary>BusinessRejectReason (380) values of FIX 4.4, carried by a BusinessMessageReject (35=j).</summary>
public enum FixBusinessRejectReason
{
    /// <summary>Other.</summary>
    Other = 0,

    /// <summary>Unknown ID.</summary>
    UnknownId = 1,

    /// <summary>Unknown security.</summary>
    UnknownSecurity = 2,

    /// <summary>Unsupported message type.</summary>
    UnsupportedMessageType = 3,

    /// <summary>Application not available.</summary>
    ApplicationNotAvailable = 4,

    /// <summary>Conditionally required field missing.</summary>
    ConditionallyRequiredFieldMissing = 5,

    /// <summary>Not authorized.</summary>
    NotAuthorized = 6,

    /// <summary>DeliverTo firm not available at this time.</summary>
    DeliverToFirmNotAvailable = 7,
}

/// <summary>Which kind of reject, if any, a validated message earns.</summary>
public enum FixRejectKind
{
    /// <summary>The message is valid.</summary>
    None,

    /// <summary>A session Reject (35=3) with <see cref="FixValidationResult.SessionReason"/> and RefTagID.</summary>
    Session,

    /// <summary>A BusinessMessageReject (35=j) with <see cref="FixValidationResult.BusinessReason"/>.</summary>
    Business,
}

/// <summary>The outcome of validating a message against the data dictionary: valid, or the reject it earns.</summary>
/// <param name="Kind">None, session reject or business reject.</param>
/// <param name="SessionReason">The SessionRejectReason (373) of a session reject.</param>
/// <param name="BusinessReason">The BusinessRejectReason (380) of a business reject.</param>
/// <param name="RefTagId">The tag at fault (371), <see cref="NoTag"/> when none.</param>
public readonly record struct FixValidationResult(
    FixRejectKind Kind, FixSessionRejectReason SessionReason, FixBusinessRejectReason BusinessReason, int RefTagId)
{
    /// <summary>
    /// No RefTagID: the reject names no tag. Not 0, because a field with tag 0 (or a negative one) is itself an invalid tag
    /// number that the Reject names.
    /// </summary>
    public const int NoTag = int.MinValue;

    /// <summary>A valid message.</summary>
    public static FixValidationResult Valid => new(FixRejectKind.None, default, default, NoTag);

    /// <summary>Whether the message is valid.</summary>
    public bool IsValid => Kind == FixRejectKind.None;

    /// <summary>A session reject.</summary>
    /// <param name="reason">The reason.</param>
    /// <param name="refTagId">The tag at fault.</param>
    public static FixValidationResult SessionReject(FixSessionRejectReason reason, int refTagId) =>
        new(FixRejectKind.Session, reason, default, refTagId);

    /// <summary>A business reject.</summary>
    /// <param name="reason">The reason.</param>
    /// <param name="refTagId">The tag at fault, <see cref="NoTag"/> when none.</param>
    public static FixValidationResult BusinessReject(FixBusinessRejectReason reason, int refTagId) =>
        new(FixRejectKind.Business, default, reason, refTagId);

    /// <summary>The Text (58) the reject carries: the FIX name of the reason.</summary>
    public string Text => Kind switch
    {
        FixRejectKind.Session => TextOf(SessionReason),
        FixRejectKind.Business => BusinessReason switch
        {
            FixBusinessRejectReason.UnknownId => "Unknown ID",
            FixBusinessRejectReason.UnknownSecurity => "Unknown Security",
            FixBusinessRejectReason.UnsupportedMessageType => "Unsupported Message Type",
            FixBusinessRejectReason.ApplicationNotAvailable => "Application not available",
            FixBusinessRejectReason.ConditionallyRequiredFieldMissing => "Conditionally required field missing",
            FixBusinessRejectReason.NotAuthorized => "Not authorized",
            FixBusinessRejectReason.DeliverToFirmNotAvailable => "DeliverTo firm not available at this time",
            _ => "Other",
        },
        _ => "",
    };

    /// <summary>The FIX name of a session reject reason, used as the Reject's Text.</summary>
    /// <param name="reason">The reason.</param>
    public static string TextOf(FixSessionRejectReason reason) => reason switch
    {
        FixSessionRejectReason.InvalidTagNumber => "Invalid tag number",
        FixSessionRejectReason.RequiredTagMissing => "Required tag missing",
        FixSessionRejectReason.TagNotDefinedForMessageType => "Tag not defined for this message type",
        FixSessionRejectReason.UndefinedTag => "Undefined Tag",
        FixSessionRejectReason.TagSpecifiedWithoutValue => "Tag specified without a value",
        FixSessionRejectReason.ValueIsIncorrect => "Value is incorrect (out of range) for this tag",
        FixSessionRejectReason.IncorrectDataFormat => "Incorrect data format for value",
        FixSessionRejectReason.DecryptionProblem => "Decryption problem",
        FixSessionRejectReason.SignatureProblem => "Signature problem",
        FixSessionRejectReason.CompIdProblem => "CompID problem",
        FixSessionRejectReason.SendingTimeAccuracyProblem => "SendingTime accuracy problem",
        FixSessionRejectReason.InvalidMsgType => "Invalid MsgType",
        FixSessionRejectReason.XmlValidationError => "XML Validation error",
        FixSessionRejectReason.TagAppearsMoreThanOnce => "Tag appears more than once",
        FixSessionRejectReason.TagSpecifiedOutOfRequiredOrder => "Tag specified out of required order",
        FixSessionRejectReason.RepeatingGroupFieldsOutOfOrder => "Repeating group fields out of order",
        FixSessionRejectReason.IncorrectNumInGroupCount => "Incorrect NumInGroup count for repeating group",
        FixSessionRejectReason.NonDataValueIncludesFieldDelimiter => "Non Data value includes field delimiter",
        _ => "Other",
    };
}
