using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;

namespace TradSys.Web.Apis;

/// <summary>
/// The daily price history under /api/v1/risk/price-history, which the VaR of the accounts is computed from (<see cref="PriceHistory"/>):
/// read an instrument's closes with where each came from, and import closes from a CSV file (risk officers and admins; every line's
/// problems at once, all or nothing, audited). The closes are those of the one store of daily closes (<see cref="ReferencePriceDay"/>),
/// shared with /api/v1/reference-prices/{date}, the close job and the reports of a past day.
/// </summary>
public static class RiskPriceHistoryApi
{
    /// <summary>The longest range one read returns, in days.</summary>
    public const int MaxReadDays = 3_700;

    public static RouteGroupBuilder MapRiskPriceHistory(this RouteGroupBuilder api)
    {
        api.MapGet("/price-history", ReadAsync).RequireAuthorization(Policies.Read).Produces<PriceHistoryResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetPriceHistory").WithSummary("An instrument's daily closes and where each came from").WithDescription(
                "symbol (required), from and to (yyyy-MM-dd, inclusive; default the year to today, UTC). The closes are the daily " +
                "closes stored for the instrument (the same store as GET /api/v1/reference-prices/{date}), else the platform's last " +
                "trade of that UTC day. Each close has its source: close (the venue's closing price, stored by the close job), last-trade " +
                "(the close job: the day's last trade), reference (the close job: no trade, the reference price carried over), import " +
                "(this CSV import or PUT /api/v1/reference-prices/{date}), demo (the demo data's illustrative history, not market data) " +
                "or trades (not stored: the platform's last trade of that UTC day). A stored close wins over the trades' of the same day.");
        api.MapPost("/price-history", ImportAsync).RequireAuthorization(Policies.ManageRisk)
            .AddOpenApiOperationTransformer(CsvImport.RequestBody("Daily closes as CSV: symbol,date,close, the header first")).Produces<PriceHistoryImportResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("ImportPriceHistory").WithSummary("Import daily closes from a CSV file").WithDescription(
                "Body: a CSV file (Content-Type: text/csv; RFC 4180, UTF-8) whose first line names the columns symbol, date and close " +
                "(any order), then one close a line: a listed instrument's symbol (exact case), a trading day of its venue's calendar as " +
                "yyyy-MM-dd (not its weekend, not a holiday) not after today on the venue's clock, and the closing price in the " +
                "instrument's currency (a number above 0 with a dot, at most the venue's price decimals), checked as PUT " +
                "/api/v1/reference-prices/{date} checks a price; one close per instrument and day. reason (query, required) is recorded in the audit trail. The closes go to the one store of " +
                "daily closes, which reports of a past day and GET /api/v1/reference-prices/{date} read too (source import). A close " +
                "already stored for that instrument and day is replaced, whoever stored it (the close job, an earlier import, the demo " +
                "history): an import is a correction. Any problem answers 400 listing every line's problems at once (errors keyed " +
                "'line N: column', and problems: [{line, column, message}]; the header is line 1) and nothing is written; otherwise " +
                "every close is written with one audit record, in one transaction. At most 4 MiB (413) and 100,000 closes.");
        return api;
    }

    private static async Task<IResult> ReadAsync(HttpContext http, TradSysDbContext db, ReferenceDataCache referenceData, MarketClock clock)
    {
        var q = new Query(http.Request.Query);
        var symbol = q.String("symbol", 16)?.Trim();
        var today = DateOnly.FromDateTime(clock.UtcNow);
        var to = q.Date("to") ?? today;
        var from = q.Date("from") ?? to.AddDays(-365);
        if (symbol is null && !q.Errors.ContainsKey("symbol"))
        {
            q.Add("symbol", "is required: the instrument whose closes to read");
        }
        if (from > to)
        {
            q.Add("from", string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd} is after to ({to:yyyy-MM-dd})"));
        }
        else if (to.DayNumber - from.DayNumber > MaxReadDays)
        {
            q.Add("from", $"the range is more than {MaxReadDays} days: ask for a shorter one");
        }
        if (q.HasErrors)
        {
            return Problems.Invalid(q.Errors);
        }
        if (!referenceData.TryGet(symbol!, out var instrument))
        {
            return Problems.NotFound($"there is no instrument '{symbol}'");
        }
        var closes = await PriceHistory.ReadAsync(db, [symbol!], from, to, http.RequestAborted);
        return TypedResults.Ok(new PriceHistoryResponse(symbol!, instrument.Row.Currency, from, to,
            [.. closes[symbol!].Select(c => new DailyCloseResponse(c.Date, Exact.Trim(c.Close), c.Source))]));
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        TimeProvider clock, MarketClock marketClock, ReferenceDataCache referenceData, string? reason)
    {
        var (csv, bodyProblem) = await RequestBody.ReadTextAsync(http, PriceHistoryImport.MaxBytes, "text/csv");
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        // Each close is checked as PUT /api/v1/reference-prices/{date} checks a price (DailyCloseCheck): the venue's today on the market's
        // clock, as the order path sees it, its calendar and its price decimals.
        var marketNow = marketClock.UtcNow;
        var (rows, problems) = PriceHistoryImport.Read(csv!, symbol => DailyCloseCheck.Find(referenceData, symbol, marketNow));
        if (string.IsNullOrWhiteSpace(reason))
        {
            problems.Insert(0, new PriceHistoryImportProblem(0, "reason", "is required (query parameter): say where the closes come from and why they are imported"));
        }
        else if (reason.Trim().Length > 512)
        {
            problems.Insert(0, new PriceHistoryImportProblem(0, "reason", "must be at most 512 characters"));
        }
        if (problems.Count > 0)
        {
            return CsvImport.Answer(StatusCodes.Status400BadRequest, "The file is not valid: nothing was imported",
                problems.Select(p => new CsvImport.Problem(p.Line, p.Column, p.Message)), "correct them and send the whole file again");
        }

        var actor = Caller.From(principal).UserName;
        var at = AuditTrail.Truncate(now);
        var symbols = rows.Select(r => r.Symbol).Distinct(StringComparer.Ordinal).ToList();
        DateOnly first = rows.Min(r => r.Date), last = rows.Max(r => r.Date);
        var existing = await db.ReferencePriceDays.Where(c => symbols.Contains(c.Symbol) && c.Date >= first && c.Date <= last)
            .ToDictionaryAsync(c => (c.Symbol, c.Date), http.RequestAborted);
        var replaced = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            // Listed (the file was checked against the same cache): the instrument's currency, which the stored close is in.
            var currency = referenceData.TryGet(row.Symbol, out var listed) ? listed.Row.Currency : throw new InvalidOperationException(row.Symbol);
            if (existing.TryGetValue((row.Symbol, row.Date), out var close))
            {
                (close.Price, close.Currency, close.Source, close.EnteredBy, close.EnteredAt) = (row.Close, currency, ReferencePriceDay.ImportSource, actor, at);
                replaced[row.Symbol] = replaced.GetValueOrDefault(row.Symbol) + 1;
            }
            else
            {
                db.ReferencePriceDays.Add(new ReferencePriceDay
                {
                    Symbol = row.Symbol, Date = row.Date, Price = row.Close, Currency = currency, Source = ReferencePriceDay.ImportSource,
                    EnteredBy = actor, EnteredAt = at,
                });
            }
        }
        var summary = rows.GroupBy(r => r.Symbol, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PriceHistoryImportSymbol(g.Key, g.Count(), replaced.GetValueOrDefault(g.Key), g.Min(r => r.Date), g.Max(r => r.Date)))
            .ToList();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv!)));
        // The closes and their audit record in one transaction: all of the file or none of it.
        await audit.SaveWithAsync(db, [new AuditEntry(at, actor, "risk.price_history_imported", "price-history",
            AuditTrail.Serialize(new { reason = reason!.Trim(), closes = rows.Count, sha256, symbols = summary }))], http.RequestAborted);
        return TypedResults.Ok(new PriceHistoryImportResponse(rows.Count, summary.Sum(s => s.Replaced), sha256, summary));

    }
}

/// <summary>One day's close and its source (close, last-trade, reference, import, demo or trades).</summary>
public sealed record DailyCloseResponse(DateOnly Date, decimal Close, string Source);

/// <summary>An instrument's closes over a range, oldest first, in its currency.</summary>
public sealed record PriceHistoryResponse(string Symbol, string Currency, DateOnly From, DateOnly To, IReadOnlyList<DailyCloseResponse> Closes);

/// <summary>What an import wrote for one instrument: closes, of which replaced an earlier stored close, and the days they span.</summary>
public sealed record PriceHistoryImportSymbol(string Symbol, int Closes, int Replaced, DateOnly From, DateOnly To);

/// <summary>The answer to an import: closes written, how many replaced a stored one, the file's SHA-256 (as audited), per instrument.</summary>
public sealed record PriceHistoryImportResponse(int Closes, int Replaced, string Sha256, IReadOnlyList<PriceHistoryImportSymbol> Symbols);
