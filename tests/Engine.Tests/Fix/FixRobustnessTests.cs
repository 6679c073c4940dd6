using System.Text;
using TradSys.Engine.Fix;
using static TradSys.Engine.Tests.Fix.FixText;

namespace TradSys.Engine.Tests.Fix;

/// <summary>Garbage from a peer is an outcome, never an exception: seeded mutations of valid messages, fed in sequence.</summary>
public class FixRobustnessTests
{
    private static readonly string[] Valid =
    [
        "35=D|11=ID|453=1|448=BRK1|447=D|452=1|21=1|40=2|44=81.25|54=1|38=100|55=COMI|60=20261207-09:00:00",
        "35=8|37=O1|17=E1|150=F|39=2|55=COMI|54=1|151=0|14=10|6=81.25|32=10|31=81.25",
        "35=W|262=MD1|55=COMI|268=2|269=0|270=81.2|271=100|269=1|270=81.3|271=50",
        "35=2|7=1|16=0",
        "35=4|123=Y|36=5",
        "35=1|112=HELLO",
    ];

    [Fact]
    public void Mutated_messages_in_sequence_are_delivered_or_answered_by_fix_rules_and_never_throw()
    {
        var random = new Random(16);
        var parser = new FixMessage();
        var validator = new FixValidator();
        int answered = 0, delivered = 0;
        for (int round = 0; round < 400; round++)
        {
            var output = new RecordingOutput();
            var session = new FixSession(new FixSessionSettings { SenderCompId = "ISLD", TargetCompId = "TW44", Role = FixSessionRole.Acceptor },
                new InMemoryFixSessionStore(), output);
            session.OnConnected(T0);
            session.OnReceived(Message($"35=A|34=1|49=TW44|52={Time(T0)}|56=ISLD|98=0|108=30"), T0);
            for (int seq = 2; seq < 12 && session.State == FixSessionState.Active; seq++)
            {
                string body = Valid[random.Next(Valid.Length)];
                int split = body.IndexOf('|', StringComparison.Ordinal);
                string fields = Mutate(random, body[(split + 1)..]);
                byte[] bytes = Message($"{body[..split]}|34={seq}|49=TW44|52={Time(T0)}|56=ISLD|{fields}");

                if (parser.Parse(bytes))
                {
                    validator.Validate(parser);
                }

                int sentBefore = output.Sent.Count, deliveredBefore = output.Delivered.Count;
                bool inSequence = session.NextTargetMsgSeqNum == seq;
                session.OnReceived(bytes, T0);
                foreach (string reject in output.Sent.Skip(sentBefore).Where(m => Get(m, 35) == "3"))
                {
                    Assert.Equal(seq.ToString(System.Globalization.CultureInfo.InvariantCulture), Get(reject, 45));
                    Assert.NotNull(Get(reject, 373));
                }

                answered += output.Sent.Count - sentBefore;
                delivered += output.Delivered.Count - deliveredBefore;
                Assert.True(!inSequence || output.Sent.Count > sentBefore || output.Delivered.Count > deliveredBefore || output.Disconnects.Count > 0
                    || Get(Text(bytes), 35) is "0" or "4" or "2" or "3",
                    "A message in sequence got no outcome: " + Text(bytes));
            }
        }

        Assert.True(answered > 100 && delivered > 100, $"mutations should hit both paths: {answered} answered, {delivered} delivered");
    }

    private static string Mutate(Random random, string fields)
    {
        var parts = fields.Split('|').ToList();
        switch (random.Next(8))
        {
            case 0:
                parts.RemoveAt(random.Next(parts.Count));
                break;
            case 1:
                parts.Insert(random.Next(parts.Count + 1), parts[random.Next(parts.Count)]);
                break;
            case 2:
                int i = random.Next(parts.Count);
                parts[i] = parts[i][..(parts[i].IndexOf('=', StringComparison.Ordinal) + 1)];
                break;
            case 3:
                int j = random.Next(parts.Count);
                parts[j] = parts[j] + (char)random.Next(33, 127);
                break;
            case 4:
                parts.Insert(random.Next(parts.Count + 1), random.Next(20_000).ToString(System.Globalization.CultureInfo.InvariantCulture) + "=X");
                break;
            case 5:
                var bytes = Encoding.ASCII.GetBytes(string.Join('|', parts));
                bytes[random.Next(bytes.Length)] = (byte)random.Next(2, 127);
                return Encoding.ASCII.GetString(bytes);
            default:
                break;
        }

        return string.Join('|', parts);
    }
}
