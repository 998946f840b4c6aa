using System.Text;
using System.Text.Json;
using CsCheck;
using SkGroq.Resilience;

namespace SkGroq.Tests.Resilience;

public sealed class RequestBodyRewriterTests
{
    private static readonly Gen<string> s_space = Gen.OneOf(string.Empty, " ", "\n", "\t", "  \r\n");

    // Raw JSON string contents: plain text, multi-byte UTF-8, and every kind of escape.
    private static readonly Gen<string> s_stringText = Gen.OneOf(
        "a", "Z", " ", "é", "中", "😀", "model", "\\\"model\\\"", ":", ",", "{", "}", "[", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\u0022", "\\ud83d\\ude00")
        .Array[0, 8].Select(parts => "\"" + string.Concat(parts) + "\"");

    private static readonly Gen<string> s_scalar = Gen.OneOf<string>(
        s_stringText,
        Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.OneOf("true", "false", "null", "0.5", "-1e-7", "1E+300"));

    private static readonly Gen<string> s_name = Gen.OneOf<string>(
        Gen.OneOf("\"messages\"", "\"Model\"", "\"models\"", "\"model_id\"", "\"temperature\"", "\"stream\"", "\"mode\\u006c_\"", "\"\""),
        s_stringText);

    private static readonly Gen<string> s_newModel = Gen.OneOf(
        "llama-3.1-8b-instant", "openai/gpt-oss-20b", "meta-llama/llama-4-scout-17b-16e-instruct", "", "a\"b\\c", "é/ü", "😀 model", "<script>&'+");

    private static readonly Gen<string> s_value = Value(3);

    private static readonly Gen<Body> s_body =
        Gen.Select(Gen.Select(s_name, s_value, s_space).List[0, 6], Gen.Int[0, 6], Gen.OneOf("\"model\"", "\"mod\\u0065l\"", "\"\\u006dodel\""), s_stringText, Gen.Bool, s_space)
            .Select((others, position, modelName, modelValue, duplicate, space) => Body.Build(others, position, modelName, modelValue, duplicate, space));

    [Fact]
    public void TryReplaceTopLevelString_AnyBody_ChangesOnlyTheTopLevelModelValues()
    {
        Gen.Select(s_body, s_newModel).Sample(
            (body, model) =>
            {
                byte[] original = Encoding.UTF8.GetBytes(body.Json);
                Assert.True(RequestBodyRewriter.TryReplaceTopLevelString(original, "model"u8, model, out byte[]? rewritten));

                // Every top-level model property now says the new model, and the body still parses.
                using var document = JsonDocument.Parse(rewritten);
                JsonProperty[] models = [.. document.RootElement.EnumerateObject().Where(p => p.NameEquals("model"))];
                Assert.Equal(body.ModelCount, models.Length);
                Assert.All(models, p => Assert.Equal(model, p.Value.GetString()));

                // Outside the model values, the bytes are exactly the caller's.
                string expected = body.With(JsonString(model));
                Assert.Equal(expected, Encoding.UTF8.GetString(rewritten));
            },
            iter: 2_000,
            print: t => t.Item1.Json + " ⇒ " + t.Item2);
    }

    [Fact]
    public void TryGetTopLevelString_AnyBody_ReadsTheTopLevelModel()
    {
        s_body.Sample(
            body =>
            {
                Assert.True(RequestBodyRewriter.TryGetTopLevelString(Encoding.UTF8.GetBytes(body.Json), "model"u8, out string? model));
                using var document = JsonDocument.Parse(body.Json);
                Assert.Equal(document.RootElement.EnumerateObject().Last(p => p.NameEquals("model")).Value.GetString(), model);
            },
            iter: 500,
            print: b => b.Json);
    }

    [Fact]
    public void TryReplaceTopLevelString_ModelNotFirst_WithEscapes_KeepsEverythingElse()
    {
        const string Body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Say \\\"hi\\\" \\u00e9 😀\",\"model\":\"inner\"}],\n  \"model\" : \"llama-3.3-70b-versatile\" ,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"properties\":{\"model\":{\"type\":\"string\"}}}}}],\"temperature\":0.70}";

        Assert.True(RequestBodyRewriter.TryReplaceTopLevelString(Encoding.UTF8.GetBytes(Body), "model"u8, "llama-3.1-8b-instant", out byte[]? rewritten));

        Assert.Equal(Body.Replace("\"llama-3.3-70b-versatile\"", "\"llama-3.1-8b-instant\"", StringComparison.Ordinal), Encoding.UTF8.GetString(rewritten));
    }

    [Fact]
    public void TryReplaceTopLevelString_EscapedValueAndName_AreReplacedWhole()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"mod\\u0065l\":\"llama\\u002d3\\\"x\",\"n\":1}");

        Assert.True(RequestBodyRewriter.TryReplaceTopLevelString(body, "model"u8, "m\"2", out byte[]? rewritten));

        Assert.Equal("{\"mod\\u0065l\":\"m\\\"2\",\"n\":1}", Encoding.UTF8.GetString(rewritten));
    }

    [Theory]
    [InlineData("{\"messages\":[]}")]
    [InlineData("{\"model\":42}")]
    [InlineData("{\"model\":null}")]
    [InlineData("{\"nested\":{\"model\":\"x\"}}")]
    [InlineData("[{\"model\":\"x\"}]")]
    [InlineData("\"model\"")]
    [InlineData("{\"model\":\"x\"")]
    [InlineData("{\"model\":")]
    [InlineData("")]
    [InlineData("not json")]
    public void TryReplaceTopLevelString_NothingToRewrite_ReturnsFalse(string body)
    {
        Assert.False(RequestBodyRewriter.TryReplaceTopLevelString(Encoding.UTF8.GetBytes(body), "model"u8, "y", out byte[]? rewritten));
        Assert.Null(rewritten);
    }

    [Fact]
    public void TryReplaceTopLevelString_ManyDuplicates_ReplacesEveryOne()
    {
        string body = "{" + string.Join(",", Enumerable.Range(0, 7).Select(i => $"\"model\":\"m{i}\",\"k{i}\":{i}")) + "}";

        Assert.True(RequestBodyRewriter.TryReplaceTopLevelString(Encoding.UTF8.GetBytes(body), "model"u8, "z", out byte[]? rewritten));

        Assert.Equal("{" + string.Join(",", Enumerable.Range(0, 7).Select(i => $"\"model\":\"z\",\"k{i}\":{i}")) + "}", Encoding.UTF8.GetString(rewritten));
    }

    private static string JsonString(string value)
        => "\"" + Encoding.UTF8.GetString(JsonEncodedText.Encode(value, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes) + "\"";

    private static Gen<string> Value(int depth)
    {
        if (depth == 0)
        {
            return s_scalar;
        }

        Gen<string> inner = Value(depth - 1);
        Gen<string> array = Gen.Select(inner, s_space).Array[0, 3].Select(items => "[" + string.Join(",", items.Select(i => i.Item2 + i.Item1)) + "]");
        Gen<string> obj = Gen.Select(Gen.OneOf<string>(s_name, Gen.Const("\"model\"")), inner).Array[0, 3]
            .Select(items => "{" + string.Join(",", items.Select(i => i.Item1 + ":" + i.Item2)) + "}");
        return Gen.Frequency((4, s_scalar), (1, array), (1, obj));
    }

    /// <summary>A body built from parts, remembering where the model values are so the expected rewrite is known exactly.</summary>
    public sealed record Body(string Json, IReadOnlyList<string> Segments)
    {
        public int ModelCount => Segments.Count - 1;

        public static Body Build(List<(string Name, string Value, string Space)> others, int position, string modelName, string modelValue, bool duplicate, string space)
        {
            // Names that decode to "model" would be model properties too; the generator keeps them apart.
            var properties = others.Where(o => !DecodesToModel(o.Name)).Select(o => (Text: o.Space + o.Name + ":" + o.Value, IsModel: false)).ToList();
            properties.Insert(Math.Min(position, properties.Count), (space + modelName + space + ":" + space, true));
            if (duplicate)
            {
                properties.Add((modelName + ":", true));
            }

            var segments = new List<string>();
            var current = new StringBuilder("{" + space);
            for (int i = 0; i < properties.Count; i++)
            {
                if (i > 0)
                {
                    current.Append(',');
                }

                current.Append(properties[i].Text);
                if (properties[i].IsModel)
                {
                    segments.Add(current.ToString());
                    current.Clear();
                }
            }

            current.Append(space).Append('}');
            segments.Add(current.ToString());
            return new Body(string.Join(modelValue, segments), segments);
        }

        public string With(string modelJson) => string.Join(modelJson, Segments);

        private static bool DecodesToModel(string name)
        {
            using var document = JsonDocument.Parse(name);
            return document.RootElement.GetString() == "model";
        }
    }
}
