using SkGroq.KnowledgeBase.Ingestion;

namespace SkGroq.Tests.KnowledgeBase;

public sealed class MarkdownSectionsTests
{
    [Fact]
    public void Read_FollowsTheHeadingPathWithLineRanges()
    {
        const string Text = """
            # Travel policy

            Intro line.

            ## Flights
            Economy under six hours.

            ### Upgrades
            Premium economy for long flights.

            ## Hotels
            180 EUR in capitals.
            """;

        IReadOnlyList<DocumentSection> sections = MarkdownSections.Read(Text, "travel");

        Assert.Equal(["Travel policy", "Travel policy › Flights", "Travel policy › Flights › Upgrades", "Travel policy › Hotels"], sections.Select(s => s.Heading));
        Assert.Equal((3, 3), (sections[0].Lines[0].Number, sections[0].Lines[^1].Number));
        Assert.Equal((6, "Economy under six hours."), sections[1].Lines.Single());
        Assert.Equal(12, sections[3].Lines.Single().Number);
    }

    [Fact]
    public void Read_HashLineInsideACodeFence_IsCodeNotAHeading()
    {
        const string Text = """
            # Runbook

            ## Restart
            ```bash
            # stop the service first
            systemctl restart app
            ```
            Done.
            """;

        IReadOnlyList<DocumentSection> sections = MarkdownSections.Read(Text, "runbook");

        DocumentSection restart = Assert.Single(sections);
        Assert.Equal("Runbook › Restart", restart.Heading);
        Assert.Contains(restart.Lines, l => l.Text == "# stop the service first");
        Assert.Equal((4, 8), (restart.Lines[0].Number, restart.Lines[^1].Number));
    }

    [Fact]
    public void Read_NoTopLevelHeading_UsesTheFileTitle()
    {
        IReadOnlyList<DocumentSection> sections = MarkdownSections.Read("Just text.\n\n## Part\nMore.", "notes");

        Assert.Equal(["notes", "notes › Part"], sections.Select(s => s.Heading));
    }

    [Fact]
    public void Read_SetextHeading_IsAHeading()
    {
        IReadOnlyList<DocumentSection> sections = MarkdownSections.Read("Title\n=====\n\nBody text.", "x");

        Assert.Equal("Title", Assert.Single(sections).Heading);
        Assert.Equal(4, sections[0].Lines.Single().Number);
    }
}
