using GreenLoop.Notifications;
using GreenLoop.Pipeline.Monitor.Notifications;
using GreenLoop.Server.Hosting;
using GreenLoop.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenLoop.Server.Api;

/// <summary>Notification channels (webhook, WeCom, DingTalk, Feishu, e-mail), "send test", and the delivery log.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Notifications");
        api.MapGet("/notification-channels", List).WithSummary("Channels; secrets and passwords are shown masked").RequirePermission(Permissions.Configure);
        api.MapPut("/notification-channels/{key}", Put).WithSummary("Create or replace a channel; sending the mask keeps the stored secret").RequirePermission(Permissions.Configure);
        api.MapDelete("/notification-channels/{key}", Delete).WithSummary("Delete a channel").RequirePermission(Permissions.Configure);
        api.MapPost("/notification-channels/{key}/test", Test).WithSummary("Send a test message now and return the delivery result").RequirePermission(Permissions.Configure);
        api.MapGet("/notification-deliveries", Deliveries).WithSummary("The delivery log, newest first").RequirePermission(Permissions.Read);
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<ChannelDefinition>>> List(ChannelService channels, TenantContext tenant, CancellationToken ct) =>
        TypedResults.Ok(await channels.ListAsync(tenant.TenantId, ct));

    internal static async Task<IResult> Put(string key, ChannelDefinition body, ChannelService channels, TenantContext tenant, CancellationToken ct)
    {
        var outcome = await channels.SaveAsync(tenant.TenantId, key, body, ct);
        return outcome.Saved is { } saved ? TypedResults.Ok(saved)
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["channel"] = [string.Join("; ", outcome.Errors)] }, title: "The channel settings are not valid");
    }

    internal static async Task<IResult> Delete(string key, ChannelService channels, TenantContext tenant, CancellationToken ct) =>
        await channels.DeleteAsync(tenant.TenantId, key, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    internal static Task<IResult> Test(string key, ChannelService channels, TenantContext tenant, CancellationToken ct) =>
        ApiResults.Answer(() => channels.TestAsync(tenant.TenantId, key, ct));

    internal static async Task<Ok<IReadOnlyList<DeliveryView>>> Deliveries(ChannelService channels, TenantContext tenant, CancellationToken ct, int limit = 200) =>
        TypedResults.Ok(await channels.DeliveriesAsync(tenant.TenantId, limit, ct));
}
