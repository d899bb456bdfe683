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
    TimeProvider clock, ILogger<SecurityBootstrap> logger) : IHostedService
{
    /// <summary>The demo plant's login (documented in the README); created only while the demo runs.</summary>
    public const string DemoUser = "demo";
    public const string DemoPassword = "greenloop-demo";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenant.DefaultTenantId;
        if (await store.CountUsersAsync(cancellationToken) == 0)
        {
            var password = string.IsNullOrEmpty(options.Value.InitialAdminPassword) ? UserService.GeneratePassword() : options.Value.InitialAdminPassword;
            await users.CreateAsync(tenantId, "admin", "Administrator", password, [new StoredRole(Roles.Administrator, null)], cancellationToken);
            if (string.IsNullOrEmpty(options.Value.InitialAdminPassword))
            {
                // Printed once, to the console only (never to the log files): it is not stored anywhere in clear.
                await Console.Out.WriteLineAsync($"""

                    GreenLoop: first start. Administrator account created:
                        user name: admin
                        password:  {password}
                    This password is shown only now. Sign in and change it on the Users page.

                    """);
            }
            LogAdminCreated();
        }
        if (demo.Value.Enabled && await store.FindUserAsync(DemoUser, cancellationToken) is null)
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
