using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Contracts;
using TradSys.Engine.Reference;
using TradSys.Web.Apis;
using TradSys.Web.Ordering;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// The REST quote a cluster's standby answers from the writer's last published level 1 (<see cref="QuoteAnswers.FromFollowed"/>): the
/// writer's own answer, figure for figure, while the message is current, and none once the venue's phase or day has moved on since it,
/// during a suspension, or from a writer whose messages lack the day's figures.
/// </summary>
public sealed class FollowedQuoteTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task From_the_writers_last_quote_message_after_trades_the_answer_is_the_writers_own_quote()
    {
        platform.Clock.Fixed = Noon;
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.50m, 60)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.40m, 100)).Expect(HttpStatusCode.Created);
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 80.40m, 100)).Expect(HttpStatusCode.Created); // 60 @ 80.50, 40 @ 80.40
        (await trader2.SubmitAsync(2001, "COMI.INT", "Sell", 81.00m, 30)).Expect(HttpStatusCode.Created);
        (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 81.00m, 10)).Expect(HttpStatusCode.Created); // 10 @ 81.00

        var rest = (await trader1.GetAsync("/api/v1/instruments/COMI.INT/quote")).Expect(HttpStatusCode.OK).Json;
        var instrument = Instrument("COMI.INT");
        Assert.True(platform.Services.GetRequiredService<CommittedQuotes>().TryGetBook(instrument.Spec.Id, out var book));
        var followed = QuoteAnswers.FromFollowed(instrument, book.Quote, Noon.UtcTicks);

        Assert.NotNull(followed);
        var json = JsonSerializer.SerializeToNode(followed, Web)!;
        Assert.True(JsonNode.DeepEquals(rest, json), $"the writer answered {rest.ToJsonString()}, the followed view {json.ToJsonString()}");
        // The figures the bus message had to carry for it: the day's open, high, low and turnover (60 x 80.50 + 40 x 80.40 + 10 x 81).
        Assert.Equal((80.50m, 81.00m, 80.40m, 8856m, 81.00m, 110L), (json["open"]!.GetValue<decimal>(), json["high"]!.GetValue<decimal>(),
            json["low"]!.GetValue<decimal>(), json["turnover"]!.GetValue<decimal>(), json["last"]!.GetValue<decimal>(), json["volume"]!.GetValue<long>()));
    }

    [Fact]
    public void A_current_message_is_answered_with_its_figures_the_instruments_currency_and_the_phase_now()
    {
        var instrument = Instrument("COMI.INT");
        var at = ContinuousTime(instrument.Spec.Venue);
        var message = Message(at, "Continuous") with { Bid = 80.10m, BidQuantity = 5, Ask = 80.30m, AskQuantity = 7 };

        var quote = QuoteAnswers.FromFollowed(instrument, message, at.AddSeconds(30).Ticks);

        Assert.Equal(new QuoteResponse("COMI.INT", "EGP", 80.10m, 5, 80.30m, 7, 80.20m, 10, 110, 3, 8856m, 80.50m, 81.00m, 80.40m, 80.51m,
            at, "Continuous", null, 0), quote);
    }

    [Fact]
    public void Once_the_venues_phase_has_moved_on_since_the_message_there_is_no_answer()
    {
        var egx = Instrument("COMI"); // the internal venue trades continuously all day; EGX closes
        var venue = egx.Spec.Venue;
        var at = ContinuousTime(venue);
        var later = at;
        while (venue.PhaseAt(later.Ticks) == MarketPhase.Continuous)
        {
            later = later.AddMinutes(15);
            Assert.True(later < at.AddDays(8), "EGX never leaves continuous trading within a week");
        }

        Assert.NotNull(QuoteAnswers.FromFollowed(egx, Message(at, "Continuous"), at.AddMinutes(1).Ticks));
        Assert.Null(QuoteAnswers.FromFollowed(egx, Message(at, "Continuous"), later.Ticks));
    }

    [Fact]
    public void On_another_trading_day_in_the_same_phase_there_is_no_answer_the_writer_starts_the_days_statistics_again()
    {
        var instrument = Instrument("COMI.INT");
        var venue = instrument.Spec.Venue;
        var at = ContinuousTime(venue);
        var nextDay = at.AddDays(1);
        while (venue.PhaseAt(nextDay.Ticks) != MarketPhase.Continuous)
        {
            nextDay = nextDay.AddDays(1);
            Assert.True(nextDay < at.AddDays(10), "no trading day within ten days");
        }

        Assert.Null(QuoteAnswers.FromFollowed(instrument, Message(at, "Continuous"), nextDay.Ticks));
        Assert.NotNull(QuoteAnswers.FromFollowed(instrument, Message(nextDay, "Continuous"), nextDay.Ticks));
    }

    [Fact]
    public void A_suspended_instrument_and_a_writer_without_the_days_figures_get_no_answer()
    {
        var instrument = Instrument("COMI.INT");
        var at = ContinuousTime(instrument.Spec.Venue);

        Assert.Null(QuoteAnswers.FromFollowed(instrument, Message(at, "Suspended"), at.Ticks));
        Assert.Null(QuoteAnswers.FromFollowed(instrument, Message(at, "Continuous") with { Turnover = null }, at.Ticks));
        Assert.Null(QuoteAnswers.FromFollowed(instrument, Message(at, null), at.Ticks));
    }

    private TradableInstrument Instrument(string symbol)
    {
        _ = platform.CreateClient();
        return platform.Services.GetRequiredService<ReferenceDataCache>().Get(symbol);
    }

    /// <summary>The first quarter hour from <see cref="Noon"/> on in which the venue trades continuously.</summary>
    private static DateTime ContinuousTime(VenueSpec venue)
    {
        var at = Noon.UtcDateTime;
        while (venue.PhaseAt(at.Ticks) != MarketPhase.Continuous)
        {
            at = at.AddMinutes(15);
            Assert.True(at < Noon.UtcDateTime.AddDays(8), "the venue never trades continuously within a week");
        }
        return at;
    }

    private static QuoteUpdated Message(DateTime at, string? phase) =>
        new("COMI.INT", 7, null, 0, null, 0, 80.20m, 10, 110, 3, 80.51m, at, phase, Open: 80.50m, High: 81.00m, Low: 80.40m, Turnover: 8856m);
}
