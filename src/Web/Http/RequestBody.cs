using System.Buffers;
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

    private const string JsonMediaType = "application/json";

    /// <summary>Reads and deserializes the body; <paramref name="options"/> defaults to the host's JSON options.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http, int maxBytes = DefaultMaxBytes,
        JsonSerializerOptions? options = null)
        where T : class
    {
        var (buffer, length, problem) = await ReadBytesAsync(http, maxBytes);
        if (problem is not null)
        {
            return (null, problem);
        }

        options ??= http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), options);
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
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }

    /// <summary>
    /// The body as text, with the same size cap, media-type and emptiness checks, for endpoints whose body is a
    /// document parsed by its own loader (rule packs), so that its messages count lines in the text as sent.
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="maxBytes">The size cap (413 beyond it).</param>
    /// <param name="mediaType">The media type the body must declare (415 otherwise): JSON unless the endpoint takes another document (CSV).</param>
    public static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpContext http, int maxBytes = DefaultMaxBytes,
        string mediaType = JsonMediaType)
    {
        var (buffer, length, problem) = await ReadBytesAsync(http, maxBytes, mediaType);
        if (problem is not null)
        {
            return (null, problem);
        }
        try
        {
            return (System.Text.Encoding.UTF8.GetString(buffer!, 0, length), null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer!);
        }
    }

    /// <summary>
    /// The body in a buffer rented from the shared pool (the caller returns it when there is no problem), sized from the
    /// declared length: an order is read without allocating per request.
    /// </summary>
    private static async Task<(byte[]? Buffer, int Length, IResult? Problem)> ReadBytesAsync(HttpContext http, int maxBytes,
        string mediaType = JsonMediaType)
    {
        var request = http.Request;
        if (request.ContentLength > maxBytes)
        {
            return (null, 0, TooLarge(request.ContentLength.Value, maxBytes));
        }
        if (request.ContentType is null || !request.ContentType.StartsWith(mediaType, StringComparison.OrdinalIgnoreCase))
        {
            var what = mediaType == JsonMediaType ? "JSON" : mediaType;
            return (null, 0, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"the body must be {what} with Content-Type: {mediaType}; got '{request.ContentType ?? "none"}'"));
        }

        // One more byte than declared, so a body longer than its Content-Length is still read to its end and measured.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min((request.ContentLength ?? 1024) + 1, maxBytes + 1L));
        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted)) > 0)
            {
                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0, TooLarge(length, maxBytes));
                }
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Empty body",
                detail: $"the request needs a {(mediaType == JsonMediaType ? "JSON" : mediaType)} body"));
        }
        return (buffer, length, null);
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
