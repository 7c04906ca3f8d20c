namespace Finsam.Cli;

/// <summary>Folders shipped beside the program (samples/, queries/), or found above the current folder in a clone.</summary>
public static class ShippedFolders
{
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
