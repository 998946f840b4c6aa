using System.Collections.Frozen;

namespace SkGroq.Emulator.Hosting;

/// <summary>The <c>created</c> values Groq lists for its models (docs/GROQ-API.md §7); others get a fixed date.</summary>
internal static class ModelCreatedDates
{
    private const long Unknown = 1_733_447_754;

    private static readonly FrozenDictionary<string, long> s_created = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["whisper-large-v3"] = 1_693_721_698,
        ["meta-llama/llama-4-scout-17b-16e-instruct"] = 1_743_874_824,
        ["openai/gpt-oss-20b"] = 1_754_407_957,
        ["qwen/qwen3-32b"] = 1_748_396_646,
        ["openai/gpt-oss-120b"] = 1_754_408_224,
        ["meta-llama/llama-guard-4-12b"] = 1_746_743_847,
        ["moonshotai/kimi-k2-instruct-0905"] = 1_757_046_093,
        ["groq/compound"] = 1_756_949_530,
        ["llama-3.3-70b-versatile"] = 1_733_447_754,
        ["allam-2-7b"] = 1_737_672_203,
        ["llama-3.1-8b-instant"] = 1_693_721_698,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static long Of(string model) => s_created.GetValueOrDefault(model, Unknown);
}
