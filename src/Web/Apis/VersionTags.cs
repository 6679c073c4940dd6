using System.Globalization;

namespace TradSys.Web.Apis;

/// <summary>
/// The ETag of a versioned record (an account, a listing, a venue calendar) and the If-Match that sends it back: <c>W/"vN"</c>,
/// written and read the same way for every kind of record.
/// </summary>
internal static class VersionTags
{
    /// <summary>The ETag of version <paramref name="version"/>.</summary>
    public static string ETagOf(int version) => string.Create(CultureInfo.InvariantCulture, $"W/\"v{version}\"");

    /// <summary>The version in If-Match (W/"vN"), if sent; a 412 problem when it is not one of ours.</summary>
    /// <param name="http">The request.</param>
    /// <param name="record">What the version is of, for the problem ("this instrument").</param>
    /// <param name="readFrom">Where its ETag is read, for the problem ("GET /api/v1/instruments/{symbol}/listing").</param>
    /// <param name="expected">The version sent, or null when none was.</param>
    public static IResult? IfMatch(HttpContext http, string record, string readFrom, out int? expected)
    {
        expected = null;
        if (http.Request.Headers.IfMatch.Count == 0)
        {
            return null;
        }
        var tag = http.Request.Headers.IfMatch.ToString().Trim();
        if (tag.StartsWith("W/\"v", StringComparison.Ordinal) && tag.EndsWith('"') &&
            int.TryParse(tag.AsSpan(4, tag.Length - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            expected = version;
            return null;
        }
        return TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Changed since you read it",
            detail: $"If-Match '{tag}' is not a version of {record} (send the ETag of {readFrom}, e.g. W/\"v2\")");
    }
}
