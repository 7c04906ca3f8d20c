namespace Finsam.Pipeline.Configuration;

/// <summary>Folders shipped beside the program (samples/, queries/), or found above the current folder in a clone.</summary>
public static class ShippedFolders
{
    /// <summary>A file every SQL project has.</summary>
    public const string QueriesMarker = Models.SourceViews.KpiCatalogFile;

    /// <summary>The SQL project shipped with the host, or the repository's queries/ above the current folder.</summary>
    public static string? Queries() => Find("queries", QueriesMarker);

    /// <summary>The sample exports and reference files shipped with the host.</summary>
    public static string? Samples() => Find("samples", "landing");

    public static string? Find(string name, string mustContain)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, name);
        if (Path.Exists(Path.Combine(shipped, mustContain))) return shipped;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (Path.Exists(Path.Combine(candidate, mustContain))) return candidate;
        }
        return null;
    }
}
