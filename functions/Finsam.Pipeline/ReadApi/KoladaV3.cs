using System.Text.Json.Serialization;

namespace Finsam.Pipeline.ReadApi;

/// <summary>
/// The same answers in the shape of the Kolada API v3, which rKolada (0.3) and koladapy read: pages link with
/// <c>next_url</c> / <c>previous_url</c>, values carry <c>isdeleted</c>, a KPI has v3's twelve fields (<c>auspice</c>, a
/// boolean <c>is_divided_by_gender</c>, <c>publ_period</c> …) and ours beside them (<c>title_en</c>, <c>unit</c>).
/// </summary>
public static class KoladaV3
{
    public static KoladaPageV3<TV3> Page<T, TV3>(KoladaPage<T> page, Func<T, TV3> map) =>
        new(page.Values.Select(map).ToList(), page.Count, page.NextPage, page.PreviousPage);

    public static KoladaDataV3 Data(KoladaData data) =>
        new(data.Kpi, data.Municipality, data.Period, data.Values.Select(v => new KoladaValueV3(v.Gender, v.Count, v.Status, v.Value, IsDeleted: false)).ToList());

    /// <summary>A v3 page of data in v2's shape, without isdeleted (from_date on v2 asks for no deleted values).</summary>
    public static KoladaPage<KoladaData> AsV2(KoladaPage<KoladaDataV3> page) =>
        new(page.Count, page.Values.Select(d => new KoladaData(d.Kpi, d.Municipality, d.Period,
            d.Values.Select(v => new KoladaValue(v.Count, v.Gender, v.Status, v.Value)).ToList())).ToList(), page.PreviousPage, page.NextPage);

    /// <summary>
    /// Kolada's fields we have no counterpart for are null: auspice (Kolada's source of the figures), perspective,
    /// prel_publication_date and publ_period. publication_date is the release's date.
    /// </summary>
    public static KoladaKpiV3 Kpi(KoladaKpi kpi) =>
        new(kpi.Id, kpi.Title, kpi.Description, kpi.IsDividedByGender == 1, kpi.MunicipalityType, Auspice: null, kpi.OperatingArea,
            Perspective: null, PrelPublicationDate: null, kpi.PublicationDate, PublPeriod: null, kpi.HasOuData, kpi.TitleEn, kpi.Unit);
}

/// <summary>A page of a Kolada v3 answer: <c>{values, count, next_url, previous_url}</c>; count is the values on this page.</summary>
public sealed record KoladaPageV3<T>(
    [property: JsonPropertyName("values")] IReadOnlyList<T> Values,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("next_url")] string? NextUrl,
    [property: JsonPropertyName("previous_url")] string? PreviousUrl);

public sealed record KoladaDataV3(
    [property: JsonPropertyName("kpi")] string Kpi,
    [property: JsonPropertyName("municipality")] string Municipality,
    [property: JsonPropertyName("period")] int Period,
    [property: JsonPropertyName("values")] IReadOnlyList<KoladaValueV3> Values);

/// <summary>As <see cref="KoladaValue"/>, with v3's <c>isdeleted</c> (always false: a release is read whole).</summary>
public sealed record KoladaValueV3(
    [property: JsonPropertyName("gender")] string Gender,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("value")] decimal? Value,
    [property: JsonPropertyName("isdeleted")] bool IsDeleted);

public sealed record KoladaKpiV3(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("is_divided_by_gender")] bool IsDividedByGender,
    [property: JsonPropertyName("municipality_type")] string MunicipalityType,
    [property: JsonPropertyName("auspice")] string? Auspice,
    [property: JsonPropertyName("operating_area")] string OperatingArea,
    [property: JsonPropertyName("perspective")] string? Perspective,
    [property: JsonPropertyName("prel_publication_date")] string? PrelPublicationDate,
    [property: JsonPropertyName("publication_date")] string PublicationDate,
    [property: JsonPropertyName("publ_period")] string? PublPeriod,
    [property: JsonPropertyName("has_ou_data")] bool HasOuData,
    [property: JsonPropertyName("title_en")] string TitleEn,
    [property: JsonPropertyName("unit")] string Unit);
