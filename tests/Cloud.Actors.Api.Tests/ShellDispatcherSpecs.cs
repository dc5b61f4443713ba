using Cloud.Actors.Api.Shell;

namespace Cloud.Actors.Api.Tests;

public sealed class ShellDispatcherSpecs
{
    private readonly ShellDispatcher _dispatcher = new([new TestPalette()]);
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    private Task<int> Run(params string[] args) =>
        _dispatcher.ExecuteAsync(args, _output, _error, CancellationToken.None);

    [Fact]
    public async Task Runs_a_palette_command_with_its_arguments()
    {
        var exitCode = await Run("test", "echo", "hello", "world");

        Assert.Equal(0, exitCode);
        Assert.Equal("hello world\n", _output.ToString());
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public async Task Returns_the_commands_exit_code_and_its_error_output()
    {
        var exitCode = await Run("test", "fail");

        Assert.Equal(3, exitCode);
        Assert.Equal("boom\n", _error.ToString());
    }

    [Fact]
    public async Task An_unknown_palette_exits_1_naming_it()
    {
        var exitCode = await Run("bogus", "show");

        Assert.Equal(1, exitCode);
        Assert.Contains("'bogus'", _error.ToString());
        Assert.Contains("test", _error.ToString());
    }

    [Fact]
    public async Task An_unknown_command_exits_1_naming_it()
    {
        var exitCode = await Run("test", "bogus");

        Assert.Equal(1, exitCode);
        Assert.Contains("'bogus'", _error.ToString());
        Assert.Contains("echo", _error.ToString());
    }

    [Fact]
    public async Task A_palette_without_a_command_lists_its_commands()
    {
        var exitCode = await Run("test");

        Assert.Equal(1, exitCode);
        Assert.Contains("keypair-add", _error.ToString());
    }

    [Fact]
    public async Task A_missing_argument_is_a_parse_error()
    {
        var exitCode = await Run("test", "keypair-add", "mykey");

        Assert.Equal(1, exitCode);
        Assert.Contains("--pub-key-data", _error.ToString());
        Assert.Equal("", _output.ToString());
    }

    [Theory]
    [InlineData("help")]
    [InlineData("--help")]
    public async Task Help_lists_the_palettes(string help)
    {
        var exitCode = await Run(help);

        Assert.Equal(0, exitCode);
        Assert.Contains("test", _output.ToString());
        Assert.Contains("Commands for the shell's own specs", _output.ToString());
    }

    [Fact]
    public async Task Help_for_a_palette_lists_its_commands()
    {
        var exitCode = await Run("help", "test");

        Assert.Equal(0, exitCode);
        Assert.Contains("keypair-add", _output.ToString());
    }

    [Fact]
    public async Task A_throwing_command_exits_1_with_its_message()
    {
        var exitCode = await Run("test", "throw");

        Assert.Equal(1, exitCode);
        Assert.Equal("kaput\n", _error.ToString());
    }

    [Fact]
    public async Task Does_not_expand_response_files_on_the_node()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "secret");
        try
        {
            await Run("test", "echo", "@" + file);

            Assert.Equal($"@{file}\n", _output.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Exposes_palette_and_command_names_for_completion()
    {
        Assert.Equal(["echo", "fail", "throw", "stream", "wait", "keypair-add"], _dispatcher.Palettes["test"]);
    }

    [Fact]
    public void Refuses_two_palettes_with_the_same_name()
    {
        Assert.Throws<InvalidOperationException>(() => new ShellDispatcher([new TestPalette(), new TestPalette()]));
    }
}
