using System.Text.Json;
using SkGroq.Emulator.Wire;
using SkGroq.Models;

namespace SkGroq.Emulator.Hosting;

/// <summary><c>GET /openai/v1/models</c> and <c>GET /openai/v1/models/{id}</c> from the catalog, in Groq's shape (docs/GROQ-API.md §7); no rate-limit headers.</summary>
internal sealed class ModelsEndpoint(EmulatorState state)
{
    public async Task HandleAsync(HttpContext context, string? id)
    {
        HttpResponse response = context.Response;
        state.Accounting.Received();
        Responses.SetCommonHeaders(response, Ids.RequestId(state.Time.GetUtcNow()), state.Options.Region);
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            state.Accounting.UnknownUrl();
            await Responses.WriteErrorAsync(response, ApiError.UnknownUrl(context.Request.Method, context.Request.Path.Value ?? "/"), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!state.Keys.TryAuthenticate(context.Request.Headers.Authorization, out _, out _))
        {
            state.Accounting.Unauthorize();
            await Responses.WriteErrorAsync(response, ApiError.InvalidApiKey(), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        ModelInfo? single = null;
        if (id is not null && (!state.Catalog.TryGet(id, out single) || single.Decommissioned))
        {
            await Responses.WriteErrorAsync(response, ApiError.ModelNotFound(id), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var body = new PooledBufferWriter(4096);
        Utf8JsonWriter writer = JsonWriting.Rent(body);
        if (single is not null)
        {
            WriteModel(writer, single);
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("object"u8, "list"u8);
            writer.WriteStartArray("data"u8);
            foreach (ModelInfo model in state.Catalog.Models)
            {
                if (!model.Decommissioned)
                {
                    WriteModel(writer, model);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        JsonWriting.Return(writer);
        response.StatusCode = 200;
        await Responses.WriteJsonAsync(response, body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>{id, object, created, owned_by, active, context_window, public_apps, max_completion_tokens}</c>.</summary>
    private static void WriteModel(Utf8JsonWriter writer, ModelInfo model)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, model.Id);
        writer.WriteString("object"u8, "model"u8);
        writer.WriteNumber("created"u8, ModelCreatedDates.Of(model.Id));
        writer.WriteString("owned_by"u8, model.OwnedBy ?? "Groq");
        writer.WriteBoolean("active"u8, model.Active);
        writer.WriteNumber("context_window"u8, model.ContextWindow);
        writer.WriteNull("public_apps"u8);
        writer.WriteNumber("max_completion_tokens"u8, model.MaxCompletionTokens);
        writer.WriteEndObject();
    }
}
