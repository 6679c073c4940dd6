using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Web.CorporateActions;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Apis;

/// <summary>
/// Symbol changes through /api/v1/symbol-changes: every field's problem at once and nothing written (unknown instrument, malformed or
/// existing new symbol, bad ISIN, a past effective date, a duplicate announcement), announce, list, read and cancel (audited, versioned);
/// applied on the effective date to COMI.INT, renamed CIBE.INT: the new symbol listed with the old one's reference price, positions built
/// from trades through POST /api/v1/orders moved at their cost, the open order canceled with a reason naming the change, the stored daily
/// closes copied, the old symbol delisted, the audit records, and applying it again changing nothing; refused while the listing trades;
/// and the job applying a due change as "system".
/// </summary>
public sealed class SymbolChangesApiTests
{
    /// <summary>Monday 2026-11-23 09:00 UTC: 11:00 in Cairo, EGX and the internal venue trading.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Tuesday 2026-11-24 03:00 UTC: 05:00 in Cairo, EGX closed, nothing traded yet that day.</summary>
    private static readonly DateTimeOffset TuesdayBeforeOpen = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    /// <summary>The recurring jobs are switched off: the tests apply by the API (or run the job themselves).</summary>
    private static PlatformFactory NewPlatform() => new()
    {
        Settings =
        {
            ["CorporateActions:DividendJobMinutes"] = "0", ["CorporateActions:SplitJobMinutes"] = "0",
            ["CorporateActions:SymbolChangeJobMinutes"] = "0", ["ReferencePrices:CloseJobMinutes"] = "0",
        },
    };

    private static object Announcement(string symbol, string newSymbol, string effectiveDate, string? newName = null) =>
        new { symbol, newSymbol, newName, effectiveDate, source = "issuer's rename notice (test)" };

    private static async Task<int> ChangeCountAsync(PlatformFactory platform)
    {
        var n = 0;
        await platform.WithDbAsync(async db => n = await db.SymbolChanges.CountAsync());
        return n;
    }

    private static async Task<List<string>> AuditActionsAsync(PlatformFactory platform, string subject)
    {
        var actions = new List<string>();
        await platform.WithDbAsync(async db => actions = await db.AuditLog.Where(a => a.Subject == subject).OrderBy(a => a.Id)
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

    private static async Task<JsonNode?> PositionAsync(ApiClient client, long account, string symbol) =>
        (await client.GetAsync($"/api/v1/positions?accountId={account}&symbol={symbol}")).Expect(HttpStatusCode.OK).Json.AsArray()
        .SingleOrDefault(p => p!["quantity"]!.GetValue<long>() != 0);

    [Fact]
    public async Task Every_field_problem_is_answered_at_once_and_nothing_is_written()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader = await platform.ClientForAsync("trader1");
        var before = await ChangeCountAsync(platform);

        var bad = (await ops.PostJsonAsync("/api/v1/symbol-changes",
            new { symbol = "NOPE", newSymbol = "new sym!", newIsin = "EGS60121C019X", effectiveDate = "24/11/2026" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("there is no listed instrument 'NOPE'", Assert.Single(bad.Errors("symbol")), StringComparison.Ordinal);
        Assert.Contains("'new sym!' is not a symbol", Assert.Single(bad.Errors("newSymbol")), StringComparison.Ordinal);
        Assert.Single(bad.Errors("newIsin"));
        Assert.Contains("'24/11/2026' is not a date as yyyy-MM-dd", Assert.Single(bad.Errors("effectiveDate")), StringComparison.Ordinal);
        Assert.Contains("is required", Assert.Single(bad.Errors("source")), StringComparison.Ordinal);

        // A new symbol that exists (listed, or its own); a day that is not after today; a Friday, which EGX does not trade.
        var taken = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI", "HRHO", "2026-11-23"))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("HRHO exists already", Assert.Single(taken.Errors("newSymbol")), StringComparison.Ordinal);
        Assert.Contains("2026-11-23 is not after today (2026-11-23 on EGX's clock)", Assert.Single(taken.Errors("effectiveDate")), StringComparison.Ordinal);
        var own = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI", "comi", "2026-11-27"))).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(own.Errors("newSymbol"));
        Assert.Contains("2026-11-27 (Friday) is not a trading day of EGX", Assert.Single(own.Errors("effectiveDate")), StringComparison.Ordinal);
        (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI", "CIBE", "2026-11-24"))).Expect(HttpStatusCode.Created);
        Assert.Equal(before + 1, await ChangeCountAsync(platform));

        // A second announcement for the same instrument, and another instrument claiming the same new symbol.
        var twice = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI", "CIB", "2026-11-25"))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("COMI already has symbol change", Assert.Single(twice.Errors("symbol")), StringComparison.Ordinal);
        var claimed = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("HRHO", "CIBE", "2026-11-25"))).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("CIBE is the new symbol of COMI", Assert.Single(claimed.Errors("newSymbol")), StringComparison.Ordinal);

        // A trader may neither announce nor read.
        (await trader.PostJsonAsync("/api/v1/symbol-changes", Announcement("HRHO", "HRH", "2026-11-24"))).Expect(HttpStatusCode.Forbidden);
        (await trader.GetAsync("/api/v1/symbol-changes")).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(before + 1, await ChangeCountAsync(platform));
    }

    [Fact]
    public async Task A_symbol_change_is_announced_listed_read_and_canceled_before_its_effective_date_each_change_versioned_and_audited()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var compliance = await platform.ClientForAsync("compliance1");

        var created = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI", "CIBE", "2026-11-24"))).Expect(HttpStatusCode.Created);
        var id = created.Long("id");
        Assert.Equal(("Announced", 1, "ops1", "CIBE"), (created.Str("status"), created.Json["version"]!.GetValue<int>(), created.Str("createdBy"),
            created.Str("newSymbol")));
        Assert.Equal($"/api/v1/symbol-changes/{id}", created.Location!.OriginalString);
        var listed = (await compliance.GetAsync("/api/v1/symbol-changes?symbol=CIBE&from=2026-11-24&to=2026-11-24")).Expect(HttpStatusCode.OK).Json.AsArray();
        Assert.Equal(id, Assert.Single(listed)!["id"]!.GetValue<long>());
        var badQuery = (await compliance.GetAsync("/api/v1/symbol-changes?from=soon&status=Gone")).Expect(HttpStatusCode.BadRequest);
        Assert.NotEmpty(badQuery.Errors("from"));
        Assert.NotEmpty(badQuery.Errors("status"));
        (await compliance.GetAsync("/api/v1/symbol-changes/999999")).Expect(HttpStatusCode.NotFound);

        var early = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("applied on its effective date, 2026-11-24; today is 2026-11-23", early.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/cancel", new { reason = " " })).Expect(HttpStatusCode.BadRequest);
        var canceled = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/cancel", new { reason = "rename withdrawn" })).Expect(HttpStatusCode.OK);
        Assert.Equal(("Canceled", 2, "rename withdrawn"), (canceled.Str("status"), canceled.Json["version"]!.GetValue<int>(), canceled.Str("cancelReason")));
        (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/cancel", new { reason = "again" })).Expect(HttpStatusCode.Conflict);
        platform.Clock.Fixed = TuesdayBeforeOpen;
        (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Equal(["symbolchange.announced", "symbolchange.canceled"], await AuditActionsAsync(platform, $"symbolchange/{id}"));
        // Once canceled, the new symbol may be announced again.
        (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI", "CIBE", "2026-11-25"))).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Applying_moves_positions_at_their_cost_cancels_open_orders_keeps_reference_prices_and_closes_and_delists_the_old_symbol_once()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");

        // Monday: 1001 buys 100 COMI.INT at 79 from 2001, which goes short 100; 1001 leaves a buy of 10 at 75 resting. A close is stored.
        await CrossAsync(trader2, 2001, trader1, 1001, 79.00m, 100);
        var resting = (await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 75.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", resting.Str("status"));
        var closeDay = new DateOnly(2026, 11, 20);
        await platform.WithDbAsync(async db =>
        {
            db.ReferencePriceDays.RemoveRange(db.ReferencePriceDays.Where(p => p.Symbol == "COMI.INT" && p.Date == closeDay));
            await db.SaveChangesAsync();
            db.ReferencePriceDays.Add(new ReferencePriceDay
            {
                Symbol = "COMI.INT", Date = closeDay, Price = 78.25m, Currency = "EGP", Source = ReferencePriceDay.ImportSource, EnteredBy = "test",
                EnteredAt = Monday.UtcDateTime,
            });
            await db.SaveChangesAsync();
        });
        var id = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI.INT", "CIBE.INT", "2026-11-24", "CIB (renamed)")))
            .Expect(HttpStatusCode.Created).Long("id");
        Instrument? oldRow = null;
        await platform.WithDbAsync(async db => oldRow = await db.Instruments.AsNoTracking().SingleAsync(i => i.Symbol == "COMI.INT"));

        // Tuesday before EGX opens (the internal venue trades around the clock: it is changed while it trades).
        platform.Clock.Fixed = TuesdayBeforeOpen;
        var applied = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.False(applied["unchanged"]!.GetValue<bool>());
        Assert.Equal(("Applied", 2, "ops1"), (applied["symbolChange"]!["status"]!.GetValue<string>(), applied["symbolChange"]!["version"]!.GetValue<int>(),
            applied["symbolChange"]!["appliedBy"]!.GetValue<string>()));
        var moved = applied["positions"]!.AsArray().Select(p => (p!["accountId"]!.GetValue<long>(), p["newSymbol"]!.GetValue<string>(),
            p["quantity"]!.GetValue<long>(), p["averageCost"]!.GetValue<decimal>())).ToList();
        Assert.Equal([(1001L, "CIBE.INT", 100L, 79m), (2001L, "CIBE.INT", -100L, 79m)], moved);
        Assert.Equal(oldRow!.ReferencePrice, applied["referencePrice"]!["referencePrice"]!.GetValue<decimal>());
        Assert.Equal(resting.Long("orderId"), Assert.Single(applied["canceledOrders"]!.AsArray())!.GetValue<long>());
        Assert.True(applied["dailyCloses"]!["count"]!.GetValue<int>() >= 1);

        // The positions API: the position is on the new symbol at the same cost, nothing realised; the old symbol is flat.
        var p1001 = (await PositionAsync(trader1, 1001, "CIBE.INT"))!;
        Assert.Equal((100L, 79m, 0m), (p1001["quantity"]!.GetValue<long>(), p1001["averageCost"]!.GetValue<decimal>(), p1001["realisedPnl"]!.GetValue<decimal>()));
        var p2001 = (await PositionAsync(trader2, 2001, "CIBE.INT"))!;
        Assert.Equal((-100L, 79m), (p2001["quantity"]!.GetValue<long>(), p2001["averageCost"]!.GetValue<decimal>()));
        Assert.Null(await PositionAsync(trader1, 1001, "COMI.INT"));

        // The open order was canceled with the change as its reason; the listings; the stored close copied.
        var order = (await trader1.GetAsync($"/api/v1/orders/{resting.Long("orderId")}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", order.Str("status"));
        Assert.Contains("COMI.INT trades as CIBE.INT from 2026-11-24", order.Str("cancelReason"), StringComparison.Ordinal);
        Instrument? newRow = null;
        InstrumentStatus oldStatus = default;
        decimal? copied = null;
        await platform.WithDbAsync(async db =>
        {
            newRow = await db.Instruments.AsNoTracking().SingleAsync(i => i.Symbol == "CIBE.INT");
            oldStatus = await db.Instruments.Where(i => i.Symbol == "COMI.INT").Select(i => i.Status).SingleAsync();
            copied = await db.ReferencePriceDays.Where(p => p.Symbol == "CIBE.INT" && p.Date == closeDay).Select(p => (decimal?)p.Price).SingleOrDefaultAsync();
        });
        Assert.Equal(InstrumentStatus.Delisted, oldStatus);
        Assert.Equal((oldRow.Isin, "CIB (renamed)", oldRow.ReferencePrice, oldRow.VenueCode, oldRow.LotSize),
            (newRow!.Isin, newRow.Name, newRow.ReferencePrice, newRow.VenueCode, newRow.LotSize));
        Assert.Equal(78.25m, copied);
        Assert.Equal(["symbolchange.announced", "symbolchange.applied"], await AuditActionsAsync(platform, $"symbolchange/{id}"));
        Assert.Contains("instrument.listed", await AuditActionsAsync(platform, "instrument/CIBE.INT"));
        Assert.Contains("instrument.delisted", await AuditActionsAsync(platform, "instrument/COMI.INT"));

        // What the application did is read back (from its audit record) as the apply answered it.
        var compliance = await platform.ClientForAsync("compliance1");
        var outcome = (await compliance.GetAsync($"/api/v1/symbol-changes/{id}/application")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(applied["positions"]!.ToJsonString(), outcome["positions"]!.ToJsonString());
        Assert.Equal(applied["canceledOrders"]!.ToJsonString(), outcome["canceledOrders"]!.ToJsonString());
        Assert.Equal(applied["dailyCloses"]!.ToJsonString(), outcome["dailyCloses"]!.ToJsonString());

        // Applying it again changes nothing.
        var again = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.True(again["unchanged"]!.GetValue<bool>());
        Assert.Empty(again["positions"]!.AsArray());
        Assert.Equal(100L, (await PositionAsync(trader1, 1001, "CIBE.INT"))!["quantity"]!.GetValue<long>());
        Assert.Equal(["symbolchange.announced", "symbolchange.applied"], await AuditActionsAsync(platform, $"symbolchange/{id}"));

        // The new symbol trades at once; the old one takes no order.
        var sold = (await trader2.SubmitAsync(2001, "CIBE.INT", "Sell", 80.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Accepted", sold.Str("status"));
        var bought = (await trader1.SubmitAsync(1001, "CIBE.INT", "Buy", 80.00m, 10)).Expect(HttpStatusCode.Created);
        Assert.Equal("Filled", bought.Str("status"));
        Assert.Equal(110L, (await PositionAsync(trader1, 1001, "CIBE.INT"))!["quantity"]!.GetValue<long>());
        var refused = await trader1.SubmitAsync(1001, "COMI.INT", "Buy", 80.00m, 10);
        Assert.NotEqual(HttpStatusCode.Created, refused.Status);
    }

    [Fact]
    public async Task Announced_dividends_and_splits_from_the_effective_date_on_move_to_the_new_symbol_and_earlier_ones_stay()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var trader2 = await platform.ClientForAsync("trader2");
        await CrossAsync(trader2, 2001, trader1, 1001, 79.00m, 100);
        // With a new ISIN: a dividend left on the old symbol would find no holder of the old ISIN after the move.
        var id = (await ops.PostJsonAsync("/api/v1/symbol-changes", new
        {
            symbol = "COMI.INT", newSymbol = "CIBE.INT", newIsin = "EGS60121C018", effectiveDate = "2026-11-24", source = "issuer's rename notice (test)",
        })).Expect(HttpStatusCode.Created).Long("id");
        Dividend Announced(DateOnly exDate) => new()
        {
            Symbol = "COMI.INT", ExDate = exDate, RecordDate = exDate.AddDays(1), PaymentDate = exDate.AddDays(14), AmountPerShare = 1.25m,
            Currency = "EGP", Source = "test", CreatedAt = Monday.UtcDateTime, UpdatedAt = Monday.UtcDateTime,
        };
        long before = 0, after = 0, split = 0;
        await platform.WithDbAsync(async db =>
        {
            var earlier = Announced(new DateOnly(2026, 11, 23));
            var later = Announced(new DateOnly(2026, 11, 30));
            var stockSplit = new StockSplit
            {
                Symbol = "COMI.INT", NewShares = 2, OldShares = 1, EffectiveDate = new DateOnly(2026, 12, 7), Source = "test",
                CreatedAt = Monday.UtcDateTime, UpdatedAt = Monday.UtcDateTime,
            };
            db.AddRange(earlier, later, stockSplit);
            await db.SaveChangesAsync();
            (before, after, split) = (earlier.Id, later.Id, stockSplit.Id);
        });

        platform.Clock.Fixed = TuesdayBeforeOpen;
        var applied = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([after], applied["carried"]!["dividends"]!.AsArray().Select(d => d!.GetValue<long>()));
        Assert.Equal([split], applied["carried"]!["splits"]!.AsArray().Select(x => x!.GetValue<long>()));
        var outcome = (await ops.GetAsync($"/api/v1/symbol-changes/{id}/application")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(applied["carried"]!.ToJsonString(), outcome["carried"]!.ToJsonString());

        var moved = (await ops.GetAsync($"/api/v1/dividends/{after}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(("CIBE.INT", 2), (moved["symbol"]!.GetValue<string>(), moved["version"]!.GetValue<int>()));
        Assert.Equal("COMI.INT", (await ops.GetAsync($"/api/v1/dividends/{before}")).Expect(HttpStatusCode.OK).Str("symbol"));
        Assert.Equal("CIBE.INT", (await ops.GetAsync($"/api/v1/splits/{split}")).Expect(HttpStatusCode.OK).Str("symbol"));

        // The moved dividend is owed to the positions that moved with it: long 1001 receives, short 2001 pays the manufactured dividend.
        var entitled = (await ops.GetAsync($"/api/v1/dividends/{after}/entitlements")).Expect(HttpStatusCode.OK).Json["entitlements"]!.AsArray()
            .Select(e => (e!["accountId"]!.GetValue<long>(), e["quantity"]!.GetValue<long>())).ToList();
        Assert.Equal([(1001L, 100L), (2001L, -100L)], entitled);
        // The earlier one went ex on Monday, before the move: its entitlement is the old symbol's holdings then (the trade was on Monday).
        Assert.Empty((await ops.GetAsync($"/api/v1/dividends/{before}/entitlements")).Expect(HttpStatusCode.OK).Json["entitlements"]!.AsArray());
    }

    [Fact]
    public async Task The_old_symbols_limits_follow_to_the_new_symbol_and_refuse_its_next_order_and_its_pending_proposals_are_withdrawn()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var risk = await platform.ClientForAsync("risk1");
        var trader1 = await platform.ClientForAsync("trader1");
        var set = (await MakerChecker.SetLimitsAsync(platform, risk, "instrument", "COMI.INT",
            new { currency = "EGP", maxOrderQuantity = 50, reason = "fat finger on COMI" })).Expect(HttpStatusCode.OK);
        var version = set.Json["version"]!.GetValue<int>();
        var pending = (await risk.SendAsync(HttpMethod.Put, "/api/v1/risk/limits/instrument/COMI.INT",
            System.Text.Json.JsonSerializer.Serialize(new { currency = "EGP", maxOrderQuantity = 500, reason = "wider", version }))).Expect(HttpStatusCode.Accepted);
        var id = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI.INT", "CIBE.INT", "2026-11-24"))).Expect(HttpStatusCode.Created).Long("id");

        platform.Clock.Fixed = TuesdayBeforeOpen;
        var applied = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        var limits = Assert.Single(applied["carried"]!["riskLimits"]!.AsArray())!;
        Assert.Equal(("COMI.INT", version, "CIBE.INT", 1), (limits["symbol"]!.GetValue<string>(), limits["version"]!.GetValue<int>(),
            limits["newSymbol"]!.GetValue<string>(), limits["newVersion"]!.GetValue<int>()));
        Assert.Equal(pending.Long("id"), Assert.Single(applied["carried"]!["withdrawnLimitProposals"]!.AsArray())!.GetValue<long>());
        var outcome = (await ops.GetAsync($"/api/v1/symbol-changes/{id}/application")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(applied["carried"]!.ToJsonString(), outcome["carried"]!.ToJsonString());

        // The very next order on the new symbol meets the moved limit; one within it is accepted.
        var refused = (await trader1.SubmitAsync(1001, "CIBE.INT", "Buy", 79.00m, 60)).Expect(HttpStatusCode.Created);
        Assert.Equal(2003, refused.Long("rejectCode"));
        Assert.Contains("the order's quantity 60 is above the maximum order quantity 50 set for instrument CIBE.INT", refused.Str("rejectReason"),
            StringComparison.Ordinal);
        Assert.Equal("Accepted", (await trader1.SubmitAsync(1001, "CIBE.INT", "Buy", 79.00m, 50)).Expect(HttpStatusCode.Created).Str("status"));

        // The new version: the same values, set by the user who applied the change, its reason naming the change; the proposal withdrawn.
        var inForce = (await risk.GetAsync("/api/v1/risk/limits")).Expect(HttpStatusCode.OK).Json.AsArray()
            .Single(l => l!["key"]!.GetValue<string>() == "CIBE.INT")!;
        Assert.Equal((1, 50L, "EGP", "ops1"), (inForce["version"]!.GetValue<int>(), inForce["maxOrderQuantity"]!.GetValue<long>(),
            inForce["currency"]!.GetValue<string>(), inForce["changedBy"]!.GetValue<string>()));
        Assert.Contains($"symbol change {id}", inForce["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        var withdrawn = (await risk.GetAsync($"/api/v1/risk/limit-proposals/{pending.Long("id")}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Withdrawn", "ops1"), (withdrawn.Str("status"), withdrawn.Str("decidedBy")));
        Assert.Contains("propose the limits again on CIBE.INT", withdrawn.Str("decisionReason"), StringComparison.Ordinal);
        Assert.Contains("risk.limits_set", await AuditActionsAsync(platform, "instrument/CIBE.INT"));
        Assert.Contains("risk.limits_withdrawn", await AuditActionsAsync(platform, "instrument/COMI.INT"));
    }

    [Fact]
    public async Task A_published_pack_naming_the_old_symbol_is_listed_as_a_warning_and_left_as_it_is()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var restricted = RulePackSamples.Edited("sca", p =>
        {
            p["version"] = "1.9.0";
            p["parameters"]!["RestrictedSymbols"] = new JsonObject
            {
                ["type"] = "stringList", ["value"] = new JsonArray("HRHO", "COMI.INT"), ["description"] = "The firm's restricted list (test).",
            };
        });
        await MakerChecker.PublishAsync(platform, "sca", restricted);
        var id = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI.INT", "CIBE.INT", "2026-11-24"))).Expect(HttpStatusCode.Created).Long("id");

        platform.Clock.Fixed = TuesdayBeforeOpen;
        var applied = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        var warning = Assert.Single(applied["packWarnings"]!.AsArray())!;
        Assert.Equal(("sca", "1.9.0"), (warning["packId"]!.GetValue<string>(), warning["version"]!.GetValue<string>()));
        Assert.Equal("parameter RestrictedSymbols lists COMI.INT", Assert.Single(warning["places"]!.AsArray())!.GetValue<string>());
        var outcome = (await ops.GetAsync($"/api/v1/symbol-changes/{id}/application")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(applied["packWarnings"]!.ToJsonString(), outcome["packWarnings"]!.ToJsonString());

        // The pack is not edited: the version in force still lists the old symbol.
        var compliance = await platform.ClientForAsync("compliance1");
        var pack = (await compliance.GetAsync("/api/v1/rulepacks/sca")).Expect(HttpStatusCode.OK);
        Assert.Contains("1.9.0", pack.Json.ToJsonString(), StringComparison.Ordinal);
        var stored = (await compliance.GetAsync("/api/v1/rulepacks/sca/versions/1.9.0")).Expect(HttpStatusCode.OK);
        Assert.Contains("COMI.INT", stored.Json.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_held_for_review_on_the_old_symbol_is_canceled_with_its_workflow()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var trader1 = await platform.ClientForAsync("trader1");
        var held = await Workflows.WorkflowScenarios.HeldForReviewAsync(platform, trader1);
        var id = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("COMI.INT", "CIBE.INT", "2026-11-24"))).Expect(HttpStatusCode.Created).Long("id");

        platform.Clock.Fixed = TuesdayBeforeOpen;
        var applied = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(held.Long("orderId"), Assert.Single(applied["canceledOrders"]!.AsArray())!.GetValue<long>());
        var order = (await trader1.GetAsync($"/api/v1/orders/{held.Long("orderId")}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Canceled", order.Str("status"));
        Assert.Contains("COMI.INT trades as CIBE.INT", order.Str("cancelReason"), StringComparison.Ordinal);
        Assert.Null(order.Json["review"]?["openTask"]);
    }

    [Fact]
    public async Task A_symbol_change_is_not_applied_while_its_listing_trades_and_the_job_applies_it_before_the_open_as_system()
    {
        await using var platform = NewPlatform();
        platform.Clock.Fixed = Monday;
        var ops = await platform.ClientForAsync("ops1");
        var id = (await ops.PostJsonAsync("/api/v1/symbol-changes", Announcement("HRHO", "EFGH", "2026-11-25"))).Expect(HttpStatusCode.Created).Long("id");

        // Wednesday 11:00 in Cairo, EGX in continuous trading.
        platform.Clock.Fixed = Monday.AddDays(2);
        var trading = (await ops.PostJsonAsync($"/api/v1/symbol-changes/{id}/apply", new { })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("HRHO is in its", trading.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["symbolchange.announced"], await AuditActionsAsync(platform, $"symbolchange/{id}"));
        (await ops.GetAsync($"/api/v1/symbol-changes/{id}/application")).Expect(HttpStatusCode.Conflict);

        // Wednesday 05:00 in Cairo, before the open: the job applies it as "system".
        platform.Clock.Fixed = TuesdayBeforeOpen.AddDays(1);
        IReadOnlyList<long> applied;
        using (var scope = platform.Services.CreateScope())
        {
            applied = await scope.ServiceProvider.GetRequiredService<SymbolChangeApplyJob>().RunOnceAsync(CancellationToken.None);
        }
        Assert.Equal([id], applied);
        var change = (await ops.GetAsync($"/api/v1/symbol-changes/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal(("Applied", "system"), (change.Str("status"), change.Str("appliedBy")));
        Assert.Equal("Trading", (await ops.GetAsync("/api/v1/instruments/EFGH/listing")).Expect(HttpStatusCode.OK).Str("status"));
    }
}
