namespace SkGroq.Configuration;

/// <summary>Normalises the configured base URL of the OpenAI-compatible endpoint.</summary>
public static class GroqBaseUrl
{
    private const string OpenAiPath = "/openai/v1";

    /// <summary>
    /// Turns a configured base URL into the endpoint that paths such as <c>chat/completions</c> are appended to.
    /// </summary>
    /// <remarks>
    /// The official Groq SDKs read <c>GROQ_BASE_URL</c> as the host (<c>https://api.groq.com</c>) and add <c>/openai/v1</c>
    /// themselves; OpenAI-SDK users give the full endpoint. A URL with an empty path therefore gets <c>/openai/v1</c>;
    /// any other path is kept as given, so any OpenAI-compatible server (<c>http://host/v1</c>) works.
    /// </remarks>
    /// <param name="value">The configured value.</param>
    /// <param name="endpoint">The normalised endpoint, always ending without a slash.</param>
    /// <param name="error">What is wrong and how to fix it, when the value is not usable.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is usable.</returns>
    public static bool TryNormalize(string? value, out Uri endpoint, out string? error)
    {
        endpoint = null!;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "Groq:BaseUrl (GROQ_BASE_URL) is empty. Set it to https://api.groq.com/openai/v1 or remove the setting to use the default.";
            return false;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"Groq:BaseUrl (GROQ_BASE_URL) '{value}' is not an absolute http(s) URL. Use e.g. https://api.groq.com/openai/v1.";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            error = $"Groq:BaseUrl (GROQ_BASE_URL) '{value}' has a query or fragment. Give only scheme, host, port and path, e.g. https://api.groq.com/openai/v1.";
            return false;
        }

        string path = uri.AbsolutePath.TrimEnd('/');
        if (path.Length == 0)
        {
            path = OpenAiPath;
        }

        if (path.Contains(OpenAiPath + OpenAiPath, StringComparison.OrdinalIgnoreCase))
        {
            error = $"Groq:BaseUrl (GROQ_BASE_URL) '{value}' repeats /openai/v1; Groq would answer 404 unknown_url. Use https://api.groq.com/openai/v1.";
            return false;
        }

        endpoint = new UriBuilder(uri) { Path = path }.Uri;
        error = null;
        return true;
    }

    /// <summary>Normalises <paramref name="value"/> or throws an <see cref="ArgumentException"/> that says how to fix it.</summary>
    /// <param name="value">The configured value.</param>
    /// <returns>The endpoint.</returns>
    public static Uri Normalize(string? value)
        => TryNormalize(value, out Uri endpoint, out string? error) ? endpoint : throw new ArgumentException(error, nameof(value));

    /// <summary>Appends a relative path (such as <c>chat/completions</c>) to an endpoint.</summary>
    /// <param name="endpoint">A normalised endpoint.</param>
    /// <param name="relativePath">The path under the endpoint.</param>
    /// <returns>The absolute URL.</returns>
    public static Uri Combine(Uri endpoint, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        return new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + relativePath.TrimStart('/'));
    }
}
