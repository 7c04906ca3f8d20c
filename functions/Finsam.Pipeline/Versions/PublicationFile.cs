using System.Security.Cryptography;

namespace Finsam.Pipeline.Versions;

/// <summary>One column of a tabular output, as recorded in the manifest.</summary>
public sealed record ColumnSchema(string Name, string Type);

/// <summary>
/// A file of a version: its name inside v{N}/, its bytes and, for tables, the row count and schema.
/// <see cref="VersionDependent"/> files (the report, which shows its version number) are left out of
/// the content fingerprint that decides whether anything changed.
/// </summary>
public sealed record PublicationFile(string Name, byte[] Bytes, long? Rows = null, IReadOnlyList<ColumnSchema>? Schema = null, bool VersionDependent = false)
{
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Bytes));
}
