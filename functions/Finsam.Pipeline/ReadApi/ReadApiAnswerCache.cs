using System.Collections.Concurrent;
using System.Text.Json;

namespace Finsam.Pipeline.ReadApi;

/// <summary>
/// The read API's answers as JSON, kept by release and request: a release never changes, and members' clients ask the
/// same pages of the same release again and again (each KPI of a theme, page by page). A request is answered from here
/// when the same URL (its host, path and query, so every link in it stays right) was answered for the same release; the
/// release is resolved first, so a new latest release, or one that retention or an erasure removed, is never answered
/// from an older answer. Answers of at most <see cref="MaxBytes"/> are kept; past it the cache starts again empty.
/// </summary>
public sealed class ReadApiAnswerCache(long maxBytes)
{
    private readonly ConcurrentDictionary<string, byte[]> _answers = new(StringComparer.Ordinal);
    private long _bytes;

    public long MaxBytes => maxBytes;

    /// <summary>How many answers came from the cache and how many were made, since the start.</summary>
    public (long Hits, long Misses) Counts => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));
    private long _hits, _misses;

    /// <summary>The answer's status and JSON (UTF-8), from the cache or made by the route and kept when it is a 200.</summary>
    public async Task<(int Status, byte[] Json)> AnswerAsync(ReadApiRoute route, KoladaApi api, ReadApiRequest request, JsonSerializerOptions json, CancellationToken ct)
    {
        int? release = null;
        if (route.Paged)
        {
            try
            {
                release = await api.ResolveAsync(request.First("version"), ct);
            }
            catch (ReadApiNotFoundException)
            {
                // The route answers the 404 itself, in its words.
            }
        }
        var key = release is { } number ? $"{number}\n{route.Name}\n{request.Url}?{string.Join('&', request.Query.Select(q => $"{q.Key}={string.Join(',', q.Value)}"))}" : null;
        if (key is not null && _answers.TryGetValue(key, out var kept))
        {
            Interlocked.Increment(ref _hits);
            return (200, kept);
        }
        Interlocked.Increment(ref _misses);
        var answer = await ReadApiRoutes.AnswerAsync(route, api, request, ct);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(answer.Body, answer.Body.GetType(), json);
        // Kept only when the release it was made from is still the one the name stands for (latest may have moved on
        // while it was made).
        if (key is not null && answer.Status == 200 && bytes.Length <= maxBytes && await api.ResolveAsync(request.First("version"), ct) == release)
        {
            if (Interlocked.Add(ref _bytes, bytes.Length) > maxBytes)
            {
                _answers.Clear();
                Interlocked.Exchange(ref _bytes, bytes.Length);
            }
            if (!_answers.TryAdd(key, bytes)) Interlocked.Add(ref _bytes, -bytes.Length);
        }
        return (answer.Status, bytes);
    }
}
