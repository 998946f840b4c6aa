using System.Net;
using System.Text;
using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Hosting;

/// <summary>Builds the Kestrel app: no configuration files (the console's appsettings.json must not leak in), no default logging, routes only.</summary>
internal static class EmulatorApplication
{
    public static WebApplication Build(EmulatorState state)
    {
        GroqEmulatorOptions options = state.Options;
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EmulatorApplication).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinResponseDataRate = null;

            // Go writes sub-millisecond durations with 'µ' (x-ratelimit-reset-tokens: 360µs under a large TPM limit), as UTF-8
            // bytes; Kestrel refuses non-ASCII header values by default and would turn such an answer into an empty 500.
            kestrel.ResponseHeaderEncodingSelector = static _ => Encoding.UTF8;
            kestrel.Listen(ResolveAddress(options.Host), options.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, EmulatorHostLifetime>();

        WebApplication app = builder.Build();
        var chat = new ChatCompletionsEndpoint(state);
        var models = new ModelsEndpoint(state);
        string api = GroqEmulatorDefaults.ApiPrefix;
        app.Map(api + "/chat/completions", chat.HandleAsync);
        app.Map(api + "/models", (HttpContext c) => models.HandleAsync(c, null));
        app.Map(api + "/models/{**id}", (HttpContext c, string id) => models.HandleAsync(c, id));
        ControlEndpoints.Map(app, state);
        app.MapFallback((HttpContext c) => UnknownUrlAsync(c, state));
        return app;
    }

    private static Task UnknownUrlAsync(HttpContext context, EmulatorState state)
    {
        state.Accounting.Received();
        state.Accounting.UnknownUrl();
        Responses.SetCommonHeaders(context.Response, Ids.RequestId(state.Time.GetUtcNow()), state.Options.Region);
        return Responses.WriteErrorAsync(context.Response, ApiError.UnknownUrl(context.Request.Method, context.Request.Path.Value ?? "/"), context.RequestAborted);
    }

    private static IPAddress ResolveAddress(string host)
        => host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" => IPAddress.Any,
            _ when IPAddress.TryParse(host, out IPAddress? address) => address,
            _ => throw new ArgumentException($"'{host}' is not an IP address. Use 127.0.0.1 (loopback, the default), localhost or 0.0.0.0.", nameof(host)),
        };
}
