using Finsam.Pipeline.Storage;

namespace Finsam.Pipeline.Models;

/// <summary>
/// The build every host runs, in one order: refresh the cache, run the models, check the assertions, write
/// kpi, kpi_catalog and quality to curated/models/. `finsam build`, `finsam publish` and the timer all come through here.
/// </summary>
public sealed class ModelBuilder(IBlobStore store, ModelOptions options)
{
    public ModelOptions Options => options;

    /// <param name="saveOutputs">False for a build that only answers queries (`finsam sql`).</param>
    public async Task<ModelBuild> BuildAsync(IProgress<string>? progress = null, bool saveOutputs = true, CancellationToken ct = default)
    {
        var build = await ModelBuild.RunAsync(store, options, progress, ct);
        try
        {
            if (saveOutputs) await build.SaveOutputsAsync(store, options.WorkFolder, ct);
            return build;
        }
        catch
        {
            build.Dispose();
            throw;
        }
    }
}
