using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.WebEncoders;

namespace GreenLoop.Server.Web;

/// <summary>
/// Wires the server-rendered web UI (Razor Pages under <c>Pages/</c>, scripts and styles under <c>wwwroot/</c>) into a
/// host. Call <see cref="AddGreenLoopUi"/> on the services and <see cref="MapGreenLoopUi"/> on the built app.
/// </summary>
public static class UiRegistration
{
    /// <summary>
    /// Razor Pages (with this assembly as an application part, so a host whose entry assembly is another one still
    /// finds the pages), the UI's extra routes, and request localization for zh-CN and English.
    /// </summary>
    public static IServiceCollection AddGreenLoopUi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var assembly = typeof(UiRegistration).Assembly;
        services
            .AddRazorPages(options =>
            {
                options.Conventions.AddPageRoute("/Index", UiRoutes.SiteOverviewTemplate);
                options.Conventions.AddPageRoute("/Meters", UiRoutes.SiteMetersTemplate);
            })
            .ConfigureApplicationPartManager(manager =>
            {
                // The Web SDK registers the entry assembly's parts; add ours only when the host is another assembly,
                // since the same part twice would map every page twice.
                if (!manager.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    {
                        manager.ApplicationParts.Add(part);
                    }
                }
            });

        // Razor would otherwise write every Chinese character as an &#x...; entity.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddHttpContextAccessor();
        services.AddScoped(provider => UiTextFor(provider.GetRequiredService<IHttpContextAccessor>().HttpContext));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(UiLanguage.English)
                .AddSupportedCultures([.. UiLanguage.All])
                .AddSupportedUICultures([.. UiLanguage.All]);
            options.FallBackToParentCultures = false;
            options.FallBackToParentUICultures = false;
            options.RequestCultureProviders = [new UiLanguageCultureProvider()];
        });
        return services;
    }

    /// <summary>
    /// Static files from the web root, request localization for everything outside <c>/api</c>, the Razor pages and
    /// <c>GET /lang/{code}</c>. Routes: <c>/</c>, <c>/sites/{site}</c>, <c>/meters</c> (<c>?site=</c>),
    /// <c>/sites/{site}/meters</c>, <c>/sites/{site}/meters/{meter}</c>.
    /// </summary>
    public static WebApplication MapGreenLoopUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Static files are served (to anyone, before authentication) by UseGreenLoopSecurity.
        // The API speaks JSON in the invariant culture; only pages follow the visitor's language.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase),
            branch => branch.UseRequestLocalization());
        app.MapRazorPages();
        app.MapGet(UiRoutes.LanguageTemplate, LanguageSwitch.Handle)
            .AllowAnonymous()
            .ExcludeFromDescription();
        // The site switcher: the same page for another site (a local redirect; the page itself checks access).
        app.MapGet(UiRoutes.SwitchSiteTemplate, (string site, string? nav, HttpContext http) =>
                Results.LocalRedirect(http.Request.PathBase + UiRoutes.ForNav(nav, UiRoutes.SiteOrDefault(site))[1..]))
            .ExcludeFromDescription();

        return app;
    }

    private static UiText UiTextFor(HttpContext? context) =>
        UiText.For(context is null ? UiLanguage.English : UiLanguage.Of(context));

    private sealed class UiLanguageCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(UiLanguage.Resolve(httpContext.Request)));
        }
    }
}
