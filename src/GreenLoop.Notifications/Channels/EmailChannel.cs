using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace GreenLoop.Notifications.Channels;

/// <summary>
/// E-mail over SMTP with MailKit: one message to all <see cref="ChannelDefinition.To"/> addresses, plain text plus a
/// simple HTML alternative, subject with severity and title in Chinese and English. TLS per
/// <see cref="ChannelDefinition.UseTls"/>; authenticates when a user name is set.
/// </summary>
internal sealed class EmailChannel(ChannelDefinition definition, TimeProvider timeProvider) : INotificationChannel
{
    public ChannelDefinition Definition { get; } = definition;

    public async Task<DeliveryResult> SendAsync(NotificationMessage message, CancellationToken ct)
    {
        using var mime = Build(message, timeProvider.GetUtcNow());
        var port = Definition.SmtpPort ?? (Definition.UseTls == true ? 587 : 25);
        var security = Definition.UseTls switch
        {
            true when port == 465 => SecureSocketOptions.SslOnConnect,
            true => SecureSocketOptions.StartTls,
            false => SecureSocketOptions.None,
            null => SecureSocketOptions.StartTlsWhenAvailable,
        };
        using var smtp = new SmtpClient();
        try
        {
            await smtp.ConnectAsync(Definition.SmtpHost!, port, security, ct);
            if (!string.IsNullOrEmpty(Definition.Username))
                await smtp.AuthenticateAsync(Definition.Username, Definition.Password ?? "", ct);
            await smtp.SendAsync(mime, ct);
            await smtp.DisconnectAsync(quit: true, ct);
            return DeliveryResult.Success(250);
        }
        catch (SmtpCommandException ex)
        {
            // 4xx replies are transient by definition (RFC 5321 §4.2.1); 5xx are permanent.
            var code = (int)ex.StatusCode;
            return DeliveryResult.Failure($"SMTP {code}: {ex.Message}", code, retryable: code is >= 400 and < 500);
        }
        catch (AuthenticationException ex)
        {
            return DeliveryResult.Failure($"SMTP authentication failed: {ex.Message}", null, retryable: false);
        }
        catch (SslHandshakeException ex)
        {
            return DeliveryResult.Failure($"TLS handshake with {Definition.SmtpHost}:{port} failed: {ex.Message}", null, retryable: false);
        }
        catch (NotSupportedException ex)
        {
            // e.g. STARTTLS required but not offered, or authentication not supported by the server.
            return DeliveryResult.Failure($"SMTP server cannot do what the channel asks: {ex.Message}", null, retryable: false);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException)
        {
            return DeliveryResult.Failure($"SMTP connection to {Definition.SmtpHost}:{port} failed: {ex.Message}", null, retryable: true);
        }
    }

    internal MimeMessage Build(NotificationMessage message, DateTimeOffset now)
    {
        var mime = new MimeMessage { Subject = MessageText.EmailSubject(message), Date = now };
        mime.From.Add(MailboxAddress.Parse(Definition.From!));
        foreach (var to in Definition.To ?? [])
            mime.To.Add(MailboxAddress.Parse(to));
        mime.Body = new BodyBuilder
        {
            TextBody = MessageText.PlainText(message),
            HtmlBody = MessageText.Html(message),
        }.ToMessageBody();
        return mime;
    }
}
