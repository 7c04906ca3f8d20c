using System.Collections.Concurrent;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Ledger;
using Finsam.Pipeline.Participants;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Volumes;

namespace Finsam.Pipeline.Ingestion;

/// <summary>Turns checked input into curated rows; identity numbers become pseudonyms here.</summary>
public static class CuratedRowMapper
{
    public static List<LedgerEntry> LedgerRows(ParsedLedger ledger, string sha256)
    {
        var rows = new List<LedgerEntry>(ledger.TransactionCount);
        foreach (var voucher in ledger.Vouchers)
            foreach (var transaction in voucher.Transactions)
                rows.Add(new LedgerEntry(voucher, transaction, ledger.Format, sha256));
        return rows;
    }

    public static List<OpeningBalanceEntry> OpeningBalanceRows(ParsedLedger ledger, string sha256) =>
        ledger.OpeningBalances.Select(b => new OpeningBalanceEntry(b, sha256)).ToList();

    /// <summary>Pseudonymises in parallel: one keyed hash per registration is most of the work.</summary>
    public static RegistrationEntry[] RegistrationRows(ParsedParticipants participants, Pseudonymizer pseudonymizer, string sha256)
    {
        var registrations = participants.Registrations;
        var rows = new RegistrationEntry[registrations.Count];
        // A month without registrations is a valid export: an empty partition (the partitioner refuses an empty range).
        if (rows.Length == 0) return rows;
        Parallel.ForEach(Partitioner.Create(0, rows.Length, 4096), range =>
        {
            using var session = pseudonymizer.Session();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var r = registrations[i];
                rows[i] = new RegistrationEntry(r, r.Person is { } person ? session.Pseudonymize(person) : null, sha256);
            }
        });
        return rows;
    }

    public static List<VolumeEntry> VolumeRows(ParsedVolumes volumes, string sha256) =>
        volumes.Rows.Select(v => new VolumeEntry(v, sha256)).ToList();
}
