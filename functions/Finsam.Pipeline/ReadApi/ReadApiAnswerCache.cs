using System.Collections.Concurrent;
using System.Text.Json;

namespace Finsam.Pipeline.ReadApi;

/// <summary>
/// The read API's answers as JSON, kept by release and request: a release never changes, and members' clients ask the
/// same pages of the same release again and again (each KPI of a theme, page by page). A request is answered from here
/// when the same URL (its host, path and query, so every link in it stays right) was answered for the same release; the
/// release is resolved first, so a new latest release, or one that retention or an erasure removed, is never answered
/// from an older answer. <c>from_date</c> answers are not kept: they also depend on which earlier releases are still kept.
/// Answers and their keys of at most <see cref="MaxBytes"/> are kept, and at most <see cref="MaxEntries"/> of them; past
/// either the cache starts again empty.
/// </summary>
public sealed class ReadApiAnswerCache(long maxBytes)
{
    public const int MaxEntries = 100_000;
    /// <summary>What an entry costs besides its answer and its key's characters (the dictionary's node, the array's header).</summary>
    private const int EntryOverhead = 96;
    private readonly ConcurrentDictionary<string, byte[]> _answers = new(StringComparer.Ordinal);
    private readonly Lock _accounting = new();
    private long _bytes;

    public long MaxBytes => maxBytes;

    /// <summary>How many answers came from the cache and how many were made, since the start.</summary>
    public (long Hits, long Misses) Counts => (Interlocked.Read(ref _hits), Interlocked.Read(ref _misses));
    private long _hits, _misses;

    /// <summary>The answer's status and JSON (UTF-8), from the cache or made by the route and kept when it is a 200.</summary>
    public async Task<(int Status, byte[] Json)> AnswerAsync(ReadApiRoute route, KoladaApi api, ReadApiRequest request, JsonSerializerOptions json, CancellationToken ct)
    {
        var release = route.Paged && request.First("from_date") is null ? await ReleaseAsync(api, request, ct) : null;
        // Every name and value escaped, so that no two requests share a key (a value holding "&" or "=" is its own).
        var key = release is { } number
            ? $"{number}\n{route.Name}\n{request.Url}?{string.Join('&', request.Query.Select(q => $"{Uri.EscapeDataString(q.Key)}={string.Join(',', q.Value.Select(Uri.EscapeDataString))}"))}"
            : null;
        if (key is not null && _answers.TryGetValue(key, out var kept))
        {
            Interlocked.Increment(ref _hits);
            return (200, kept);
        }
        Interlocked.Increment(ref _misses);
        var answer = await ReadApiRoutes.AnswerAsync(route, api, request, ct);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(answer.Body, answer.Body.GetType(), json);
        // Kept only when the release it was made from is still the one the name stands for (latest may have moved on
        // while it was made, or the release been removed).
        if (key is not null && answer.Status == 200 && await ReleaseAsync(api, request, ct) == release) Keep(key, bytes);
        return (answer.Status, bytes);
    }

    /// <summary>The release the request names, or null when there is none (the route answers the 404 in its words).</summary>
    private static async Task<int?> ReleaseAsync(KoladaApi api, ReadApiRequest request, CancellationToken ct)
    {
        try
        {
            return await api.ResolveAsync(request.First("version"), ct);
        }
        catch (ReadApiNotFoundException)
        {
            return null;
        }
    }

    private void Keep(string key, byte[] answer)
    {
        var cost = answer.Length + 2L * key.Length + EntryOverhead;
        if (cost > maxBytes) return;
        lock (_accounting)
        {
            if (_bytes + cost > maxBytes || _answers.Count >= MaxEntries)
            {
                _answers.Clear();
                _bytes = 0;
            }
            if (_answers.TryAdd(key, answer)) _bytes += cost;
        }
    }
}
