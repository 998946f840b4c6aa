namespace SkGroq.Http;

/// <summary>How the body of one attempt's response ended.</summary>
internal enum ResponseEndKind
{
    /// <summary>Read to the end: the JSON body, or a stream through <c>data: [DONE]</c>.</summary>
    Completed,

    /// <summary>The stream carried an error, broke, or stalled; <see cref="ResponseOutcome.Error"/> says which.</summary>
    Failed,

    /// <summary>The caller cancelled while reading.</summary>
    Cancelled,

    /// <summary>The response was disposed before its body was read to the end.</summary>
    Abandoned,
}
