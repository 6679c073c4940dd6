using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using static OpenIddict.Abstractions.OpenIddictConstants;
using TradSys.Web.Persistence;

namespace TradSys.Web.Auth;

/// <summary>
/// OpenIddict server (client credentials for API clients; authorization code + PKCE and rotating refresh tokens for the
/// portal), local validation of signed access tokens behind <see cref="BearerTokenHandler"/> (a cache of validated tokens and
/// the in-memory <see cref="RevocationSet"/>: no database read per request), the token endpoint's throttle, the identity
/// provider's login cookie, and the role policies.
/// </summary>
public static class AuthExtensions
{
    public static IHostApplicationBuilder AddPlatformAuth(this IHostApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection("Auth");
        var requireHttps = auth.GetValue("RequireHttps", false);
        var accessTokenMinutes = auth.GetValue("AccessTokenLifetimeMinutes", 60.0);
        builder.AddSharedDataProtection();

        builder.Services.AddOpenIddict()
            .AddCore(o =>
            {
                o.UseEntityFrameworkCore().UseDbContext<TradSysDbContext>();
                // Whatever OpenIddict revokes (a token at /connect/revoke, an authorization whose refresh token was replayed) is
                // recorded in token_revocations and reaches every node's revocation set.
                o.ReplaceTokenManager(typeof(RevocationRecordingTokenManager<>));
                o.ReplaceAuthorizationManager(typeof(RevocationRecordingAuthorizationManager<>));
                o.ReplaceApplicationManager(typeof(TimingSafeApplicationManager<>));
            })
            .AddServer(o =>
            {
                o.SetTokenEndpointUris("connect/token");
                o.SetAuthorizationEndpointUris("connect/authorize");
                o.SetEndSessionEndpointUris("connect/logout");
                o.SetRevocationEndpointUris("connect/revoke");
                o.AllowClientCredentialsFlow();
                // The portal: authorization code with PKCE (S256 only), refresh tokens rotated on every use (OpenIddict's rolling
                // refresh tokens) and no reuse leeway, so a refresh token that was already redeemed is refused (and its
                // authorization revoked: a replay means it leaked).
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.AllowRefreshTokenFlow();
                o.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                o.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                o.SetRefreshTokenLifetime(TimeSpan.FromMinutes(auth.GetValue("RefreshTokenLifetimeMinutes", 12 * 60)));
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(accessTokenMinutes));
                // Access tokens are signed JWTs, not encrypted: they carry no secret (user id, name, roles, token version), and
                // checking an RSA signature once per token and node costs far less than unwrapping an RSA-encrypted key on every
                // request. Codes and refresh tokens stay encrypted.
                o.DisableAccessTokenEncryption();
                foreach (var handler in TokenEndpointThrottle.Handlers)
                {
                    o.AddEventHandler(handler);
                }
                var signing = auth["SigningCertificatePath"];
                var encryption = auth["EncryptionCertificatePath"];
                if (!string.IsNullOrEmpty(signing) && !string.IsNullOrEmpty(encryption))
                {
                    // Production: every node shares the same keys, so a token from one node is valid on all.
                    o.AddSigningCertificate(X509CertificateLoader.LoadPkcs12FromFile(signing, auth["SigningCertificatePassword"]));
                    o.AddEncryptionCertificate(X509CertificateLoader.LoadPkcs12FromFile(encryption, auth["EncryptionCertificatePassword"]));
                }
                else
                {
                    // Embedded mode: keys live for the life of the process; clients fetch a new token after a restart.
                    o.AddEphemeralSigningKey().AddEphemeralEncryptionKey();
                }
                var host = o.UseAspNetCore().EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough().EnableEndSessionEndpointPassthrough();
                if (!requireHttps)
                {
                    host.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                // Local validation with the server's keys, no token or authorization entry read per request (OpenIddict 7.9 fixed
                // the advisory that made both necessary): BearerTokenHandler calls it once per new token and checks revocations
                // in memory on every request. Tokens are taken from the Authorization header only (RFC 6750 section 2.3).
                o.UseLocalServer();
                o.UseAspNetCore().DisableAccessTokenExtractionFromQueryString().DisableAccessTokenExtractionFromBodyForm();
            });

        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.Configure<LoginThrottleOptions>(auth.GetSection("Login"));
        builder.Services.AddSingleton<TokenEndpointThrottle>();
        builder.Services.AddOptions<TokenEndpointThrottleOptions>().Bind(auth.GetSection("TokenEndpoint"))
            .Validate(o => o.MaxFailuresPerClient > 0 && o.MaxFailuresPerAddress > 0 && o.WindowMinutes > 0,
                "Auth:TokenEndpoint:MaxFailuresPerClient, MaxFailuresPerAddress and WindowMinutes must be positive")
            .ValidateOnStart();
        builder.Services.AddOptions<RevocationOptions>().Bind(auth.GetSection("Revocation"))
            .Validate(o => o.PollMilliseconds > 0 && o.LookbackSeconds >= 0 && (long)o.MaxStalenessSeconds * 1000 > 2L * o.PollMilliseconds,
                "Auth:Revocation:PollMilliseconds must be positive and MaxStalenessSeconds more than two poll intervals " +
                "(otherwise bearer tokens would be refused between polls)")
            .ValidateOnStart();
        builder.Services.Configure<AccessTokenCacheOptions>(auth.GetSection("TokenCache"));
        builder.Services.AddSingleton<RevocationSet>();
        builder.Services.AddSingleton<RevocationLedger>();
        builder.Services.AddSingleton<AccessTokenCache>();
        builder.Services.AddSingleton<RevocationFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RevocationFeed>());
        builder.Services.AddHealthChecks().AddCheck<RevocationHealthCheck>("token-revocations", tags: ["ready"]);
        builder.Services.AddAntiforgery();
        builder.Services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            // The identity provider's own short sign-in: set by the login form, read once by /connect/authorize to issue the code.
            .AddCookie(BrowserSignIn.LoginScheme, o =>
            {
                o.Cookie.Name = "tradsys.login";
                o.Cookie.Path = "/connect";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                o.SlidingExpiration = false;
            });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Trade, p => p.RequireRole(Roles.Trader))
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Admin, Roles.Compliance, Roles.Regulator))
            .AddPolicy(Policies.ReadRulePacks, p => p.RequireRole(Roles.Admin, Roles.Compliance, Roles.Regulator))
            .AddPolicy(Policies.ManageRulePacks, p => p.RequireRole(Roles.Compliance))
            .AddPolicy(Policies.Reports, p => p.RequireRole(Roles.Admin, Roles.Compliance, Roles.Regulator, Roles.Risk))
            .AddPolicy(Policies.Tasks, p => p.RequireRole(Roles.Compliance, Roles.SeniorCompliance))
            .AddPolicy(Policies.ReadWorkflows, p => p.RequireRole(Roles.Admin, Roles.Compliance, Roles.SeniorCompliance, Roles.Regulator))
            .AddPolicy(Policies.ManageWorkflows, p => p.RequireRole(Roles.Compliance))
            .AddPolicy(Policies.ReadRisk, p => p.RequireRole(Roles.Risk, Roles.Admin, Roles.Compliance, Roles.Regulator))
            .AddPolicy(Policies.ManageRisk, p => p.RequireRole(Roles.Risk, Roles.Admin))
            .AddPolicy(Policies.ManageCash, p => p.RequireRole(Roles.Operations, Roles.Admin))
            .AddPolicy(Policies.ManageAccounts, p => p.RequireRole(Roles.Operations, Roles.Admin))
            .AddPolicy(Policies.ManageInstruments, p => p.RequireRole(Roles.Operations, Roles.Admin))
            .AddPolicy(Policies.ManageReferencePrices, p => p.RequireRole(Roles.Operations, Roles.Admin))
            .AddPolicy(Policies.ReadReferencePrices, p => p.RequireRole(Roles.Operations, Roles.Admin, Roles.Risk, Roles.Compliance))
            .AddPolicy(Policies.ManageUsers, p => p.RequireRole(Roles.Admin));
        return builder;
    }
}
