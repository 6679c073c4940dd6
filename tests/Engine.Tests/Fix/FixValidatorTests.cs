using TradSys.Engine.Fix;
using static TradSys.Engine.Tests.Fix.FixText;

namespace TradSys.Engine.Tests.Fix;

/// <summary>The dictionary's verdicts, modelled on QuickFIX's acceptance cases 14a-14i, 2q, 2r and 21.</summary>
public class FixValidatorTests
{
    private const string Header = "49=TW44|56=ISLD|34=2|52=20261207-09:00:00";
    private const string Order = "11=ID|21=1|40=1|54=1|38=2000.00|55=INTC|60=20261207-09:00:00";

    private static FixValidationResult Validate(string fields)
    {
        var message = new FixMessage();
        Assert.True(message.Parse(Message(fields)));
        return new FixValidator().Validate(message);
    }

    private static void AssertSessionReject(string fields, FixSessionRejectReason reason, int refTagId)
    {
        var result = Validate(fields);
        Assert.Equal(FixRejectKind.Session, result.Kind);
        Assert.Equal(reason, result.SessionReason);
        Assert.Equal(refTagId, result.RefTagId);
    }

    [Theory]
    [InlineData($"35=D|{Header}|{Order}")]
    [InlineData($"35=D|{Header}|11=ID|453=2|448=BRK1|447=D|452=1|802=1|523=X|803=2|448=TRD7|447=D|452=11|40=2|44=81.25|54=2|38=10|55=COMI|60=20261207-09:00:00")]
    [InlineData($"35=D|{Header}|11=ID|21=1|40=1|54=1|38=2000|55=INTC|386=0|60=20261207-09:00:00")]
    [InlineData($"35=8|{Header}|37=O1|17=E1|150=F|39=2|55=COMI|54=1|151=0|14=10|6=81.25|32=10|31=81.25")]
    [InlineData($"35=V|{Header}|262=MD1|263=1|264=0|267=2|269=0|269=1|146=1|55=COMI")]
    [InlineData($"35=W|{Header}|262=MD1|55=COMI|268=2|269=0|270=81.2|271=100|269=1|270=81.3|271=50")]
    [InlineData($"35=X|{Header}|268=1|279=1|269=0|55=COMI|270=81.2|271=300")]
    [InlineData($"35=q|{Header}|11=MC1|530=7|60=20261207-09:00:00")]
    [InlineData($"35=AF|{Header}|584=MS1|585=7")]
    [InlineData($"35=AF|{Header}|584=MS1|585=1|55=COMI|54=2")]
    [InlineData($"35=AF|{Header}|584=MS1|585=8|453=1|448=1001|447=D|452=24")]
    [InlineData($"35=AF|{Header}|584=MS1|585=8|1=1001")]
    [InlineData($"35=AF|{Header}|584=MS1|585=6|311=FAB")]
    [InlineData($"35=AF|{Header}|584=MS1|585=6|309=AEN000101016|305=4|54=1")]
    [InlineData($"35=AF|{Header}|584=MS1|585=2|460=5")]
    [InlineData($"35=AF|{Header}|584=MS1|585=3|461=ESVUFR")]
    [InlineData($"35=AF|{Header}|584=MS1|585=4|167=CS")]
    [InlineData($"35=AF|{Header}|584=MS1|585=5|336=1")]
    [InlineData($"35=8|{Header}|37=O1|11=C1|17=S1|150=I|39=1|1=1001|55=COMI|54=1|38=100|151=60|14=40|6=81.25|584=MS1|911=2|912=N")]
    [InlineData($"35=A|{Header}|98=0|108=30|141=Y")]
    public void Accepts_well_formed_messages(string fields) => Assert.True(Validate(fields).IsValid, Validate(fields).Text);

    [Fact]
    public void A_required_tag_missing_is_reason_1_naming_it() =>
        AssertSessionReject($"35=D|{Header}|21=1|40=1|54=1|55=INTC|60=20261207-09:00:00", FixSessionRejectReason.RequiredTagMissing, 11);

    [Fact]
    public void A_required_header_tag_missing_is_reason_1_naming_it() =>
        AssertSessionReject($"35=D|49=TW44|56=ISLD|34=2|{Order}", FixSessionRejectReason.RequiredTagMissing, 52);

    [Fact]
    public void A_value_outside_the_enumeration_is_reason_5() =>
        AssertSessionReject($"35=D|{Header}|11=ID|21=4|40=1|54=1|55=INTC|60=20261207-09:00:00", FixSessionRejectReason.ValueIsIncorrect, 21);

    [Fact]
    public void A_security_type_outside_fix_44s_list_is_reason_5_and_one_inside_it_is_taken()
    {
        AssertSessionReject($"35=D|{Header}|{Order}|167=BOO", FixSessionRejectReason.ValueIsIncorrect, FixTag.SecurityType);
        Assert.True(Validate($"35=D|{Header}|{Order}|167=CS").IsValid);
    }

    [Fact]
    public void A_security_definition_with_an_empty_alternative_id_group_is_valid() =>
        Assert.True(Validate($"35=d|{Header}|22=8|55=TBS|58=No Products|167=CS|320=REQ1|322=RSP1|323=6|336=ONE_MAIN|454=0").IsValid);

    [Fact]
    public void A_value_of_the_wrong_format_is_reason_6() =>
        AssertSessionReject($"35=D|{Header}|{Order}|44=eighty", FixSessionRejectReason.IncorrectDataFormat, 44);

    [Fact]
    public void A_timestamp_of_the_wrong_format_is_reason_6() =>
        AssertSessionReject($"35=D|{Header}|11=ID|21=1|40=1|54=1|55=INTC|60=2026-12-07 09:00", FixSessionRejectReason.IncorrectDataFormat, 60);

    [Fact]
    public void A_tag_number_outside_fix_is_reason_0() =>
        AssertSessionReject($"35=D|{Header}|{Order}|4500=X", FixSessionRejectReason.InvalidTagNumber, 4500);

    [Fact]
    public void A_tag_that_is_not_a_number_is_reason_0() =>
        AssertSessionReject($"35=D|{Header}|{Order}|X1=X", FixSessionRejectReason.InvalidTagNumber, 0);

    [Fact]
    public void A_fix_tag_not_defined_for_the_message_type_is_reason_2() =>
        AssertSessionReject($"35=D|{Header}|{Order}|112=HELLO", FixSessionRejectReason.TagNotDefinedForMessageType, 112);

    [Fact]
    public void A_tag_without_a_value_is_reason_4() =>
        AssertSessionReject($"35=D|{Header}|{Order}|58=", FixSessionRejectReason.TagSpecifiedWithoutValue, 58);

    [Fact]
    public void A_tag_without_a_value_inside_a_group_is_reason_4() =>
        AssertSessionReject($"35=W|{Header}|262=MD1|55=COMI|268=2|269=0|270=81.2|271=100|269=1|270=81.3|271=", FixSessionRejectReason.TagSpecifiedWithoutValue, 271);

    [Fact]
    public void A_tag_twice_in_one_group_instance_is_reason_13() =>
        AssertSessionReject($"35=W|{Header}|262=MD1|55=COMI|268=1|269=0|270=81.2|270=81.3", FixSessionRejectReason.TagAppearsMoreThanOnce, 270);

    [Fact]
    public void A_tag_twice_is_reason_13() =>
        AssertSessionReject($"35=D|{Header}|{Order}|11=ID2", FixSessionRejectReason.TagAppearsMoreThanOnce, 11);

    [Fact]
    public void A_header_tag_after_the_body_is_reason_14() =>
        AssertSessionReject($"35=D|{Order}|34=2|49=TW44|52=20261207-09:00:00|56=ISLD", FixSessionRejectReason.TagSpecifiedOutOfRequiredOrder, 34);

    [Fact]
    public void A_group_instance_not_starting_with_its_delimiter_is_reason_15() =>
        AssertSessionReject($"35=D|{Header}|{Order}|453=1|447=D|448=BRK1", FixSessionRejectReason.RepeatingGroupFieldsOutOfOrder, 447);

    [Fact]
    public void A_group_count_different_from_its_instances_is_reason_16() =>
        AssertSessionReject($"35=D|{Header}|11=ID|21=1|40=1|54=1|38=2000|55=INTC|386=3|336=PRE-OPEN|336=AFTER-HOURS|60=20261207-09:00:00",
            FixSessionRejectReason.IncorrectNumInGroupCount, 386);

    [Fact]
    public void A_market_data_entry_without_its_entry_type_first_is_reason_15() =>
        AssertSessionReject($"35=W|{Header}|262=MD1|55=COMI|268=1|270=81.2|271=100", FixSessionRejectReason.RepeatingGroupFieldsOutOfOrder, 270);

    [Fact]
    public void An_unknown_msg_type_is_reason_11() =>
        AssertSessionReject($"35=*|{Header}", FixSessionRejectReason.InvalidMsgType, FixValidationResult.NoTag);

    [Fact]
    public void A_fix_message_type_the_dictionary_does_not_support_is_a_business_reject_3()
    {
        var result = Validate($"35=E|{Header}|66=L1");
        Assert.Equal(FixRejectKind.Business, result.Kind);
        Assert.Equal(FixBusinessRejectReason.UnsupportedMessageType, result.BusinessReason);
    }

    [Theory]
    [InlineData("40=2", 44)]
    [InlineData("40=3", 99)]
    [InlineData("40=4|44=81", 99)]
    public void An_order_type_without_its_price_is_a_business_reject_5(string ordType, int missing)
    {
        var result = Validate($"35=D|{Header}|11=ID|21=1|54=1|38=10|55=INTC|60=20261207-09:00:00|{ordType}");
        Assert.Equal(FixRejectKind.Business, result.Kind);
        Assert.Equal(FixBusinessRejectReason.ConditionallyRequiredFieldMissing, result.BusinessReason);
        Assert.Equal(missing, result.RefTagId);
    }

    [Fact]
    public void A_cancel_without_an_instrument_is_a_business_reject_5()
    {
        var result = Validate($"35=F|{Header}|41=ID|11=ID2|54=1|60=20261207-09:00:00");
        Assert.Equal(FixBusinessRejectReason.ConditionallyRequiredFieldMissing, result.BusinessReason);
        Assert.Equal(FixTag.Symbol, result.RefTagId);
    }

    [Fact]
    public void An_order_mass_status_request_without_its_id_is_reason_1_naming_584() =>
        AssertSessionReject($"35=AF|{Header}|585=7", FixSessionRejectReason.RequiredTagMissing, FixTag.MassStatusReqId);

    [Fact]
    public void An_order_mass_status_request_without_its_type_is_reason_1_naming_585() =>
        AssertSessionReject($"35=AF|{Header}|584=MS1", FixSessionRejectReason.RequiredTagMissing, FixTag.MassStatusReqType);

    [Theory]
    [InlineData("9")]
    [InlineData("0")]
    public void A_mass_status_request_type_fix_4_4_does_not_define_is_reason_5(string type) =>
        AssertSessionReject($"35=AF|{Header}|584=MS1|585={type}", FixSessionRejectReason.ValueIsIncorrect, FixTag.MassStatusReqType);

    [Fact]
    public void A_mass_status_request_type_that_is_not_a_number_is_reason_6() =>
        AssertSessionReject($"35=AF|{Header}|584=MS1|585=all", FixSessionRejectReason.IncorrectDataFormat, FixTag.MassStatusReqType);

    [Fact]
    public void A_mass_status_request_for_a_security_without_one_is_a_business_reject_naming_symbol()
    {
        var result = Validate($"35=AF|{Header}|584=MS1|585=1");
        Assert.Equal((FixRejectKind.Business, FixBusinessRejectReason.ConditionallyRequiredFieldMissing, FixTag.Symbol),
            (result.Kind, result.BusinessReason, result.RefTagId));
    }

    [Fact]
    public void A_mass_status_request_for_a_party_without_one_is_a_business_reject_naming_the_parties()
    {
        var result = Validate($"35=AF|{Header}|584=MS1|585=8");
        Assert.Equal((FixRejectKind.Business, FixBusinessRejectReason.ConditionallyRequiredFieldMissing, FixTag.NoPartyIds),
            (result.Kind, result.BusinessReason, result.RefTagId));
    }

    [Theory]
    [InlineData("2", FixTag.Product)]
    [InlineData("3", FixTag.CfiCode)]
    [InlineData("4", FixTag.SecurityType)]
    [InlineData("5", FixTag.TradingSessionId)]
    [InlineData("6", FixTag.UnderlyingSymbol)]
    public void A_mass_status_request_without_the_field_its_type_selects_by_is_a_business_reject_naming_it(string type, int tag)
    {
        var result = Validate($"35=AF|{Header}|584=MS1|585={type}|55=COMI");
        Assert.Equal((FixRejectKind.Business, FixBusinessRejectReason.ConditionallyRequiredFieldMissing, tag),
            (result.Kind, result.BusinessReason, result.RefTagId));
    }

    [Fact]
    public void The_underlying_fields_are_defined_for_a_mass_status_request_only() =>
        AssertSessionReject($"35=D|{Header}|{Order}|311=FAB", FixSessionRejectReason.TagNotDefinedForMessageType, FixTag.UnderlyingSymbol);

    [Fact]
    public void An_execution_report_with_tot_num_reports_that_is_not_a_number_is_reason_6() =>
        AssertSessionReject($"35=8|{Header}|37=O1|17=S1|150=I|39=0|55=COMI|54=1|151=100|14=0|6=0|584=MS1|911=two|912=Y",
            FixSessionRejectReason.IncorrectDataFormat, FixTag.TotNumReports);
}
