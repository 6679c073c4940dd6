using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TradSys.Web.Tests.Support;

namespace TradSys.Integration.Tests;

/// <summary>
/// Nodes of one cluster on one PostgreSQL database, in process: each a <see cref="ProductionPlatformFactory"/> with
/// <c>Cluster:Enabled</c>, its own node name and the same token keys; the first creates the database, the others join it, and
/// the database is dropped once every node has stopped.
/// </summary>
internal sealed class ClusterNodes : IAsyncDisposable
{
    private readonly SharedKeys _keys = new();
    private readonly List<ProductionPlatformFactory> _nodes = [];

    /// <summary>A new node named <paramref name="name"/> holding or waiting for the writer's lease of <paramref name="leaseSeconds"/>.</summary>
    /// <param name="name">Its <c>Cluster:NodeName</c>.</param>
    /// <param name="leaseSeconds">Its <c>Cluster:LeaseSeconds</c>.</param>
    /// <param name="advertised">Listen on a real Kestrel at 127.0.0.1 and a free port and advertise that address
    /// (<c>Cluster:AdvertisedUrl</c>), so the other nodes can forward commands to it; otherwise the in-memory test server, advertising none.</param>
    public ProductionPlatformFactory Node(string name, int leaseSeconds, bool advertised = false)
    {
        var settings = new Dictionary<string, string>(_keys.Settings)
        {
            ["Cluster:Enabled"] = "true",
            ["Cluster:NodeName"] = name,
            ["Cluster:LeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
        };
        var port = 0;
        if (advertised)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            settings["urls"] = $"http://127.0.0.1:{port}";
            settings["Cluster:AdvertisedUrl"] = $"http://127.0.0.1:{port}";
        }
        var node = new ProductionPlatformFactory(_nodes.Count == 0 ? null : _nodes[0].DatabaseName) { DropDatabaseOnDispose = false, Settings = settings };
        if (advertised)
        {
            node.UseKestrel(port);
        }
        _nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        if (_nodes.Count > 0)
        {
            // No node drops the database (one stops before the others): a factory that never starts drops it at the end.
            await new ProductionPlatformFactory(_nodes[0].DatabaseName).DisposeAsync();
        }
        _keys.Dispose();
    }
}
