namespace Finsam.Pipeline.Contract;

/// <summary>The markers member files write beside or instead of a value, whichever format they are in.</summary>
public static class Marker
{
    /// <summary>What member files show for a suppressed value, as Statistics Sweden prints it: the same whatever the reason.</summary>
    public const string Suppressed = "..";
}
