using GreenLoop.Server.Security;
using GreenLoop.Server.Web;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GreenLoop.Server.Pages;

/// <summary>
/// Baseline models and verified savings of a site: <c>/models</c> (<c>?site=</c>; <c>?id=</c> opens one model): the
/// list of models; a model's spec, coefficients with standard errors and p-values, R², F, CV(RMSE), NMBE and the checks
/// (the refusal in full when it may not be used), observed against predicted and the residuals, the savings of the
/// reporting period with their 68 % and 90 % uncertainty, the non-routine adjustments; and, for users with the
/// <c>improve</c> permission, refitting, adding an adjustment and defining a model.
/// </summary>
public sealed class ModelsModel : PageModel
{
    public string Site { get; private set; } = UiRoutes.DefaultSite;

    /// <summary>Whether the user may define, refit and adjust models (the API checks again on every change).</summary>
    public bool CanImprove { get; private set; }

    public void OnGet(string? site)
    {
        Site = UiRoutes.SiteOrDefault(site);
        CanImprove = Permissions.Has(User, Permissions.Improve, Site);
    }
}
