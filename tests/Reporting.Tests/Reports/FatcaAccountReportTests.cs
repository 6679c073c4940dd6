using TradSys.Reporting.Data;
using TradSys.Reporting.Reports;
using static TradSys.Reporting.Tests.Reports.AccountReportSamples;

namespace TradSys.Reporting.Tests.Reports;

public class FatcaAccountReportTests
{
    private static readonly DateOnly Day = new(2026, 11, 24);

    private static FatcaAccountRow Assess(FatcaAccountFacts facts) =>
        FatcaAccountReport.Compute(new FatcaInputData(Day, "Asia/Dubai", new DateOnly(2026, 1, 1), Fx, [new(facts, [], [], [])])).Accounts.Single();

    [Fact]
    public void A_US_person_with_a_W9_is_reportable_with_the_form_8966_amounts_in_USD()
    {
        var row = FatcaAccountReport.Compute(Fatca(Day)).Accounts.Single(a => a.Account.AccountId == 2003);
        Assert.True(row.Reportable);
        Assert.Equal("98-0000042", row.Tin);
        Assert.Equal(Math.Round(60 * 8.10m * 0.27229m, 2), row.BalanceUsd);       // 132.33
        Assert.Equal(Math.Round(100 * 0.21m * 0.27229m, 2), row.GrossDividendsUsd); // 5.72
        Assert.Equal(Math.Round(324m * 0.27229m, 2), row.GrossProceedsUsd);         // 88.22
        Assert.Equal(FatcaAccountReport.UaeAuthority, row.ReportedTo);
    }

    [Fact]
    public void Uncured_indicia_make_the_account_reportable_and_needing_action()
    {
        var row = Assess(Facts(2002, "IndiciaUncured", ["UsPhone"]));
        Assert.True(row.Reportable);
        Assert.Contains("Annex I II.B.4", row.Reason, StringComparison.Ordinal);
        Assert.Contains(row.Actions, a => a.StartsWith("US indicia (UsPhone) not cured", StringComparison.Ordinal));
    }

    [Fact]
    public void An_expired_W8BEN_no_longer_cures_indicia_and_one_expiring_within_90_days_is_flagged()
    {
        var expired = Assess(Facts(1002, "ForeignCertifiedW8", ["UsBirthplace"], w8: Day.AddDays(-1)));
        Assert.Contains("W-8BEN EXPIRED on 2026-11-23", expired.Documentation);
        Assert.Contains(expired.Actions, a => a.StartsWith("W-8BEN expired", StringComparison.Ordinal));
        Assert.True(expired.Reportable);

        var soon = Assess(Facts(1002, "ForeignCertifiedW8", ["UsBirthplace"], w8: Day.AddDays(90)));
        Assert.False(soon.Reportable);
        Assert.Equal("Not reportable: US indicia cured by a valid W-8BEN", soon.Reason);
        Assert.Contains(soon.Actions, a => a.Contains("within 90 days", StringComparison.Ordinal));
        Assert.Empty(Assess(Facts(1002, "ForeignCertifiedW8", w8: Day.AddDays(91))).Actions);
    }

    [Theory]
    [InlineData("A1B2C3.99999.SL.818", true)]
    [InlineData("A1B2C3.99999.SL.81", false)]
    [InlineData("A1B2C3-99999.SL.818", false)]
    [InlineData("a1b2c3.99999.sl.818", false)]
    public void A_GIIN_must_read_XXXXXX_XXXXX_XX_XXX(string giin, bool ok) => Assert.Equal(ok, FatcaAccountReport.IsWellFormedGiin(giin));

    [Fact]
    public void An_entity_whose_GIIN_is_not_on_the_FFI_list_needs_action()
    {
        var row = Assess(Facts(1001, "ForeignCertifiedW8", entity: true, w8: Day.AddYears(2), giin: "A1B2C3.99999.SL.818", onList: false, balance: 2_400_000m));
        Assert.Contains("GIIN A1B2C3.99999.SL.818: NOT on the IRS FFI list", row.Documentation);
        Assert.NotEmpty(row.Actions);
        Assert.False(row.Reportable);
    }

    [Fact]
    public void Due_diligence_tiers_follow_annex_I()
    {
        var small = Assess(Facts(1, "UsPersonW9", w9: true, tin: "123-45-6789", preexisting: true, balance: 50_000m));
        Assert.True(small.Exempt);
        Assert.False(small.Reportable);
        var large = Assess(Facts(2, preexisting: true, balance: 1_000_001m));
        Assert.Contains("enhanced review (Annex I II.D) PENDING", large.DueDiligenceTier, StringComparison.Ordinal);
        Assert.Contains("enhanced review of a high-value pre-existing account pending", large.Actions);
        Assert.Empty(Assess(Facts(2, preexisting: true, balance: 1_000_001m, reviewed: true)).Actions);
        Assert.True(Assess(Facts(3, entity: true, preexisting: true, balance: 250_000m)).Exempt);
        Assert.False(Assess(Facts(3, entity: true, preexisting: true, balance: 250_001m)).Exempt);
    }

    [Fact]
    public void A_US_person_without_a_TIN_is_reported_with_the_TIN_marked_missing()
    {
        var row = Assess(Facts(5, "UsPersonW9", w9: true));
        Assert.True(row.Reportable);
        Assert.Equal("missing", row.Tin);
        Assert.Contains("US person without a TIN on file: obtain it (Form 8966 requires it)", row.Actions);
    }

    [Fact]
    public void Egyptian_accounts_say_the_IGA_status_is_unverified()
    {
        Assert.Equal(FatcaAccountReport.EgyptUnverified, FatcaAccountReport.Compute(Fatca(Day)).Accounts.Single(a => a.Account.AccountId == 1003).ReportedTo);
    }
}
