using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Api.Application;

/// <summary>
/// The compute application layer shared by the shell's nova palette and the REST API: it validates and
/// resolves user input against the catalog, asks the directory and scheduler, and turns their refusals
/// into <see cref="NovaException"/>s. Nothing is created unless every field is valid.
/// </summary>
/// <param name="actors">Where the short-lived actors of streaming operations (console follow) are created.</param>
public sealed class NovaService(RegisteredActor catalog, RegisteredActor directory, RegisteredActor scheduler, RegisteredActor network,
    TimeSpan timeout, IActorRefFactory actors)
{
    /// <summary>How long an idempotent request is asked for, in ask timeouts: enough to ride out a singleton hand-over.</summary>
    public const int Attempts = 4;

    /// <summary>
    /// When an unanswered idempotent request is asked again: every second. A proxy sends to the dead singleton until
    /// the leader removes its node (copies sent until then are lost) and buffers for the new one only after: the
    /// first copy after that is answered by the successor, within a second of its start (at most 2 s with a pause of
    /// 2 s, which `bench handover` saw push the hand-over past 10 s). The receivers drop copies by id.
    /// </summary>
    public static readonly RegisteredActor.Resend Resending = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    public NovaService(IRequiredActor<CatalogKey> catalog, IRequiredActor<DirectoryKey> directory, IRequiredActor<SchedulerKey> scheduler,
        IRequiredActor<NetworkKey> network, TimeSpan timeout, ActorSystem system)
        : this(RegisteredActor.Of(catalog), RegisteredActor.Of(directory), RegisteredActor.Of(scheduler), RegisteredActor.Of(network), timeout, system)
    {
    }

    /// <summary>The network service (Neutron) as the boot and the network API ask it.</summary>
    public NeutronService Neutron { get; } = new(network, timeout);

    public Task<CatalogView> Catalog() => catalog.AskIdempotent<CatalogView>(GetCatalog.Instance, timeout * Attempts, Resending);

    public async Task<IReadOnlyList<InstanceFound>> Boot(BootArguments args, RequestContext ctx)
    {
        var name = InputValidation.Name("name", args.Name);
        if (args.MinCount < 1 || args.MaxCount < args.MinCount || args.MaxCount > 1000)
            throw new NovaException(400, $"Invalid input for field/attribute min_count/max_count: {args.MinCount}..{args.MaxCount}");
        var view = await Catalog();
        var image = ResolveImage(view, args.Image, ctx);
        var flavor = ResolveFlavor(view, args.Flavor);
        KeyPair? key = null;
        if (args.KeyName is not null)
            key = view.KeyPairs.FirstOrDefault(k => k.Name == args.KeyName && k.UserId == ctx.UserId)
                  ?? throw new NovaException(400, $"Invalid key_name provided: key pair '{args.KeyName}' not found.");
        // Nova's _check_multiple_instances_with_neutron_ports and _with_specified_ip: refused before anything is looked up.
        if (args.MaxCount > 1 && args.Nics?.Any(n => n.PortId is not null) == true)
            throw new NovaException(400, "Unable to launch multiple instances with a single configured port ID. Please launch your instance one by one with different ports.");
        if (args.MaxCount > 1 && args.Nics?.Any(n => n.FixedIp is not null) == true)
            throw new NovaException(400, "max_count cannot be greater than 1 if an fixed_ip is specified.");
        var nics = await Neutron.ResolveNics(args.Nics ?? (args.NetworkIds.Count == 0 ? null : args.NetworkIds.Select(id => new NicRequest(id)).ToList()), ctx);
        CheckFits(image, flavor);
        var zone = args.AvailabilityZone ?? "nova";
        // BootRequest.Network stays for the message's shape (its CIDR is the network service's now); the directory
        // takes only the addresses.
        Network? first = nics.Count == 0 ? null : new Network(nics[0].Network.Id, nics[0].Network.Name, "");

        var results = new List<InstanceFound>();
        var now = DateTimeOffset.UtcNow;
        for (var index = 0; index < args.MaxCount; index++)
        {
            var instanceName = args.MaxCount > 1 ? $"{name}-{index + 1}" : name;
            var id = Guid.NewGuid();
            // As Nova allocates the instance's ports from Neutron before it is built; the addresses travel in the boot.
            FixedIp[] addresses;
            try
            {
                addresses = await Neutron.AllocateForInstance(id, nics, ctx.ProjectId, zone, now);
            }
            catch (NovaException) when (results.Count >= args.MinCount)
            {
                return results;
            }
            var request = new BootRequest(id, instanceName, ctx.ProjectId, ctx.UserId, flavor,
                new InstanceImage(image.Id, image.Name, image.Properties), key?.Name, key?.PublicKey, first,
                zone, index, now, addresses, args.ConfigDrive, args.UserData, args.Attributes);
            // The directory answers a repeated request for the same id with the instance it made the first time.
            var reply = await directory.AskIdempotent<object>(request, timeout * Attempts, Resending);
            switch (reply)
            {
                case BootAccepted accepted: results.Add(new InstanceFound(accepted.State, "")); break;
                case BootRejected rejected:
                    await Neutron.Release(id);
                    if (results.Count >= args.MinCount) return results;
                    throw new NovaException(rejected.Code, rejected.Message);
            }
        }
        return results;
    }

    public async Task<InstanceFound> Show(string nameOrId, RequestContext ctx) =>
        await directory.AskIdempotent<object>(new FindInstance(nameOrId, ctx.IsAdmin ? null : ctx.ProjectId), timeout * Attempts, Resending) switch
        {
            InstanceFound found => found,
            InstanceNotFound missing => throw new NovaException(missing.Code, missing.Message),
            var other => throw Unexpected(other),
        };

    public async Task<IReadOnlyList<InstanceFound>> List(RequestContext ctx, bool allProjects = false) =>
        (await directory.AskIdempotent<InstanceList>(new ListInstances(ctx.Scope(allProjects)), timeout * Attempts, Resending)).Instances;

    public async Task<InstanceState> Act(string nameOrId, InstanceAction action, RequestContext ctx)
    {
        var found = await Show(nameOrId, ctx);
        return await directory.Ask<object>(new InstanceActionRequest(found.State.Id, action), timeout) switch
        {
            ActionAccepted accepted => accepted.State,
            ActionRejected rejected => throw new NovaException(rejected.Code, rejected.Message),
            var other => throw Unexpected(other),
        };
    }

    /// <summary>
    /// Nova's rebuild: the server's disk is made anew from <paramref name="image"/> (by id or name, active and visible
    /// to the caller, fitting the server's flavor), keeping its id, name, address and host. Answers the server as
    /// the rebuild starts (status REBUILD).
    /// </summary>
    public async Task<InstanceFound> Rebuild(string nameOrId, string? image, RequestContext ctx)
    {
        var found = await Show(nameOrId, ctx);
        var resolved = ResolveImage(await Catalog(), image, ctx);
        CheckFits(resolved, found.State.Spec.Flavor);
        var request = new RebuildInstanceRequest(found.State.Id, new InstanceImage(resolved.Id, resolved.Name, resolved.Properties));
        return await directory.Ask<object>(request, timeout) switch
        {
            ActionAccepted accepted => found with { State = accepted.State },
            ActionRejected rejected => throw new NovaException(rejected.Code, rejected.Message),
            var other => throw Unexpected(other),
        };
    }

    /// <summary>Nova's _check_requested_image: the image's bytes and its minimums must fit the flavor (400 before anything is made).</summary>
    private static void CheckFits(Image image, Flavor flavor)
    {
        var rootBytes = (long)flavor.RootGb << 30;
        if (flavor.RootGb > 0 && image.SizeBytes > rootBytes)
            throw new NovaException(400, $"Flavor's disk is too small for requested image. Flavor disk is {rootBytes} bytes, image is {image.SizeBytes} bytes.");
        if (image.MinDiskGb > flavor.RootGb && flavor.RootGb > 0)
            throw new NovaException(400, $"Flavor's disk is too small for requested image. Flavor disk is {flavor.RootGb}G, image requires {image.MinDiskGb}G.");
        if (image.MinRamMb > flavor.MemoryMb)
            throw new NovaException(400, $"Flavor's memory is too small for requested image.");
    }

    /// <summary>Nova's server update of the name: the same name rules as boot; answers the renamed instance.</summary>
    public async Task<InstanceFound> Rename(string nameOrId, string newName, RequestContext ctx)
    {
        var name = InputValidation.Name("name", newName);
        var found = await Show(nameOrId, ctx);
        return await directory.Ask<object>(new RenameInstanceRequest(found.State.Id, name), timeout) switch
        {
            ActionAccepted accepted => found with { State = accepted.State },
            ActionRejected rejected => throw new NovaException(rejected.Code, rejected.Message),
            var other => throw Unexpected(other),
        };
    }

    /// <summary>Nova's server update: a new name, new attributes (access IPs, description), or both; null leaves one as it is.</summary>
    public async Task<InstanceFound> Update(string nameOrId, string? newName, ServerAttributes? attributes, RequestContext ctx)
    {
        if (newName is not null) InputValidation.Name("name", newName);
        var found = await Show(nameOrId, ctx);
        if (attributes is not null)
            found = await directory.Ask<object>(new ChangeInstanceAttributesRequest(found.State.Id, attributes), timeout) switch
            {
                ActionAccepted accepted => found with { State = accepted.State },
                ActionRejected rejected => throw new NovaException(rejected.Code, rejected.Message),
                var other => throw Unexpected(other),
            };
        return newName is null ? found : await Rename(found.State.Id.ToString(), newName, ctx);
    }

    /// <summary>os-instance-actions: what was done to the instance, newest first, read from its journal.</summary>
    public async Task<IReadOnlyList<InstanceActionRecord>> InstanceActions(string nameOrId, RequestContext ctx)
    {
        var found = await Show(nameOrId, ctx);
        return await directory.Ask<object>(new InstanceActionsRequest(found.State.Id), timeout) switch
        {
            InstanceActionList list => list.Actions,
            ActionRejected rejected => throw new NovaException(rejected.Code, rejected.Message),
            var other => throw Unexpected(other),
        };
    }

    public async Task<string> ConsoleLog(string nameOrId, int? length, RequestContext ctx)
    {
        if (length is < 0) throw new NovaException(400, $"Invalid input for field/attribute length. Value: {length}. Must be >= 0");
        var found = await Show(nameOrId, ctx);
        return await directory.Ask<object>(new ConsoleOutputRequest(found.State.Id, length), timeout) switch
        {
            ConsoleOutput output => output.Text,
            ActionRejected rejected => throw new NovaException(rejected.Code, rejected.Message),
            var other => throw Unexpected(other),
        };
    }

    /// <summary>
    /// The console as it is written: first its current tail (the last <paramref name="length"/> lines, or all
    /// that is kept), then each new piece of text as the guest writes it. The sequence ends when the instance
    /// is deleted; cancelling <paramref name="ct"/> (the client went away) unsubscribes. For a driver without a
    /// console file (the fake driver) only the current output comes, and then nothing until cancelled.
    /// </summary>
    public async IAsyncEnumerable<string> FollowConsoleLog(string nameOrId, int? length, RequestContext ctx,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (length is < 0) throw new NovaException(400, $"Invalid input for field/attribute length. Value: {length}. Must be >= 0");
        var found = await Show(nameOrId, ctx);
        // Unbounded: a serial console writes at most ~11 KB/s (115200 baud), far slower than any reader drains it.
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var follower = actors.ActorOf(ConsoleFollower.Props(found.State.Id, length, await directory.Get(ct), channel.Writer, timeout));
        try
        {
            await foreach (var text in channel.Reader.ReadAllAsync(ct))
                yield return text;
        }
        finally
        {
            follower.Tell(PoisonPill.Instance);
        }
    }

    /// <summary>
    /// Imports <paramref name="publicKey"/> (an OpenSSH key, or for type x509 a PEM certificate), or generates an SSH pair
    /// and returns its private key (shown once, as Nova does). The name is Nova's: letters, digits, '-', '_' and spaces
    /// (from 2.92 also '@' and '.'), so it is safe in a path and a URL.
    /// </summary>
    public async Task<(KeyPair KeyPair, string? PrivateKey)> AddKeyPair(string name, string? publicKey, RequestContext ctx, string type = "ssh",
        bool specialCharacters = false)
    {
        InputValidation.Name("keypair name", name);
        if (name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ' ' || (specialCharacters && c is '@' or '.'))))
            throw new NovaException(400, "Keypair data is invalid: Keypair name contains unsafe characters");
        string? privateKey = null;
        if (publicKey is null)
            (publicKey, privateKey) = type == "x509" ? KeyPair.GenerateCertificate(name) : KeyPair.Generate("Generated-by-Cloud.Actors");
        publicKey = publicKey.Trim();
        var fingerprint = (type == "x509" ? KeyPair.X509FingerprintOf(publicKey) : KeyPair.FingerprintOf(publicKey))
                          ?? throw new NovaException(400, "Keypair data is invalid: failed to generate fingerprint");
        var keyPair = new KeyPair(name, ctx.UserId, publicKey, fingerprint, type, DateTimeOffset.UtcNow);
        return await catalog.Ask<object>(new AddKeyPair(keyPair), timeout) switch
        {
            CatalogChanged => (keyPair, privateKey),
            CatalogRejected rejected => throw new NovaException(rejected.Code, rejected.Message),
            var other => throw Unexpected(other),
        };
    }

    public async Task DeleteKeyPair(string name, RequestContext ctx)
    {
        if (await catalog.Ask<object>(new DeleteKeyPair(name, ctx.UserId), timeout) is CatalogRejected rejected)
            throw new NovaException(rejected.Code, rejected.Message);
    }

    public async Task<IReadOnlyList<KeyPair>> KeyPairs(RequestContext ctx) =>
        (await Catalog()).KeyPairs.Where(k => k.UserId == ctx.UserId).ToList();

    public async Task<IReadOnlyList<HostView>> Hypervisors() =>
        (await scheduler.AskIdempotent<HostsReport>(GetHosts.Instance, timeout * Attempts, Resending)).Hosts;

    /// <summary>Nova's service list: the scheduler's, then each host's nova-compute by host name.</summary>
    public async Task<IReadOnlyList<ComputeServiceView>> Services()
    {
        var report = await scheduler.AskIdempotent<HostsReport>(GetHosts.Instance, timeout * Attempts, Resending);
        var services = new List<ComputeServiceView>
        {
            new(ComputeServiceView.SchedulerBinary, report.SchedulerHost, ComputeServiceView.InternalZone, true, null, true, DateTimeOffset.UtcNow),
        };
        services.AddRange(report.Hosts.Select(ComputeService));
        return services;
    }

    /// <summary>
    /// Enables or disables the nova-compute service of <paramref name="host"/> (only those can change, as in Nova);
    /// the host journals it before this returns its new row. A reason is kept only when disabling.
    /// </summary>
    public async Task<ComputeServiceView> SetServiceStatus(string host, string binary, bool enabled, string? disabledReason)
    {
        if (binary != ComputeServiceView.ComputeBinary)
            throw new NovaException(400, $"Updating a {binary} service is not supported. Only nova-compute services can be updated.");
        if (disabledReason is not null)
        {
            if (enabled) throw new NovaException(400, "Specifying 'disabled_reason' with status 'enabled' is invalid.");
            InputValidation.Text("disabled_reason", disabledReason);
        }
        return await scheduler.Ask<object>(new SetHostEnabled(host, enabled, disabledReason), timeout) switch
        {
            HostView view => ComputeService(view),
            ActionRejected { Code: 404 } => throw new NovaException(404, $"Host '{host}' could not be found."),
            ActionRejected rejected => throw new NovaException(rejected.Code, rejected.Message),
            var other => throw Unexpected(other),
        };
    }

    private static ComputeServiceView ComputeService(HostView h) =>
        new(ComputeServiceView.ComputeBinary, h.Capabilities.Host, h.Capabilities.AvailabilityZone, h.Capabilities.Enabled,
            h.Capabilities.DisabledReason, h.Up, h.UpdatedAt);

    /// <summary>What the caller's project uses (instances not deleted, their cores and RAM): the "used" half of limits.</summary>
    public async Task<ProjectUsage> Usage(RequestContext ctx)
    {
        var instances = (await List(ctx)).Select(f => f.State).Where(s => !s.IsDeleted).ToList();
        return new ProjectUsage(instances.Count, instances.Sum(s => s.Spec.Flavor.Vcpus), instances.Sum(s => (long)s.Spec.Flavor.MemoryMb),
            (await KeyPairs(ctx)).Count);
    }

    /// <summary>
    /// The image to boot, by id or name, among those <paramref name="ctx"/> may see (Glance's visibility: another
    /// project's private image is as unknown as a missing one); it must be active, i.e. have its data (Nova's
    /// ImageNotActive).
    /// </summary>
    public static Image ResolveImage(CatalogView view, string? image, RequestContext ctx)
    {
        if (string.IsNullOrEmpty(image)) throw new NovaException(400, "You must provide an image (--image).");
        var visible = view.Images.Where(i => i.VisibleTo(ctx.ProjectId, ctx.IsAdmin)).ToList();
        var found = visible.FirstOrDefault(i => i.Id == image);
        if (found is null)
        {
            var byName = visible.Where(i => i.Name == image).ToList();
            found = byName.Count switch
            {
                1 => byName[0],
                0 => throw new NovaException(400, $"Image {image} could not be found."),
                _ => throw new NovaException(409, $"Multiple image matches found for '{image}', use an ID to be more specific."),
            };
        }
        if (found.Status != "active") throw new NovaException(400, $"Image {found.Id} is not active.");
        return found;
    }

    public static Flavor ResolveFlavor(CatalogView view, string? flavor)
    {
        if (string.IsNullOrEmpty(flavor)) throw new NovaException(400, "You must provide a flavor (--flavor).");
        return view.Flavors.FirstOrDefault(f => f.Id == flavor)
               ?? view.Flavors.FirstOrDefault(f => f.Name == flavor)
               ?? throw new NovaException(400, $"Flavor {flavor} could not be found.");
    }

    private static NovaException Unexpected(object reply) => new(500, $"Unexpected reply {reply.GetType().Name}");
}
