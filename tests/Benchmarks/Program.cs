using BenchmarkDotNet.Running;
using TradSys.Engine.Benchmarks;

return args.Length > 0 && args[0] == "replay" ? Replay.Run(args[1..])
    : args.Length > 0 && args[0] == "rules" ? RulesBench.Run(args[1..])
    : args.Length > 0 && args[0] == "rules-stage" ? RulesStageBench.Run(args[1..])
    : args.Length > 0 && args[0] == "reports" ? ReportsBench.Run(args[1..])
    : args.Length > 0 && args[0] == "writer" ? WriterBench.Run(args[1..])
    : RunBenchmarks(args);

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Replay).Assembly).Run(args);
    return 0;
}
