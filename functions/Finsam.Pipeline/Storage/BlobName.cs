namespace Finsam.Pipeline.Storage;

/// <summary>Checks blob names so that no name can escape its container on any backend.</summary>
public static class BlobName
{
    public static void Validate(string container, string name)
    {
        if (!Containers.All.Contains(container))
            throw new ArgumentException($"Unknown container '{container}'.", nameof(container));
        if (!IsSafe(name))
            throw new ArgumentException($"Unsafe blob name '{name}': use '/'-separated segments without '.', '..', '\\' or empty parts.", nameof(name));
    }

    public static bool IsSafe(string name) =>
        !string.IsNullOrEmpty(name)
        && !name.Contains('\\')
        && !name.Contains('\0')
        && name.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");

    public static string FileName(string name) => name[(name.LastIndexOf('/') + 1)..];
}
