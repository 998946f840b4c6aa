namespace SkGroq.Console.Chaos;

/// <summary>One chaos request's ending.</summary>
/// <param name="Ending">How it ended.</param>
/// <param name="Streaming">Whether it streamed.</param>
/// <param name="Elapsed">How long it took, as the caller saw it.</param>
/// <param name="Error">The error kind (<c>GroqException.Kind</c>) or, for an untyped ending, the exception's type and message.</param>
/// <param name="Message">The typed error's message.</param>
internal readonly record struct ChaosResult(ChaosEnding Ending, bool Streaming, TimeSpan Elapsed, string? Error, string? Message = null);
