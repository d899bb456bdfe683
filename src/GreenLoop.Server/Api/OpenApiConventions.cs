using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GreenLoop.Server.Api;

/// <summary>
/// What the generated OpenAPI document must say for a client generator to work: how to authenticate (an API key in
/// <c>X-Api-Key</c>, or the sign-in cookie), the errors every operation can answer as RFC 9457 problem details, and what
/// the common parameters mean (periods, grains, ranges).
/// </summary>
internal static class OpenApiConventions
{
    public const string ApiKeyScheme = "apiKey";
    public const string CookieScheme = "cookie";
    public const string PlatformScheme = "platformKey";

    /// <summary>Descriptions of parameters by name, the same wherever they appear.</summary>
    private static readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal)
    {
        ["tenant"] = "The tenant's key (its organisation code), e.g. `north-group`.",
        ["site"] = "The site's key, e.g. `demo`.",
        ["meter"] = "The meter's key, e.g. `demo.main.elec`.",
        ["key"] = "The key of the object in the path (rule, channel, data source, checklist template, tariff).",
        ["id"] = "The object's numeric id.",
        ["period"] = "A reporting period: a year `yyyy` (e.g. `2026`) or a month `yyyy-MM` (e.g. `2026-10`), 2000 to 2199; local to the site. The comparison also takes a day `yyyy-MM-dd` (from 2001, so a year earlier exists) and defaults to this month.",
        ["month"] = "A local month `yyyy-MM` of the site (e.g. `2026-11`), 2000 to 2199; this month when left out.",
        ["grain"] = "Time grain of the series: `15m`, `hour`, `day` or `month` (local hours, days and months of the site).",
        ["from"] = "Start of the range (inclusive): a local date `yyyy-MM-dd` (midnight on the site's clock) or an ISO 8601 instant with offset, 2000-01-01 to 2199-12-31.",
        ["to"] = "End of the range (exclusive): a local date `yyyy-MM-dd` or an ISO 8601 instant with offset.",
        ["limit"] = "The most rows to return.",
        ["before"] = "Only rows older than this id or number (the next page of a newest-first list).",
        ["state"] = "Alarm states, comma-separated: `active`, `acknowledged`, `clearedUnack`, `cleared`.",
        ["severity"] = "Severities, comma-separated: `critical`, `major`, `minor`, `warning`, `info`.",
        ["rule"] = "An alarm rule's key (needs `site`).",
        ["source"] = "The source a row came from, e.g. `http-json`, `mqtt:plant-broker`, `import:june.csv`.",
        ["field"] = "The field a row was rejected on: `meter`, `ts`, `value`, `row`.",
        ["onRejected"] = "`200` (default) or `422`: answer 422 when any row was rejected (the valid rows are stored all the same).",
        ["kind"] = "The kind of reference row, e.g. `grid_ef`, `coal_coef`.",
        ["optionId"] = "The numeric id of an option of the audit in the path.",
        ["documentId"] = "The numeric id of a document of the project in the path.",
        ["version"] = "A template version (1, 2, …); the latest when left out.",
        ["mine"] = "`true`: only what is assigned to the caller (by user name or one of the caller's roles).",
        ["open"] = "`true`: only the open ones (not done, verified or cancelled).",
        ["node"] = "A node's key (`_site` for the whole site); the whole site when left out.",
        ["size"] = "`thumb`: a JPEG thumbnail (longest side 320 px, upright); `full` (default): the photo as stored.",
        ["unit"] = "`energy` (each carrier in its own unit, the default) or `tce` (standard coal, so carriers add up).",
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            Apply(document);
            return Task.CompletedTask;
        });
    }

    private static void Apply(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "An API key (`gl_…`) made on the Users and keys page or with POST /api/v1/api-keys; also accepted as `Authorization: Bearer gl_…`.",
        };
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "greenloop.auth",
            Description = "The sign-in cookie set by POST /api/v1/auth/sign-in (changes also need the page's anti-forgery token in X-CSRF-TOKEN).",
        };
        document.Components.SecuritySchemes[PlatformScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Platform-Key",
            Description = "A platform operator key (`glp_…`) made with `greenloop platform key create NAME`; also accepted as `Authorization: Bearer glp_…`. It allows only /api/v1/platform/….",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd("ProblemDetails", new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An error as RFC 9457 problem details; a validation problem adds `errors`: field path -> reasons.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object | JsonSchemaType.Null,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        });
        var problem = new OpenApiSchemaReference("ProblemDetails", document);
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [] },
        ];
        foreach (var (path, item) in document.Paths)
        {
            if (item.Operations is null) continue;
            foreach (var (method, operation) in item.Operations)
            {
                operation.Responses ??= new OpenApiResponses();
                void Error(string status, string description)
                {
                    if (operation.Responses.ContainsKey(status)) return;
                    operation.Responses[status] = new OpenApiResponse
                    {
                        Description = description,
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                    };
                }
                var anonymous = path.EndsWith("/sign-in", StringComparison.Ordinal) || path == "/health";
                if (anonymous) operation.Security = [];
                else if (path.StartsWith("/api/v1/platform/", StringComparison.Ordinal))
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(PlatformScheme, document)] = [] }];
                    Error("401", "No valid platform key (missing, unknown or revoked).");
                    Error("403", "Not a platform key: a tenant's user or API key may not administer tenants.");
                }
                else
                {
                    Error("401", "Not signed in and no valid API key (missing, revoked, expired or malformed).");
                    Error("403", "Signed in, but the roles or the key's permissions do not allow this (the detail names the permission and site).");
                }
                Error("400", "The request cannot be answered as asked: the detail (and `errors`, by field path) says why.");
                if (path.Contains('{')) Error("404", path.StartsWith("/api/v1/platform/", StringComparison.Ordinal) ? "No such tenant." : "No such object in this tenant.");
                if (method == HttpMethod.Post || method == HttpMethod.Put)
                {
                    Error("413", "The body is larger than GreenLoop:Security:MaxRequestMegabytes.");
                    if (method == HttpMethod.Post) Error("409", "The object exists already, or its state does not allow this.");
                }
                if (path.EndsWith("/readings", StringComparison.Ordinal) || path.EndsWith("/sign-in", StringComparison.Ordinal) || path.EndsWith("/password", StringComparison.Ordinal))
                    Error("429", "Too many requests (or readings) from this key or address: wait for Retry-After.");
                if (operation.Parameters is null) continue;
                foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
                {
                    if (string.IsNullOrEmpty(parameter.Description) && parameter.Name is { } name && _parameters.TryGetValue(name, out var text))
                        parameter.Description = text;
                }
            }
        }
    }
}
