using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g. dotnet run -c Release --project tests/SkGroq.Benchmarks -- --filter '*SseTap*'
BenchmarkSwitcher.FromAssembly(typeof(SkGroq.Benchmarks.Sse.SseTapBenchmarks).Assembly).Run(args);
return 0;
