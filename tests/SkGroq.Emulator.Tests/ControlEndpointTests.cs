using System.Net;
using System.Text;
using System.Text.Json;

namespace SkGroq.Tests.Emulator;

/// <summary>The out-of-process control API under /_emulator.</summary>
public sealed class ControlEndpointTests
{
    [Fact]
    public async Task Faults_AddListRemove_OverHttp()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = groq.Emulator.RootUrl };

        HttpResponseMessage added = await client.PostAsync("_emulator/faults", new StringContent("503;model=llama-3.3-70b-versatile"), TestContext.Current.CancellationToken);
        using var rule = JsonDocument.Parse(await added.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        long id = rule.RootElement.GetProperty("id").GetInt64();
        HttpResponseMessage faulted = await groq.PostAsync(TestEmulator.Chat("llama-3.3-70b-versatile"));
        HttpResponseMessage other = await groq.PostAsync(TestEmulator.Chat());
        string listed = await client.GetStringAsync("_emulator/faults", TestContext.Current.CancellationToken);
        HttpResponseMessage removed = await client.DeleteAsync($"_emulator/faults/{id}", TestContext.Current.CancellationToken);
        HttpResponseMessage healed = await groq.PostAsync(TestEmulator.Chat("llama-3.3-70b-versatile"));

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal("503;model=llama-3.3-70b-versatile", rule.RootElement.GetProperty("rule").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Contains("\"fired\":1", listed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
    }

    [Fact]
    public async Task Faults_InvalidRule_Returns400WithTheSyntax()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = groq.Emulator.RootUrl };

        HttpResponseMessage response = await client.PostAsync("_emulator/faults", new StringContent("{\"rule\":\"503;probability=2\"}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("probability=0..1", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_TextAndToolCalls_OverHttp()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = groq.Emulator.RootUrl };

        await client.PostAsync("_emulator/script", new StringContent("{\"contains\":\"hello\",\"reply\":\"Hi there!\"}"), TestContext.Current.CancellationToken);
        await client.PostAsync("_emulator/script", new StringContent("{\"contains\":\"weather\",\"tool_calls\":[{\"name\":\"weather\",\"arguments\":{\"city\":\"Oslo\"}}]}"), TestContext.Current.CancellationToken);
        (_, string text) = await groq.PostForBodyAsync(TestEmulator.Chat(user: "hello"));
        (_, string call) = await groq.PostForBodyAsync(TestEmulator.Chat(user: "weather?", extra: "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}]"));
        HttpResponseMessage bad = await client.PostAsync("_emulator/script", new StringContent("{\"contains\":\"x\"}"), TestContext.Current.CancellationToken);

        Assert.Contains("\"content\":\"Hi there!\"", text, StringComparison.Ordinal);
        Assert.Contains("\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"", call, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(2, groq.Emulator.Script.Rules.Count);
        await client.DeleteAsync("_emulator/script", TestContext.Current.CancellationToken);
        Assert.Empty(groq.Emulator.Script.Rules);
    }

    [Fact]
    public async Task Accounting_ReportsPerKeyAndModel_RedactedAndResettable()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        using var client = new HttpClient { BaseAddress = groq.Emulator.RootUrl };
        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat());
        await groq.PostAsync(TestEmulator.Chat(), fault: "500");
        using var usage = JsonDocument.Parse(body);

        using var accounting = JsonDocument.Parse(await client.GetStringAsync("_emulator/accounting", TestContext.Current.CancellationToken));
        JsonElement row = accounting.RootElement.GetProperty("usage")[0];

        Assert.Equal(2, accounting.RootElement.GetProperty("requests_received").GetInt64());
        Assert.Equal(1, accounting.RootElement.GetProperty("faults_sent").GetProperty("500").GetInt64());
        Assert.Equal(usage.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt64(), row.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(usage.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt64(), row.GetProperty("completion_tokens").GetInt64());
        Assert.Equal((2L, 1L, 1L), (row.GetProperty("requests").GetInt64(), row.GetProperty("succeeded").GetInt64(), row.GetProperty("faults").GetInt64()));
        Assert.DoesNotContain(groq.Key, accounting.RootElement.GetRawText(), StringComparison.Ordinal);

        await client.PostAsync("_emulator/accounting/reset", null, TestContext.Current.CancellationToken);
        Assert.Equal(0, groq.Emulator.Accounting.RequestsReceived);
    }

    [Fact]
    public async Task Reset_RefillsTheBuckets()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.Limits["llama-3.1-8b-instant"] = new SkGroq.Models.ModelLimits(1, null, null, null));
        using var client = new HttpClient { BaseAddress = groq.Emulator.RootUrl };
        await groq.PostAsync(TestEmulator.Chat());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await groq.PostAsync(TestEmulator.Chat())).StatusCode);

        HttpResponseMessage reset = await client.PostAsync("_emulator/reset", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await groq.PostAsync(TestEmulator.Chat())).StatusCode);
        Assert.Equal("{\"status\":\"ok\"}", await client.GetStringAsync("_emulator/health", TestContext.Current.CancellationToken));
    }
}
