namespace GreenLoop.Ui.Tests;

/// <summary>
/// One browser and one test plant for all UI tests; the tests run one after the other (a machine of two cores runs
/// Chromium, the server and the test side by side).
/// </summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<Chromium>, ICollectionFixture<TestPlant>
{
    public const string Name = "UI";
}
