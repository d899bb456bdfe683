using System.Net;
using System.Net.Sockets;

namespace GreenLoop.Connectors.Tests.Modbus;

/// <summary>
/// A misbehaving Modbus TCP "device" on 127.0.0.1 and a free port, for what no real simulator does on purpose:
/// each 12-byte request is answered with whatever bytes <c>answer</c> returns (null: no answer at all), and the
/// connection is closed after the answer when <c>close</c> is set.
/// </summary>
internal sealed class ScriptedDevice : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<byte[], byte[]?> _answer;
    private readonly bool _close;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public ScriptedDevice(Func<byte[], byte[]?> answer, bool close = false)
    {
        _answer = answer;
        _close = close;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; }
        catch (OperationCanceledException) { /* stopped */ }
        catch (SocketException) { /* stopped */ }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = new byte[12];
            try
            {
                while (true)
                {
                    await stream.ReadExactlyAsync(request, _stop.Token);
                    var reply = _answer(request);
                    if (reply is null) continue;
                    await stream.WriteAsync(reply, _stop.Token);
                    if (_close) return;
                }
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the device is being disposed.
            }
        }
    }
}
