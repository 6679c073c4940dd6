using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>The audit trail and its verification, for admins, compliance and regulators.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.Audit);
        api.MapGet("/verify", (TradSysDbContext db, CancellationToken ct) => AuditVerifier.VerifyAsync(db, ct))
            .Produces<AuditVerification>().WithSummary("Walk the hash chain and report the first broken link");
        api.MapGet("/", ListAsync).Produces<PageOf<AuditRecord>>()
            .WithSummary("Read the audit trail, newest first: from, to (ISO 8601, to exclusive), actor, action, subject (a value ending in '/' " +
                         "is a prefix: order/ for every order), account (the account's own records and its orders'), page, pageSize");
        api.MapGet("/export", ExportAsync).Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("The audit trail as CSV (RFC 4180), oldest first, every field of every record with its full hashes, so the chain " +
                         "can be verified from the file: the same filters as the list (from, to, actor, action, subject, account)")
            .WithDescription("A text cell that would start with =, +, -, @, a tab, a carriage return or an apostrophe is written with one " +
                             "apostrophe in front, so that no spreadsheet runs it as a formula (an actor can be a name someone typed " +
                             "at the sign-in); remove that one apostrophe before recomputing a row's hash.");
        return app;
    }

    /// <summary>The columns of the export, in the order the chain's hash reads the fields.</summary>
    public const string CsvHeader = "id,timestamp,actor,action,subject,details,previous_hash,hash";

    private static async Task<IResult> ListAsync(HttpContext http, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        var page = q.Int("page", 1, 1, 1_000_000);
        var pageSize = q.Int("pageSize", 50, 1, 500);
        if (await FilterAsync(q, db, http.RequestAborted) is not { } records)
        {
            return Problems.Invalid(q.Errors);
        }
        var total = await records.CountAsync(http.RequestAborted);
        var items = await records.OrderByDescending(a => a.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(new PageOf<AuditRecord>(items, page, pageSize, total));
    }

    /// <summary>
    /// Streams the matching records, oldest first, as CSV with a header row. The timestamp is written as the hash reads it
    /// (UTC, microseconds), so SHA-256 over id, timestamp, actor, action, subject, details and previous_hash joined by U+001F
    /// gives each row's hash. Text cells are defused against formula injection (<see cref="Cell"/>): an actor is whatever
    /// name someone typed at a failed sign-in or token request, and a regulator opens the file in a spreadsheet.
    /// </summary>
    private static async Task ExportAsync(HttpContext http, TradSysDbContext db)
    {
        var q = new Query(http.Request.Query);
        if (await FilterAsync(q, db, http.RequestAborted) is not { } records)
        {
            await Problems.Invalid(q.Errors).ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/csv; charset=utf-8; header=present";
        http.Response.Headers.ContentDisposition =
            $"attachment; filename=\"audit-trail-{DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(false), 65_536);
        await writer.WriteAsync(CsvHeader + "\r\n");
        var written = 0;
        await foreach (var r in records.OrderBy(a => a.Id).AsAsyncEnumerable().WithCancellation(http.RequestAborted))
        {
            await writer.WriteAsync(string.Join(',',
                r.Id.ToString(CultureInfo.InvariantCulture), r.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture),
                Cell(r.Actor), Cell(r.Action), Cell(r.Subject), Cell(r.Details), r.PreviousHash, r.Hash) + "\r\n");
            if (++written % 1_000 == 0)
            {
                await writer.FlushAsync(http.RequestAborted);
            }
        }
    }

    /// <summary>
    /// A text cell: one apostrophe in front of a value a spreadsheet would take for a formula (=, +, -, @, tab, carriage return;
    /// OWASP's CSV-injection advice) or that starts with an apostrophe itself (so that removing one leading apostrophe always
    /// gives the value back), then quoted as RFC 4180 says.
    /// </summary>
    public static string Cell(string value) =>
        Csv(value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'' ? "'" + value : value);

    /// <summary>RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled.</summary>
    public static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The records the query's filters select, or null (with the problems in <paramref name="q"/>) when a filter is invalid.</summary>
    private static async Task<IQueryable<AuditRecord>?> FilterAsync(Query q, TradSysDbContext db, CancellationToken cancellationToken)
    {
        var from = q.Time("from");
        var to = q.Time("to");
        var actor = q.String("actor", 128);
        var action = q.String("action", 128);
        var subject = q.String("subject", 256);
        var account = q.Long("account");
        if (from is not null && to is not null && to <= from)
        {
            q.Add("to", "must be later than from");
        }
        if (account is { } id && !await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            q.Add("account", $"there is no account {id.ToString(CultureInfo.InvariantCulture)}");
        }
        if (q.HasErrors)
        {
            return null;
        }
        IQueryable<AuditRecord> records = db.AuditLog.AsNoTracking();
        if (from is not null)
        {
            records = records.Where(a => a.Timestamp >= from);
        }
        if (to is not null)
        {
            records = records.Where(a => a.Timestamp < to);
        }
        if (actor is not null)
        {
            records = records.Where(a => a.Actor == actor);
        }
        if (action is not null)
        {
            records = records.Where(a => a.Action == action);
        }
        if (subject is not null)
        {
            // "order/" finds every order's records; "order/17" only that order's (not order/170).
            records = subject.EndsWith('/') ? records.Where(a => a.Subject.StartsWith(subject)) : records.Where(a => a.Subject == subject);
        }
        if (account is { } accountId)
        {
            // What a reviewer means by an account's records: those about the account itself (cash, owners, risk controls, alerts)
            // and those of every order entered for it.
            var own = $"account/{accountId.ToString(CultureInfo.InvariantCulture)}";
            var orders = db.Orders.Where(o => o.AccountId == accountId).Select(o => "order/" + o.Id);
            records = records.Where(a => a.Subject == own || orders.Contains(a.Subject));
        }
        return records;
    }
}
