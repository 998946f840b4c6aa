using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using SkGroq.Configuration;

namespace SkGroq.Models;

/// <summary>The model catalog: ids, context windows, completion caps, default limits and prices.</summary>
/// <remarks>
/// Built from the embedded <c>catalog.json</c>, then <see cref="GroqOptions.Models"/> overrides, then whatever
/// <see cref="Apply(IEnumerable{RemoteModel})"/> learns from <c>GET /models</c>. Reads are lock-free; updates swap an immutable snapshot.
/// </remarks>
public sealed class ModelCatalog
{
    private static readonly Lazy<List<ModelInfo>> s_builtIn = new(LoadBuiltIn);
    private FrozenDictionary<string, ModelInfo> _models;

    /// <summary>Initializes a new instance of the <see cref="ModelCatalog"/> class.</summary>
    /// <param name="tier">The plan whose default limits apply.</param>
    /// <param name="overrides">Configured overrides keyed by model id.</param>
    public ModelCatalog(GroqTier tier = GroqTier.Free, IReadOnlyDictionary<string, ModelOverride>? overrides = null)
    {
        Tier = tier;
        var models = s_builtIn.Value.ToDictionary(m => m.Id, StringComparer.Ordinal);
        if (overrides is not null)
        {
            foreach ((string id, ModelOverride value) in overrides)
            {
                models[id] = ApplyOverride(models.GetValueOrDefault(id) ?? new ModelInfo(id), value, tier);
            }
        }

        _models = models.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Gets the plan whose default limits apply.</summary>
    public GroqTier Tier { get; }

    /// <summary>Gets every known model.</summary>
    public IReadOnlyCollection<ModelInfo> Models => Volatile.Read(ref _models).Values;

    /// <summary>Looks a model up by id.</summary>
    /// <param name="id">The model id.</param>
    /// <param name="model">The entry, when known.</param>
    /// <returns><see langword="true"/> when the catalog knows the model.</returns>
    public bool TryGet(string id, [NotNullWhen(true)] out ModelInfo? model)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Volatile.Read(ref _models).TryGetValue(id, out model);
    }

    /// <summary>Gets the default limits of a model on the configured plan; unknown models are not limited locally (Groq's headers then teach the limiter).</summary>
    /// <param name="id">The model id.</param>
    /// <returns>The limits.</returns>
    public ModelLimits GetLimits(string id) => TryGet(id, out ModelInfo? model) ? model.LimitsFor(Tier) : ModelLimits.None;

    /// <summary>Updates the catalog from a <c>GET /models</c> answer: context windows, completion caps and activity; unknown models are added.</summary>
    /// <param name="remote">The listed models.</param>
    public void Apply(IEnumerable<RemoteModel> remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var models = Volatile.Read(ref _models).ToDictionary(StringComparer.Ordinal);
        foreach (RemoteModel item in remote)
        {
            ModelInfo current = models.GetValueOrDefault(item.Id) ?? new ModelInfo(item.Id) { OwnedBy = item.OwnedBy };
            models[item.Id] = current with
            {
                Active = item.Active,
                ContextWindow = item.ContextWindow ?? current.ContextWindow,
                MaxCompletionTokens = item.MaxCompletionTokens ?? current.MaxCompletionTokens,
                OwnedBy = current.OwnedBy ?? item.OwnedBy,
            };
        }

        Volatile.Write(ref _models, models.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>Asks the server for its models (<c>GET /models</c>) and applies the answer to the catalog.</summary>
    /// <param name="client">An HttpClient whose base address is the endpoint (the <c>groq</c> client).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The models the server listed.</returns>
    public async Task<IReadOnlyList<RemoteModel>> RefreshAsync(HttpClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using HttpResponseMessage response = await client.GetAsync(new Uri("models", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<RemoteModel> models = RemoteModel.ParseList(body);
        Apply(models);
        return models;
    }

    private static ModelInfo ApplyOverride(ModelInfo model, ModelOverride value, GroqTier tier)
    {
        var limits = new ModelLimits(value.RequestsPerMinute, value.RequestsPerDay, value.TokensPerMinute, value.TokensPerDay);
        ModelPricing? pricing = model.Pricing;
        if (value.InputPricePerMillion is not null || value.OutputPricePerMillion is not null || value.CachedInputPricePerMillion is not null)
        {
            decimal? input = value.InputPricePerMillion ?? pricing?.InputPerMillion;
            decimal? output = value.OutputPricePerMillion ?? pricing?.OutputPerMillion;

            // A price needs both sides; half a price would bill one side as free.
            pricing = input is { } i && output is { } o ? new ModelPricing(i, o, value.CachedInputPricePerMillion ?? pricing?.CachedInputPerMillion) : pricing;
        }

        return model with
        {
            ContextWindow = value.ContextWindow ?? model.ContextWindow,
            MaxCompletionTokens = value.MaxCompletionTokens ?? model.MaxCompletionTokens,
            Tokenizer = value.Tokenizer ?? model.Tokenizer,
            Decommissioned = value.Decommissioned ?? model.Decommissioned,
            FreeLimits = tier == GroqTier.Free ? model.FreeLimits.With(limits) : model.FreeLimits,
            DeveloperLimits = tier == GroqTier.Developer ? model.DeveloperLimits.With(limits) : model.DeveloperLimits,
            Pricing = pricing,
        };
    }

    private static List<ModelInfo> LoadBuiltIn()
    {
        using Stream stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("SkGroq.Models.catalog.json")
            ?? throw new InvalidOperationException("The embedded model catalog is missing from the SkGroq assembly.");
        CatalogDocument document = JsonSerializer.Deserialize(stream, CatalogJsonContext.Default.CatalogDocument)
            ?? throw new InvalidOperationException("The embedded model catalog is empty.");
        return document.Models.Select(e => new ModelInfo(e.Id)
        {
            OwnedBy = e.OwnedBy,
            ContextWindow = e.ContextWindow,
            MaxCompletionTokens = e.MaxCompletionTokens,
            Tokenizer = e.Tokenizer,
            Decommissioned = e.Decommissioned,
            Active = !e.Decommissioned,
            FreeLimits = e.Free?.ToLimits() ?? ModelLimits.None,
            DeveloperLimits = e.Developer?.ToLimits() ?? ModelLimits.None,
            Pricing = e.Pricing is { } p ? new ModelPricing(p.Input, p.Output, p.CachedInput) : null,
        }).ToList();
    }
}
