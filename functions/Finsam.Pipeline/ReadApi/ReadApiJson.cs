using System.Text.Json;
using System.Text.Json.Serialization;

namespace Finsam.Pipeline.ReadApi;

/// <summary>
/// The read API's answers, serialized by generated code (ASP.NET Core's web defaults) instead of by reflection: a host
/// puts it first in its JSON options' resolvers. A page of 5 000 values is most of the work of a request.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(KoladaPage<KoladaData>))]
[JsonSerializable(typeof(KoladaPage<KoladaKpi>))]
[JsonSerializable(typeof(KoladaPage<KoladaMunicipality>))]
[JsonSerializable(typeof(KoladaPage<KoladaGroup>))]
[JsonSerializable(typeof(KoladaPage<KoladaOu>))]
[JsonSerializable(typeof(KoladaPageV3<KoladaDataV3>))]
[JsonSerializable(typeof(KoladaPageV3<KoladaKpiV3>))]
[JsonSerializable(typeof(KoladaPageV3<KoladaMunicipality>))]
[JsonSerializable(typeof(KoladaPageV3<KoladaGroup>))]
[JsonSerializable(typeof(KoladaPageV3<KoladaOu>))]
[JsonSerializable(typeof(IReadOnlyList<VersionSummary>))]
[JsonSerializable(typeof(ReadApiError))]
public sealed partial class ReadApiJson : JsonSerializerContext;
