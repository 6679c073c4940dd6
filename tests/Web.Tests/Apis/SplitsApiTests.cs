using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.CorporateActions;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Stock splits through /api/v1/splits: every field's problem at once and nothing written, announce, list, read, cancel before the
/// effective date (audited, versioned), and a 1-for-20 reverse split applied to positions built by hand from trades sent through
/// POST /api/v1/orders: quantities, average cost, cash in lieu, reference prices and an open order afterwards, the audit record, and
/// applying it again changing nothing, and the outcome read back; refused while the listing trades; and the stored daily closes before the
/// effective date scaled with the split, so the VaR's price history is one series across it.
/// </summary>
public sealed class SplitsApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo, EGX and the internal venue trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Tuesday 2026-11-24 03:00 UTC: 05:00 in Cairo, EGX closed, nothing traded yet that day.</summary>
    private static readonly DateTimeOffset TuesdayBeforeOpen = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    /// <summary>The recurring jobs are switched off: the tests apply by the API.</summary>
    private static PlatformFactory NewPlatform() => new()
    {
        Settings =
        {
            ["CorporateActions:DividendJobMinutes"] = "0", ["CorporateActions:SplitJobMinutes"] = "0", ["ReferencePrices:CloseJobMinutes"] = "0",
        },
    };

    private static object Announcement(string effectiveDate, int newShares, int oldShares, string symbol = "COMI") =>
        new { symbol, newShares, oldShares, effectiveDate, source = "issuer's extraordinary general assembly (test)" };

    private static async Task<int> SplitCountAsync(PlatformFactory platform)
    {
        var n = 0;
        await platform.WithDbAsync(async db => n = await db.StockSplits.CountAsync());
        return n;
    }

    private static async Task<List<string>> AuditActionsAsync(PlatformFactory platform, long id)
    {
        var actions = new List<string>();
        await platform.WithDbAsync(async db => actions = await db.AuditLog.Where(a => a.Subject == $"split/{id}").OrderBy(a => a.Id)
            .Select(a => a.Action).ToListAsync());
        return actions;
    }

    private static async Task CrossAsync(ApiClient seller, long sellAccount, ApiClient buyer, long buyAccount, decimal price, long quantity)
    {
        var resting = (await seller.SubmitAsync(sellAccount, "COMI.INT", "Sell", price, quantity)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", resting.Str("status"));
        var aggressor = (await buyer.SubmitAsync(buyAccount, "COMI.INT", "Buy", price, quantity)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", aggressor.Str("status"));
    }

    private static decimal Egp(JsonNode cash) =>
        cash["currencies"]!.AsArray().Single(c => c!["currency"]!.GetValue<string>() == "EGP")!["available"]!.GetValue<decimal>();

    private static async Task<JsonNode> PositionAsync(ApiClient client, long account) =>
        (await client.GetAsync($"/api/v1/positions?accountId={account}&symbol=COMI.INT")).Expect(HttpStatusCode.OK).Json.AsArray().Single()!;

    [Fact]
    public async Task Every_field_problem_is_answered_at_once_and_nothing_is_written()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader = await platform.ClientForAsync("trader1");
        var before = await SplitCountAsync(platform);

        var bad = (await ops.PostJsonAsync("/api/v1/splits", new { symbol = "NOPE", newShares = 0, effectiveDate = "24/11/2026" }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Contains("there is no listed instrument 'NOPE'", Assert.Single(bad.Errors("symbol")), StringComparison.Ordinal);
        Assert.Contains("0 is not a whole number from 1 to 1000", Assert.Single(bad.Errors("newShares")), StringComparison.Ordinal);
        Assert.Contains("is required", Assert.Single(bad.Errors("oldShares")), StringComparison.Ordinal);
        Assert.Contains("'24/11/2026' is not a date as yyyy-MM-dd", Assert.Single(bad.Errors("effectiveDate")), StringComparison.Ordinal);
        Assert.Contains("is required", Assert.Single(bad.Errors("source")), StringComparison.Ordinal);

        // A ratio that changes nothing; a day that is not after today; a Friday, which EGX does not trade.
        var same = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-23", 3, 3))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("3-for-3 changes nothing", Assert.Single(same.Errors("newShares")), StringComparison.Ordinal);
        Assert.Contains("2026-11-23 is not after today (2026-11-23 on EGX's clock)", Assert.Single(same.Errors("effectiveDate")), StringComparison.Ordinal);
        var friday = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-27", 2, 1))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("2026-11-27 (Friday) is not a trading day of EGX", Assert.Single(friday.Errors("effectiveDate")), StringComparison.Ordinal);

        // A trader may neither announce nor read.
        (await trader.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 2, 1))).Expect(HttpStatusCode.Forbidden);
        (await trader.GetAsync("/api/v1/splits")).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(before, await SplitCountAsync(platform));
    }

    [Fact]
    public async Task A_split_is_announced_listed_read_and_canceled_before_its_effective_date_each_change_versioned_and_audited()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var compliance = await platform.ClientForAsync("compliance1");

        var created = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 2, 1))).Expect(HttpStatusCode.Created);
        var id = created.Long("id");
        Assert.Equal(("Announced", 1, "ops1", 2, 1), (created.Str("status"), created.Json["version"]!.GetValue<int>(), created.Str("createdBy"),
            created.Json["newShares"]!.GetValue<int>(), created.Json["oldShares"]!.GetValue<int>()));
        Assert.Equal($"/api/v1/splits/{id}", created.Location!.OriginalString);
        var twin = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 3, 1))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains($"COMI already has split {id} effective 2026-11-24", Assert.Single(twin.Errors("effectiveDate")), StringComparison.Ordinal);

        var listed = (await compliance.GetAsync("/api/v1/splits?symbol=COMI&from=2026-11-24&to=2026-11-24")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(id, Assert.Single(listed)!["id"]!.GetValue<long>());
        var badQuery = (await compliance.GetAsync("/api/v1/splits?from=soon&status=Gone")).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(badQuery.Errors("from"));
        Assert.NotEmpty(badQuery.Errors("status"));
        Assert.Equal("2026-11-24", (await compliance.GetAsync($"/api/v1/splits/{id}")).Expect(HttpStatusCode.OK).Str("effectiveDate"));
        (await compliance.GetAsync("/api/v1/splits/999999")).Expect(HttpStatusCode.NotFound);

        var early = (await ops.PostJsonAsync($"/api/v1/splits/{id}/apply", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("applied on its effective date, 2026-11-24; today is 2026-11-23", early.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        (await ops.PostJsonAsync($"/api/v1/splits/{id}/cancel", new { reason = " " })).Expect(HttpStatusCode.BadRequest);
        var canceled = (await ops.PostJsonAsync($"/api/v1/splits/{id}/cancel", new { reason = "assembly postponed" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Canceled", 2, "assembly postponed"), (canceled.Str("status"), canceled.Json["version"]!.GetValue<int>(), canceled.Str("cancelReason")));
        (await ops.PostJsonAsync($"/api/v1/splits/{id}/cancel", new { reason = "again" })).Expect(HttpStatusCode.Conflict);
        platform.Clock.Fixed = TuesdayBeforeOpen;
        (await ops.PostJsonAsync($"/api/v1/splits/{id}/apply", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Equal(["split.announced", "split.canceled"], await AuditActionsAsync(platform, id));
    }

    [Fact]
    public async Task A_reverse_split_scales_positions_keeps_cost_pays_fractions_divides_reference_prices_and_cancels_open_orders_once()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        // Monday: 1001 buys 100 and 1002 buys 30 COMI.INT at 79 from 2001, which goes short 130; 1001 leaves a buy of 10 at 75 resting.
        await CrossAsync(trader2, 2001, trader1, 1001, 79.00m, 100);
        await CrossAsync(trader2, 2001, trader1, 1002, 79.00m, 30);
        var resting = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 75.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", resting.Str("status"));
        var id = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 1, 20))).Expect(HttpStatusCode.Created).Long("id");

        // Tuesday before the open: a 1-for-20 reverse split of COMI (EGX) and its internal line COMI.INT.
        platform.Clock.Fixed = TuesdayBeforeOpen;
        var cashBefore1002 = Egp((await trader1.GetAsync("/api/v1/accounts/1002/cash")).Expect(HttpStatusCode.OK).Json);
        var cashBefore2001 = Egp((await trader2.GetAsync("/api/v1/accounts/2001/cash")).Expect(HttpStatusCode.OK).Json);
        var applied = (await ops.PostJsonAsync($"/api/v1/splits/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.False(applied["unchanged"]!.GetValue<bool>());
        Assert.Equal(("Applied", 2, "ops1"), (applied["split"]!["status"]!.GetValue<string>(), applied["split"]!["version"]!.GetValue<int>(),
            applied["split"]!["appliedBy"]!.GetValue<string>()));
        var positions = applied["positions"]!.AsArray().Select(p => (p!["accountId"]!.GetValue<long>(), p["symbol"]!.GetValue<string>(),
            p["quantityBefore"]!.GetValue<long>(), p["quantityAfter"]!.GetValue<long>(), p["cashInLieu"]!.GetValue<decimal>())).ToList();
        // 100 / 20 = 5; 30 / 20 = 1.5: 1 share and half a share at the new reference price 80 x 20 = 1600 in cash; -130 / 20 = -6.5: the
        // short keeps -6 and pays for the half share.
        Assert.Equal([(1001L, "COMI.INT", 100L, 5L, 0m), (1002L, "COMI.INT", 30L, 1L, 800m), (2001L, "COMI.INT", -130L, -6L, -800m)], positions);
        var prices = applied["referencePrices"]!.AsArray().Select(p => (p!["symbol"]!.GetValue<string>(), p["before"]!.GetValue<decimal>(),
            p["after"]!.GetValue<decimal>())).OrderBy(p => p.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal([("COMI", 80m, 1600m), ("COMI.INT", 80m, 1600m)], prices);
        Assert.Equal(resting.Long("orderId"), Assert.Single(applied["canceledOrders"]!.AsArray())!.GetValue<long>());

        // The positions API: quantities scaled, cost basis kept (79 x 20 = 1580 a share), the half share's cash less its cost realised.
        var p1001 = await PositionAsync(trader1, 1001);
        Assert.Equal((5L, 1580m, 0m), (p1001["quantity"]!.GetValue<long>(), p1001["averageCost"]!.GetValue<decimal>(), p1001["realisedPnl"]!.GetValue<decimal>()));
        var p1002 = await PositionAsync(trader1, 1002);
        Assert.Equal((1L, 1580m, 10m), (p1002["quantity"]!.GetValue<long>(), p1002["averageCost"]!.GetValue<decimal>(), p1002["realisedPnl"]!.GetValue<decimal>()));
        var p2001 = await PositionAsync(trader2, 2001);
        Assert.Equal((-6L, 1580m, -10m), (p2001["quantity"]!.GetValue<long>(), p2001["averageCost"]!.GetValue<decimal>(), p2001["realisedPnl"]!.GetValue<decimal>()));
        Assert.Equal(cashBefore1002 + 800m, Egp((await trader1.GetAsync("/api/v1/accounts/1002/cash")).Expect(HttpStatusCode.OK).Json));
        Assert.Equal(cashBefore2001 - 800m, Egp((await trader2.GetAsync("/api/v1/accounts/2001/cash")).Expect(HttpStatusCode.OK).Json));

        // The open order was canceled with the split as its reason; the reference prices are stored.
        var order = (await trader1.GetAsync($"/api/v1/orders/{resting.Long("orderId")}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", order.Str("status"));
        Assert.Contains("corporate action: reverse split 1-for-20 of COMI", order.Str("cancelReason"), StringComparison.Ordinal);
        var stored = new List<(string, decimal, long)>();
        await platform.WithDbAsync(async db => stored = (await db.Instruments.Where(i => i.Symbol == "COMI" || i.Symbol == "COMI.INT").OrderBy(i => i.Symbol)
            .Select(i => new { i.Symbol, i.ReferencePrice, i.IssuedShares }).ToListAsync()).Select(i => (i.Symbol, i.ReferencePrice, i.IssuedShares)).ToList());
        Assert.Equal([("COMI", 1600m, 150_000_000L), ("COMI.INT", 1600m, 150_000_000L)], stored);
        Assert.Equal(["split.announced", "split.applied"], await AuditActionsAsync(platform, id));

        // What the application did is read back (from its audit record) by whoever reads splits, as the apply answered it.
        var compliance = await platform.ClientForAsync("compliance1");
        var outcome = (await compliance.GetAsync($"/api/v1/splits/{id}/application")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("Applied", 2), (outcome["split"]!["status"]!.GetValue<string>(), outcome["split"]!["version"]!.GetValue<int>()));
        Assert.Equal(applied["positions"]!.ToJsonString(), outcome["positions"]!.ToJsonString());
        Assert.Equal(applied["referencePrices"]!.ToJsonString(), outcome["referencePrices"]!.ToJsonString());
        Assert.Equal(applied["canceledOrders"]!.ToJsonString(), outcome["canceledOrders"]!.ToJsonString());

        // Applying it again changes nothing.
        var again = (await ops.PostJsonAsync($"/api/v1/splits/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.True(again["unchanged"]!.GetValue<bool>());
        Assert.Empty(again["positions"]!.AsArray());
        Assert.Equal(5L, (await PositionAsync(trader1, 1001))["quantity"]!.GetValue<long>());
        Assert.Equal(cashBefore1002 + 800m, Egp((await trader1.GetAsync("/api/v1/accounts/1002/cash")).Expect(HttpStatusCode.OK).Json));
        Assert.Equal(["split.announced", "split.applied"], await AuditActionsAsync(platform, id));

        // A split is not applied while its listing trades: Wednesday 11:00 in Cairo, EGX in continuous trading.
        var next = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-25", 2, 1))).Expect(HttpStatusCode.Created).Long("id");
        platform.Clock.Fixed = Monday.AddDays(2);
        var trading = (await ops.PostJsonAsync($"/api/v1/splits/{next}/apply", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("COMI is in its", trading.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(5L, (await PositionAsync(trader1, 1001))["quantity"]!.GetValue<long>());
        Assert.Equal(["split.announced"], await AuditActionsAsync(platform, next));
        var notYet = (await ops.GetAsync($"/api/v1/splits/{next}/application")).Expect(HttpStatusCode.Conflict);
        Assert.Contains($"split {next} is Announced: only an applied split has an application", notYet.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_internal_line_trading_before_the_open_of_the_effective_date_does_not_keep_the_split_from_applying()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        var id = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 2, 1))).Expect(HttpStatusCode.Created).Long("id");

        // Tuesday before EGX opens: COMI.INT, on the venue that never closes, trades (its day began at midnight); COMI does not.
        platform.Clock.Fixed = TuesdayBeforeOpen;
        await CrossAsync(trader2, 2001, trader1, 1001, 80.00m, 100);
        var applied = (await ops.PostJsonAsync($"/api/v1/splits/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Applied", applied["split"]!["status"]!.GetValue<string>());
        var position = await PositionAsync(trader1, 1001);
        Assert.Equal((200L, 40m), (position["quantity"]!.GetValue<long>(), position["averageCost"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task The_job_applies_a_due_split_before_the_open_as_system_and_not_one_before_its_effective_date()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        await CrossAsync(trader2, 2001, trader1, 1001, 80.00m, 100);
        var due = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 2, 1))).Expect(HttpStatusCode.Created).Long("id");
        var later = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-25", 3, 1, "HRHO"))).Expect(HttpStatusCode.Created).Long("id");

        platform.Clock.Fixed = TuesdayBeforeOpen;
        IReadOnlyList<long> applied;
        using (var scope = platform.Services.CreateScope())
        {
            applied = await scope.ServiceProvider.GetRequiredService<SplitApplyJob>().RunOnceAsync(CancellationToken.None);
        }
        Assert.Equal([due], applied);
        var split = (await ops.GetAsync($"/api/v1/splits/{due}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Applied", "system"), (split.Str("status"), split.Str("appliedBy")));
        Assert.Equal("Announced", (await ops.GetAsync($"/api/v1/splits/{later}")).Expect(HttpStatusCode.OK).Str("status"));
        var position = await PositionAsync(trader1, 1001);
        Assert.Equal((200L, 40m), (position["quantity"]!.GetValue<long>(), position["averageCost"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task An_order_held_for_review_on_a_line_of_the_split_is_canceled_with_its_workflow_not_released_later_in_old_shares()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var held = await Workflows.WorkflowScenarios.HeldForReviewAsync(platform, trader1);
        var id = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 2, 1))).Expect(HttpStatusCode.Created).Long("id");

        platform.Clock.Fixed = TuesdayBeforeOpen;
        var applied = (await ops.PostJsonAsync($"/api/v1/splits/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(held.Long("orderId"), Assert.Single(applied["canceledOrders"]!.AsArray())!.GetValue<long>());
        var order = (await trader1.GetAsync($"/api/v1/orders/{held.Long("orderId")}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", order.Str("status"));
        Assert.Contains("corporate action: split 2-for-1 of COMI", order.Str("cancelReason"), StringComparison.Ordinal);
        // Its review is closed: no task is left open for an officer to approve.
        Assert.Null(order.Json["review"]?["openTask"]);
    }

    [Fact]
    public async Task Applying_a_split_scales_the_amount_per_share_of_a_dividend_going_ex_after_it_and_the_holders_are_paid_what_they_were_due()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        await CrossAsync(trader2, 2001, trader1, 1001, 80.00m, 110);
        var split = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 3, 1))).Expect(HttpStatusCode.Created).Long("id");
        // Announced in old shares: 0.80 EGP a share, going ex the day after the split takes effect.
        var dividend = (await ops.PostJsonAsync("/api/v1/dividends", new
        {
            symbol = "COMI", exDate = "2026-11-25", recordDate = "2026-11-26", paymentDate = "2026-11-30", amountPerShare = 0.80m, currency = "EGP",
            source = "issuer's board resolution (test)",
        })).Expect(HttpStatusCode.Created).Long("id");

        platform.Clock.Fixed = TuesdayBeforeOpen;
        var applied = (await ops.PostJsonAsync($"/api/v1/splits/{split}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Applied", applied["split"]!["status"]!.GetValue<string>());

        // Paid on three new shares for each old one: 0.80 / 3 = 0.2666... kept to 8 decimals, version raised.
        var scaled = (await ops.GetAsync($"/api/v1/dividends/{dividend}")).Expect(HttpStatusCode.OK);
        Assert.Equal((0.26666667m, 2, "ops1"), (scaled.Json["amountPerShare"]!.GetValue<decimal>(), (int)scaled.Long("version"), scaled.Str("updatedBy")));
        // 330 new shares x 0.26666667 = 88.0000011, paid as 88.00 EGP: what 110 old shares x 0.80 were due.
        var entitlements = (await ops.GetAsync($"/api/v1/dividends/{dividend}/entitlements")).Expect(HttpStatusCode.OK).Json;
        var holder = entitlements["entitlements"]!.AsArray().Single(e => e!["accountId"]!.GetValue<long>() == 1001)!;
        Assert.Equal((330L, 88.00m), (holder["quantity"]!.GetValue<long>(), holder["grossAmount"]!.GetValue<decimal>()));

        string details = "";
        await platform.WithDbAsync(async db => details = (await db.AuditLog.SingleAsync(a => a.Action == "split.applied" && a.Subject == $"split/{split}")).Details);
        var listed = Assert.Single(JsonNode.Parse(details)!["dividends"]!.AsArray())!;
        Assert.Equal((dividend, 0.80m, 0.26666667m), (listed["dividendId"]!.GetValue<long>(), listed["amountPerShareBefore"]!.GetValue<decimal>(),
            listed["amountPerShare"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task Applying_a_split_scales_the_stored_daily_closes_before_its_effective_date_so_the_price_history_is_one_series()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var id = (await ops.PostJsonAsync("/api/v1/splits", Announcement("2026-11-24", 2, 1))).Expect(HttpStatusCode.Created).Long("id");

        // Closes of both lines on both sides of the effective date (one on it, stored early: it is in new shares and stays).
        (string Symbol, DateOnly Date, decimal Price)[] given =
        [
            ("COMI", new(2026, 11, 19), 80.00m), ("COMI", new(2026, 11, 23), 81.31m), ("COMI", new(2026, 11, 24), 40.70m),
            ("COMI", new(2026, 11, 25), 40.80m), ("COMI.INT", new(2026, 11, 22), 80.50m), ("COMI.INT", new(2026, 11, 24), 40.60m),
        ];
        var lines = new[] { "COMI", "COMI.INT" };
        var stored = new List<ReferencePriceDay>();
        await platform.WithDbAsync(async db =>
        {
            foreach (var (symbol, date, price) in given)
            {
                var row = await db.ReferencePriceDays.SingleOrDefaultAsync(p => p.Symbol == symbol && p.Date == date);
                if (row is null)
                {
                    db.ReferencePriceDays.Add(new ReferencePriceDay
                    {
                        Symbol = symbol, Date = date, Price = price, Currency = "EGP", Source = ReferencePriceDay.ImportSource, EnteredBy = "test",
                        EnteredAt = Monday.UtcDateTime,
                    });
                }
                else
                {
                    (row.Price, row.Source) = (price, ReferencePriceDay.ImportSource);
                }
            }
            // Monday's close of COMI.INT comes from its trades (below): nothing stored for it.
            db.ReferencePriceDays.RemoveRange(db.ReferencePriceDays.Where(p => p.Symbol == "COMI.INT" && p.Date == new DateOnly(2026, 11, 23)));
            await db.SaveChangesAsync();
            stored = await db.ReferencePriceDays.AsNoTracking().Where(p => lines.Contains(p.Symbol)).ToListAsync();
        });
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        await CrossAsync(trader2, 2001, trader1, 1001, 80.10m, 10);
        var effective = new DateOnly(2026, 11, 24);

        platform.Clock.Fixed = TuesdayBeforeOpen;
        var applied = (await ops.PostJsonAsync($"/api/v1/splits/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;

        // Before the effective date: halved, rounded to the line's price decimals half to even as its reference price is; on and after it:
        // as stored.
        var referenceData = platform.Services.GetRequiredService<TradSys.Web.ReferenceData.ReferenceDataCache>();
        var after = new Dictionary<(string, DateOnly), decimal>();
        await platform.WithDbAsync(async db => after = (await db.ReferencePriceDays.AsNoTracking().Where(p => lines.Contains(p.Symbol)).ToListAsync())
            .ToDictionary(p => (p.Symbol, p.Date), p => p.Price));
        Assert.Equal(stored.Count, after.Count);
        foreach (var close in stored)
        {
            var expected = close.Date < effective ? Math.Round(close.Price / 2, referenceData.Get(close.Symbol).Decimals, MidpointRounding.ToEven) : close.Price;
            Assert.Equal(expected, after[(close.Symbol, close.Date)]);
        }
        Assert.Equal((40.00m, 40.655m, 40.70m, 40.80m, 40.25m, 40.60m), (after[("COMI", new(2026, 11, 19))], after[("COMI", new(2026, 11, 23))],
            after[("COMI", effective)], after[("COMI", new(2026, 11, 25))], after[("COMI.INT", new(2026, 11, 22))], after[("COMI.INT", effective)]));

        // The answer, the audit record and the application read back say what was scaled: per line, how many and which days.
        var expectedCloses = lines.Select(l => stored.Where(c => c.Symbol == l && c.Date < effective).OrderBy(c => c.Date).ToList())
            .Select(c => (c[0].Symbol, c.Count, c[0].Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                c[^1].Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))).ToList();
        static List<(string, int, string, string)> Closes(JsonNode node) => [.. node.AsArray().Select(d => (d!["symbol"]!.GetValue<string>(),
            d["count"]!.GetValue<int>(), d["from"]!.GetValue<string>(), d["to"]!.GetValue<string>())).OrderBy(d => d.Item1, StringComparer.Ordinal)];
        Assert.Equal(expectedCloses, Closes(applied["dailyCloses"]!));
        var details = "";
        await platform.WithDbAsync(async db => details = await db.AuditLog.Where(a => a.Subject == $"split/{id}" && a.Action == "split.applied")
            .Select(a => a.Details).SingleAsync());
        Assert.Equal(expectedCloses, Closes(JsonNode.Parse(details)!["dailyCloses"]!));
        var outcome = (await ops.GetAsync($"/api/v1/splits/{id}/application")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(expectedCloses, Closes(outcome["dailyCloses"]!));

        // The VaR's price history across the split: one series in new shares, no split-sized move (every daily move under 10 %, where the split would be -50 %).
        Dictionary<string, List<TradSys.Web.Ordering.Risk.DailyClosePoint>> history = [];
        await platform.WithDbAsync(async db => history = await TradSys.Web.Ordering.Risk.PriceHistory.ReadAsync(db, ["COMI"],
            new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 25), CancellationToken.None));
        var series = history["COMI"].Select(p => p.Close).ToList();
        Assert.Contains(40.655m, series);
        Assert.All(series.Zip(series.Skip(1)), pair => Assert.True(Math.Abs(pair.Second / pair.First - 1) < 0.10m, $"{pair.First} -> {pair.Second}"));
        // A close read from the trades of a day before the split (Monday's last trade of COMI.INT at 80.10) is put in new shares as read; the
        // trade itself stays as executed.
        await platform.WithDbAsync(async db => history = await TradSys.Web.Ordering.Risk.PriceHistory.ReadAsync(db, ["COMI.INT"],
            new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 24), CancellationToken.None));
        Assert.Equal([(new DateOnly(2026, 11, 22), 40.25m, "import"), (new DateOnly(2026, 11, 23), 40.05m, "trades"), (effective, 40.60m, "import")],
            history["COMI.INT"].Select(p => (p.Date, p.Close, p.Source)).ToList());
        var traded = 0m;
        await platform.WithDbAsync(async db => traded = await db.Trades.Where(t => t.Symbol == "COMI.INT").OrderByDescending(t => t.Id).Select(t => t.Price).FirstAsync());
        Assert.Equal(80.10m, traded);

        // Applying it again scales nothing twice.
        (await ops.PostJsonAsync($"/api/v1/splits/{id}/apply", new { })).Expect(HttpStatusCode.OK);
        var again = 0m;
        await platform.WithDbAsync(async db => again = await db.ReferencePriceDays.Where(p => p.Symbol == "COMI" && p.Date == new DateOnly(2026, 11, 19))
            .Select(p => p.Price).SingleAsync());
        Assert.Equal(40.00m, again);
    }
}
