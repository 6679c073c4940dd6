using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Rules.Context;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering.Rules;

/// <summary>
/// How the order context a decision was made on is stored, and read back. The context is about 8 KB of JSON, most of it the
/// account's and the instrument's views, which are the same for every order of that account and instrument until their
/// rows change. So a decision stores its own views (order, market, aggregates: what only that order saw) and refers to the
/// account's and the instrument's views, each stored once (<see cref="ContextSnapshotRecord"/>, identified by the SHA-256
/// of its JSON). Read back, the parts make exactly the context that was evaluated (a test checks that a stored decision
/// re-evaluates to itself).
/// </summary>
public static class StoredContext
{
    /// <summary>The order's own views, as stored in <see cref="RuleDecisionRecord.ContextJson"/> beside the two snapshot ids.</summary>
    /// <param name="Order">The order view.</param>
    /// <param name="Market">The market view.</param>
    /// <param name="Aggregates">The aggregates view.</param>
    public sealed record OrderPart(TradSys.Rules.Context.OrderView Order, MarketView Market, AggregatesView Aggregates);

    /// <summary>The instrument's snapshot: its view and its venue's.</summary>
    /// <param name="Instrument">The instrument view.</param>
    /// <param name="Venue">The venue view.</param>
    public sealed record InstrumentPart(InstrumentView Instrument, VenueView Venue);

    /// <summary>The whole context JSON of a stored decision: the decision's own part with its two snapshots, or (older decisions) as stored.</summary>
    public static string Compose(string contextJson, string? accountJson, string? instrumentJson)
    {
        if (accountJson is null || instrumentJson is null)
        {
            return contextJson;
        }
        using var own = JsonDocument.Parse(contextJson);
        using var instrument = JsonDocument.Parse(instrumentJson);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(contextJson.Length + accountJson.Length + instrumentJson.Length + 64);
        // In the order OrderContext declares its views, so the text equals what OrderContextJson.Serialize makes of the context.
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Copy(writer, own.RootElement, "order");
            writer.WritePropertyName("account");
            writer.WriteRawValue(accountJson);
            Copy(writer, instrument.RootElement, "instrument");
            Copy(writer, instrument.RootElement, "venue");
            Copy(writer, own.RootElement, "market");
            Copy(writer, own.RootElement, "aggregates");
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Copy(Utf8JsonWriter writer, JsonElement part, string name)
    {
        writer.WritePropertyName(name);
        part.GetProperty(name).WriteTo(writer);
    }

    /// <summary>The contexts of stored decisions, whole, by order id (decisions without a stored context are left out).</summary>
    public static async Task<Dictionary<long, string>> ReadAsync(TradSysDbContext db, IReadOnlyCollection<RuleDecisionRecord> decisions,
        CancellationToken cancellationToken)
    {
        var ids = decisions.SelectMany(d => new[] { d.AccountSnapshotId, d.InstrumentSnapshotId }).OfType<long>().Distinct().ToList();
        var snapshots = ids.Count == 0
            ? []
            : await db.ContextSnapshots.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Json, cancellationToken);
        var contexts = new Dictionary<long, string>();
        foreach (var d in decisions)
        {
            if (d.ContextJson is { } json)
            {
                contexts[d.OrderId] = Compose(json, d.AccountSnapshotId is { } a ? snapshots[a] : null,
                    d.InstrumentSnapshotId is { } i ? snapshots[i] : null);
            }
        }
        return contexts;
    }
}

/// <summary>
/// The writer's side of <see cref="StoredContext"/>: for each decision it stores, the ids of the account's and the
/// instrument's snapshots, registering a new snapshot (written in the batch's transaction, before the decisions that use it)
/// only when the content is one the database does not hold yet. A snapshot's JSON is made once per account and instrument row
/// read for a batch, not once per order. Writer thread only; rebuilt by recovery.
/// </summary>
internal sealed class ContextSnapshots
{
    private readonly Dictionary<string, long> _bySha = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (Account Row, long Id)> _accounts = [];
    private readonly Dictionary<string, (Instrument Row, DateOnly Day, long Id)> _instruments = new(StringComparer.Ordinal);
    private long _nextId = 1;

    /// <summary>Snapshots registered by the current batch, to be written before its decisions.</summary>
    public List<ContextSnapshotRecord> Pending { get; } = [];

    /// <summary>The snapshot ids of the account's and the instrument's views in <paramref name="context"/> (filled from these rows).</summary>
    public (long Account, long Instrument) Of(OrderContext context, Account account, Instrument instrument, DateOnly tradeDate, DateTime now)
    {
        long accountId;
        if (_accounts.TryGetValue(account.Id, out var a) && ReferenceEquals(a.Row, account))
        {
            accountId = a.Id;
        }
        else
        {
            accountId = Register("account", JsonSerializer.SerializeToUtf8Bytes(context.Account, OrderContextJson.Options), now);
            _accounts[account.Id] = (account, accountId);
        }
        long instrumentId;
        if (_instruments.TryGetValue(instrument.Symbol, out var i) && ReferenceEquals(i.Row, instrument) && i.Day == tradeDate)
        {
            instrumentId = i.Id;
        }
        else
        {
            instrumentId = Register("instrument", JsonSerializer.SerializeToUtf8Bytes(
                new StoredContext.InstrumentPart(context.Instrument, context.Venue), OrderContextJson.Options), now);
            _instruments[instrument.Symbol] = (instrument, tradeDate, instrumentId);
        }
        return (accountId, instrumentId);
    }

    /// <summary>The batch is committed: its snapshots are in the database.</summary>
    public void Committed() => Pending.Clear();

    /// <summary>Forgets everything and reloads the stored snapshots' hashes (recovery; a failed batch's snapshots were never written).</summary>
    public async Task RebuildAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        Pending.Clear();
        _accounts.Clear();
        _instruments.Clear();
        _bySha.Clear();
        foreach (var s in await db.ContextSnapshots.AsNoTracking().Select(s => new { s.Id, s.Sha256 }).ToListAsync(cancellationToken))
        {
            _bySha[s.Sha256] = s.Id;
        }
        _nextId = _bySha.Count == 0 ? 1 : _bySha.Values.Max() + 1;
    }

    private long Register(string kind, byte[] json, DateTime now)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(json));
        if (_bySha.TryGetValue(sha, out var id))
        {
            return id;
        }
        id = _nextId++;
        _bySha[sha] = id;
        Pending.Add(new ContextSnapshotRecord { Id = id, Kind = kind, Sha256 = sha, Json = Encoding.UTF8.GetString(json), FirstUsedAt = now });
        return id;
    }
}
