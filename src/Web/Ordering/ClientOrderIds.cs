using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using TradSys.Web.Ordering.Rules;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Ordering;

/// <summary>
/// Idempotency by (account, client order id), decided by the single writer from memory: every order ever created is in
/// this index (rebuilt from the <c>orders</c> table at recovery), so a new order costs a hash lookup, not a database read.
///
/// The index keeps a 64-bit fingerprint of each key (XxHash3 of the account and the client order id) with the order's id
/// and the fingerprint of its terms as they were submitted (<see cref="SubmissionOf"/>, stored in
/// <c>orders.submission_hash</c>). A fingerprint hit is only a candidate: the writer reads that order (from its books, or
/// the database for an order no longer working) and compares the real key before it answers "duplicate"; two keys that
/// share a fingerprint are then kept exactly in a small side table. So the index never answers wrongly, and it costs about
/// 40 bytes per order. The unique index on (account, client order id) in the database stays as the last line of defence.
///
/// A resend with the same terms as the original submission gets that order back, whatever happened to it since (amended,
/// filled, canceled); different terms are a conflict. Orders stored before the submission fingerprint existed are compared
/// with their current terms, as before.
/// </summary>
internal sealed class ClientOrderIds(Func<long, string, ulong>? fingerprint = null)
{
    private readonly Func<long, string, ulong> _fingerprint = fingerprint ?? Fingerprint;
    private Dictionary<ulong, Entry> _byFingerprint = [];
    private Dictionary<(long Account, string ClientOrderId), Entry> _exact = [];

    /// <summary>An indexed order: its id and the fingerprint of its submitted terms (null for orders stored before it existed).</summary>
    public readonly record struct Entry(long OrderId, long? Submission);

    public int Count => _byFingerprint.Count + _exact.Count;

    /// <summary>Replaces the index with the orders read from the database (every order, in id order).</summary>
    public void Rebuild(IEnumerable<(long Id, long AccountId, string ClientOrderId, long? Submission)> orders)
    {
        var byFingerprint = new Dictionary<ulong, Entry>();
        var exact = new Dictionary<(long, string), Entry>();
        foreach (var (id, account, clientOrderId, submission) in orders)
        {
            if (!byFingerprint.TryAdd(_fingerprint(account, clientOrderId), new Entry(id, submission)))
            {
                exact[(account, clientOrderId)] = new Entry(id, submission);
            }
        }
        _byFingerprint = byFingerprint;
        _exact = exact;
    }

    /// <summary>
    /// The order a resend may name: the exact entry if this key collided before, else the fingerprint's entry, which the
    /// caller must confirm by comparing the order's real account and client order id (<see cref="Confirm"/>).
    /// </summary>
    public bool TryFind(long accountId, string clientOrderId, out Entry entry)
    {
        if (_exact.Count > 0 && _exact.TryGetValue((accountId, clientOrderId), out entry))
        {
            return true;
        }
        return _byFingerprint.TryGetValue(_fingerprint(accountId, clientOrderId), out entry);
    }

    /// <summary>Whether a candidate order really carries this key (false: two keys share a fingerprint).</summary>
    public static bool Confirm(OrderRecord candidate, long accountId, string clientOrderId) =>
        candidate.AccountId == accountId && string.Equals(candidate.ClientOrderId, clientOrderId, StringComparison.Ordinal);

    /// <summary>Indexes a new order (the writer calls it when the order is created, before the batch commits).</summary>
    public void Add(long accountId, string clientOrderId, long orderId, long submission)
    {
        var entry = new Entry(orderId, submission);
        if (!_byFingerprint.TryAdd(_fingerprint(accountId, clientOrderId), entry))
        {
            _exact[(accountId, clientOrderId)] = entry;
        }
    }

    /// <summary>
    /// Whether a resend carries the original submission's terms: by the stored fingerprint when there is one, else (an order
    /// stored before fingerprints) by the order's current terms.
    /// </summary>
    public static bool SameSubmission(OrderRecord prior, long? submission, SubmitCommand s) =>
        submission is { } stored ? stored == SubmissionOf(s) : SameTerms(prior, s);

    /// <summary>The 64-bit fingerprint of a key.</summary>
    public static ulong Fingerprint(long accountId, string clientOrderId)
    {
        // The API admits 1-64 ASCII characters; anything longer (an order stored some other way) takes the heap.
        var size = 8 + Encoding.UTF8.GetMaxByteCount(clientOrderId.Length);
        Span<byte> buffer = size <= 256 ? stackalloc byte[256] : new byte[size];
        BitConverter.TryWriteBytes(buffer, accountId);
        var length = Encoding.UTF8.GetBytes(clientOrderId, buffer[8..]);
        return XxHash3.HashToUInt64(buffer[..(8 + length)]);
    }

    /// <summary>
    /// The fingerprint of an order's terms as submitted: everything the client chose (instrument, side, type, validity,
    /// quantity, prices, iceberg, expiry and the compliance terms), in a fixed canonical text, hashed with XxHash3.
    /// </summary>
    public static long SubmissionOf(SubmitCommand s)
    {
        var t = s.Terms ?? OrderTerms.None;
        var canonical = string.Join('\u001f',
            s.Instrument.Symbol, s.Side.ToString(), s.Type.ToString(), s.TimeInForce.ToString(),
            s.Quantity.Raw.ToString(CultureInfo.InvariantCulture),
            s.Type is OrderType.Limit or OrderType.StopLimit ? s.Price.Raw.ToString(CultureInfo.InvariantCulture) : "",
            s.Type is OrderType.Stop or OrderType.StopLimit ? s.StopPrice.Raw.ToString(CultureInfo.InvariantCulture) : "",
            s.DisplayQuantity.Raw.ToString(CultureInfo.InvariantCulture), s.ExpireAt.ToString(CultureInfo.InvariantCulture),
            t.ShortMarking.ToString(), t.LocateId ?? "", t.UsesMargin ? "1" : "0", t.IsAdvised ? "1" : "0", t.CounterpartyLei ?? "", t.Uti ?? "",
            t.IsCleared ? "1" : "0", t.MarkupBps.ToString(CultureInfo.InvariantCulture), t.MarkupDisclosed ? "1" : "0");
        return (long)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(canonical.AsSpan()));
    }

    /// <summary>
    /// Whether a resend carries the stored order's current terms: how resends were compared before the submission was
    /// fingerprinted (still used for those orders).
    /// </summary>
    public static bool SameTerms(OrderRecord prior, SubmitCommand s)
    {
        var decimals = s.Instrument.PriceDecimals;
        var t = s.Terms ?? OrderTerms.None;
        return string.Equals(prior.Symbol, s.Instrument.Symbol, StringComparison.Ordinal) && prior.Side == s.Side &&
               prior.Type == s.Type && prior.TimeInForce == s.TimeInForce && prior.Quantity == s.Quantity.Raw &&
               prior.Price == (prior.Type is OrderType.Limit or OrderType.StopLimit ? s.Price.ToDecimal(decimals) : prior.Price) &&
               prior.StopPrice == (prior.Type is OrderType.Stop or OrderType.StopLimit ? s.StopPrice.ToDecimal(decimals) : null) &&
               (prior.DisplayQuantity ?? 0) == s.DisplayQuantity.Raw &&
               (prior.ExpireAt?.Ticks ?? 0) == s.ExpireAt &&
               prior.ShortMarking == t.ShortMarking && string.Equals(prior.LocateId ?? "", t.LocateId ?? "", StringComparison.Ordinal) &&
               prior.UsesMargin == t.UsesMargin && prior.IsAdvised == t.IsAdvised &&
               string.Equals(prior.CounterpartyLei ?? "", t.CounterpartyLei ?? "", StringComparison.Ordinal) &&
               string.Equals(prior.Uti ?? "", t.Uti ?? "", StringComparison.Ordinal) && prior.IsCleared == t.IsCleared &&
               prior.MarkupBps == t.MarkupBps && prior.MarkupDisclosed == t.MarkupDisclosed;
    }
}
