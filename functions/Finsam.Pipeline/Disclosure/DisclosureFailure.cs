namespace Finsam.Pipeline.Disclosure;

/// <summary>A count the audit found too well known: what, its interval, why, and the relations that pin it.</summary>
public sealed record DisclosureFailure(
    string Cell, decimal? Low, decimal? High, string Problem, IReadOnlyList<string> Relations)
{
    public override string ToString() =>
        $"{Cell}: [{Low?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-∞"}, {High?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "∞"}] {Problem}" +
        (Relations.Count > 0 ? $" ({string.Join("; ", Relations.Take(4))}{(Relations.Count > 4 ? " …" : "")})" : "");
}
