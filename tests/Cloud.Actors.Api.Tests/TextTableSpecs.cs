using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Tests;

public sealed class TextTableSpecs
{
    [Fact]
    public void Renders_a_property_value_table_exactly_as_prettytable_does()
    {
        var table = TextTable.PropertyValue(
        [
            new("name", "test2"),
            new("status", "ACTIVE"),
            new("OS-EXT-STS:power_state", 1),
        ]);

        Assert.Equal(
            """
            +------------------------+--------+
            | Property               | Value  |
            +------------------------+--------+
            | name                   | test2  |
            | status                 | ACTIVE |
            | OS-EXT-STS:power_state | 1      |
            +------------------------+--------+
            """.ReplaceLineEndings("\n"),
            table.Render());
    }

    [Fact]
    public void Spreads_a_multi_line_cell_over_several_lines()
    {
        var table = new TextTable("ID", "Networks").AddRow("1", "private=10.0.0.3\npublic=172.24.4.9");

        Assert.Equal(
            "+----+-------------------+\n" +
            "| ID | Networks          |\n" +
            "+----+-------------------+\n" +
            "| 1  | private=10.0.0.3  |\n" +
            "|    | public=172.24.4.9 |\n" +
            "+----+-------------------+",
            table.Render());
    }

    [Fact]
    public void An_empty_table_shows_its_header_and_closing_rule()
    {
        var table = new TextTable("ID", "Name", "Status");

        Assert.Equal(
            "+----+------+--------+\n" +
            "| ID | Name | Status |\n" +
            "+----+------+--------+\n" +
            "+----+------+--------+",
            table.Render());
    }

    [Fact]
    public void Pads_wide_characters_by_their_display_width()
    {
        var table = new TextTable("Name").AddRow("東京").AddRow("server");

        Assert.Equal(
            "+--------+\n" +
            "| Name   |\n" +
            "+--------+\n" +
            "| 東京   |\n" +
            "| server |\n" +
            "+--------+",
            table.Render());
    }

    [Fact]
    public void Rejects_a_row_with_the_wrong_number_of_cells()
    {
        Assert.Throws<ArgumentException>(() => new TextTable("A", "B").AddRow("only one"));
    }
}
