using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SkGroq.Inspection;

/// <summary>Registers response inspection: the innermost handler of the <c>groq</c> client.</summary>
internal static class ResponseInspectionHttpClientBuilderExtensions
{
    /// <summary>Adds <see cref="ResponseInspectionHandler"/> to the client's chain — call it after every other handler, so it is the innermost.</summary>
    /// <param name="builder">The <c>groq</c> client's builder.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddGroqResponseInspection(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddTransient<ResponseInspectionHandler>();
        return builder.AddHttpMessageHandler<ResponseInspectionHandler>();
    }
}
