using System.Text;
using DuckDB.NET.Data;
using Finsam.Pipeline.Models;
using Finsam.Pipeline.Publishing;
using Finsam.Pipeline.Tests.Support;
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
        await new VersionPuller(store).PullAsync(Publisher.KpiDataset, "latest", members);
        await new VersionPuller(store).PullAsync(Publisher.CuratedDataset, "latest", controller);

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
        Assert.Equal(0, Scalar(db, $"select count(*) from {Parquet(members, "kpi.parquet")} where list_contains(['litet_antal', 'harledbar', 'andring', 'tidigare'], status)"));
        // The controller's snapshot keeps the exact value and why members do not see it.
        Assert.Equal(Scalar(db, $"select count(*) from {Parquet(controller, "kpi.parquet")}"), Scalar(db, $"select count(*) from {Parquet(members, "kpi.parquet")}"));
        Assert.Equal(suppressed, Scalar(db, $"select count(*) from {Parquet(controller, "kpi.parquet")} where suppressed and suppression in ('litet_antal', 'harledbar')"));
        Assert.True(Scalar(db, $"select count(*) from {Parquet(controller, "kpi.parquet")} where suppression = 'litet_antal' and value between 1 and 4") > 0);
        Assert.True(Scalar(db, $"select count(*) from {Parquet(controller, "kpi.parquet")} where suppression = 'harledbar' and value is not null") > 0);

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

    public void Dispose()
    {
        _stores.Dispose();
        _pulled.Dispose();
    }
}
