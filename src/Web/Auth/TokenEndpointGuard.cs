using System.Globalization;
using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using OpenIddict.Core;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using TradSys.Web.Auditing;
using TradSys.Web.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace TradSys.Web.Auth;

/// <summary>Throttling of failed client authentications at <c>/connect/token</c> (configuration section <c>Auth:TokenEndpoint</c>).</summary>
public sealed class TokenEndpointThrottleOptions
{
    /// <summary>Failed client authentications allowed per client id within <see cref="WindowMinutes"/>.</summary>
    public int MaxFailuresPerClient { get; set; } = 5;

    /// <summary>Failed client authentications allowed from one client address (many client ids tried from one place).</summary>
    public int MaxFailuresPerAddress { get; set; } = 20;

    /// <summary>The sliding window the failures are counted in; a refusal lasts until the oldest counted failure leaves it.</summary>
    public int WindowMinutes { get; set; } = 15;
}

/// <summary>
/// The token endpoint's guard against secret guessing, like the portal's login (<see cref="LoginThrottle"/>, whose counting it
/// reuses): a request that authenticates with a client secret is refused (429, <c>temporarily_unavailable</c>,
/// <c>Retry-After</c>) while its client id or its address has too many recent failures, even with the right secret; each
/// failure is audited (<c>token.failed</c>: client id and address, never the secret); an unknown client and a wrong secret get
/// the same answer and cost the same time, so client ids cannot be enumerated. A right secret never counts, so load tests and
/// clients that fetch many tokens are not throttled. Requests without a secret (the portal, a public client, redeeming codes
/// and refresh tokens) are outside it: they cannot guess a secret, and counting them would let anyone lock the portal out.
/// Counted in the shared database, like the login's failures: every node of a cluster sees every node's.
/// </summary>
public sealed class TokenEndpointThrottle(IServiceScopeFactory scopes, TimeProvider clock, IOptions<TokenEndpointThrottleOptions> options)
    : LoginThrottle(scopes, clock, "token", options.Value.MaxFailuresPerClient, options.Value.MaxFailuresPerAddress,
        TimeSpan.FromMinutes(options.Value.WindowMinutes))
{
    /// <summary>The OpenIddict server event handlers that apply the guard.</summary>
    public static IEnumerable<OpenIddictServerHandlerDescriptor> Handlers =>
    [
        RefuseThrottled.Descriptor, NoteAuthenticated.Descriptor, AnswerFailuresAlike.Descriptor, AnswerThrottledWith429.Descriptor,
    ];

    private const string ThrottledUntilProperty = "tradsys:throttled_until";
    private const string AuthenticatedProperty = "tradsys:client_authenticated";

    /// <summary>The one description for every failed client authentication (an unknown client or a wrong secret).</summary>
    public const string FailureDescription = "The client could not be authenticated: check client_id and client_secret.";

    private static string? AddressOf(OpenIddictServerTransaction transaction) =>
        transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress?.ToString();

    private static string ActorOf(string? clientId) => clientId is null or "" ? "(no client_id)" : clientId.Length > 64 ? clientId[..64] : clientId;

    /// <summary>First of all token-request checks: refuses a throttled client id or address before its secret is looked at.</summary>
    private sealed class RefuseThrottled(TokenEndpointThrottle throttle, TimeProvider clock, IServiceScopeFactory scopes)
        : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
                .UseSingletonHandler<RefuseThrottled>()
                .SetOrder(int.MinValue + 50_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public async ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            if (string.IsNullOrEmpty(context.Request.ClientSecret))
            {
                return;
            }
            var address = AddressOf(context.Transaction);
            if (await throttle.RefusedUntilAsync(context.Request.ClientId ?? "", address, context.CancellationToken) is not { } until)
            {
                return;
            }
            context.Transaction.Properties[ThrottledUntilProperty] = until;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TradSysDbContext>();
                await scope.ServiceProvider.GetRequiredService<AuditTrail>().AppendAsync(db, clock, ActorOf(context.Request.ClientId), "token.throttled",
                    $"address/{address ?? "unknown"}", new { clientId = ActorOf(context.Request.ClientId), address, until = until.UtcDateTime },
                    context.CancellationToken);
            }
            context.Reject(Errors.TemporarilyUnavailable,
                $"Too many failed client authentications for this client_id or from this address. Try again after {until.UtcDateTime:HH:mm:ss} UTC.");
        }
    }

    /// <summary>Right after OpenIddict authenticated the client: marks the request, and clears the client id's failures.</summary>
    private sealed class NoteAuthenticated(TokenEndpointThrottle throttle) : IOpenIddictServerHandler<ValidateTokenRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
                .UseSingletonHandler<NoteAuthenticated>()
                .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order + 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public async ValueTask HandleAsync(ValidateTokenRequestContext context)
        {
            context.Transaction.Properties[AuthenticatedProperty] = true;
            if (!string.IsNullOrEmpty(context.Request.ClientSecret) && context.Request.ClientId is { } clientId)
            {
                await throttle.RecordSuccessAsync(clientId, context.CancellationToken);
            }
        }
    }

    /// <summary>
    /// Before the reply is written: a failed client authentication (OpenIddict's <c>invalid_client</c> before the client was
    /// authenticated) gets one description and no error URI whatever the cause, costs one secret verification even when the
    /// client does not exist, is counted, and is audited.
    /// </summary>
    private sealed class AnswerFailuresAlike(TokenEndpointThrottle throttle, IOpenIddictApplicationManager applications, TradSysDbContext db,
        AuditTrail audit, TimeProvider clock) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
                .UseScopedHandler<AnswerFailuresAlike>()
                .SetOrder(OpenIddictServerHandlers.Exchange.NormalizeErrorResponse.Descriptor.Order + 1_000)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public async ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (context.Response.Error != Errors.InvalidClient || context.Transaction.Properties.ContainsKey(AuthenticatedProperty)
                || context.Transaction.Properties.ContainsKey(ThrottledUntilProperty))
            {
                return;
            }
            context.Response.ErrorDescription = FailureDescription;
            context.Response.ErrorUri = null;
            var clientId = context.Request?.ClientId;
            var secret = context.Request?.ClientSecret;
            var address = AddressOf(context.Transaction);
            if (!string.IsNullOrEmpty(secret))
            {
                // OpenIddict answered an unknown client before hashing anything: spend the hash a wrong secret costs.
                if ((string.IsNullOrEmpty(clientId) || await applications.FindByClientIdAsync(clientId, context.CancellationToken) is null)
                    && applications is ISecretCheckSpender spender)
                {
                    await spender.SpendSecretCheckAsync(secret, context.CancellationToken);
                }
                await throttle.RecordFailureAsync(clientId ?? "", address, context.CancellationToken);
            }
            await audit.AppendAsync(db, clock, ActorOf(clientId), "token.failed", $"address/{address ?? "unknown"}",
                new { clientId = ActorOf(clientId), address, grant = context.Request?.GrantType, reason = "client authentication failed" },
                context.CancellationToken);
        }
    }

    /// <summary>A throttled request is answered 429 with Retry-After (OpenIddict would answer 400).</summary>
    private sealed class AnswerThrottledWith429(TimeProvider clock) : IOpenIddictServerHandler<ApplyTokenResponseContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
                .UseSingletonHandler<AnswerThrottledWith429>()
                .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ApplyTokenResponseContext context)
        {
            if (context.Transaction.Properties.TryGetValue(ThrottledUntilProperty, out var value) && value is DateTimeOffset until
                && context.Transaction.GetHttpRequest()?.HttpContext.Response is { } response)
            {
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds))
                    .ToString(CultureInfo.InvariantCulture);
            }
            return default;
        }
    }
}

/// <summary>
/// OpenIddict's application manager with one addition: <see cref="SpendSecretCheckAsync"/> verifies a secret against a
/// stored hash made the way OpenIddict stores client secrets, so a request naming an unknown client costs what one with a
/// wrong secret costs and the timing does not tell which client ids exist.
/// </summary>
public sealed class TimingSafeApplicationManager<TApplication>(IOpenIddictApplicationCache<TApplication> cache,
    ILogger<OpenIddictApplicationManager<TApplication>> logger, IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<TApplication> store)
    : OpenIddictApplicationManager<TApplication>(cache, logger, options, store), ISecretCheckSpender where TApplication : class
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _comparand;

    public async Task SpendSecretCheckAsync(string secret, CancellationToken cancellationToken)
    {
        if (_comparand is null)
        {
            await Gate.WaitAsync(cancellationToken);
            try
            {
                _comparand ??= await ObfuscateClientSecretAsync(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
                    cancellationToken);
            }
            finally
            {
                Gate.Release();
            }
        }
        await ValidateClientSecretAsync(secret, _comparand, cancellationToken);
    }
}

/// <summary>Spends the cost of one client-secret verification (see <see cref="TimingSafeApplicationManager{TApplication}"/>).</summary>
public interface ISecretCheckSpender
{
    Task SpendSecretCheckAsync(string secret, CancellationToken cancellationToken);
}
