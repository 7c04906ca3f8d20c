using System.Net;
using System.Security.Cryptography;
using System.Text;
using Finsam.Pipeline;
using Finsam.Pipeline.Configuration;
using Finsam.Pipeline.ReadApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Finsam.Cli.LocalHost;

/// <summary>
/// The members' read API outside Azure (<c>finsam api</c>, and <c>finsam host --api-urls</c> beside ingestion): every
/// route of <see cref="ReadApiRoutes"/> under <c>/api/</c>, as the Functions app serves them, read-only over the published
/// kpi dataset of the configured storage (a local folder or Azure). Keys come from <c>Finsam__Api__Keys</c>; without keys
/// it serves a loopback address only.
/// </summary>
public static partial class ReadApiHost
{
    [System.Text.RegularExpressions.GeneratedRegex("/{2,}")]
    private static partial System.Text.RegularExpressions.Regex RepeatedSlashes();

    /// <summary>The header the Functions app takes a function key from, besides <c>code=</c>.</summary>
    public const string KeyHeader = "x-functions-key";

    /// <param name="urls">Where to listen, e.g. http://127.0.0.1:7071 (several separated by ';'; port 0 picks a free one).</param>
    public static WebApplication Build(IConfiguration configuration, string urls, bool jsonLogs = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        // Only the command line's configuration: no appsettings.json, no second reading of the environment.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddFinsamConsole(jsonLogs);
        builder.WebHost.UseUrls(urls);
        builder.Services.AddFinsamPipeline(builder.Configuration);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ReadApiJson.Default));
        builder.Services.AddSingleton(s => new ReadApiAnswerCache((long)s.GetRequiredService<IOptions<FinsamOptions>>().Value.Api.AnswerCacheMegabytes << 20));
        var app = builder.Build();

        var settings = app.Services.GetRequiredService<IOptions<FinsamOptions>>().Value.Api;
        if (settings.AnswerCacheMegabytes < 0)
            throw new FinsamConfigurationException($"Finsam__Api__AnswerCacheMegabytes is {settings.AnswerCacheMegabytes}: give the megabytes of answers to keep, 0 for none.");
        var keys = settings.KeyList();
        if (keys.Count == 0 && urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(u => !Loopback(u)) is { } open)
            throw new FinsamConfigurationException(OpenWithoutKeys(open));
        // kolada-scraper joins "/kpi" to a base URL that ends in "/" (v2//kpi): one slash for each run of them, before routing.
        app.Use((context, next) =>
        {
            if (context.Request.Path.Value is { } path && path.Contains("//", StringComparison.Ordinal))
                context.Request.Path = new PathString(RepeatedSlashes().Replace(path, "/"));
            return next(context);
        });
        app.UseRouting();
        if (keys.Count > 0)
            app.Use(async (context, next) =>
            {
                var given = context.Request.Query[ReadApiRoutes.KeyParameter].FirstOrDefault() ?? context.Request.Headers[KeyHeader].FirstOrDefault();
                if (given is not null && keys.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(k), Encoding.UTF8.GetBytes(given))))
                {
                    await next(context);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new ReadApiError($"Give your key as ?{ReadApiRoutes.KeyParameter}=… or in the header {KeyHeader}."));
            });
        var answers = app.Services.GetRequiredService<ReadApiAnswerCache>();
        var json = app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        foreach (var route in ReadApiRoutes.All)
        {
            var name = RouteValueName(route.Template);
            app.MapGet("/api/" + route.Template, async (HttpContext context, KoladaApi api) =>
            {
                var request = context.Request;
                var (status, body) = await answers.AnswerAsync(route, api, ReadApiRequest.From(request.RouteValues[name]?.ToString(), request.Scheme,
                    request.Host.ToString(), request.PathBase, request.Path, request.Query), json, context.RequestAborted);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
            }).WithName(route.Name);
        }
        return app;
    }

    /// <summary>The one route value a template names: {*query}, {ids?}, {dataset}.</summary>
    private static string RouteValueName(string template)
    {
        var start = template.IndexOf('{', StringComparison.Ordinal);
        return template[(start + 1)..template.IndexOf('}', start)].Trim('*', '?');
    }

    /// <summary>The addresses it listens on, once started (the real port where the URL asked for port 0).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) => app.Urls.ToList();

    /// <summary>
    /// Starts the API; without keys, stops it again unless every address it listens on is a loopback one (an endpoint from
    /// the configuration's Kestrel section, which the --urls check cannot see, included).
    /// </summary>
    public static async Task StartAsync(WebApplication app, CancellationToken ct = default)
    {
        await app.StartAsync(ct);
        if (app.Services.GetRequiredService<IOptions<FinsamOptions>>().Value.Api.KeyList().Count > 0) return;
        if (Addresses(app).FirstOrDefault(a => !Loopback(a)) is { } open)
        {
            await app.StopAsync(CancellationToken.None);
            throw new FinsamConfigurationException(OpenWithoutKeys(open));
        }
    }

    private static string OpenWithoutKeys(string address) =>
        $"The read API would answer anyone at {address} without a key. Give members keys ({FinsamSettings.EnvironmentName(o => o.Api.Keys)}=key1,key2) or listen on a loopback address (http://127.0.0.1:7071).";

    /// <summary>
    /// Only what Kestrel binds to loopback alone: the name localhost, or a loopback IP address, read as Kestrel reads the
    /// address (<see cref="BindingAddress"/>; .NET's Uri turns the name "loopback" into localhost, which Kestrel does not:
    /// it binds every interface for any other name).
    /// </summary>
    private static bool Loopback(string url)
    {
        string host;
        try
        {
            host = BindingAddress.Parse(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal)).Host;
        }
        catch (FormatException)
        {
            return false;
        }
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
