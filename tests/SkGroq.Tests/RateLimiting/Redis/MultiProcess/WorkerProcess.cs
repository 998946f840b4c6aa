using System.Diagnostics;
using System.Text.Json;
using SkGroq.Tests.TestData;

namespace SkGroq.Tests.RateLimiting.Redis.MultiProcess;

/// <summary>One <c>SkGroq.QuotaWorker</c> process: started with its arguments, its stdout lines handed to a callback, commands written to its stdin.</summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<WorkerResult> _report = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private readonly Task<string> _errors;

    private WorkerProcess(string name, Process process, Action<WorkerProcess, string> onLine)
    {
        Name = name;
        _process = process;
        _reading = ReadAsync(onLine);
        _errors = process.StandardError.ReadToEndAsync();
    }

    public string Name { get; }

    public Task Ready => _ready.Task;

    public Task<WorkerResult> Report => _report.Task;

    public static WorkerProcess Start(string name, IEnumerable<string> arguments, Action<WorkerProcess, string> onLine)
    {
        var start = new ProcessStartInfo(DotNet())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(WorkerPath());
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--name");
        start.ArgumentList.Add(name);
        return new WorkerProcess(name, Process.Start(start) ?? throw new InvalidOperationException("The worker did not start."), onLine);
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the process to end and returns its exit code and stderr.</summary>
    public async Task<(int ExitCode, string Errors)> ExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        await _reading;
        return (_process.ExitCode, await _errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task ReadAsync(Action<WorkerProcess, string> onLine)
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "READY")
                {
                    _ready.TrySetResult();
                }
                else if (line.StartsWith("REPORT ", StringComparison.Ordinal))
                {
                    _report.TrySetResult(JsonSerializer.Deserialize<WorkerResult>(line["REPORT ".Length..])!);
                }
                else
                {
                    onLine(this, line);
                }
            }
        }
        finally
        {
            var ended = new InvalidOperationException($"Worker {Name} ended without {(_ready.Task.IsCompleted ? "a report" : "getting ready")}.");
            _ready.TrySetException(ended);
            _report.TrySetException(ended);
        }
    }

    private static string DotNet() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    // Built before the tests (a project reference without the assembly), in the same configuration.
    private static string WorkerPath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        string path = Repository.File("tests", "SkGroq.QuotaWorker", "bin", configuration, framework, "SkGroq.QuotaWorker.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build tests/SkGroq.QuotaWorker first ({configuration}).", path);
    }
}
