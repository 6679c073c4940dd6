using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Ordering.Rules;

/// <summary>
/// One way of an order through the REST API for a rule case: the account (a fresh one per way, from the pack's
/// passing template), the instrument's reference data, setup orders, and the order itself.
/// </summary>
internal sealed record Way(
    Action<Account>? Account = null,
    Action<Instrument>? Instrument = null,
    Dictionary<string, object?>? Order = null,
    Func<RuleCaseRun, long, Task>? Before = null);

/// <summary>
/// A shipped rule shown both ways through REST: <see cref="Fire"/> makes it fire, <see cref="Pass"/> stays on the
/// passing side with the pack applied. <see cref="Publish"/> edits and publishes a pack first (through
/// /api/v1/rulepacks), for rules whose threshold the venue's own validation reaches first or that need a methodology.
/// </summary>
internal sealed record RestRuleCase(string Pack, string Rule, Way Fire, Way Pass, Action<JsonObject>? Publish = null)
{
    public override string ToString() => Rule;
}

/// <summary>A running rule case: the platform, trader1's client, and the accounts it made.</summary>
internal sealed class RuleCaseRun(PlatformFactory platform, ApiClient trader)
{
    private static long _nextAccountId = 7000;

    /// <summary>Monday 23 November 2026, 09:00 UTC: 11:00 in Cairo and 13:00 in Abu Dhabi, all venues in continuous trading.</summary>
    public static readonly DateTimeOffset MarketTime = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    public PlatformFactory Platform { get; } = platform;
    public ApiClient Trader { get; } = trader;

    /// <summary>A new account owned by trader1 (user 2), from the template, then <paramref name="edit"/>.</summary>
    public async Task<long> NewAccountAsync(Action<Account> template, Action<Account>? edit)
    {
        var id = Interlocked.Increment(ref _nextAccountId);
        var account = new Account { Id = id, Name = $"Rule case {id}", OwnerUserId = 2, CreditCurrency = "USD" };
        template(account);
        edit?.Invoke(account);
        await Platform.WithDbAsync(async db =>
        {
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
        });
        return id;
    }

    /// <summary>A counterparty account that passes every pack (Egypt, professional entity, documented).</summary>
    public Task<long> CounterpartyAsync() => NewAccountAsync(RuleCaseTemplates.Counterparty, null);

    /// <summary>Edits an instrument's stored reference data and returns how to put it back.</summary>
    public async Task<Func<Task>> EditInstrumentAsync(string symbol, Action<Instrument> edit)
    {
        string? original = null;
        await Platform.WithDbAsync(async db =>
        {
            var row = await db.Instruments.SingleAsync(i => i.Symbol == symbol);
            original = JsonSerializer.Serialize(row);
            edit(row);
            await db.SaveChangesAsync();
        });
        return () => Platform.WithDbAsync(async db =>
        {
            var row = await db.Instruments.SingleAsync(i => i.Symbol == symbol);
            var back = JsonSerializer.Deserialize<Instrument>(original!)!;
            db.Entry(row).CurrentValues.SetValues(back);
            db.Entry(row.Sharia).CurrentValues.SetValues(back.Sharia);
            await db.SaveChangesAsync();
        });
    }

    /// <summary>Submits an order with trader1's client; fields not given come from <paramref name="defaults"/>.</summary>
    public Task<Reply> SubmitAsync(long accountId, Dictionary<string, object?> defaults, Dictionary<string, object?>? order)
    {
        var body = new Dictionary<string, object?>(defaults) { ["accountId"] = accountId, ["clientOrderId"] = Guid.NewGuid().ToString("N") };
        foreach (var (key, value) in order ?? [])
        {
            body[key] = value;
        }
        return Trader.PostJsonAsync("/api/v1/orders", body);
    }

    /// <summary>Places a resting order on a counterparty account (setup for trades and best bid/ask).</summary>
    public async Task RestAsync(string symbol, string side, decimal price, decimal quantity, long? accountId = null)
    {
        var account = accountId ?? await CounterpartyAsync();
        (await Trader.SubmitAsync(account, symbol, side, price, quantity, extra: side == "Sell" ? Long : null)).Expect(HttpStatusCode.Created);
    }

    public static readonly IReadOnlyDictionary<string, object?> Long = new Dictionary<string, object?> { ["shortMarking"] = "Long" };
}
