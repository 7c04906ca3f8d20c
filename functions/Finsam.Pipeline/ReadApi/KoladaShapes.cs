using System.Text.Json.Serialization;
using Finsam.Pipeline.Failures;

namespace Finsam.Pipeline.ReadApi;

/// <summary>A page of a Kolada v2 answer: <c>{count, values, previous_page, next_page}</c>.</summary>
public sealed record KoladaPage<T>(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("values")] IReadOnlyList<T> Values,
    [property: JsonPropertyName("previous_page")] string? PreviousPage,
    [property: JsonPropertyName("next_page")] string? NextPage);

/// <summary>One KPI for one federation, county or all (Kolada's "municipality") and one year.</summary>
public sealed record KoladaData(
    [property: JsonPropertyName("kpi")] string Kpi,
    [property: JsonPropertyName("municipality")] string Municipality,
    [property: JsonPropertyName("period")] int Period,
    [property: JsonPropertyName("values")] IReadOnlyList<KoladaValue> Values);

/// <summary>
/// A value by gender (T, K, M). <c>count</c> is how many federations the value covers (1 for a federation);
/// <c>status</c> is what the member files show: ".." for a suppressed cell (then <c>value</c> is null),
/// otherwise the KPI's status (empty when final).
/// </summary>
public sealed record KoladaValue(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("gender")] string Gender,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("value")] decimal? Value);

/// <summary>A KPI of the catalog, in Kolada's metadata shape (with the Swedish title, as Kolada has).</summary>
public sealed record KoladaKpi(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("title_en")] string TitleEn,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("is_divided_by_gender")] int IsDividedByGender,
    [property: JsonPropertyName("operating_area")] string OperatingArea,
    [property: JsonPropertyName("municipality_type")] string MunicipalityType,
    [property: JsonPropertyName("has_ou_data")] bool HasOuData,
    [property: JsonPropertyName("publication_date")] string PublicationDate);

/// <summary>A federation (type F), a county (L) or all federations (A), in Kolada's municipality shape.</summary>
public sealed record KoladaMunicipality(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("type")] string Type);

/// <summary>A group of KPIs (a theme of the catalog), in Kolada's group shape, the same in v2 and v3.</summary>
public sealed record KoladaGroup(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("members")] IReadOnlyList<KoladaGroupMember> Members);

public sealed record KoladaGroupMember(
    [property: JsonPropertyName("member_id")] string MemberId,
    [property: JsonPropertyName("member_title")] string MemberTitle);

/// <summary>An organisational unit (Kolada's ou: a school, a care home) of a place; federations have none.</summary>
public sealed record KoladaOu(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("municipality")] string Municipality,
    [property: JsonPropertyName("title")] string Title);

/// <summary>A published version, for GET versions/{dataset}.</summary>
public sealed record VersionSummary(
    [property: JsonPropertyName("dataset")] string Dataset,
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("previous_version")] int? PreviousVersion,
    [property: JsonPropertyName("latest")] bool Latest,
    [property: JsonPropertyName("inputs")] int Inputs,
    [property: JsonPropertyName("changes")] string Changes);

/// <summary>What a reader asked for does not exist (a version, a dataset other than the members'): HTTP 404 with the message. An unknown KPI or place selects nothing instead, as in Kolada.</summary>
public sealed class ReadApiNotFoundException(string message) : FixableException(message);

/// <summary>A request the API cannot answer as written (a year that is not a year, a bad page): HTTP 400 with the message.</summary>
public sealed class ReadApiBadRequestException(string message) : FixableException(message);
