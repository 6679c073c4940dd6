namespace TradSys.Engine.Fix;

/// <summary>
/// The FIX 4.4 data dictionary for the messages TradSys exchanges: the standard header and trailer, the seven session
/// messages, order entry (D, F, G, H, q, AF), execution reports (8), cancel rejects (9), business rejects (j), security
/// definitions (d) and market data (V, W, X), with their fields, types, required tags, enumerated values and repeating groups. Built once in code (no file
/// to read: the engine does no I/O); immutable and shared.
/// </summary>
public sealed class FixDataDictionary
{
    /// <summary>Tags 1 to 956 are the FIX 4.4 field numbers.</summary>
    private const int LastFix44Tag = 956;

    /// <summary>Every MsgType FIX 4.4 defines; one that is valid but not in this dictionary is refused with a business reject.</summary>
    private static readonly string[] Fix44MsgTypes =
    [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N",
        "P", "Q", "R", "S", "T", "V", "W", "X", "Y", "Z", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
        "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "AA", "AB", "AC", "AD", "AE", "AF", "AG", "AH", "AI",
        "AJ", "AK", "AL", "AM", "AN", "AO", "AP", "AQ", "AR", "AS", "AT", "AU", "AV", "AW", "AX", "AY", "AZ", "BA", "BB",
        "BC", "BD", "BE", "BF", "BG", "BH",
    ];

    private readonly FixFieldDefinition?[] fields = new FixFieldDefinition?[LastFix44Tag + 1];
    private readonly Dictionary<int, FixGroupDefinition> groups = [];
    private readonly List<FixMessageDefinition> messages = [];
    private readonly FixMessageDefinition?[] singleCharacter = new FixMessageDefinition?[128];
    private readonly FixMember?[] header = new FixMember?[FixMessageDefinition.TagLimit];
    private readonly bool[] trailer = new bool[FixMessageDefinition.TagLimit];

    private FixDataDictionary()
    {
        DefineFields();
        DefineGroups();
        HeaderArray = Members("8* 9* 35* 49* 56* 115 128 90 91 34* 50 142 57 143 116 144 129 145 43 97 52* 122 212 213 347 369 627");
        foreach (var member in HeaderArray)
        {
            header[member.Tag] = member;
        }

        Trailer = Members("93 89 10*");
        foreach (var member in Trailer)
        {
            trailer[member.Tag] = true;
        }

        DefineMessages();
    }

    /// <summary>The FIX 4.4 dictionary.</summary>
    public static FixDataDictionary Fix44 { get; } = new();

    /// <summary>The standard header's members, in order (BeginString, BodyLength, MsgType first).</summary>
    public IReadOnlyList<FixMember> Header => HeaderArray;

    /// <summary>The header's members as an array, for allocation-free iteration.</summary>
    internal FixMember[] HeaderArray { get; }

    /// <summary>The standard trailer's members.</summary>
    public IReadOnlyList<FixMember> Trailer { get; }

    /// <summary>The message types defined.</summary>
    public IReadOnlyList<FixMessageDefinition> Messages => messages;

    /// <summary>The field with a tag, or null when the dictionary does not define it.</summary>
    /// <param name="tag">The tag.</param>
    public FixFieldDefinition? Field(int tag) => (uint)tag < (uint)fields.Length ? fields[tag] : null;

    /// <summary>
    /// The repeating group introduced by a NumInGroup tag, or null. NoMDEntries (268) has different members in W and X,
    /// so it is not here: take it from the message's member (<c>Message("W"u8)!.Member(268)!.Group</c>).
    /// </summary>
    /// <param name="countTag">The count tag, e.g. 453 NoPartyIDs.</param>
    public FixGroupDefinition? Group(int countTag) => groups.GetValueOrDefault(countTag);

    /// <summary>The message type with a MsgType value, or null.</summary>
    /// <param name="msgType">The MsgType (35) value.</param>
    public FixMessageDefinition? Message(ReadOnlySpan<byte> msgType)
    {
        if (msgType.Length == 1 && msgType[0] < singleCharacter.Length)
        {
            return singleCharacter[msgType[0]];
        }

        foreach (var message in messages)
        {
            if (msgType.SequenceEqual(message.MsgTypeBytes.Span))
            {
                return message;
            }
        }

        return null;
    }

    /// <summary>Whether a MsgType is one FIX 4.4 defines (whether or not this dictionary supports it).</summary>
    /// <param name="msgType">The MsgType value.</param>
    public static bool IsFix44MsgType(ReadOnlySpan<byte> msgType)
    {
        if (msgType.Length is < 1 or > 2)
        {
            return false;
        }

        foreach (string type in Fix44MsgTypes)
        {
            if (msgType.Length == type.Length && msgType[0] == type[0] && (type.Length == 1 || msgType[1] == type[1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a tag number exists in FIX 4.4 (1-956). A user-defined tag (5000-9999) is an invalid tag number here, as for
    /// QuickFIX with the standard dictionary: none is agreed with any peer, so it is refused rather than silently ignored.
    /// </summary>
    /// <param name="tag">The tag.</param>
    public static bool IsKnownTagNumber(int tag) => tag is >= 1 and <= LastFix44Tag;

    /// <summary>The header member with a tag, or null.</summary>
    /// <param name="tag">The tag.</param>
    public FixMember? HeaderMember(int tag) => (uint)tag < (uint)header.Length ? header[tag] : null;

    /// <summary>Whether a tag is a trailer field (SignatureLength, Signature, CheckSum).</summary>
    /// <param name="tag">The tag.</param>
    public bool IsTrailer(int tag) => (uint)tag < (uint)trailer.Length && trailer[tag];

    private void DefineFields()
    {
        const string digits = "0 1 2 3 4 5 6 7 8 9";
        F(1, "Account", FixFieldType.String);
        F(6, "AvgPx", FixFieldType.Price);
        F(7, "BeginSeqNo", FixFieldType.SeqNum);
        F(8, "BeginString", FixFieldType.String);
        F(9, "BodyLength", FixFieldType.Length);
        F(10, "CheckSum", FixFieldType.String);
        F(11, "ClOrdID", FixFieldType.String);
        F(14, "CumQty", FixFieldType.Qty);
        F(15, "Currency", FixFieldType.Currency);
        F(16, "EndSeqNo", FixFieldType.SeqNum);
        F(17, "ExecID", FixFieldType.String);
        F(18, "ExecInst", FixFieldType.MultipleValueString);
        F(19, "ExecRefID", FixFieldType.String);
        F(21, "HandlInst", FixFieldType.Char, "1 2 3");
        F(22, "SecurityIDSource", FixFieldType.String, "1 2 3 4 5 6 7 8 9 A B C D E F G H");
        F(30, "LastMkt", FixFieldType.Exchange);
        F(31, "LastPx", FixFieldType.Price);
        F(32, "LastQty", FixFieldType.Qty);
        F(34, "MsgSeqNum", FixFieldType.SeqNum);
        F(35, "MsgType", FixFieldType.String);
        F(36, "NewSeqNo", FixFieldType.SeqNum);
        F(37, "OrderID", FixFieldType.String);
        F(38, "OrderQty", FixFieldType.Qty);
        F(39, "OrdStatus", FixFieldType.Char, digits + " A B C D E");
        F(40, "OrdType", FixFieldType.Char, "1 2 3 4 5 6 7 8 9 D E G I J K L M P Q");
        F(41, "OrigClOrdID", FixFieldType.String);
        F(43, "PossDupFlag", FixFieldType.Boolean);
        F(44, "Price", FixFieldType.Price);
        F(45, "RefSeqNum", FixFieldType.SeqNum);
        F(48, "SecurityID", FixFieldType.String);
        F(49, "SenderCompID", FixFieldType.String);
        F(50, "SenderSubID", FixFieldType.String);
        F(52, "SendingTime", FixFieldType.UtcTimestamp);
        F(54, "Side", FixFieldType.Char, "1 2 3 4 5 6 7 8 9 A B C D E F G");
        F(55, "Symbol", FixFieldType.String);
        F(56, "TargetCompID", FixFieldType.String);
        F(57, "TargetSubID", FixFieldType.String);
        F(58, "Text", FixFieldType.String);
        F(59, "TimeInForce", FixFieldType.Char, "0 1 2 3 4 5 6 7");
        F(60, "TransactTime", FixFieldType.UtcTimestamp);
        F(65, "SymbolSfx", FixFieldType.String);
        F(75, "TradeDate", FixFieldType.LocalMktDate);
        F(77, "PositionEffect", FixFieldType.Char, "O C R F");
        F(89, "Signature", FixFieldType.Data);
        F(90, "SecureDataLen", FixFieldType.Length);
        F(91, "SecureData", FixFieldType.Data);
        F(93, "SignatureLength", FixFieldType.Length);
        F(95, "RawDataLength", FixFieldType.Length);
        F(96, "RawData", FixFieldType.Data);
        F(97, "PossResend", FixFieldType.Boolean);
        F(98, "EncryptMethod", FixFieldType.Int, "0 1 2 3 4 5 6");
        F(99, "StopPx", FixFieldType.Price);
        F(100, "ExDestination", FixFieldType.Exchange);
        F(102, "CxlRejReason", FixFieldType.Int, "0 1 2 3 4 5 6 99");
        F(103, "OrdRejReason", FixFieldType.Int, "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 18 99");
        F(107, "SecurityDesc", FixFieldType.String);
        F(108, "HeartBtInt", FixFieldType.Int);
        F(110, "MinQty", FixFieldType.Qty);
        F(111, "MaxFloor", FixFieldType.Qty);
        F(112, "TestReqID", FixFieldType.String);
        F(114, "LocateReqd", FixFieldType.Boolean);
        F(115, "OnBehalfOfCompID", FixFieldType.String);
        F(116, "OnBehalfOfSubID", FixFieldType.String);
        F(122, "OrigSendingTime", FixFieldType.UtcTimestamp);
        F(123, "GapFillFlag", FixFieldType.Boolean);
        F(126, "ExpireTime", FixFieldType.UtcTimestamp);
        F(128, "DeliverToCompID", FixFieldType.String);
        F(129, "DeliverToSubID", FixFieldType.String);
        F(141, "ResetSeqNumFlag", FixFieldType.Boolean);
        F(142, "SenderLocationID", FixFieldType.String);
        F(143, "TargetLocationID", FixFieldType.String);
        F(144, "OnBehalfOfLocationID", FixFieldType.String);
        F(145, "DeliverToLocationID", FixFieldType.String);
        F(146, "NoRelatedSym", FixFieldType.NumInGroup);
        F(150, "ExecType", FixFieldType.Char, "0 3 4 5 6 7 8 9 A B C D E F G H I");
        F(151, "LeavesQty", FixFieldType.Qty);
        F(152, "CashOrderQty", FixFieldType.Qty);
        F(167, "SecurityType", FixFieldType.String,
            "EUSUPRA FAC FADN PEF SUPRA CORP CPP CB DUAL EUCORP XLINKD STRUCT YANK FOR CS PS BRADY EUSOV TBOND TINT TIPS TCAL TPRN " +
            "UST USTB TNOTE TBILL REPO FORWARD BUYSELL SECLOAN SECPLEDGE TERM RVLV RVLVTRM BRIDGE LOFC SWING DINP DEFLTED WITHDRN " +
            "REPLACD MATURED AMENDED RETIRED BA BN BOX CD CL CP DN EUCD EUCP LQN MTN ONITE PN PZFJ STN TD XCN YCD ABS CMBS CMO IET " +
            "MBS MIO MPO MPP MPT PFAND TBA AN COFO COFP GO MT RAN REV SPCLA SPCLO SPCLT TAN TAXA TECP TRAN VRDN WAR MF MLEG NONE FUT OPT");
        F(168, "EffectiveTime", FixFieldType.UtcTimestamp);
        F(198, "SecondaryOrderID", FixFieldType.String);
        F(200, "MaturityMonthYear", FixFieldType.MonthYear);
        F(207, "SecurityExchange", FixFieldType.Exchange);
        F(212, "XmlDataLen", FixFieldType.Length);
        F(213, "XmlData", FixFieldType.Data);
        F(262, "MDReqID", FixFieldType.String);
        F(263, "SubscriptionRequestType", FixFieldType.Char, "0 1 2");
        F(264, "MarketDepth", FixFieldType.Int);
        F(265, "MDUpdateType", FixFieldType.Int, "0 1");
        F(266, "AggregatedBook", FixFieldType.Boolean);
        F(267, "NoMDEntryTypes", FixFieldType.NumInGroup);
        F(268, "NoMDEntries", FixFieldType.NumInGroup);
        F(269, "MDEntryType", FixFieldType.Char, digits + " A B C");
        F(270, "MDEntryPx", FixFieldType.Price);
        F(271, "MDEntrySize", FixFieldType.Qty);
        F(272, "MDEntryDate", FixFieldType.UtcDateOnly);
        F(273, "MDEntryTime", FixFieldType.UtcTimeOnly);
        F(274, "TickDirection", FixFieldType.Char, "0 1 2 3");
        F(275, "MDMkt", FixFieldType.Exchange);
        F(276, "QuoteCondition", FixFieldType.MultipleValueString);
        F(277, "TradeCondition", FixFieldType.MultipleValueString);
        F(278, "MDEntryID", FixFieldType.String);
        F(279, "MDUpdateAction", FixFieldType.Char, "0 1 2 3 4 5");
        F(280, "MDEntryRefID", FixFieldType.String);
        F(282, "MDEntryOriginator", FixFieldType.String);
        F(283, "LocationID", FixFieldType.String);
        F(285, "DeleteReason", FixFieldType.Char, "0 1");
        F(286, "OpenCloseSettlFlag", FixFieldType.MultipleValueString);
        F(290, "MDEntryPositionNo", FixFieldType.Int);
        F(291, "FinancialStatus", FixFieldType.MultipleValueString);
        F(292, "CorporateAction", FixFieldType.MultipleValueString);
        F(320, "SecurityReqID", FixFieldType.String);
        F(322, "SecurityResponseID", FixFieldType.String);
        F(323, "SecurityResponseType", FixFieldType.Int, "1 2 5 6");
        F(336, "TradingSessionID", FixFieldType.String);
        F(346, "NumberOfOrders", FixFieldType.Int);
        F(347, "MessageEncoding", FixFieldType.String);
        F(354, "EncodedTextLen", FixFieldType.Length);
        F(355, "EncodedText", FixFieldType.Data);
        F(369, "LastMsgSeqNumProcessed", FixFieldType.SeqNum);
        F(371, "RefTagID", FixFieldType.Int);
        F(372, "RefMsgType", FixFieldType.String);
        F(373, "SessionRejectReason", FixFieldType.Int, "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 99");
        F(378, "ExecRestatementReason", FixFieldType.Int);
        F(379, "BusinessRejectRefID", FixFieldType.String);
        F(380, "BusinessRejectReason", FixFieldType.Int, "0 1 2 3 4 5 6 7");
        F(383, "MaxMessageSize", FixFieldType.Length);
        F(384, "NoMsgTypes", FixFieldType.NumInGroup);
        F(305, "UnderlyingSecurityIDSource", FixFieldType.String);
        F(309, "UnderlyingSecurityID", FixFieldType.String);
        F(311, "UnderlyingSymbol", FixFieldType.String);
        F(385, "MsgDirection", FixFieldType.Char, "S R");
        F(386, "NoTradingSessions", FixFieldType.NumInGroup);
        F(387, "TotalVolumeTraded", FixFieldType.Qty);
        F(432, "ExpireDate", FixFieldType.LocalMktDate);
        F(434, "CxlRejResponseTo", FixFieldType.Char, "1 2");
        F(447, "PartyIDSource", FixFieldType.Char, "B C D E F G H I 1 2 3 4 5 6 7 8 9");
        F(448, "PartyID", FixFieldType.String);
        F(452, "PartyRole", FixFieldType.Int);
        F(453, "NoPartyIDs", FixFieldType.NumInGroup);
        F(454, "NoSecurityAltID", FixFieldType.NumInGroup);
        F(455, "SecurityAltID", FixFieldType.String);
        F(456, "SecurityAltIDSource", FixFieldType.String);
        F(460, "Product", FixFieldType.Int);
        F(461, "CFICode", FixFieldType.String);
        F(464, "TestMessageIndicator", FixFieldType.Boolean);
        F(523, "PartySubID", FixFieldType.String);
        F(526, "SecondaryClOrdID", FixFieldType.String);
        F(527, "SecondaryExecID", FixFieldType.String);
        F(528, "OrderCapacity", FixFieldType.Char, "A G I P R W");
        F(529, "OrderRestrictions", FixFieldType.MultipleValueString);
        F(530, "MassCancelRequestType", FixFieldType.Char, "1 2 3 4 5 6 7");
        F(531, "MassCancelResponse", FixFieldType.Char, "0 1 2 3 4 5 6 7");
        F(532, "MassCancelRejectReason", FixFieldType.Int, "0 1 2 3 4 5 6 99");
        F(533, "TotalAffectedOrders", FixFieldType.Int);
        F(534, "NoAffectedOrders", FixFieldType.NumInGroup);
        F(535, "AffectedOrderID", FixFieldType.String);
        F(536, "AffectedSecondaryOrderID", FixFieldType.String);
        F(541, "MaturityDate", FixFieldType.LocalMktDate);
        F(553, "Username", FixFieldType.String);
        F(554, "Password", FixFieldType.String);
        F(581, "AccountType", FixFieldType.Int, "1 2 3 4 6 7 8");
        F(583, "ClOrdLinkID", FixFieldType.String);
        F(584, "MassStatusReqID", FixFieldType.String);
        F(585, "MassStatusReqType", FixFieldType.Int, "1 2 3 4 5 6 7 8");
        F(561, "RoundLot", FixFieldType.Qty);
        F(562, "MinTradeVol", FixFieldType.Qty);
        F(625, "TradingSessionSubID", FixFieldType.String);
        F(627, "NoHops", FixFieldType.NumInGroup);
        F(628, "HopCompID", FixFieldType.String);
        F(629, "HopSendingTime", FixFieldType.UtcTimestamp);
        F(630, "HopRefID", FixFieldType.SeqNum);
        F(636, "WorkingIndicator", FixFieldType.Boolean);
        F(660, "AcctIDSource", FixFieldType.Int, "1 2 3 4 99");
        F(789, "NextExpectedMsgSeqNum", FixFieldType.SeqNum);
        F(790, "OrdStatusReqID", FixFieldType.String);
        F(802, "NoPartySubIDs", FixFieldType.NumInGroup);
        F(803, "PartySubIDType", FixFieldType.Int);
        F(851, "LastLiquidityInd", FixFieldType.Int, "1 2 3");
        F(911, "TotNumReports", FixFieldType.Int);
        F(912, "LastRptRequested", FixFieldType.Boolean);
    }

    private void DefineGroups()
    {
        // Nested groups first: a group's members are resolved when it is defined.
        G(802, "523 803");
        G(453, "448 447 452 802");
        G(454, "455 456");
        G(627, "628 629 630");
        G(384, "372 385");
        G(386, "336 625");
        G(267, "269*");
        G(146, Instrument);
        G(534, "41 535 536");
    }

    /// <summary>The Instrument component as TradSys uses it (symbol, security id, exchange and the basic descriptors).</summary>
    private const string Instrument = "55 65 48 22 454 460 461 167 200 541 207 107";

    /// <summary>The UnderlyingInstrument component's identifying fields: UnderlyingSymbol, UnderlyingSecurityID and its source.</summary>
    private const string UnderlyingInstrument = "311 309 305";

    private void DefineMessages()
    {
        const string parties = "453";
        M("0", "Heartbeat", admin: true, "112");
        M("1", "TestRequest", admin: true, "112*");
        M("2", "ResendRequest", admin: true, "7* 16*");
        M("3", "Reject", admin: true, "45* 371 372 373 58 354 355");
        M("4", "SequenceReset", admin: true, "123 36*");
        M("5", "Logout", admin: true, "58 354 355");
        M("A", "Logon", admin: true, "98* 108* 95 96 141 789 383 384 464 553 554");
        M("D", "NewOrderSingle", admin: false,
            $"11* 526 583 {parties} 1 660 581 21 18 110 111 100 386 {Instrument} 54* 60* 38 152 40* 44 99 15 59 168 432 126 528 529 77 114 58 354 355");
        M("F", "OrderCancelRequest", admin: false,
            $"41* 37 11* 526 583 {parties} 1 660 581 {Instrument} 54* 60* 38 152 58 354 355");
        M("G", "OrderCancelReplaceRequest", admin: false,
            $"37 {parties} 41* 11* 526 583 1 660 581 21 18 110 111 100 386 {Instrument} 54* 60* 38 152 40* 44 99 15 59 168 432 126 528 529 77 114 58 354 355");
        M("H", "OrderStatusRequest", admin: false, $"37 11* 526 583 {parties} 790 1 660 {Instrument} 54*");
        M("q", "OrderMassCancelRequest", admin: false, $"11* 526 530* 336 625 {Instrument} 54 60* 58 354 355");
        // OrderMassStatusRequest: of the UnderlyingInstrument component, the fields that name the underlying (for MassStatusReqType 6).
        M("AF", "OrderMassStatusRequest", admin: false, $"584* 585* {parties} 1 660 336 625 {Instrument} {UnderlyingInstrument} 54");
        M("r", "OrderMassCancelReport", admin: false, $"11 526 37* 198 530* 531* 532 533 534 336 625 {Instrument} 54 60 58 354 355");
        M("8", "ExecutionReport", admin: false,
            $"37* 198 11 41 526 583 {parties} 17* 19 150* 39* 636 103 378 1 660 581 {Instrument} 54* 38 152 40 44 99 15 59 126 432 18 528 32 31 30 336 625 151* 14* 6* 75 60 584 790 911 912 527 851 58 354 355");
        M("9", "OrderCancelReject", admin: false, "37* 198 11* 526 41* 39* 636 1 660 581 434* 102 60 58 354 355");
        M("j", "BusinessMessageReject", admin: false, "45 372* 379 380* 58 354 355");
        // SecurityDefinition: a venue's answer about an instrument (and what QuickFIX's acceptance application echoes).
        M("d", "SecurityDefinition", admin: false, $"320* 322* 323* {Instrument} 15 336 625 58 354 355 561 562");
        M("V", "MarketDataRequest", admin: false, "262* 263* 264* 265 266 267* 146*");
        // NoMDEntries (268) has different members in W and X: each message gets its own group definition.
        const string entry = "270 15 271 272 273 274 275 336 625 276 277 282 283 286 59 432 126 110 290 346 37 58";
        G(268, $"269* {entry}");
        M("W", "MarketDataSnapshotFullRefresh", admin: false, $"262 {Instrument} 291 292 387 268*");
        G(268, $"279* 285 269 278 280 {Instrument} {entry}");
        M("X", "MarketDataIncrementalRefresh", admin: false, "262 268*");
        groups.Remove(268);
    }

    private void F(int tag, string name, FixFieldType type, string values = "") =>
        fields[tag] = new FixFieldDefinition(tag, name, type, values.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private void G(int countTag, string members) => groups[countTag] = new FixGroupDefinition(countTag, Members(members));

    private void M(string msgType, string name, bool admin, string members)
    {
        var message = new FixMessageDefinition(msgType, name, admin, Members(members));
        messages.Add(message);
        if (msgType.Length == 1)
        {
            singleCharacter[msgType[0]] = message;
        }
    }

    private FixMember[] Members(string spec)
    {
        var parts = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var members = new FixMember[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            bool required = parts[i].EndsWith('*');
            int tag = int.Parse(required ? parts[i][..^1] : parts[i], System.Globalization.CultureInfo.InvariantCulture);
            members[i] = new FixMember(tag, required, groups.GetValueOrDefault(tag));
        }

        return members;
    }
}
