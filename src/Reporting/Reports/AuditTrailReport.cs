using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;

namespace TradSys.Reporting.Reports;

/// <summary>
/// The audit-trail extract: the result of walking the whole hash chain at generation time, then
/// the day's records with their full hash and previous hash (64 hex digits each, printed as four
/// lines of 16), so that the chain can be checked from the paper copy as from the report's JSON data.
/// </summary>
public static class AuditTrailReport
{
    /// <summary>Builds the document body for the data.</summary>
    public static IReadOnlyList<Block> Build(AuditTrailData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(data.TimeZone);
        var v = data.Verification;
        var verdict = v.Valid
            ? $"INTACT: all {Format.Count(v.RecordsChecked)} records of the chain link and hash correctly."
            : $"BROKEN at record {v.FirstBrokenId}: {v.Problem} ({Format.Count(v.RecordsChecked)} records checked before it).";
        return
        [
            new Facts(
            [
                new("Day", $"{Format.Date(data.BusinessDate)} ({data.TimeZone}, {Format.Offset(data.BusinessDate, zone)})"),
                new("Hash-chain verification", verdict),
                new("Records on the day", Format.Count(data.Records.Count)),
                new("Method", "Each record's hash is SHA-256 over its fields and the previous record's hash; ids have no gaps. " +
                    "Hashes are printed whole, in lines of 16 hex digits. GET /api/v1/audit/verify repeats the check at any time."),
            ]),
            new Heading("Records"),
            new Table(
                [
                    new("Id", 0.6f), new("Time (UTC)", 1.2f), new("Actor", 1f), new("Action", 1.4f), new("Subject", 1.2f),
                    new("Hash", 1.3f), new("Previous hash", 1.3f),
                ],
                data.Records.Select(r => (IReadOnlyList<string>)
                [
                    Format.Count(r.Id).Replace(",", "", StringComparison.Ordinal), Format.Utc(r.TimestampUtc), r.Actor, r.Action, r.Subject,
                    Full(r.Hash), Full(r.PreviousHash),
                ]),
                ["Total", Format.Count(data.Records.Count), "", "", "", "", ""]),
        ];
    }

    /// <summary>The whole hash in lines of 16 digits (a cell is too narrow for 64 on one line; nothing is cut).</summary>
    public static string Full(string hash) => string.Join('\n', hash.Chunk(16).Select(c => new string(c)));
}
