using System.Diagnostics;
using SkGroq.Tests.Integration;

namespace SkGroq.Tests.RateLimiting.Redis.MultiProcess;

/// <summary>A private <c>redis-server</c> (no persistence) that a test can kill and start again on the same port.</summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private Process? _process;

    private RedisServerProcess(int port) => Port = port;

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Gets a value indicating whether <c>redis-server</c> is on PATH.</summary>
    public static bool IsInstalled => Binary is not null;

    private static string? Binary => Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
        .Select(directory => Path.Combine(directory, "redis-server"))
        .FirstOrDefault(File.Exists);

    /// <summary>Starts a server on a free port; skips the test (fails it in CI) when redis-server is not installed.</summary>
    public static async Task<RedisServerProcess> StartAsync(CancellationToken cancellationToken)
    {
        if (!IsInstalled)
        {
            string reason = "redis-server is not installed (apt-get install -y redis-server); this test starts, kills and restarts its own.";
            if (RedisTestServer.IsCi)
            {
                Assert.Fail(reason + " CI=true: it must not be skipped.");
            }

            Assert.Skip(reason);
        }

        var server = new RedisServerProcess(LoopbackPort.Free());
        await server.StartAgainAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts the server (again) and returns once it accepts connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        while (await _process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _ = _process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return;
            }
        }

        throw new InvalidOperationException($"redis-server on port {Port} exited before accepting connections.");
    }

    /// <summary>Kills the server (no shutdown, nothing saved): every client's connection breaks at once.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }
}
