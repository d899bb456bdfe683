using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using GreenLoop.Testing;

namespace GreenLoop.Server.Tests;

/// <summary>
/// The OpenAPI document a client generator reads: valid against the OpenAPI specification's schemas (checked by an
/// independent validator, npm's @seriousme/openapi-schema-validator, run with Node.js), with its security schemes,
/// problem-details errors and described parameters (issue 12, item 22).
/// </summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private readonly GreenLoopAppFactory _factory = new();
    private JsonElement _document;
    private string _text = "";

    public async Task InitializeAsync()
    {
        using var client = _factory.CreateClient();
        _text = await client.GetStringAsync("/openapi/v1.json");
        _document = JsonDocument.Parse(_text).RootElement.Clone();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Document_ValidAgainstTheOpenApiSchemas_ByAnIndependentValidator()
    {
        var tool = Path.Combine(Repository.Root, "tests", "tools", "openapi");
        if (!Directory.Exists(Path.Combine(tool, "node_modules")))
        {
            using var install = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true })!;
            await install.WaitForExitAsync();
            Assert.True(install.ExitCode == 0, "npm ci in tests/tools/openapi failed: " + await install.StandardError.ReadToEndAsync());
        }
        using var folder = new TemporaryFolder("openapi");
        var file = Path.Combine(folder.Path, "v1.json");
        await File.WriteAllTextAsync(file, _text);

        using var node = Process.Start(new ProcessStartInfo("node", ["validate.mjs", file]) { WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();

        Assert.True(node.ExitCode == 0, output + error);
        Assert.Matches(@"^OpenAPI 3\.\d: valid", output.Trim());
    }

    [Fact]
    public void Document_DeclaresTheApiKeyAndCookieSchemes_AndRequiresOneOfThem()
    {
        var schemes = _document.GetProperty("components").GetProperty("securitySchemes");
        var key = schemes.GetProperty("apiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (key.GetProperty("type").GetString(), key.GetProperty("in").GetString(), key.GetProperty("name").GetString()));
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());
        var security = _document.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
        Assert.Equal(["apiKey", "cookie"], security);
        // Signing in needs neither.
        var signIn = _document.GetProperty("paths").GetProperty("/api/v1/auth/sign-in").GetProperty("post");
        Assert.Equal(0, signIn.GetProperty("security").GetArrayLength());
        // The platform routes take the platform key alone.
        var platform = schemes.GetProperty("platformKey");
        Assert.Equal(("apiKey", "header", "X-Platform-Key"), (platform.GetProperty("type").GetString(), platform.GetProperty("in").GetString(), platform.GetProperty("name").GetString()));
        var tenants = _document.GetProperty("paths").GetProperty("/api/v1/platform/tenants").GetProperty("post");
        Assert.Equal(["platformKey"], tenants.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList());
    }

    [Fact]
    public void EveryOperation_DeclaresItsErrorsAsProblemDetails_AndKnownParametersAreDescribed()
    {
        var operations = _document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value))).ToList();
        Assert.True(operations.Count > 60, $"{operations.Count} operations");
        foreach (var (path, method, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("400", out var bad), $"{method} {path} has no 400");
            // Problem details: GreenLoop's general schema, or the framework's validation problem where a handler declares it.
            Assert.Contains(bad.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString(),
                (IEnumerable<string?>)["#/components/schemas/ProblemDetails", "#/components/schemas/HttpValidationProblemDetails"]);
            if (path is not ("/api/v1/auth/sign-in" or "/health"))
            {
                Assert.True(responses.TryGetProperty("401", out _), $"{method} {path} has no 401");
                Assert.True(responses.TryGetProperty("403", out _), $"{method} {path} has no 403");
            }
            if (!operation.TryGetProperty("parameters", out var parameters)) continue;
            foreach (var p in parameters.EnumerateArray())
            {
                var name = p.GetProperty("name").GetString();
                if (name is "period" or "grain" or "from" or "to" or "site")
                    Assert.True(p.TryGetProperty("description", out var d) && d.GetString()!.Length > 10, $"{method} {path}: parameter {name} has no description");
            }
        }
        Assert.True(_document.GetProperty("paths").GetProperty("/api/v1/readings").GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public void Reports_DeclareWhatTheyAnswer_AndOptionalRequestFieldsAreNotRequired()
    {
        var paths = _document.GetProperty("paths");
        JsonElement Ok(string path) => paths.GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal("#/components/schemas/EnergyReport", Ok("/api/v1/sites/{site}/reports/energy").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("#/components/schemas/CarbonReport", Ok("/api/v1/sites/{site}/reports/carbon").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        foreach (var workbook in new[] { "/api/v1/sites/{site}/reports/energy.xlsx", "/api/v1/sites/{site}/reports/carbon.xlsx" })
            Assert.True(Ok(workbook).TryGetProperty("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out _), workbook);
        var schemas = _document.GetProperty("components").GetProperty("schemas");
        foreach (var name in new[] { "UserRequest", "ApiKeyRequest" })
        {
            var required = schemas.GetProperty(name).TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToList() : [];
            Assert.True(required.Count == 0, $"{name} marks {string.Join(", ", required)} required");
        }
    }
}

/// <summary>A refusal names the permission that is missing (issue 12, item 22).</summary>
public sealed class ForbiddenNamesThePermissionTests : IAsyncLifetime
{
    private readonly GreenLoopAppFactory _factory = new();

    public async Task InitializeAsync()
    {
        using var admin = _factory.CreateClient();
        (await admin.PutAsync("/api/v1/sites/north", Sites.Document("north"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ReadKey_OnAReportNeedingReadPark_403NamesThePermissionAndTheSite()
    {
        using var admin = _factory.CreateClient();
        using var created = await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "erp-read", permissions = new[] { "ingest" } });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var erp = Clients.Anonymous(_factory);
        erp.DefaultRequestHeaders.Add("X-Api-Key", key);

        using var report = await erp.GetAsync("/api/v1/sites/north/reports/energy?period=2026-10");
        using var users = await erp.GetAsync("/api/v1/users");

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, report.StatusCode);
        var detail = (await report.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.StartsWith("this needs the permission '", detail, StringComparison.Ordinal);
        Assert.EndsWith("for site 'north'; your roles (or this key's permissions) do not grant it there", detail, StringComparison.Ordinal);
        Assert.Equal("this needs the permission 'admin'; your roles (or this key's permissions) do not grant it",
            (await users.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
