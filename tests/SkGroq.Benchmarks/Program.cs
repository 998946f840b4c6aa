using System.Reflection;
using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g. dotnet run -c Release --project tests/SkGroq.Benchmarks -- --filter '*SseTap*'
BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
