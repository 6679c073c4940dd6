using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using TradSys.Engine.Fix;

namespace TradSys.Web.Fix;

/// <summary>
/// One FIX connection's bytes: a TCP socket, or TLS over it (<see cref="FixServerTls"/>, <see cref="FixClientTls"/>), read and
/// written through <c>System.IO.Pipelines</c>. It cuts what it reads into
/// whole messages with <see cref="FixFramer"/> (bytes that cannot be framed are skipped and counted: FIX ignores a garbled
/// message) and buffers what it is given to write until <see cref="FlushAsync"/>. It knows nothing of the session. Not
/// thread-safe for writing: its owner serialises <see cref="Write"/>, <see cref="FlushAsync"/> and <see cref="Close"/>.
/// </summary>
internal sealed class FixSocketConnection
{
    /// <summary>The longest message expected; a longer one is dropped as garbage.</summary>
    private const int MaxMessage = 64 * 1024;

    private readonly Socket socket;
    private readonly Stream stream;
    private readonly PipeReader reader;
    private readonly PipeWriter writer;
    private readonly CancellationTokenSource closing = new();
    private readonly byte[] scratch = new byte[MaxMessage];
    private int closed;

    private FixSocketConnection(Socket socket, Stream stream)
    {
        this.socket = socket;
        this.stream = stream;
        reader = PipeReader.Create(stream);
        writer = PipeWriter.Create(stream);
    }

    /// <summary>How many garbled stretches of bytes were skipped (for the log).</summary>
    public int GarbledSkipped { get; private set; }

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    public bool IsClosed => Volatile.Read(ref closed) != 0;

    /// <summary>Whether the bytes go over TLS.</summary>
    public bool IsTls => stream is System.Net.Security.SslStream;

    /// <summary>The certificate the peer presented in the TLS handshake; null over plain TCP or when it presented none.</summary>
    public X509Certificate2? RemoteCertificate => (stream as System.Net.Security.SslStream)?.RemoteCertificate switch
    {
        null => null,
        X509Certificate2 certificate => certificate,
        { } other => X509CertificateLoader.LoadCertificate(other.GetRawCertData()),
    };

    /// <summary>Opens a TCP connection (Nagle off: FIX messages are small and latency matters), then TLS over it when given.</summary>
    /// <param name="endPoint">The peer.</param>
    /// <param name="tls">The client's TLS, or null for plain TCP.</param>
    /// <param name="cancellationToken">Cancels the connect and the handshake.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="FixTlsException">The TLS handshake failed (the socket is closed).</exception>
    public static async Task<FixSocketConnection> ConnectAsync(EndPoint endPoint, FixClientTls? tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await OverAsync(socket, tls is null ? null : stream => tls.AuthenticateAsync(stream, cancellationToken));
    }

    /// <summary>Wraps a socket a listener accepted (Nagle off, as for a connection opened here), after the TLS handshake when given.</summary>
    /// <param name="socket">The accepted socket; the connection owns it (closed here when the handshake fails).</param>
    /// <param name="tls">The server's TLS, or null for plain TCP.</param>
    /// <param name="cancellationToken">Gives up the handshake.</param>
    /// <returns>The connection.</returns>
    /// <exception cref="FixTlsException">The TLS handshake failed or the client's certificate was refused.</exception>
    public static async Task<FixSocketConnection> AcceptedAsync(Socket socket, FixServerTls? tls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return await OverAsync(socket, tls is null ? null : stream => tls.AuthenticateAsync(stream, cancellationToken));
    }

    /// <summary>The connection over a connected socket (Nagle off), through a TLS handshake when given; the socket is closed if it fails.</summary>
    private static async Task<FixSocketConnection> OverAsync(Socket socket, Func<Stream, Task<Stream>>? handshake)
    {
        try
        {
            socket.NoDelay = true;
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (handshake is not null)
            {
                stream = await handshake(stream);
            }

            return new FixSocketConnection(socket, stream);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the first whole message (an acceptor must see the Logon's CompIDs before it knows the session), leaving whatever
    /// follows it for <see cref="ReadFramesAsync"/>. Garbage before it (a Logon with a wrong BodyLength or CheckSum, or bytes
    /// that are not FIX) ends the read: a peer that cannot frame its first message is not waited for.
    /// </summary>
    /// <param name="cancellationToken">Gives up (the caller closes the connection).</param>
    /// <returns>A copy of the message; an empty array when garbage came first; null when the peer closed the connection first.</returns>
    public async Task<byte[]?> ReadFirstFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (TryCut(ref buffer, out var frame, out _) && GarbledSkipped == 0)
            {
                var copy = frame.ToArray();
                reader.AdvanceTo(buffer.Start);
                return copy;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (GarbledSkipped > 0)
            {
                return [];
            }

            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>The most messages handed over in one call of <see cref="ReadFramesAsync"/>'s delegate.</summary>
    private const int MaxFramesPerCall = 256;

    /// <summary>
    /// Reads until the peer closes the connection or <see cref="Close"/> is called, handing the framed messages of each read to
    /// <paramref name="onFrames"/> together (at most <see cref="MaxFramesPerCall"/>; a message that spans two of the pipe's
    /// buffers is copied to a scratch buffer and ends its call, as the next cut reuses it), so its owner can handle them as one
    /// group: one store commit and one flush for whatever they cause. The list and its memory are valid only until the returned
    /// task completes.
    /// </summary>
    /// <param name="onFrames">What to do with the messages, in order.</param>
    /// <returns>Completes when the peer closed the connection or it was closed here; faults on a socket error.</returns>
    public async Task ReadFramesAsync(Func<IReadOnlyList<ReadOnlyMemory<byte>>, ValueTask> onFrames)
    {
        var frames = new List<ReadOnlyMemory<byte>>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(closing.Token);
                var buffer = result.Buffer;
                while (!IsClosed && TryCut(ref buffer, out var frame, out bool inScratch))
                {
                    frames.Add(frame);
                    if (inScratch || frames.Count == MaxFramesPerCall)
                    {
                        await onFrames(frames);
                        frames.Clear();
                    }
                }

                if (frames.Count > 0)
                {
                    await onFrames(frames);
                    frames.Clear();
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || IsClosed)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // Closed here while a read was pending: the normal end.
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>Buffers a whole message for the next <see cref="FlushAsync"/>.</summary>
    /// <param name="message">The message.</param>
    public void Write(ReadOnlySpan<byte> message)
    {
        if (IsClosed)
        {
            return;
        }

        message.CopyTo(writer.GetSpan(message.Length));
        writer.Advance(message.Length);
    }

    /// <summary>Sends what was written.</summary>
    /// <returns>Completes when the bytes are with the socket; faults on a socket error.</returns>
    public async ValueTask FlushAsync()
    {
        if (!IsClosed && writer.UnflushedBytes > 0)
        {
            await writer.FlushAsync(closing.Token);
        }
    }

    /// <summary>Closes the connection (once; later calls do nothing): a pending read ends, the socket is shut down.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        closing.Cancel();
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut down.
        }

        socket.Dispose();
        // TLS state is released with its stream; SslStream allows the dispose while a read the cancel above ended is unwinding.
        stream.Dispose();
    }

    private bool TryCut(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> frame, out bool inScratch)
    {
        frame = default;
        inScratch = false;
        if (buffer.IsEmpty)
        {
            return false;
        }

        var status = FixFramer.TryFrame(buffer, scratch, out int length);
        while (status == FixFrameStatus.Garbled)
        {
            GarbledSkipped++;
            buffer = buffer.Slice(length);
            if (buffer.IsEmpty)
            {
                return false;
            }

            status = FixFramer.TryFrame(buffer, scratch, out length);
        }

        if (status == FixFrameStatus.Incomplete)
        {
            return false;
        }

        var cut = buffer.Slice(0, length);
        if (cut.IsSingleSegment)
        {
            frame = cut.First;
        }
        else
        {
            cut.CopyTo(scratch);
            frame = scratch.AsMemory(0, length);
            inScratch = true;
        }

        buffer = buffer.Slice(length);
        return true;
    }
}
