using System.Net;
using System.Net.Sockets;

namespace GreenLoop.Notifications;

/// <summary>
/// Where robots and webhooks may be sent: public addresses only, unless <see cref="AllowPrivate"/>
/// (<c>GreenLoop:Notifications:AllowPrivateTargets</c>, for an on-premises receiver or the tests). Refused: loopback
/// (127.0.0.0/8, ::1, "localhost"), link-local (169.254.0.0/16 — the cloud metadata address among them — fe80::/10),
/// private (10/8, 172.16/12, 192.168/16, 100.64/10 shared, fc00::/7 unique local), unspecified and multicast addresses.
/// Checked twice: the address written in the channel when it is saved, and every address its host name resolves to
/// when a message is sent (so a public name pointing at an inside address is refused too).
/// </summary>
public sealed class NotificationTargets(bool allowPrivate)
{
    public bool AllowPrivate { get; } = allowPrivate;

    /// <summary>Why a channel address is refused, or null when it may be used.</summary>
    public string? Refusal(string? url)
    {
        if (AllowPrivate || url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        var host = uri.IdnHost.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return Explain(uri.Host, "a loopback name");
        return IPAddress.TryParse(host, out var ip) && Classify(ip) is { } kind ? Explain(uri.Host, kind) : null;
    }

    /// <summary>"loopback", "link-local", "private", … for an address a notification must not go to; null for a public one.</summary>
    public static string? Classify(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (IPAddress.IsLoopback(ip)) return "a loopback address";
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) || ip.Equals(IPAddress.IPv6None)) return "an unspecified address";
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            if (b[0] == 169 && b[1] == 254) return "a link-local address";
            if (b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168)) return "a private address";
            if (b[0] == 100 && b[1] is >= 64 and <= 127) return "a shared (carrier-grade NAT) address";
            if (b[0] == 0) return "an unspecified address";
            if (b[0] >= 224) return "a multicast or reserved address";
            return null;
        }
        if (ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal) return "a link-local address";
        if (ip.IsIPv6Multicast) return "a multicast address";
        if ((ip.GetAddressBytes()[0] & 0xFE) == 0xFC) return "a private (unique local) address";
        return null;
    }

    /// <summary>An HTTP handler that connects only to addresses this policy allows, checked after name resolution.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (AllowPrivate) return handler;
        handler.ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = addresses.Where(a => Classify(a) is null).ToList();
            if (allowed.Count == 0)
            {
                var kind = addresses.Length > 0 ? Classify(addresses[0]) : "no address";
                throw new HttpRequestException(Explain(host, kind ?? "no public address"));
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync([.. allowed], context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return handler;
    }

    private static string Explain(string host, string kind) =>
        $"'{host}' is {kind}: notifications go to public addresses only (set GreenLoop:Notifications:AllowPrivateTargets to true for a receiver inside the plant network)";
}
