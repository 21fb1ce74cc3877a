using DaseCV.Runner.Commands;

return await Cli.MainAsync(args);
