using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Context;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddGroqSources(typeof(Program).Assembly);   // user secrets, .env, GROQ_* variables
builder.Services.AddGroq();                                        // options, the groq HttpClient pipeline, SK chat completion
builder.Services.AddKernel();
using IHost host = builder.Build();

try
{
    await host.StartAsync();                                       // validates every Groq setting at once
}
catch (OptionsValidationException ex)
{
    Console.Error.WriteLine(string.Join(Environment.NewLine, ex.Failures));
    return 78;
}

var chat = host.Services.GetRequiredService<IChatCompletionService>();
var history = new ChatHistory("You are a helpful assistant.");
history.AddUserMessage(args.Length > 0 ? string.Join(' ', args) : "What is the capital of France?");

// Optional ambient context: conversation/tenant tags, priority, deadline, cache mode, live status.
using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions { ConversationId = "c-42" });
await foreach (StreamingChatMessageContent update in chat.GetStreamingChatMessageContentsAsync(history))
{
    Console.Write(update.Content);
}

Console.WriteLine($"\n{scope.LastRecord?.RequestId}: {scope.LastRecord?.Usage?.TotalTokens} tokens, ${scope.LastRecord?.Cost}");
await host.StopAsync();
return 0;
