using Finsam.Pipeline.Contract;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Participants;
using Finsam.Pipeline.Sie;

namespace Finsam.Pipeline.Ingestion;

/// <summary>A file read and checked against the data contract, with everything found in it.</summary>
public sealed record ValidatedFile(
    FileKind Kind,
    string? Encoding,
    ValidationReport Report,
    ParsedLedger? Ledger = null,
    SieHeader? SieHeader = null,
    ParsedParticipants? Participants = null)
{
    public bool IsValid => !Report.HasErrors;
    public int RowCount => Ledger?.TransactionCount ?? Participants?.Registrations.Count ?? 0;
    public int OpeningBalanceCount => Ledger?.OpeningBalances.Count ?? 0;
    public int MaskedTextCount => (Ledger?.MaskedTexts ?? 0) + (Participants?.MaskedTexts ?? 0);
}
