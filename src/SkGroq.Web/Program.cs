using SkGroq.Web;

return await WebHost.RunAsync(args, Console.Out, Console.Error);
