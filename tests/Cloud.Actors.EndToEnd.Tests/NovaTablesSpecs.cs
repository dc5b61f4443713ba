namespace Cloud.Actors.EndToEnd.Tests;

/// <summary>The table reader the scenarios rely on, on output captured from the shell.</summary>
public sealed class NovaTablesSpecs
{
    private const string BootWithPoll = """
        +--------------------------------------+-----------------+
        | Property                             | Value           |
        +--------------------------------------+-----------------+
        | OS-EXT-STS:task_state                | scheduling      |
        | accessIPv4                           |                 |
        | name                                 | prueba-ñ-<b>&"' |
        | status                               | BUILD           |
        +--------------------------------------+-----------------+
        Server building... status BUILD, task scheduling
        Server building... status ACTIVE, task -
        Finished
        """;

    private const string List = """
        +--------------------------------------+------+---------+------------+-------------+------------------+
        | ID                                   | Name | Status  | Task State | Power State | Networks         |
        +--------------------------------------+------+---------+------------+-------------+------------------+
        | 3e4773b4-e243-4a86-bf6f-8d71ff8b9a4c | vm1  | SHUTOFF | -          | Shutdown    | privada=10.0.0.2 |
        | ff665671-2e43-41b4-91fb-c420d32e5245 | vm2  | ACTIVE  | -          | Running     | privada=10.0.0.3 |
        +--------------------------------------+------+---------+------------+-------------+------------------+
        """;

    [Fact]
    public void A_property_table_becomes_a_dictionary_of_trimmed_cells()
    {
        var show = NovaTables.Properties(BootWithPoll);

        Assert.Equal(4, show.Count);
        Assert.Equal("scheduling", show["OS-EXT-STS:task_state"]);
        Assert.Equal("", show["accessIPv4"]);
        Assert.Equal("prueba-ñ-<b>&\"'", show["name"]);
    }

    [Fact]
    public void A_list_table_becomes_rows_keyed_by_the_header()
    {
        var rows = NovaTables.Rows(List);

        Assert.Equal(2, rows.Count);
        Assert.Equal(("vm1", "SHUTOFF", "-", "Shutdown"),
            (rows[0]["Name"], rows[0]["Status"], rows[0]["Task State"], rows[0]["Power State"]));
        Assert.Equal("ff665671-2e43-41b4-91fb-c420d32e5245", rows[1]["ID"]);
    }

    [Fact]
    public void An_empty_list_has_no_rows()
    {
        var empty = """
            +----+------+--------+------------+-------------+----------+
            | ID | Name | Status | Task State | Power State | Networks |
            +----+------+--------+------------+-------------+----------+
            +----+------+--------+------------+-------------+----------+
            """;

        Assert.Empty(NovaTables.Rows(empty));
    }

    [Fact]
    public void Text_without_a_table_is_refused()
    {
        Assert.Throws<FormatException>(() => NovaTables.Rows("ERROR (NotFound): nothing\n"));
    }
}
