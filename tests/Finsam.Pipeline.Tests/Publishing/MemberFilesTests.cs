using System.Text;
using DuckDB.NET.Data;
using Finsam.Pipeline.Disclosure;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Storage;
using Finsam.Pipeline.Tests.Support;
using Finsam.Pipeline.Versions;
using MiniExcelLibs;

namespace Finsam.Pipeline.Tests.Publishing;

/// <summary>What members get: no participant count from 1 to 4 in any file, in any form; the controller's snapshot keeps exact values.</summary>
public class MemberFilesTests : IDisposable
{
    private readonly LocalStoreFactory _stores = new();
    private readonly TempFolder _pulled = new();

    /// <summary>Rows whose protected count (the numerator or denominator the catalog marks as a participant count) is 1–4.</summary>
    private static string SmallCountRows(string kpiSource, string catalogSource) => $"""
        select count(*)
        from {kpiSource} as k
        join {catalogSource} as c on c.kpi_id = k.kpi_id
        where (list_contains(string_split(c.protected_counts, '|'), c.numerator) and k.numerator between 1 and 4)
           or (list_contains(string_split(c.protected_counts, '|'), c.denominator) and k.denominator between 1 and 4)
           or (c.protected_counts <> '' and c.unit = 'antal' and k.value between 1 and 4)
        """;

    private static long Scalar(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    [Fact]
    public async Task No_member_file_contains_a_small_count_while_the_controller_snapshot_keeps_exact_values()
    {
        var store = _stores.Create();
        using var world = await PublishWorld.SamplesAsync(store);
        await world.BuildAndPublishAsync();
        var members = Path.Combine(_pulled.Path, "kpi");
        var controller = Path.Combine(_pulled.Path, "curated");
        await new VersionPuller(store).PullAsync(PublishedLayout.KpiDataset, "latest", members);
        await new VersionPuller(store).PullAsync(PublishedLayout.CuratedDataset, "latest", controller);

        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        string Parquet(string folder, string file) => $"read_parquet('{Path.Combine(folder, file)}')";
        var catalog = Parquet(members, "kpi_catalog.parquet");

        // The samples are small: the exact KPIs have many counts from 1 to 4 ...
        Assert.True(Scalar(db, SmallCountRows(Parquet(controller, "kpi.parquet"), catalog)) > 20);
        // ... and none of them reaches a member, in Parquet or in either CSV (read back independently by DuckDB).
        Assert.Equal(0, Scalar(db, SmallCountRows(Parquet(members, "kpi.parquet"), catalog)));
        Assert.Equal(0, Scalar(db, SmallCountRows($"read_csv('{Path.Combine(members, "kpi.csv")}', delim = ',', header = true)", catalog)));
        // The Swedish CSV prints ".." for a suppressed value, as Statistics Sweden does.
        var swedish = $"read_csv('{Path.Combine(members, "kpi_sv.csv")}', delim = ';', header = true, all_varchar = true)";
        string Number(string column) => $"try_cast(replace({column}, ',', '.') as decimal(38, 6))";
        Assert.Equal(0, Scalar(db, SmallCountRows($"(select * replace ({Number("value")} as value, {Number("numerator")} as numerator, {Number("denominator")} as denominator) from {swedish})", catalog)));
        var suppressed = Scalar(db, $"select count(*) from {Parquet(members, "kpi.parquet")} where suppressed");
        Assert.True(suppressed > 0);
        Assert.Equal(suppressed, Scalar(db, $"select count(*) from {swedish} where value = '..' and numerator = '..' and suppressed = 'true'"));
        // One marker: a suppressed row has value, numerator and denominator empty and says nothing of why.
        Assert.Equal(suppressed, Scalar(db, $"select count(*) from {Parquet(members, "kpi.parquet")} where suppressed and value is null and numerator is null and denominator is null"));
        Assert.Equal(0, Scalar(db, $"select count(*) from (describe select * from {Parquet(members, "kpi.parquet")}) where column_name = 'suppression'"));
        Assert.Equal(0, Scalar(db, $"select count(*) from {Parquet(members, "kpi.parquet")} where list_contains(['litet_antal', 'harledbar', 'harledbar_summa', 'andring', 'tidigare'], status)"));
        // The controller's snapshot keeps the exact value; why members do not see it is in the release's record, which only
        // the controller reads (published/audit/kpi/v1/, outside the members' published/kpi/).
        Assert.Equal(Scalar(db, $"select count(*) from {Parquet(controller, "kpi.parquet")}"), Scalar(db, $"select count(*) from {Parquet(members, "kpi.parquet")}"));
        var reasonsFile = Path.Combine(_pulled.Path, "suppression.parquet");
        await File.WriteAllBytesAsync(reasonsFile, (await store.ReadAsync(Containers.Published, ReleaseRecords.Folder(1) + ReleaseRecords.ReasonsFile)).Bytes);
        var reasons = $"read_parquet('{reasonsFile}')";
        Assert.Equal(suppressed, Scalar(db, $"select count(*) from {reasons} where suppression in ('litet_antal', 'harledbar', 'harledbar_summa')"));
        string Exact(string reason) => $"""
            select count(*) from {reasons} as r join {Parquet(controller, "kpi.parquet")} as k
                using (kpi_id, scope, scope_id, period, period_type, kon, dimension) where r.suppression = '{reason}'
            """;
        Assert.True(Scalar(db, Exact("litet_antal") + " and k.value between 1 and 4") > 0);
        Assert.True(Scalar(db, Exact("harledbar") + " and k.value is not null") > 0);
        Assert.Equal(suppressed, Scalar(db, $"select count(*) from {reasons} as r join {Parquet(members, "kpi.parquet")} as m using (kpi_id, scope, scope_id, period, period_type, kon, dimension) where m.suppressed"));

        // The workbook: the same suppressed rows, and no small participant count in any KPI sheet.
        var xlsx = Path.Combine(members, "nyckeltal.xlsx");
        Assert.Equal(["Ekonomi", "Deltagare", "Kostnadseffektivitet", "Katalog", "Datakvalitet"], MiniExcel.GetSheetNames(xlsx));
        var sheetRows = new[] { "Ekonomi", "Deltagare", "Kostnadseffektivitet" }
            .SelectMany(sheet => MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>()).ToList();
        Assert.Equal(Scalar(db, $"select count(*) from {Parquet(members, "kpi.parquet")}"), sheetRows.Count);
        Assert.Equal(suppressed, sheetRows.Count(r => r["Skyddad (suppressed)"] is true));
        var protectedCounts = Scalar(db, $"select count(*) from {catalog} where protected_counts <> '' and unit = 'antal'");
        Assert.True(protectedCounts > 5);
        var countKpis = new HashSet<string>(ReadStrings(db, $"select kpi_id from {catalog} where protected_counts <> '' and unit = 'antal'"));
        Assert.DoesNotContain(sheetRows, r => countKpis.Contains((string)r["Nyckeltal (kpi_id)"]!) && r["Värde (value)"] is double v && v is >= 1 and <= 4);
        Assert.Contains(sheetRows, r => (string)r["Titel"]! == "Medelstilldelning");

        // Every value carries its status, in every form: the samples' 2025 runs through March, so every year value is preliminary and
        // no error affects any (the budgeted participants per intervention, a plan, are final; so are the months' flows).
        foreach (var source in new[] { Parquet(members, "kpi.parquet"), $"read_csv('{Path.Combine(members, "kpi_sv.csv")}', delim = ';', decimal_separator = ',', header = true, all_varchar = true)" })
        {
            Assert.Equal(0, Scalar(db, $"select count(*) from {source} where period_type = 'ar' and kpi_id <> 'deltagare_insats_budget' and status <> 'preliminar'"));
            Assert.Equal(0, Scalar(db, $"select count(*) from {source} where (period_type = 'manad' or kpi_id = 'deltagare_insats_budget') and coalesce(status, '') <> ''"));
            Assert.Equal(0, Scalar(db, $"select count(*) from {source} where coalesce(findings, '') <> ''"));
        }
        Assert.Equal(Scalar(db, $"select count(*) from {Parquet(members, "kpi.parquet")} where status = 'preliminar'"), sheetRows.Count(r => r["Status (status)"] as string == "preliminar"));
        Assert.Equal(4, Scalar(db, $"select max(federations) from {Parquet(members, "kpi.parquet")} where scope = 'lan'"));

        // The member quality file: counts of registrations from 1 to 4 are suppressed too.
        Assert.Equal(0, Scalar(db, $"select count(*) from {Parquet(members, "quality.parquet")} where rule_id in ('overlapping_registrations', 'person_inconsistent', 'registration_missing_from_export') and affected_rows between 1 and 4"));
    }

    private static List<string> ReadStrings(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    [Fact]
    public async Task Women_that_total_minus_men_would_reveal_are_protected_by_suppressing_the_men()
    {
        // Alfa: 10 participants in January 2025, 2 women and 8 men. K = 2 is small; M = 8 would give K = T − M.
        var rows = new StringBuilder();
        for (var i = 0; i < 10; i++)
            rows.AppendLine($"R{i};{TestPersons.Number(1980 + i, 3, 10, 100 + i)};nej;{(i < 2 ? "K" : "M")};;9901;alfa-MT;Mottagningsteam;individ;2025-01-0{1 + i % 9};;gymnasium;sjukpenning;;");
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2025-01", "V1;2025-01-10;1930;400000,00;;\nV1;2025-01-10;3010;-200000,00;;\nV1;2025-01-10;3020;-100000,00;;\nV1;2025-01-10;3031;-100000,00;;")
            .Participants("alfa", "2025-01", rows.ToString());
        using var build = await scenario.BuildAsync();
        PublishedTables.Create(build.Session, Path.Combine(RepoPaths.Root, "queries"));

        Dictionary<string, string> Values(string table) => build.Session.Query($"""
            select kon, coalesce(cast(cast(value as integer) as varchar), '..') {(table == "kpi_published" ? "|| ' ' || coalesce(s.suppression, '')" : "")}
            from {table} {(table == "kpi_published" ? "as k left join kpi_suppression as s using (row_id)" : "")}
            where kpi_id = 'deltagare_unika' and scope_id = 'alfa' and period = '2025'
            """).Rows.ToDictionary(r => (string)r[0]!, r => ((string)r[1]!).Trim());

        Assert.Equal(new Dictionary<string, string> { ["T"] = "10", ["K"] = "2", ["M"] = "8" }, Values("kpi"));
        // Members see ".." for both; why (for the controller's snapshot) is in kpi_suppression.
        Assert.Equal(new Dictionary<string, string> { ["T"] = "10", ["K"] = ".. litet_antal", ["M"] = ".. harledbar" }, Values("kpi_published"));
        // The same holds for the county and all federations (beta has no participants: they equal alfa).
        var county = build.Session.Query("select kon, suppressed from kpi_published where kpi_id = 'deltagare_unika' and scope = 'lan' and period = '2025' order by kon")
            .Rows.Select(r => $"{r[0]}:{r[1]}").ToList();
        Assert.Equal(["K:True", "M:True", "T:False"], county);
    }

    /// <summary>
    /// Every data-quality finding about participants, rendered for members: a count from 1 to 4 (registrations, persons)
    /// and the list of registrations as long as it becomes ".." in the text too, in every member rendering (Parquet, both
    /// CSVs, the workbook, the report), while the controller's snapshot keeps the exact text.
    /// </summary>
    [Fact]
    public async Task No_member_rendering_of_a_finding_carries_a_protected_count()
    {
        static string Person(int serial, int year = 1985) => TestPersons.Number(year, 4, 12, serial);
        static string Row(string id, string person, string kon, string start, string insats = "alfa-MT") =>
            $"{id};{person};nej;{kon};;9901;{insats};MT;individ;{start};;gymnasium;ingen;;";
        var january = new List<string>
        {
            // Person 101 twice in alfa-MT at the same time (overlapping), and once more as a man (two genders).
            Row("R1", Person(101), "K", "2025-01-05"), Row("R9", Person(101), "K", "2025-01-07"), Row("R10", Person(101), "M", "2025-01-08", "alfa-CT"),
            // Two participants under 16 at the start.
            Row("R11", Person(111, 2012), "K", "2025-01-05"), Row("R12", Person(112, 2012), "M", "2025-01-05"),
        };
        january.AddRange(Enumerable.Range(2, 7).Select(i => Row($"R{i}", Person(100 + i), i % 2 == 0 ? "K" : "M", "2025-01-03")));
        // March: R7 and R8 are not listed (they may have ended in February, whose export is missing); R20–R22 started in January
        // but were first listed now (missing from January's export).
        var march = january.Where(r => !r.StartsWith("R7;", StringComparison.Ordinal) && !r.StartsWith("R8;", StringComparison.Ordinal))
            .Concat(Enumerable.Range(20, 3).Select(i => Row($"R{i}", Person(100 + i), "K", "2025-01-06"))).ToList();
        using var scenario = new ModelScenario()
            .Ledger("alfa", "2025-01", "V1;2025-01-10;1930;400000,00;;\nV1;2025-01-10;3010;-200000,00;;\nV1;2025-01-10;3020;-100000,00;;\nV1;2025-01-10;3031;-100000,00;;")
            .Ledger("alfa", "2025-03", "V2;2025-03-10;4010;1000,00;;\nV2;2025-03-10;1930;-1000,00;;")
            .Participants("alfa", "2025-01", string.Join("\n", january))
            .Participants("alfa", "2025-03", string.Join("\n", march));
        using var build = await scenario.BuildAsync();
        var store = scenario.Store;
        await new Publisher(store).PublishAsync(build, scenario.Options with { WorkFolder = Path.Combine(_pulled.Path, "work") });
        var members = Path.Combine(_pulled.Path, "kpi");
        await new VersionPuller(store).PullAsync(PublishedLayout.KpiDataset, "latest", members);

        // What each finding must not show: its counts from 1 to 4 and the registrations it names.
        var exact = build.Session.Query("select finding_id, rule_id, affected_rows, persons, ids, detail from quality where rule_id in ('overlapping_registrations', " +
            "'person_inconsistent', 'registration_missing_from_export', 'age_outside_target_group', 'missing_participant_month') order by finding_id").Rows;
        Assert.Equal(["age_outside_target_group", "missing_participant_month", "overlapping_registrations", "person_inconsistent", "registration_missing_from_export"],
            exact.Select(r => (string)r[1]!).Distinct().Order(StringComparer.Ordinal));
        var secrets = exact.ToDictionary(r => (string)r[0]!, r => new[] { r[2], r[3] }.OfType<long>().Where(n => n is >= 1 and <= 4).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Concat(((string?)r[4] ?? "").Split(", ", StringSplitOptions.RemoveEmptyEntries)).ToList());
        Assert.All(secrets, s => Assert.NotEmpty(s.Value));
        Assert.Contains("R7", secrets["missing_participant_month:alfa:2025:2025-02"]);

        // Every rendering, as text per finding.
        var renderings = new Dictionary<string, Dictionary<string, string>>();
        foreach (var csv in new[] { "quality.csv", "quality_sv.csv" })
            renderings[csv] = File.ReadAllLines(Path.Combine(members, csv)).Skip(1)
                .Select(l => (Id: l.Split(csv == "quality.csv" ? ',' : ';')[0], Line: l)).Where(x => secrets.ContainsKey(x.Id)).ToDictionary(x => x.Id, x => x.Line);
        using (var db = new DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = $"select finding_id, detail || ' ' || coalesce(cast(affected_rows as varchar), '') from read_parquet('{Path.Combine(members, "quality.parquet")}')";
            using var reader = command.ExecuteReader();
            renderings["quality.parquet"] = [];
            while (reader.Read()) if (secrets.ContainsKey(reader.GetString(0))) renderings["quality.parquet"][reader.GetString(0)] = reader.GetString(1);
        }
        renderings["nyckeltal.xlsx"] = MiniExcel.Query(Path.Combine(members, "nyckeltal.xlsx"), useHeaderRow: true, sheetName: "Datakvalitet").Cast<IDictionary<string, object?>>()
            .Where(r => secrets.ContainsKey((string)r["Fynd (finding_id)"]!))
            .ToDictionary(r => (string)r["Fynd (finding_id)"]!, r => string.Join(" ", r.Where(c => c.Key != "Fynd (finding_id)").Select(c => c.Value)));
        var html = await File.ReadAllTextAsync(Path.Combine(members, "rapport.html"));
        renderings["rapport.html"] = secrets.Keys.ToDictionary(id => id, id =>
        {
            // The finding's row in the quality table (its id is also in the title of every KPI value it flags).
            var at = html.IndexOf(System.Net.WebUtility.HtmlEncode(id), html.IndexOf("id=\"table-kvalitet\"", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.True(at > 0, id);
            var start = html.LastIndexOf("<tr", at, StringComparison.Ordinal);
            return System.Text.RegularExpressions.Regex.Replace(html[start..html.IndexOf("</tr>", at, StringComparison.Ordinal)], "<[^>]+>", " ").Replace(id, "");
        });

        foreach (var (file, texts) in renderings)
        {
            Assert.Equal(secrets.Keys.Order(StringComparer.Ordinal), texts.Keys.Order(StringComparer.Ordinal));
            foreach (var (id, text) in texts)
            {
                var shown = text.Replace(id, "");
                foreach (var secret in secrets[id])
                    Assert.False(System.Text.RegularExpressions.Regex.IsMatch(shown, $"(?<![0-9A-Za-z]){System.Text.RegularExpressions.Regex.Escape(secret)}(?![0-9A-Za-z])"),
                        $"{file}: {id} shows {secret}: {shown}");
                Assert.Contains("..", shown);
            }
        }
        // The controller's snapshot keeps the exact text.
        Assert.Equal("1 personer har registrerats med olika kön / 1 persons are registered with different gender",
            exact.Single(r => (string)r[1]! == "person_inconsistent")[5]);
        Assert.Equal("Deltagarexport saknas för 2025-02; .. registreringar kan ha avslutats då utan att det syns: .. / the participant export for 2025-02 is missing; .. registrations may have ended in it unseen: ..",
            build.Session.Query("select detail from quality_published where rule_id = 'missing_participant_month'").Rows.Single()[0]);
    }

    public void Dispose()
    {
        _stores.Dispose();
        _pulled.Dispose();
    }
}
