using System.Net;

namespace TradSys.LoadTest.Http;

/// <summary>The tool sends traffic to this machine only: a URL must name a loopback address (127.0.0.0/8, ::1, localhost).</summary>
public static class Loopback
{
    /// <summary>The endpoint of a loopback http URL; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static IPEndPoint EndPointOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"{url}: only http:// is supported (the tool talks to a server on this machine)");
        }
        IPAddress address;
        if (string.Equals(url.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out address!))
        {
            throw new ArgumentException($"{url}: give a loopback IP address (127.0.0.1 or [::1]); host names are not resolved");
        }
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"{url}: {address} is not a loopback address; the load tool sends traffic only to this machine (127.0.0.0/8, ::1)");
        }
        return new IPEndPoint(address, url.Port);
    }
}
