using GreenLoop.Domain.Optimise.Field;
using GreenLoop.Pipeline.Optimise.Field;
using static GreenLoop.Demo.Tests.DemoTestData;

namespace GreenLoop.Demo.Tests;

/// <summary>The demo's field work is valid as shipped, and its stack inspection fails exactly the filter pressure.</summary>
public sealed class DemoFieldWorkTests
{
    [Fact]
    public void TemplatesAndRounds_Validate_AndNameTheDemosNodesAndMeters()
    {
        var site = Shared.Definition;
        Assert.Equal(3, DemoFieldWork.Templates.Count);
        Assert.All(DemoFieldWork.Templates, t => Assert.Empty(Checklists.Validate(t)));
        Assert.All(DemoFieldWork.Templates.SelectMany(t => t.Items).Where(i => i.Meter is not null), i => Assert.Contains(site.Meters, m => m.Key == i.Meter));
        Assert.All(DemoFieldWork.Rounds, r => Assert.Empty(FieldService.Validate(r)));
        Assert.All(DemoFieldWork.Rounds, r => Assert.Contains(site.Nodes, n => n.Key == r.Node));
        Assert.All(DemoFieldWork.Rounds, r => Assert.Contains(DemoFieldWork.Templates, t => t.Key == r.Template));
    }

    [Fact]
    public void Inspections_OnlyTheStackFilterPressureFails_AndThePhotosAreAcceptedUnchanged()
    {
        foreach (var (submission, photos) in DemoFieldWork.Inspections(Anchor))
        {
            var template = DemoFieldWork.Templates.Single(t => t.Key == submission.Template);
            var (outcomes, missing) = Checklists.Judge(template, submission.Answers, item => photos.Count(p => p.Item == item));
            Assert.Empty(missing);
            var failed = outcomes.Where(o => o.Failed).Select(o => o.Item).ToList();
            Assert.Equal(template.Key == "stack-bag-filter" ? ["dp"] : [], failed);
            foreach (var p in photos)
            {
                var (clean, error) = PhotoFile.Clean(p.Content);
                Assert.Null(error);
                Assert.Equal(p.Content, clean!.Content);
            }
        }
    }
}
