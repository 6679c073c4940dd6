using TradSys.Engine.Fix;
using static TradSys.Engine.Tests.Fix.FixText;

namespace TradSys.Engine.Tests.Fix;

/// <summary>
/// The cases of QuickFIX's acceptance suite (server/fix44) where FIX leaves a choice and QuickFIX's answer is what peers expect:
/// the header's field order, RefTagID, queued messages after a gap, Logout and ResendRequest below the expected number, reverse
/// routing. The whole suite passes against <c>fix-echo</c> (docs/fix.md); these keep each behaviour in the test command.
/// </summary>
public partial class FixSessionTests
{
    [Fact]
    public void Our_header_is_written_in_tag_order_after_msg_type_as_quickfix_writes_it()
    {
        var session = LoggedOn();
        Receive(session, "1", 2, "112=HELLO");

        var heartbeat = Assert.Single(output.Take());
        var tags = heartbeat.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(f => int.Parse(f[..f.IndexOf('=')], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([8, 9, 35, 34, 49, 52, 56, 112, 10], tags);
    }

    [Fact]
    public void _6_our_test_request_carries_the_id_test_and_a_heartbeat_with_it_clears_it()
    {
        var session = LoggedOn(heartBtInt: 5);
        now = now.AddSeconds(6);
        session.OnTimer(now);
        AssertMessage(Assert.Single(output.Take()), "1", 2, (112, "TEST"));

        Receive(session, "0", 2, "112=TEST");
        now = now.AddSeconds(7);
        session.OnTimer(now);
        Assert.Empty(output.Disconnects);
    }

    [Fact]
    public void _6_while_our_test_request_waits_nothing_else_is_sent_until_the_disconnect()
    {
        // QuickFIX's 6: HeartBtInt 6 and a silent peer. Ticks each second: a Heartbeat at 6 s of our silence, the TestRequest at
        // 7.2 s of theirs, then nothing (no Heartbeat at 13.2 s) until the disconnect at 14.4 s.
        var session = LoggedOn(heartBtInt: 6);
        var start = now;
        for (int second = 1; second <= 15 && output.Disconnects.Count == 0; second++)
        {
            now = start.AddSeconds(second);
            session.OnTimer(now);
        }

        Assert.Equal(["0", "1"], output.Take().Select(m => Get(m, 35)!));
        Assert.Equal(FixDisconnectReason.TestRequestUnanswered, Assert.Single(output.Disconnects).Reason);
    }

    [Fact]
    public void _10_a_logout_below_the_expected_number_is_answered_with_a_logout_not_a_sequence_error()
    {
        var session = LoggedOn();
        Receive(session, "4", 2, "36=20|123=Y");
        Receive(session, "5", 3);

        var logout = Assert.Single(output.Take());
        AssertMessage(logout, "5", 2);
        Assert.Null(Get(logout, 58));
        Assert.Equal(FixDisconnectReason.Logout, Assert.Single(output.Disconnects).Reason);
    }

    [Theory]
    [InlineData("999=HI", "999")]
    [InlineData("0=HI", "0")]
    [InlineData("-1=HI", "-1")]
    [InlineData("5000=HI", "5000")]
    public void _14a_a_tag_number_fix_44_does_not_define_is_rejected_naming_it(string field, string refTagId)
    {
        var session = LoggedOn();
        Receive(session, "0", 2, field);

        AssertMessage(Assert.Single(output.Take()), "3", 2, (45, "2"), (58, "Invalid tag number"), (371, refTagId), (372, "0"), (373, "0"));
        Assert.Equal(3, session.NextTargetMsgSeqNum);
        Assert.Empty(output.Disconnects);
    }

    [Theory]
    [InlineData($"35=0|34=2|49=TW44|52=20261207-09:00:00", "1", "Required tag missing")]
    [InlineData($"35=0|34=2|49=TW44|52=20261207-09:00:00|56=", "4", "Tag specified without a value")]
    public void _14b_14d_a_missing_or_empty_target_comp_id_is_a_reject_that_consumes_the_number_not_a_logout(string fields, string reason, string text)
    {
        var session = LoggedOn();
        session.OnReceived(Message(fields), now);

        AssertMessage(Assert.Single(output.Take()), "3", 2, (45, "2"), (58, text), (371, "56"), (372, "0"), (373, reason));
        Assert.Equal(3, session.NextTargetMsgSeqNum);
        Assert.Equal(FixSessionState.Active, session.State);
        Assert.Empty(output.Disconnects);
    }

    [Fact]
    public void _8_a_resend_request_below_the_expected_number_is_still_answered_and_the_gap_fill_names_new_seq_no_first()
    {
        var session = LoggedOn();
        Receive(session, "1", 2, "112=HELLO");
        Receive(session, "1", 3, "112=HELLO");
        output.Take();

        Receive(session, "2", 4, "7=1|16=0");
        var gapFill = Assert.Single(output.Take());
        AssertMessage(gapFill, "4", 1, (43, "Y"), (36, "4"), (123, "Y"));
        Assert.True(gapFill.IndexOf("|36=", StringComparison.Ordinal) < gapFill.IndexOf("|123=", StringComparison.Ordinal), gapFill);

        // Asked again with a number already used (4): answered again, no "MsgSeqNum too low" logout, the expected number unchanged.
        Receive(session, "2", 4, "7=1|16=0");
        AssertMessage(Assert.Single(output.Take()), "4", 1, (36, "4"), (123, "Y"));
        Assert.Equal(5, session.NextTargetMsgSeqNum);
        Assert.Empty(output.Disconnects);
    }

    [Fact]
    public void A_message_after_a_gap_waits_for_it_and_is_processed_in_order_when_a_resent_message_fills_it()
    {
        // QuickFIX's RejectResentMessage: 3 arrives before 2; 2 comes back malformed (rejected, its number consumed); then 3 is
        // answered, before the 4 that follows.
        var session = LoggedOn();
        Receive(session, "1", 3, "112=HELLO1");
        AssertMessage(Assert.Single(output.Take()), "2", 2, (7, "2"), (16, "0"));

        Receive(session, "D", 2, $"43=Y|122={Time(now)}|11=ID|21=3|38=100|40=1|54=1|55=IVP|60={Time(now)}|126=20040415");
        Receive(session, "1", 4, "112=HELLO2");

        var sent = output.Take();
        Assert.Equal(3, sent.Count);
        AssertMessage(sent[0], "3", 3, (45, "2"), (371, "126"), (372, "D"), (373, "6"));
        AssertMessage(sent[1], "0", 4, (112, "HELLO1"));
        AssertMessage(sent[2], "0", 5, (112, "HELLO2"));
        Assert.Equal(5, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void A_resend_request_that_arrives_after_a_gap_is_answered_at_once_and_only_its_number_is_consumed_later()
    {
        var session = LoggedOn();
        Receive(session, "1", 2, "112=A");
        output.Take();
        Receive(session, "2", 4, "7=1|16=0");

        var sent = output.Take();
        Assert.Equal("4", Get(sent[0], 35));
        AssertMessage(sent[^1], "2", 3, (7, "3"), (16, "0"));

        Receive(session, "1", 3, "112=B");
        AssertMessage(Assert.Single(output.Take()), "0", 4, (112, "B"));
        Assert.Equal(5, session.NextTargetMsgSeqNum);
    }

    [Fact]
    public void Reverse_route_a_reject_goes_back_by_the_deliver_to_fields_and_empty_ones_are_not_copied()
    {
        var session = LoggedOn();
        Receive(session, "D", 2, $"115=JCD|116=CS|144=CHI|{Order.Replace("40=1", "40=w", StringComparison.Ordinal)}");
        var reject = Assert.Single(output.Take());
        AssertMessage(reject, "3", 2, (128, "JCD"), (129, "CS"), (145, "CHI"), (371, "40"), (373, "5"));
        Assert.Null(Get(reject, 115));

        Receive(session, "D", 3, $"128=JCD|129=CS|{Order.Replace("40=1", "40=w", StringComparison.Ordinal)}");
        reject = Assert.Single(output.Take());
        AssertMessage(reject, "3", 3, (115, "JCD"), (116, "CS"), (371, "40"));
        Assert.Null(Get(reject, 128));

        Receive(session, "D", 4, $"115=JCD|116=|{Order}");
        reject = Assert.Single(output.Take());
        AssertMessage(reject, "3", 4, (128, "JCD"), (371, "116"), (373, "4"));
        Assert.Null(Get(reject, 129));
    }

    [Fact]
    public void An_acceptor_with_reset_on_logon_starts_both_numbers_at_1_whether_or_not_the_peer_asks()
    {
        store.NextSenderMsgSeqNum = 40;
        store.NextTargetMsgSeqNum = 33;
        var session = Acceptor(new FixSessionSettings { SenderCompId = "ISLD", TargetCompId = "TW44", Role = FixSessionRole.Acceptor, ResetOnLogon = true });
        Receive(session, "A", 1, "98=0|108=30");

        var logon = Assert.Single(output.Take());
        AssertMessage(logon, "A", 1);
        Assert.Null(Get(logon, 141));
        Assert.Equal(FixSessionState.Active, session.State);
        Assert.Equal(2, session.NextTargetMsgSeqNum);
        Assert.Equal(2, session.NextSenderMsgSeqNum);
    }

    [Fact]
    public void Without_reset_on_logon_an_acceptor_keeps_its_numbers_and_a_logon_below_them_is_refused()
    {
        store.NextSenderMsgSeqNum = 40;
        store.NextTargetMsgSeqNum = 33;
        var session = Acceptor();
        Receive(session, "A", 1, "98=0|108=30");

        AssertMessage(Assert.Single(output.Take()), "5", 40, (58, "MsgSeqNum too low, expecting 33 but received 1"));
        Assert.Equal(FixDisconnectReason.MsgSeqNumProblem, Assert.Single(output.Disconnects).Reason);
    }
}
