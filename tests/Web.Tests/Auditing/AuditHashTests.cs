using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Tests.Auditing;

/// <summary>
/// Every stored record's hash was made from its fields joined by U+001F in UTF-8; a verifier (and a regulator with the
/// printed extract) recomputes it that way, so the hash must never change for the same fields.
/// </summary>
public sealed class AuditHashTests
{
    private static string Reference(AuditRecord r) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
        r.Id.ToString(CultureInfo.InvariantCulture), r.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        r.Actor, r.Action, r.Subject, r.Details, r.PreviousHash))));

    [Fact]
    public void The_hash_is_SHA_256_of_the_fields_joined_by_unit_separators_in_UTF_8()
    {
        var record = new AuditRecord
        {
            Id = 42, Timestamp = new DateTime(2026, 12, 5, 9, 30, 1, 123, 456, DateTimeKind.Utc), Actor = "trader1", Action = "order.submitted",
            Subject = "order/7", Details = "{\"price\":80.05}", PreviousHash = new string('0', 64), Hash = "",
        };
        Assert.Equal(Reference(record), AuditTrail.ComputeHash(record));
    }

    [Fact]
    public void Random_records_with_any_text_hash_as_the_definition_says()
    {
        var random = new Random(20261205);
        string Text(int max) => new([.. Enumerable.Range(0, random.Next(0, max)).Select(_ => random.Next(4) switch
        {
            0 => (char)random.Next(0x20, 0x7f),
            1 => (char)random.Next(0x600, 0x6ff),
            2 => (char)random.Next(0xa0, 0x800),
            _ => (char)random.Next(0x1, 0x20),
        })]);
        for (var i = 0; i < 2_000; i++)
        {
            var record = new AuditRecord
            {
                Id = random.NextInt64(1, long.MaxValue), Timestamp = new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc),
                Actor = Text(20), Action = Text(30), Subject = Text(40), Details = Text(3000), PreviousHash = Text(64), Hash = "",
            };
            Assert.Equal(Reference(record), AuditTrail.ComputeHash(record));
        }
    }
}
