using Cloud.Actors.Api.Rest.Identity;

namespace Cloud.Actors.Api.Rest.Tests;

/// <summary>
/// Tokens sealed with the controller's key (keystone's fernet tokens): they outlive a restart of the controller
/// that shares the key directory, nothing else opens them, revocation is remembered, and roles are checked anew.
/// </summary>
public sealed class TokenKeySpecs : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"token-keys-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private TokenStore Controller(IdentityOptions? options = null) =>
        new(options ?? RestCloud.Identity(), keys: TokenKeyRepository.Load(_directory));

    private static Token Issue(TokenStore store, string user = "demo", string project = "demo") =>
        store.Issue(store.CheckPassword(null, user, RestCloud.Password)!, store.FindProject(null, project)!, ["password"])!;

    [Fact]
    public void A_token_is_still_valid_after_a_restart_of_the_controller_with_the_same_key()
    {
        var issued = Issue(Controller());

        var validated = Controller().Validate(issued.Id);

        Assert.NotNull(validated);
        Assert.Equal((issued.User.Id, issued.Project.Id, issued.ExpiresAt, issued.IssuedAt, issued.AuditId),
            (validated.User.Id, validated.Project.Id, validated.ExpiresAt, validated.IssuedAt, validated.AuditId));
        Assert.Equal(["member", "reader"], validated.Roles.Select(r => r.Name));
        Assert.StartsWith("gAAAAA", issued.Id);
    }

    [Fact]
    public void Another_key_an_altered_token_or_garbage_is_no_token()
    {
        var token = Issue(Controller()).Id;
        var altered = token[..40] + (token[40] == 'A' ? 'B' : 'A') + token[41..];

        Assert.Null(new TokenStore(RestCloud.Identity()).Validate(token));
        Assert.Null(Controller().Validate(altered));
        Assert.All(new[] { "", "gAAAAA", "not a token", "gAAAAA" + new string('A', 400), "%%%", token[..^4] },
            garbage => Assert.Null(Controller().Validate(garbage)));
    }

    [Fact]
    public void A_revoked_token_stays_revoked_after_a_restart_and_others_do_not_follow_it()
    {
        var first = Controller();
        var revoked = Issue(first);
        var kept = Issue(first);

        Assert.True(first.Revoke(revoked.Id));
        Assert.False(first.Revoke(revoked.Id));

        var restarted = Controller();
        Assert.Null(restarted.Validate(revoked.Id));
        Assert.NotNull(restarted.Validate(kept.Id));
    }

    [Fact]
    public void A_token_revoked_by_another_controller_sharing_the_key_is_refused_here_at_once()
    {
        var here = Controller();
        var there = Controller();
        var token = Issue(here);
        Assert.NotNull(there.Validate(token.Id));

        Assert.True(there.Revoke(token.Id));

        Assert.Null(here.Validate(token.Id));
    }

    [Fact]
    public void A_restart_keeps_only_the_revocations_of_tokens_that_have_not_expired()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-26T12:00:00Z"));
        var first = new TokenStore(RestCloud.Identity(TimeSpan.FromHours(1)), clock, TokenKeyRepository.Load(_directory));
        var shortLived = Issue(first);
        clock.Now = clock.Now.AddMinutes(30);
        var longLived = Issue(first);
        first.Revoke(shortLived.Id);
        first.Revoke(longLived.Id);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_directory, "revoked")).Length);

        clock.Now = clock.Now.AddMinutes(45);
        var restarted = new TokenStore(RestCloud.Identity(TimeSpan.FromHours(1)), clock, TokenKeyRepository.Load(_directory));

        Assert.Equal([longLived.AuditId], File.ReadAllLines(Path.Combine(_directory, "revoked")).Select(l => l.Split(' ')[0]));
        Assert.Null(restarted.Validate(longLived.Id));
    }

    [Fact]
    public void A_key_others_may_read_is_refused()
    {
        Controller();
        File.SetUnixFileMode(Path.Combine(_directory, "0"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<InvalidOperationException>(() => TokenKeyRepository.Load(_directory));

        Assert.Contains("chmod 600", error.Message);
    }

    [Fact]
    public void Taking_a_role_away_ends_the_tokens_that_relied_on_it()
    {
        var token = Issue(Controller());
        var options = RestCloud.Identity();
        var withoutDemoRoles = options with
        {
            Users = options.Users.Select(u => u.Name == "demo"
                ? u with { ProjectRoles = new Dictionary<string, IReadOnlyList<string>>() }
                : u).ToList(),
        };

        Assert.Null(Controller(withoutDemoRoles).Validate(token.Id));
    }

    [Fact]
    public void The_key_is_made_once_readable_by_its_owner_only()
    {
        Controller();
        var key = Path.Combine(_directory, "0");
        var before = File.ReadAllText(key);

        Controller();

        Assert.Equal(before, File.ReadAllText(key));
        Assert.Equal(32, Convert.FromBase64String(before).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_damaged_key_is_refused_naming_its_file()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "0"), "c2hvcnQ=");
        File.SetUnixFileMode(Path.Combine(_directory, "0"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<InvalidOperationException>(() => TokenKeyRepository.Load(_directory));

        Assert.Contains(Path.Combine(_directory, "0"), error.Message);
    }
}
