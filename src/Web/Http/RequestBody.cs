using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace TradSys.Web.Http;

/// <summary>
/// Reads a JSON request body with a size cap and turns every way it can be wrong into a problem
/// (RFC 7807) that says what and where: not JSON, wrong type at a path, too large, empty.
/// Reading by hand, rather than binding, is what lets the message name the line and position.
/// </summary>
public static class RequestBody
{
    /// <summary>Order-entry bodies are small; anything larger is refused before it is parsed.</summary>
    public const int DefaultMaxBytes = 16 * 1024;

    /// <summary>Reads and deserializes the body; <paramref name="options"/> defaults to the host's JSON options.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http, int maxBytes = DefaultMaxBytes,
        JsonSerializerOptions? options = null)
        where T : class
    {
        var (buffer, problem) = await ReadBytesAsync(http, maxBytes);
        if (problem is not null)
        {
            return (null, problem);
        }

        options ??= http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer!.GetBuffer().AsSpan(0, (int)buffer.Length), options);
            return value is null
                ? (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid body", detail: "the body is JSON null"))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path;
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "";
            var what = Describe(ex, path);
            return (null, TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [path] = [$"{what}{where}"] },
                title: "Malformed JSON",
                detail: $"the body is not valid JSON for this request: {what}{where}"));
        }
    }

    /// <summary>
    /// The body as text, with the same size cap, media-type and emptiness checks, for endpoints whose body is a
    /// document parsed by its own loader (rule packs), so that its messages count lines in the text as sent.
    /// </summary>
    public static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpContext http, int maxBytes = DefaultMaxBytes)
    {
        var (buffer, problem) = await ReadBytesAsync(http, maxBytes);
        return problem is not null ? (null, problem) : (System.Text.Encoding.UTF8.GetString(buffer!.GetBuffer(), 0, (int)buffer.Length), null);
    }

    private static async Task<(MemoryStream? Buffer, IResult? Problem)> ReadBytesAsync(HttpContext http, int maxBytes)
    {
        var request = http.Request;
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(request.ContentLength.Value, maxBytes));
        }
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"the body must be JSON with Content-Type: application/json; got '{request.ContentType ?? "none"}'"));
        }

        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(buffer.Length + read, maxBytes));
            }
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty body",
                detail: "the request needs a JSON body"));
        }
        return (buffer, null);
    }

    /// <summary>System.Text.Json's messages name .NET types; say the same thing in the API's terms.</summary>
    private static string Describe(JsonException ex, string path)
    {
        var message = ex.Message;
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return $"the value at {path} has the wrong type";
        }
        if (message.StartsWith("The JSON property", StringComparison.Ordinal) && message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var name = message.Split('\'', 3) is [_, var n, _] ? n : path;
            return $"unknown field '{name}'";
        }
        return message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
    }

    private static IResult TooLarge(long size, int maxBytes) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"the body is {size} bytes or more; this endpoint takes at most {maxBytes} bytes");
}
