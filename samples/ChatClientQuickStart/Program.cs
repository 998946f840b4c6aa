using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkGroq.ChatClient;

IConfiguration configuration = new ConfigurationBuilder().AddGroqSources(typeof(Program).Assembly).Build();   // .env, GROQ_* variables
var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
services.AddGroqChatClient().UseFunctionInvocation();          // the groq pipeline: limits, queue, retries, fallback, cache, ledger
await using ServiceProvider provider = services.BuildServiceProvider();
IChatClient chat = provider.GetRequiredService<IChatClient>();

var options = new ChatOptions
{
    Tools = [AIFunctionFactory.Create(() => TimeProvider.System.GetUtcNow().ToString("R"), "utc_now", "The current UTC time.")],
    AdditionalProperties = new() { [GroqChatOptionKeys.Feature] = "quick-start" },   // tags the usage record
};
var updates = new List<ChatResponseUpdate>();
await foreach (ChatResponseUpdate update in chat.GetStreamingResponseAsync(args.Length > 0 ? string.Join(' ', args) : "What is the capital of France?", options))
{
    Console.Write(update.Text);
    updates.Add(update);
}

ChatResponse response = updates.ToChatResponse();                       // usage summed over the turn's round trips
Console.WriteLine($"\n{response.Usage?.TotalTokenCount} tokens, request {updates[^1].AdditionalProperties?[GroqChatOptionKeys.RequestId]}");
