namespace SkGroq.Tokens.Templates;

/// <summary>Parses OpenAI role names.</summary>
internal static class ChatRoles
{
    /// <summary>Parses a role name.</summary>
    /// <param name="role">The role name.</param>
    /// <returns>The role.</returns>
    public static ChatRole Parse(ReadOnlySpan<char> role) => role switch
    {
        "system" => ChatRole.System,
        "developer" => ChatRole.Developer,
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        "tool" or "function" or "ipython" => ChatRole.Tool,
        _ => ChatRole.Other,
    };

    /// <summary>Parses a UTF-8 role name.</summary>
    /// <param name="role">The role name.</param>
    /// <returns>The role.</returns>
    public static ChatRole Parse(ReadOnlySpan<byte> role) =>
        role.SequenceEqual("system"u8) ? ChatRole.System
        : role.SequenceEqual("user"u8) ? ChatRole.User
        : role.SequenceEqual("assistant"u8) ? ChatRole.Assistant
        : role.SequenceEqual("developer"u8) ? ChatRole.Developer
        : role.SequenceEqual("tool"u8) || role.SequenceEqual("function"u8) || role.SequenceEqual("ipython"u8) ? ChatRole.Tool
        : ChatRole.Other;

    /// <summary>Gets a value indicating whether a role carries instructions (system or developer).</summary>
    /// <param name="role">The role.</param>
    /// <returns><see langword="true"/> for system and developer.</returns>
    public static bool IsInstructions(this ChatRole role) => role is ChatRole.System or ChatRole.Developer;
}
