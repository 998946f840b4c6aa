using System.CommandLine;
using SkGroq.Console.Output;

namespace SkGroq.Console.Hosting;

/// <summary>What a command's body gets: its parse result, the started session and the output.</summary>
internal sealed record CommandContext(ParseResult Parse, HarnessSession Session, HarnessOutput Output)
{
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);
}
