using System.Text;
using System.Text.Json;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.Curated;
using Finsam.Pipeline.Ingestion;
using Finsam.Pipeline.Privacy;
using Finsam.Pipeline.Reference;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;

namespace Finsam.Pipeline.Tests.Ingestion;

/// <summary>Ingestion end to end through a real backend: a temporary folder or a real Azurite.</summary>
public abstract class IngestionTests(IStoreFactory factory) : IAsyncLifetime
{
    protected readonly IBlobStore Store = factory.Create();
    private IngestionService Service => new(Store, new Pseudonymizer(TestPersons.Key));

    public Task InitializeAsync() => Samples.SeedReferenceAsync(Store);
    public Task DisposeAsync() => Task.CompletedTask;

    private Task DropAsync(string name, byte[] bytes) => Store.WriteAsync(Containers.Landing, name, bytes, WriteCondition.Overwrite);
    private Task<List<string>> NamesAsync(string container, string prefix = "") => Store.ListAsync(container, prefix).Select(b => b.Name).ToListAsync().AsTask();

    /// <summary>The curated data sets, without the ingestion log and the receipts.</summary>
    private async Task<IEnumerable<string>> DataFilesAsync() =>
        (await NamesAsync(Containers.Curated)).Where(n => !n.StartsWith(CuratedLayout.IngestionLog + "/") && !n.StartsWith(CuratedLayout.IngestionReceipts + "/"));

    [Fact]
    public async Task Samples_land_in_hive_partitions_with_every_row()
    {
        await Samples.DropAllAsync(Store);

        var summary = await Service.IngestAllAsync();

        // 4 federations × 3 months × (ledger + participants), and volume exports: aspdalen January–March, ekstrand February–March.
        Assert.Equal((29, 0, 0), (summary.Accepted, summary.Rejected, summary.Duplicates));
        var data = (await DataFilesAsync()).ToList();
        var volumes = new[] { ("aspdalen", "2025-01"), ("aspdalen", "2025-02"), ("aspdalen", "2025-03"), ("ekstrand", "2025-02"), ("ekstrand", "2025-03") };
        var expected = new[] { "aspdalen", "bjorkvik", "ekstrand", "granmo" }
            .SelectMany(f => new[] { "2025-01", "2025-02", "2025-03" }.SelectMany(p => new[] { "ledger", "opening_balances", "registrations" }
                .Select(d => $"{d}/federation={f}/period={p}/data.parquet")))
            .Concat(volumes.Select(v => $"volumes/federation={v.Item1}/period={v.Item2}/data.parquet"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, data);
        Assert.Equal(29, (await NamesAsync(Containers.Curated, "ingestion_log/")).Count);
        Assert.Equal(29, (await NamesAsync(Containers.Curated, "ingestion_receipts/")).Count);
        Assert.Equal(29, (await NamesAsync(Containers.Raw)).Count);
        Assert.Empty(await NamesAsync(Containers.Landing));
        Assert.Empty(await NamesAsync(Containers.Quarantine));

        // Every #TRANS line of the SIE sample becomes one row; every CSV data row one registration.
        var sie = Encoding.Latin1.GetString(Samples.File("aspdalen/2025-03/aspdalen_huvudbok_202503.se"));
        var ledger = await CuratedReader.RowsAsync(Store, "ledger/federation=aspdalen/period=2025-03/data.parquet");
        Assert.Equal(sie.Split('\n').Count(l => l.TrimStart().StartsWith("#TRANS")), ledger.Count);
        Assert.Equal(0m, ledger.Sum(r => (decimal)r["amount"]!));
        var participants = Encoding.UTF8.GetString(Samples.File("granmo/2025-02/granmo_deltagare_202502.csv"));
        var registrations = await CuratedReader.RowsAsync(Store, "registrations/federation=granmo/period=2025-02/data.parquet");
        Assert.Equal(participants.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1, registrations.Count);
        // Every volume row, as counted.
        var counts = await CuratedReader.RowsAsync(Store, "volumes/federation=aspdalen/period=2025-03/data.parquet");
        Assert.Equal([("aspdalen-MT", "individ", "2025-03", "K", 3), ("aspdalen-MT", "individ", "2025-03", "M", 4), ("aspdalen-UTB", "struktur", "2025-03", "K", 22), ("aspdalen-UTB", "struktur", "2025-03", "M", 9)],
            counts.Select(r => ((string)r["insats_id"]!, (string)r["insats_typ"]!, (string)r["manad"]!, (string)r["kon"]!, (int)r["antal"]!)));
    }

    [Fact]
    public async Task A_volume_export_is_checked_against_the_interventions_and_a_new_one_replaces_the_month()
    {
        await Store.WriteAsync(Containers.Reference, "insatser.csv", Encoding.UTF8.GetBytes("federation_id;insats_id;namn;typ;huvudman;objekt\nbjorkvik;bjorkvik-MT;Mottagningsteam;MT;Region;1:MT\n"), WriteCondition.Overwrite);
        const string name = "bjorkvik/2025-02/volym.csv";
        const string partition = "volumes/federation=bjorkvik/period=2025-02/data.parquet";
        await DropAsync(name, Csv.Utf8("""
            insats_id;insats_typ;manad;kon;antal
            bjorkvik-MT;individ;2025-02;K;7
            bjorkvik-RAD;individ;2025-02;K;2
            bjorkvik-RAD;individ;2025-02;M;1
            """));

        var first = (await Service.IngestAllAsync()).Files.Single();

        // An intervention missing from insatser.csv is a warning, once: the counts are kept.
        Assert.Equal((FileStatus.Accepted, FileKind.Volumes, 3, 1), (first.Status, first.Kind, first.RowCount, first.WarningCount));
        Assert.Equal("Ingested 3 volume counts, 1 warning(s).", first.Message);
        Assert.Equal([7, 2, 1], (await CuratedReader.RowsAsync(Store, partition)).Select(r => (int)r["antal"]!));

        // A wrong month is refused with the line, column and value; the month's data stays as it was.
        await DropAsync(name, Csv.Utf8("insats_id;insats_typ;manad;kon;antal\nbjorkvik-MT;individ;2025-03;K;8\n"));
        var wrongMonth = (await Service.IngestAllAsync()).Files.Single();
        Assert.Equal(FileStatus.Rejected, wrongMonth.Status);
        var report = Encoding.UTF8.GetString((await Store.ReadAsync(Containers.Quarantine, wrongMonth.ReportPath![(Containers.Quarantine.Length + 1)..])).Bytes);
        Assert.Contains("rad/line 2, kolumn/column manad – värde/value '2025-03'", report);
        Assert.Contains("manad is outside the landing month 2025-02; a volume export is for its own month.", report);
        Assert.Equal(3, (await CuratedReader.RowsAsync(Store, partition)).Count);

        // A corrected export replaces the month.
        await DropAsync(name, Csv.Utf8("insats_id;insats_typ;manad;kon;antal\nbjorkvik-MT;individ;2025-02;K;8\n"));
        Assert.Equal(FileStatus.Accepted, (await Service.IngestAllAsync()).Files.Single().Status);
        Assert.Equal([8], (await CuratedReader.RowsAsync(Store, partition)).Select(r => (int)r["antal"]!));
        var log = await NamesAsync(Containers.Curated, "ingestion_log/federation=bjorkvik/period=2025-02/");
        Assert.Equal(["volumes", "volumes", "volumes"], log.Select(n => n.Split('_')[^4]));
    }

    [Fact]
    public async Task DuckDB_reads_curated_parquet_with_the_right_types()
    {
        await Samples.DropAllAsync(Store);
        await Service.IngestAllAsync();
        using var local = new TempFolder();
        var curated = await DuckDb.MaterializeAsync(Store, Containers.Curated, local);

        var ledgerTypes = DuckDb.Query($"describe select * from read_parquet('{curated}/ledger/**/*.parquet', hive_partitioning = true)")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        var registrationTypes = DuckDb.Query($"describe select * from read_parquet('{curated}/registrations/**/*.parquet', hive_partitioning = true)")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        var balance = DuckDb.Query($"""
            select federation, period, count(*), sum(amount)
            from read_parquet('{curated}/ledger/**/*.parquet', hive_partitioning = true)
            group by all order by all
            """);

        Assert.Equal("DECIMAL(18,2)", ledgerTypes["amount"]);
        Assert.Equal("DATE", ledgerTypes["voucher_date"]);
        Assert.Equal("DATE", ledgerTypes["transaction_date"]);
        Assert.Equal("VARCHAR", ledgerTypes["federation"]);
        Assert.Equal("VARCHAR", ledgerTypes["period"]);
        Assert.Equal("DATE", registrationTypes["startdatum"]);
        Assert.Equal("DATE", registrationTypes["slutdatum"]);
        // The exact age at the start is kept; no birth date or birth year reaches curated data.
        Assert.Equal("INTEGER", registrationTypes["alder_start"]);
        Assert.DoesNotContain(registrationTypes.Keys, c => c.Contains("fodelse") || c.Contains("birth"));
        Assert.Equal("BOOLEAN", registrationTypes["anonym"]);
        Assert.Equal(12, balance.Count);
        Assert.All(balance, row => Assert.Equal(0m, (decimal)row[3]!));
        Assert.Equal(("aspdalen", "2025-01"), ((string)balance[0][0]!, (string)balance[0][1]!));
    }

    [Fact]
    public async Task Bad_files_are_quarantined_with_reports_while_good_files_beside_them_go_through()
    {
        var good = Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se");
        var unbalanced = Support.Sie.File("""
            #VER A 1 20250110 "Obalans" 20250110
            {
               #TRANS 6110 {} 300.00
               #TRANS 1930 {} -299.00
            }
            """);
        var badPerson = TestPersons.Number(1990, 1, 1, 238)[..^1] + "0";
        var participants = Csv.Utf8($"""
            registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak
            R1;{badPerson};nej;K;;9901;MT;Mottagningsteam;individ;2025-01-02;;;;;
            """);
        await DropAsync("aspdalen/2025-01/good.se", good);
        await DropAsync("aspdalen/2025-01/unbalanced.se", unbalanced);
        await DropAsync("bjorkvik/2025-01/deltagare.csv", participants);
        await DropAsync("okand/2025-01/x.se", good);
        await DropAsync("aspdalen/2025-13/x.se", good);
        await DropAsync("aspdalen/1999-12/x.se", good); // a month, but of no year the pipeline takes
        await DropAsync("aspdalen/2025-01/extra/x.se", good);
        await DropAsync("aspdalen/2025-01/notes.txt", Encoding.UTF8.GetBytes("hello"));

        var summary = await Service.IngestAllAsync();

        var byName = summary.Files.ToDictionary(f => f.LandingName, f => f.Status);
        Assert.Equal(FileStatus.Accepted, byName["aspdalen/2025-01/good.se"]);
        Assert.Equal(7, summary.Rejected);
        Assert.Empty(await NamesAsync(Containers.Landing));
        Assert.Equal(["ledger/federation=aspdalen/period=2025-01/data.parquet", "opening_balances/federation=aspdalen/period=2025-01/data.parquet"],
            await DataFilesAsync());

        var quarantine = await NamesAsync(Containers.Quarantine);
        Assert.Equal(21, quarantine.Count); // each rejected original with its JSON and text report
        var unbalancedReport = quarantine.Single(n => n.StartsWith("aspdalen/2025-01/") && n.EndsWith("_unbalanced.se.report.json"));
        using var json = JsonDocument.Parse((await Store.ReadAsync(Containers.Quarantine, unbalancedReport)).Bytes);
        var issue = json.RootElement.GetProperty("issues")[0];
        Assert.Equal("voucher_unbalanced", issue.GetProperty("code").GetString());
        Assert.Equal(9, issue.GetProperty("line").GetInt32());
        Assert.Equal("1.00", issue.GetProperty("value").GetString());
        Assert.Equal("Verifikation A 1 balanserar inte: summan av beloppen är 1.00, den ska vara 0,00.", issue.GetProperty("message_sv").GetString());
        Assert.Contains(quarantine, n => n.StartsWith("aspdalen/2025-01/") && n.EndsWith("_unbalanced.se"));

        var participantText = Encoding.UTF8.GetString((await Store.ReadAsync(Containers.Quarantine,
            quarantine.Single(n => n.StartsWith("bjorkvik/2025-01/") && n.EndsWith(".report.txt")))).Bytes);
        Assert.Contains("rad/line 2, kolumn/column personnummer – värde/value '19900101-****'", participantText);
        Assert.Contains("Invalid personnummer: the check digit is wrong (Luhn).", participantText);
        Assert.DoesNotContain(badPerson, participantText);

        var pathReports = quarantine.Where(n => n.StartsWith("_unknown/") && n.EndsWith(".report.json")).ToList();
        var pathMessages = new List<string>();
        foreach (var report in pathReports)
        {
            using var doc = JsonDocument.Parse((await Store.ReadAsync(Containers.Quarantine, report)).Bytes);
            pathMessages.Add(doc.RootElement.GetProperty("issues")[0].GetProperty("message_en").GetString()!);
        }
        Assert.Equal(
            [
                "'1999-12' is not a month; write yyyy-MM with a year from 2000 to 2099 and a month from 01 to 12.",
                "'2025-13' is not a month; write yyyy-MM with a year from 2000 to 2099 and a month from 01 to 12.",
                "Files belong in landing/{federation}/{yyyy-MM}/{file}, but the path 'aspdalen/2025-01/extra/x.se' has 4 parts.",
                "The federation 'okand' is not listed in reference/federations.csv.",
            ],
            pathMessages.Order(StringComparer.Ordinal));
        Assert.Equal(FileStatus.Rejected, byName["aspdalen/2025-01/notes.txt"]);
    }

    [Fact]
    public async Task A_rejected_file_dropped_again_is_checked_again_so_fixed_reference_data_lets_it_through()
    {
        // reference/federations.csv has a mistyped organisation number for a federation, so its ledger's #ORGNR does not match.
        var federations = Encoding.UTF8.GetString((await Store.ReadAsync(Containers.Reference, "federations.csv")).Bytes);
        await Store.WriteAsync(Containers.Reference, "federations.csv",
            Encoding.UTF8.GetBytes(federations.Replace("aspdalen;Samordningsförbundet Aspdalen;222000-0018", "aspdalen;Samordningsförbundet Aspdalen;222000-0810")),
            WriteCondition.Overwrite);
        var ledger = Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se");
        await DropAsync("aspdalen/2025-01/huvudbok.se", ledger);
        var first = (await Service.IngestAllAsync()).Files.Single();
        Assert.Equal(FileStatus.Rejected, first.Status);

        // The controller corrects the reference file; the federation drops the same bytes again.
        await Store.WriteAsync(Containers.Reference, "federations.csv", Encoding.UTF8.GetBytes(federations), WriteCondition.Overwrite);
        await DropAsync("aspdalen/2025-01/huvudbok.se", ledger);
        var again = (await Service.IngestAllAsync()).Files.Single();

        Assert.Equal(FileStatus.Accepted, again.Status);
        Assert.Equal(first.Sha256, again.Sha256);
        Assert.NotEmpty(await CuratedReader.RowsAsync(Store, "ledger/federation=aspdalen/period=2025-01/data.parquet"));
    }

    [Fact]
    public async Task Same_bytes_twice_is_a_no_op_and_a_new_version_replaces_the_month()
    {
        const string name = "ekstrand/2025-01/huvudbok.csv";
        const string partition = "ledger/federation=ekstrand/period=2025-01/data.parquet";
        var original = Samples.File("ekstrand/2025-01/ekstrand-huvudbok-2025-01.csv");
        var corrected = Csv.Utf8("""
            verifikation;datum;konto;belopp;objekt;text
            B1;2025-01-05;1930;10,00;;Rättelse
            B1;2025-01-05;3010;-10,00;;Rättelse
            """);

        await DropAsync(name, original);
        Assert.Equal(FileStatus.Accepted, (await Service.IngestAllAsync()).Files.Single().Status);
        var firstVersion = await Store.GetInfoAsync(Containers.Curated, partition);

        await DropAsync("ekstrand/2025-01/same-bytes-new-name.csv", original);
        var again = (await Service.IngestAllAsync()).Files.Single();
        Assert.Equal(FileStatus.Duplicate, again.Status);
        Assert.Equal(firstVersion!.ETag, (await Store.GetInfoAsync(Containers.Curated, partition))!.ETag);

        await DropAsync(name, corrected);
        Assert.Equal(FileStatus.Accepted, (await Service.IngestAllAsync()).Files.Single().Status);
        var rows = await CuratedReader.RowsAsync(Store, partition);
        Assert.Equal([10.00m, -10.00m], rows.Select(r => (decimal)r["amount"]!));
        // The new file has no opening balances, so the month's balances are replaced by none.
        Assert.Empty(await CuratedReader.RowsAsync(Store, "opening_balances/federation=ekstrand/period=2025-01/data.parquet"));

        // Re-dropping the first version is not a duplicate of what is current: it replaces the month again.
        await DropAsync(name, original);
        Assert.Equal(FileStatus.Accepted, (await Service.IngestAllAsync()).Files.Single().Status);
        Assert.Equal(16, (await CuratedReader.RowsAsync(Store, partition)).Count);

        var log = await NamesAsync(Containers.Curated, "ingestion_log/federation=ekstrand/period=2025-01/");
        Assert.Equal(["accepted", "duplicate", "accepted", "accepted"], log.Select(n => n.Split('_')[^3]));
        var entry = (await ParquetBytes.DeserializeAsync<IngestionLogRow>((await Store.ReadAsync(Containers.Curated, log[1])).Bytes)).Single();
        Assert.Equal(("duplicate", "ekstrand", "2025-01", "CsvLedger"), (entry.Status, entry.FederationId, entry.FilePeriod, entry.Kind));
    }

    [Fact]
    public async Task No_personnummer_in_any_form_reaches_curated_data()
    {
        await Samples.DropAllAsync(Store);
        await Service.IngestAllAsync();

        var numbers = new HashSet<string> { "19850312-2383", "198503122383", "850312-2383", "8503122383" };
        foreach (var (name, bytes) in Samples.LandingFiles().Where(f => f.Name.Contains("deltagare")))
            foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n').Skip(1))
            {
                var pnr = line.Split(';').ElementAtOrDefault(1);
                if (string.IsNullOrEmpty(pnr)) continue;
                var digits = pnr.Replace("-", "").Replace("+", "");
                var twelve = digits.Length == 12 ? digits : (PersonalIdentityNumber.TryParse(pnr, new DateOnly(2025, 3, 31), out var n, out _, out _) ? n.Normalized : throw new InvalidOperationException(name));
                numbers.UnionWith([twelve, twelve[..8] + "-" + twelve[8..], twelve[2..], twelve[2..8] + "-" + twelve[8..]]);
            }
        Assert.True(numbers.Count > 100);

        var curatedBlobs = await NamesAsync(Containers.Curated);
        foreach (var blob in curatedBlobs)
        {
            var text = Encoding.Latin1.GetString((await Store.ReadAsync(Containers.Curated, blob)).Bytes);
            Assert.DoesNotContain(numbers, text.Contains);
        }
        using var local = new TempFolder();
        var curated = await DuckDb.MaterializeAsync(Store, Containers.Curated, local);
        foreach (var dataset in new[] { "ledger", "opening_balances", "registrations", "volumes", "ingestion_log" })
        {
            var values = DuckDb.Query($"select * from read_parquet('{curated}/{dataset}/**/*.parquet', hive_partitioning = true, union_by_name = true)")
                .SelectMany(r => r).Select(v => v?.ToString() ?? "").ToList();
            Assert.NotEmpty(values);
            Assert.DoesNotContain(values, v => numbers.Any(v.Contains));
        }
    }

    [Fact]
    public async Task The_same_person_gets_the_same_pseudonym_in_every_federation()
    {
        var person = TestPersons.Number(1979, 11, 23, 654);
        string File(string pnr) => $"""
            registrering_id;personnummer;anonym;kon;fodelsear;kommun;insats_id;insats_namn;insats_typ;startdatum;slutdatum;utbildning;forsorjning_fore;forsorjning_efter;avslutsorsak
            R1;{pnr};nej;M;;9901;MT;Mottagningsteam;individ;2025-01-02;;;;;
            R2;;ja;K;;;MT;Mottagningsteam;individ;2025-01-03;;;;;
            """;
        await DropAsync("aspdalen/2025-01/d.csv", Csv.Utf8(File(person)));
        await DropAsync("granmo/2025-01/d.csv", Csv.Utf8(File(TestPersons.Short(person))));

        await Service.IngestAllAsync();

        var a = await CuratedReader.RowsAsync(Store, "registrations/federation=aspdalen/period=2025-01/data.parquet");
        var g = await CuratedReader.RowsAsync(Store, "registrations/federation=granmo/period=2025-01/data.parquet");
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(TestPersons.Key, Encoding.ASCII.GetBytes(TestPersons.Compact(person))));
        Assert.Equal([expected, null], a.Select(r => (string?)r["person_pseudonym"]));
        Assert.Equal([expected, null], g.Select(r => (string?)r["person_pseudonym"]));
        Assert.Equal([false, true], a.Select(r => (bool)r["anonym"]!));
    }

    [Fact]
    public async Task Concurrent_ingestion_of_different_files_loses_neither()
    {
        await Samples.DropAllAsync(Store);
        var federations = await FederationRegistry.LoadAsync(Store);
        var landing = await Store.ListAsync(Containers.Landing).ToListAsync();

        var outcomes = await Task.WhenAll(
            Task.Run(async () => { var s = Service; var r = new List<FileOutcome>(); foreach (var b in landing.Where((_, i) => i % 2 == 0)) r.Add(await s.IngestBlobAsync(b.Name)); return r; }),
            Task.Run(async () => { var s = Service; var r = new List<FileOutcome>(); foreach (var b in landing.Where((_, i) => i % 2 == 1)) r.Add(await s.IngestBlobAsync(b.Name)); return r; }));

        Assert.All(outcomes.SelectMany(o => o), o => Assert.Equal(FileStatus.Accepted, o.Status));
        Assert.Equal(41, (await NamesAsync(Containers.Curated)).Count(n => n.EndsWith("/data.parquet")));
        Assert.Equal(29, (await NamesAsync(Containers.Curated, "ingestion_log/")).Count);
        Assert.Empty(await NamesAsync(Containers.Landing));
    }

    [Fact]
    public async Task A_file_dropped_again_while_it_is_being_ingested_stays_for_the_next_run()
    {
        var first = Samples.File("granmo/2025-01/granmo-huvudbok-2025-01.csv");
        var second = Samples.File("granmo/2025-01/granmo_deltagare_202501.csv");
        await DropAsync("granmo/2025-01/export.csv", first);
        var racing = new ReplaceAfterReadStore(Store, Containers.Landing, "granmo/2025-01/export.csv", second);

        var outcome = (await new IngestionService(racing, new Pseudonymizer(TestPersons.Key)).IngestAllAsync()).Files.Single();

        Assert.Equal(FileStatus.Accepted, outcome.Status);
        Assert.EndsWith("A newer file with the same name arrived meanwhile; it stays in landing for the next run.", outcome.Message);
        Assert.Equal(second, (await Store.ReadAsync(Containers.Landing, "granmo/2025-01/export.csv")).Bytes);
        var next = (await Service.IngestAllAsync()).Files.Single();
        Assert.Equal((FileStatus.Accepted, FileKind.Participants), (next.Status, next.Kind));
    }

    [Fact]
    public async Task Missing_reference_data_stops_the_run_with_a_clear_message()
    {
        await Store.DeleteAsync(Containers.Reference, "federations.csv");

        var e = await Assert.ThrowsAsync<ReferenceDataException>(() => Service.IngestAllAsync());

        Assert.StartsWith("reference/federations.csv is missing in ", e.Message);
    }

    [Fact]
    public async Task A_storage_fault_leaves_the_file_in_landing_and_the_others_go_through()
    {
        await DropAsync("aspdalen/2025-01/a.se", Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se"));
        await DropAsync("bjorkvik/2025-01/b.se", Samples.File("bjorkvik/2025-01/bjorkvik_huvudbok_202501.se"));
        var faulty = new FailingWritesStore(Store, name => name.StartsWith("ledger/federation=aspdalen/"));
        var options = new FinsamOptions { Storage = { TransientAttempts = 3, RetryDelay = TimeSpan.Zero } };

        var first = await new IngestionService(faulty, new Pseudonymizer(TestPersons.Key), options: options).IngestAllAsync();

        Assert.Equal([FileStatus.Failed, FileStatus.Accepted], first.Files.Select(f => f.Status));
        Assert.Equal("Could not be processed (IOException: disk full); the file stays in landing and is tried again on the next run (attempt 1 of 5).", first.Files[0].Message);
        Assert.Equal(3, faulty.FailedWrites);
        Assert.Equal(["aspdalen/2025-01/a.se"], await NamesAsync(Containers.Landing));
        var second = await Service.IngestAllAsync();
        Assert.Equal(FileStatus.Accepted, second.Files.Single().Status);
        Assert.Empty(await NamesAsync(Containers.Landing));
    }

    [Fact]
    public async Task Asked_to_stop_it_finishes_the_file_in_hand_and_leaves_the_rest_in_landing()
    {
        await Samples.DropAllAsync(Store);
        using var stopping = new CancellationTokenSource();
        // Stop is asked for while the first file is being ingested: when its curated data is written.
        var askingToStop = new StopOnWriteStore(Store, stopping, name => name.StartsWith("registrations/"));

        var summary = await new IngestionService(askingToStop, new Pseudonymizer(TestPersons.Key)).IngestAllAsync(null, stopping.Token, CancellationToken.None);

        var done = Assert.Single(summary.Files);
        Assert.Equal(("aspdalen/2025-01/aspdalen_deltagare_202501.csv", FileStatus.Accepted), (done.LandingName, done.Status));
        Assert.Equal(28, (await NamesAsync(Containers.Landing)).Count);
        Assert.DoesNotContain(done.LandingName, await NamesAsync(Containers.Landing));
        Assert.Equal(["registrations/federation=aspdalen/period=2025-01/data.parquet"], await DataFilesAsync());
        Assert.Single(await NamesAsync(Containers.Curated, CuratedLayout.IngestionReceipts + "/"));
        var rest = await Service.IngestAllAsync();
        Assert.Equal((28, 0), (rest.Accepted, rest.Duplicates));
    }

    [Fact]
    public async Task A_request_timeout_is_a_failure_of_that_file_and_the_others_go_through()
    {
        await DropAsync("aspdalen/2025-01/a.se", Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se"));
        await DropAsync("bjorkvik/2025-01/b.se", Samples.File("bjorkvik/2025-01/bjorkvik_huvudbok_202501.se"));
        // What the Azure SDK throws when a request outlives its network timeout: a cancellation nobody asked for.
        var timingOut = new ThrowingWritesStore(Store, name => name.StartsWith("ledger/federation=aspdalen/"),
            () => new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:01:40."));

        var summary = await new IngestionService(timingOut, new Pseudonymizer(TestPersons.Key)).IngestAllAsync();

        Assert.Equal([FileStatus.Failed, FileStatus.Accepted], summary.Files.Select(f => f.Status));
        Assert.Equal("Could not be processed (TaskCanceledException: The operation was cancelled because it exceeded the configured timeout of 0:01:40.); " +
                     "the file stays in landing and is tried again on the next run (attempt 1 of 5).", summary.Files[0].Message);
        Assert.Equal(["aspdalen/2025-01/a.se"], await NamesAsync(Containers.Landing));
    }

    [Fact]
    public async Task A_landing_name_shaped_like_an_identity_number_is_masked_in_the_log()
    {
        var person = TestPersons.Number(1990, 1, 1, 238);
        await DropAsync($"aspdalen/2025-01/{person}.se", Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se"));
        var logs = new CapturedLogs();
        using var factory = new Microsoft.Extensions.Logging.LoggerFactory([logs]);

        await new IngestionService(Store, new Pseudonymizer(TestPersons.Key), logger: new Microsoft.Extensions.Logging.Logger<IngestionService>(factory)).IngestAllAsync();

        Assert.Equal(["Landing blob aspdalen/2025-01/[personnummer].se: Accepted, 16 row(s), 0 error(s), 0 warning(s)"], logs.Entries.Select(e => e.Message));
    }

    [Fact]
    public async Task A_landing_name_shaped_like_an_identity_number_reaches_no_curated_data_receipt_or_report()
    {
        var person = TestPersons.Number(1990, 1, 1, 238);
        var forms = new[] { person, TestPersons.Compact(person), TestPersons.Short(person), TestPersons.Compact(person)[2..] };
        await DropAsync($"aspdalen/2025-01/huvudbok_{person}.se", Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se"));
        await DropAsync($"bjorkvik/2025-01/deltagare_{TestPersons.Short(person)}.csv", Encoding.UTF8.GetBytes("not an export"));
        await DropAsync($"okand/2025-01/{TestPersons.Compact(person)}.csv", Encoding.UTF8.GetBytes("not an export"));

        var summary = await Service.IngestAllAsync();

        Assert.Equal((1, 2), (summary.Accepted, summary.Rejected));
        foreach (var blob in await NamesAsync(Containers.Curated))
        {
            Assert.DoesNotContain(forms, blob.Contains);
            var text = Encoding.Latin1.GetString((await Store.ReadAsync(Containers.Curated, blob)).Bytes);
            Assert.DoesNotContain(forms, text.Contains);
        }
        using var local = new TempFolder();
        var curated = await DuckDb.MaterializeAsync(Store, Containers.Curated, local);
        var log = DuckDb.Query($"select landing_path, file_name, report_path from read_parquet('{curated}/ingestion_log/**/*.parquet', hive_partitioning = true)")
            .SelectMany(r => r).Select(v => v?.ToString() ?? "").ToList();
        Assert.Contains("aspdalen/2025-01/huvudbok_[personnummer].se", log);
        Assert.DoesNotContain(log, v => forms.Any(v.Contains));
        // The quarantined copies and their reports: names and contents.
        foreach (var blob in await NamesAsync(Containers.Quarantine))
        {
            Assert.DoesNotContain(forms, blob.Contains);
            if (!blob.EndsWith(".report.json") && !blob.EndsWith(".report.txt")) continue;
            var text = Encoding.UTF8.GetString((await Store.ReadAsync(Containers.Quarantine, blob)).Bytes);
            Assert.DoesNotContain(forms, text.Contains);
        }
    }

    [Fact]
    public async Task A_file_with_a_very_long_name_is_quarantined_like_any_other()
    {
        // 240 bytes of name: legal in landing, but with the quarantine prefix and a temporary suffix too long for a file system's name.
        var name = "aspdalen/2025-01/" + new string('ö', 118) + ".csv";
        if (Store is ILocalFileStore local)
        {
            // Put there by hand, as a federation's upload would: the store's own write goes through a longer temporary name.
            var path = local.LocalPath(Containers.Landing, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes("not an export"));
        }
        else await DropAsync(name, Encoding.UTF8.GetBytes("not an export"));
        await DropAsync("aspdalen/2025-01/good.se", Samples.File("aspdalen/2025-01/aspdalen_huvudbok_202501.se"));

        var summary = await Service.IngestAllAsync();

        var byName = summary.Files.ToDictionary(f => f.LandingName, f => f.Status);
        Assert.Equal(FileStatus.Rejected, byName[name]);
        Assert.Equal(FileStatus.Accepted, byName["aspdalen/2025-01/good.se"]);
        Assert.Empty(await NamesAsync(Containers.Landing));
        var quarantine = await NamesAsync(Containers.Quarantine);
        Assert.Equal(3, quarantine.Count);
        Assert.All(quarantine, n => Assert.True(Encoding.UTF8.GetByteCount(n.Split('/')[^1]) <= 200, n));
        Assert.Contains(quarantine, n => n.EndsWith(".csv.report.txt"));
    }

    [Fact]
    public async Task A_file_named_like_a_report_is_quarantined_under_a_name_no_report_has()
    {
        // Only the pipeline's reports end in .report.txt or .report.json: controllers read them and retention keeps them.
        await DropAsync("aspdalen/2025-01/deltagare.report.txt", Encoding.UTF8.GetBytes("not an export"));

        var summary = await Service.IngestAllAsync();

        Assert.Equal(FileStatus.Rejected, summary.Files.Single().Status);
        var quarantine = await NamesAsync(Containers.Quarantine);
        var original = Assert.Single(quarantine, n => !n.EndsWith(".report.txt") && !n.EndsWith(".report.json"));
        Assert.EndsWith("deltagare_report.txt", original);
        Assert.Equal([original, original + ".report.json", original + ".report.txt"], quarantine.Order(StringComparer.Ordinal));
    }

    /// <summary>Throws on every write to curated blobs whose name matches.</summary>
    private sealed class ThrowingWritesStore(IBlobStore inner, Func<string, bool> fails, Func<Exception> error) : DelegatingBlobStore(inner)
    {
        public override Task<BlobInfo> WriteAsync(string c, string n, ReadOnlyMemory<byte> b, WriteCondition w, CancellationToken ct = default) =>
            c == Containers.Curated && fails(n) ? Task.FromException<BlobInfo>(error()) : base.WriteAsync(c, n, b, w, ct);
    }

    /// <summary>Asks to stop when a curated blob whose name matches is written.</summary>
    private sealed class StopOnWriteStore(IBlobStore inner, CancellationTokenSource stopping, Func<string, bool> asksToStop) : DelegatingBlobStore(inner)
    {
        public override Task<BlobInfo> WriteAsync(string c, string n, ReadOnlyMemory<byte> b, WriteCondition w, CancellationToken ct = default)
        {
            if (c == Containers.Curated && asksToStop(n)) stopping.Cancel();
            return base.WriteAsync(c, n, b, w, ct);
        }
    }

    /// <summary>Fails every write to curated blobs whose name matches.</summary>
    private sealed class FailingWritesStore(IBlobStore inner, Func<string, bool> fails) : DelegatingBlobStore(inner)
    {
        private int _failedWrites;
        public int FailedWrites => _failedWrites;

        public override Task<BlobInfo> WriteAsync(string c, string n, ReadOnlyMemory<byte> b, WriteCondition w, CancellationToken ct = default)
        {
            if (c != Containers.Curated || !fails(n)) return base.WriteAsync(c, n, b, w, ct);
            Interlocked.Increment(ref _failedWrites);
            throw new IOException("disk full");
        }
    }

    /// <summary>Simulates a federation dropping a new version right after the ingester read the old one.</summary>
    private sealed class ReplaceAfterReadStore(IBlobStore inner, string container, string name, byte[] replacement) : DelegatingBlobStore(inner)
    {
        private bool _replaced;

        public override async Task<BlobContent> ReadVersionAsync(string c, string n, string etag, CancellationToken ct = default)
        {
            var content = await base.ReadVersionAsync(c, n, etag, ct);
            if (c == container && n == name && !_replaced)
            {
                _replaced = true;
                await Task.Delay(20, ct);
                await Inner.WriteAsync(c, n, replacement, WriteCondition.Overwrite, ct);
            }
            return content;
        }
    }
}

public sealed class LocalFolderIngestionTests() : IngestionTests(new LocalStoreFactory());

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobIngestionTests(AzuriteFixture azurite) : IngestionTests(new AzuriteStoreFactory(azurite));
