using System.Globalization;
using System.Text;

namespace TradSys.Engine.Fix;

/// <summary>
/// The FIX 4.4 session layer as a deterministic state machine: no sockets, no clock. Its inputs are the host's events with
/// the time passed in (<see cref="OnConnected"/>, <see cref="OnReceived"/> with one framed message, <see cref="OnTimer"/>,
/// <see cref="Send(ReadOnlySpan{byte}, ReadOnlySpan{byte}, DateTime)"/>, <see cref="Logout"/>); its outputs go through <see cref="IFixSessionOutput"/>: messages to write,
/// application messages to deliver, a connection to close. Sequence numbers and sent messages live in an
/// <see cref="IFixSessionStore"/>. Not thread-safe: one connection's events in order, on one thread.
/// </summary>
/// <remarks>
/// What it keeps, following FIX 4.4 volume 2 and the conventions of QuickFIX's acceptance suite:
/// <list type="bullet">
/// <item>A garbled message (BodyLength, CheckSum, first three fields) is ignored: no reply, no sequence number consumed.</item>
/// <item>The first message must be a Logon, or the connection is closed. A Logon with the wrong CompIDs, BeginString or
/// SendingTime is not answered; the connection is closed.</item>
/// <item>MsgSeqNum higher than expected: a ResendRequest from the expected number to infinity (0); the message is not
/// processed (the peer resends it). Lower without PossDupFlag: Logout "MsgSeqNum too low, expecting X but received Y" and
/// disconnect. Lower with PossDupFlag: ignored.</item>
/// <item>PossDupFlag=Y without OrigSendingTime: Reject 1 (RefTagID 122); OrigSendingTime after SendingTime: Reject 10 and
/// Logout. SendingTime further than <see cref="FixSessionSettings.MaxLatency"/> from now: Reject 10 and Logout. Wrong
/// CompID: Reject 9 and Logout.</item>
/// <item>A malformed message in sequence: Reject with the dictionary's reason and tag; the sequence number is consumed.</item>
/// <item>ResendRequest: stored application messages resent with PossDupFlag=Y and OrigSendingTime; session messages and
/// missing ones replaced by SequenceReset-GapFill.</item>
/// <item>SequenceReset-GapFill moves the expected number forward; Reset mode ignores MsgSeqNum and moves it forward; a
/// NewSeqNo going backwards is refused with Reject 5 (RefTagID 36).</item>
/// <item>Heartbeat after HeartBtInt of our silence; TestRequest after 1.2 HeartBtInt of theirs; disconnect after 2.4.</item>
/// </list>
/// </remarks>
public sealed class FixSession
{
    private readonly FixSessionSettings settings;
    private readonly IFixSessionStore store;
    private readonly IFixSessionOutput output;
    private readonly FixDataDictionary dictionary;
    private readonly FixValidator validator;
    private readonly FixMessage inbound = new();
    private readonly FixMessage resent = new();
    private readonly byte[] beginString;
    private readonly byte[] senderCompId;
    private readonly byte[] targetCompId;
    private byte[] outBuffer = new byte[8192];
    private DateTime connectedAt;
    private DateTime lastReceived;
    private DateTime lastSent;
    private DateTime logoutSentAt;
    private string? pendingTestRequest;
    private int resendRequestedUpTo;

    /// <summary>
    /// Messages that arrived ahead of a gap (MsgSeqNum too high), by number, processed in order once the gap is filled (as
    /// QuickFIX does); bounded by <see cref="MaxQueued"/> messages and <see cref="MaxQueuedBytes"/>, beyond which the peer's
    /// resend brings them again. A ResendRequest is answered on arrival, so its entry only consumes its number.
    /// </summary>
    private readonly SortedDictionary<int, (byte[] Frame, bool Answered)> queued = [];
    private const int MaxQueued = 10_000;
    private const int MaxQueuedBytes = 16 << 20;
    private int queuedBytes;

    /// <summary>Creates a session.</summary>
    /// <param name="settings">The configuration.</param>
    /// <param name="store">Sequence numbers and sent messages.</param>
    /// <param name="output">Where messages, deliveries and disconnects go.</param>
    /// <param name="dictionary">The dictionary; FIX 4.4's when omitted.</param>
    public FixSession(FixSessionSettings settings, IFixSessionStore store, IFixSessionOutput output, FixDataDictionary? dictionary = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        this.settings = settings;
        this.store = store;
        this.output = output;
        this.dictionary = dictionary ?? FixDataDictionary.Fix44;
        validator = new FixValidator(this.dictionary);
        beginString = Encoding.ASCII.GetBytes(settings.BeginString);
        senderCompId = Encoding.ASCII.GetBytes(settings.SenderCompId);
        targetCompId = Encoding.ASCII.GetBytes(settings.TargetCompId);
        HeartBtInt = settings.HeartBtInt;
    }

    /// <summary>Where the session is.</summary>
    public FixSessionState State { get; private set; }

    /// <summary>The heartbeat interval in force (the initiator's proposal, which the acceptor adopts).</summary>
    public int HeartBtInt { get; private set; }

    /// <summary>How many garbled messages were ignored since creation (for the host's log and health page).</summary>
    public int GarbledIgnored { get; private set; }

    /// <summary>The store's next outgoing MsgSeqNum.</summary>
    public int NextSenderMsgSeqNum => store.NextSenderMsgSeqNum;

    /// <summary>The store's next expected incoming MsgSeqNum.</summary>
    public int NextTargetMsgSeqNum => store.NextTargetMsgSeqNum;

    /// <summary>The connection is up: an initiator sends its Logon, an acceptor waits for one.</summary>
    /// <param name="now">The current time, UTC.</param>
    public void OnConnected(DateTime now)
    {
        connectedAt = lastReceived = lastSent = now;
        pendingTestRequest = null;
        resendRequestedUpTo = 0;
        ClearQueue();
        if (settings.Schedule is { } schedule)
        {
            var start = schedule.SessionStartUtc(now);
            if (start is null)
            {
                State = FixSessionState.AwaitingLogon;
                Disconnect(FixDisconnectReason.OutsideSchedule, "Outside the session schedule");
                return;
            }

            if (store.SessionStartUtc != start)
            {
                store.Reset(start);
            }
        }

        if (settings.Role == FixSessionRole.Acceptor)
        {
            State = FixSessionState.AwaitingLogon;
            return;
        }

        if (settings.ResetOnLogon)
        {
            store.Reset(store.SessionStartUtc);
        }

        HeartBtInt = settings.HeartBtInt;
        SendLogon(now, settings.ResetOnLogon);
        State = FixSessionState.LogonSent;
    }

    /// <summary>The connection closed (by either side): the session waits for the next connection.</summary>
    public void OnDisconnected()
    {
        State = FixSessionState.Disconnected;
        pendingTestRequest = null;
        ClearQueue();
    }

    /// <summary>Sends an application message if logged on.</summary>
    /// <param name="msgType">The MsgType, e.g. <c>"8"u8</c>.</param>
    /// <param name="body">The body fields, encoded (<see cref="FixWriter.ForFields"/>), each ending with SOH.</param>
    /// <param name="now">The current time, UTC.</param>
    /// <returns>The MsgSeqNum it was sent with, or 0 when the session is not logged on.</returns>
    public int Send(ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> body, DateTime now) => Send(msgType, default, body, now);

    /// <summary>
    /// Sends an application message with header fields of its own (e.g. PossResend 97, OnBehalfOfCompID 115), written after the
    /// session's header fields (MsgSeqNum, SenderCompID, SendingTime, TargetCompID), if logged on.
    /// </summary>
    /// <param name="msgType">The MsgType.</param>
    /// <param name="header">Extra header fields, encoded, in tag order; none of the session's own.</param>
    /// <param name="body">The body fields, encoded.</param>
    /// <param name="now">The current time, UTC.</param>
    /// <returns>The MsgSeqNum it was sent with, or 0 when the session is not logged on.</returns>
    public int Send(ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, DateTime now)
    {
        if (State != FixSessionState.Active)
        {
            return 0;
        }

        int seq = store.NextSenderMsgSeqNum;
        var w = Begin(msgType, seq, now, header.Length + body.Length);
        w.AddEncoded(header);
        w.AddEncoded(body);
        Complete(ref w, seq, now, isNew: true);
        return seq;
    }

    /// <summary>Starts a logout: sends Logout and waits for the peer's (or <see cref="FixSessionSettings.LogoutTimeout"/>).</summary>
    /// <param name="now">The current time, UTC.</param>
    /// <param name="text">Text (58) for the peer, if any.</param>
    public void Logout(DateTime now, string? text = null)
    {
        if (State is FixSessionState.Active)
        {
            SendLogout(now, text);
        }
        else if (State is not FixSessionState.Disconnected and not FixSessionState.LogoutSent)
        {
            Disconnect(FixDisconnectReason.Logout, text ?? "Logout before logon");
        }
    }

    /// <summary>Time passes: heartbeats, test requests, timeouts and the schedule's end. Call it about once a second.</summary>
    /// <param name="now">The current time, UTC.</param>
    public void OnTimer(DateTime now)
    {
        if (State == FixSessionState.Disconnected)
        {
            return;
        }

        if (settings.Schedule is { } schedule && !schedule.IsInSession(now) && State != FixSessionState.LogoutSent)
        {
            if (State == FixSessionState.Active)
            {
                SendLogout(now, "Session end");
            }
            else
            {
                Disconnect(FixDisconnectReason.OutsideSchedule, "Outside the session schedule");
            }

            return;
        }

        switch (State)
        {
            case FixSessionState.AwaitingLogon or FixSessionState.LogonSent when now - connectedAt >= settings.LogonTimeout:
                Disconnect(FixDisconnectReason.LogonTimeout, "No Logon in time");
                break;
            case FixSessionState.LogoutSent when now - logoutSentAt >= settings.LogoutTimeout:
                Disconnect(FixDisconnectReason.LogoutTimeout, "No Logout answer in time");
                break;
            case FixSessionState.Active when HeartBtInt > 0:
                long interval = HeartBtInt * TimeSpan.TicksPerSecond;
                long silence = (now - lastReceived).Ticks;
                if (pendingTestRequest is not null && silence >= interval * 24 / 10)
                {
                    Disconnect(FixDisconnectReason.TestRequestUnanswered, "No answer to TestRequest " + pendingTestRequest);
                    return;
                }

                if (pendingTestRequest is null && silence >= interval * 12 / 10)
                {
                    // One TestRequest is outstanding at a time, so one id does (QuickFIX's "TEST").
                    pendingTestRequest = "TEST";
                    int seq = store.NextSenderMsgSeqNum;
                    var w = Begin("1"u8, seq, now);
                    w.Add(FixTag.TestReqId, pendingTestRequest);
                    Complete(ref w, seq, now, isNew: true);
                }
                else if (pendingTestRequest is null && (now - lastSent).Ticks >= interval)
                {
                    // No Heartbeat while our TestRequest waits for its answer (as QuickFIX): the peer's next message, or the
                    // disconnect at 2.4 intervals, is what comes after it.
                    SendHeartbeat(now, default);
                }

                break;
        }
    }

    /// <summary>One framed message from the peer (as <see cref="FixFramer"/> cut it, or garbage that could not be framed).</summary>
    /// <param name="frame">The message bytes.</param>
    /// <param name="now">The current time, UTC.</param>
    public void OnReceived(ReadOnlySpan<byte> frame, DateTime now)
    {
        Process(frame, now);
        ProcessQueued(now);
    }

    private void ClearQueue()
    {
        queued.Clear();
        queuedBytes = 0;
    }

    /// <summary>Processes the messages queued ahead of a gap that is now filled, in MsgSeqNum order.</summary>
    private void ProcessQueued(DateTime now)
    {
        while (queued.Count > 0 && State == FixSessionState.Active)
        {
            int next = store.NextTargetMsgSeqNum;
            while (queued.Count > 0 && queued.Keys.First() is var first && first < next)
            {
                queuedBytes -= queued[first].Frame.Length;
                queued.Remove(first);
            }

            if (!queued.Remove(next, out var entry))
            {
                return;
            }

            queuedBytes -= entry.Frame.Length;

            if (entry.Answered)
            {
                store.NextTargetMsgSeqNum = next + 1;
                continue;
            }

            Process(entry.Frame, now);
            if (store.NextTargetMsgSeqNum == next)
            {
                return;
            }
        }
    }

    private void Process(ReadOnlySpan<byte> frame, DateTime now)
    {
        if (State == FixSessionState.Disconnected)
        {
            return;
        }

        if (!inbound.Parse(frame))
        {
            GarbledIgnored++;
            return;
        }

        lastReceived = now;
        var msg = inbound;
        var msgType = msg.MsgType;
        bool isLogon = msgType is [(byte)'A'];
        bool awaitingLogon = State is FixSessionState.AwaitingLogon or FixSessionState.LogonSent;
        if (awaitingLogon && !isLogon)
        {
            Disconnect(FixDisconnectReason.FirstMessageNotLogon, "First message was not a Logon");
            return;
        }

        if (!msg.TryGetSpan(FixTag.BeginString, out var begin) || !begin.SequenceEqual(beginString))
        {
            RefuseSession(now, awaitingLogon, "Incorrect BeginString");
            return;
        }

        bool isSequenceReset = msgType is [(byte)'4'];
        bool resetMode = isSequenceReset && !msg.IsYes(FixTag.GapFillFlag);
        bool hasSeq = msg.TryGetInt(FixTag.MsgSeqNum, out int seq) && seq > 0;
        if (!hasSeq && !resetMode)
        {
            if (awaitingLogon)
            {
                Disconnect(FixDisconnectReason.LogonRejected, "Logon without a valid MsgSeqNum");
            }
            else
            {
                SendLogout(now, "Received message without MsgSeqNum");
                Disconnect(FixDisconnectReason.MsgSeqNumProblem, "Received message without MsgSeqNum");
            }

            return;
        }

        int expected = store.NextTargetMsgSeqNum;
        var compIdProblem = CheckCompIds(msg, out int badCompIdTag);
        if (compIdProblem is not null)
        {
            if (awaitingLogon)
            {
                Disconnect(FixDisconnectReason.LogonRejected, "Logon with unexpected CompIDs");
                return;
            }

            if (compIdProblem == FixSessionRejectReason.CompIdProblem)
            {
                // Someone else's CompID: Reject 9 (no RefTagID, as QuickFIX) and Logout.
                RejectAndLogout(now, seq, expected, FixSessionRejectReason.CompIdProblem, FixValidationResult.NoTag);
                return;
            }

            // SenderCompID or TargetCompID missing or empty: a malformed message, refused and its number consumed.
            if (seq == expected)
            {
                store.NextTargetMsgSeqNum = seq + 1;
            }

            SendReject(now, seq, compIdProblem.Value, badCompIdTag);
            return;
        }

        bool hasSendingTime = msg.TryGetUtcTimestamp(FixTag.SendingTime, out var sendingTime);
        if (hasSendingTime && (now - sendingTime).Duration() > settings.MaxLatency)
        {
            if (awaitingLogon)
            {
                Disconnect(FixDisconnectReason.LogonRejected, "Logon with SendingTime out of range");
                return;
            }

            RejectAndLogout(now, seq, expected, FixSessionRejectReason.SendingTimeAccuracyProblem, FixValidationResult.NoTag);
            return;
        }

        if (msg.IsYes(FixTag.PossDupFlag) && !isLogon)
        {
            if (!msg.TryGetUtcTimestamp(FixTag.OrigSendingTime, out var origSendingTime))
            {
                if (seq == expected)
                {
                    store.NextTargetMsgSeqNum = seq + 1;
                }

                SendReject(now, seq, FixSessionRejectReason.RequiredTagMissing, FixTag.OrigSendingTime);
                return;
            }

            if (hasSendingTime && origSendingTime > sendingTime)
            {
                RejectAndLogout(now, seq, expected, FixSessionRejectReason.SendingTimeAccuracyProblem, FixValidationResult.NoTag);
                return;
            }
        }

        if (resetMode)
        {
            SequenceReset(now, seq, floor: expected);
            return;
        }

        if (isLogon)
        {
            OnLogon(now, seq, expected);
            return;
        }

        if (seq > expected)
        {
            if (msgType is [(byte)'5'])
            {
                SendLogout(now, null);
                Disconnect(FixDisconnectReason.Logout, "Logout received (with a sequence gap)");
                return;
            }

            bool answered = false;
            if (msgType is [(byte)'2'] && validator.Validate(msg).IsValid)
            {
                OnResendRequest(now);
                answered = true;
            }

            RequestResend(now, expected, seq);
            if (queued.Count < MaxQueued && queuedBytes + frame.Length <= MaxQueuedBytes && !queued.ContainsKey(seq))
            {
                queued[seq] = (frame.ToArray(), answered);
                queuedBytes += frame.Length;
            }

            return;
        }

        if (seq < expected)
        {
            if (msgType is [(byte)'2'] && validator.Validate(msg).IsValid)
            {
                // A ResendRequest is answered whatever its number (as QuickFIX does): the peer asking for messages gets them.
                OnResendRequest(now);
                return;
            }

            if (msgType is [(byte)'5'])
            {
                // A Logout is taken whatever its number (as QuickFIX does): answered, then the connection closes.
                if (State != FixSessionState.LogoutSent)
                {
                    SendLogout(now, null);
                }

                Disconnect(FixDisconnectReason.Logout, "Logout (with MsgSeqNum lower than expected)");
                return;
            }

            if (!msg.IsYes(FixTag.PossDupFlag))
            {
                string text = string.Create(CultureInfo.InvariantCulture, $"MsgSeqNum too low, expecting {expected} but received {seq}");
                SendLogout(now, text);
                Disconnect(FixDisconnectReason.MsgSeqNumProblem, text);
            }

            return;
        }

        var validation = validator.Validate(msg);
        store.NextTargetMsgSeqNum = seq + 1;
        if (resendRequestedUpTo != 0 && seq >= resendRequestedUpTo)
        {
            resendRequestedUpTo = 0;
        }

        if (validation.Kind == FixRejectKind.Session)
        {
            SendReject(now, seq, validation.SessionReason, validation.RefTagId);
            return;
        }

        if (validation.Kind == FixRejectKind.Business || (!msg.IsAdmin && !IsAccepted(msgType)))
        {
            var reason = validation.Kind == FixRejectKind.Business ? validation.BusinessReason : FixBusinessRejectReason.UnsupportedMessageType;
            SendBusinessReject(now, seq, reason, validation.Kind == FixRejectKind.Business ? validation.RefTagId : FixValidationResult.NoTag);
            return;
        }

        switch (msgType[0])
        {
            case (byte)'0':
                if (pendingTestRequest is not null && msg.TryGetSpan(FixTag.TestReqId, out var id) && Ascii.Equals(id, pendingTestRequest))
                {
                    pendingTestRequest = null;
                }

                break;
            case (byte)'1':
                msg.TryGetSpan(FixTag.TestReqId, out var testReqId);
                SendHeartbeat(now, testReqId);
                break;
            case (byte)'2':
                OnResendRequest(now);
                break;
            case (byte)'4':
                SequenceReset(now, seq, floor: seq + 1);
                break;
            case (byte)'5':
                if (State != FixSessionState.LogoutSent)
                {
                    SendLogout(now, null);
                }

                Disconnect(FixDisconnectReason.Logout, "Logout");
                break;
            case (byte)'3':
                break;
            default:
                output.Deliver(msg);
                break;
        }
    }

    private bool IsAccepted(ReadOnlySpan<byte> msgType)
    {
        if (settings.AcceptedApplicationMessages is not { } accepted)
        {
            return true;
        }

        foreach (string type in accepted)
        {
            if (Ascii.Equals(msgType, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Null when SenderCompID and TargetCompID are ours; else what is wrong and with which tag.</summary>
    private FixSessionRejectReason? CheckCompIds(FixMessage msg, out int badTag)
    {
        badTag = FixTag.SenderCompId;
        if (CheckCompId(msg, FixTag.SenderCompId, targetCompId) is { } senderProblem)
        {
            return senderProblem;
        }

        badTag = FixTag.TargetCompId;
        return CheckCompId(msg, FixTag.TargetCompId, senderCompId);
    }

    private static FixSessionRejectReason? CheckCompId(FixMessage msg, int tag, ReadOnlySpan<byte> expected) =>
        !msg.TryGetSpan(tag, out var value) ? FixSessionRejectReason.RequiredTagMissing
        : value.IsEmpty ? FixSessionRejectReason.TagSpecifiedWithoutValue
        : value.SequenceEqual(expected) ? null
        : FixSessionRejectReason.CompIdProblem;

    private void OnLogon(DateTime now, int seq, int expected)
    {
        var msg = inbound;
        bool reset = msg.IsYes(FixTag.ResetSeqNumFlag);
        if (State == FixSessionState.Active || State == FixSessionState.LogoutSent)
        {
            if (!reset)
            {
                SendLogout(now, "Logon received while logged on");
                Disconnect(FixDisconnectReason.SessionError, "Logon received while logged on");
                return;
            }

            // In-session reset: both sides start again at 1; the peer's Logon is its number 1.
            store.Reset(store.SessionStartUtc);
            store.NextTargetMsgSeqNum = seq + 1;
            SendLogon(now, reset: true);
            return;
        }

        var validation = validator.Validate(msg);
        if (!validation.IsValid || !msg.TryGetInt(FixTag.HeartBtInt, out int heartBtInt) || heartBtInt < 0)
        {
            Disconnect(FixDisconnectReason.LogonRejected, "Invalid Logon: " + (validation.IsValid ? "HeartBtInt" : validation.Text));
            return;
        }

        if (settings.Role == FixSessionRole.Acceptor)
        {
            if (reset || settings.ResetOnLogon)
            {
                store.Reset(store.SessionStartUtc);
                ClearQueue();
                expected = 1;
            }

            HeartBtInt = heartBtInt;
        }

        if (seq < expected)
        {
            string text = string.Create(CultureInfo.InvariantCulture, $"MsgSeqNum too low, expecting {expected} but received {seq}");
            SendLogout(now, text);
            Disconnect(FixDisconnectReason.MsgSeqNumProblem, text);
            return;
        }

        if (settings.Role == FixSessionRole.Acceptor)
        {
            SendLogon(now, reset);
        }

        State = FixSessionState.Active;
        if (seq > expected)
        {
            RequestResend(now, expected, seq);
        }
        else
        {
            store.NextTargetMsgSeqNum = seq + 1;
        }
    }

    /// <summary>
    /// Moves the expected number to NewSeqNo. <paramref name="floor"/> is the number expected after this message: a
    /// NewSeqNo equal to it changes nothing, a lower one would move backwards and is refused (Reject 5, RefTagID 36).
    /// </summary>
    private void SequenceReset(DateTime now, int seq, int floor)
    {
        if (!inbound.TryGetInt(FixTag.NewSeqNo, out int newSeqNo) || newSeqNo <= 0)
        {
            SendReject(now, seq, FixSessionRejectReason.RequiredTagMissing, FixTag.NewSeqNo);
            return;
        }

        if (newSeqNo > floor)
        {
            store.NextTargetMsgSeqNum = newSeqNo;
            if (resendRequestedUpTo != 0 && newSeqNo > resendRequestedUpTo)
            {
                resendRequestedUpTo = 0;
            }
        }
        else if (newSeqNo < floor)
        {
            // No RefTagID (QuickFIX names none): the Text and reason say it.
            SendReject(now, seq, FixSessionRejectReason.ValueIsIncorrect, FixValidationResult.NoTag);
        }
    }

    private void OnResendRequest(DateTime now)
    {
        var msg = inbound;
        msg.TryGetInt(FixTag.BeginSeqNo, out int begin);
        msg.TryGetInt(FixTag.EndSeqNo, out int end);
        int last = store.NextSenderMsgSeqNum - 1;
        if (end == 0 || end > last)
        {
            end = last;
        }

        int gapStart = 0;
        for (int seq = Math.Max(1, begin); seq <= end; seq++)
        {
            if (store.TryGet(seq, out var stored) && resent.Parse(stored.Span) && !resent.IsAdmin)
            {
                if (gapStart != 0)
                {
                    SendGapFill(now, gapStart, seq);
                    gapStart = 0;
                }

                Resend(now, seq);
            }
            else if (gapStart == 0)
            {
                gapStart = seq;
            }
        }

        if (gapStart != 0)
        {
            SendGapFill(now, gapStart, end + 1);
        }
    }

    private void Resend(DateTime now, int seq)
    {
        var msg = resent;
        msg.TryGetUtcTimestamp(FixTag.SendingTime, out var original);
        int bodyIndex = 3;
        while (bodyIndex < msg.FieldCount && dictionary.HeaderMember(msg[bodyIndex].Tag) is not null)
        {
            bodyIndex++;
        }

        int bodyStart = msg.FieldStart(bodyIndex);
        int bodyEnd = msg.FieldStart(msg.FieldCount - 1);
        var body = msg.Raw[bodyStart..bodyEnd];
        var w = Begin(msg.MsgType, seq, now, body.Length, origSendingTime: original);
        w.AddEncoded(body);
        Complete(ref w, seq, now, isNew: false);
    }

    private void SendGapFill(DateTime now, int seq, int newSeqNo)
    {
        var w = Begin("4"u8, seq, now, origSendingTime: now);
        w.Add(FixTag.NewSeqNo, newSeqNo);
        w.Add(FixTag.GapFillFlag, true);
        Complete(ref w, seq, now, isNew: false);
    }

    private void RequestResend(DateTime now, int expected, int received)
    {
        if (resendRequestedUpTo != 0)
        {
            // The pending request runs to infinity (EndSeqNo 0): it covers this message too.
            resendRequestedUpTo = Math.Max(resendRequestedUpTo, received);
            return;
        }

        resendRequestedUpTo = received;
        int seq = store.NextSenderMsgSeqNum;
        var w = Begin("2"u8, seq, now);
        w.Add(FixTag.BeginSeqNo, expected);
        w.Add(FixTag.EndSeqNo, 0);
        Complete(ref w, seq, now, isNew: true);
    }

    private void RefuseSession(DateTime now, bool awaitingLogon, string text)
    {
        if (!awaitingLogon)
        {
            SendLogout(now, text);
        }

        Disconnect(awaitingLogon ? FixDisconnectReason.LogonRejected : FixDisconnectReason.SessionError, text);
    }

    private void RejectAndLogout(DateTime now, int seq, int expected, FixSessionRejectReason reason, int refTagId)
    {
        if (seq == expected)
        {
            store.NextTargetMsgSeqNum = seq + 1;
        }

        SendReject(now, seq, reason, refTagId);
        SendLogout(now, null);
    }

    private void SendLogon(DateTime now, bool reset)
    {
        int seq = store.NextSenderMsgSeqNum;
        var w = Begin("A"u8, seq, now);
        w.Add(FixTag.EncryptMethod, 0);
        w.Add(FixTag.HeartBtInt, HeartBtInt);
        if (reset)
        {
            w.Add(FixTag.ResetSeqNumFlag, true);
        }

        Complete(ref w, seq, now, isNew: true);
    }

    private void SendLogout(DateTime now, string? text)
    {
        int seq = store.NextSenderMsgSeqNum;
        var w = Begin("5"u8, seq, now, text?.Length ?? 0);
        if (text is not null)
        {
            w.Add(FixTag.Text, text);
        }

        Complete(ref w, seq, now, isNew: true);
        State = FixSessionState.LogoutSent;
        logoutSentAt = now;
    }

    private void SendHeartbeat(DateTime now, ReadOnlySpan<byte> testReqId)
    {
        int seq = store.NextSenderMsgSeqNum;
        var w = Begin("0"u8, seq, now, testReqId.Length);
        if (!testReqId.IsEmpty)
        {
            w.Add(FixTag.TestReqId, testReqId);
        }

        Complete(ref w, seq, now, isNew: true);
    }

    private void SendReject(DateTime now, int refSeqNum, FixSessionRejectReason reason, int refTagId)
    {
        var refMsgType = inbound.MsgType;
        int seq = store.NextSenderMsgSeqNum;
        var w = Begin("3"u8, seq, now, refMsgType.Length + inbound.Raw.Length);
        ReverseRoute(ref w);
        w.Add(FixTag.RefSeqNum, refSeqNum);
        w.Add(FixTag.Text, FixValidationResult.TextOf(reason));
        if (refTagId != FixValidationResult.NoTag)
        {
            w.Add(FixTag.RefTagId, refTagId);
        }

        w.Add(FixTag.RefMsgType, refMsgType);
        w.Add(FixTag.SessionRejectReason, (int)reason);
        Complete(ref w, seq, now, isNew: true);
    }

    private void SendBusinessReject(DateTime now, int refSeqNum, FixBusinessRejectReason reason, int refTagId)
    {
        var refMsgType = inbound.MsgType;
        var result = FixValidationResult.BusinessReject(reason, refTagId);
        int seq = store.NextSenderMsgSeqNum;
        var w = Begin("j"u8, seq, now, refMsgType.Length + inbound.Raw.Length);
        ReverseRoute(ref w);
        w.Add(FixTag.RefSeqNum, refSeqNum);
        w.Add(FixTag.Text, refTagId != FixValidationResult.NoTag ? result.Text + " (" + refTagId.ToString(CultureInfo.InvariantCulture) + ")" : result.Text);
        w.Add(FixTag.RefMsgType, refMsgType);
        w.Add(FixTag.BusinessRejectReason, (int)reason);
        Complete(ref w, seq, now, isNew: true);
    }

    /// <summary>
    /// A reject goes back along the route the refused message came by: its OnBehalfOf fields (115, 116, 144) become the
    /// reject's DeliverTo fields (128, 129, 145) and the other way round; empty ones are not copied. Written in tag order.
    /// </summary>
    private void ReverseRoute(ref FixWriter w)
    {
        ReadOnlySpan<int> to = [FixTag.OnBehalfOfCompId, FixTag.OnBehalfOfSubId, FixTag.DeliverToCompId, FixTag.DeliverToSubId,
            FixTag.OnBehalfOfLocationId, FixTag.DeliverToLocationId];
        foreach (int tag in to)
        {
            if (inbound.TryGetSpan(ReverseOf(tag), out var value) && !value.IsEmpty)
            {
                w.Add(tag, value);
            }
        }
    }

    private static int ReverseOf(int tag) => tag switch
    {
        FixTag.OnBehalfOfCompId => FixTag.DeliverToCompId,
        FixTag.DeliverToCompId => FixTag.OnBehalfOfCompId,
        FixTag.OnBehalfOfSubId => FixTag.DeliverToSubId,
        FixTag.DeliverToSubId => FixTag.OnBehalfOfSubId,
        FixTag.OnBehalfOfLocationId => FixTag.DeliverToLocationId,
        _ => FixTag.OnBehalfOfLocationId,
    };

    private FixWriter Begin(ReadOnlySpan<byte> msgType, int seq, DateTime now, int bodyLength = 0, DateTime? origSendingTime = null)
    {
        int needed = 256 + senderCompId.Length + targetCompId.Length + bodyLength;
        if (outBuffer.Length < needed)
        {
            outBuffer = new byte[Math.Max(needed, outBuffer.Length * 2)];
        }

        // The header in tag order after MsgType, as QuickFIX writes it (FIX allows any order; peers' tools compare it).
        var w = new FixWriter(outBuffer, beginString, msgType);
        w.Add(FixTag.MsgSeqNum, seq);
        if (origSendingTime is not null)
        {
            w.Add(FixTag.PossDupFlag, true);
        }

        w.Add(FixTag.SenderCompId, senderCompId);
        w.AddUtcTimestamp(FixTag.SendingTime, now);
        w.Add(FixTag.TargetCompId, targetCompId);
        if (origSendingTime is { } orig)
        {
            w.AddUtcTimestamp(FixTag.OrigSendingTime, orig);
        }

        return w;
    }

    private void Complete(ref FixWriter w, int seq, DateTime now, bool isNew)
    {
        int length = w.Finish();
        var message = outBuffer.AsSpan(0, length);
        if (isNew)
        {
            store.Save(seq, message);
            store.NextSenderMsgSeqNum = seq + 1;
        }

        lastSent = now;
        output.Send(message);
    }

    private void Disconnect(FixDisconnectReason reason, string text)
    {
        State = FixSessionState.Disconnected;
        pendingTestRequest = null;
        output.Disconnect(reason, text);
    }
}
