namespace SkGroq.Http.Usage;

/// <summary>Settings of usage tracking and cost monitoring.</summary>
public sealed class UsageTrackingOptions
{
    /// <summary>Gets or sets a value indicating whether a usage record is kept for every request.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;
}
