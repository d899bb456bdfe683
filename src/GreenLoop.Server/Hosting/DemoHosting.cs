using GreenLoop.Demo;
using GreenLoop.Pipeline;
using GreenLoop.Pipeline.Meter;
using GreenLoop.Pipeline.Monitor.Alarms;
using GreenLoop.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace GreenLoop.Server.Hosting;

/// <summary>Registers the demo plant (on by default; <c>GreenLoop:Demo:Enabled=false</c> turns it off).</summary>
public static class DemoHosting
{
    public static IServiceCollection AddGreenLoopDemo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName));
        services.AddHostedService<DemoPlantService>();
        return services;
    }
}

/// <summary>
/// Applies the demo site, then feeds it like any gateway would: back-fill, then live readings through the public
/// HTTP ingest API of this very server (so the demo exercises the same path as a real plant).
/// </summary>
internal sealed partial class DemoPlantService(
    IOptions<DemoOptions> options, SiteService sites, GreenLoopStore store, TenantContext tenant, IServer server, IHostApplicationLifetime lifetime,
    TimeProvider clock, ILoggerFactory loggers, ILogger<DemoPlantService> logger, AlarmService? alarms = null,
    GreenLoop.Pipeline.Optimise.Kpis.KpiService? kpis = null, GreenLoop.Pipeline.Optimise.Kpis.QuantityService? quantities = null,
    GreenLoop.Pipeline.Optimise.Reviews.ReviewService? reviews = null, GreenLoop.Pipeline.Optimise.Projects.ProjectService? projects = null,
    GreenLoop.Pipeline.Optimise.Verification.MvService? models = null, GreenLoop.Pipeline.Optimise.Field.FieldService? field = null,
    GreenLoop.Pipeline.Optimise.Field.WorkOrderService? workOrders = null, GreenLoop.Pipeline.Cost.CostService? cost = null) : BackgroundService
{
    /// <summary>
    /// Once, the demo plant's electricity account: the reference Guangdong two-part tariff at 10 kV, the basic charge by
    /// maximum demand, billed on the 10 kV main incomer. The demo has no reactive-energy meter, so no power-factor adjustment.
    /// </summary>
    private async Task EnsureElectricityAccountAsync(CancellationToken ct)
    {
        if (cost is null) return;
        var site = await store.GetSiteAsync(tenant.TenantId, DemoPlant.SiteKey, ct);
        if (site is null || await cost.AccountAsync(tenant.TenantId, site, ct) is not null) return;
        var account = new GreenLoop.Domain.Cost.ElectricityAccount
        {
            Tariff = GreenLoop.Pipeline.Cost.ReferenceTariffs.GuangdongKey, Basis = GreenLoop.Domain.Cost.BasicChargeBasis.Demand,
            PowerFactorStandard = null, ActiveMeters = [DemoMeterKeys.MainElectricity],
        };
        if (await cost.ValidateAsync(tenant.TenantId, site, account, ct) is { Count: > 0 } errors)
        {
            LogDemoInvalid(string.Join("; ", errors.Select(e => $"electricity account {e.Key}: {string.Join(", ", e.Value)}")));
            return;
        }
        await cost.SaveAccountAsync(tenant.TenantId, site, account, "demo", clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
    }

    /// <summary>
    /// Once, the demo's field work: three templates, their rounds, two inspections done with photos (the stack check's
    /// high filter pressure opens a work order) and the work order of the planted NOx alarm.
    /// </summary>
    private async Task EnsureFieldWorkAsync(DateOnly anchor, CancellationToken ct)
    {
        if (field is null || workOrders is null) return;
        if ((await field.TemplatesAsync(tenant.TenantId, DemoPlant.SiteKey, ct))?.Count is null or > 0) return;
        foreach (var template in DemoFieldWork.Templates) await field.SaveTemplateAsync(tenant.TenantId, DemoPlant.SiteKey, template, "demo", ct);
        foreach (var round in DemoFieldWork.Rounds) await field.SaveRoundAsync(tenant.TenantId, DemoPlant.SiteKey, null, round, active: true, "demo", ct);
        foreach (var (submission, photos) in DemoFieldWork.Inspections(anchor))
            await field.SubmitAsync(tenant.TenantId, DemoPlant.SiteKey, submission, photos, "demo", ct);
        if (alarms is null) return;
        var site = await store.GetSiteAsync(tenant.TenantId, DemoPlant.SiteKey, ct);
        var nox = (await alarms.ListAsync(tenant.TenantId, new AlarmFilter { SiteId = site!.Id, Limit = 100 }, ct)).FirstOrDefault(a => a.RuleKey == "nox-permit");
        if (nox is not null)
            await workOrders.FromAlarmAsync(tenant.TenantId, nox.Id, new GreenLoop.Pipeline.Optimise.Field.WorkOrderBody
            {
                Title = "检查脱硝喷氨系统 Check the SNCR ammonia injection", Node = "kiln-stack", Priority = GreenLoop.Pipeline.Optimise.Field.WorkOrderPriority.High,
                Description = "NOx 超过许可限值 180 mg/m³，检查喷枪与氨水流量。NOx above the 180 mg/m³ permit limit: check the lances and the ammonia flow.",
            }, "demo", ct);
    }

    /// <summary>
    /// Once the back-fill is derived, the demo's three projects if the site has none: the air programme commissioned,
    /// its baseline model fitted and, when the back-fill covers the model's periods and the model passes its checks,
    /// the project verified by it.
    /// </summary>
    private async Task EnsureProjectsAsync(DateOnly anchor, CancellationToken ct)
    {
        if (projects is null || models is null) return;
        if ((await projects.ListAsync(tenant.TenantId, DemoPlant.SiteKey, ct))?.Count is null or > 0) return;
        var created = new List<long>();
        foreach (var body in DemoProjects.All(anchor))
            created.Add((await projects.CreateAsync(tenant.TenantId, DemoPlant.SiteKey, body, "demo", ct))!.Id);
        var site = DemoPlant.SiteKey;
        await projects.ChangeAsync(tenant.TenantId, site, created[0], new(GreenLoop.Pipeline.Optimise.Projects.ProjectState.Approved, Note: "演示：经理办公会批准 Demo: approved by management"), "demo", ct);
        await projects.ChangeAsync(tenant.TenantId, site, created[2], new(GreenLoop.Pipeline.Optimise.Projects.ProjectState.Proposed), "demo", ct);
        var air = created[1];
        foreach (var state in new[] { GreenLoop.Pipeline.Optimise.Projects.ProjectState.Approved, GreenLoop.Pipeline.Optimise.Projects.ProjectState.InProgress, GreenLoop.Pipeline.Optimise.Projects.ProjectState.Commissioned })
            await projects.ChangeAsync(tenant.TenantId, site, air, new(state), "demo", ct);
        var model = await models.CreateAsync(tenant.TenantId, site, DemoProjects.AirModel(anchor, air), "demo", ct);
        await projects.ChangeAsync(tenant.TenantId, site, air, new(ModelId: model!.Id), "demo", ct);
        var savings = await models.SavingsAsync(tenant.TenantId, site, model.Id, null, null, ct);
        if (savings is { Usable: true })
            await projects.ChangeAsync(tenant.TenantId, site, air, new(GreenLoop.Pipeline.Optimise.Projects.ProjectState.Verified, Note: "演示：IPMVP 选项 B 验证 Demo: verified by IPMVP Option B"), "demo", ct);
        else
            LogDemoNotVerified(savings?.Refusal ?? "no savings");
    }

    /// <summary>The demo's KPI table and, once, the quantities its KPIs read for the back-filled months.</summary>
    private async Task EnsureKpisAsync(int days, CancellationToken ct)
    {
        if (kpis is null || quantities is null) return;
        var have = (await kpis.ListAsync(tenant.TenantId, DemoPlant.SiteKey, ct))?.Select(k => k.Definition.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        foreach (var kpi in DemoKpis.All.Where(k => !have.Contains(k.Key)))
        {
            var outcome = await kpis.SaveAsync(tenant.TenantId, DemoPlant.SiteKey, kpi, "demo", ct);
            if (outcome.Kpi is null) LogDemoInvalid(string.Join("; ", outcome.Errors.Select(e => $"kpi {kpi.Key} {e.Path}: {e.Reason}")));
        }
        if ((await quantities.ListAsync(tenant.TenantId, DemoPlant.SiteKey, null, null, null, ct))?.Count is null or > 0) return;
        var site = await store.GetSiteAsync(tenant.TenantId, DemoPlant.SiteKey, ct);
        if (site is null) return;
        var today = kpis.Today(site);
        foreach (var q in DemoKpis.Quantities(today.AddDays(-Math.Max(days, 1)), today.AddDays(-1)))
            await quantities.RecordAsync(tenant.TenantId, DemoPlant.SiteKey, q, "demo", ct);
    }

    /// <summary>
    /// Once the back-fill is derived, the demo's finished review of last month (held: its values frozen) with its two
    /// actions, if the site has no review yet.
    /// </summary>
    private async Task EnsureReviewAsync(CancellationToken ct)
    {
        if (reviews is null || kpis is null) return;
        if ((await reviews.ListAsync(tenant.TenantId, DemoPlant.SiteKey, ct))?.Count is null or > 0) return;
        for (var i = 0; i < 240 && await store.CountDirtyAsync(ct) > 0; i++) await Task.Delay(500, ct);
        var site = await store.GetSiteAsync(tenant.TenantId, DemoPlant.SiteKey, ct);
        if (site is null) return;
        var today = kpis.Today(site);
        var review = await reviews.CreateAsync(tenant.TenantId, DemoPlant.SiteKey, DemoReview.Review(today), "demo", ct);
        await reviews.HoldAsync(tenant.TenantId, DemoPlant.SiteKey, review!.Id, "demo", ct);
        var actions = DemoReview.Actions(today);
        var tuning = await reviews.OpenAsync(tenant.TenantId, DemoPlant.SiteKey, new GreenLoop.Pipeline.Optimise.Reviews.ActionInput(actions[0], review.Id), "demo", ct);
        await reviews.ChangeAsync(tenant.TenantId, DemoPlant.SiteKey, tuning!.Id,
            new GreenLoop.Pipeline.Optimise.Reviews.ActionChange(GreenLoop.Pipeline.Optimise.Reviews.ActionState.Done, Evidence: "演示：燃烧器调试报告 BT-demo Demo: burner tuning report BT-demo"), "demo", ct);
        await reviews.OpenAsync(tenant.TenantId, DemoPlant.SiteKey, new GreenLoop.Pipeline.Optimise.Reviews.ActionInput(actions[1], review.Id), "demo", ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        if (!await WaitForStartAsync(stoppingToken)) return;
        // A restarted server keeps the plant it created (same anchor, so the same readings) and back-fills only
        // what it missed while it was down.
        var now = clock.GetUtcNow();
        var existing = await store.GetSiteAsync(tenant.TenantId, DemoPlant.SiteKey, stoppingToken);
        var anchor = existing is null ? null : DemoPlant.AnchorDateOf(existing.Definition);
        var plant = anchor is { } a ? new DemoPlant(a) : new DemoPlant(now);
        var days = o.BackfillDays;
        if (existing is not null && anchor is not null)
        {
            var last = await store.LastReadingsAsync(existing.Id, stoppingToken);
            if (last.Count > 0)
            {
                var missed = now - DateTimeOffset.FromUnixTimeMilliseconds(last.Values.Min());
                days = (int)Math.Clamp(Math.Ceiling(missed.TotalDays), 1, o.BackfillDays);
            }
        }
        var outcome = await sites.ApplyAsync(tenant.TenantId, plant.Definition, stoppingToken);
        if (outcome.Errors.Count > 0)
        {
            LogDemoInvalid(string.Join("; ", outcome.Errors.Select(e => $"{e.Path}: {e.Reason}")));
            return;
        }
        // The demo's alarm rules exist before its back-fill is derived, so its planted events raise alarms as it lands.
        if (alarms is not null) await alarms.EnsureRulesAsync(tenant.TenantId, DemoPlant.SiteKey, DemoAlarmRules.All, stoppingToken);
        await EnsureKpisAsync(days, stoppingToken);
        await EnsureElectricityAccountAsync(stoppingToken);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            LogNoAddress();
            return;
        }
        // Kestrel may report a wildcard host; the demo always talks to this machine.
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)).Uri;
        using var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromMinutes(2) };
        // The demo gateway authenticates like any other: an ingest key for the demo site only, made afresh at every
        // start (the previous one is revoked, so no key outlives the process that knows its secret).
        http.DefaultRequestHeaders.Add(Security.ApiKeyAuthenticationHandler.Header, await DemoGatewayKeyAsync(stoppingToken));
        var gateway = new DemoGateway(plant, http, clock, loggers.CreateLogger<DemoGateway>());
        LogDemoStarting(uri, days);
        await gateway.BackfillAsync(days, stoppingToken);
        // Judge the back-filled span once more as a whole (also covers a database filled before it had rules).
        if (alarms is not null)
            await alarms.EvaluateSiteAsync(tenant.TenantId, DemoPlant.SiteKey, (now - TimeSpan.FromDays(days)).ToUnixTimeMilliseconds(), clock.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken);
        await EnsureReviewAsync(stoppingToken);
        await EnsureProjectsAsync(plant.AnchorDate, stoppingToken);
        await EnsureFieldWorkAsync(plant.AnchorDate, stoppingToken);
        await gateway.StreamAsync(TimeSpan.FromSeconds(Math.Max(1, o.LiveIntervalSeconds)), stoppingToken);
    }

    private async Task<string> DemoGatewayKeyAsync(CancellationToken ct)
    {
        const string Name = "demo-gateway";
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var old in (await store.ListApiKeysAsync(tenant.TenantId, ct)).Where(k => k.Name == Name && k.RevokedAt is null))
            await store.RevokeApiKeyAsync(tenant.TenantId, old.Id, now, ct);
        var (key, prefix, hash) = Security.ApiKeys.Generate();
        await store.CreateApiKeyAsync(new StoredApiKey
        {
            TenantId = tenant.TenantId,
            Site = DemoPlant.SiteKey,
            Name = Name,
            Prefix = prefix,
            SecretHash = hash,
            Permissions = [Security.Permissions.Ingest],
            CreatedBy = "demo",
            CreatedAt = now,
        }, ct);
        return key;
    }

    private async Task<bool> WaitForStartAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        using var a = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var b = ct.Register(() => started.TrySetCanceled(ct));
        try { await started.Task; return true; }
        catch (OperationCanceledException) { return false; }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Demo plant: feeding {Address} ({Days} days of back-fill, then live)")]
    private partial void LogDemoStarting(Uri address, int days);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Demo plant definition is invalid: {Errors}")]
    private partial void LogDemoInvalid(string errors);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Demo plant: the air programme stays commissioned, its savings do not verify it (a back-fill shorter than 90 days has no baseline data): {Reason}")]
    private partial void LogDemoNotVerified(string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Demo plant: the server has no listening address (test host?); not feeding")]
    private partial void LogNoAddress();
}
