using System.Globalization;

namespace TradSys.Engine.Tests.Support;

/// <summary>One line of a gen-orders stream: a GTC limit place or a cancel. Shared by the replay tool and the differential test.</summary>
public readonly record struct ReplayOp(bool IsCancel, long OrderId, long OwnerId, bool IsBuy, long Price, long Quantity);

/// <summary>Counts that any correct price-time matcher produces for the same stream.</summary>
/// <param name="Trades">Matches between an incoming order and one resting order.</param>
/// <param name="Volume">The sum of the matched quantities.</param>
/// <param name="CancelOk">Cancels of an order that was still resting.</param>
/// <param name="CancelMiss">Cancels of an order that was no longer resting.</param>
/// <param name="Resting">Orders resting at the end.</param>
public readonly record struct ReplayCheck(long Trades, long Volume, long CancelOk, long CancelMiss, long Resting)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"trades={Trades} volume={Volume} cancelOk={CancelOk} cancelMiss={CancelMiss} resting={Resting}");
}

/// <summary>
/// Reads and generates the streams of <c>../shared/bench/gen-orders.cs</c>. <see cref="Generate"/> is a copy of
/// that tool's logic (same seeded <see cref="Random"/> draws in the same order), so a seed gives the same stream.
/// </summary>
public static class ReplayStream
{
    private const long Mid = 100_000;
    private const int Target = 5_000;

    /// <summary>Parses a stream file: a header line starting with '#', then P,id,owner,B|S,price,qty or C,id,owner.</summary>
    public static ReplayOp[] Parse(string path)
    {
        var ops = new List<ReplayOp>(1 << 20);
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            ops.Add(ParseLine(line));
        }

        return [.. ops];
    }

    public static ReplayOp ParseLine(ReadOnlySpan<char> line)
    {
        Span<Range> parts = stackalloc Range[7];
        int n = line.Split(parts, ',');
        long id = long.Parse(line[parts[1]], CultureInfo.InvariantCulture);
        long owner = long.Parse(line[parts[2]], CultureInfo.InvariantCulture);
        if (line[0] == 'C' && n == 3)
        {
            return new ReplayOp(true, id, owner, false, 0, 0);
        }

        if (line[0] != 'P' || n != 6)
        {
            throw new FormatException($"Not a stream line: '{line}'.");
        }

        bool isBuy = line[parts[3]] is "B";
        long price = long.Parse(line[parts[4]], CultureInfo.InvariantCulture);
        long qty = long.Parse(line[parts[5]], CultureInfo.InvariantCulture);
        return new ReplayOp(false, id, owner, isBuy, price, qty);
    }

    /// <summary>The stream gen-orders.cs writes for <paramref name="kind"/> ("A" or "B"), <paramref name="count"/> and <paramref name="seed"/>.</summary>
    public static ReplayOp[] Generate(string kind, int count, int seed)
    {
        var rnd = new Random(seed);
        var live = new List<long>();
        long nextId = 1;
        var ops = new ReplayOp[count];
        for (int i = 0; i < count; i++)
        {
            bool cancel = kind == "A" ? live.Count > 0 && rnd.NextDouble() < 0.30 : live.Count > Target;
            if (cancel)
            {
                int k = rnd.Next(live.Count);
                long id = live[k];
                live[k] = live[^1];
                live.RemoveAt(live.Count - 1);
                ops[i] = new ReplayOp(true, id, OwnerOf(id), false, 0, 0);
                continue;
            }

            bool isBuy = rnd.Next(2) == 0;
            bool aggressive = rnd.NextDouble() < 0.10;
            long price;
            if (aggressive)
            {
                price = isBuy ? Mid + 1 + rnd.Next(5) : Mid - 1 - rnd.Next(5);
            }
            else
            {
                double g = Math.Abs(Normal(rnd)) * 100.0;
                long off = 1 + Math.Min(299, (long)g);
                price = isBuy ? Mid - off : Mid + off;
            }

            long qty = 1 + rnd.Next(100);
            long oid = nextId++;
            ops[i] = new ReplayOp(false, oid, OwnerOf(oid), isBuy, price, qty);
            if (!aggressive)
            {
                live.Add(oid);
            }
        }

        return ops;
    }

    private static long OwnerOf(long id) => 1 + (id % 1000);

    private static double Normal(Random r)
    {
        double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
