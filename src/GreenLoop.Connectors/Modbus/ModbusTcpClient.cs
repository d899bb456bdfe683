using System.Globalization;
using System.Net.Sockets;

namespace GreenLoop.Connectors.Modbus;

/// <summary>
/// A small Modbus TCP client: one connection, one request at a time (not thread-safe), read functions 1-4. Every
/// request ends in a <see cref="ModbusResult"/>: data, an exception response, or a timeout, truncated or malformed
/// frame or lost connection, each with its reason. After a timeout or a bad frame the connection is closed, because
/// a late or misframed answer would otherwise be taken for the answer to the next request; the caller reconnects.
/// Our own implementation: no Modbus package is available to this build.
/// </summary>
public sealed class ModbusTcpClient : IDisposable
{
    private readonly string _host;
    private readonly int _port;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;
    private readonly byte[] _send = new byte[ModbusFrame.ReadRequestLength];
    private readonly byte[] _receive = new byte[ModbusFrame.MaxFrameLength];
    private Socket? _socket;
    private ushort _transactionId;
    private int _received; // bytes of the current answer so far, for the timeout message

    /// <param name="host">Host name or IP address of the device or gateway.</param>
    /// <param name="port">TCP port, normally 502.</param>
    /// <param name="timeout">How long one request (or the connection attempt) may take.</param>
    /// <param name="clock">Clock for the timeouts; the system clock when null.</param>
    public ModbusTcpClient(string host, int port, TimeSpan timeout, TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65_535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _host = host;
        _port = port;
        _timeout = timeout;
        _clock = clock ?? TimeProvider.System;
    }

    public bool IsConnected => _socket is not null;

    /// <summary>"host:port", for messages.</summary>
    public string Endpoint => $"{_host}:{_port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Opens the connection (closing any open one first); <see cref="ModbusStatus.ConnectFailed"/> with the reason when it cannot.</summary>
    public async Task<ModbusResult> ConnectAsync(CancellationToken ct)
    {
        Close();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(_timeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await socket.ConnectAsync(_host, _port, linked.Token);
            _socket = socket;
            return ModbusResult.Success(0);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            return ModbusResult.Fail(ModbusStatus.ConnectFailed, $"no TCP connection to {Endpoint} within {Milliseconds} ms");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            return ModbusResult.Fail(ModbusStatus.ConnectFailed, $"cannot connect to {Endpoint}: {ex.Message}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends one read request and waits for its answer, at most the timeout. On <see cref="ModbusStatus.Ok"/> the
    /// response data (register bytes big-endian as sent, or packed bits) is in <paramref name="data"/>, which must hold
    /// <see cref="ModbusFunctions.DataBytes"/> bytes for the request.
    /// </summary>
    public async ValueTask<ModbusResult> ReadAsync(ModbusReadRequest request, Memory<byte> data, CancellationToken ct)
    {
        request.EnsureValid();
        var socket = _socket;
        if (socket is null) return ModbusResult.Fail(ModbusStatus.ConnectionLost, $"not connected to {Endpoint}");
        var transactionId = ++_transactionId;
        ModbusFrame.WriteReadRequest(_send, request, transactionId);
        using var timeout = new CancellationTokenSource(_timeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var token = linked.Token;
        _received = 0;
        try
        {
            await socket.SendAsync(_send.AsMemory(), SocketFlags.None, token);
            var received = await ReceiveAsync(socket, _receive.AsMemory(0, ModbusFrame.HeaderLength), token);
            if (received == 0)
                return Lost(ModbusStatus.ConnectionLost, $"{Endpoint} closed the connection without answering {request}");
            if (received < ModbusFrame.HeaderLength)
                return Lost(ModbusStatus.Truncated, $"{Endpoint} closed the connection after {received} of the {ModbusFrame.HeaderLength} header bytes");
            if (!ModbusFrame.TryReadHeader(_receive, out _, out var pduLength, out var headerError))
                return Lost(ModbusStatus.Malformed, headerError!);
            var body = await ReceiveAsync(socket, _receive.AsMemory(ModbusFrame.HeaderLength, pduLength), token);
            if (body < pduLength)
                return Lost(ModbusStatus.Truncated, $"{Endpoint} closed the connection after {body} of the {pduLength} PDU bytes the header announces");
            var result = ModbusFrame.ParseReadResponse(_receive.AsSpan(0, ModbusFrame.HeaderLength + pduLength), request, transactionId, data.Span);
            // A frame that answers something else means the stream is out of step: start afresh.
            if (!result.Answered) Close();
            return result;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return Lost(ModbusStatus.Timeout, _received == 0
                ? $"no answer from {Endpoint} to {request} within {Milliseconds} ms"
                : $"only {_received} bytes of the answer from {Endpoint} to {request} arrived within {Milliseconds} ms");
        }
        catch (SocketException ex)
        {
            return Lost(ModbusStatus.ConnectionLost, $"connection to {Endpoint} failed: {ex.Message}");
        }
        catch (ObjectDisposedException)
        {
            return Lost(ModbusStatus.ConnectionLost, $"connection to {Endpoint} was closed");
        }
    }

    /// <summary>Closes the connection, if open; the next request needs <see cref="ConnectAsync"/> first.</summary>
    public void Close()
    {
        var socket = _socket;
        _socket = null;
        socket?.Dispose();
    }

    public void Dispose() => Close();

    private string Milliseconds => _timeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private ModbusResult Lost(ModbusStatus status, string detail)
    {
        Close();
        return ModbusResult.Fail(status, detail);
    }

    /// <summary>Fills <paramref name="buffer"/>; fewer bytes only when the peer closed the connection.</summary>
    private async ValueTask<int> ReceiveAsync(Socket socket, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[total..], SocketFlags.None, ct);
            if (n == 0) break;
            total += n;
            _received += n;
        }
        return total;
    }
}
