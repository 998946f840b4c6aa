using System.Text.Json;
namespace SkGroq.Caching.Conversion;

/// <summary>The members every chunk of a stream repeats and a <c>chat.completion</c> body starts with.</summary>
/// <param name="Id">The <c>chatcmpl-…</c> id.</param>
/// <param name="Created">The <c>created</c> Unix time.</param>
/// <param name="Model">The <c>model</c>.</param>
/// <param name="SystemFingerprint">The <c>system_fingerprint</c>.</param>
/// <param name="RequestId">Groq's request id (<c>x_groq.id</c>).</param>
internal sealed record ChunkHeader(JsonElement? Id, JsonElement? Created, JsonElement? Model, JsonElement? SystemFingerprint, JsonElement? RequestId);
