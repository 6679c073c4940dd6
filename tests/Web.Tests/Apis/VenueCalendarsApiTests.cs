using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Venue calendars through /api/v1/venues/{code}/calendar (issue 14), on a running platform: a holiday added for today closes the
/// venue for the very next order (and taking it out opens it again), a half day closes it at its early close, every bad field is named
/// at once and nothing is stored, a stale version is refused, every change is a version with who, when and why, and only operations
/// and admins change a calendar.
/// </summary>
public sealed class VenueCalendarsApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo, EGX in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static async Task<Reply> PutAsync(ApiClient client, string code, JsonObject body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/venues/{code}/calendar")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        using var response = await client.Http.SendAsync(request);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    /// <summary>A venue's calendar as read, with its ETag, ready to be edited and sent back.</summary>
    private static async Task<(JsonObject Body, string ETag)> ReadAsync(ApiClient client, string code)
    {
        using var response = await client.Http.GetAsync($"/api/v1/venues/{code}/calendar");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task A_holiday_added_for_today_closes_the_venue_for_the_very_next_order_and_taking_it_out_opens_it_again()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var admin = await platform.ClientForAsync("admin");
        var trader1 = await platform.ClientForAsync("trader1");

        var (calendar, etag) = await ReadAsync(ops, "EGX");
        Assert.Equal(("W/\"v0\"", "Continuous", "Africa/Cairo"), (etag, calendar["phaseNow"]!.GetValue<string>(), calendar["timeZone"]!.GetValue<string>()));
        (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);

        calendar["holidays"] = new JsonArray(new JsonObject { ["date"] = "2026-11-23", ["name"] = "Exchange closure (test)" });
        calendar["reason"] = "EGX notice: closed on 23 November";
        var changed = (await PutAsync(ops, "EGX", calendar, etag)).Expect(HttpStatusCode.OK);
        Assert.Equal((1, "Closed"), (changed.Json["version"]!.GetValue<int>(), changed.Str("phaseNow")));

        // The very next order meets the closed venue; an ADX instrument still trades.
        var refused = (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.BadRequest);
        Assert.StartsWith("EGX (XCAI) is Closed at 2026-11-23 11:00 Africa/Cairo", refused.Errors("symbol").Single(), StringComparison.Ordinal);
        var reference = (await ops.GetAsync("/api/v1/venues")).Expect(HttpStatusCode.OK).Json.AsArray().Single(v => v!["code"]!.GetValue<string>() == "EGX")!;
        Assert.Equal("Closed", reference["phaseNow"]!.GetValue<string>());

        // The version is the history's, with who, when, why and what changed; the audit trail has it.
        var history = (await ops.GetAsync("/api/v1/venues/EGX/calendar/history")).Expect(HttpStatusCode.OK).Json.AsArray();
        var version = Assert.Single(history)!;
        Assert.Equal((1, "ops1", "EGX notice: closed on 23 November"), (version["version"]!.GetValue<int>(), version["changedBy"]!.GetValue<string>(),
            version["reason"]!.GetValue<string>()));
        Assert.Equal(["holidays"], version["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Empty(version["before"]!["holidays"]!.AsArray());
        Assert.Equal("Exchange closure (test)", version["after"]!["holidays"]![0]!["name"]!.GetValue<string>());
        var audit = (await admin.GetAsync("/api/v1/audit?subject=venue/EGX&action=venue.calendar_changed")).Expect(HttpStatusCode.OK).Json["items"]!.AsArray();
        Assert.Single(audit);

        // Sending the same calendar again changes nothing; taking the holiday out opens the venue for the next order.
        var (again, etag1) = await ReadAsync(ops, "EGX");
        Assert.Equal("W/\"v1\"", etag1);
        again["reason"] = "no change";
        Assert.Equal(1, (await PutAsync(ops, "EGX", again, etag1)).Expect(HttpStatusCode.OK).Json["version"]!.GetValue<int>());
        again["holidays"] = new JsonArray();
        again["reason"] = "EGX notice withdrawn";
        Assert.Equal("Continuous", (await PutAsync(ops, "EGX", again, etag1)).Expect(HttpStatusCode.OK).Str("phaseNow"));
        (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_calendar_changed_in_the_database_by_someone_else_decides_the_next_order_without_a_restart()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var trader1 = await platform.ClientForAsync("trader1");
        (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);

        // Another node (or an operator's SQL) changes the row on the shared database: the venues counter moves (a trigger) and the
        // writer takes the stored calendar at its next batch.
        await platform.WithDbAsync(async db => Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(
            "UPDATE \"venues\" SET \"Holidays\" = '[\"2026-11-23\"]' WHERE \"Code\" = 'EGX'")));
        Assert.StartsWith("EGX (XCAI) is Closed at 2026-11-23 11:00 Africa/Cairo", (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10))
            .Expect(HttpStatusCode.BadRequest).Errors("symbol").Single(), StringComparison.Ordinal);

        // Taking it out the same way is seen at the session watcher's next tick, which reads the counters without an order
        // (ReferenceDataFollowTests); until then the API's own pre-trade check refuses with this node's copy.
    }

    [Fact]
    public async Task A_half_day_closes_the_venue_at_its_early_close()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var (calendar, etag) = await ReadAsync(ops, "EGX");
        calendar["halfDays"] = new JsonArray(new JsonObject { ["date"] = "2026-11-23", ["closeAt"] = "10:30", ["name"] = "Early close (test)" });
        calendar["reason"] = "EGX notice: early close";
        var changed = (await PutAsync(ops, "EGX", calendar, etag)).Expect(HttpStatusCode.OK);
        Assert.Equal("Closed", changed.Str("phaseNow"));
        Assert.Equal("10:30", changed.Json["halfDays"]![0]!["closeAt"]!.GetValue<string>());
        Assert.StartsWith("EGX (XCAI) is Closed", (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.BadRequest)
            .Errors("symbol").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once_and_nothing_is_stored()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var (calendar, _) = await ReadAsync(ops, "EGX");
        var bad = calendar.DeepClone().AsObject();
        bad["timeZone"] = "Mars/Olympus";
        bad["tradingDays"] = new JsonArray("Sunday", "Funday", "Sunday");
        bad["sessions"] = new JsonArray(
            new JsonObject { ["start"] = "10:00", ["end"] = "09:00", ["phase"] = "Continuous" },
            new JsonObject { ["start"] = "9.30", ["end"] = "10:00", ["phase"] = "Lunch" },
            new JsonObject { ["start"] = "11:00", ["end"] = "13:00", ["phase"] = "Continuous" },
            new JsonObject { ["start"] = "12:00", ["end"] = "24:00", ["phase"] = "ClosingAuction" });
        bad["holidays"] = new JsonArray(
            new JsonObject { ["date"] = "2026-11-22", ["name"] = "" },
            new JsonObject { ["date"] = "2026-11-22", ["name"] = "Twice" },
            new JsonObject { ["date"] = "2026-02-30", ["name"] = "No such day" });
        bad["halfDays"] = new JsonArray(
            new JsonObject { ["date"] = "2026-11-22", ["closeAt"] = "12:00", ["name"] = "Holiday too" },
            new JsonObject { ["date"] = "2026-11-29", ["closeAt"] = "25:00", ["name"] = "Bad time" });
        bad.Remove("reason");

        var reply = (await PutAsync(ops, "EGX", bad)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("not a known time zone", Assert.Single(reply.Errors("timeZone")), StringComparison.Ordinal);
        Assert.Contains("not a day of the week", Assert.Single(reply.Errors("tradingDays[1]")), StringComparison.Ordinal);
        Assert.Contains("listed twice", Assert.Single(reply.Errors("tradingDays[2]")), StringComparison.Ordinal);
        Assert.Contains("not after the start", Assert.Single(reply.Errors("sessions[0].end")), StringComparison.Ordinal);
        Assert.Contains("not a time", Assert.Single(reply.Errors("sessions[1].start")), StringComparison.Ordinal);
        Assert.Contains("not a session phase", Assert.Single(reply.Errors("sessions[1].phase")), StringComparison.Ordinal);
        Assert.Contains("must not overlap", Assert.Single(reply.Errors("sessions[3].start")), StringComparison.Ordinal);
        Assert.Single(reply.Errors("holidays[0].name"));
        Assert.Contains("is holiday 1 already", Assert.Single(reply.Errors("holidays[1].date")), StringComparison.Ordinal);
        Assert.Contains("not a date", Assert.Single(reply.Errors("holidays[2].date")), StringComparison.Ordinal);
        Assert.Contains("is a holiday", Assert.Single(reply.Errors("halfDays[0].date")), StringComparison.Ordinal);
        Assert.Contains("not a time", Assert.Single(reply.Errors("halfDays[1].closeAt")), StringComparison.Ordinal);
        Assert.Single(reply.Errors("reason"));

        // A holiday on a day the venue does not trade, a half day closing outside the trading day.
        var offDay = calendar.DeepClone().AsObject();
        offDay["holidays"] = new JsonArray(new JsonObject { ["date"] = "2026-11-27", ["name"] = "A Friday" });
        offDay["halfDays"] = new JsonArray(new JsonObject { ["date"] = "2026-11-24", ["closeAt"] = "16:00", ["name"] = "After the close" });
        offDay["reason"] = "test";
        var offReply = (await PutAsync(ops, "EGX", offDay)).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("is a Friday, not a trading day", Assert.Single(offReply.Errors("holidays[0].date")), StringComparison.Ordinal);
        Assert.Contains("not inside the trading day", Assert.Single(offReply.Errors("halfDays[0].closeAt")), StringComparison.Ordinal);

        // Nothing was stored: the same calendar, version 0, no version row, no audit record.
        var (after, etag) = await ReadAsync(ops, "EGX");
        Assert.Equal("W/\"v0\"", etag);
        Assert.True(JsonNode.DeepEquals(calendar, after));
        await platform.WithDbAsync(async db => Assert.Equal(0, await db.VenueVersions.CountAsync()));
        (await ops.GetAsync("/api/v1/venues/NOPE/calendar")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_change_made_on_a_stale_version_is_refused_with_412()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var (calendar, etag) = await ReadAsync(ops, "ADX");
        calendar["holidays"] = new JsonArray(new JsonObject { ["date"] = "2026-12-02", ["name"] = "UAE National Day" });
        calendar["reason"] = "ADX holidays 2026";
        (await PutAsync(ops, "ADX", calendar, etag)).Expect(HttpStatusCode.OK);
        calendar["holidays"] = new JsonArray(new JsonObject { ["date"] = "2026-12-03", ["name"] = "UAE National Day (second day)" });
        var stale = (await PutAsync(ops, "ADX", calendar, etag)).Expect(HttpStatusCode.PreconditionFailed);
        Assert.Contains("W/\\\"v1\\\"", stale.Body, StringComparison.Ordinal);
        var (now, _) = await ReadAsync(ops, "ADX");
        Assert.Equal("2026-12-02", now["holidays"]![0]!["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_operations_and_admins_change_a_calendar()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        foreach (var user in new[] { "trader1", "compliance1", "regulator1", "risk1" })
        {
            var client = await platform.ClientForAsync(user);
            var (calendar, _) = await ReadAsync(client, "EGX");
            calendar["reason"] = "x";
            (await PutAsync(client, "EGX", calendar)).Expect(HttpStatusCode.Forbidden);
        }
        var admin = await platform.ClientForAsync("admin");
        var (mine, etag) = await ReadAsync(admin, "EGX");
        mine["holidays"] = new JsonArray(new JsonObject { ["date"] = "2027-01-07", ["name"] = "Coptic Christmas" });
        mine["reason"] = "EGX holidays 2027";
        (await PutAsync(admin, "EGX", mine, etag)).Expect(HttpStatusCode.OK);
    }
}
