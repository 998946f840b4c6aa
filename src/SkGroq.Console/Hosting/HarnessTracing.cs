using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SkGroq.Tracing;

namespace SkGroq.Console.Hosting;

/// <summary>The console's <c>--otel</c>: SkGroq's spans to the console (after the command) or to an OTLP collector.</summary>
internal static class HarnessTracing
{
    public static void Add(IServiceCollection services, string? exporter, bool json)
    {
        switch (exporter?.Trim().ToUpperInvariant())
        {
            case null or "" or "NONE":
                return;
            case "CONSOLE" when json:
                throw new HarnessUsageException("--otel console prints spans on stdout, where --json prints its one object. Use one of them, or --otel otlp.");
            case "CONSOLE":
                // Batched: the spans are printed when the command ends (the host flushes on stop), not between its lines.
                services.AddOpenTelemetry().ConfigureResource(r => r.AddService("skgroq-console")).WithTracing(tracing => tracing
                    .AddSource(GroqTracing.SourceName)
                    .AddProcessor(new BatchActivityExportProcessor(new ConsoleActivityExporter(new ConsoleExporterOptions()))));
                return;
            case "OTLP":
                // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* variables.
                services.AddOpenTelemetry().ConfigureResource(r => r.AddService("skgroq-console")).WithTracing(tracing => tracing
                    .AddSource(GroqTracing.SourceName)
                    .AddOtlpExporter());
                return;
            default:
                throw new HarnessUsageException($"--otel '{exporter}' is not an exporter. Use console or otlp.");
        }
    }
}
