using Finsam.Pipeline.Models;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>
/// A class fixture: a <see cref="ModelScenario"/> arranged once and built once, shared by the tests of a class (each full
/// build costs seconds), disposed with the class.
/// </summary>
public abstract class BuiltScenario : IAsyncLifetime
{
    protected ModelScenario Scenario { get; } = new();
    public ModelBuild Build { get; private set; } = null!;

    /// <summary>The files and reference data of the scenario.</summary>
    protected abstract Task ArrangeAsync();

    public async Task InitializeAsync()
    {
        await ArrangeAsync();
        Build = await Scenario.BuildAsync();
    }

    public Task DisposeAsync()
    {
        Build?.Dispose();
        Scenario.Dispose();
        return Task.CompletedTask;
    }
}
