using System.Reflection;
using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project tests/SkGroq.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
