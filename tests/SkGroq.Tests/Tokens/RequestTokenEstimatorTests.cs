using System.Text;
using SkGroq.Tokens;

namespace SkGroq.Tests.Tokens;

public sealed class RequestTokenEstimatorTests
{
    private const string Llama = "llama-3.3-70b-versatile";
    private const string GptOss = "openai/gpt-oss-120b";
    private const string Scout = "meta-llama/llama-4-scout-17b-16e-instruct";
    private readonly RequestTokenEstimator _estimator = new(TokenTestProviders.WithoutLlamaVocabulary);

    [Fact]
    public void Estimate_LlamaSystemAndUser_Is48()
    {
        RequestTokenEstimate estimate = Estimate(Llama, """
            {"model":"llama-3.3-70b-versatile","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the capital of France?"}],"max_tokens":10}
            """);

        Assert.Equal(48, estimate.PromptTokens);
        Assert.Equal(48, estimate.BudgetTokens);
        Assert.Equal(TokenVocabularies.Cl100kBase, estimate.Vocabulary);
        Assert.False(estimate.Exact);
    }

    [Fact]
    public void Estimate_GptOss_Is84AndExact()
    {
        RequestTokenEstimate estimate = Estimate(GptOss, """{"messages":[{"role":"user","content":"What is 2+2? Reply with just the number."}]}""");

        Assert.Equal(new RequestTokenEstimate(84, 84, true, TokenVocabularies.O200kHarmony), estimate);
    }

    [Fact]
    public void Estimate_QwenWithReasoningEffortAfterMessages_Is25()
    {
        RequestTokenEstimate estimate = Estimate("qwen/qwen3-32b", """{"messages":[{"role":"user","content":"What is 2+2? Reply with just the number."}],"reasoning_effort":"none"}""");

        Assert.Equal(25, estimate.PromptTokens);
        Assert.Equal((long)Math.Ceiling(25 * TokenCountingDefaults.Qwen3Margin), estimate.BudgetTokens);
        Assert.False(estimate.Exact);
    }

    [Fact]
    public void Estimate_ContentBeforeRoleAndEscapes_ReadsTheSameText()
    {
        RequestTokenEstimate ordered = Estimate(GptOss, """{"messages":[{"role":"user","content":"Café \"quoted\"\nnext line"}]}""");
        RequestTokenEstimate shuffled = Estimate(GptOss, """{"messages":[{"name":"x","content":"Caf\u00e9 \"quoted\"\nnext line","role":"user"}],"model":"m"}""");

        Assert.Equal(ordered, shuffled);
        Assert.Equal(71 + Count(GptOss, "Café \"quoted\"\nnext line"), ordered.PromptTokens);
    }

    [Fact]
    public void Estimate_SingleTextPart_EqualsStringContent()
    {
        RequestTokenEstimate parts = Estimate(GptOss, """{"messages":[{"role":"user","content":[{"type":"text","text":"What is 2+2? Reply with just the number."}]}]}""");

        Assert.Equal(new RequestTokenEstimate(84, 84, true, TokenVocabularies.O200kHarmony), parts);
    }

    [Fact]
    public void Estimate_SeveralTextParts_JoinsWithNewlinesAndIsNotExact()
    {
        RequestTokenEstimate parts = Estimate(GptOss, """{"messages":[{"role":"user","content":[{"text":"First part.","type":"text"},{"type":"text","text":"Second part."}]}]}""");

        Assert.Equal(71 + Count(GptOss, "First part.\nSecond part."), parts.PromptTokens);
        Assert.False(parts.Exact);
    }

    [Fact]
    public void Estimate_Images_AddTheImageEstimateWithMargin()
    {
        RequestTokenEstimate estimate = Estimate(Scout, """
            {"messages":[{"role":"user","content":[{"type":"text","text":"Describe both."},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://example.com/a.jpg","detail":"high"}}]}]}
            """);

        long counted = 5 + 5 + Count(Scout, "Describe both.");
        Assert.Equal(counted + (2 * TokenCountingDefaults.ImageTokens), estimate.PromptTokens);
        Assert.Equal(
            (long)Math.Ceiling((counted * TokenCountingDefaults.Llama4Margin) + (2 * TokenCountingDefaults.ImageTokens * TokenCountingDefaults.EstimatedPartsMargin)),
            estimate.BudgetTokens);
        Assert.False(estimate.Exact);
    }

    [Fact]
    public void Estimate_Tools_AddAnEstimateAndToolChoiceNoneDropsItOnLlama4()
    {
        const string Tools = """[{"type":"function","function":{"name":"get_weather","description":"Get the weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";
        const string Messages = """[{"role":"user","content":"Weather in Paris?"}]""";

        RequestTokenEstimate plain = Estimate(Scout, $$"""{"messages":{{Messages}}}""");
        RequestTokenEstimate withTools = Estimate(Scout, $$"""{"messages":{{Messages}},"tools":{{Tools}}}""");
        RequestTokenEstimate toolChoiceNone = Estimate(Scout, $$"""{"tools":{{Tools}},"tool_choice":"none","messages":{{Messages}}}""");

        // Groq adds about 700 tokens for one tool on Llama 4 Scout.
        Assert.InRange(withTools.PromptTokens - plain.PromptTokens, 650, 750);
        Assert.Equal(plain.PromptTokens, toolChoiceNone.PromptTokens);
        Assert.False(withTools.Exact);
    }

    [Fact]
    public void Estimate_ToolsOnGptOssAndLlama3_AddTheirDefinitions()
    {
        const string Tool = """{"type":"function","function":{"name":"lookup","description":"Looks a word up in the dictionary.","parameters":{"type":"object","properties":{"word":{"type":"string"}}}}}""";
        foreach (string model in new[] { GptOss, Llama, "qwen/qwen3-32b", "moonshotai/kimi-k2-instruct", "unknown-model" })
        {
            RequestTokenEstimate plain = Estimate(model, """{"messages":[{"role":"user","content":"Define 'token'."}]}""");
            RequestTokenEstimate one = Estimate(model, $$"""{"messages":[{"role":"user","content":"Define 'token'."}],"tools":[{{Tool}}]}""");
            RequestTokenEstimate two = Estimate(model, $$"""{"messages":[{"role":"user","content":"Define 'token'."}],"tools":[{{Tool}},{{Tool}}]}""");

            Assert.True(one.PromptTokens > plain.PromptTokens + Count(model, Tool), model);
            Assert.True(two.PromptTokens >= one.PromptTokens + Count(model, Tool), model);
            Assert.False(one.Exact, model);
        }
    }

    [Fact]
    public void Estimate_AssistantToolCallsAndToolResult_CountNameArgumentsAndOutput()
    {
        const string Request = """
            {"messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18°C and sunny"}]}
            """;

        RequestTokenEstimate estimate = Estimate(GptOss, Request);

        long expected = 71 + Count(GptOss, "Weather in Paris?")
            + 4 + 10 + Count(GptOss, "get_weather") + Count(GptOss, "{\"city\":\"Paris\"}")
            + 4 + 6 + Count(GptOss, "18°C and sunny");
        Assert.Equal(expected, estimate.PromptTokens);
        Assert.False(estimate.Exact);
    }

    [Fact]
    public void Estimate_ResponseFormats_AddCalibratedEstimates()
    {
        const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Give me JSON.\"}]";
        const string Schema = """{"name":"answer","schema":{"type":"object","properties":{"value":{"type":"integer"}}},"strict":true}""";
        RequestTokenEstimate plain = Estimate(GptOss, "{" + Messages + "}");

        RequestTokenEstimate text = Estimate(GptOss, "{" + Messages + ",\"response_format\":{\"type\":\"text\"}}");
        RequestTokenEstimate jsonObject = Estimate(GptOss, "{" + Messages + ",\"response_format\":{\"type\":\"json_object\"}}");
        RequestTokenEstimate jsonSchema = Estimate(GptOss, "{\"response_format\":{\"json_schema\":" + Schema + ",\"type\":\"json_schema\"}," + Messages + "}");

        Assert.Equal(plain, text);
        Assert.Equal(plain.PromptTokens + TokenCountingDefaults.JsonObjectTokens, jsonObject.PromptTokens);
        Assert.Equal(plain.PromptTokens + TokenCountingDefaults.JsonSchemaTokens + Count(GptOss, Schema), jsonSchema.PromptTokens);
        Assert.False(jsonObject.Exact);
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there")]
    [InlineData("not json at all, but a prompt of sorts")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"messages\":\"Hello\"}")]
    [InlineData("")]
    public void Estimate_MalformedBody_ReturnsSafeInexactEstimateFromRawText(string body)
    {
        RequestTokenEstimate estimate = Estimate(Llama, body);

        Assert.False(estimate.Exact);
        Assert.Equal(30 + Count(Llama, body), estimate.PromptTokens);
        Assert.True(estimate.BudgetTokens >= estimate.PromptTokens);
    }

    [Fact]
    public void Estimate_UnknownPartTypeAndRole_AreNotExact()
    {
        RequestTokenEstimate audio = Estimate(GptOss, """{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}""");
        RequestTokenEstimate role = Estimate(GptOss, """{"messages":[{"role":"narrator","content":"Once upon a time."}]}""");

        Assert.False(audio.Exact);
        Assert.False(role.Exact);
    }

    [Fact]
    public void Observe_RepeatedUnderestimate_ConvergesBudgetButNeverChangesPromptTokens()
    {
        const string Request = """{"messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{"type":"function","function":{"name":"w","parameters":{}}}]}""";
        RequestTokenEstimate first = Estimate(Scout, Request);

        for (int i = 0; i < 40; i++)
        {
            _estimator.Observe(Scout, null, Estimate(Scout, Request), (long)(first.PromptTokens * 1.5));
        }

        RequestTokenEstimate later = Estimate(Scout, Request);
        Assert.Equal(first.PromptTokens, later.PromptTokens);
        Assert.Equal(1.5, _estimator.GetCorrection(Scout), 2);
        Assert.InRange(later.BudgetTokens, (long)(first.BudgetTokens * 1.49), (long)(first.BudgetTokens * 1.51) + 1);
        TokenCorrection correction = Assert.Single(_estimator.Corrections);
        Assert.Equal(Scout, correction.Model);
        Assert.Null(correction.Feature);
        Assert.Equal(40, correction.Samples);
    }

    [Fact]
    public void Observe_ExponentialWeighting_StartsAtFirstRatioThenMovesAFifthOfTheWay()
    {
        RequestTokenEstimate estimate = new(100, 100, false, TokenVocabularies.O200kBase);

        _estimator.Observe(Scout, null, estimate, 120);
        Assert.Equal(1.2, _estimator.GetCorrection(Scout), 10);

        _estimator.Observe(Scout, null, estimate, 220);
        Assert.Equal(1.2 + (0.2 * (2.2 - 1.2)), _estimator.GetCorrection(Scout), 10);
    }

    [Fact]
    public void Observe_PerFeature_LearnsSeparatelyAndFallsBackToTheModel()
    {
        RequestTokenEstimate estimate = new(100, 100, false, TokenVocabularies.O200kBase);

        _estimator.Observe(Scout, "summaries", estimate, 200);
        _estimator.Observe(Scout, null, estimate, 100);

        Assert.Equal(2.0, _estimator.GetCorrection(Scout, "summaries"), 10);
        Assert.Equal(2.0 + (0.2 * (1.0 - 2.0)), _estimator.GetCorrection(Scout), 10);
        Assert.Equal(_estimator.GetCorrection(Scout), _estimator.GetCorrection(Scout, "chat"));
        Assert.Equal(1.0, _estimator.GetCorrection(GptOss, "summaries"));
        Assert.Equal([(Scout, (string?)null), (Scout, "summaries")], _estimator.Corrections.Select(c => (c.Model, c.Feature)));
    }

    [Fact]
    public void Observe_OutlierAndNonsense_AreClampedOrIgnored()
    {
        RequestTokenEstimate estimate = new(100, 100, false, TokenVocabularies.O200kBase);

        _estimator.Observe(Scout, null, estimate, 0);
        _estimator.Observe(Scout, null, estimate with { PromptTokens = 0 }, 50);
        Assert.Empty(_estimator.Corrections);

        _estimator.Observe(Scout, null, estimate, 100_000);
        Assert.Equal(TokenCountingDefaults.MaxCorrection, _estimator.GetCorrection(Scout));
    }

    [Fact]
    public void Estimate_CorrectionBelowOne_NeverBudgetsBelowPromptTokens()
    {
        const string Request = """{"messages":[{"role":"user","content":"Hi"}]}""";
        RequestTokenEstimate before = Estimate(GptOss, Request);

        _estimator.Observe(GptOss, null, before, before.PromptTokens / 2);

        RequestTokenEstimate after = Estimate(GptOss, Request);
        Assert.Equal(before.PromptTokens, after.PromptTokens);
        Assert.Equal(after.PromptTokens, after.BudgetTokens);
    }

    [Fact]
    public void EstimateAndObserve_Concurrently_StayConsistent()
    {
        const string Request = """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Summarise the plot of Hamlet in one line."}]}""";
        long expected = Estimate(Llama, Request).PromptTokens;

        Parallel.For(0, 2_000, new ParallelOptions { CancellationToken = TestContext.Current.CancellationToken }, i =>
        {
            RequestTokenEstimate estimate = Estimate(Llama, Request);
            Assert.Equal(expected, estimate.PromptTokens);
            _estimator.Observe(Llama, (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture), estimate, expected + 10);
        });

        Assert.Equal(4, _estimator.Corrections.Count);
        Assert.Equal(2_000, _estimator.Corrections.Single(c => c.Feature is null).Samples);
    }

    [Fact]
    public void Estimate_NullModel_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => _estimator.Estimate(null!, "{}"u8));
    }

    private RequestTokenEstimate Estimate(string model, string json) => _estimator.Estimate(model, Encoding.UTF8.GetBytes(json));

    private static int Count(string model, string text) => TokenTestProviders.WithoutLlamaVocabulary.GetCounter(model).CountTokens(text);
}
