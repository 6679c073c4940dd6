using TradSys.Engine.Fix;
using static TradSys.Engine.Tests.Fix.FixText;

namespace TradSys.Engine.Tests.Fix;

/// <summary>
/// The session state machine as an acceptor (ISLD) facing a client (TW44), scenario by scenario after QuickFIX's
/// acceptance definitions (server/fix44): each test feeds the messages the peer sends and asserts the ones we send back.
/// </summary>
public partial class FixSessionTests
{
    private const string Order = "11=ID|21=3|40=1|54=1|55=INTC|60=20261207-09:00:00";
    private readonly RecordingOutput output = new();
    private readonly InMemoryFixSessionStore store = new();
    private DateTime now = T0;

    private FixSession Acceptor(FixSessionSettings? settings = null)
    {
        var session = new FixSession(settings ?? new FixSessionSettings { SenderCompId = "ISLD", TargetCompId = "TW44", Role = FixSessionRole.Acceptor },
            store, output);
        session.OnConnected(now);
        return session;
    }

    /// <summary>The peer sends a message: header (49, 56, 34, 52 = now) then the given fields.</summary>
    private void Receive(FixSession session, string msgType, int seq, string fields = "", string? sendingTime = null)
    {
        string body = $"35={msgType}|34={seq}|49=TW44|52={sendingTime ?? Time(now)}|56=ISLD" + (fields.Length > 0 ? "|" + fields : "");
        session.OnReceived(Message(body), now);
    }

    private FixSession LoggedOn(int heartBtInt = 30)
    {
        var session = Acceptor();
        Receive(session, "A", 1, $"98=0|108={heartBtInt}");
        Assert.Equal(FixSessionState.Active, session.State);
        output.Take();
        return session;
    }

    private static void AssertMessage(string message, string msgType, int seq, params (int Tag, string Value)[] fields)
    {
        Assert.Equal(msgType, Get(message, 35));
        Assert.Equal(seq.ToString(System.Globalization.CultureInfo.InvariantCulture), Get(message, 34));
        Assert.Equal("ISLD", Get(message, 49));
        Assert.Equal("TW44", Get(message, 56));
        foreach (var (tag, value) in fields)
        {
            Assert.True(value == Get(message, tag), $"tag {tag}: expected {value}, got {Get(message, tag)} in {message}");
        }
    }

    [Fact]
    public void _1a_a_valid_logon_is_answered_with_a_logon_and_the_same_heartbeat_interval()
    {
        var session = Acceptor();
        Receive(session, "A", 1, "98=0|108=30");

        var sent = Assert.Single(output.Take());
        AssertMessage(sent, "A", 1, (98, "0"), (108, "30"));
        Assert.Equal(FixSessionState.Active, session.State);
        Assert.Equal(2, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _1a_a_logon_with_msg_seq_num_too_high_is_answered_then_followed_by_a_resend_request()
    {
        var session = Acceptor();
        Receive(session, "A", 5, "98=0|108=30");

        var sent = output.Take();
        Assert.Equal(2, sent.Count);
        AssertMessage(sent[0], "A", 1);
        AssertMessage(sent[1], "2", 2, (7, "1"), (16, "0"));
        Assert.Equal(1, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _1c_a_logon_with_an_unexpected_sender_comp_id_is_not_answered_and_the_connection_closed()
    {
        var session = Acceptor();
        session.OnReceived(Message($"35=A|34=1|49=WT44|52={Time(now)}|56=ISLD|98=0|108=30"), now);

        Assert.Empty(output.Sent);
        Assert.Equal(FixDisconnectReason.LogonRejected, Assert.Single(output.Disconnects).Reason);
        Assert.Equal(FixSessionState.Disconnected, session.State);
    }

    [Fact]
    public void _1d_a_logon_with_a_sending_time_out_of_range_is_not_answered()
    {
        var session = Acceptor();
        Receive(session, "A", 1, "98=0|108=30", sendingTime: Time(now.AddMinutes(-5)));

        Assert.Empty(output.Sent);
        Assert.Equal(FixDisconnectReason.LogonRejected, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void _1e_a_first_message_that_is_not_a_logon_closes_the_connection()
    {
        var session = Acceptor();
        Receive(session, "D", 1, Order);

        Assert.Empty(output.Sent);
        Assert.Empty(output.Delivered);
        Assert.Equal(FixDisconnectReason.FirstMessageNotLogon, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void _2a_a_message_in_sequence_is_delivered_and_the_expected_number_moves_on()
    {
        var session = LoggedOn();
        Receive(session, "D", 2, Order);

        Assert.Empty(output.Sent);
        Assert.Equal("ID", Get(Assert.Single(output.Delivered), 11));
        Assert.Equal(3, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _2b_a_gap_is_answered_once_with_a_resend_request_and_the_messages_after_it_are_processed_once_it_is_filled()
    {
        var session = LoggedOn();
        Receive(session, "0", 2);
        Receive(session, "0", 3);
        Receive(session, "D", 7, Order);
        Receive(session, "0", 8);

        var sent = Assert.Single(output.Take());
        AssertMessage(sent, "2", 2, (7, "4"), (16, "0"));
        Assert.Empty(output.Delivered);

        // The gap fill brings 4-6; the queued 7 (delivered) and 8 follow at once, in order.
        Receive(session, "4", 4, $"43=Y|122={Time(now)}|123=Y|36=7");
        Assert.Single(output.Delivered);
        Assert.Equal(9, session.NextTargetMsgSeqNum);

        // The peer's resend of 7 (it was asked for everything from 4) is a duplicate now: ignored, not delivered twice.
        Receive(session, "D", 7, $"43=Y|122={Time(now.AddSeconds(-1))}|{Order}");
        Assert.Single(output.Delivered);
        Assert.Equal(9, session.NextTargetMsgSeqNum);
        Assert.Empty(output.Sent);
        Assert.Empty(output.Disconnects);
    }

    [Fact]
    public void _2c_msg_seq_num_too_low_without_poss_dup_is_answered_with_logout_and_disconnect()
    {
        var session = LoggedOn();
        Receive(session, "0", 2);
        Receive(session, "0", 1);

        var sent = Assert.Single(output.Take());
        AssertMessage(sent, "5", 2, (58, "MsgSeqNum too low, expecting 3 but received 1"));
        Assert.Equal(FixDisconnectReason.MsgSeqNumProblem, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void _2d_3b_a_garbled_message_is_ignored_and_the_next_one_processed()
    {
        var session = LoggedOn();
        byte[] bad = Message($"35=0|34=2|49=TW44|52={Time(now)}|56=ISLD");
        bad[^3] = (byte)(bad[^3] == (byte)'9' ? '0' : bad[^3] + 1);
        session.OnReceived(bad, now);
        Assert.Empty(output.Sent);
        Assert.Equal(1, session.GarbledIgnored);
        Assert.Equal(2, session.NextTargetMsgSeqNum);

        Receive(session, "1", 2, "112=HELLO");
        AssertMessage(Assert.Single(output.Take()), "0", 2, (112, "HELLO"));
    }

    [Fact]
    public void _2e_a_poss_dup_already_received_is_ignored()
    {
        var session = LoggedOn();
        Receive(session, "0", 2);
        Receive(session, "0", 2, $"122={Time(now)}|43=Y|112=X");
        Receive(session, "0", 3);

        Assert.Empty(output.Sent);
        Assert.Empty(output.Disconnects);
        Assert.Equal(4, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _2f_orig_sending_time_after_sending_time_is_rejected_with_reason_10_then_logout()
    {
        var session = LoggedOn();
        Receive(session, "D", 2, Order);
        Receive(session, "D", 3, Order);
        Receive(session, "D", 2, $"43=Y|122={Time(now.AddSeconds(10))}|{Order}");

        var sent = output.Take();
        Assert.Equal(2, sent.Count);
        AssertMessage(sent[0], "3", 2, (45, "2"), (372, "D"), (373, "10"), (58, "SendingTime accuracy problem"));
        AssertMessage(sent[1], "5", 3);
        Assert.Equal(FixSessionState.LogoutSent, session.State);

        Receive(session, "5", 4);
        Assert.Equal(FixDisconnectReason.Logout, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void _2g_poss_dup_without_orig_sending_time_is_rejected_with_reason_1_and_the_session_goes_on()
    {
        var session = LoggedOn();
        Receive(session, "D", 2, Order);
        Receive(session, "D", 3, Order);
        Receive(session, "D", 2, $"43=Y|{Order}");

        AssertMessage(Assert.Single(output.Take()), "3", 2, (45, "2"), (371, "122"), (372, "D"), (373, "1"));
        Receive(session, "1", 4, "112=HELLO");
        AssertMessage(Assert.Single(output.Take()), "0", 3, (112, "HELLO"));
    }

    [Fact]
    public void _2k_a_comp_id_that_does_not_match_is_rejected_with_reason_9_then_logout()
    {
        var session = LoggedOn();
        session.OnReceived(Message($"35=D|34=2|49=WT|52={Time(now)}|56=ISLD|{Order}"), now);

        var sent = output.Take();
        AssertMessage(sent[0], "3", 2, (45, "2"), (372, "D"), (373, "9"), (58, "CompID problem"));
        Assert.Null(Get(sent[0], 371));
        AssertMessage(sent[1], "5", 3);
        Assert.Empty(output.Delivered);
        Assert.Equal(3, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _2o_a_sending_time_out_of_range_is_rejected_with_reason_10_then_logout()
    {
        var session = LoggedOn();
        Receive(session, "0", 2, sendingTime: Time(now.AddSeconds(-121)));

        var sent = output.Take();
        AssertMessage(sent[0], "3", 2, (45, "2"), (372, "0"), (373, "10"));
        AssertMessage(sent[1], "5", 3);
    }

    [Fact]
    public void _2q_an_invalid_msg_type_is_rejected_with_reason_11()
    {
        var session = LoggedOn();
        Receive(session, "*", 2);

        AssertMessage(Assert.Single(output.Take()), "3", 2, (45, "2"), (372, "*"), (373, "11"), (58, "Invalid MsgType"));
        Assert.Equal(3, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _2r_a_valid_message_type_the_acceptor_does_not_take_gets_a_business_reject_3()
    {
        var session = Acceptor(new FixSessionSettings
        {
            SenderCompId = "ISLD", TargetCompId = "TW44", Role = FixSessionRole.Acceptor,
            AcceptedApplicationMessages = new HashSet<string>(StringComparer.Ordinal) { "D", "F", "G", "H", "q" },
        });
        Receive(session, "A", 1, "98=0|108=30");
        output.Take();
        Receive(session, "8", 2, "37=id|17=id|150=0|39=0|55=WLRI|54=1|151=100|14=0|6=0.0");

        AssertMessage(Assert.Single(output.Take()), "j", 2, (45, "2"), (372, "8"), (380, "3"), (58, "Unsupported Message Type"));
        Assert.Empty(output.Delivered);
    }

    [Fact]
    public void _4a_a_heartbeat_is_sent_after_heart_bt_int_of_silence()
    {
        var session = LoggedOn(heartBtInt: 2);
        now = now.AddSeconds(1);
        session.OnTimer(now);
        Assert.Empty(output.Sent);

        now = now.AddSeconds(1);
        Receive(session, "0", 2);
        session.OnTimer(now);
        AssertMessage(Assert.Single(output.Take()), "0", 2);
    }

    [Fact]
    public void _4b_a_test_request_is_answered_with_its_test_req_id()
    {
        var session = LoggedOn();
        Receive(session, "1", 2, "112=HELLO");
        AssertMessage(Assert.Single(output.Take()), "0", 2, (112, "HELLO"));
    }

    [Fact]
    public void _6_silence_brings_a_test_request_and_no_answer_a_disconnect()
    {
        var session = LoggedOn(heartBtInt: 10);
        now = now.AddSeconds(12);
        session.OnTimer(now);
        var sent = output.Take();
        var testRequest = Assert.Single(sent, m => Get(m, 35) == "1");
        string? id = Get(testRequest, 112);
        Assert.NotNull(id);

        now = now.AddSeconds(13);
        session.OnTimer(now);
        Assert.Equal(FixDisconnectReason.TestRequestUnanswered, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void _6_an_answered_test_request_keeps_the_session()
    {
        var session = LoggedOn(heartBtInt: 10);
        now = now.AddSeconds(12);
        session.OnTimer(now);
        string id = Get(output.Take().Single(m => Get(m, 35) == "1"), 112)!;
        Receive(session, "0", 2, "112=" + id);
        now = now.AddSeconds(13);
        session.OnTimer(now);

        Assert.Empty(output.Disconnects);
        Assert.Equal(FixSessionState.Active, session.State);
    }

    [Fact]
    public void _8_a_resend_request_resends_application_messages_as_poss_dup_and_gap_fills_session_messages()
    {
        var session = LoggedOn();
        var body = new byte[256];
        Assert.Equal(2, session.Send("8"u8, Fields(body, "O-1"), now));
        session.OnTimer(now.AddSeconds(30));
        Assert.Equal(4, session.Send("8"u8, Fields(body, "O-2"), now.AddSeconds(31)));
        var original = output.Take();
        Assert.Equal(3, original.Count);

        now = now.AddSeconds(40);
        Receive(session, "2", 2, "7=1|16=0");
        var resent = output.Take();

        Assert.Equal(4, resent.Count);
        AssertMessage(resent[0], "4", 1, (123, "Y"), (36, "2"), (43, "Y"));
        AssertMessage(resent[1], "8", 2, (43, "Y"), (122, Get(original[0], 52)!), (52, Time(now)), (37, "O-1"), (150, "0"));
        AssertMessage(resent[2], "4", 3, (123, "Y"), (36, "4"));
        AssertMessage(resent[3], "8", 4, (43, "Y"), (37, "O-2"));
        Assert.Equal(5, session.NextSenderMsgSeqNum);
    }

    [Fact]
    public void _7_a_reject_received_is_taken_without_an_answer()
    {
        var session = LoggedOn();
        Receive(session, "3", 2, "45=1");
        Assert.Empty(output.Sent);
        Assert.Equal(3, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _20_a_resend_request_arriving_during_our_own_is_answered_and_ours_is_not_repeated()
    {
        var session = LoggedOn();
        var body = new byte[256];
        session.Send("8"u8, Fields(body, "O-1"), now);
        session.Send("8"u8, Fields(body, "O-2"), now);
        Receive(session, "D", 2, Order);
        Receive(session, "D", 3, Order);
        output.Take();

        Receive(session, "0", 7);
        AssertMessage(Assert.Single(output.Take()), "2", 4, (7, "4"), (16, "0"));

        Receive(session, "2", 8, "7=2|16=3");
        var resent = output.Take();
        Assert.Equal(2, resent.Count);
        AssertMessage(resent[0], "8", 2, (43, "Y"), (37, "O-1"));
        AssertMessage(resent[1], "8", 3, (43, "Y"), (37, "O-2"));

        for (int seq = 4; seq <= 6; seq++)
        {
            Receive(session, "0", seq, $"43=Y|122={Time(now)}");
        }

        Receive(session, "5", 7);
        AssertMessage(Assert.Single(output.Take()), "5", 5);
        Assert.Equal(FixDisconnectReason.Logout, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void _10_a_poss_dup_gap_fill_below_the_expected_number_is_ignored_and_one_without_poss_dup_ends_the_session()
    {
        var session = LoggedOn();
        Receive(session, "4", 1, $"43=Y|122={Time(now.AddSeconds(-1))}|36=20|123=Y");
        Receive(session, "1", 2, "112=HELLO");
        AssertMessage(Assert.Single(output.Take()), "0", 2, (112, "HELLO"));

        Receive(session, "4", 1, "36=20|123=Y");
        AssertMessage(Assert.Single(output.Take()), "5", 3, (58, "MsgSeqNum too low, expecting 3 but received 1"));
        Assert.Equal(FixDisconnectReason.MsgSeqNumProblem, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void _10_a_gap_fill_in_sequence_moves_the_expected_number()
    {
        var session = LoggedOn();
        Receive(session, "4", 2, "123=Y|36=10");
        Assert.Equal(10, session.NextTargetMsgSeqNum);
        Assert.Empty(output.Sent);
    }

    [Fact]
    public void _11a_a_sequence_reset_moves_the_expected_number_forward_whatever_its_msg_seq_num()
    {
        var session = LoggedOn();
        Receive(session, "4", 0, "36=25");
        Receive(session, "1", 25, "112=HELLO");
        AssertMessage(Assert.Single(output.Take()), "0", 2, (112, "HELLO"));
        Receive(session, "4", 0, "36=50|123=N");
        Assert.Equal(50, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _11b_a_sequence_reset_to_the_expected_number_changes_nothing()
    {
        var session = LoggedOn();
        Receive(session, "4", 0, "36=2");
        Assert.Empty(output.Sent);
        Assert.Equal(2, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _11c_a_sequence_reset_backwards_is_rejected_with_reason_5()
    {
        var session = LoggedOn();
        Receive(session, "4", 0, "36=1");
        var reject = Assert.Single(output.Take());
        AssertMessage(reject, "3", 2, (45, "0"), (372, "4"), (373, "5"));
        Assert.Null(Get(reject, 371));
        Assert.Equal(2, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _14_a_malformed_application_message_is_rejected_with_the_dictionary_reason_and_tag_and_its_number_consumed()
    {
        var session = LoggedOn();
        Receive(session, "D", 2, "11=ID|21=4|40=1|54=1|55=INTC|60=20261207-09:00:00");
        AssertMessage(Assert.Single(output.Take()), "3", 2, (45, "2"), (371, "21"), (372, "D"), (373, "5"),
            (58, "Value is incorrect (out of range) for this tag"));

        Receive(session, "D", 3, "11=ID|21=1|40=2|54=1|55=INTC|60=20261207-09:00:00");
        AssertMessage(Assert.Single(output.Take()), "j", 3, (45, "3"), (372, "D"), (380, "5"));
        Assert.Empty(output.Delivered);
        Assert.Equal(4, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void _13b_an_unsolicited_logout_is_answered_and_the_connection_closed()
    {
        var session = LoggedOn();
        Receive(session, "5", 2);
        AssertMessage(Assert.Single(output.Take()), "5", 2);
        Assert.Equal(FixDisconnectReason.Logout, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void A_logon_with_reset_seq_num_flag_starts_both_sides_at_1()
    {
        store.NextSenderMsgSeqNum = 40;
        store.NextTargetMsgSeqNum = 33;
        var session = Acceptor();
        Receive(session, "A", 1, "98=0|108=30|141=Y");

        AssertMessage(Assert.Single(output.Take()), "A", 1, (141, "Y"));
        Assert.Equal(2, session.NextTargetMsgSeqNum);
        Assert.Equal(2, session.NextSenderMsgSeqNum);
    }

    [Fact]
    public void A_logon_with_msg_seq_num_too_low_is_answered_with_logout_only()
    {
        store.NextTargetMsgSeqNum = 5;
        var session = Acceptor();
        Receive(session, "A", 3, "98=0|108=30");

        AssertMessage(Assert.Single(output.Take()), "5", 1, (58, "MsgSeqNum too low, expecting 5 but received 3"));
        Assert.Equal(FixDisconnectReason.MsgSeqNumProblem, Assert.Single(output.Disconnects).Reason);
        Assert.Equal(FixSessionState.Disconnected, session.State);
    }

    [Fact]
    public void A_logout_we_start_completes_when_the_peer_answers()
    {
        var session = LoggedOn();
        session.Logout(now, "End of day");
        AssertMessage(Assert.Single(output.Take()), "5", 2, (58, "End of day"));
        Assert.Equal(FixSessionState.LogoutSent, session.State);
        Assert.Equal(0, session.Send("8"u8, "37=O1\u0001"u8, now));

        Receive(session, "5", 2);
        Assert.Empty(output.Sent);
        Assert.Equal(FixDisconnectReason.Logout, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void An_unanswered_logout_times_out()
    {
        var session = LoggedOn();
        session.Logout(now);
        session.OnTimer(now.AddSeconds(9));
        Assert.Empty(output.Disconnects);
        session.OnTimer(now.AddSeconds(10));
        Assert.Equal(FixDisconnectReason.LogoutTimeout, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void An_initiator_logs_on_with_reset_and_becomes_active_on_the_answer()
    {
        store.NextSenderMsgSeqNum = 12;
        var session = new FixSession(
            new FixSessionSettings { SenderCompId = "TW44", TargetCompId = "ISLD", Role = FixSessionRole.Initiator, HeartBtInt = 20, ResetOnLogon = true },
            store, output);
        session.OnConnected(now);
        var logon = Assert.Single(output.Take());
        Assert.Equal("A", Get(logon, 35));
        Assert.Equal("1", Get(logon, 34));
        Assert.Equal("20", Get(logon, 108));
        Assert.Equal("Y", Get(logon, 141));
        Assert.Equal(FixSessionState.LogonSent, session.State);

        session.OnReceived(Message($"35=A|34=1|49=ISLD|52={Time(now)}|56=TW44|98=0|108=20|141=Y"), now);
        Assert.Equal(FixSessionState.Active, session.State);
        Assert.Empty(output.Sent);
    }

    [Fact]
    public void An_initiator_without_an_answer_gives_up_after_the_logon_timeout()
    {
        var session = new FixSession(new FixSessionSettings { SenderCompId = "TW44", TargetCompId = "ISLD" }, store, output);
        session.OnConnected(now);
        session.OnTimer(now.AddSeconds(10));
        Assert.Equal(FixDisconnectReason.LogonTimeout, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void Outside_the_schedule_a_connection_is_refused_and_a_new_window_starts_at_sequence_1()
    {
        var cairo = TimeZoneInfo.CreateCustomTimeZone("EGX test", TimeSpan.FromHours(2), "EGX test", "EGX test");
        var settings = new FixSessionSettings
        {
            SenderCompId = "ISLD", TargetCompId = "TW44", Role = FixSessionRole.Acceptor,
            Schedule = new FixSessionSchedule(cairo, new TimeOnly(9, 30), new TimeOnly(15, 0),
                [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday]),
        };

        now = new DateTime(2026, 12, 7, 6, 0, 0, DateTimeKind.Utc); // Monday 08:00 in Cairo: before the open
        var session = new FixSession(settings, store, output);
        session.OnConnected(now);
        Assert.Equal(FixDisconnectReason.OutsideSchedule, Assert.Single(output.Disconnects).Reason);

        store.NextTargetMsgSeqNum = 17;
        now = new DateTime(2026, 12, 7, 8, 0, 0, DateTimeKind.Utc); // 10:00 in Cairo
        session.OnConnected(now);
        Receive(session, "A", 1, "98=0|108=30");
        Assert.Equal(FixSessionState.Active, session.State);
        Assert.Equal(new DateTime(2026, 12, 7, 7, 30, 0, DateTimeKind.Utc), store.SessionStartUtc);

        now = new DateTime(2026, 12, 7, 13, 0, 0, DateTimeKind.Utc); // 15:00 in Cairo: the close
        output.Take();
        session.OnTimer(now);
        AssertMessage(Assert.Single(output.Take()), "5", 2, (58, "Session end"));
    }

    private static ReadOnlySpan<byte> Fields(byte[] buffer, string orderId)
    {
        var w = FixWriter.ForFields(buffer);
        w.Add(FixTag.OrderId, orderId);
        w.Add(FixTag.ExecId, "E-" + orderId);
        w.Add(FixTag.ExecType, '0');
        w.Add(FixTag.OrdStatus, '0');
        w.Add(FixTag.Symbol, "COMI");
        w.Add(FixTag.Side, '1');
        w.Add(FixTag.LeavesQty, 100m);
        w.Add(FixTag.CumQty, 0m);
        w.Add(FixTag.AvgPx, 0m);
        return buffer.AsSpan(0, w.Length);
    }
}
