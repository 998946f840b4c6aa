using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Hosting;
using SkGroq.Emulator.Scripting;

namespace SkGroq.Emulator;

/// <summary>
/// A local Groq API ("LocalStack for Groq"): Groq's wire format, auth, validation, token accounting, rate limits, pacing,
/// scripted replies and fault injection, on a loopback port.
/// </summary>
/// <example>
/// <code>
/// await using GroqEmulator groq = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TokensPerSecond = 0, TimeToFirstToken = TimeSpan.Zero });
/// // point an OpenAI-compatible client at groq.BaseUrl with groq.ApiKey
/// </code>
/// </example>
public sealed class GroqEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;
    private int _disposed;

    private GroqEmulator(WebApplication app, EmulatorState state, Uri root)
    {
        _app = app;
        _state = state;
        RootUrl = root;
        BaseUrl = new Uri(root, GroqEmulatorDefaults.ApiPrefix);
        ControlUrl = new Uri(root, GroqEmulatorDefaults.ControlPrefix);
    }

    /// <summary>Gets the OpenAI-compatible base URL, <c>http://127.0.0.1:{port}/openai/v1</c> (what <c>GROQ_BASE_URL</c> should be).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the server root, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri RootUrl { get; }

    /// <summary>Gets the control API root, <c>http://127.0.0.1:{port}/_emulator</c>.</summary>
    public Uri ControlUrl { get; }

    /// <summary>Gets the first accepted API key.</summary>
    public string ApiKey => ApiKeys[0];

    /// <summary>Gets every accepted API key.</summary>
    public IReadOnlyList<string> ApiKeys => _state.Keys.Keys;

    /// <summary>Gets the scripted replies.</summary>
    public EmulatorScript Script => _state.Script;

    /// <summary>Gets fault injection.</summary>
    public EmulatorFaults Faults => _state.Faults;

    /// <summary>Gets what was received and charged.</summary>
    public EmulatorAccounting Accounting => _state.Accounting;

    /// <summary>Gets the chat completion calls the emulator is answering right now (a stream counts until it ends or is aborted).</summary>
    public int InFlight => _state.InFlight;

    /// <summary>Starts an emulator.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults (random loopback port, one key, free-plan limits, realistic pacing).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop.</returns>
    public static Task<GroqEmulator> StartAsync(GroqEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GroqEmulatorOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.TokensPerSecond, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TimeToFirstToken, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PacingInterval, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Behavior.OmittedMaxTokensReservation, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        return StartCoreAsync(options, cancellationToken);
    }

    /// <summary>Gets the organization id of a key (as shown in rate-limit messages).</summary>
    /// <param name="apiKey">An accepted key.</param>
    /// <returns>The organization id.</returns>
    /// <exception cref="ArgumentException">The key is not accepted by this emulator.</exception>
    public string GetOrganizationId(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return _state.Keys.TryAuthenticate("Bearer " + apiKey, out _, out OrganizationState? organization)
            ? organization.Id
            : throw new ArgumentException("The key is not accepted by this emulator.", nameof(apiKey));
    }

    /// <summary>Refills every rate-limit bucket of every organization.</summary>
    public void ResetRateLimits() => _state.Limiter.Reset();

    /// <summary>Stops the emulator; open streams are cut.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The shutdown grace period runs on the real clock: a test's FakeTimeProvider would never end it.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5), TimeProvider.System);
        await _app.StopAsync(stopping.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<GroqEmulator> StartCoreAsync(GroqEmulatorOptions options, CancellationToken cancellationToken)
    {
        var state = new EmulatorState(options);
        WebApplication app = EmulatorApplication.Build(state);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var emulator = new GroqEmulator(app, state, new Uri(address.EndsWith('/') ? address : address + "/"));
        Log.Started(state.Logger, emulator.BaseUrl);
        return emulator;
    }
}
