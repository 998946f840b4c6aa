using System.ComponentModel.DataAnnotations;

namespace SkGroq.Inspection;

/// <summary>Settings of the innermost handler: attempt timeout, stream watchdog and error mapping.</summary>
public sealed class ResponseInspectionOptions
{
    /// <summary>Gets or sets how long one attempt may wait for its first response byte (the attempt timeout).</summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:30:00")]
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long a stream may stay silent between two chunks before it fails as stalled.</summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:30:00")]
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
