using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authorization;
using TradSys.Web.Apis;

namespace TradSys.Web.Portal;

/// <summary>
/// Report downloads through the portal. A browser link cannot carry the bearer token the API wants, so the portal serves
/// <c>/portal/reports/runs/{id}/pdf|data|twin</c> behind its own cookie and <see cref="PortalRoles.Reports"/>, and fetches the
/// file from <c>/api/v1/reports/runs/{id}/...</c> over the back channel with the signed-in user's access token: the API still
/// decides which reports the user's roles may read. The reply is passed on as it came (status, type, file name, checksum
/// header, or the API's problem details).
/// </summary>
public static class PortalDownloads
{
    private static readonly string[] Kinds = ["pdf", "data", "twin"];

    /// <summary>Maps the download proxy.</summary>
    public static WebApplication MapPortalDownloads(this WebApplication app)
    {
        app.MapGet("/portal/reports/runs/{id:long}/{kind}", DownloadAsync)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PortalSession.Scheme, Roles = PortalRoles.Reports })
            .ExcludeFromDescription();
        return app;
    }

    private static async Task DownloadAsync(long id, string kind, HttpContext http, PortalSession session)
    {
        if (!Kinds.Contains(kind, StringComparer.Ordinal))
        {
            await Http.Problems.NotFound($"no download '{kind}': use pdf, data or twin").ExecuteAsync(http);
            return;
        }
        var tokens = PortalSession.TokensOf(http.User);
        if (tokens is null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        using var client = session.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/runs/{id}/{kind}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        http.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } type)
        {
            http.Response.ContentType = type.ToString();
        }
        if (response.Content.Headers.ContentDisposition is { } disposition)
        {
            http.Response.Headers.ContentDisposition = disposition.ToString();
        }
        if (response.Headers.TryGetValues(ReportsApi.ChecksumHeader, out var checksum))
        {
            http.Response.Headers[ReportsApi.ChecksumHeader] = checksum.ToArray();
        }
        await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
