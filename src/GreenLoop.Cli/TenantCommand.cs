using GreenLoop.Domain.Model;
using GreenLoop.Server.Security;
using GreenLoop.Storage;

namespace GreenLoop.Cli;

/// <summary>
/// <c>greenloop tenant list | create | rename | disable | enable</c>: the platform operator's tenant administration,
/// on the data directory like the other commands. Every change is recorded in the tenant's own audit trail with the
/// operating-system user as actor.
/// </summary>
internal static class TenantCommand
{
    public const string Usage = """
        greenloop tenant list                                   tenants: key, name, state
        greenloop tenant create KEY --name NAME [--admin USER]  a new tenant and its first administrator (default "admin"; password printed once)
        greenloop tenant rename KEY NAME
        greenloop tenant disable KEY                            its users cannot sign in, its keys are refused; data kept
        greenloop tenant enable KEY
        """;

    public static async Task<int> RunAsync(List<string> args, string? data, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var name = CliApp.TakeOption(args, "--name");
        var admin = CliApp.TakeOption(args, "--admin");
        var verb = args.Count > 0 ? args[0] : null;
        var arity = verb switch { "list" => 1, "create" or "disable" or "enable" => 2, "rename" => 3, _ => -1 };
        if (arity < 0 || args.Count != arity || (verb == "create" && string.IsNullOrWhiteSpace(name)))
        {
            await error.WriteLineAsync(Usage);
            return 1;
        }
        await using var platform = await LocalPlatform.OpenAsync(data, ct, readOnly: verb == "list");
        var store = platform.Store;
        if (verb == "list")
        {
            foreach (var t in await store.ListTenantsAsync(ct))
                await output.WriteLineAsync($"{t.Key,-20} {(t.Disabled ? "disabled" : "enabled"),-9} {t.Name}");
            return 0;
        }
        var key = args[1];
        var existing = (await store.ListTenantsAsync(ct)).FirstOrDefault(t => t.Key == key);
        if (verb == "create")
        {
            if (!SiteDefinitionValidator.IsKey(key))
            {
                await error.WriteLineAsync($"error: '{key}' is not a usable key: 1-64 letters, digits, '-', '_' or '.'");
                return 2;
            }
            if (existing is not null)
            {
                await error.WriteLineAsync($"error: tenant '{key}' exists already");
                return 2;
            }
            // User names are unique within a tenant, so every tenant may have its own "admin".
            var adminName = string.IsNullOrWhiteSpace(admin) ? "admin" : admin.Trim();
            if (UserService.Validate(adminName, null, []) is [var problem, ..])
            {
                await error.WriteLineAsync($"error: --admin {problem}");
                return 2;
            }
            var tenantId = await store.EnsureTenantAsync(key, name!.Trim(), ct);
            var password = UserService.GeneratePassword();
            await new UserService(store, TimeProvider.System).CreateAsync(tenantId, adminName, "Administrator", password, [new StoredRole(Roles.Administrator, null)], ct);
            await platform.Audit(create: true).RecordAsync(tenantId, LocalPlatform.Actor, "CLI tenant create", $"tenant:{key}", new { name, administrator = adminName }, ct);
            await output.WriteLineAsync($"""
                tenant '{key}' created ({name}). Its first administrator:
                    organisation: {key}
                    user name:    {adminName}
                    password:     {password}
                This password is shown only now: sign in and change it on the Account page.
                """);
            return 0;
        }
        if (existing is null)
        {
            await error.WriteLineAsync($"error: no tenant '{key}'");
            return 2;
        }
        var (newName, disabled) = verb switch
        {
            "rename" => (args[2].Trim(), (bool?)null),
            "disable" => ((string?)null, true),
            _ => (null, false),
        };
        await store.UpdateTenantAsync(key, newName, disabled, ct);
        await platform.Audit(create: true).RecordAsync(existing.Id, LocalPlatform.Actor, $"CLI tenant {verb}", $"tenant:{key}", new { name = newName, disabled }, ct);
        await output.WriteLineAsync(verb switch
        {
            "rename" => $"tenant '{key}' renamed to {newName}",
            "disable" => $"tenant '{key}' disabled: its users cannot sign in and its keys are refused (within {TenantStatus.Refresh.TotalSeconds:0} s); its data is kept",
            _ => $"tenant '{key}' enabled",
        });
        return 0;
    }
}
