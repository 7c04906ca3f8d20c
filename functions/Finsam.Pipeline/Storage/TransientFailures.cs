using Azure;
using Polly;
using Polly.Retry;

namespace Finsam.Pipeline.Storage;

/// <summary>Which storage failures may pass if tried again, and the retry with backoff the hosts share.</summary>
public static class TransientFailures
{
    /// <summary>A network fault, a timeout, throttling or a server error; not a missing blob, a failed condition or a refused permission.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        BlobNotFoundException or BlobConditionFailedException => false,
        FileNotFoundException or DirectoryNotFoundException => false,
        RequestFailedException r => r.Status is 0 or 408 or 429 or 500 or 502 or 503 or 504,
        IOException or TimeoutException or HttpRequestException => true,
        _ => false,
    };

    /// <summary>
    /// Up to <paramref name="attempts"/> tries of an action, waiting <paramref name="firstDelay"/> before the second and
    /// twice as long before each further one; the last failure is thrown.
    /// </summary>
    public static ResiliencePipeline Retry(int attempts, TimeSpan firstDelay, TimeProvider clock, Action<Exception, int>? onRetry = null)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock };
        if (attempts > 1)
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = attempts - 1,
                Delay = firstDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } e) onRetry?.Invoke(e, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            });
        return builder.Build();
    }
}
