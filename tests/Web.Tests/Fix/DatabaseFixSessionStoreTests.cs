using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TradSys.Engine.Fix;
using TradSys.Web.Fix;
using TradSys.Web.Persistence;
using TradSys.Web.Tests.Support;

namespace TradSys.Web.Tests.Fix;

/// <summary>
/// A FIX session's numbers and sent messages kept in the platform's database (the embedded SQLite here; the PostgreSQL case runs
/// against QuickFIX in the integration tests): what one store wrote, a store opened later for the same session reads.
/// </summary>
public sealed class DatabaseFixSessionStoreTests : IAsyncDisposable
{
    private readonly PlatformFactory _platform = new();

    public ValueTask DisposeAsync() => _platform.DisposeAsync();

    private DatabaseFixSessionStore Open(string id) =>
        DatabaseFixSessionStore.Open(_platform.Services.GetRequiredService<DatabaseSettings>(), id, TimeProvider.System);

    [Fact]
    public void Numbers_and_sent_messages_survive_a_reopen_and_a_reset_clears_them()
    {
        var id = DatabaseFixSessionStore.IdOf(new FixSessionSettings { SenderCompId = "BROKER1", TargetCompId = "EGX" });
        Assert.Equal("FIX.4.4:BROKER1->EGX", id);
        using (var store = Open(id))
        {
            Assert.Equal(1, store.NextSenderMsgSeqNum);
            Assert.Equal(1, store.NextTargetMsgSeqNum);
            Assert.Null(store.SessionStartUtc);
            store.Save(1, "8=FIX.4.4|35=A|34=1|"u8);
            store.Save(2, "8=FIX.4.4|35=D|34=2|"u8);
            Assert.Equal(3, store.NextSenderMsgSeqNum);
            store.NextTargetMsgSeqNum = 5;
            store.Commit();
        }

        var start = new DateTime(2026, 12, 7, 7, 0, 0, DateTimeKind.Utc);
        using (var reopened = Open(id))
        {
            Assert.Equal(3, reopened.NextSenderMsgSeqNum);
            Assert.Equal(5, reopened.NextTargetMsgSeqNum);
            Assert.True(reopened.TryGet(2, out var second));
            Assert.Equal("8=FIX.4.4|35=D|34=2|", Encoding.ASCII.GetString(second.Span));
            Assert.False(reopened.TryGet(3, out _));
            // A resend keeps its number; saving it again replaces the kept copy and does not move the sender number back.
            reopened.Save(2, "8=FIX.4.4|35=D|34=2|43=Y|"u8);
            Assert.Equal(3, reopened.NextSenderMsgSeqNum);
            reopened.Reset(start);
            Assert.Equal(1, reopened.NextSenderMsgSeqNum);
            Assert.False(reopened.TryGet(1, out _));
        }

        using var afterReset = Open(id);
        Assert.Equal(1, afterReset.NextSenderMsgSeqNum);
        Assert.Equal(1, afterReset.NextTargetMsgSeqNum);
        Assert.Equal(start, afterReset.SessionStartUtc);
        Assert.False(afterReset.TryGet(2, out _));
    }

    [Fact]
    public void Sessions_keep_their_own_numbers()
    {
        using var egx = Open(DatabaseFixSessionStore.IdOf(new FixSessionSettings { SenderCompId = "BROKER1", TargetCompId = "EGX" }));
        using var adx = Open(DatabaseFixSessionStore.IdOf(new FixSessionSettings { SenderCompId = "BROKER1", TargetCompId = "ADX" }, "primary"));
        egx.Save(1, "egx"u8);
        egx.NextTargetMsgSeqNum = 7;
        Assert.Equal(1, adx.NextSenderMsgSeqNum);
        Assert.Equal(1, adx.NextTargetMsgSeqNum);
        Assert.False(adx.TryGet(1, out _));
        Assert.Equal("FIX.4.4:BROKER1->ADX:primary", adx.SessionId);
    }
}
