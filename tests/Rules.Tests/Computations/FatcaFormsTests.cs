using TradSys.Rules.Computations;

namespace TradSys.Rules.Tests.Computations;

public class FatcaFormsTests
{
    [Theory]
    [InlineData("2025-03-15", "2028-12-31")]
    [InlineData("2025-01-01", "2028-12-31")]
    [InlineData("2025-12-31", "2028-12-31")]
    [InlineData("2024-02-29", "2027-12-31")]
    public void A_w8ben_expires_at_the_end_of_the_third_calendar_year_after_signing(string signed, string expires)
    {
        Assert.Equal(DateOnly.Parse(expires, System.Globalization.CultureInfo.InvariantCulture),
            FatcaForms.W8BenExpiresOn(DateOnly.Parse(signed, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_form_signed_a_day_later_in_the_next_year_gains_a_whole_year()
    {
        Assert.Equal(new DateOnly(2028, 12, 31), FatcaForms.W8BenExpiresOn(new DateOnly(2025, 12, 31)));
        Assert.Equal(new DateOnly(2029, 12, 31), FatcaForms.W8BenExpiresOn(new DateOnly(2026, 1, 1)));
    }

    [Fact]
    public void A_signing_date_whose_expiry_cannot_be_represented_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FatcaForms.W8BenExpiresOn(new DateOnly(9997, 6, 1)));
        Assert.Equal(new DateOnly(9999, 12, 31), FatcaForms.W8BenExpiresOn(new DateOnly(9996, 6, 1)));
    }
}
