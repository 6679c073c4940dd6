using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Auditing;

/// <summary>An audit entry before it is chained.</summary>
public sealed record AuditEntry(DateTime Timestamp, string Actor, string Action, string Subject, string Details);

/// <summary>
/// Appends to the hash-chained audit log. Appends are serialised: each record needs its predecessor's
/// hash, read from the database inside the lock so that a record is never chained to a stale tail.
/// (Across nodes, the primary key on the gap-free id makes a concurrent append fail rather than fork the chain.)
/// </summary>
public sealed class AuditTrail
{
    /// <summary>The previous hash of the first record.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _appends;

    /// <summary>
    /// How many appends through <see cref="SaveWithAsync"/> this process has begun (read while holding <see cref="LockAsync"/>).
    /// The order writer remembers the tail its own last commit left; it is still the tail while this has not moved and no
    /// other process has appended (which the gap-free primary key shows: <see cref="Ordering.Journal.OrderJournal"/>).
    /// </summary>
    public long Appends => Interlocked.Read(ref _appends);

    /// <summary>Appends one record and saves it (with anything else pending in <paramref name="db"/>).</summary>
    public Task AppendAsync(TradSysDbContext db, TimeProvider clock, string actor, string action, string subject,
        object details, CancellationToken cancellationToken) =>
        SaveWithAsync(db, [new AuditEntry(Truncate(clock.GetUtcNow().UtcDateTime), actor, action, subject, Serialize(details))],
            cancellationToken);

    /// <summary>
    /// Chains <paramref name="entries"/> after the current tail and saves them together with everything else pending
    /// in <paramref name="db"/>, in one transaction, with the chain locked from reading the tail to the commit: the one
    /// way records join the chain, so the change they describe and the record are durable together or not at all.
    /// </summary>
    public async Task SaveWithAsync(TradSysDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Increment(ref _appends);
            await AddChainedAsync(db, entries, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Takes the chain's lock for a writer that reads the tail and writes its records itself, inside its own transaction (the
    /// order writer): hold it from before reading the tail until after the commit, as <see cref="SaveWithAsync"/> does.
    /// </summary>
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Release(_gate);
    }

    /// <summary>Chains <paramref name="entries"/> after <paramref name="tail"/> (null: the chain is empty).</summary>
    public static List<AuditRecord> Chain(IReadOnlyList<AuditEntry> entries, (long Id, string Hash)? tail)
    {
        var records = new List<AuditRecord>(entries.Count);
        var id = tail?.Id ?? 0;
        var previous = tail?.Hash ?? Genesis;
        foreach (var e in entries)
        {
            id++;
            var record = new AuditRecord
            {
                Id = id, Timestamp = e.Timestamp, Actor = e.Actor, Action = e.Action, Subject = e.Subject,
                Details = e.Details, PreviousHash = previous, Hash = "",
            };
            record.Hash = ComputeHash(record);
            previous = record.Hash;
            records.Add(record);
        }
        return records;
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    /// <summary>Chains <paramref name="entries"/> after the current tail and adds them to <paramref name="db"/> (not saved).</summary>
    private static async Task AddChainedAsync(TradSysDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }
        var tail = await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id)
            .Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(cancellationToken);
        db.AuditLog.AddRange(Chain(entries, tail is null ? null : (tail.Id, tail.Hash)));
    }

    public static string Serialize(object details) => JsonSerializer.Serialize(details, DetailsJson);

    /// <summary>PostgreSQL keeps microseconds; truncating first makes the hash survive the round trip.</summary>
    public static DateTime Truncate(DateTime utc) => new(utc.Ticks - (utc.Ticks % 10), DateTimeKind.Utc);

    /// <summary>
    /// The details of the first audit record of <paramref name="action"/> on <paramref name="subject"/>, parsed: what an applied corporate
    /// action did is read back from its record (splits, symbol changes).
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such record.</exception>
    public static async Task<System.Text.Json.Nodes.JsonNode> FirstDetailsAsync(TradSysDbContext db, string subject, string action, CancellationToken ct)
    {
        var details = await db.AuditLog.AsNoTracking().Where(a => a.Subject == subject && a.Action == action).OrderBy(a => a.Id)
                          .Select(a => a.Details).FirstOrDefaultAsync(ct)
                      ?? throw new InvalidOperationException($"{subject} has no {action} audit record");
        return System.Text.Json.Nodes.JsonNode.Parse(details)!;
    }

    /// <summary>SHA-256 over the record's fields and its predecessor's hash, as lowercase hex.</summary>
    /// <remarks>
    /// The hashed text is the fields joined by U+001F (id, timestamp "yyyy-MM-ddTHH:mm:ss.ffffff", actor, action, subject,
    /// details, previous hash) in UTF-8. It is encoded into a pooled buffer rather than built as a string: the single writer
    /// hashes a record for every order.
    /// </remarks>
    public static string ComputeHash(AuditRecord r)
    {
        Span<char> id = stackalloc char[20];
        Span<char> timestamp = stackalloc char[32];
        if (!r.Id.TryFormat(id, out var idLength, default, CultureInfo.InvariantCulture) ||
            !r.Timestamp.TryFormat(timestamp, out var timestampLength, "yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"audit record {r.Id}: its id or timestamp could not be formatted");
        }
        ReadOnlySpan<char> separator = "\u001f";
        var utf8 = Encoding.UTF8;
        var length = utf8.GetByteCount(id[..idLength]) + utf8.GetByteCount(timestamp[..timestampLength]) + utf8.GetByteCount(r.Actor) +
                     utf8.GetByteCount(r.Action) + utf8.GetByteCount(r.Subject) + utf8.GetByteCount(r.Details) +
                     utf8.GetByteCount(r.PreviousHash) + (6 * utf8.GetByteCount(separator));
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            written += utf8.GetBytes(id[..idLength], rented.AsSpan(written));
            written += utf8.GetBytes(separator, rented.AsSpan(written));
            written += utf8.GetBytes(timestamp[..timestampLength], rented.AsSpan(written));
            ReadOnlySpan<string> parts = [r.Actor, r.Action, r.Subject, r.Details, r.PreviousHash];
            foreach (var part in parts)
            {
                written += utf8.GetBytes(separator, rented.AsSpan(written));
                written += utf8.GetBytes(part, rented.AsSpan(written));
            }
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(rented.AsSpan(0, written), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>The outcome of walking the chain.</summary>
/// <param name="Valid">True when every link holds.</param>
/// <param name="RecordsChecked">How many records were read.</param>
/// <param name="FirstBrokenId">The id of the first record whose link does not hold.</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record AuditVerification(bool Valid, long RecordsChecked, long? FirstBrokenId, string? Problem);

/// <summary>Walks the audit chain from the first record and reports the first broken link.</summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(TradSysDbContext db, CancellationToken cancellationToken)
    {
        const int page = 1000;
        long expectedId = 1, checkedCount = 0;
        var previous = AuditTrail.Genesis;
        while (true)
        {
            var batch = await db.AuditLog.AsNoTracking().Where(a => a.Id >= expectedId)
                .OrderBy(a => a.Id).Take(page).ToListAsync(cancellationToken);
            foreach (var r in batch)
            {
                checkedCount++;
                if (r.Id != expectedId)
                {
                    return new(false, checkedCount, expectedId, $"record {expectedId} is missing (next present is {r.Id})");
                }
                if (!string.Equals(r.PreviousHash, previous, StringComparison.Ordinal))
                {
                    return new(false, checkedCount, r.Id, "its previous-hash does not match the hash of the record before it");
                }
                if (!string.Equals(AuditTrail.ComputeHash(r), r.Hash, StringComparison.Ordinal))
                {
                    return new(false, checkedCount, r.Id, "its contents do not match its hash (the record was altered)");
                }
                previous = r.Hash;
                expectedId++;
            }
            if (batch.Count < page)
            {
                return new(true, checkedCount, null, null);
            }
        }
    }
}
