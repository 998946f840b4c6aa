namespace SkGroq.Errors;

/// <summary>Why no connection to the endpoint could be made; decides how often it is worth trying again.</summary>
internal enum GroqConnectionFailure
{
    /// <summary>Another or unknown cause (reset, broken pipe); transient.</summary>
    Other,

    /// <summary>The host answered but nothing listens on the port; one more try at most.</summary>
    Refused,

    /// <summary>The host name does not resolve; trying again will not help.</summary>
    NameResolution,

    /// <summary>The TLS handshake failed (certificate, protocol); trying again will not help.</summary>
    Tls,

    /// <summary>The connection attempt timed out; transient.</summary>
    Timeout,
}
