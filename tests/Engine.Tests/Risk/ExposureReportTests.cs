using TradSys.Engine.Risk.Exposure;

namespace TradSys.Engine.Tests.Risk;

public class ExposureReportTests
{
    private static readonly ExposurePosition[] Book =
    [
        new("COMI", "40101010", "EGS60121C018", "EGP", "EGX", 8_000m),
        new("COMI.INT", "40101010", "EGS60121C018", "EGP", "INTERNAL", -3_000m),
        new("FAB", "40101010", "AEN000101016", "AED", "ADX", 5_000m),
        new("ETEL", "50101020", "EGS48031C016", "EGP", "EGX", -1_000m),
    ];

    [Fact]
    public void Gross_adds_longs_and_shorts_and_net_offsets_them()
    {
        var total = ExposureReport.Total(Book);
        Assert.Equal((13_000m, 4_000m, 17_000m, 9_000m), (total.Long, total.Short, total.Gross, total.Net));
    }

    [Fact]
    public void Two_listings_of_one_share_are_one_issuer_and_rows_come_largest_gross_first()
    {
        var issuers = ExposureReport.By(Book, ExposureDimension.Issuer);
        Assert.Equal(["EGS60121C018", "AEN000101016", "EGS48031C016"], issuers.Select(r => r.Key));
        Assert.Equal((8_000m, 3_000m, 11_000m, 5_000m), (issuers[0].Long, issuers[0].Short, issuers[0].Gross, issuers[0].Net));
        var sectors = ExposureReport.By(Book, ExposureDimension.Sector);
        Assert.Equal((16_000m, 10_000m), (sectors[0].Gross, sectors[0].Net));
        var currencies = ExposureReport.By(Book, ExposureDimension.Currency);
        Assert.Equal([("EGP", 12_000m), ("AED", 5_000m)], currencies.Select(r => (r.Key, r.Gross)));
        var venues = ExposureReport.By(Book, ExposureDimension.Venue);
        Assert.Equal(["EGX", "ADX", "INTERNAL"], venues.Select(r => r.Key));
    }

    [Theory]
    [InlineData(800, 1000, 80)]
    [InlineData(-1200, 1000, 120)]
    [InlineData(0, 1000, 0)]
    public void Utilisation_is_the_share_of_the_limit_used(double used, double limit, double percent) =>
        Assert.Equal((decimal)percent, ExposureReport.Utilisation((decimal)used, (decimal)limit));

    [Fact]
    public void No_limit_means_no_utilisation()
    {
        Assert.Null(ExposureReport.Utilisation(500m, null));
        Assert.Null(ExposureReport.Utilisation(0m, 0m));
        Assert.Equal(decimal.MaxValue, ExposureReport.Utilisation(1m, 0m));
    }
}
