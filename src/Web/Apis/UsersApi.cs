using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using TradSys.Web.Auditing;
using TradSys.Web.Auth;
using TradSys.Web.Http;
using TradSys.Web.Persistence;
using TradSys.Web.Persistence.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static TradSys.Web.Http.FieldProblems;

namespace TradSys.Web.Apis;

/// <summary>
/// User and role management under /api/v1/users, for admins: list, create, change display name, roles and activity,
/// reset a password, and issue an API client (client credentials) acting for a user. Every change is audited, and a
/// change that alters what a user may do (roles, deactivation, a new password) revokes the tokens already issued to
/// them, so it takes effect at their next request rather than when a token expires. The platform cannot be left
/// without an active admin, and an admin cannot lock themselves out.
/// </summary>
public static partial class UsersApi
{
    /// <summary>Shortest password accepted (NIST SP 800-63B asks for at least 8; the platform asks for more).</summary>
    public const int MinPasswordLength = 12;
    private const int MaxPasswordLength = 128;
    private static readonly SemaphoreSlim CreateGate = new(1, 1);

    public static IEndpointRouteBuilder MapUsersApiV1(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.ManageUsers);
        api.MapGet("/", ListAsync).Produces<IReadOnlyList<UserResponse>>().WithSummary("List users")
            .WithDescription("Every user with their roles, whether active, and the accounts they own. Admins only.");
        api.MapGet("/{id:long}", GetAsync).Produces<UserResponse>().WithSummary("Get a user")
            .WithDescription("The user; the ETag header is the version to send back in If-Match when changing it.");
        api.MapPost("/", CreateAsync).Accepts<CreateUserRequest>("application/json").Produces<UserResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Create a user")
            .WithDescription($"userName (3-32 characters: lower-case letters, digits, '.', '_', '-'; starting with a letter; unique), " +
                             $"displayName, roles (one or more of {string.Join(", ", Roles.All)}; senior_compliance only together with " +
                             $"compliance), password ({MinPasswordLength}-{MaxPasswordLength} characters, not containing the user name).");
        api.MapPatch("/{id:long}", UpdateAsync).Accepts<UpdateUserRequest>("application/json").Produces<UserResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .WithSummary("Change a user's display name, roles or activity").WithDescription(
                "Any of displayName, roles, isActive. With If-Match (the ETag of GET), a user changed in between gets 412. A change " +
                "of roles or a deactivation revokes the user's issued tokens. You cannot remove your own admin role or deactivate " +
                "yourself, and the last active admin cannot lose the role or be deactivated (409).");
        api.MapPut("/{id:long}/password", SetPasswordAsync).Accepts<SetPasswordRequest>("application/json").Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem().WithSummary("Reset a user's password")
            .WithDescription("Sets a new portal password and revokes the user's issued tokens.");
        api.MapPost("/{id:long}/clients", CreateClientAsync).Produces<ApiClientCreated>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).WithSummary("Issue an API client for a user").WithDescription(
                "Creates a confidential client (client credentials grant at /connect/token) acting for the user with their roles. " +
                "The secret is in this reply only: it is stored hashed and cannot be read again.");
        api.MapPut("/{id:long}/accounts/{accountId:long}", AssignAccountAsync).Produces<UserResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Make a user the trader of an account").WithDescription(
                "The account's owner becomes this user (an active trader): from their next request they see and trade it, and its " +
                "previous owner no longer does (their working orders on it stay in the book; compliance or the new owner can cancel " +
                "them). Audited as account.owner_changed with the previous and new owner. Assigning an account to its owner changes nothing.");
        return app;
    }

    private static async Task<IResult> AssignAccountAsync(long id, long accountId, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db,
        AuditTrail audit, TimeProvider clock)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, http.RequestAborted);
        if (user is null)
        {
            return UserNotFound(id);
        }
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId, http.RequestAborted);
        if (account is null)
        {
            return Problems.NotFound($"there is no account {accountId} (GET /api/v1/accounts lists them)");
        }
        if (!user.IsActive)
        {
            return Problems.Conflict($"{user.UserName} is deactivated: reactivate the user before giving them an account");
        }
        if (!user.RoleList().Contains(Roles.Trader, StringComparer.Ordinal))
        {
            return Problems.Conflict($"{user.UserName} is not a trader: only a trader trades an account (give them the trader role first)");
        }
        if (account.OwnerUserId != user.Id)
        {
            var previous = account.OwnerUserId;
            var previousName = await db.Users.AsNoTracking().Where(u => u.Id == previous).Select(u => u.UserName).SingleOrDefaultAsync(http.RequestAborted);
            account.OwnerUserId = user.Id;
            // Saved with the audit record, in one transaction; the accounts table's change counter makes the order writer
            // read the account again before its next batch.
            await audit.AppendAsync(db, clock, Caller.From(principal).UserName, "account.owner_changed", $"account/{account.Id}",
                new { accountId = account.Id, from = previousName ?? previous.ToString(CultureInfo.InvariantCulture), to = user.UserName },
                http.RequestAborted);
        }
        return TypedResults.Ok(UserResponse.From(user, await OwnedAccountsAsync(db, http.RequestAborted)));
    }

    private static async Task<IResult> ListAsync(TradSysDbContext db, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(ct);
        var owners = await OwnedAccountsAsync(db, ct);
        return TypedResults.Ok(users.Select(u => UserResponse.From(u, owners)).ToList());
    }

    private static async Task<IResult> GetAsync(long id, HttpContext http, TradSysDbContext db)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, http.RequestAborted);
        if (user is null)
        {
            return UserNotFound(id);
        }
        http.Response.Headers.ETag = ETagOf(user);
        return TypedResults.Ok(UserResponse.From(user, await OwnedAccountsAsync(db, http.RequestAborted)));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit, TimeProvider clock)
    {
        var (request, problem) = await RequestBody.ReadAsync<CreateUserRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var userName = request!.UserName?.Trim() ?? "";
        if (!UserNamePattern().IsMatch(userName))
        {
            Add(errors, "userName", "must be 3-32 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter");
        }
        var displayName = CheckDisplayName(request.DisplayName, required: true, errors);
        var roles = CheckRoles(request.Roles, required: true, errors);
        CheckPassword(request.Password, userName, errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        // Ids are allocated here (max + 1): one create at a time on this node; across nodes the primary key and the unique
        // user name turn a race into a 409 rather than a duplicate.
        await CreateGate.WaitAsync(http.RequestAborted);
        try
        {
            return await CreateLockedAsync(http, principal, db, audit, clock, request, userName, displayName!, roles!);
        }
        finally
        {
            CreateGate.Release();
        }
    }

    private static async Task<IResult> CreateLockedAsync(HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        TimeProvider clock, CreateUserRequest request, string userName, string displayName, List<string> roles)
    {
        if (await db.Users.AnyAsync(u => u.UserName == userName, http.RequestAborted))
        {
            return Problems.Conflict($"the user name '{userName}' is taken");
        }
        var caller = Caller.From(principal);
        var user = new User
        {
            Id = await db.Users.AnyAsync(http.RequestAborted) ? await db.Users.MaxAsync(u => u.Id, http.RequestAborted) + 1 : 1,
            UserName = userName,
            DisplayName = displayName,
            Roles = string.Join(',', roles),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, request.Password!);
        db.Users.Add(user);
        try
        {
            await audit.AppendAsync(db, clock, caller.UserName, "user.created", $"user/{user.Id}",
                new { user.UserName, user.DisplayName, roles }, http.RequestAborted);
        }
        catch (DbUpdateException)
        {
            // Another node created a user with this id or name at the same moment: nothing of this request was saved.
            return Problems.Conflict($"another user was created at the same moment as '{userName}': send the request again");
        }
        http.Response.Headers.ETag = ETagOf(user);
        return TypedResults.Created($"/api/v1/users/{user.Id}", UserResponse.From(user, new Dictionary<long, long[]>()));
    }

    private static async Task<IResult> UpdateAsync(long id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        TimeProvider clock, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, RevocationLedger revocations)
    {
        var (request, problem) = await RequestBody.ReadAsync<UpdateUserRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var displayName = CheckDisplayName(request!.DisplayName, required: false, errors);
        var roles = CheckRoles(request.Roles, required: false, errors);
        if (displayName is null && roles is null && request.IsActive is null && errors.Count == 0)
        {
            Add(errors, "body", "name at least one of displayName, roles, isActive");
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, http.RequestAborted);
        if (user is null)
        {
            return UserNotFound(id);
        }
        if (http.Request.Headers.IfMatch.Count > 0 && !http.Request.Headers.IfMatch.Contains(ETagOf(user)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
                detail: $"user {id} was changed since the version in If-Match; read it again (its ETag is now {ETagOf(user)})");
        }

        var caller = Caller.From(principal);
        var wasAdmin = user.RoleList().Contains(Roles.Admin, StringComparer.Ordinal) && user.IsActive;
        var staysAdmin = (roles ?? user.RoleList()).Contains(Roles.Admin, StringComparer.Ordinal) && (request.IsActive ?? user.IsActive);
        if (wasAdmin && !staysAdmin)
        {
            if (user.Id == caller.UserId)
            {
                return Problems.Conflict("you cannot remove your own admin role or deactivate yourself: ask another admin");
            }
            var otherAdmins = (await db.Users.AsNoTracking().Where(u => u.IsActive && u.Id != user.Id).ToListAsync(http.RequestAborted))
                .Count(u => u.RoleList().Contains(Roles.Admin, StringComparer.Ordinal));
            if (otherAdmins == 0)
            {
                return Problems.Conflict($"{user.UserName} is the last active admin: the platform cannot be left without one");
            }
        }

        var before = new { user.DisplayName, roles = user.RoleList(), user.IsActive };
        var revoke = false;
        var reasons = new List<string>();
        if (displayName is not null)
        {
            user.DisplayName = displayName;
        }
        if (roles is not null && !roles.SequenceEqual(user.RoleList(), StringComparer.Ordinal))
        {
            user.Roles = string.Join(',', roles);
            revoke = true;
            reasons.Add("roles changed");
        }
        if (request.IsActive is { } active && active != user.IsActive)
        {
            user.IsActive = active;
            revoke |= !active;
            if (!active)
            {
                reasons.Add("deactivated");
            }
        }
        var after = new { user.DisplayName, roles = user.RoleList(), user.IsActive };
        var revocation = revoke ? RevokeTokensOf(user, db, revocations, $"user {string.Join(" and ", reasons)} by {caller.UserName}") : null;
        // The change, its revocation row and its audit record commit together.
        try
        {
            await audit.AppendAsync(db, clock, caller.UserName, "user.updated", $"user/{user.Id}", new { before, after, tokensRevoked = revoke },
                http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangedMeanwhile(user.Id);
        }
        if (revocation is not null)
        {
            await AnnounceAsync(revocation, user.Id, revocations, tokens, authorizations, http.RequestAborted);
        }
        http.Response.Headers.ETag = ETagOf(user);
        return TypedResults.Ok(UserResponse.From(user, await OwnedAccountsAsync(db, http.RequestAborted)));
    }

    private static async Task<IResult> SetPasswordAsync(long id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        TimeProvider clock, IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, RevocationLedger revocations)
    {
        var (request, problem) = await RequestBody.ReadAsync<SetPasswordRequest>(http);
        if (problem is not null)
        {
            return problem;
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, http.RequestAborted);
        if (user is null)
        {
            return UserNotFound(id);
        }
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        CheckPassword(request!.Password, user.UserName, errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, request.Password!);
        var admin = Caller.From(principal).UserName;
        var revocation = RevokeTokensOf(user, db, revocations, $"password reset by {admin}");
        // The password itself is never written to the audit trail.
        try
        {
            await audit.AppendAsync(db, clock, admin, "user.password_reset", $"user/{user.Id}", new { tokensRevoked = true }, http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ChangedMeanwhile(user.Id);
        }
        await AnnounceAsync(revocation, user.Id, revocations, tokens, authorizations, http.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> CreateClientAsync(long id, HttpContext http, ClaimsPrincipal principal, TradSysDbContext db, AuditTrail audit,
        TimeProvider clock, IOpenIddictApplicationManager applications)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, http.RequestAborted);
        if (user is null)
        {
            return UserNotFound(id);
        }
        if (!user.IsActive)
        {
            return Problems.Conflict($"{user.UserName} is deactivated: reactivate the user before issuing a client");
        }
        var (clientId, secret) = await IssueClientAsync(applications, user, http.RequestAborted);
        await audit.AppendAsync(db, clock, Caller.From(principal).UserName, "user.client_issued", $"user/{user.Id}",
            new { clientId }, http.RequestAborted);
        return TypedResults.Created($"/api/v1/users/{user.Id}", new ApiClientCreated(clientId, secret, user.Id,
            "Keep the secret now: it is stored hashed and is not shown again. Exchange it at POST /connect/token (grant_type=client_credentials)."));
    }

    /// <summary>
    /// Creates a confidential client-credentials client bound to <paramref name="user"/> (the API client of <c>POST
    /// /api/v1/users/{id}/clients</c> and of the first admin's command) and returns its id and its secret, which is stored hashed.
    /// </summary>
    internal static async Task<(string ClientId, string Secret)> IssueClientAsync(IOpenIddictApplicationManager applications, User user,
        CancellationToken cancellationToken)
    {
        var clientId = $"{user.UserName}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            DisplayName = $"API client of {user.DisplayName}",
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        descriptor.Properties[ApiClients.UserIdProperty] = JsonSerializer.SerializeToElement(user.Id);
        await applications.CreateAsync(descriptor, cancellationToken);
        return (clientId, secret);
    }

    /// <summary>
    /// Raises the user's token version and adds the revocation row (both saved with the caller's audit record): every access
    /// token issued before carries a lower version and stops on every node.
    /// </summary>
    private static TokenRevocation RevokeTokensOf(User user, TradSysDbContext db, RevocationLedger revocations, string reason)
    {
        user.TokenVersion++;
        return revocations.Add(db, RevocationKind.Subject, user.Id.ToString(CultureInfo.InvariantCulture), user.TokenVersion, reason);
    }

    /// <summary>
    /// After the commit: the revocation applies on this node at once and goes out on the bus; the stored token and
    /// authorization entries are revoked too, so the user's refresh tokens and unused codes are refused at /connect/token.
    /// </summary>
    private static async Task AnnounceAsync(TokenRevocation revocation, long userId, RevocationLedger revocations, IOpenIddictTokenManager tokens,
        IOpenIddictAuthorizationManager authorizations, CancellationToken ct)
    {
        await revocations.AnnounceAsync(revocation, ct);
        var subject = userId.ToString(CultureInfo.InvariantCulture);
        await tokens.RevokeBySubjectAsync(subject, ct);
        await authorizations.RevokeBySubjectAsync(subject, ct);
    }

    internal static string? CheckDisplayName(string? value, bool required, Dictionary<string, List<string>> errors)
    {
        if (value is null)
        {
            if (required)
            {
                Add(errors, "displayName", "is required");
            }
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Length is 0 or > 100)
        {
            Add(errors, "displayName", "must be 1-100 characters");
            return null;
        }
        return trimmed;
    }

    private static List<string>? CheckRoles(IReadOnlyList<string>? roles, bool required, Dictionary<string, List<string>> errors)
    {
        if (roles is null)
        {
            if (required)
            {
                Add(errors, "roles", $"is required: one or more of {string.Join(", ", Roles.All)}");
            }
            return null;
        }
        if (roles.Count == 0)
        {
            Add(errors, "roles", $"must name at least one role of {string.Join(", ", Roles.All)}");
            return null;
        }
        var unknown = roles.Where(r => !Roles.All.Contains(r, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            Add(errors, "roles", $"{string.Join(", ", unknown.Select(r => $"'{r}'"))} {(unknown.Count == 1 ? "is not a role" : "are not roles")}; " +
                                 $"the roles are {string.Join(", ", Roles.All)}");
            return null;
        }
        if (roles.Distinct(StringComparer.Ordinal).Count() != roles.Count)
        {
            Add(errors, "roles", "names a role twice");
            return null;
        }
        if (roles.Contains(Roles.SeniorCompliance, StringComparer.Ordinal) && !roles.Contains(Roles.Compliance, StringComparer.Ordinal))
        {
            Add(errors, "roles", "senior_compliance is held together with compliance (escalated tasks are compliance work)");
            return null;
        }
        // Stored in the catalogue's order, so that the same set always reads the same.
        return [.. Roles.All.Where(r => roles.Contains(r, StringComparer.Ordinal))];
    }

    internal static void CheckPassword(string? password, string userName, Dictionary<string, List<string>> errors)
    {
        if (string.IsNullOrEmpty(password))
        {
            Add(errors, "password", "is required");
        }
        else if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            Add(errors, "password", $"must be {MinPasswordLength}-{MaxPasswordLength} characters");
        }
        else if (userName.Length > 0 && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            Add(errors, "password", "must not contain the user name");
        }
    }

    /// <summary>A weak validator over what an admin can change (and the password hash, so a reset changes it too).</summary>
    private static string ETagOf(User user)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Id}|{user.UserName}|{user.DisplayName}|{user.Roles}|{user.IsActive}|{user.PasswordHash}"));
        return $"W/\"{Convert.ToHexStringLower(hash.AsSpan(0, 12))}\"";
    }

    private static async Task<Dictionary<long, long[]>> OwnedAccountsAsync(TradSysDbContext db, CancellationToken ct) =>
        (await db.Accounts.AsNoTracking().Select(a => new { a.OwnerUserId, a.Id }).ToListAsync(ct))
            .GroupBy(a => a.OwnerUserId).ToDictionary(g => g.Key, g => g.Select(a => a.Id).Order().ToArray());

    /// <summary>Another change to the same user committed between reading and saving this one: nothing of this one was saved.</summary>
    private static IResult ChangedMeanwhile(long id) =>
        Problems.Conflict($"user {id} was changed by another request at the same moment; nothing was saved: read it again and resend");

    private static IResult UserNotFound(long id) => Problems.NotFound($"there is no user {id} (GET /api/v1/users lists them)");

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("^[a-z][a-z0-9._-]{2,31}$", RegexOptions.CultureInvariant)]
    internal static partial Regex UserNamePattern();
}

/// <summary>A user as admins see it (never the password hash).</summary>
public sealed record UserResponse(long Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, bool IsActive, DateTime CreatedAt,
    IReadOnlyList<long> Accounts)
{
    internal static UserResponse From(User user, IReadOnlyDictionary<long, long[]> owners) =>
        new(user.Id, user.UserName, user.DisplayName, user.RoleList(), user.IsActive, DateTime.SpecifyKind(user.CreatedAt, DateTimeKind.Utc),
            owners.TryGetValue(user.Id, out var accounts) ? accounts : []);
}

/// <summary>A new user.</summary>
public sealed record CreateUserRequest(string? UserName, string? DisplayName, IReadOnlyList<string>? Roles, string? Password);

/// <summary>A change to a user: only the fields sent change.</summary>
public sealed record UpdateUserRequest(string? DisplayName, IReadOnlyList<string>? Roles, bool? IsActive);

/// <summary>A new password.</summary>
public sealed record SetPasswordRequest(string? Password);

/// <summary>A new API client and its secret (shown once).</summary>
public sealed record ApiClientCreated(string ClientId, string ClientSecret, long UserId, string Note);
