using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Participants;
using Finsam.Pipeline.Sie;
using Finsam.Pipeline.Volumes;

namespace Finsam.Pipeline.Ingestion;

/// <summary>A file read and checked against the data contract, with everything found in it.</summary>
public sealed record ValidatedFile(
    FileKind Kind,
    string? Encoding,
    ValidationReport Report,
    ParsedLedger? Ledger = null,
    SieHeader? SieHeader = null,
    ParsedParticipants? Participants = null,
    ParsedVolumes? Volumes = null)
{
    public bool IsValid => !Report.HasErrors;
    public int RowCount => Ledger?.TransactionCount ?? Participants?.Registrations.Count ?? Volumes?.Rows.Count ?? 0;
    public int OpeningBalanceCount => Ledger?.OpeningBalances.Count ?? 0;
    public int MaskedTextCount => (Ledger?.MaskedTexts ?? 0) + (Participants?.MaskedTexts ?? 0);
}
