namespace Finsam.Pipeline.Volumes;

/// <summary>
/// One row of a volume export: how many participants of one gender were registered by volume (counted, without
/// personal data) in one intervention and month.
/// </summary>
public sealed record ParsedVolume(int Line, string InsatsId, string InsatsTyp, string Manad, string Kon, int Antal);

public sealed class ParsedVolumes
{
    public List<ParsedVolume> Rows { get; } = [];
}

/// <summary>The columns and codes of the volume contract.</summary>
public static class VolumeCodes
{
    public static readonly string[] Header = ["insats_id", "insats_typ", "manad", "kon", "antal"];
    public static readonly string[] InsatsTyp = ["individ", "struktur"];
    public static readonly string[] Kon = ["K", "M"];
}
