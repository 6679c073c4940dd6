namespace TradSys.Engine.Fix;

/// <summary>The FIX 4.4 tag numbers the codec, the dictionary and the session layer refer to by name.</summary>
public static class FixTag
{
#pragma warning disable CS1591 // Each constant is the FIX 4.4 field of the same name; a doc line each would repeat it.
    public const int Account = 1;
    public const int AvgPx = 6;
    public const int BeginSeqNo = 7;
    public const int BeginString = 8;
    public const int BodyLength = 9;
    public const int CheckSum = 10;
    public const int ClOrdId = 11;
    public const int CumQty = 14;
    public const int Currency = 15;
    public const int EndSeqNo = 16;
    public const int ExecId = 17;
    public const int ExecInst = 18;
    public const int HandlInst = 21;
    public const int SecurityIdSource = 22;
    public const int LastPx = 31;
    public const int LastQty = 32;
    public const int MsgSeqNum = 34;
    public const int MsgType = 35;
    public const int NewSeqNo = 36;
    public const int OrderId = 37;
    public const int OrderQty = 38;
    public const int OrdStatus = 39;
    public const int OrdType = 40;
    public const int OrigClOrdId = 41;
    public const int PossDupFlag = 43;
    public const int Price = 44;
    public const int RefSeqNum = 45;
    public const int SecurityId = 48;
    public const int SenderCompId = 49;
    public const int SendingTime = 52;
    public const int Side = 54;
    public const int Symbol = 55;
    public const int TargetCompId = 56;
    public const int Text = 58;
    public const int TimeInForce = 59;
    public const int TransactTime = 60;
    public const int PossResend = 97;
    public const int EncryptMethod = 98;
    public const int StopPx = 99;
    public const int HeartBtInt = 108;
    public const int TestReqId = 112;
    public const int OrigSendingTime = 122;
    public const int GapFillFlag = 123;
    public const int ResetSeqNumFlag = 141;
    public const int CashOrderQty = 152;
    public const int LeavesQty = 151;
    public const int ExecType = 150;
    public const int MdReqId = 262;
    public const int NoMdEntries = 268;
    public const int RefTagId = 371;
    public const int RefMsgType = 372;
    public const int SessionRejectReason = 373;
    public const int BusinessRejectReason = 380;
    public const int PartyIdSource = 447;
    public const int PartyId = 448;
    public const int PartyRole = 452;
    public const int NoPartyIds = 453;
    public const int MassCancelRequestType = 530;
    public const int SecurityType = 167;
    public const int UnderlyingSecurityIdSource = 305;
    public const int UnderlyingSecurityId = 309;
    public const int UnderlyingSymbol = 311;
    public const int TradingSessionId = 336;
    public const int Product = 460;
    public const int CfiCode = 461;
    public const int MassStatusReqId = 584;
    public const int MassStatusReqType = 585;
    public const int NextExpectedMsgSeqNum = 789;
    public const int TotNumReports = 911;
    public const int LastRptRequested = 912;
#pragma warning restore CS1591
}
