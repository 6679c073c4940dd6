using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components.Authorization;

namespace TradSys.Web.Portal.Services;

/// <summary>An API reply: the status, the value when it succeeded, and otherwise the problem's messages in plain words.</summary>
public sealed record ApiResult<T>(HttpStatusCode Status, T? Value, string? Error, IReadOnlyDictionary<string, string[]> FieldErrors)
{
    /// <summary>True for a 2xx reply.</summary>
    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>The reply's ETag (the version to send back in If-Match), when it has one.</summary>
    public string? ETag { get; init; }

    /// <summary>The problem document as the API sent it, when the reply was a problem (e.g. a rule pack's <c>errors</c> list).</summary>
    public JsonNode? Problem { get; init; }
}

/// <summary>
/// The portal drives the platform's REST API (the same validation, authorization and account ownership as any API
/// client) over the back channel, with the signed-in user's access token. When the token has expired inside a long-lived
/// circuit the reply says so: a page reload lets the session cookie refresh it.
/// </summary>
public sealed class PortalApi(PortalSession session, AuthenticationStateProvider authentication)
{
    /// <summary>JSON as the API writes it (camelCase, enums as strings).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>GET a JSON resource.</summary>
    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>POST a JSON body.</summary>
    public Task<ApiResult<T>> PostAsync<T>(string path, object body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>POST a JSON body with If-Match (an ETag read before): a resource changed since gets 412 (a delisting).</summary>
    public Task<ApiResult<T>> PostIfMatchAsync<T>(string path, object body, string? ifMatch, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken, ifMatch);

    /// <summary>
    /// POST JSON text exactly as given (a rule-pack draft from the editor): the API's line and column numbers then point
    /// into the very text the user sees.
    /// </summary>
    public Task<ApiResult<T>> PostJsonTextAsync<T>(string path, string json, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>POST a text document of another media type exactly as given (a CSV file to import); with <paramref name="ifMatch"/> (an ETag read before), a resource changed since gets 412.</summary>
    public Task<ApiResult<T>> PostTextAsync<T>(string path, string text, string mediaType, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, new StringContent(text, System.Text.Encoding.UTF8, mediaType), cancellationToken, ifMatch);

    /// <summary>PATCH a JSON body; with <paramref name="ifMatch"/> (an ETag read before), a resource changed since gets 412.</summary>
    public Task<ApiResult<T>> PatchAsync<T>(string path, object body, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Patch, path, body, cancellationToken, ifMatch);

    /// <summary>
    /// PUT a JSON body (a reply without a body, such as 204, has no value); with <paramref name="ifMatch"/> (an ETag read before) a
    /// resource changed since gets 412, and with <paramref name="ifNoneMatch"/> <c>*</c> a resource that exists already does.
    /// </summary>
    public Task<ApiResult<T>> PutAsync<T>(string path, object body, string? ifMatch = null, string? ifNoneMatch = null,
        CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Put, path, body, cancellationToken, ifMatch, ifNoneMatch);

    /// <summary>DELETE a resource; with <paramref name="ifMatch"/>, one changed since it was read gets 412 and stays.</summary>
    public Task<ApiResult<T>> DeleteAsync<T>(string path, string? ifMatch = null, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Delete, path, null, cancellationToken, ifMatch);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken,
        string? ifMatch = null, string? ifNoneMatch = null)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        var tokens = PortalSession.TokensOf(state.User);
        if (tokens is null)
        {
            return new(HttpStatusCode.Unauthorized, default, "You are not signed in.", Empty);
        }
        using var client = session.Client();
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        if (body is HttpContent content)
        {
            request.Content = content;
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new(response.StatusCode, text.Length == 0 ? default : JsonSerializer.Deserialize<T>(text, Json), null, Empty)
            {
                ETag = response.Headers.ETag?.ToString(),
            };
        }
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return new(response.StatusCode, default, "Your session needs renewing: reload the page.", Empty);
        }
        return Problem<T>(response.StatusCode, text);
    }

    /// <summary>Reads an RFC 7807 problem (and a rule decision, when the packs refused) into plain words.</summary>
    private static ApiResult<T> Problem<T>(HttpStatusCode status, string text)
    {
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
        }
        var fields = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (json?["errors"] is JsonObject errors)
        {
            foreach (var (field, messages) in errors)
            {
                fields[field] = messages is JsonArray a ? [.. a.Select(m => m?.GetValue<string>() ?? "")] : [];
            }
        }
        var message = json?["detail"]?.GetValue<string>() ?? json?["title"]?.GetValue<string>() ?? $"The platform answered {(int)status}.";
        return new(status, default, message, fields) { Problem = json };
    }

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();
}
