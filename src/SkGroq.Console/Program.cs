using SkGroq.Console;

return await HarnessApp.RunAsync(args);
