using System.Net.ServerSentEvents;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Conversations;
using SkGroq.Emulator;
using SkGroq.Emulator.Scripting;
using SkGroq.Errors;
using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Agent;
using SkGroq.KnowledgeBase.Storage;
using SkGroq.Usage;
using SkGroq.Web.Conversations;
using SkGroq.Web.Documents;

namespace SkGroq.Web;

/// <summary>
/// The web chat host: a page that streams answers over server-sent events, conversations kept per browser in SQLite,
/// every request through the same <c>groq</c> pipeline. Without a key it answers from the built-in emulator and says so.
/// </summary>
public static class WebHost
{
    /// <summary>The longest message accepted, in characters.</summary>
    public const int MaxMessageLength = 8000;

    private const string UserCookie = "skgroq_user";
    private const string SystemMessage = "You are a helpful assistant for the company's employees. Be concise.";

    /// <summary>Builds and runs the host until it is stopped (Ctrl+C): the process's entry point.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, configuration).</param>
    /// <param name="output">Where the address to open and the emulator notice are written.</param>
    /// <param name="error">Where a failure to start is written, as one line that says what to do.</param>
    /// <returns>The exit code: 0 after a normal shutdown, 1 when the host could not listen.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        (WebApplication app, GroqEmulator? emulator) = await BuildAsync(args);
        await using (emulator)
        {
            try
            {
                await app.StartAsync();
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                await app.DisposeAsync();
                await error.WriteLineAsync($"{ex.Message} Another program (perhaps another SkGroq web host) listens there: stop it, or choose another address with --urls, e.g. --urls http://127.0.0.1:5081 (or Web:Urls).");
                return 1;
            }

            foreach (string address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            {
                await output.WriteLineAsync($"SkGroq web chat: open {address}");
            }

            if (emulator is not null)
            {
                await output.WriteLineAsync("No GROQ_API_KEY configured: answers come from the built-in Groq emulator and are synthetic.");
            }

            await app.WaitForShutdownAsync();
            return 0;
        }
    }

    /// <summary>Builds the host (not started).</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, configuration).</param>
    /// <param name="configure">Changes for tests (configuration, services).</param>
    /// <returns>The application and, without a key, the emulator it answers from.</returns>
    public static async Task<(WebApplication App, GroqEmulator? Emulator)> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") });
        // The host's logging defaults, below every other source: one line per request from ASP.NET Core and Semantic Kernel
        // would drown the application's own messages (and slow a busy host); any configuration overrides them.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.SemanticKernel"] = "Warning",

                // A failure to start is rethrown to RunAsync, which says what to do in one line (or lets it surface whole);
                // the host's own copy of it, with the trace, would bury that line. Background-service faults stay: Critical.
                ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
            },
        });
        builder.Configuration.AddGroqSources(typeof(WebHost).Assembly);
        configure?.Invoke(builder);

        // Localhost only unless the address is chosen (--urls, ASPNETCORE_URLS or Web:Urls).
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["Web:Urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }
        else if (builder.Configuration["Web:Urls"] is { Length: > 0 } urls)
        {
            builder.WebHost.UseUrls(urls);
        }

        GroqEmulator? emulator = null;
        if (string.IsNullOrWhiteSpace(builder.Configuration["Groq:ApiKey"]) && string.IsNullOrWhiteSpace(builder.Configuration["Groq:BaseUrl"]))
        {
            emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions());
            KnowledgeBaseStandIn.AddTo(emulator.Script);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Groq:ApiKey"] = emulator.ApiKey,
                ["Groq:BaseUrl"] = emulator.BaseUrl.AbsoluteUri,
            });
        }

        string database = builder.Configuration["Web:Database"] is { Length: > 0 } configured ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "skgroq", "web", "conversations.db");
        builder.Services.AddGroq();
        builder.Services.AddKernel();
        builder.Services.AddSingleton(sp => new ConversationStore(database, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<RunningTurns>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<RunningTurns>());
        string? knowledgeBase = builder.Configuration["Web:KnowledgeBase"] is { Length: > 0 } kbFolder ? kbFolder : Path.Combine(Directory.GetCurrentDirectory(), "samples", "kb");
        builder.Services.AddSingleton(sp => new WebKnowledgeBase(
            knowledgeBase,
            builder.Configuration["Web:KnowledgeBaseIndex"],
            sp.GetRequiredService<SkGroq.Tokens.TokenCounterProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<GroqOptions>>().Value.Model));
        string? cache = builder.Configuration["Web:Cache"];
        GroqCacheMode cacheMode = string.IsNullOrWhiteSpace(cache) ? GroqCacheMode.Default
            : Enum.TryParse(cache, ignoreCase: true, out GroqCacheMode parsed) && Enum.IsDefined(parsed) ? parsed
            : throw new InvalidOperationException($"Web:Cache is '{cache}'; use Default (cache only temperature-0 answers), Enabled (cache every answer), Disabled or Refresh.");
        builder.Services.AddSingleton(new WebSettings(cacheMode));
        builder.Services.AddSingleton(new DocumentTemplates(builder.Configuration["Web:Plugins"] is { Length: > 0 } plugins ? plugins : null));
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = 64 * 1024);

        WebApplication app = builder.Build();
        bool usingEmulator = emulator is not null;
        string? accessToken = app.Configuration["Web:AccessToken"];
        app.Use(async (context, next) =>
        {
            if (!string.IsNullOrEmpty(accessToken) && context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
                && context.Request.Headers.Authorization.ToString() != "Bearer " + accessToken)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new ErrorBody("unauthorized", "This host needs an access token: send Authorization: Bearer <Web:AccessToken>."));
                return;
            }

            await next(context);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles();

        RouteGroupBuilder api = app.MapGroup("/api");
        api.MapGet("/info", (Microsoft.Extensions.Options.IOptions<GroqOptions> options, WebKnowledgeBase kb, DocumentTemplates documents) => new
        {
            Emulator = usingEmulator,
            KnowledgeBase = kb.Folder is null ? null : Path.GetFileName(kb.Folder),
            Model = options.Value.Model,
            Key = usingEmulator ? null : GroqApiKey.Redact(options.Value.ApiKey),
            MaxMessageLength,
            Documents = documents.Folder is not null,
        });
        api.MapGet("/documents", (DocumentTemplates documents) => documents.List());
        api.MapPost("/conversations", (HttpContext http, NewConversation? body, ConversationStore store) =>
            TypedResults.Created($"/api/conversations", store.Create(User(http), body?.Title)));
        api.MapGet("/conversations", (HttpContext http, ConversationStore store) => store.List(User(http)));
        api.MapGet("/conversations/{id}", Results<Ok<ConversationDetail>, NotFound<ErrorBody>> (HttpContext http, string id, ConversationStore store) =>
            store.Get(User(http), id) is { } detail ? TypedResults.Ok(detail) : TypedResults.NotFound(NotFoundBody(id)));
        api.MapDelete("/conversations/{id}", Results<NoContent, NotFound<ErrorBody>> (HttpContext http, string id, ConversationStore store) =>
            store.Delete(User(http), id) ? TypedResults.NoContent() : TypedResults.NotFound(NotFoundBody(id)));
        api.MapPost("/conversations/{id}/messages", SendAsync);
        return (app, emulator);
    }

    private static IResult SendAsync(HttpContext http, string id, NewMessage? body, ConversationStore store, GroqConversationFactory conversations, WebKnowledgeBase kb, DocumentTemplates documents, Kernel kernel, WebSettings settings, RunningTurns running)
    {
        string user = User(http);
        if (body is null || string.IsNullOrWhiteSpace(body.Text))
        {
            return TypedResults.BadRequest(new ErrorBody("empty_message", "The message is empty. Send {\"text\": \"your question\"}."));
        }

        if (body.Text.Length > MaxMessageLength)
        {
            return TypedResults.BadRequest(new ErrorBody("message_too_long", $"The message is {body.Text.Length:N0} characters; the most is {MaxMessageLength:N0}. Shorten it or split it."));
        }

        if (store.Get(user, id) is not { } detail)
        {
            return TypedResults.NotFound(NotFoundBody(id));
        }

        var events = Channel.CreateUnbounded<SseItem<object>>(new UnboundedChannelOptions { SingleReader = true });
        string mode = string.IsNullOrEmpty(body.Mode) ? "chat" : body.Mode.ToLowerInvariant();
        string conversationId = detail.Conversation.Id;
        string text = body.Text;
        (string Feature, string Stored, TurnBody Turn) turn;
        switch (mode)
        {
            case "chat":
                turn = ("web-chat", text, (delta, ct) => ChatAsync(detail, text, conversations, delta, ct));
                break;
            case "kb" when kb.Folder is null:
                return TypedResults.BadRequest(new ErrorBody("no_knowledge_base", "No knowledge base is configured: set Web:KnowledgeBase to a folder of .md, .txt or .pdf files."));
            case "kb":
                turn = ("web-kb", text, (delta, ct) => KnowledgeAsync(text, kb, kernel, events.Writer, delta, ct));
                break;
            case "document":
                (KernelFunction? function, KernelArguments? arguments, string? error) = documents.Bind(body.Function, text, body.Variables);
                if (function is null || arguments is null)
                {
                    return TypedResults.BadRequest(new ErrorBody("bad_document_request", error!));
                }

                string name = body.Function!;
                turn = ("web-document:" + name, $"{name}: {text}", (delta, ct) => DocumentAsync(kernel, function, arguments, delta, ct));
                break;
            default:
                return TypedResults.BadRequest(new ErrorBody("unknown_mode", $"Mode '{body.Mode}' is not one of chat, kb or document."));
        }

        // The turn runs while the response streams; stopping (or closing the tab) aborts the request and cancels the Groq call, and
        // so does the host shutting down (the turn still stores what arrived).
        CancellationToken aborted = http.RequestAborted;
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var options = new GroqRequestOptions { TenantId = user, ConversationId = conversationId, Feature = turn.Feature, Cache = settings.Cache, Status = StatusFrames(events.Writer) };
        running.Start(ct => RunTurnAsync(conversationId, turn.Stored, store, options, turn.Turn, events.Writer, ct), aborted);
        return TypedResults.ServerSentEvents(events.Reader.ReadAllAsync(aborted));
    }

    /// <summary>
    /// Runs one turn of any mode: stores the question, streams <c>delta</c> frames, then ends with <c>usage</c> and <c>done</c>,
    /// or <c>error</c> and <c>done</c>; a stopped turn keeps what arrived, marked <c>cancelled</c>, with the tokens counted so far.
    /// </summary>
    private static async Task RunTurnAsync(string conversationId, string question, ConversationStore store, GroqRequestOptions options, TurnBody turn, ChannelWriter<SseItem<object>> events, CancellationToken aborted)
    {
        store.Append(conversationId, new StoredMessage("user", question, store.Now()));
        var answer = new System.Text.StringBuilder();
        using GroqRequestScope scope = GroqRequestContext.Begin(options);
        try
        {
            TurnResult result = await turn(
                delta =>
                {
                    answer.Append(delta);
                    events.TryWrite(new SseItem<object>(new { Text = delta }, "delta"));
                },
                aborted);
            if (result.Sources is { } sources)
            {
                events.TryWrite(sources);
            }

            store.Append(conversationId, new StoredMessage("assistant", result.Text, store.Now(), result.Usage.PromptTokens, result.Usage.CompletionTokens, result.Usage.Cost, "ok"));
            Finish(events, result.Usage, scope.LastRecord);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The reader left: keep what arrived, marked as stopped, with the tokens counted so far (Groq sends no usage for a
            // stream cut short: the prompt as estimated before sending, the completion as the chunks received).
            IReadOnlyList<UsageRecord> records = scope.Records;
            long prompt = records.Sum(static r => r.Usage?.PromptTokens ?? r.EstimatedPromptTokens ?? 0);
            long completion = records.Sum(static r => r.Usage?.CompletionTokens ?? r.ReceivedCompletionTokens ?? 0);
            store.Append(conversationId, new StoredMessage("assistant", answer.ToString(), store.Now(), prompt, completion, UsageTotals.From(records).Cost, "cancelled"));
        }
        catch (Exception ex) when (ex is GroqException or KnowledgeBaseIndexException or KernelException or InvalidOperationException or IOException)
        {
            string kind = ex is GroqException groq ? groq.Kind : ex is KernelException ? "document_template" : "knowledge_base";
            store.Append(conversationId, new StoredMessage("assistant", answer.ToString(), store.Now(), null, null, null, "error: " + kind));
            events.TryWrite(new SseItem<object>(new { Kind = kind, ex.Message, RequestId = (ex as GroqException)?.RequestId }, "error"));
            events.TryWrite(new SseItem<object>(new { }, "done"));
        }
        finally
        {
            events.TryComplete();
        }
    }

    private static async Task<TurnResult> ChatAsync(ConversationDetail detail, string text, GroqConversationFactory factory, Action<string> delta, CancellationToken cancellationToken)
    {
        GroqConversation conversation = factory.Create(SystemMessage, id: detail.Conversation.Id);
        foreach (StoredMessage message in detail.Messages)
        {
            if (message.Role == "user")
            {
                conversation.History.AddUserMessage(message.Text);
            }
            else
            {
                conversation.History.AddAssistantMessage(message.Text);
            }
        }

        ConversationTurn turn = await conversation.SendAsync(text, delta, new OpenAIPromptExecutionSettings(), cancellationToken: cancellationToken);
        return new TurnResult(turn.Text, turn.Usage);
    }

    private static async Task<TurnResult> KnowledgeAsync(string text, WebKnowledgeBase kb, Kernel kernel, ChannelWriter<SseItem<object>> events, Action<string> delta, CancellationToken cancellationToken)
    {
        // Opening (and re-indexing a changed folder) reports itself; the answer itself goes through the groq pipeline.
        LocalKnowledgeBase opened = await kb.OpenAsync(message => events.TryWrite(new SseItem<object>(new { Phase = "KnowledgeBase", Message = message }, "status")), cancellationToken);
        var agent = new KnowledgeBaseAgent(kernel, opened.Searcher);
        KnowledgeBaseAnswer result = await agent.AskAsync(text, delta, retrieval: KnowledgeBaseRetrieval.Pre, cancellationToken: cancellationToken);
        var sources = new SseItem<object>(
            new
            {
                Citations = result.Citations.Select(c => new
                {
                    c.Label,
                    Valid = c.IsValid,
                    c.Hit?.Chunk.Source,
                    c.Hit?.Chunk.Heading,
                    c.Hit?.Chunk.Lines,
                    c.Hit?.Chunk.Link,
                    Score = c.Hit is null ? (double?)null : Math.Round(c.Hit.Score, 4),
                    Passage = c.Hit?.Chunk.Text,
                }),
            },
            "sources");
        return new TurnResult(result.Text, result.Usage, sources);
    }

    private static async Task<TurnResult> DocumentAsync(Kernel kernel, KernelFunction function, KernelArguments arguments, Action<string> delta, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder();
        await foreach (StreamingKernelContent update in kernel.InvokeStreamingAsync(function, arguments, cancellationToken))
        {
            if (update.ToString() is { Length: > 0 } piece)
            {
                text.Append(piece);
                delta(piece);
            }
        }

        return new TurnResult(text.ToString(), UsageTotals.From(GroqRequestContext.Current?.Records ?? []));
    }

    private static SynchronousProgress StatusFrames(ChannelWriter<SseItem<object>> events) =>
        new(s => events.TryWrite(new SseItem<object>(new { Phase = s.Phase.ToString(), s.Message, WaitMs = s.Wait?.TotalMilliseconds }, "status")));

    /// <summary>Writes the turn's <c>usage</c> frame (its round trips summed; time to first token, model and cache of the last) and <c>done</c>.</summary>
    private static void Finish(ChannelWriter<SseItem<object>> events, UsageTotals usage, UsageRecord? last)
    {
        events.TryWrite(new SseItem<object>(
            new
            {
                usage.PromptTokens,
                usage.CompletionTokens,
                usage.Cost,
                TimeToFirstTokenMs = last?.TimeToFirstToken?.TotalMilliseconds,
                Model = last?.ModelAnswered,
                Cached = last?.CacheHit ?? false,
            },
            "usage"));
        events.TryWrite(new SseItem<object>(new { }, "done"));
    }

    private static string User(HttpContext http)
    {
        if (http.Request.Cookies.TryGetValue(UserCookie, out string? user) && user is { Length: 32 } && user.All(char.IsAsciiHexDigit))
        {
            return user;
        }

        user = Guid.NewGuid().ToString("N");
        http.Response.Cookies.Append(UserCookie, user, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
        return user;
    }

    private static ErrorBody NotFoundBody(string id) => new("not_found", $"There is no conversation '{id}' for this browser. List them with GET /api/conversations.");

    /// <summary>The host's own settings.</summary>
    /// <param name="Cache">How the response cache treats the page's requests (<c>Web:Cache</c>).</param>
    private sealed record WebSettings(GroqCacheMode Cache);

    private delegate Task<TurnResult> TurnBody(Action<string> delta, CancellationToken cancellationToken);

    private sealed record TurnResult(string Text, UsageTotals Usage, SseItem<object>? Sources = null);

    private sealed class SynchronousProgress(Action<GroqRequestStatus> report) : IProgress<GroqRequestStatus>
    {
        public void Report(GroqRequestStatus value) => report(value);
    }
}

/// <summary>The body of <c>POST /api/conversations</c>.</summary>
/// <param name="Title">An optional title.</param>
public sealed record NewConversation(string? Title);

/// <summary>The body of <c>POST /api/conversations/{id}/messages</c>.</summary>
/// <param name="Text">The message.</param>
/// <param name="Mode"><c>chat</c> (default), <c>kb</c> (answer from the knowledge base, with sources) or <c>document</c> (write with a prompt function).</param>
/// <param name="Function">For <c>document</c>: the template, <c>Plugin.Function</c> (see <c>GET /api/documents</c>).</param>
/// <param name="Variables">For <c>document</c>: the template's variables other than <c>input</c>, which is <paramref name="Text"/>.</param>
public sealed record NewMessage(string Text, string? Mode = null, string? Function = null, IReadOnlyDictionary<string, string>? Variables = null);

/// <summary>An error answer: a code and what to do.</summary>
/// <param name="Code">The error code.</param>
/// <param name="Message">What is wrong and what to do.</param>
public sealed record ErrorBody(string Code, string Message);
