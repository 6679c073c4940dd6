using System.Globalization;
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
    public ProductionPlatformFactory Node(string name, int leaseSeconds)
    {
        var settings = new Dictionary<string, string>(_keys.Settings)
        {
            ["Cluster:Enabled"] = "true",
            ["Cluster:NodeName"] = name,
            ["Cluster:LeaseSeconds"] = leaseSeconds.ToString(CultureInfo.InvariantCulture),
        };
        var node = new ProductionPlatformFactory(_nodes.Count == 0 ? null : _nodes[0].DatabaseName) { DropDatabaseOnDispose = false, Settings = settings };
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
