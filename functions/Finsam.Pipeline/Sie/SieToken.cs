namespace Finsam.Pipeline.Sie;

/// <summary>A field of a SIE record: a plain or quoted string, or an object list in braces.</summary>
public sealed record SieToken(string Text, IReadOnlyList<string>? List = null)
{
    public bool IsList => List is not null;
}
