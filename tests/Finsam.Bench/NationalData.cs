using System.Text;
using DuckDB.NET.Data;
using Finsam.Pipeline.Storage;

namespace Finsam.Bench;

/// <summary>
/// Generates national-scale curated data straight into a local-folder store with DuckDB:
/// 80 federations in 21 counties × 10 years × 12 months, about 2 million ledger rows and
/// 500 000 registrations (each listed in the monthly export of every month it is active) at scale 1.
/// </summary>
public static class NationalData
{
    public const int Federations = 80;

    public static (long LedgerRows, long Registrations, long ExportRows) Generate(string storageRoot, int scale)
    {
        var store = new LocalFolderBlobStore(storageRoot);
        var curated = Path.Combine(storageRoot, Containers.Curated);
        Directory.CreateDirectory(curated);
        WriteReference(store);
        var rowsPerMonth = 104 * scale; // pairs of rows: ≈ 208 ledger rows per federation-month at scale 1
        var registrationsPerFederation = 6250 * scale;

        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        Execute(db, "set preserve_insertion_order = false");
        // One writer thread, and every partition's file kept open until the end (DuckDB closes and
        // starts a new file beyond 100 open ones): one file per partition, as ingestion writes them.
        Execute(db, "set threads = 1");
        Execute(db, "set partitioned_write_max_open_files = 100000");
        // A few federations at a time, so the open files' buffers stay small at ten times the size.
        var chunk = Math.Max(1, Federations / scale);
        for (var first = 0; first < Federations; first += chunk)
            WriteFederations(db, curated, first, Math.Min(Federations, first + chunk), rowsPerMonth, registrationsPerFederation);
        var counts = Query(db, $"""
            select
                (select count(*) from read_parquet('{curated}/ledger/**/*.parquet')),
                (select count(distinct registrering_id || federation) from read_parquet('{curated}/registrations/**/*.parquet', hive_partitioning = true)),
                (select count(*) from read_parquet('{curated}/registrations/**/*.parquet'))
            """);
        return (counts[0], counts[1], counts[2]);
    }

    /// <summary>Federations first to last − 1: their ledger, opening balances and participant exports.</summary>
    private static void WriteFederations(DuckDBConnection db, string curated, int first, int last, int rowsPerMonth, int registrationsPerFederation)
    {
        Execute(db, $"""
            copy (
                with months as (
                    select f, y, m, 'f' || lpad(cast(f as varchar), 2, '0') as federation, strftime(make_date(y, m, 1), '%Y-%m') as period
                    from range({first}, {last}) t1(f), range(2016, 2026) t2(y), range(1, 13) t3(m)
                ),
                pairs as (
                    select federation, period, y, m, p,
                        (['3010', '3020', '3031', '4010', '4510', '6410', '6110', '7010'])[1 + (p % 8)] as account,
                        case p % 8 when 0 then -2000.0 when 1 then -1000.0 when 2 then -1000.0
                            else (1000 + ((f * 7919 + p * 104729 + m) % 90000)) / 100.0 end as amount
                    from months, range({rowsPerMonth}) t4(p)
                )
                select federation, period, 'A' as voucher_series, cast(p as varchar) as voucher_number, make_date(y, m, 1 + p % 28) as voucher_date,
                    '' as voucher_text, make_date(y, m, 1 + p % 28) as transaction_date, account, cast(amount as decimal(18, 2)) as amount,
                    case when account = '4010' then '1:MT' else '' end as cost_objects, 'Faktura' as text, 'csv' as source_format, 'x' as source_sha256, cast(2 * p + 2 as integer) as source_line
                from pairs
                union all
                select federation, period, 'A', cast(p as varchar), make_date(y, m, 1 + p % 28), '', make_date(y, m, 1 + p % 28), '1930',
                    cast(-amount as decimal(18, 2)), '', 'Bank', 'csv', 'x', cast(2 * p + 3 as integer)
                from pairs
            ) to '{curated}/ledger' (format parquet, partition_by (federation, period), overwrite_or_ignore true)
            """);
        Execute(db, $"""
            copy (
                select 'f' || lpad(cast(f as varchar), 2, '0') as federation, cast(y as varchar) || '-01' as period, cast(y as integer) as year, account,
                    cast(amount as decimal(18, 2)) as amount, 'x' as source_sha256, cast(line as integer) as source_line
                from range({first}, {last}) t1(f), range(2016, 2017) t2(y),
                    (values ('1930', 1000000.00, 2), ('2010', -900000.00, 3), ('2440', -100000.00, 4)) t3(account, amount, line)
            ) to '{curated}/opening_balances' (format parquet, partition_by (federation, period), overwrite_or_ignore true)
            """);
        Execute(db, $"""
            copy (
                with registrations as (
                    select f, r, 'f' || lpad(cast(f as varchar), 2, '0') as federation,
                        date '2016-01-01' + cast((f * 31 + r * 7) % 3650 as integer) as startdatum,
                        cast(30 + (r * 13) % 370 as integer) as days,
                        (f * 100003 + r) % ({Federations * registrationsPerFederation} * 3 / 5) as person_id
                    from range({first}, {last}) t1(f), range({registrationsPerFederation}) t2(r)
                ),
                ended as (
                    select *, case when startdatum + days <= date '2025-12-31' then startdatum + days end as slutdatum from registrations
                ),
                listings as (
                    select e.*, strftime(month, '%Y-%m') as period, last_day(month) as month_end
                    from ended as e, unnest(generate_series(date_trunc('month', e.startdatum), date_trunc('month', coalesce(e.slutdatum, date '2025-12-31')), interval 1 month)) as t(month)
                )
                select federation, period, 'R' || cast(r as varchar) as registrering_id, md5(cast(person_id as varchar)) || md5(cast(person_id as varchar)) as person_pseudonym, false as anonym,
                    case when person_id % 2 = 0 then 'K' else 'M' end as kon, cast(20 + person_id % 45 as integer) as alder_start, '99' || lpad(cast(f % 100 as varchar), 2, '0') as kommun,
                    federation || '-MT' as insats_id, 'Mottagningsteam' as insats_namn, 'individ' as insats_typ, startdatum,
                    case when slutdatum <= month_end then slutdatum end as slutdatum, 'gymnasium' as utbildning, 'forsorjningsstod' as forsorjning_fore,
                    case when slutdatum <= month_end then 'lon' end as forsorjning_efter,
                    case when slutdatum <= month_end then (['arbete', 'studier', 'arbetssokande', 'ohalsa', 'annat'])[1 + r % 5] end as avslutsorsak,
                    'x' as source_sha256, cast(r as integer) as source_line
                from listings
                where cast(substr(period, 1, 4) as integer) between 2016 and 2025
            ) to '{curated}/registrations' (format parquet, partition_by (federation, period), overwrite_or_ignore true)
            """);
    }

    private static void WriteReference(IBlobStore store)
    {
        var federations = new StringBuilder("federation_id;namn;org_nr;lan;medlemskommuner\n");
        var population = new StringBuilder("kommun;ar;befolkning_16_64\n");
        for (var f = 0; f < Federations; f++)
        {
            var kommun = $"99{f % 100:D2}";
            federations.Append($"f{f:D2};Förbund {f};;Län {f % 21};{kommun}\n");
            for (var y = 2016; y <= 2025; y++) population.Append($"{kommun};{y};{20000 + f * 100}\n");
        }
        var mapping = """
            federation_id;konto_fran;konto_till;objekt;kategori;medlem
            *;1000;1999;;ovrigt_balans;
            *;2000;2099;;eget_kapital;
            *;2100;2999;;ovrigt_balans;
            *;3010;3010;;bidrag_stat;stat
            *;3020;3020;;bidrag_region;region
            *;3031;3031;;bidrag_kommun;
            *;4000;5999;;individinriktade_insatser;
            *;4500;4599;;strukturovergripande_insatser;
            *;6000;7999;;administration;
            *;6110;6110;;individinriktade_insatser;
            """ + "\n";
        var insatser = new StringBuilder("federation_id;insats_id;namn;typ;huvudman;objekt\n");
        for (var f = 0; f < Federations; f++) insatser.Append($"f{f:D2};f{f:D2}-MT;Mottagningsteam;MT;Region;1:MT\n");
        foreach (var (name, text) in new[] { ("federations.csv", federations.ToString()), ("population.csv", population.ToString()), ("account_mapping.csv", mapping), ("insatser.csv", insatser.ToString()) })
            store.WriteAsync(Containers.Reference, name, Encoding.UTF8.GetBytes(text), WriteCondition.Overwrite).GetAwaiter().GetResult();
    }

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long[] Query(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToInt64(reader.GetValue(i))).ToArray();
    }
}
