using System.Globalization;
using System.Text;
using CsCheck;
using SkGroq.Caching;

namespace SkGroq.Tests.Caching;

/// <summary>
/// Cache-key canonicalisation on generated request bodies: member order (at any depth) and whitespace never change the key;
/// changing any one value always does.
/// </summary>
public sealed class ResponseCacheKeyPropertyTests
{
    private const string Path = "chat/completions";

    private static readonly string[] s_spaces = ["", " ", "\n", "\t", "\r\n  "];

    [Fact]
    public void TryCompute_AnyMemberOrderAndWhitespace_SameKey()
    {
        Gen.Int.Sample(seed =>
        {
            Node body = Body(new Random(seed));
            string expected = Key(Render(body, new Random(seed ^ 0x5bd1e995), shuffle: false, spaced: false));
            for (int i = 0; i < 3; i++)
            {
                string variant = Render(body, new Random(seed + i), shuffle: true, spaced: true);
                Assert.Equal(expected, Key(variant));
            }
        });
    }

    [Fact]
    public void TryCompute_AnyOneValueChanged_DifferentKey()
    {
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            Node body = Body(random);
            List<Node> leaves = [.. Leaves(body)];
            Node leaf = leaves[random.Next(leaves.Count)];
            string before = Key(Render(body, random, shuffle: false, spaced: false));
            string original = leaf.Scalar!;
            leaf.Scalar = original.StartsWith('"') ? original[..^1] + "x\"" : original == "true" ? "false" : original == "false" ? "true" : original == "null" ? "0" : "1" + original;
            string after = Key(Render(body, random, shuffle: true, spaced: true));
            Assert.NotEqual(before, after);
        });
    }

    private static string Key(string body)
    {
        Assert.True(ResponseCacheKey.TryCompute(Encoding.UTF8.GetBytes(body), Path, "org", out string key), body);
        return key;
    }

    /// <summary>A chat completion body with a random tail of parameters and nested objects (member names never repeat in an object).</summary>
    private static Node Body(Random random)
    {
        var messages = new Node { Items = [] };
        for (int i = 0, n = random.Next(1, 4); i < n; i++)
        {
            messages.Items.Add(Object(("role", Text(i % 2 == 0 ? "user" : "assistant")), ("content", Text(Words(random)))));
        }

        var body = Object(("model", Text("llama-3.1-8b-instant")), ("messages", messages), ("temperature", Scalar("0")));
        string[] extras = ["max_completion_tokens", "top_p", "seed", "stop", "tools", "response_format", "tool_choice", "metadata"];
        foreach (string name in extras.Where(_ => random.Next(2) == 0))
        {
            body.Members!.Add((name, Value(random, depth: 0)));
        }

        return body;
    }

    private static Node Value(Random random, int depth) => random.Next(depth >= 2 ? 4 : 6) switch
    {
        0 => Scalar(random.Next(0, 5000).ToString(CultureInfo.InvariantCulture)),
        1 => Text(Words(random)),
        2 => Scalar(random.Next(2) == 0 ? "true" : "null"),
        3 => Scalar((random.Next(0, 1000) / 8.0).ToString("0.0##", CultureInfo.InvariantCulture)),
        4 => new Node { Items = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Value(random, depth + 1))] },
        _ => Object([.. Enumerable.Range(0, random.Next(1, 4)).Select(i => ($"k{i}_{random.Next(100)}", Value(random, depth + 1)))]),
    };

    private static string Words(Random random) => string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => (string[])["alpha", "b\u00e9ta", "gamma \\\"q\\\"", "\u03b4", "eps\\nilon"]).Select(w => w[random.Next(w.Length)]));

    private static Node Text(string escaped) => Scalar("\"" + escaped + "\"");

    private static Node Scalar(string json) => new() { Scalar = json };

    private static Node Object(params (string Name, Node Value)[] members) => new() { Members = [.. members.DistinctBy(m => m.Name)] };

    private static IEnumerable<Node> Leaves(Node node)
        => node.Scalar is not null ? [node]
            : node.Items is not null ? node.Items.SelectMany(Leaves)
            : node.Members!.Where(m => m.Name is not ("model" or "role")).SelectMany(m => Leaves(m.Value));

    private static string Render(Node node, Random random, bool shuffle, bool spaced)
    {
        string Space() => spaced ? s_spaces[random.Next(s_spaces.Length)] : string.Empty;
        if (node.Scalar is not null)
        {
            return node.Scalar;
        }

        if (node.Items is not null)
        {
            return "[" + Space() + string.Join("," + Space(), node.Items.Select(i => Render(i, random, shuffle, spaced))) + Space() + "]";
        }

        IEnumerable<(string Name, Node Value)> members = shuffle ? node.Members!.OrderBy(_ => random.Next()) : node.Members!;
        return "{" + Space() + string.Join("," + Space(), members.Select(m => $"\"{m.Name}\"{Space()}:{Space()}{Render(m.Value, random, shuffle, spaced)}")) + Space() + "}";
    }

    private sealed class Node
    {
        public string? Scalar { get; set; }

        public List<Node>? Items { get; init; }

        public List<(string Name, Node Value)>? Members { get; init; }
    }
}
