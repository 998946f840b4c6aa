namespace SkGroq.Tokens.Templates;

/// <summary>The role of a chat message.</summary>
internal enum ChatRole
{
    /// <summary>A role the templates do not know; rendered like a user message, and the count is marked inexact.</summary>
    Other,

    /// <summary><c>system</c>.</summary>
    System,

    /// <summary><c>developer</c> (treated as <c>system</c>).</summary>
    Developer,

    /// <summary><c>user</c>.</summary>
    User,

    /// <summary><c>assistant</c>.</summary>
    Assistant,

    /// <summary><c>tool</c> (or the legacy <c>function</c>).</summary>
    Tool,
}
