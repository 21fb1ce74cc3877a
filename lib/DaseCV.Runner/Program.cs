using DaseCV.Runner;

return await Cli.MainAsync(args);
