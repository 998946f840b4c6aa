using Microsoft.Extensions.Internal;
namespace SkGroq.Caching.Stores;

/// <summary>Lets <c>MemoryCache</c> and <c>MemoryDistributedCache</c>, which take an <see cref="ISystemClock"/>, expire entries by the injected <see cref="TimeProvider"/>.</summary>
/// <param name="timeProvider">The clock.</param>
internal sealed class TimeProviderClock(TimeProvider timeProvider) : ISystemClock
{
    /// <inheritdoc />
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
}
