using SkGroq.Console.Chaos;
using SkGroq.Emulator.Faults;

namespace SkGroq.Tests.Reliability;

/// <summary>The soak's own arithmetic: the fault mix adds up to the requested rate, and the ledger check notices every difference.</summary>
public sealed class ChaosChecksTests
{
    [Theory]
    [InlineData(0.2)]
    [InlineData(0.05)]
    [InlineData(1.0)]
    public void CreateRules_EveryFaultEquallyLikely_AndTogetherExactlyTheRate(double rate)
    {
        IReadOnlyList<EmulatorFaultRule> rules = ChaosFaultMix.CreateRules(new ChaosSettings(1, rate));

        // Rules fire in order, the first that fires wins: P(rule i) = P(none before) × its probability.
        double none = 1;
        foreach (EmulatorFaultRule rule in rules)
        {
            Assert.Equal(rate / rules.Count, none * rule.Probability, 12);
            none *= 1 - rule.Probability;
        }

        Assert.Equal(1 - rate, none, 12);
        Assert.Equal(ChaosFaultMix.Faults.Count, rules.Count);
    }

    [Fact]
    public void CreateRules_NoFaults_NoRules() => Assert.Empty(ChaosFaultMix.CreateRules(new ChaosSettings(1, 0)));

    [Fact]
    public void CreateRules_SlowFaults_OutlastBothTimeouts()
    {
        var settings = new ChaosSettings(1, 0.2);
        IReadOnlyList<EmulatorFaultRule> rules = ChaosFaultMix.CreateRules(settings);

        Assert.All(
            rules.Where(r => r.Fault.Kind is EmulatorFaultKind.SlowFirstToken or EmulatorFaultKind.Stall),
            r => Assert.True(r.Fault.Duration > settings.FirstByteTimeout && r.Fault.Duration > settings.StreamIdleTimeout));
    }

    [Fact]
    public void Mismatches_Equal_None()
        => Assert.Empty(new ChaosLedgerCheck(10, 0, 1, 0, 0, 12, 12, 8, 8, 100, 100, 200, 200).Mismatches(10));

    [Fact]
    public void Mismatches_EveryDifference_IsOneSentence()
    {
        var check = new ChaosLedgerCheck(9, 1, 0, 0, 0, 12, 13, 8, 7, 100, 101, 200, 199);

        Assert.Equal(
            [
                "The ledger holds 9 usage records for 10 requests (one each expected).",
                "The ledger dropped 1 records.",
                "The ledger counts 12 attempts, the emulator received 13.",
                "The ledger records 8 whole answers, the emulator sent 7.",
                "The ledger bills 100 prompt tokens, the emulator charged 101.",
                "The ledger bills 200 completion tokens, the emulator charged 199.",
            ],
            check.Mismatches(10));
    }
}
