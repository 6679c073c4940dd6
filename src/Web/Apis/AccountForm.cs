using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TradSys.Rules.Computations;
using TradSys.Web.Auth;
using TradSys.Web.Persistence.Entities;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// An account's onboarding and KYC data as sent to create it (POST /api/v1/accounts) or to replace it (PUT /api/v1/accounts/{id}):
/// every field, with what is left out meaning "not on file" (null, false, zero, an empty list), except <see cref="IsActive"/> (absent:
/// true), <see cref="EmirClass"/> (absent: None) and <see cref="SelfTradePrevention"/> (absent: CancelIncoming). Enumerations are
/// their names. <see cref="Reason"/> says why (kept with the version and in the audit trail). The read-only fields of
/// <see cref="AccountDetailResponse"/> may be sent back as read (a GET body, edited, is a valid PUT body) and must then agree:
/// accountId with the route, w8BenExpiresOn with the signing date, the insider and borrowed-share lists with the account's (they are
/// kept by compliance); version is ignored (If-Match carries the version an edit is based on).
/// </summary>
public sealed record AccountRequest(
    string? Name, string? NameAr, long? OwnerUserId, string? ClientCategory, bool? IsClassified, bool? IsLegalEntity, bool? IsTrust,
    string? Jurisdiction, string? Nationality, string? AddressCountry, string? InvestorNumber, string? NationalId, string? PassportNumber,
    string? FirstName, string? Surname, DateOnly? BirthDate, string? MifidBranch, string? Lei,
    string? FatcaStatus, IReadOnlyList<string>? UsIndicia, bool? HasW9, string? UsTin, DateOnly? W8BenSignedOn, string? Giin, bool? GiinOnFfiList,
    bool? IsPreexisting, bool? EnhancedReviewDone, bool? AppropriatenessAssessed, bool? AppropriatenessPassed, bool? SuitabilityAssessed,
    string? EmirClass, bool? EmirReportingExempt, bool? HasMarginAgreement, bool? IsForeignInvestor, bool? IsGccNational, bool? HasFinanceExperience,
    bool? ShariaOnly, bool? IsMarginAccount, decimal? CreditLimit, string? CreditCurrency, decimal? CreditLine, bool? IsActive, string? SelfTradePrevention,
    decimal? BalanceUsd, decimal? EquityUsd, decimal? BalanceSheetUsd, decimal? TurnoverUsd, decimal? OwnFundsUsd, decimal? NetAssetsUsd,
    string? Reason,
    long? AccountId = null, int? Version = null, DateOnly? W8BenExpiresOn = null, IReadOnlyList<string>? InsiderOfIsins = null,
    IReadOnlyList<BorrowedShares>? BorrowedShares = null);

/// <summary>
/// An account's onboarding and KYC data (GET /api/v1/accounts/{id}): the fields of <see cref="AccountRequest"/>, the W-8BEN expiry
/// derived from its signing date, the insider and borrowed-share lists (kept by compliance, not edited here) and the version.
/// </summary>
public sealed record AccountDetailResponse(
    long AccountId, int Version, string Name, string? NameAr, long OwnerUserId, string ClientCategory, bool IsClassified, bool IsLegalEntity, bool IsTrust,
    string Jurisdiction, string? Nationality, string? AddressCountry, string? InvestorNumber, string? NationalId, string? PassportNumber,
    string? FirstName, string? Surname, DateOnly? BirthDate, string? MifidBranch, string? Lei,
    string FatcaStatus, IReadOnlyList<string> UsIndicia, bool HasW9, string? UsTin, DateOnly? W8BenSignedOn, DateOnly? W8BenExpiresOn, string? Giin,
    bool GiinOnFfiList, bool IsPreexisting, bool EnhancedReviewDone, bool AppropriatenessAssessed, bool AppropriatenessPassed, bool SuitabilityAssessed,
    string EmirClass, bool EmirReportingExempt, bool HasMarginAgreement, bool IsForeignInvestor, bool IsGccNational, bool HasFinanceExperience,
    bool ShariaOnly, bool IsMarginAccount, decimal CreditLimit, string CreditCurrency, decimal CreditLine, bool IsActive, string SelfTradePrevention,
    decimal BalanceUsd, decimal EquityUsd, decimal BalanceSheetUsd, decimal TurnoverUsd, decimal OwnFundsUsd, decimal NetAssetsUsd,
    IReadOnlyList<string> InsiderOfIsins, IReadOnlyList<BorrowedShares> BorrowedShares)
{
    internal static AccountDetailResponse From(Account a, int version) => new(
        a.Id, version, a.Name, a.NameAr, a.OwnerUserId, a.ClientCategory.ToString(), a.IsClassified, a.IsLegalEntity, a.IsTrust,
        a.Jurisdiction.ToString(), a.Nationality, a.AddressCountry, a.InvestorNumber, a.NationalId, a.PassportNumber,
        a.FirstName, a.Surname, a.BirthDate, a.MifidBranch, a.Lei,
        a.FatcaStatus.ToString(), AccountForm.IndiciaNames(a.UsIndicia), a.HasW9, a.UsTin, a.W8BenSignedOn, a.W8BenExpiresOn, a.Giin,
        a.GiinOnFfiList, a.IsPreexisting, a.EnhancedReviewDone, a.AppropriatenessAssessed, a.AppropriatenessPassed, a.SuitabilityAssessed,
        a.EmirClass.ToString(), a.EmirReportingExempt, a.HasMarginAgreement, a.IsForeignInvestor, a.IsGccNational, a.HasFinanceExperience,
        a.ShariaOnly, a.IsMarginAccount, Exact.Trim(a.CreditLimit), a.CreditCurrency, Exact.Trim(a.CreditLine), a.IsActive, a.SelfTradePrevention.ToString(),
        Exact.Trim(a.BalanceUsd), Exact.Trim(a.EquityUsd), Exact.Trim(a.BalanceSheetUsd), Exact.Trim(a.TurnoverUsd), Exact.Trim(a.OwnFundsUsd),
        Exact.Trim(a.NetAssetsUsd), [.. a.InsiderOfIsins], [.. a.BorrowedShares]);
}

/// <summary>One version of an account: who changed it, when, why, which fields, and the account before (null when created) and after.</summary>
public sealed record AccountVersionResponse(int Version, DateTime ChangedAt, string ChangedBy, string Reason, IReadOnlyList<string> ChangedFields,
    JsonElement? Before, JsonElement After);

/// <summary>
/// Checks an <see cref="AccountRequest"/> field by field (every problem at once, keyed by the request's field names) and applies a
/// checked request to an account. Pure: the caller looks up the owner and the FX rates.
/// </summary>
internal static partial class AccountForm
{
    public const int MaxName = 128;
    public const int MaxReason = 512;
    private const decimal MaxMoney = 1_000_000_000_000_000m;

    /// <summary>EEA member states (EU 27, Iceland, Liechtenstein, Norway): where a firm's MiFID branch can be.</summary>
    private static readonly HashSet<string> Eea = new(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL",
        "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    };


    /// <summary>The facts the checks need besides the request.</summary>
    /// <param name="Current">The account being edited; null for a create.</param>
    /// <param name="Owner">The user <see cref="AccountRequest.OwnerUserId"/> names, or null when there is none.</param>
    /// <param name="HasFxRate">Whether the platform has an FX rate for a currency.</param>
    /// <param name="KnownCurrencies">The currencies with an FX rate, for the message.</param>
    /// <param name="Today">Today (UTC): signing and birth dates cannot be later.</param>
    public sealed record Facts(Account? Current, User? Owner, Func<string, bool> HasFxRate, string KnownCurrencies, DateOnly Today);

    public static Dictionary<string, List<string>> Check(AccountRequest r, Facts facts)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Text(errors, "name", r.Name, MaxName, required: true);
        Text(errors, "nameAr", r.NameAr, MaxName);
        Owner(errors, r.OwnerUserId, facts.Owner);
        Choice<ClientCategory>(errors, "clientCategory", r.ClientCategory, required: true);
        Choice<Jurisdiction>(errors, "jurisdiction", r.Jurisdiction, required: true);
        Country(errors, "nationality", r.Nationality);
        Country(errors, "addressCountry", r.AddressCountry);
        if (Country(errors, "mifidBranch", r.MifidBranch) is { } branch && !Eea.Contains(branch))
        {
            Add(errors, "mifidBranch", $"'{branch}' is not in the EEA: a MiFID branch is in an EEA member state (null when the client is served from outside the EEA)");
        }
        Text(errors, "investorNumber", r.InvestorNumber, 32);
        Text(errors, "nationalId", r.NationalId, 35);
        Text(errors, "passportNumber", r.PassportNumber, 35);
        Text(errors, "firstName", r.FirstName, 64);
        Text(errors, "surname", r.Surname, 64);
        PastDate(errors, "birthDate", r.BirthDate, facts.Today, "a date of birth");
        var legalEntity = r.IsLegalEntity == true;
        if (legalEntity && (r.BirthDate is not null || !string.IsNullOrWhiteSpace(r.FirstName) || !string.IsNullOrWhiteSpace(r.Surname)))
        {
            Add(errors, "isLegalEntity", "a legal entity has no first name, surname or date of birth (those identify a natural person): leave them out or set isLegalEntity false");
        }
        if (!string.IsNullOrWhiteSpace(r.Lei) && Rules.Computations.Lei.Problem(r.Lei.Trim()) is { } leiProblem)
        {
            Add(errors, "lei", $"'{r.Lei.Trim()}' {leiProblem}");
        }

        var emir = Choice<EmirCounterpartyClass>(errors, "emirClass", r.EmirClass);
        if (emir is { } e && e != EmirCounterpartyClass.None)
        {
            if (!legalEntity)
            {
                Add(errors, "emirClass", $"{e} is a class of undertaking: a natural person is not an EMIR counterparty (use None, or set isLegalEntity true)");
            }
            else if (string.IsNullOrWhiteSpace(r.Lei))
            {
                Add(errors, "lei", $"is required for an EMIR counterparty (emirClass {e}): its derivative reports name it by LEI");
            }
        }

        var fatca = Choice<FatcaStatus>(errors, "fatcaStatus", r.FatcaStatus, required: true);
        Indicia(errors, r.UsIndicia);
        var usTin = r.UsTin?.Trim();
        if (!string.IsNullOrEmpty(usTin) && !UsTinPattern().IsMatch(usTin))
        {
            Add(errors, "usTin", $"'{usTin}' is not a US TIN: an SSN or ITIN as 123-45-6789, or an EIN as 12-3456789");
        }
        if (r.HasW9 == true && string.IsNullOrEmpty(usTin))
        {
            Add(errors, "usTin", "is required with a W-9 (hasW9 true): the form certifies the US TIN");
        }
        if (fatca == FatcaStatus.UsPersonW9 && r.HasW9 != true)
        {
            Add(errors, "hasW9", "must be true for fatcaStatus UsPersonW9 (a US person documented by a W-9)");
        }
        PastDate(errors, "w8BenSignedOn", r.W8BenSignedOn, facts.Today, "a signing date");
        if (fatca == FatcaStatus.ForeignCertifiedW8 && r.W8BenSignedOn is null)
        {
            Add(errors, "w8BenSignedOn", "is required for fatcaStatus ForeignCertifiedW8: the day the W-8BEN was signed (its expiry is derived from it)");
        }
        if (r.W8BenSignedOn is not null && (fatca == FatcaStatus.UsPersonW9 || r.HasW9 == true))
        {
            Add(errors, "w8BenSignedOn", "a US person certifies on a W-9, not a W-8BEN: leave the W-8BEN out with a W-9");
        }
        var giin = r.Giin?.Trim();
        if (!string.IsNullOrEmpty(giin) && !GiinPattern().IsMatch(giin))
        {
            Add(errors, "giin", $"'{giin}' is not a GIIN: 19 characters as XXXXXX.XXXXX.XX.XXX (e.g. A1B2C3.99999.SL.818)");
        }
        if (r.GiinOnFfiList == true && string.IsNullOrEmpty(giin))
        {
            Add(errors, "giinOnFfiList", "cannot be true without a giin");
        }
        if (r.AppropriatenessPassed == true && r.AppropriatenessAssessed != true)
        {
            Add(errors, "appropriatenessPassed", "cannot be true without an assessment on file (appropriatenessAssessed true)");
        }

        Choice<SelfTradePrevention>(errors, "selfTradePrevention", r.SelfTradePrevention);
        Currency(errors, r.CreditCurrency, facts);
        Money(errors, "creditLimit", r.CreditLimit);
        Money(errors, "creditLine", r.CreditLine);
        if (r.CreditLine > 0 && r.IsMarginAccount != true)
        {
            Add(errors, "creditLine", "must be 0 for a cash account: lending to the account needs a margin account (isMarginAccount true)");
        }
        Money(errors, "balanceUsd", r.BalanceUsd);
        Money(errors, "equityUsd", r.EquityUsd);
        Money(errors, "balanceSheetUsd", r.BalanceSheetUsd);
        Money(errors, "turnoverUsd", r.TurnoverUsd);
        Money(errors, "ownFundsUsd", r.OwnFundsUsd);
        Money(errors, "netAssetsUsd", r.NetAssetsUsd);
        Text(errors, "reason", r.Reason, MaxReason, required: true, what: "say why (e.g. 'onboarding', 'W-8BEN renewed')");
        ReadOnly(errors, r, facts.Current);
        return errors;
    }

    /// <summary>Sets every field of <paramref name="a"/> from a request that <see cref="Check"/> accepted.</summary>
    public static void Apply(AccountRequest r, Account a)
    {
        a.Name = r.Name!.Trim();
        a.NameAr = Clean(r.NameAr);
        a.OwnerUserId = r.OwnerUserId!.Value;
        a.ClientCategory = Enum.Parse<ClientCategory>(r.ClientCategory!.Trim());
        a.IsClassified = r.IsClassified == true;
        a.IsLegalEntity = r.IsLegalEntity == true;
        a.IsTrust = r.IsTrust == true;
        a.Jurisdiction = Enum.Parse<Jurisdiction>(r.Jurisdiction!.Trim());
        a.Nationality = Clean(r.Nationality);
        a.AddressCountry = Clean(r.AddressCountry);
        a.InvestorNumber = Clean(r.InvestorNumber);
        a.NationalId = Clean(r.NationalId);
        a.PassportNumber = Clean(r.PassportNumber);
        a.FirstName = Clean(r.FirstName);
        a.Surname = Clean(r.Surname);
        a.BirthDate = r.BirthDate;
        a.MifidBranch = Clean(r.MifidBranch);
        a.Lei = Clean(r.Lei);
        a.FatcaStatus = Enum.Parse<FatcaStatus>(r.FatcaStatus!.Trim());
        a.UsIndicia = (r.UsIndicia ?? []).Aggregate(UsIndicia.None, (all, name) => all | Enum.Parse<UsIndicia>(name.Trim()));
        a.HasW9 = r.HasW9 == true;
        a.UsTin = Clean(r.UsTin);
        a.W8BenSignedOn = r.W8BenSignedOn;
        a.W8BenExpiresOn = r.W8BenSignedOn is { } signed ? FatcaForms.W8BenExpiresOn(signed) : null;
        a.Giin = Clean(r.Giin);
        a.GiinOnFfiList = r.GiinOnFfiList == true;
        a.IsPreexisting = r.IsPreexisting == true;
        a.EnhancedReviewDone = r.EnhancedReviewDone == true;
        a.AppropriatenessAssessed = r.AppropriatenessAssessed == true;
        a.AppropriatenessPassed = r.AppropriatenessPassed == true;
        a.SuitabilityAssessed = r.SuitabilityAssessed == true;
        a.EmirClass = string.IsNullOrWhiteSpace(r.EmirClass) ? EmirCounterpartyClass.None : Enum.Parse<EmirCounterpartyClass>(r.EmirClass.Trim());
        a.EmirReportingExempt = r.EmirReportingExempt == true;
        a.HasMarginAgreement = r.HasMarginAgreement == true;
        a.IsForeignInvestor = r.IsForeignInvestor == true;
        a.IsGccNational = r.IsGccNational == true;
        a.HasFinanceExperience = r.HasFinanceExperience == true;
        a.ShariaOnly = r.ShariaOnly == true;
        a.IsMarginAccount = r.IsMarginAccount == true;
        a.CreditLimit = r.CreditLimit ?? 0m;
        a.CreditCurrency = r.CreditCurrency!.Trim();
        a.CreditLine = r.CreditLine ?? 0m;
        a.IsActive = r.IsActive ?? true;
        a.SelfTradePrevention = string.IsNullOrWhiteSpace(r.SelfTradePrevention)
            ? SelfTradePrevention.CancelIncoming
            : Enum.Parse<SelfTradePrevention>(r.SelfTradePrevention.Trim());
        a.BalanceUsd = r.BalanceUsd ?? 0m;
        a.EquityUsd = r.EquityUsd ?? 0m;
        a.BalanceSheetUsd = r.BalanceSheetUsd ?? 0m;
        a.TurnoverUsd = r.TurnoverUsd ?? 0m;
        a.OwnFundsUsd = r.OwnFundsUsd ?? 0m;
        a.NetAssetsUsd = r.NetAssetsUsd ?? 0m;
    }

    /// <summary>The account as stored in a version (the detail response without the version number, as JSON).</summary>
    public static JsonObject Snapshot(Account a)
    {
        var json = JsonSerializer.SerializeToNode(AccountDetailResponse.From(a, 0), VersionSnapshots.Json)!.AsObject();
        json.Remove("version");
        return json;
    }

    /// <summary>The fields whose value differs between two snapshots, in the order of the response.</summary>
    public static List<string> Changed(JsonObject before, JsonObject after) => VersionSnapshots.Changed(before, after);

    public static string ToJson(JsonNode node) => VersionSnapshots.ToJson(node);

    public static IReadOnlyList<string> IndiciaNames(UsIndicia indicia) =>
        [.. Enum.GetValues<UsIndicia>().Where(v => v != UsIndicia.None && indicia.HasFlag(v)).Select(v => v.ToString())];

    /// <summary>The read-only fields, when sent, must say what the account already has (or, for the expiry, what the signing date gives).</summary>
    private static void ReadOnly(Dictionary<string, List<string>> errors, AccountRequest r, Account? current)
    {
        if (r.AccountId is { } id && id != (current?.Id ?? 0))
        {
            Add(errors, "accountId", current is null
                ? "is allocated by the platform: leave it out when creating an account"
                : string.Create(CultureInfo.InvariantCulture, $"is {id} but the account changed is {current.Id} (leave it out or send the route's id)"));
        }
        if (r.W8BenExpiresOn is { } expires && (r.W8BenSignedOn is not { } signed || signed.Year > DateOnly.MaxValue.Year - 3 || FatcaForms.W8BenExpiresOn(signed) != expires))
        {
            Add(errors, "w8BenExpiresOn", "is derived from w8BenSignedOn (31 December of the third calendar year after signing): send the signing date and leave the expiry out");
        }
        if (r.InsiderOfIsins is { } insider && !insider.SequenceEqual(current?.InsiderOfIsins ?? [], StringComparer.Ordinal))
        {
            Add(errors, "insiderOfIsins", "is kept by compliance and not changed here: leave it out or send it as read");
        }
        if (r.BorrowedShares is { } borrowed && !borrowed.SequenceEqual(current?.BorrowedShares ?? []))
        {
            Add(errors, "borrowedShares", "is kept by compliance and not changed here: leave it out or send it as read");
        }
    }

    private static void Owner(Dictionary<string, List<string>> errors, long? ownerUserId, User? owner)
    {
        if (ownerUserId is null)
        {
            Add(errors, "ownerUserId", "is required: the id of the trader who trades the account (GET /api/v1/users lists users)");
        }
        else if (owner is null)
        {
            Add(errors, "ownerUserId", string.Create(CultureInfo.InvariantCulture, $"there is no user {ownerUserId}"));
        }
        else if (!owner.IsActive)
        {
            Add(errors, "ownerUserId", $"{owner.UserName} is deactivated: the owner must be an active trader");
        }
        else if (!owner.RoleList().Contains(Roles.Trader, StringComparer.Ordinal))
        {
            Add(errors, "ownerUserId", $"{owner.UserName} is not a trader: only a trader trades an account");
        }
    }

    private static void Indicia(Dictionary<string, List<string>> errors, IReadOnlyList<string>? names)
    {
        var allowed = Enum.GetNames<UsIndicia>().Where(n => n != nameof(UsIndicia.None)).ToList();
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            var name = names![i]?.Trim();
            if (name is null || !allowed.Contains(name, StringComparer.Ordinal))
            {
                Add(errors, string.Create(CultureInfo.InvariantCulture, $"usIndicia[{i}]"),
                    $"'{names[i]}' is not a US indicium: one of {string.Join(", ", allowed)} (an empty list means none)");
            }
        }
    }

    /// <summary>An ISO 3166 alpha-2 code (upper case, a region the platform knows); the trimmed code when valid.</summary>
    private static string? Country(Dictionary<string, List<string>> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var code = value.Trim();
        if (!CountryPattern().IsMatch(code) || !KnownRegion(code))
        {
            Add(errors, field, $"'{value}' is not an ISO 3166 alpha-2 country code (two upper-case letters, e.g. EG, AE, DE)");
            return null;
        }
        return code;
    }

    private static bool KnownRegion(string code)
    {
        try
        {
            return new RegionInfo(code).TwoLetterISORegionName == code;
        }
        catch (ArgumentException)
        {
            // RegionInfo's only way of saying "no such region".
            return false;
        }
    }

    private static void PastDate(Dictionary<string, List<string>> errors, string field, DateOnly? value, DateOnly today, string what)
    {
        if (value is not { } date)
        {
            return;
        }
        if (date > today)
        {
            Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd} is in the future: {what} is today ({today:yyyy-MM-dd}) or earlier"));
        }
        else if (date.Year < 1900)
        {
            Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd} is before 1900"));
        }
    }

    private static void Currency(Dictionary<string, List<string>> errors, string? value, Facts facts)
    {
        var currency = value?.Trim();
        if (string.IsNullOrEmpty(currency))
        {
            Add(errors, "creditCurrency", "is required: the account's base currency (ISO 4217, e.g. EGP)");
        }
        else if (facts.Current is { } current && !string.Equals(current.CreditCurrency, currency, StringComparison.Ordinal))
        {
            Add(errors, "creditCurrency", $"cannot change once the account is opened (it is {current.CreditCurrency}): its cash, limits and buying power are kept in it");
        }
        else if (facts.Current is null && !facts.HasFxRate(currency))
        {
            Add(errors, "creditCurrency", $"'{value}' has no platform FX rate, so buying power could not be computed in it (known: {facts.KnownCurrencies})");
        }
    }

    private static void Money(Dictionary<string, List<string>> errors, string field, decimal? value)
    {
        if (value is not { } amount)
        {
            return;
        }
        if (amount < 0)
        {
            Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"must be zero or more (it is {amount})"));
        }
        else if (decimal.Round(amount, 2) != amount)
        {
            Add(errors, field, string.Create(CultureInfo.InvariantCulture, $"has more than 2 decimal places ({amount})"));
        }
        else if (amount > MaxMoney)
        {
            Add(errors, field, "must be at most 1,000,000,000,000,000");
        }
    }

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryPattern();

    [GeneratedRegex(@"^(\d{3}-\d{2}-\d{4}|\d{2}-\d{7})$")]
    private static partial Regex UsTinPattern();

    [GeneratedRegex(@"^[A-Z0-9]{6}\.[A-Z0-9]{5}\.[A-Z]{2}\.\d{3}$")]
    private static partial Regex GiinPattern();
}
