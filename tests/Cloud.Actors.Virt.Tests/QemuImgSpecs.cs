using Cloud.Actors.Virt.Images;

namespace Cloud.Actors.Virt.Tests;

public sealed class QemuImgSpecs : IDisposable
{
    private const long OneGiB = 1024L * 1024 * 1024;
    private readonly TempDirectory _dir = new();
    private readonly QemuImg _qemuImg = new(RequiredTool.Find("qemu-img", "qemu-utils"));

    public void Dispose() => _dir.Dispose();

    private async Task<string> RawBase(string name = "base")
    {
        var path = _dir.File(name);
        await _qemuImg.CreateAsync(path, "raw", 16 * 1024 * 1024);
        return path;
    }

    [Fact]
    public async Task Overlay_has_the_flavor_size_and_the_base_as_backing_file()
    {
        var baseImage = await RawBase();
        var disk = _dir.File("disk");

        await _qemuImg.CreateOverlayAsync(disk, baseImage, "raw", 1);
        var info = await _qemuImg.InfoAsync(disk);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(OneGiB, info.VirtualSize);
        Assert.Equal(baseImage, info.BackingFilename);
        Assert.Equal(baseImage, info.FullBackingFilename);
        Assert.Equal("raw", info.BackingFilenameFormat);
        Assert.True(info.ActualSize < OneGiB, $"the overlay should be sparse, it takes {info.ActualSize} bytes");
    }

    [Fact]
    public async Task Overlay_of_size_zero_takes_the_base_size()
    {
        var baseImage = await RawBase();
        var disk = _dir.File("disk");

        await _qemuImg.CreateOverlayAsync(disk, baseImage, "raw", 0);

        Assert.Equal(16 * 1024 * 1024, (await _qemuImg.InfoAsync(disk)).VirtualSize);
    }

    [Fact]
    public async Task Comma_and_space_in_the_base_path_are_kept()
    {
        var baseImage = await RawBase("base, with comma");
        var disk = _dir.File("disk");

        await _qemuImg.CreateOverlayAsync(disk, baseImage, "raw", 1);

        Assert.Equal(baseImage, (await _qemuImg.InfoAsync(disk)).BackingFilename);
    }

    [Fact]
    public async Task Missing_base_is_an_error_naming_it()
    {
        var missing = _dir.File("no-such-base");

        var error = await Assert.ThrowsAsync<ImageToolException>(() => _qemuImg.CreateOverlayAsync(_dir.File("disk"), missing, "raw", 1));

        Assert.Contains("no-such-base", error.Message);
        Assert.NotEqual(0, error.ExitCode);
        Assert.NotEmpty(error.StandardError);
    }

    [Fact]
    public async Task Info_of_a_missing_file_is_an_error_naming_it()
    {
        var error = await Assert.ThrowsAsync<ImageToolException>(() => _qemuImg.InfoAsync(_dir.File("nothing-here")));

        Assert.Contains("nothing-here", error.StandardError);
    }

    [Fact]
    public async Task Existing_disk_is_never_overwritten()
    {
        var baseImage = await RawBase();
        var disk = _dir.File("disk");
        await _qemuImg.CreateOverlayAsync(disk, baseImage, "raw", 1);

        await Assert.ThrowsAsync<IOException>(() => _qemuImg.CreateOverlayAsync(disk, baseImage, "raw", 2));

        Assert.Equal(OneGiB, (await _qemuImg.InfoAsync(disk)).VirtualSize);
    }

    [Fact]
    public async Task Convert_writes_the_requested_format()
    {
        var baseImage = await RawBase();
        var converted = _dir.File("converted.qcow2");

        await _qemuImg.ConvertAsync(baseImage, converted, "qcow2", sourceFormat: "raw");
        var info = await _qemuImg.InfoAsync(converted);

        Assert.Equal("qcow2", info.Format);
        Assert.Equal(16 * 1024 * 1024, info.VirtualSize);
        Assert.Null(info.BackingFilename);
    }

    [Fact]
    public async Task Cancellation_stops_the_tool()
    {
        var baseImage = await RawBase();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _qemuImg.InfoAsync(baseImage, cancelled.Token));
    }

    // A stand-in qemu-img that hangs, so timeouts and cancellation are exercised without depending on qemu-img's speed.
    private string HangingTool()
    {
        var script = _dir.File("hanging-qemu-img");
        File.WriteAllText(script, "#!/bin/sh\nexec sleep 30\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    [Fact]
    public async Task Tool_outliving_the_timeout_is_killed_with_a_clear_error()
    {
        var qemuImg = new QemuImg(HangingTool(), commandTimeout: TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ImageToolException>(() => qemuImg.InfoAsync(_dir.File("disk")));

        Assert.Contains("did not finish", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_while_running_stops_the_tool()
    {
        var qemuImg = new QemuImg(HangingTool());
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => qemuImg.InfoAsync(_dir.File("disk"), cancellation.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Missing_executable_says_to_run_setup()
    {
        var error = await Assert.ThrowsAsync<ImageToolException>(() => new QemuImg("/nonexistent/qemu-img").InfoAsync(_dir.File("x")));

        Assert.Contains("cluster.sh setup", error.Message);
    }
}
