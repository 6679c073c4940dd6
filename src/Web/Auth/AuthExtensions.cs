using System.Security.Cryptography.X509Certificates;
using OpenIddict.Validation.AspNetCore;
using TradSys.Web.Persistence;

namespace TradSys.Web.Auth;

/// <summary>OpenIddict server (tokens for API clients) and validation, and the role policies.</summary>
public static class AuthExtensions
{
    public static IHostApplicationBuilder AddPlatformAuth(this IHostApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection("Auth");
        var requireHttps = auth.GetValue("RequireHttps", false);
        var accessTokenMinutes = auth.GetValue("AccessTokenLifetimeMinutes", 60);

        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<TradSysDbContext>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris("connect/token");
                o.AllowClientCredentialsFlow();
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(accessTokenMinutes));
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
                var host = o.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (!requireHttps)
                {
                    host.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
                // Every request checks the token's database entry, so a revoked token or authorization stops working at once.
                o.EnableTokenEntryValidation();
                o.EnableAuthorizationEntryValidation();
            });

        builder.Services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Trade, p => p.RequireRole(Roles.Trader))
            .AddPolicy(Policies.Read, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Admin, Roles.Compliance, Roles.Regulator))
            .AddPolicy(Policies.ReadRulePacks, p => p.RequireRole(Roles.Admin, Roles.Compliance, Roles.Regulator))
            .AddPolicy(Policies.ManageRulePacks, p => p.RequireRole(Roles.Compliance))
            .AddPolicy(Policies.Reports, p => p.RequireRole(Roles.Admin, Roles.Compliance, Roles.Regulator))
            .AddPolicy(Policies.Tasks, p => p.RequireRole(Roles.Compliance, Roles.SeniorCompliance))
            .AddPolicy(Policies.ReadWorkflows, p => p.RequireRole(Roles.Admin, Roles.Compliance, Roles.SeniorCompliance, Roles.Regulator))
            .AddPolicy(Policies.ManageWorkflows, p => p.RequireRole(Roles.Compliance))
            .AddPolicy(Policies.ManageUsers, p => p.RequireRole(Roles.Admin));
        return builder;
    }
}
