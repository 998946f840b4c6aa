namespace SkGroq.Console;

/// <summary>The process exit codes of every command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed (Groq error, failed requests, failed verdict).</summary>
    public const int Failure = 1;

    /// <summary>The command could not run: an unknown option, a missing or bad argument.</summary>
    public const int Usage = 2;

    /// <summary>The command could not run: a setting (appsettings.json, .env, environment) is wrong (EX_CONFIG of sysexits.h).</summary>
    public const int Configuration = 78;

    /// <summary>Stopped by Ctrl+C.</summary>
    public const int Cancelled = 130;
}
