using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace TradSys.Web.Hosting;

/// <summary>
/// Makes every operation something a client generator can name and type (issue 14): an operationId derived from the
/// method and route when the endpoint has no name (GET /api/v1/orders/{id}/events is <c>getOrdersByIdEvents</c>; an
/// endpoint's own <c>WithName</c> wins), and its error responses as RFC 7807 problem details: 401 on every endpoint that
/// needs a token, 403 where a role policy applies, 404 where the route names a resource, and 4XX for the other refusals
/// (validation 400, conflicts, rate limits), unless the endpoint declares its own.
/// </summary>
internal sealed partial class ApiContractOperationTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        if (string.IsNullOrEmpty(operation.OperationId))
        {
            operation.OperationId = OperationId(description.HttpMethod ?? "GET", description.RelativePath ?? "");
        }
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policed = metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles));
        operation.Responses ??= [];
        if (!anonymous)
        {
            Add(operation, context, "401", "No token, or the token is expired or revoked");
        }
        if (!anonymous && policed)
        {
            Add(operation, context, "403", "The caller's roles do not allow this operation");
        }
        if ((description.RelativePath ?? "").Contains('{', StringComparison.Ordinal))
        {
            Add(operation, context, "404", "The resource the route names does not exist (or is not visible to the caller)");
        }
        if (!operation.Responses.Keys.Any(k => k.StartsWith('4') && k != "401" && k != "403" && k != "404"))
        {
            Add(operation, context, "4XX", "Refused: every problem with the request, field by field (RFC 7807)");
        }
        return Task.CompletedTask;
    }

    /// <summary>camelCase of the verb and the route after /api/v1, route parameters as By{Name}.</summary>
    internal static string OperationId(string method, string relativePath)
    {
        var path = RouteConstraint().Replace(relativePath, "}").Trim('/');
        if (path.StartsWith("api/v1/", StringComparison.OrdinalIgnoreCase))
        {
            path = path["api/v1/".Length..];
        }
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment.StartsWith('{'))
            {
                id.Append("By");
                Pascal(id, segment.Trim('{', '}', '?', '*'));
            }
            else
            {
                Pascal(id, segment);
            }
        }
        return id.ToString();
    }

    private static void Pascal(StringBuilder id, string segment)
    {
        foreach (var word in segment.Split(['-', '_', '.'], StringSplitOptions.RemoveEmptyEntries))
        {
            id.Append(char.ToUpper(word[0], CultureInfo.InvariantCulture)).Append(word.AsSpan(1));
        }
    }

    private static void Add(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.Document) },
            },
        };
    }

    [GeneratedRegex(@":[^}]*\}")]
    private static partial Regex RouteConstraint();
}
