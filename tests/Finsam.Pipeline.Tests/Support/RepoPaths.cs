namespace Finsam.Pipeline.Tests.Support;

/// <summary>Folders of the repository the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();
    public static string Samples => Path.Combine(Root, "samples");
    public static string Queries => Path.Combine(Root, "queries");

    /// <summary>
    /// The SQL project at <paramref name="from"/> (the repository's, unless given) copied to <paramref name="to"/>, with the lines
    /// <paramref name="keep"/> keeps (every line, unless given), for a test that changes a model or adds one. Returns <paramref name="to"/>.
    /// </summary>
    public static string CopyQueries(string to, string? from = null, Func<string, bool>? keep = null)
    {
        from ??= Queries;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.WriteAllLines(copy, keep is null ? File.ReadAllLines(file) : File.ReadAllLines(file).Where(keep));
        }
        return to;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Finsam.Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException("Finsam.Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
