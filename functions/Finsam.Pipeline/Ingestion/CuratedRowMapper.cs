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
    /// <summary>
    /// The ledger's transactions as curated rows, each made when it is read: a copy of every row would cost 72 bytes a
    /// transaction (130 MB for a SIE file at the size limit) while the parsed ledger holds them already.
    /// </summary>
    public static IReadOnlyList<LedgerEntry> LedgerRows(ParsedLedger ledger, string sha256) => new LedgerRowView(ledger, sha256);

    private sealed class LedgerRowView : IReadOnlyList<LedgerEntry>
    {
        private readonly ParsedVoucher[] _vouchers;
        private readonly int[] _voucherOfRow;
        private readonly int[] _firstRow;
        private readonly string _format;
        private readonly string _sha256;

        public LedgerRowView(ParsedLedger ledger, string sha256)
        {
            (_vouchers, _format, _sha256) = ([.. ledger.Vouchers], ledger.Format, sha256);
            _firstRow = new int[_vouchers.Length];
            _voucherOfRow = new int[_vouchers.Sum(v => v.Transactions.Count)];
            for (int v = 0, row = 0; v < _vouchers.Length; row += _vouchers[v].Transactions.Count, v++)
            {
                _firstRow[v] = row;
                _voucherOfRow.AsSpan(row, _vouchers[v].Transactions.Count).Fill(v);
            }
        }

        public int Count => _voucherOfRow.Length;

        public LedgerEntry this[int index]
        {
            get
            {
                var v = _voucherOfRow[index];
                var voucher = _vouchers[v];
                var rows = voucher.Transactions;
                return new LedgerEntry(voucher, rows.Array!, rows.Offset + index - _firstRow[v], _format, _sha256);
            }
        }

        public IEnumerator<LedgerEntry> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
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
