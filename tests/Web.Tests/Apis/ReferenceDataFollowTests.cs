using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.Cluster;
using TradSys.Web.Ordering;
using TradSys.Web.ReferenceData;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// The platform picks up a new listing or a calendar change without a restart on every node (issue 14): a node that does not write
/// the books (a standby, here a second platform on the same database whose writer stands by) follows what the leader, or an operator's
/// SQL, changed in the venues and instruments, without an order; a standby that takes over starts from the database's rows; and the
/// leader's session-watcher tick reads the change counters, so a holiday removed by SQL counts without an order reaching the writer.
/// </summary>
public sealed class ReferenceDataFollowTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo, EGX in continuous trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A second platform on <paramref name="leader"/>'s database whose order writer stands by (another node leads).</summary>
    private static PlatformFactory Standby(PlatformFactory leader, Leadership leadership, int followSeconds) => new()
    {
        DatabasePath = leader.DatabasePath,
        Settings = new() { ["Cluster:ReferenceFollowSeconds"] = followSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        TestServices = services => services.AddSingleton<IWriterLeadership>(leadership),
    };

    /// <summary>Reads <paramref name="path"/> on <paramref name="client"/> until <paramref name="done"/> holds, for at most 20 seconds.</summary>
    private static async Task<Reply> UntilAsync(ApiClient client, string path, Func<Reply, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var reply = await client.GetAsync(path);
            if (done(reply) || DateTime.UtcNow > deadline)
            {
                return reply;
            }
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_standby_shows_the_leaders_listing_delisting_and_calendar_change_within_its_follow_interval()
    {
        await using var leader = new PlatformFactory();
        leader.Clock.Fixed = Monday;
        var ops = await leader.ClientForAsync("ops1");
        await using var standby = Standby(leader, new Leadership(), followSeconds: 1);
        standby.Clock.Fixed = Monday;
        var reader = await standby.ClientForAsync("trader1");
        (await reader.GetAsync("/api/v1/instruments/ORAS")).Expect(HttpStatusCode.NotFound);
        Assert.Equal("Trading", (await reader.GetAsync("/api/v1/instruments/COMI.INT")).Expect(HttpStatusCode.OK).Str("status"));

        // The leader lists, delists and closes EGX for today.
        (await ops.PostJsonAsync("/api/v1/instruments", InstrumentsApiTests.Orascom())).Expect(HttpStatusCode.Created);
        (await ops.PostJsonAsync("/api/v1/instruments/COMI.INT/delist", new { reason = "internal line closed" })).Expect(HttpStatusCode.OK);
        using (var read = await ops.Http.GetAsync("/api/v1/venues/EGX/calendar"))
        {
            var calendar = JsonNode.Parse(await read.Content.ReadAsStringAsync())!.AsObject();
            calendar["holidays"] = new JsonArray(new JsonObject { ["date"] = "2026-11-23", ["name"] = "Exchange closure (test)" });
            calendar["reason"] = "EGX notice: closed on 23 November";
            using var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/venues/EGX/calendar")
            {
                Content = new StringContent(calendar.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            put.Headers.IfMatch.Add(read.Headers.ETag!);
            Assert.Equal(HttpStatusCode.OK, (await ops.Http.SendAsync(put)).StatusCode);
        }

        // The standby, which runs no batch and takes no order, shows all of it within its interval.
        var listed = (await UntilAsync(reader, "/api/v1/instruments/ORAS", r => r.Status == HttpStatusCode.OK)).Expect(HttpStatusCode.OK);
        Assert.Equal(("EGX", 250m, "Trading"), (listed.Str("venue"), listed.Json["referencePrice"]!.GetValue<decimal>(), listed.Str("status")));
        Assert.Contains("ORAS", (await reader.GetAsync("/api/v1/instruments")).Expect(HttpStatusCode.OK).Json.AsArray().Select(i => i!["symbol"]!.GetValue<string>()));
        Assert.Equal("Delisted", (await UntilAsync(reader, "/api/v1/instruments/COMI.INT", r => r.Str("status") == "Delisted")).Str("status"));
        Assert.Equal("Closed", (await UntilAsync(reader, "/api/v1/instruments/COMI", r => r.Str("venuePhase") == "Closed")).Str("venuePhase"));
        var calendarOnStandby = (await reader.GetAsync("/api/v1/venues/EGX/calendar")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Closed", 1), (calendarOnStandby.Str("phaseNow"), calendarOnStandby.Json["version"]!.GetValue<int>()));
        var listing = (await reader.GetAsync("/api/v1/instruments/ORAS/listing")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Closed", 1), (listing.Str("venuePhase"), listing.Json["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Rows_changed_by_SQL_behind_a_standbys_back_are_followed_and_a_takeover_starts_from_the_database()
    {
        await using var leader = new PlatformFactory();
        leader.Clock.Fixed = Monday;
        await leader.ClientForAsync("ops1");
        var leadership = new Leadership();
        // An interval longer than the test: the follower's reads are made here, one at a time.
        await using var standby = Standby(leader, leadership, followSeconds: 60);
        standby.Clock.Fixed = Monday;
        var trader1 = await standby.ClientForAsync("trader1");
        var follower = standby.Services.GetRequiredService<ReferenceDataFollower>();
        Assert.False(standby.Services.GetRequiredService<ReferenceDataCache>().HeldByWriter);
        Assert.NotNull(await follower.FollowOnceAsync(CancellationToken.None)); // the first read compares everything
        Assert.Null(await follower.FollowOnceAsync(CancellationToken.None)); // nothing moved since

        // An operator's SQL (or another node) lists a line of COMI and closes EGX today.
        await leader.WithDbAsync(async db =>
        {
            await AddCopyOfComiAsync(db, "COMI.X");
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync("UPDATE \"venues\" SET \"Holidays\" = '[\"2026-11-23\"]' WHERE \"Code\" = 'EGX'"));
        });
        var sync = await follower.FollowOnceAsync(CancellationToken.None);
        Assert.NotNull(sync);
        Assert.Equal(["COMI.X"], sync.Listed);
        Assert.Equal(["EGX"], sync.Venues);
        Assert.Empty(sync.Replaced);
        Assert.Equal("Closed", (await trader1.GetAsync("/api/v1/instruments/COMI.X")).Expect(HttpStatusCode.OK).Str("venuePhase"));
        Assert.Equal("Closed", (await trader1.GetAsync("/api/v1/venues/EGX/calendar")).Expect(HttpStatusCode.OK).Str("phaseNow"));

        // Taken out the same way: open again, no order needed.
        await leader.WithDbAsync(async db => Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(
            "UPDATE \"venues\" SET \"Holidays\" = '[]' WHERE \"Code\" = 'EGX'")));
        Assert.Equal(["EGX"], (await follower.FollowOnceAsync(CancellationToken.None))!.Venues);
        Assert.Equal("Continuous", (await trader1.GetAsync("/api/v1/instruments/COMI.X")).Expect(HttpStatusCode.OK).Str("venuePhase"));

        // Listed after the last follow, then this node takes over: its writer takes the database's rows before it rebuilds the books,
        // so the line listed meanwhile has a book and trades; from then on the writer holds the reference data and the follower reads nothing.
        await leader.WithDbAsync(db => AddCopyOfComiAsync(db, "COMI.Y"));
        (await trader1.GetAsync("/api/v1/instruments/COMI.Y")).Expect(HttpStatusCode.NotFound);
        leadership.Leads = true;
        await standby.SendAsync(new AdvancePhasesCommand("system"));
        Assert.True(standby.Services.GetRequiredService<ReferenceDataCache>().HeldByWriter);
        Assert.Equal("Trading", (await trader1.GetAsync("/api/v1/instruments/COMI.Y")).Expect(HttpStatusCode.OK).Str("status"));
        var order = (await trader1.SubmitAsync(1001, "COMI.Y", "Buy", 79m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", order.Str("status"));
        Assert.Null(await follower.FollowOnceAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_leaders_session_tick_takes_a_holiday_removed_by_SQL_without_an_order()
    {
        await using var platform = new PlatformFactory();
        platform.Clock.Fixed = Monday;
        var trader1 = await platform.ClientForAsync("trader1");
        await platform.WithDbAsync(async db => Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(
            "UPDATE \"venues\" SET \"Holidays\" = '[\"2026-11-23\"]' WHERE \"Code\" = 'EGX'")));
        await platform.SendAsync(new AdvancePhasesCommand("system"));
        Assert.Equal("Closed", (await trader1.GetAsync("/api/v1/venues/EGX/calendar")).Expect(HttpStatusCode.OK).Str("phaseNow"));
        Assert.StartsWith("EGX (XCAI) is Closed", (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.BadRequest)
            .Errors("symbol").Single(), StringComparison.Ordinal);

        // Removed by SQL: the API's pre-trade check refuses with the node's copy until the writer reads the counter, which the tick does.
        await platform.WithDbAsync(async db => Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(
            "UPDATE \"venues\" SET \"Holidays\" = '[]' WHERE \"Code\" = 'EGX'")));
        (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.BadRequest);
        await platform.SendAsync(new AdvancePhasesCommand("system"));
        Assert.Equal("Continuous", (await trader1.GetAsync("/api/v1/venues/EGX/calendar")).Expect(HttpStatusCode.OK).Str("phaseNow"));
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "COMI", "Buy", 79m, 10)).Expect(HttpStatusCode.Created).Str("status"));
    }

    /// <summary>Inserts a copy of COMI's row under another symbol, as SQL run behind the platform's back would.</summary>
    private static async Task AddCopyOfComiAsync(TradSys.Web.Persistence.TradSysDbContext db, string symbol)
    {
        var copy = await db.Instruments.AsNoTracking().SingleAsync(i => i.Symbol == "COMI");
        copy.Symbol = symbol;
        db.Instruments.Add(copy);
        await db.SaveChangesAsync();
    }

    private sealed class Leadership : IWriterLeadership
    {
        public bool Leads { get; set; }

        public WriterTerm Current => new(Leads, ClusterOptions.DefaultShard, 2, Fenced: false, Leader: Leads ? null : "node-a");

        public void Lost(long epoch, string reason) => Leads = false;
    }
}
