using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DaseCV.Tests.Data;

/// <summary>What the test server sends for one request.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Body">The body bytes to send.</param>
/// <param name="ContentLength">Content-Length to announce (default: the body's length).</param>
/// <param name="ContentRange">Content-Range header, if any.</param>
/// <param name="SendOnly">Send only this many body bytes, then close the connection.</param>
/// <param name="Stall">Wait this long after sending, with the connection open, before closing it.</param>
/// <param name="Endless">Announce no length and send the body over and over until the client hangs up.</param>
public sealed record ServerReply(int Status, byte[] Body, long? ContentLength = null, string? ContentRange = null, int? SendOnly = null,
    TimeSpan? Stall = null, bool Endless = false)
{
    public static ServerReply Error(int status) => new(status, Encoding.ASCII.GetBytes($"error {status}"));

    /// <summary>The file, or from byte <paramref name="from"/> on with 206 when the request asked for a range.</summary>
    public static ServerReply File(byte[] file, long? from, int? sendOnly = null) =>
        from is long start and > 0
            ? new ServerReply(206, file[(int)start..], ContentRange: $"bytes {start}-{file.Length - 1}/{file.Length}", SendOnly: sendOnly)
            : new ServerReply(200, file, SendOnly: sendOnly);
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port, written on a raw socket so a test controls every byte:
/// status, announced length, ranges, and where the connection drops. One request per connection.
/// </summary>
public sealed class TestHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int, long?, ServerReply> _reply;
    private int _count;

    /// <param name="reply">Given the request number (0-based) and the start of a requested range, the reply.</param>
    public TestHttpServer(Func<int, long?, ServerReply> reply)
    {
        _reply = reply;
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/cifar-10-binary.tar.gz");

    /// <summary>The Range header of each request so far (null where there was none).</summary>
    public ConcurrentQueue<string?> Ranges { get; } = new();

    public int RequestCount => Volatile.Read(ref _count);

    /// <summary>Bytes an endless reply has sent so far.</summary>
    public long EndlessBytesSent => Interlocked.Read(ref _endlessBytes);

    private long _endlessBytes;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n") && await stream.ReadAsync(one) == 1) header.Append((char)one[0]);
        string? range = header.ToString().Split("\r\n")
            .FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();
        Ranges.Enqueue(range);
        long? from = range is not null && range.StartsWith("bytes=") ? long.Parse(range[6..].TrimEnd('-')) : null;
        var reply = _reply(Interlocked.Increment(ref _count) - 1, from);

        var head = new StringBuilder()
            .Append($"HTTP/1.1 {reply.Status} {(HttpStatusCode)reply.Status}\r\n")
            .Append(reply.Endless ? "" : $"Content-Length: {reply.ContentLength ?? reply.Body.Length}\r\n")
            .Append(reply.ContentRange is null ? "" : $"Content-Range: {reply.ContentRange}\r\n")
            .Append("Accept-Ranges: bytes\r\nConnection: close\r\n\r\n");
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            while (reply.Endless && !_stop.IsCancellationRequested)
            {
                await stream.WriteAsync(reply.Body, _stop.Token);
                Interlocked.Add(ref _endlessBytes, reply.Body.Length);
            }
            await stream.WriteAsync(reply.Body.AsMemory(0, Math.Min(reply.SendOnly ?? int.MaxValue, reply.Body.Length)));
            await stream.FlushAsync();
            if (reply.Stall is TimeSpan stall) await Task.Delay(stall, _stop.Token);
            client.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The client gave up first, or the test is over.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
