namespace SkGroq.Tests.Emulator;

/// <summary>Reads the recorded Groq samples under TestData/Groq (docs/GROQ-API.md §9).</summary>
internal static class TestData
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "Groq", name));
}
