using System.Text.Json.Serialization;

namespace SkGroq.Emulator.Chat;

/// <summary>Source-generated serialization of the few values the emulator serializes outside its writers.</summary>
[JsonSourceGenerationOptions]
[JsonSerializable(typeof(string))]
internal sealed partial class EmulatorJsonContext : JsonSerializerContext;
