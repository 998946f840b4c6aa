namespace SkGroq.QuotaWorker;

/// <summary>
/// The worker's protocol on stdout, one line each: <c>READY</c>; <c>OK &lt;unix ms&gt; &lt;tokens&gt;</c> per answered request;
/// <c>FAIL &lt;kind&gt; &lt;message&gt;</c>; <c>EVENT &lt;event name&gt;</c> for the Redis and fallback log events; <c>REPORT &lt;json&gt;</c> last.
/// Commands on stdin: <c>GO</c> starts the load, <c>STOP</c> stops sending (requests in flight finish).
/// </summary>
internal static class WorkerOutput
{
    private static readonly Lock s_gate = new();

    public static void Line(string line)
    {
        lock (s_gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
