namespace GreenLoop.Testing;

/// <summary>
/// Credentials the test servers are started with (through GreenLoop:Security settings, as an operator would provision
/// them): a bootstrap API key with every permission of the default tenant, and the first administrator's password.
/// </summary>
public static class TestCredentials
{
    /// <summary>gl_ + 8-character prefix + _ + 32-character secret, alphabet a-z and 2-7.</summary>
    public const string AdminKey = "gl_testkey2_abcdefghijklmnopqrstuvwxyz234567";

    public const string AdminUser = "admin";

    public const string AdminPassword = "test-admin-password-1";

    /// <summary>The settings that provision them, as <c>--Key=Value</c> arguments.</summary>
    public static readonly string[] Arguments =
    [
        $"--GreenLoop:Security:BootstrapApiKey={AdminKey}",
        $"--GreenLoop:Security:InitialAdminPassword={AdminPassword}",
        "--GreenLoop:Security:SignInPerMinute=1000",
    ];
}
