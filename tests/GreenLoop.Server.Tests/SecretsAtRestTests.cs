using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Secrets of channels and data sources are encrypted at rest (never in the database file in clear), robot tokens are
/// masked in every answer and audit entry, and the data files are the server account's alone (issue 12, item 1).
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private const string HookSecret = "hmac-secret-4711";
    private const string SmtpPassword = "smtp-pass-0815";
    private const string BrokerPassword = "broker-pass-2718";
    private const string RobotToken = "693a91f6-7d2a-4c3e-9e6b-robot-token";
    private readonly TemporaryFolder _data = new("secrets");

    public void Dispose() => _data.Dispose();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private byte[] DataFiles() => [.. Directory.EnumerateFiles(_data.Path, "greenloop.db*").SelectMany(File.ReadAllBytes)];

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;

    [Fact]
    public async Task ChannelAndDataSourceSecrets_EncryptedInTheDatabase_TokensMaskedInAnswersAndAudit_FilesOwnerOnly()
    {
        await using (var factory = new GreenLoopAppFactory(_data.Path))
        {
            using var admin = factory.CreateClient();
            var webhook = $"https://hooks.example.com/robot/send?access_token={RobotToken}&x=1";
            (await admin.PutAsync("/api/v1/notification-channels/ding", Json($$"""{"key":"ding","kind":"dingtalk","name":"Ding","url":"{{webhook}}","secret":"SEC{{HookSecret}}"}"""))).EnsureSuccessStatusCode();
            (await admin.PutAsync("/api/v1/notification-channels/mail", Json($$"""{"key":"mail","kind":"email","name":"Mail","smtpHost":"smtp.example.com","from":"a@example.com","to":["b@example.com"],"username":"u","password":"{{SmtpPassword}}"}"""))).EnsureSuccessStatusCode();
            using var key = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "broker-gateway", permissions = new[] { "ingest" } });
            var keyId = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetProperty("id").GetInt64();
            (await admin.PutAsync("/api/v1/data-sources/broker", Json($$$"""
                {"kind":"mqtt","enabled":false,"apiKeyId":{{{keyId}}},"settings":{"host":"broker.local","username":"gw","password":"{{{BrokerPassword}}}",
                 "subscriptions":[{"topic":"plant/readings","format":"reading"}]}}
                """))).EnsureSuccessStatusCode();

            var listed = await admin.GetStringAsync("/api/v1/notification-channels");
            var audit = await admin.GetStringAsync("/api/v1/audit?limit=100");
            var ding = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/notification-channels")).EnumerateArray().First(c => c.GetProperty("key").GetString() == "ding");

            Assert.DoesNotContain(RobotToken, listed, StringComparison.Ordinal);
            Assert.Equal("https://hooks.example.com/robot/send?access_token=********&x=1", ding.GetProperty("url").GetString());
            Assert.DoesNotContain(RobotToken, audit, StringComparison.Ordinal);
            Assert.Contains("access_token=********", audit, StringComparison.Ordinal);
            // Saving the channel back as it was shown keeps the stored address (token included).
            (await admin.PutAsync("/api/v1/notification-channels/ding", Json($$"""{"key":"ding","kind":"dingtalk","name":"Ding renamed","url":"{{ding.GetProperty("url").GetString()}}","secret":"********"}"""))).EnsureSuccessStatusCode();
        }

        // Closed: what is on disk.
        var files = DataFiles();
        foreach (var secret in new[] { HookSecret, SmtpPassword, BrokerPassword, RobotToken })
            Assert.False(Contains(files, secret), $"'{secret}' is in the database files in clear");
        Assert.True(Contains(files, "gl-enc:v1:"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_data.Path, "greenloop.db")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_data.Path, "keys")));
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(_data.Path, "keys"), "key-*.xml"));
        }

        // Opened again with the same key ring: the stored token is the real one (masked as before, and unchanged by the rename).
        await using (var again = new GreenLoopAppFactory(_data.Path))
        {
            using var admin = again.CreateClient();
            var ding = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/notification-channels")).EnumerateArray().First(c => c.GetProperty("key").GetString() == "ding");
            Assert.Equal(("Ding renamed", "https://hooks.example.com/robot/send?access_token=********&x=1", "********"),
                (ding.GetProperty("name").GetString(), ding.GetProperty("url").GetString(), ding.GetProperty("secret").GetString()));
            var stored = await Database.ScalarAsync<string>(_data.Path, "SELECT definition FROM notification_channel WHERE key = 'ding'");
            Assert.DoesNotContain(RobotToken, stored, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SecretWrittenInClearByAnEarlierVersion_EncryptedAtTheNextStart()
    {
        await using (var factory = new GreenLoopAppFactory(_data.Path))
        {
            using var admin = factory.CreateClient();
            (await admin.PutAsync("/api/v1/notification-channels/hook", Json("""{"key":"hook","kind":"webhook","name":"Hook","url":"https://hooks.example.com/in"}"""))).EnsureSuccessStatusCode();
        }
        // As an earlier GreenLoop stored it: the secret in clear.
        await Database.ExecuteAsync(_data.Path, $$"""UPDATE notification_channel SET definition = '{"key":"hook","kind":"webhook","name":"Hook","url":"https://hooks.example.com/in","secret":"{{HookSecret}}","enabled":true}' WHERE key = 'hook'""");
        Assert.True(Contains(DataFiles(), HookSecret));

        await using (var again = new GreenLoopAppFactory(_data.Path))
        {
            using var admin = again.CreateClient();
            var hook = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/notification-channels")).EnumerateArray().Single();
            Assert.Equal("********", hook.GetProperty("secret").GetString());
        }
        var stored = await Database.ScalarAsync<string>(_data.Path, "SELECT definition FROM notification_channel WHERE key = 'hook'");
        Assert.DoesNotContain(HookSecret, stored, StringComparison.Ordinal);
        Assert.Contains("gl-enc:v1:", stored, StringComparison.Ordinal);
    }
}
