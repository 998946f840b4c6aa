using System.Net;
using System.Text.Json;
using SkGroq.Emulator;
using SkGroq.Models;

namespace SkGroq.Tests.Emulator;

/// <summary>Rate limits on the wire: the six headers, 429/413 bodies and retry-after, per organization, driven by a fake clock.</summary>
public sealed class RateLimitingTests
{
    private const string OtherKey = "gsk_probe_other_organization";

    [Fact]
    public async Task Headers_On200_FollowGroqsFormula()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.ApiKeys.Add("gsk_test_main_organization");
            o.ApiKeys.Add(OtherKey);
        });
        int prompt = await ProbePromptTokensAsync(groq, TestEmulator.Chat("openai/gpt-oss-20b", extra: "\"max_tokens\":10"));

        HttpResponseMessage response = await groq.PostAsync(TestEmulator.Chat("openai/gpt-oss-20b", extra: $"\"max_tokens\":{4836 - prompt}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1000", Header(response, "x-ratelimit-limit-requests"));
        Assert.Equal("999", Header(response, "x-ratelimit-remaining-requests"));
        Assert.Equal("1m26.4s", Header(response, "x-ratelimit-reset-requests"));
        Assert.Equal("8000", Header(response, "x-ratelimit-limit-tokens"));
        Assert.Equal("3164", Header(response, "x-ratelimit-remaining-tokens"));
        Assert.Equal("36.27s", Header(response, "x-ratelimit-reset-tokens"));
    }

    [Fact]
    public async Task Headers_DeveloperTierWithOverride_ShowSubMillisecondReset()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.Tier = GroqTier.Developer;
            o.Limits["llama-3.3-70b-versatile"] = new ModelLimits(null, 500000, null, null);
        });

        HttpResponseMessage response = await groq.PostAsync(TestEmulator.Chat("llama-3.3-70b-versatile"));

        Assert.Equal("500000", Header(response, "x-ratelimit-limit-requests"));
        Assert.Equal("499999", Header(response, "x-ratelimit-remaining-requests"));
        Assert.Equal("172.799999ms", Header(response, "x-ratelimit-reset-requests"));
        Assert.Equal("300000", Header(response, "x-ratelimit-limit-tokens"));
    }

    [Fact]
    public async Task TokensPerMinute_Spent_Returns429WithGroqsMessageAndRetryAfter()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.ApiKeys.Add("gsk_test_main_organization");
            o.ApiKeys.Add(OtherKey);
        });
        int prompt = await ProbePromptTokensAsync(groq, TestEmulator.Chat(extra: "\"max_tokens\":10"));

        // The first answer stalls after its first chunk, so its reservation (prompt + max_tokens = 4093) stays taken.
        using HttpResponseMessage holding = await groq.PostAsync(TestEmulator.Chat(extra: $"\"max_tokens\":{4093 - prompt},\"stream\":true"), fault: "stall;after=1;seconds=3600", completion: HttpCompletionOption.ResponseHeadersRead);
        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: $"\"max_tokens\":{3531 - prompt}"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        string organization = groq.Emulator.GetOrganizationId(groq.Key);
        Assert.Equal(
            $"{{\"error\":{{\"message\":\"Rate limit reached for model `llama-3.1-8b-instant` in organization `{organization}` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 4093, Requested 3531. Please try again in 16.239999999s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}}}\n",
            body);
        Assert.Equal("17", Header(response, "retry-after"));
        Assert.Equal("1907", Header(response, "x-ratelimit-remaining-tokens"));
        Assert.Equal(1, groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant").RateLimited);
    }

    [Fact]
    public async Task RequestsPerMinute_Spent_Returns429WithoutTokenHeaders_ThenRefills()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.Limits["llama-3.1-8b-instant"] = new ModelLimits(2, null, null, null));
        await groq.PostAsync(TestEmulator.Chat());
        await groq.PostAsync(TestEmulator.Chat());

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat());

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        using (var document = JsonDocument.Parse(body))
        {
            JsonElement error = document.RootElement.GetProperty("error");
            Assert.Equal("requests", error.GetProperty("type").GetString());
            Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
            Assert.Contains("on requests per minute (RPM): Limit 2, Used 2, Requested 1. Please try again in 30s.", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("30", Header(response, "retry-after"));
        Assert.Equal("14400", Header(response, "x-ratelimit-limit-requests"));
        Assert.DoesNotContain(response.Headers, h => h.Key.EndsWith("-tokens", StringComparison.Ordinal));

        groq.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await groq.PostAsync(TestEmulator.Chat())).StatusCode);
    }

    [Fact]
    public async Task RequestLargerThanTpm_Returns413RequestTooLarge()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.ApiKeys.Add("gsk_test_main_organization");
            o.ApiKeys.Add(OtherKey);
        });
        int prompt = await ProbePromptTokensAsync(groq, TestEmulator.Chat(extra: "\"max_tokens\":10"));

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"max_tokens\":15000"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        string organization = groq.Emulator.GetOrganizationId(groq.Key);
        Assert.Equal(
            $"{{\"error\":{{\"message\":\"Request too large for model `llama-3.1-8b-instant` in organization `{organization}` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Requested {15000 + prompt}, please reduce your message size and try again. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}}}\n",
            body);
        Assert.False(response.Headers.Contains("retry-after"));
        Assert.Equal(1, groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant").TooLarge);
    }

    [Fact]
    public async Task DailyLimits_Return429OnRpdAndTpd()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.Limits["llama-3.1-8b-instant"] = new ModelLimits(null, 1, null, null);
            o.Limits["llama-3.3-70b-versatile"] = new ModelLimits(null, null, null, 100);
        });
        await groq.PostAsync(TestEmulator.Chat());
        await groq.PostAsync(TestEmulator.Chat("llama-3.3-70b-versatile", extra: "\"max_tokens\":50"));

        (_, string rpd) = await groq.PostForBodyAsync(TestEmulator.Chat());
        (HttpResponseMessage tpdResponse, string tpd) = await groq.PostForBodyAsync(TestEmulator.Chat("llama-3.3-70b-versatile", extra: "\"max_tokens\":60"));

        Assert.Contains("on requests per day (RPD): Limit 1, Used 1, Requested 1. Please try again in 24h0m0s.", rpd, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, tpdResponse.StatusCode);
        Assert.Contains("on tokens per day (TPD): Limit 100,", tpd, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"tokens\"", tpd, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settlement_ChargesActualUseNotTheReservation()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        (_, string first) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"max_tokens\":1000"));
        using var document = JsonDocument.Parse(first);
        int used = document.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32();

        HttpResponseMessage second = await groq.PostAsync(TestEmulator.Chat(extra: "\"max_tokens\":1000"));

        int prompt = document.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        Assert.Equal((6000 - used - (prompt + 1000)).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(second, "x-ratelimit-remaining-tokens"));
    }

    [Fact]
    public async Task Quotas_ArePerOrganization_KeysOfOneOrganizationShare()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            var shared = new EmulatorOrganization { Id = "org_01sharedsharedsharedshared0" };
            shared.ApiKeys.Add("gsk_shared_one");
            shared.ApiKeys.Add("gsk_shared_two");
            o.Organizations.Add(shared);
            o.ApiKeys.Add("gsk_alone");
            o.Limits["llama-3.1-8b-instant"] = new ModelLimits(1, null, null, null);
        });

        HttpResponseMessage one = await groq.PostAsync(TestEmulator.Chat(), key: "gsk_shared_one");
        HttpResponseMessage two = await groq.PostAsync(TestEmulator.Chat(), key: "gsk_shared_two");
        HttpResponseMessage alone = await groq.PostAsync(TestEmulator.Chat(), key: "gsk_alone");

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, two.StatusCode);
        Assert.Contains("org_01sharedsharedsharedshared0", await two.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        Assert.Equal(["gsk_shared_one", "gsk_shared_two", "gsk_alone"], groq.Emulator.ApiKeys);
    }

    [Fact]
    public async Task EnforceRateLimitsOff_NeverRefuses()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.EnforceRateLimits = false;
            o.Limits["llama-3.1-8b-instant"] = new ModelLimits(1, null, null, null);
        });

        await groq.PostAsync(TestEmulator.Chat());
        HttpResponseMessage second = await groq.PostAsync(TestEmulator.Chat(extra: "\"max_tokens\":20000"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    private static async Task<int> ProbePromptTokensAsync(TestEmulator groq, string json)
    {
        (_, string body) = await groq.PostForBodyAsync(json, key: OtherKey);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
    }

    private static string Header(HttpResponseMessage response, string name) => Assert.Single(response.Headers.GetValues(name));
}
