using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradSys.Web.Hosting;

/// <summary>Describes the OAuth 2.0 client-credentials flow in the OpenAPI document so the reference page can get a token.</summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "TradSys API";
        document.Info.Description =
            "Compliance-first order entry for EGX, ADX and the internal venue. Get a token with POST /connect/token " +
            "(grant_type=client_credentials, client_id, client_secret) and send it as 'Authorization: Bearer <token>'. " +
            "Errors are RFC 7807 problem details with field-level messages.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["oauth2"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow { TokenUrl = new Uri("/connect/token", UriKind.Relative) },
            },
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("oauth2", document)] = [] });
        return Task.CompletedTask;
    }
}
