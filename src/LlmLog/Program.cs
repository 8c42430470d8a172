return LlmLog.Cli.LlmLogCli.Run(args);
