using TradSys.LoadTest.Http;
using TradSys.LoadTest.Load;

namespace TradSys.LoadTest.Orders;

/// <summary>
/// The authenticated GET benchmark: GET /api/v1/instruments/{symbol}/quote with a trader's token, the symbols in turn.
/// A 200 must carry a quote of the symbol asked for (a JSON object with its "symbol"); anything else counts as a bad reply.
/// </summary>
public sealed class QuoteFlow : ILoadSession
{
    private readonly string _token;
    private readonly string[] _paths;
    private readonly byte[][] _symbols;
    private int _next;
    private int _current;

    public QuoteFlow(int connection, string token, IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _token = token;
        _paths = [.. symbols.Select(s => $"/api/v1/instruments/{Uri.EscapeDataString(s)}/quote")];
        _symbols = [.. symbols.Select(s => System.Text.Encoding.UTF8.GetBytes($"\"symbol\":\"{s}\""))];
        _next = connection % _paths.Length;
    }

    public RequestKind Next(LoadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _current = _next;
        _next = (_next + 1) % _paths.Length;
        request.BearerToken = _token;
        request.Reset(HttpVerb.Get, _paths[_current]);
        return RequestKind.Quote;
    }

    public void OnAnswer(RequestKind kind, int status, ReadOnlySpan<byte> body, SessionStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        if (status is >= 200 and < 300)
        {
            if (body.IndexOf(_symbols[_current]) < 0)
            {
                stats.CountBadReply($"quote: the reply does not name the symbol asked for: {ProblemText.Describe(body)}");
            }
            return;
        }
        stats.CountProblem(status, ProblemText.Describe(body));
    }

    public void OnLost(RequestKind kind)
    {
    }

    public void Flush()
    {
    }
}
