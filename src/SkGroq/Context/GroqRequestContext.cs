namespace SkGroq.Context;

/// <summary>The ambient request context: options for the requests made in the current async flow, and their usage records.</summary>
/// <example>
/// <code>
/// using (GroqRequestScope scope = GroqRequestContext.Begin(new() { ConversationId = "c-42", Priority = GroqPriority.Background }))
/// {
///     await chat.GetChatMessageContentAsync(history);
///     Console.WriteLine(scope.LastRecord?.RequestId);
/// }
/// </code>
/// </example>
public static class GroqRequestContext
{
    private static readonly AsyncLocal<GroqRequestScope?> s_current = new();

    /// <summary>Gets the innermost active scope of the current async flow, or <see langword="null"/>.</summary>
    public static GroqRequestScope? Current => s_current.Value;

    /// <summary>Begins a scope; dispose it to restore the enclosing one.</summary>
    /// <param name="options">Options for the requests made inside the scope.</param>
    /// <returns>The scope.</returns>
    public static GroqRequestScope Begin(GroqRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scope = new GroqRequestScope(options, s_current.Value);
        s_current.Value = scope;
        return scope;
    }

    internal static void Restore(GroqRequestScope scope)
    {
        // Only the innermost scope restores its parent; disposing out of order leaves inner scopes alone.
        if (ReferenceEquals(s_current.Value, scope))
        {
            s_current.Value = scope.Parent;
        }
    }
}
