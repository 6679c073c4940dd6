using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using TradSys.Web.ReferenceData;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// A dividend's terms (dates, amount, currency, source) checked field by field, with one wording for announcing
/// (<c>POST /api/v1/dividends</c>) and correcting (<c>PUT /api/v1/dividends/{id}</c>), so the API and the portal page that drives it
/// answer the same problems.
/// </summary>
internal static class DividendForm
{
    /// <summary>The longest source text.</summary>
    public const int MaxSource = 256;

    /// <summary>The longest reason (a cancel, a correction).</summary>
    public const int MaxReason = 512;

    /// <summary>Terms that passed every check.</summary>
    public sealed record Terms(DateOnly ExDate, DateOnly RecordDate, DateOnly PaymentDate, decimal AmountPerShare, string Currency, string Source);

    /// <summary>
    /// Checks the terms of a dividend on <paramref name="listing"/> (null when the symbol itself is wrong: the currency is then checked
    /// without it), adding each field's problem to <paramref name="errors"/>; the terms when every field passed. <paramref name="exDay"/> is
    /// the ex-date when it is a date, whatever the other fields' problems (for the one-per-ex-date check, answered with them).
    /// </summary>
    public static Terms? Check(Dictionary<string, List<string>> errors, TradableInstrument? listing, string? exDate, string? recordDate,
        string? paymentDate, decimal? amountPerShare, string? currency, string? source, ReferenceDataCache referenceData, out DateOnly? exDay)
    {
        var before = errors.Values.Sum(m => m.Count);
        var ex = exDay = Date(errors, "exDate", exDate, "the first trading day without the right to the dividend");
        var record = Date(errors, "recordDate", recordDate, "the day the register is closed");
        var payment = Date(errors, "paymentDate", paymentDate, "the day the dividend is paid");
        if (ex is { } e1 && record is { } r1 && r1 < e1)
        {
            Add(errors, "recordDate", Invariant($"{r1:yyyy-MM-dd} is before the ex-date {e1:yyyy-MM-dd}: the ex-date comes first, the record date on or after it (on T+2 markets normally the business day after it)"));
        }
        if (payment is { } p1 && ((record is { } r2 && p1 < r2) || (record is null && ex is { } e2 && p1 < e2)))
        {
            Add(errors, "paymentDate", Invariant($"{p1:yyyy-MM-dd} is before the record date: a dividend is paid on or after the day its register closes"));
        }

        var code = Clean(currency);
        int? decimals = null;
        if (code is null)
        {
            Add(errors, "currency", listing is null ? "is required: an ISO 4217 code" : $"is required: an ISO 4217 code, normally the instrument's ({listing.Row.Currency})");
        }
        else if (!IsCurrencyCode(code))
        {
            Add(errors, "currency", $"'{code}' is not an upper-case ISO 4217 code");
        }
        else if (code != listing?.Row.Currency && !referenceData.Fx.Has(code))
        {
            Add(errors, "currency", $"'{code}' is neither the instrument's currency nor one with a platform FX rate ({referenceData.Fx.Known}): " +
                                    "the payment could not count in buying power");
        }
        else
        {
            decimals = CurrencyDecimals(code);
        }
        if (amountPerShare is not { } amount)
        {
            Add(errors, "amountPerShare", "is required: the gross amount per share, above 0");
        }
        else if (amount <= 0)
        {
            Add(errors, "amountPerShare", Invariant($"{amount} is not above 0"));
        }
        else if (amount > 1_000_000m)
        {
            Add(errors, "amountPerShare", Invariant($"{amount} is more than 1,000,000 per share"));
        }
        else if (decimals is { } places && decimal.Round(amount, places) != amount)
        {
            Add(errors, "amountPerShare", Invariant($"{amount} has more decimals than {code}'s {places}"));
        }
        Text(errors, "source", source, MaxSource, required: true, what: "where the figures come from (the issuer's announcement)");
        return errors.Values.Sum(m => m.Count) == before && ex is { } x && record is { } r && payment is { } p && amountPerShare is { } a && code is not null
            ? new Terms(x, r, p, a, code, source!.Trim())
            : null;
    }

    /// <summary>
    /// Adds the exDate problem when <paramref name="symbol"/> already has another dividend that is not canceled with that ex-date (one per
    /// instrument and ex-date).
    /// </summary>
    public static async Task TwinAsync(Dictionary<string, List<string>> errors, TradSysDbContext db, string symbol, DateOnly exDate, long? except,
        CancellationToken ct)
    {
        var twin = await db.Dividends.AsNoTracking()
            .Where(d => d.Symbol == symbol && d.ExDate == exDate && d.Status != DividendStatus.Canceled && d.Id != (except ?? 0)).Select(d => (long?)d.Id)
            .FirstOrDefaultAsync(ct);
        if (twin is { } other)
        {
            Add(errors, "exDate", Invariant($"{symbol} already has dividend {other} with ex-date {exDate:yyyy-MM-dd}: one per instrument and ex-date (cancel it first to replace it)"));
        }
    }

    /// <summary>
    /// ISO 4217 minor units: 2 for most currencies (EGP, AED, USD, EUR, SAR, ...), 3 for the dinars and rials that divide into
    /// 1000 (BHD, IQD, JOD, KWD, LYD, OMR, TND), 0 for those with no minor unit in use.
    /// </summary>
    public static int CurrencyDecimals(string currency) => currency switch
    {
        "BHD" or "IQD" or "JOD" or "KWD" or "LYD" or "OMR" or "TND" => 3,
        "JPY" or "KRW" or "CLP" or "ISK" or "VND" or "XOF" or "XAF" or "UGX" or "PYG" or "RWF" => 0,
        _ => 2,
    };

    private static DateOnly? Date(Dictionary<string, List<string>> errors, string field, string? value, string what)
    {
        var text = Clean(value);
        if (text is null)
        {
            Add(errors, field, $"is required: {what}, as yyyy-MM-dd");
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            Add(errors, field, $"'{text}' is not a date as yyyy-MM-dd");
            return null;
        }
        return day;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
