namespace SkGroq.Console.Bench;

/// <summary>What the load is sent through.</summary>
internal enum LoadClient
{
    /// <summary>Semantic Kernel through the full SkGroq pipeline (the <c>groq</c> HttpClient).</summary>
    SkGroq,

    /// <summary>Semantic Kernel's OpenAI connector with a plain HttpClient: the same load without SkGroq, as a baseline.</summary>
    Plain,
}
