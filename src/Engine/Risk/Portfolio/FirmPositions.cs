namespace TradSys.Engine.Risk.Portfolio;

/// <summary>
/// The firm's aggregate positions for its VaR: every account's position in an instrument, already valued in one currency, summed per
/// instrument (a long in one account and a short in another offset), in ordinal order of the symbols; instruments that net to exactly
/// zero are left out. The firm's VaR is then <see cref="PositionVar.Compute"/> of these exposures, the same method as per account.
/// </summary>
public static class FirmPositions
{
    /// <summary>The net exposure per instrument of <paramref name="positions"/> (symbol, value; negative when short).</summary>
    public static (string[] Symbols, double[] Exposures) Net(IEnumerable<(string Symbol, double Value)> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var net = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (symbol, value) in positions)
        {
            net[symbol] = net.GetValueOrDefault(symbol) + value;
        }
        var held = net.Where(p => p.Value != 0).ToList();
        return ([.. held.Select(p => p.Key)], [.. held.Select(p => p.Value)]);
    }
}
