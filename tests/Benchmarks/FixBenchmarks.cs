using BenchmarkDotNet.Attributes;
using TradSys.Engine.Fix;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// The FIX 4.4 codec of issue 16 (DESIGN.md budget: under 1 µs per message, 0 bytes): parse and validate a NewOrderSingle
/// against the dictionary (framing with BodyLength and CheckSum, every field's format and enumeration, the parties group,
/// required tags), and encode an ExecutionReport into a reused buffer. The global setup checks that the order is valid
/// and that the encoded report frames and validates: a benchmark of a failing path would measure the wrong thing.
/// Run: <c>dotnet run -c Release --project tests/Benchmarks -- --filter '*FixBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class FixBenchmarks
{
    private static readonly DateTime Now = new(2026, 12, 7, 9, 0, 1, 250, DateTimeKind.Utc);
    private readonly FixMessage message = new();
    private readonly FixValidator validator = new();
    private readonly byte[] output = new byte[1024];
    private byte[] newOrderSingle = [];

    [GlobalSetup]
    public void Setup()
    {
        var w = new FixWriter(output, "FIX.4.4"u8, "D"u8);
        w.Add(FixTag.SenderCompId, "CLIENT1"u8);
        w.Add(FixTag.TargetCompId, "TRADSYS"u8);
        w.Add(FixTag.MsgSeqNum, 1842);
        w.AddUtcTimestamp(FixTag.SendingTime, Now);
        w.Add(FixTag.ClOrdId, "ORD-20261207-000042"u8);
        w.Add(FixTag.NoPartyIds, 2);
        w.Add(FixTag.PartyId, "BRK1"u8);
        w.Add(FixTag.PartyIdSource, 'D');
        w.Add(FixTag.PartyRole, 1);
        w.Add(FixTag.PartyId, "TRADER7"u8);
        w.Add(FixTag.PartyIdSource, 'D');
        w.Add(FixTag.PartyRole, 11);
        w.Add(FixTag.Account, "ACC-100234"u8);
        w.Add(FixTag.HandlInst, '1');
        w.Add(FixTag.Symbol, "COMI"u8);
        w.Add(FixTag.SecurityId, "EGS60121C018"u8);
        w.Add(FixTag.SecurityIdSource, "4"u8);
        w.Add(FixTag.Side, '1');
        w.AddUtcTimestamp(FixTag.TransactTime, Now);
        w.Add(FixTag.OrderQty, 1500m);
        w.Add(FixTag.OrdType, '2');
        w.Add(FixTag.Price, 81.25m);
        w.Add(FixTag.Currency, "EGP"u8);
        w.Add(FixTag.TimeInForce, '0');
        newOrderSingle = output.AsSpan(0, w.Finish()).ToArray();
        if (!ParseAndValidateNewOrderSingle())
        {
            throw new InvalidOperationException("The NewOrderSingle does not validate.");
        }

        int length = EncodeExecutionReport();
        if (!message.Parse(output.AsSpan(0, length)) || !validator.Validate(message).IsValid)
        {
            throw new InvalidOperationException("The encoded ExecutionReport does not validate.");
        }
    }

    [Benchmark]
    public bool ParseAndValidateNewOrderSingle() => message.Parse(newOrderSingle) && validator.Validate(message).IsValid;

    [Benchmark]
    public int EncodeExecutionReport()
    {
        var w = new FixWriter(output, "FIX.4.4"u8, "8"u8);
        w.Add(FixTag.SenderCompId, "TRADSYS"u8);
        w.Add(FixTag.TargetCompId, "CLIENT1"u8);
        w.Add(FixTag.MsgSeqNum, 2291);
        w.AddUtcTimestamp(FixTag.SendingTime, Now);
        w.Add(FixTag.OrderId, "O-000000918273"u8);
        w.Add(FixTag.ClOrdId, "ORD-20261207-000042"u8);
        w.Add(FixTag.ExecId, "E-000000551902"u8);
        w.Add(FixTag.ExecType, 'F');
        w.Add(FixTag.OrdStatus, '1');
        w.Add(FixTag.Account, "ACC-100234"u8);
        w.Add(FixTag.Symbol, "COMI"u8);
        w.Add(FixTag.Side, '1');
        w.Add(FixTag.OrderQty, 1500m);
        w.Add(FixTag.OrdType, '2');
        w.Add(FixTag.Price, 81.25m);
        w.Add(FixTag.LastQty, 500m);
        w.Add(FixTag.LastPx, 81.20m);
        w.Add(FixTag.LeavesQty, 1000m);
        w.Add(FixTag.CumQty, 500m);
        w.Add(FixTag.AvgPx, 81.20m);
        w.AddUtcTimestamp(FixTag.TransactTime, Now);
        return w.Finish();
    }
}
