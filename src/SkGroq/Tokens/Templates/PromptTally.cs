namespace SkGroq.Tokens.Templates;

/// <summary>The running count of one prompt while its messages are rendered.</summary>
internal struct PromptTally
{
    /// <summary>Tokens counted from rendered text and template structure.</summary>
    public long Counted;

    /// <summary>Tokens estimated for parts Groq renders in ways not verified (tools, schemas, images, tool-call structure).</summary>
    public long Estimated;

    /// <summary>Whether some counted part rests on an unverified rendering.</summary>
    public bool Inexact;

    /// <summary>The number of messages added so far.</summary>
    public int Messages;

    /// <summary>The number of system or developer messages added so far.</summary>
    public int InstructionMessages;

    /// <summary>Gets the total: counted plus estimated tokens.</summary>
    public readonly long Total => Counted + Estimated;
}
