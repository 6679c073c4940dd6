using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;

namespace TradSys.Web.Apis;

/// <summary>
/// Client onboarding and KYC under /api/v1/accounts (issue 14): create an account and replace its data (operations and admins), read
/// one account's data and its history of versions (every role; a trader their own accounts). Each request is checked field by field
/// (<see cref="AccountForm"/>) and changes nothing when any field is wrong. A create or edit stores a version (who, when, why, which
/// fields, before and after) and an audit record in the same transaction as the account. The order writer reads accounts again after
/// any change to the table (the accounts change counter, <see cref="ReferenceVersion"/>), so the change decides the very next order on
/// every node. The list of accounts stays in <see cref="ReferenceDataApi"/>.
/// </summary>
public static class AccountsApi
{
    private static readonly SemaphoreSlim CreateGate = new(1, 1);

    public static IEndpointRouteBuilder MapAccountsApiV1(this IEndpointRouteBuilder app)
    {
        const string fields =
            "Body: name, nameAr, ownerUserId (an active trader), clientCategory (Retail, Professional, MarketCounterparty), isClassified, " +
            "isLegalEntity, isTrust, jurisdiction (Egypt, UaeOnshore, Adgm, Difc, Eu, Us), nationality, addressCountry (ISO 3166 alpha-2), " +
            "investorNumber, nationalId, passportNumber, firstName, surname, birthDate (natural persons), mifidBranch (an EEA country or " +
            "null), lei (ISO 17442: 20 characters, ISO 7064 MOD 97-10 check digits), fatcaStatus, usIndicia (names), hasW9, usTin, " +
            "w8BenSignedOn (the expiry is derived: 31 December of the third year after), giin, giinOnFfiList, isPreexisting, " +
            "enhancedReviewDone, appropriatenessAssessed, appropriatenessPassed, suitabilityAssessed, emirClass (None for a natural person; " +
            "otherwise an LEI is required), emirReportingExempt, hasMarginAgreement, isForeignInvestor, isGccNational, hasFinanceExperience, " +
            "shariaOnly, isMarginAccount, creditLimit, creditCurrency (fixed once opened), creditLine (0 unless a margin account), isActive " +
            "(default true), selfTradePrevention, balanceUsd, equityUsd, balanceSheetUsd, turnoverUsd, ownFundsUsd, netAssetsUsd, and " +
            "reason (required). A field left out is not on file (null, false, 0). Every field's problem is answered at once (400) and " +
            "nothing is stored.";
        app.MapPost("/api/v1/accounts", CreateAsync).WithTags("Accounts").RequireAuthorization(Policies.ManageAccounts)
            .Accepts<AccountRequest>("application/json").Produces<AccountDetailResponse>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateAccount").WithSummary("Onboard a client: create an account").WithDescription(
                fields + " The account starts with no cash (book a deposit through /cash/deposits) and version 1 in its history.");
        app.MapPost("/api/v1/accounts/import", ImportAsync).WithTags("Accounts").RequireAuthorization(Policies.ManageAccounts)
            .AddOpenApiOperationTransformer(CsvImport.RequestBody("The accounts as CSV, the header first")).Produces<AccountImportResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("ImportAccounts").WithSummary("Onboard many clients from a CSV file, with a dry run").WithDescription(
                "Body: a CSV file (Content-Type: text/csv; RFC 4180, UTF-8) whose first line names its columns, each a field of " +
                "CreateAccount by its JSON name, in any order: " + string.Join(",", AccountImport.Columns) + ". Required columns: " +
                string.Join(", ", AccountImport.RequiredColumns) + ". accountId is optional (empty: allocated; an id that exists is " +
                "refused: the import creates accounts, PUT changes them). A cell left empty is not on file; true/false, numbers with a " +
                "dot, dates as yyyy-MM-dd, usIndicia as names separated by ';'. reason (query) stands for an empty reason cell. " +
                "dryRun (default true) checks every line and writes nothing; dryRun=false writes every account or none, in one " +
                "transaction, each as version 1 with an audit record like CreateAccount. Any problem answers 400 listing every line's " +
                "problems at once (errors keyed 'line N: column', and problems: [{line, column, message}]; the header is line 1). At " +
                "most 1 MiB (413) and 1,000 accounts (400).");
        const string one = "/api/v1/accounts/{accountId}";
        app.MapGet(one, GetAsync).WithTags("Accounts").RequireAuthorization(Policies.Read).Produces<AccountDetailResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetAccount").WithSummary("An account's onboarding and KYC data").WithDescription(
                "Every field the rule packs read, the derived W-8BEN expiry and the version; the ETag header is the version to send back in " +
                "If-Match when replacing it. A trader sees only their own accounts.");
        app.MapPut(one, UpdateAsync).WithTags("Accounts").RequireAuthorization(Policies.ManageAccounts).Accepts<AccountRequest>("application/json")
            .Produces<AccountDetailResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithName("ReplaceAccount").WithSummary("Change a client's data (a KYC change): replace the account's fields").WithDescription(
                fields + " Send every field (start from GET): this replaces them all. With If-Match (the ETag of GET), an account changed " +
                "in between gets 412. A change stores a new version and decides the very next order; sending the same data changes nothing.");
        app.MapGet(one + "/history", HistoryAsync).WithTags("Accounts").RequireAuthorization(Policies.Read).Produces<IReadOnlyList<AccountVersionResponse>>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("ListAccountVersions").WithSummary("An account's versions, newest first: who changed what, when and why").WithDescription(
                "Each version with the fields it changed and the account before and after. An account onboarded before versions were kept " +
                "(the demo accounts) has none until its first change, whose 'before' is the state it had.");
        return app;
    }

    private static async Task<IResult> GetAsync(string accountId, HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var (account, problem) = await ReadableAccount.FindAsync(accountId, user, db, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var version = await VersionOfAsync(db, account!.Id, http.RequestAborted);
        http.Response.Headers.ETag = VersionTags.ETagOf(version);
        return TypedResults.Ok(AccountDetailResponse.From(account, version));
    }

    private static async Task<IResult> HistoryAsync(string accountId, HttpContext http, ClaimsPrincipal user, TradSysDbContext db)
    {
        var (account, problem) = await ReadableAccount.FindAsync(accountId, user, db, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }
        var rows = await db.AccountVersions.AsNoTracking().Where(v => v.AccountId == account!.Id).OrderByDescending(v => v.Version)
            .ToListAsync(http.RequestAborted);
        return TypedResults.Ok(rows.Select(v => new AccountVersionResponse(v.Version, v.ChangedAt, v.ChangedBy, v.Reason, v.ChangedFields,
            v.Before is null ? null : JsonDocument.Parse(v.Before).RootElement.Clone(), JsonDocument.Parse(v.After).RootElement.Clone())).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit, TimeProvider clock)
    {
        var (request, bodyProblem) = await RequestBody.ReadAsync<AccountRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var r = request!;
        var errors = AccountForm.Check(r, await FactsAsync(r, null, db, clock, http.RequestAborted));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        // Ids are allocated here (max + 1): one create at a time on this node; across nodes the primary key turns a race into a 409.
        await CreateGate.WaitAsync(http.RequestAborted);
        try
        {
            var account = new Account { Name = "", CreditCurrency = "" };
            AccountForm.Apply(r, account);
            account.Id = await db.Accounts.AnyAsync(http.RequestAborted) ? await db.Accounts.MaxAsync(a => a.Id, http.RequestAborted) + 1 : 1;
            var after = AccountForm.Snapshot(account);
            var changed = after.Select(p => p.Key).Where(k => k != "accountId").ToList();
            var actor = Caller.From(principal).UserName;
            var reason = r.Reason!.Trim();
            db.Accounts.Add(account);
            db.AccountVersions.Add(new AccountVersion
            {
                AccountId = account.Id, Version = 1, ChangedAt = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime), ChangedBy = actor, Reason = reason,
                ChangedFields = changed, After = AccountForm.ToJson(after),
            });
            try
            {
                await audit.AppendAsync(db, clock, actor, "account.created", $"account/{account.Id}",
                    new { accountId = account.Id, version = 1, reason, account = after }, http.RequestAborted);
            }
            catch (DbUpdateException)
            {
                // Another node created an account with this id at the same moment: nothing of this request was saved.
                return Problems.Conflict("another account was created at the same moment: send the request again");
            }
            http.Response.Headers.ETag = VersionTags.ETagOf(1);
            return TypedResults.Created($"/api/v1/accounts/{account.Id}", AccountDetailResponse.From(account, 1));
        }
        finally
        {
            CreateGate.Release();
        }
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit, TimeProvider clock,
        bool? dryRun, string? reason)
    {
        var (csv, bodyProblem) = await RequestBody.ReadTextAsync(http, AccountImport.MaxBytes, "text/csv");
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var (rows, problems) = AccountImport.Read(csv!, reason);
        if (problems.Count == 0 || rows.Count > 0)
        {
            await CheckImportAsync(rows, problems, db, clock, http.RequestAborted);
        }
        if (problems.Count > 0)
        {
            return CsvImport.Answer(StatusCodes.Status400BadRequest, "The file is not valid: nothing was imported",
                problems.Select(p => new CsvImport.Problem(p.Line, p.Column, p.Message)), "correct them and send the whole file again");
        }
        if (dryRun ?? true)
        {
            return TypedResults.Ok(new AccountImportResponse(true, rows.Count,
                [.. rows.Select(r => new AccountImportLine(r.Line, r.AccountId, r.Request.Name!.Trim()))]));
        }

        var actor = Caller.From(principal).UserName;
        var now = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime);
        await CreateGate.WaitAsync(http.RequestAborted);
        try
        {
            var next = Math.Max(await db.Accounts.AnyAsync(http.RequestAborted) ? await db.Accounts.MaxAsync(a => a.Id, http.RequestAborted) : 0,
                rows.Max(r => r.AccountId ?? 0)) + 1;
            var created = new List<AccountImportLine>(rows.Count);
            var entries = new List<AuditEntry>(rows.Count);
            foreach (var row in rows)
            {
                var account = new Account { Name = "", CreditCurrency = "" };
                AccountForm.Apply(row.Request, account);
                account.Id = row.AccountId ?? next++;
                var after = AccountForm.Snapshot(account);
                var lineReason = row.Request.Reason!.Trim();
                db.Accounts.Add(account);
                db.AccountVersions.Add(new AccountVersion
                {
                    AccountId = account.Id, Version = 1, ChangedAt = now, ChangedBy = actor, Reason = lineReason,
                    ChangedFields = [.. after.Select(p => p.Key).Where(k => k != "accountId")], After = AccountForm.ToJson(after),
                });
                entries.Add(new AuditEntry(now, actor, "account.created", $"account/{account.Id}",
                    AuditTrail.Serialize(new { accountId = account.Id, version = 1, reason = lineReason, account = after, importLine = row.Line })));
                created.Add(new AccountImportLine(row.Line, account.Id, account.Name));
            }
            try
            {
                // Every account, its version and its audit record in one transaction: all of the file or none of it.
                await audit.SaveWithAsync(db, entries, http.RequestAborted);
            }
            catch (DbUpdateException)
            {
                return Problems.Conflict("an account with one of these ids was created at the same moment: nothing was imported; run the dry run again");
            }
            return TypedResults.Ok(new AccountImportResponse(false, created.Count, created));
        }
        finally
        {
            CreateGate.Release();
        }
    }

    /// <summary>Checks every read line as a create (<see cref="AccountForm.Check"/>) and the ids the file asks for; adds each problem with its line.</summary>
    private static async Task CheckImportAsync(List<AccountImport.Row> rows, List<AccountImportProblem> problems, TradSysDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var ownerIds = rows.Select(r => r.Request.OwnerUserId).OfType<long>().Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var askedIds = rows.Select(r => r.AccountId).OfType<long>().Distinct().ToList();
        var taken = (await db.Accounts.AsNoTracking().Where(a => askedIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct)).ToHashSet();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (hasFxRate, knownCurrencies) = await CurrenciesAsync(db, ct);
        var firstLineOf = new Dictionary<long, int>();
        foreach (var row in rows)
        {
            var owner = row.Request.OwnerUserId is { } ownerId && owners.TryGetValue(ownerId, out var found) ? found : null;
            var errors = AccountForm.Check(row.Request, new AccountForm.Facts(null, owner, hasFxRate, knownCurrencies, today));
            foreach (var (field, messages) in errors)
            {
                var column = AccountImport.ColumnOf(field);
                if (!row.UnreadColumns.Contains(column))
                {
                    problems.AddRange(messages.Select(m => new AccountImportProblem(row.Line, column, field == column ? m : $"{field}: {m}")));
                }
            }
            if (row.AccountId is not { } id)
            {
                continue;
            }
            if (taken.Contains(id))
            {
                problems.Add(new(row.Line, "accountId", string.Create(CultureInfo.InvariantCulture,
                    $"account {id} exists already: an import creates accounts (change it with PUT /api/v1/accounts/{id}, or leave the id empty)")));
            }
            else if (firstLineOf.TryGetValue(id, out var first))
            {
                problems.Add(new(row.Line, "accountId", string.Create(CultureInfo.InvariantCulture, $"account {id} is on line {first} already")));
            }
            else
            {
                firstLineOf[id] = row.Line;
            }
        }
    }

    private static async Task<IResult> UpdateAsync(string accountId, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        TimeProvider clock)
    {
        if (ReadableAccount.ParseId(accountId) is not { } id)
        {
            return Problems.Invalid("accountId", $"'{accountId}' is not an account id");
        }
        var (request, bodyProblem) = await RequestBody.ReadAsync<AccountRequest>(http);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == id, http.RequestAborted);
        if (account is null)
        {
            return Problems.NotFound($"there is no account {id} (GET /api/v1/accounts lists them)");
        }
        var version = await VersionOfAsync(db, id, http.RequestAborted);
        if (http.Request.Headers.IfMatch.Count > 0 && !http.Request.Headers.IfMatch.Contains(VersionTags.ETagOf(version)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                detail: $"account {id} was changed since the version in If-Match; read it again (its ETag is now {VersionTags.ETagOf(version)})");
        }
        var r = request!;
        var errors = AccountForm.Check(r, await FactsAsync(r, account, db, clock, http.RequestAborted));
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var before = AccountForm.Snapshot(account);
        AccountForm.Apply(r, account);
        var after = AccountForm.Snapshot(account);
        var changed = AccountForm.Changed(before, after);
        if (changed.Count == 0)
        {
            http.Response.Headers.ETag = VersionTags.ETagOf(version);
            return TypedResults.Ok(AccountDetailResponse.From(account, version));
        }
        var actor = Caller.From(principal).UserName;
        var reason = r.Reason!.Trim();
        db.AccountVersions.Add(new AccountVersion
        {
            AccountId = id, Version = version + 1, ChangedAt = AuditTrail.Truncate(clock.GetUtcNow().UtcDateTime), ChangedBy = actor, Reason = reason,
            ChangedFields = changed, Before = AccountForm.ToJson(before), After = AccountForm.ToJson(after),
        });
        try
        {
            // Saved with the version and the audit record in one transaction; the accounts table's change counter makes the order
            // writer read the account again before its next batch.
            await audit.AppendAsync(db, clock, actor, "account.updated", $"account/{id}", new
            {
                accountId = id, version = version + 1, reason,
                changes = changed.ToDictionary(f => f, f => new { before = before[f]?.DeepClone(), after = after[f]?.DeepClone() }),
            }, http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // The unique (account, version) index: someone else's change to this account was saved first; nothing of this one was.
            return Problems.Conflict($"account {id} was changed by someone else at the same moment: read it again and resend your change");
        }
        http.Response.Headers.ETag = VersionTags.ETagOf(version + 1);
        return TypedResults.Ok(AccountDetailResponse.From(account, version + 1));
    }

    private static async Task<AccountForm.Facts> FactsAsync(AccountRequest r, Account? current, TradSysDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var owner = r.OwnerUserId is { } ownerId ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == ownerId, ct) : null;
        var (hasFxRate, knownCurrencies) = await CurrenciesAsync(db, ct);
        return new AccountForm.Facts(current, owner, hasFxRate, knownCurrencies, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>
    /// The currencies with a stored FX rate, read from the database rather than this node's copy: a currency just added through POST
    /// /api/v1/fx-rates is an account's to use at once, though the order writer takes the new table only at its next batch (which it does
    /// before that account's first order).
    /// </summary>
    private static async Task<(Func<string, bool> Has, string Known)> CurrenciesAsync(TradSysDbContext db, CancellationToken ct)
    {
        var currencies = (await db.FxRates.AsNoTracking().Select(r => r.Currency).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (currencies.Contains, string.Join(", ", currencies.Order(StringComparer.Ordinal)));
    }

    /// <summary>The account's version: the number of its last stored version (0 when none is stored).</summary>
    private static async Task<int> VersionOfAsync(TradSysDbContext db, long accountId, CancellationToken ct) =>
        await db.AccountVersions.Where(v => v.AccountId == accountId).MaxAsync(v => (int?)v.Version, ct) ?? 0;
}
