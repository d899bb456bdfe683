using GreenLoop.Demo;
using GreenLoop.Server.Hosting;
using GreenLoop.Storage;
using Microsoft.Extensions.Options;

namespace GreenLoop.Server.Security;

/// <summary>
/// At start (after migrations): creates the first administrator when there is no user at all, with a generated
/// password printed once to the console (there is no default password); creates the demo plant's documented login
/// when the demo runs; and ensures the provisioning key of <see cref="SecurityOptions.BootstrapApiKey"/> exists.
/// </summary>
internal sealed partial class SecurityBootstrap(
    IUserCatalog store, UserService users, TenantContext tenant, IOptions<SecurityOptions> options, IOptions<DemoOptions> demo,
    IOptions<GreenLoopOptions> data, TimeProvider clock, ILogger<SecurityBootstrap> logger) : IHostedService
{
    /// <summary>The demo plant's login (documented in the README); created only while the demo runs.</summary>
    public const string DemoUser = "demo";
    public const string DemoPassword = "greenloop-demo";

    /// <summary>The file a generated first password goes to when the console is not a terminal.</summary>
    public const string PasswordFileName = "initial-admin-password.txt";

    private string WritePasswordFile(string password)
    {
        var folder = Path.GetFullPath(data.Value.DataDirectory);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, PasswordFileName);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
            writer.WriteLine(password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenant.DefaultTenantId;
        if (await store.CountUsersAsync(cancellationToken) == 0)
        {
            var password = string.IsNullOrEmpty(options.Value.InitialAdminPassword) ? UserService.GeneratePassword() : options.Value.InitialAdminPassword;
            await users.CreateAsync(tenantId, "admin", "Administrator", password, [new StoredRole(Roles.Administrator, null)], cancellationToken);
            if (string.IsNullOrEmpty(options.Value.InitialAdminPassword))
            {
                if (Console.IsOutputRedirected)
                {
                    // The console goes to a file or a pipe (a service manager's log): the password must not end up
                    // there. It goes to a file only this operating-system account can read, and the console says where.
                    var file = WritePasswordFile(password);
                    await Console.Out.WriteLineAsync($"""

                        GreenLoop: first start. Administrator account created:
                            user name: admin
                            password:  written to {file} (readable by this account only)
                        Sign in, change the password on the Account page, then delete that file.

                        """);
                }
                else
                {
                    // Printed once, to an interactive console only (never to the log files): it is not stored anywhere in clear.
                    await Console.Out.WriteLineAsync($"""

                        GreenLoop: first start. Administrator account created:
                            user name: admin
                            password:  {password}
                        This password is shown only now. Sign in and change it on the Account page.

                        """);
                }
            }
            LogAdminCreated();
        }
        if (demo.Value.Enabled && await store.FindUserAsync(tenantId, DemoUser, cancellationToken) is null)
        {
            await users.CreateAsync(tenantId, DemoUser, "Demo", DemoPassword,
                [new StoredRole(Roles.EnergyManager, null), new StoredRole(Roles.CarbonAccountant, null)], cancellationToken);
            LogDemoUser(DemoUser);
        }
        if (options.Value.BootstrapApiKey is { Length: > 0 } text)
        {
            if (!ApiKeys.TryParse(text, out var prefix, out var secret))
                throw new InvalidOperationException("GreenLoop:Security:BootstrapApiKey is not a GreenLoop key (gl_ + 8 + _ + 32 characters a-z, 2-7)");
            if (await store.FindApiKeyAsync(prefix, cancellationToken) is null)
            {
                await store.CreateApiKeyAsync(new StoredApiKey
                {
                    TenantId = tenantId,
                    Name = "bootstrap",
                    Prefix = prefix,
                    SecretHash = ApiKeys.Hash(secret),
                    Permissions = Permissions.All,
                    CreatedBy = "configuration",
                    CreatedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                }, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "First start: administrator 'admin' created; its password was printed once to the console")]
    private partial void LogAdminCreated();

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Demo login '{User}' created (see README)")]
    private partial void LogDemoUser(string user);
}
