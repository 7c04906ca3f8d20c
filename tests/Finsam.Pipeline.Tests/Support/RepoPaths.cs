namespace Finsam.Pipeline.Tests.Support;

/// <summary>Folders of the repository the tests run from.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();
    public static string Samples => Path.Combine(Root, "samples");
    public static string Queries => Path.Combine(Root, "queries");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Finsam.Pipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException("Finsam.Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
