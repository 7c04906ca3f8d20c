using Microsoft.Extensions.Configuration;

namespace Finsam.Pipeline.Tests.Support;

/// <summary>Configuration as a host reads it, from a few settings (environment-variable names such as FINSAM_PSEUDONYM_KEY or Finsam:Models:Threads).</summary>
public static class TestConfiguration
{
    public static IConfiguration From(IReadOnlyDictionary<string, string>? settings = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings?.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)) ?? []).Build();
}
