using GreenLoop.Server.Security;

namespace GreenLoop.Cli;

/// <summary>
/// <c>greenloop platform key create NAME | list | revoke NAME</c>: the platform operator's keys for the tenant
/// administration API, kept in the key directory beside the Data Protection key ring (not in the database). A running
/// server sees a new or revoked key at its next request.
/// </summary>
internal static class PlatformCommand
{
    public const string Usage = """
        greenloop platform key create NAME     a platform operator key for /api/v1/platform/... (printed once)
        greenloop platform key list            keys: name, prefix, created, revoked
        greenloop platform key revoke NAME
        """;

    public static async Task<int> RunAsync(List<string> args, string? data, TextWriter output, TextWriter error, TimeProvider clock)
    {
        var verb = args.Count >= 2 && args[0] == "key" ? args[1] : null;
        var arity = verb switch { "list" => 2, "create" or "revoke" => 3, _ => -1 };
        if (arity < 0 || args.Count != arity)
        {
            await error.WriteLineAsync(Usage);
            return 1;
        }
        var folder = LocalPlatform.KeyFolder(data);
        var keys = PlatformKeys.In(folder);
        var now = clock.GetUtcNow();
        switch (verb)
        {
            case "list":
                foreach (var k in keys.List())
                    await output.WriteLineAsync($"{k.Name,-24} glp_{k.Prefix}_…  created {k.CreatedAt:yyyy-MM-dd HH:mm} UTC{(k.RevokedAt is { } r ? $"  revoked {r:yyyy-MM-dd HH:mm} UTC" : "")}");
                return 0;
            case "create":
                if (args[2].Length is 0 or > 64 || args[2].Any(char.IsWhiteSpace))
                {
                    await error.WriteLineAsync("error: NAME: 1-64 characters without spaces");
                    return 2;
                }
                if (!OperatingSystem.IsWindows() && !Directory.Exists(folder))
                    Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                if (keys.Create(args[2], now) is not { } text)
                {
                    await error.WriteLineAsync($"error: a live platform key '{args[2]}' exists already; revoke it first or choose another name");
                    return 2;
                }
                await output.WriteLineAsync($"""
                    platform key '{args[2]}' created (in {Path.Combine(folder, PlatformKeys.FileName)}):
                        {text}
                    It is shown only now. Send it as X-Platform-Key (or Authorization: Bearer) to /api/v1/platform/tenants.
                    """);
                return 0;
            default:
                if (!keys.Revoke(args[2], now))
                {
                    await error.WriteLineAsync($"error: no live platform key '{args[2]}'");
                    return 2;
                }
                await output.WriteLineAsync($"platform key '{args[2]}' revoked");
                return 0;
        }
    }
}
