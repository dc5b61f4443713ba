using Akka.Actor;
using Cloud.Actors.Api.Application;
using Cloud.Actors.Compute;
using Cloud.Actors.Compute.Console;
using Cloud.Actors.Compute.Storage;
using Cloud.Actors.Controller.Catalog;
using Cloud.Actors.Controller.Directory;
using Cloud.Actors.Domain.Catalog;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Scheduler;
using Cloud.Actors.Scheduler.Filters;
using Cloud.Actors.Virt.Fake;

namespace Cloud.Actors.Compute.Tests;

/// <summary>A whole cloud in one actor system: scheduler, directory, catalog and fake compute hosts compute1..N.</summary>
public sealed class LocalCloud
{
    public const string Privada = "0d43e5fe-99b9-46a8-b118-58136aa805b4";
    public static readonly RequestContext Admin = RequestContext.ShellAdmin;

    private LocalCloud(NovaService nova, IActorRef directory, IActorRef catalog, IReadOnlyDictionary<string, FakeHypervisor> hypervisors)
    {
        Nova = nova;
        Directory = directory;
        Catalog = catalog;
        Hypervisors = hypervisors;
    }

    public NovaService Nova { get; }
    public IActorRef Directory { get; }
    public IActorRef Catalog { get; }
    public IReadOnlyDictionary<string, FakeHypervisor> Hypervisors { get; }

    /// <param name="storage">The hosts' instance storage; none by default (the fake driver keeps no files).</param>
    public static async Task<LocalCloud> Start(ActorSystem system, int hosts, long memoryMb = 32768, TimeSpan? passivateAfter = null,
        IInstanceStorage? storage = null, Func<ComputeSettings, ComputeSettings>? configure = null)
    {
        var scheduler = system.ActorOf(SchedulerActor.Props(AllocationRatios.Default), "scheduler");
        var directory = system.ActorOf(DirectoryActor.Props(scheduler), "directory");
        var catalog = system.ActorOf(CatalogActor.Props(), "catalog");
        var hypervisors = new Dictionary<string, FakeHypervisor>();
        for (var h = 1; h <= hosts; h++)
        {
            var name = $"compute{h}";
            hypervisors[name] = new FakeHypervisor(new FakeHypervisorOptions { Hostname = name, MemoryMb = memoryMb });
            var settings = new ComputeSettings
            {
                Host = name,
                ShutdownTimeout = TimeSpan.FromSeconds(2),
                PassivateAfter = passivateAfter ?? TimeSpan.FromMinutes(2),
                ConsoleTailer = new ConsoleTailerSettings { PollInterval = TimeSpan.FromMilliseconds(50) },
            };
            system.ActorOf(ComputeActor.Props(hypervisors[name], scheduler, directory, configure?.Invoke(settings) ?? settings, storage), name);
        }
        var cloud = new LocalCloud(new NovaService(catalog, directory, scheduler, TimeSpan.FromSeconds(10), system), directory, catalog, hypervisors);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await cloud.Nova.Hypervisors()).Count < hosts)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("compute hosts did not register");
            await Task.Delay(20);
        }
        return cloud;
    }

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
}
