using Aggregator.Hosting;

return await Commands.RunAsync(args, Console.Out, Console.Error);
