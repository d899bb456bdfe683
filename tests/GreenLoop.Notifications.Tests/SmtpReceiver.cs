using System.Diagnostics;
using System.Text;
using GreenLoop.Testing;
using MimeKit;

namespace GreenLoop.Notifications.Tests;

/// <summary>
/// A real SMTP server: Debian's aiosmtpd on 127.0.0.1 (free port), writing every message into a Maildir that the tests
/// read back. Missing aiosmtpd fails the tests with the command that installs it.
/// </summary>
public sealed class SmtpReceiver : IAsyncLifetime
{
    public const string InstallHint =
        "The e-mail tests need a real SMTP receiver, Debian's python3-aiosmtpd, which is not installed. "
        + "Install it with: sudo apt-get install -y python3-aiosmtpd (scripts/test.sh does this).";

    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Host => "127.0.0.1";
    public int Port { get; private set; }
    public string MailDir { get; } = Path.Combine(Path.GetTempPath(), "greenloop-smtp-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync()
    {
        var python = await FindPythonWithAiosmtpdAsync() ?? throw new InvalidOperationException(InstallHint);
        // Python's Maildir only lays out tmp/new/cur when it creates the folder itself; do it here.
        foreach (var sub in new[] { "tmp", "new", "cur" })
            Directory.CreateDirectory(Path.Combine(MailDir, sub));
        Port = Ports.Free();
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-m", "aiosmtpd", "-n", "-l", $"{Host}:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MailDir })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python} -m aiosmtpd.");
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync(TimeSpan.FromSeconds(15));
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        if (Directory.Exists(MailDir)) Directory.Delete(MailDir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Waits until a message whose subject contains <paramref name="subjectPart"/> has arrived.</summary>
    public async Task<MimeMessage> WaitForMessageAsync(string subjectPart, TimeSpan timeout)
    {
        MimeMessage? found = null;
        await Wait.UntilAsync(() => (found = Messages().FirstOrDefault(m => (m.Subject ?? "").Contains(subjectPart, StringComparison.Ordinal))) is not null,
            $"an e-mail with subject containing '{subjectPart}' at the SMTP receiver", timeout);
        return found!;
    }

    private List<MimeMessage> Messages()
    {
        var list = new List<MimeMessage>();
        foreach (var sub in new[] { "new", "cur" })
        {
            var dir = Path.Combine(MailDir, sub);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.GetFiles(dir))
                list.Add(MimeMessage.Load(file));
        }
        return list;
    }

    // Debian installs python3-aiosmtpd for the system interpreter; a python3 earlier on PATH (pyenv, venv) may not see it.
    private static async Task<string?> FindPythonWithAiosmtpdAsync()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                var check = new ProcessStartInfo(candidate) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
                check.ArgumentList.Add("-c");
                check.ArgumentList.Add("import aiosmtpd");
                using var process = Process.Start(check);
                if (process is null) continue;
                await process.WaitForExitAsync();
                if (process.ExitCode == 0) return candidate;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not there; try the next one.
            }
        }
        return null;
    }

    private Task WaitUntilListeningAsync(TimeSpan timeout) => Wait.UntilAsync(async () =>
    {
        if (_process!.HasExited)
            throw new InvalidOperationException($"aiosmtpd exited with code {_process.ExitCode}: {Output()}");
        return await Ports.AcceptsAsync(Port);
    }, () => $"aiosmtpd to listen on {Host}:{Port}: {Output()}", timeout);

    private string Output()
    {
        lock (_output) return _output.ToString();
    }
}
