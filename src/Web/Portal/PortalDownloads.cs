using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authorization;
using TradSys.Web.Apis;

namespace TradSys.Web.Portal;

/// <summary>
/// Downloads through the portal. A browser link cannot carry the bearer token the API wants, so the portal serves
/// <c>/portal/reports/runs/{id}/pdf|data|twin</c> (behind <see cref="PortalRoles.Reports"/>) and <c>/portal/audit/export</c> (the
/// audit trail as CSV, behind <see cref="PortalRoles.Audit"/>) behind its own cookie, and fetches the file from the API
/// (<c>/api/v1/reports/runs/{id}/...</c>, <c>/api/v1/audit/export</c> with the same query) over the back channel with the
/// signed-in user's access token: the API still decides what the user's roles may read. The reply is passed on as it came
/// (status, type, file name, checksum header, or the API's problem details), streamed.
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
        app.MapGet("/portal/audit/export", (HttpContext http, PortalSession session) =>
                ProxyAsync(http, session, "/api/v1/audit/export" + http.Request.QueryString.Value))
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = PortalSession.Scheme, Roles = PortalRoles.Audit })
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
        await ProxyAsync(http, session, $"/api/v1/reports/runs/{id}/{kind}");
    }

    private static async Task ProxyAsync(HttpContext http, PortalSession session, string apiPath)
    {
        var tokens = PortalSession.TokensOf(http.User);
        if (tokens is null)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        using var client = session.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, apiPath);
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
