using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;
using TradSys.Reporting.Reports;
using TradSys.Reporting.Tests.Documents;
using static TradSys.Reporting.Tests.Reports.AccountReportSamples;

namespace TradSys.Reporting.Tests.Reports;

/// <summary>
/// The reference figures of a report's day: the FX rates and reference prices stored for it, else the nearest earlier stored day's, else
/// today's, each labelled; and a past day's FATCA balance converted at that day's stored rate, not today's.
/// </summary>
public class ReferenceFiguresTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);
    private static readonly DateOnly Monday = new(2026, 11, 23);

    /// <summary>Today's platform rates (the samples').</summary>
    private static readonly IReadOnlyList<FxRateInfo> Current = Fx;

    private static string Squash(string s) => s.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);

    private static StoredFxDay Stored(DateOnly day, decimal aedPerUsd) =>
        new(day, [new("AED", aedPerUsd, day, "import"), new("USD", 1m, day, "import")]);

    [Fact]
    public void A_day_with_stored_rates_uses_them_and_a_currency_it_lacks_takes_todays_rate_said_so()
    {
        var choice = ReferenceFigures.Fx(Monday, Today, Stored(Monday, 0.25m), Current);

        Assert.Equal((FiguresBasis.Today, Monday), (choice.Basis, choice.StoredDate!.Value));
        var aed = choice.Rates.Single(r => r.Currency == "AED");
        Assert.Equal((0.25m, Monday, "stored for 2026-11-23 (import)"), (aed.UsdPerUnit, aed.AsOf, aed.Source));
        var egp = choice.Rates.Single(r => r.Currency == "EGP");
        Assert.Equal(0.02053m, egp.UsdPerUnit);
        Assert.StartsWith("today's platform rate", egp.Source, StringComparison.Ordinal);
        Assert.Equal("FX: the rates stored for 2026-11-23. EGP: no rate stored that day, today's platform rate used.", choice.Label);

        var whole = ReferenceFigures.Fx(Monday, Today, new StoredFxDay(Monday, [.. Current.Select(r => r with { AsOf = Monday })]), Current);
        Assert.Equal((FiguresBasis.Day, "FX: the rates stored for 2026-11-23."), (whole.Basis, whole.Label));
    }

    [Fact]
    public void A_past_day_without_stored_rates_takes_the_nearest_earlier_stored_day_and_with_none_todays_labelled()
    {
        var tuesday = Monday.AddDays(1);
        var earlier = ReferenceFigures.Fx(tuesday, Today, Stored(Monday, 0.25m), [.. Current.Where(r => r.Currency != "EGP")]);
        Assert.Equal((FiguresBasis.NearestEarlier, Monday), (earlier.Basis, earlier.StoredDate!.Value));
        Assert.Equal("FX: no rates are stored for 2026-11-24; converted at those of the nearest earlier stored day, 2026-11-23.", earlier.Label);
        Assert.Equal(("nearest earlier stored day 2026-11-23 (import)", 0.25m),
            (earlier.Rates.Single(r => r.Currency == "AED").Source, earlier.Rates.Single(r => r.Currency == "AED").UsdPerUnit));

        var none = ReferenceFigures.Fx(tuesday, Today, null, Current);
        Assert.Equal((FiguresBasis.Today, (DateOnly?)null), (none.Basis, none.StoredDate));
        Assert.Equal("FX: no FX rates are stored on or before 2026-11-24; converted at today's platform rates, not the day's.", none.Label);
        Assert.Equal(Current.Select(r => r.UsdPerUnit).Order(), none.Rates.Select(r => r.UsdPerUnit).Order());

        // Today not closed yet: today's rates are the day's own, used before yesterday's stored ones.
        var today = ReferenceFigures.Fx(Today, Today, Stored(Today.AddDays(-1), 0.25m), Current);
        Assert.Equal((FiguresBasis.Today, 0.27229m), (today.Basis, today.Rates.Single(r => r.Currency == "AED").UsdPerUnit));
        Assert.Contains("no FX rates are stored for 2026-12-06 yet", today.Label, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => ReferenceFigures.Fx(Monday, Today, Stored(tuesday, 0.25m), Current));
    }

    [Fact]
    public void A_reference_price_is_the_days_else_the_nearest_earlier_stored_else_todays_each_labelled()
    {
        var stored = new StoredPrice("FAB", Monday, 15.60m, "import");
        var day = ReferenceFigures.Price(Monday, Today, stored, 16m);
        Assert.Equal((15.60m, FiguresBasis.Day, "Reference 2026-11-23"), (day.Price, day.Basis, day.Label));
        var earlier = ReferenceFigures.Price(Monday.AddDays(2), Today, stored, 16m);
        Assert.Equal((15.60m, FiguresBasis.NearestEarlier, "Reference 2026-11-23 (nearest earlier)"), (earlier.Price, earlier.Basis, earlier.Label));
        var none = ReferenceFigures.Price(Monday, Today, null, 16m);
        Assert.Equal((16m, FiguresBasis.Today, "Reference (today's)"), (none.Price, none.Basis, none.Label));

        Assert.Equal("Prices: instruments held without a trade that day are marked: 1 instrument(s) at the reference price stored for 2026-11-23; " +
                     "1 instrument(s) at the nearest earlier stored day's (none stored for the day); 1 instrument(s) at today's reference price " +
                     "(none stored on or before the day), not the day's.",
            ReferenceFigures.PriceLabel(Monday, [day, earlier, none]));
        Assert.Equal("Prices: every position is marked at its instrument's last trade of the day.", ReferenceFigures.PriceLabel(Monday, []));
    }

    [Fact]
    public void A_stored_price_of_the_demo_history_is_used_like_any_other_but_labelled_illustrative()
    {
        var demo = new StoredPrice("FAB", Monday, 15.60m, ReferenceFigures.DemoSource);
        var day = ReferenceFigures.Price(Monday, Today, demo, 16m);
        Assert.Equal((15.60m, FiguresBasis.Day, "Reference 2026-11-23 (demo, illustrative)", true), (day.Price, day.Basis, day.Label, day.Illustrative));
        var earlier = ReferenceFigures.Price(Monday.AddDays(2), Today, demo, 16m);
        Assert.Equal(("Reference 2026-11-23 (nearest earlier) (demo, illustrative)", true), (earlier.Label, earlier.Illustrative));
        var real = ReferenceFigures.Price(Monday, Today, demo with { Source = "close" }, 16m);
        Assert.Equal(("Reference 2026-11-23", false), (real.Label, real.Illustrative));

        Assert.Equal("Prices: instruments held without a trade that day are marked: 2 instrument(s) at the reference price stored for 2026-11-23; " +
                     "1 instrument(s) at the nearest earlier stored day's (none stored for the day). 2 of these stored prices are the demo data's " +
                     "illustrative history, not market data.",
            ReferenceFigures.PriceLabel(Monday, [day, real, earlier]));
    }

    [Fact]
    public void A_past_days_FATCA_report_converts_at_that_days_stored_rate_and_names_it()
    {
        var choice = ReferenceFigures.Fx(Monday, Today, new StoredFxDay(Monday,
            [new("AED", 0.25m, Monday, "import"), new("EGP", 0.02m, Monday, "import"), new("USD", 1m, Monday, "import")]), Current);
        var input = Fatca(Monday) with { Fx = choice.Rates };

        var data = FatcaAccountReport.Compute(input);
        var row = data.Accounts.Single(a => a.Account.AccountId == 2003);
        Assert.Equal(Math.Round(60 * 8.10m * 0.25m, 2), row.BalanceUsd);        // 121.50, not 132.33 at today's 0.27229
        Assert.Equal(Math.Round(100 * 0.21m * 0.25m, 2), row.GrossDividendsUsd); // 5.25
        Assert.Equal(Math.Round(324m * 0.25m, 2), row.GrossProceedsUsd);          // 81.00

        var text = Squash(string.Concat(Pdf.PageTexts(Pdf.Render(new ReportDocument(Pdf.Template("FATCA accounts"), FatcaAccountReport.Build(data))).Bytes)));
        Assert.Contains(Squash("AED 0.25 (rate of 2026-11-23), stored for 2026-11-23 (import)"), text, StringComparison.Ordinal);
        Assert.DoesNotContain("0.27229", text, StringComparison.Ordinal);
    }
}
