using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Node;
using Cloud.Actors.Virt.Fake;

namespace Cloud.Actors.Compute.Tests;

/// <summary>
/// A whole cloud in one actor system, composed as a node is (<see cref="InProcessCloud"/>): the controller's singletons
/// and fake compute hosts compute1..N at /user/computeN, the journal in memory.
/// </summary>
public sealed class LocalCloud : IAsyncDisposable
{
    public const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";
    public static readonly RequestContext Admin = RequestContext.ShellAdmin;

    private readonly InProcessCloud _cloud;

    private LocalCloud(InProcessCloud cloud) => _cloud = cloud;

    public ActorSystem System => _cloud.System;
    public NovaService Nova => _cloud.Nova;
    public IActorRef Directory => _cloud.Directory;
    public IActorRef Catalog => _cloud.Catalog;
    public IReadOnlyDictionary<string, FakeHypervisor> Hypervisors => _cloud.Hypervisors;

    /// <param name="storage">The hosts' instance storage; none by default (the fake driver keeps no files).</param>
    public static async Task<LocalCloud> Start(int hosts, long memoryMb = 32768, TimeSpan? passivateAfter = null,
        IInstanceStorage? storage = null, Func<ComputeSettings, ComputeSettings>? configure = null) =>
        new(await InProcessCloud.StartAsync(new InProcessCloudOptions
        {
            Hosts = Enumerable.Range(1, hosts).Select(h => new FakeHost($"compute{h}", MemoryMb: memoryMb)).ToList(),
            Storage = storage,
            Configure = settings =>
            {
                settings = settings with { PassivateAfter = passivateAfter ?? TimeSpan.FromMinutes(2) };
                return configure?.Invoke(settings) ?? settings;
            },
        }));

    /// <summary>Where the actor of an instance lives: under its host's compute actor (a back-off supervisor's child).</summary>
    public static string InstancePath(string host, Guid id) => $"/user/{host}/host/{id}";

    public async Task<InstanceState> Boot(string name, string flavor = "m1.tiny")
    {
        var booted = await Nova.Boot(new BootArguments(name, "cirros", flavor, null, [Privada]), Admin);
        return booted.Single().State;
    }

    /// <summary>Polls `show` until the instance satisfies <paramref name="condition"/>.</summary>
    public async Task<InstanceState> WaitFor(Guid id, Func<InstanceState, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        InstanceState? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await Nova.Show(id.ToString(), Admin)).State;
            if (condition(last)) return last;
            await Task.Delay(20);
        }
        throw new TimeoutException($"instance {id} never became {what}; last: {last?.Status}/{last?.TaskState}");
    }

    public Task<InstanceState> WaitForStatus(Guid id, string status) => WaitFor(id, s => s.Status == status && s.TaskState is null, status);

    public ValueTask DisposeAsync() => _cloud.DisposeAsync();
}
