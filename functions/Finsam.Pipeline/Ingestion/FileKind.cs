using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Participants;
using Finsam.Pipeline.Text;
using Finsam.Pipeline.Volumes;

namespace Finsam.Pipeline.Ingestion;

public enum FileKind { Unknown, SieLedger, CsvLedger, Participants, Volumes }

/// <summary>Recognises a file from its content (a SIE record first, or a known CSV header), never from its name.</summary>
public static class FileKindDetector
{
    public static FileKind Detect(ReadOnlySpan<byte> bytes)
    {
        var start = Utf8Bom.Strip(bytes);
        var head = System.Text.Encoding.Latin1.GetString(start[..Math.Min(start.Length, 4096)]).TrimStart();
        if (head.StartsWith('#')) return FileKind.SieLedger;
        var header = DelimitedText.FirstLine(head);
        var columns = header.Split(DelimitedText.DetectDelimiter(header)).Select(c => c.Trim().Trim('"').ToLowerInvariant()).ToArray();
        if (columns.SequenceEqual(CsvLedgerParser.Header)) return FileKind.CsvLedger;
        if (columns.SequenceEqual(ParticipantCodes.Header)) return FileKind.Participants;
        if (columns.SequenceEqual(VolumeCodes.Header)) return FileKind.Volumes;
        return FileKind.Unknown;
    }

    /// <summary>The curated data set family a kind replaces: a new file replaces the month's partition of its family.</summary>
    public static string Family(this FileKind kind) => kind switch
    {
        FileKind.SieLedger or FileKind.CsvLedger => "ledger",
        FileKind.Participants => "participants",
        FileKind.Volumes => "volumes",
        _ => "unknown",
    };
}
