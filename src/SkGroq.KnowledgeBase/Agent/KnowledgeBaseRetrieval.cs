namespace SkGroq.KnowledgeBase.Agent;

/// <summary>When the agent retrieves passages.</summary>
public enum KnowledgeBaseRetrieval
{
    /// <summary>The model calls the search tool (Groq tool use) with its own query: two round trips, better for vague or multi-part questions.</summary>
    Tool,

    /// <summary>Passages for the question are retrieved first and put in the prompt (Semantic Kernel's <c>TextSearchProvider</c>): one round trip.</summary>
    Pre,
}
