using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using GreenLoop.Testing;

namespace GreenLoop.Cli.Tests;

/// <summary><c>greenloop serve</c> on a first install, without an initial password: the one it generates (issue 6).</summary>
public sealed class ServeFirstStartTests
{
    [Fact]
    public async Task Serve_FirstStartWithoutInitialPassword_PrintsAGeneratedPasswordOnceThatSignsIn()
    {
        using var folder = new TemporaryFolder("first-start");
        var data = folder.Path;
        string password;
        await using (var first = await ServerProcess.StartAsync(data, provisioned: false))
        {
            var output = first.Output;
            // Its standard output is a pipe here, as under a service manager: the password goes to a file only this
            // account can read, never into the output.
            var file = Path.Combine(data, "initial-admin-password.txt");
            Assert.Contains($"password:  written to {file} (readable by this account only)", output, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            password = (await File.ReadAllTextAsync(file)).Trim();
            Assert.DoesNotContain(password, output, StringComparison.Ordinal);
            // UserService.GeneratePassword: 16 characters without look-alikes (no 0, O, 1, l, I).
            Assert.Matches("^[a-km-zA-HJ-NP-Z2-9]{16}$", password);
            Assert.Contains("user name: admin", output, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, await first.SignInStatusAsync("admin", password));
            Assert.Equal(HttpStatusCode.Unauthorized, await first.SignInStatusAsync("admin", TestCredentials.AdminPassword));
        }
        // Not kept in clear anywhere else in the data directory (database, write-ahead log, any log file).
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "initial-admin-password.txt"))
            Assert.DoesNotContain(password, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);

        await using var second = await ServerProcess.StartAsync(data, provisioned: false);
        Assert.DoesNotContain("password:", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, second.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await second.SignInStatusAsync("admin", password));
    }
}
