namespace Finsam.Pipeline.Contract;

public enum Severity { Error, Warning }

/// <summary>
/// One problem found in an input file: where (line, column), what (value, already masked when
/// personal) and why, in Swedish and English.
/// </summary>
public sealed record ValidationIssue(
    Severity Severity,
    string Code,
    int? Line,
    string? Column,
    string? Value,
    string MessageSv,
    string MessageEn)
{
    public override string ToString()
    {
        var where = Line is null ? "" : Column is null ? $"line {Line}: " : $"line {Line}, column {Column}: ";
        var value = Value is null ? "" : $" (value: '{Value}')";
        return $"{Severity.ToString().ToLowerInvariant()} {Code}: {where}{MessageEn}{value}";
    }
}
