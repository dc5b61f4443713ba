using Cloud.Actors.Domain.Hosts;
using Cloud.Actors.Domain.Instances;
using Cloud.Actors.Domain.Messages;

namespace Cloud.Actors.Domain.Serialization;

/// <summary>
/// The manifests of every type of this assembly that is journaled (the instance-&lt;uuid&gt; and compute-&lt;host&gt;
/// events and snapshots) or sent between nodes (Messages/). A manifest, once released, never changes: a renamed
/// record keeps its manifest here. The second string of a journaled type is what release 064f270 and earlier wrote
/// (its CLR name then); no new type needs one.
/// </summary>
public sealed class DomainManifests : ManifestTable
{
    public DomainManifests()
    {
        // instance-<uuid>: the InstanceActor's events and its snapshot.
        Add<InstanceAccepted>("instance-accepted", "Cloud.Actors.Domain.Instances.InstanceAccepted, Cloud.Actors.Domain");
        Add<TaskStarted>("instance-task-started", "Cloud.Actors.Domain.Instances.TaskStarted, Cloud.Actors.Domain");
        Add<InstanceSpawned>("instance-spawned", "Cloud.Actors.Domain.Instances.InstanceSpawned, Cloud.Actors.Domain");
        Add<InstanceStopped>("instance-stopped", "Cloud.Actors.Domain.Instances.InstanceStopped, Cloud.Actors.Domain");
        Add<InstanceStarted>("instance-started", "Cloud.Actors.Domain.Instances.InstanceStarted, Cloud.Actors.Domain");
        Add<InstanceRebooted>("instance-rebooted", "Cloud.Actors.Domain.Instances.InstanceRebooted, Cloud.Actors.Domain");
        Add<InstancePaused>("instance-paused", "Cloud.Actors.Domain.Instances.InstancePaused, Cloud.Actors.Domain");
        Add<InstanceUnpaused>("instance-unpaused", "Cloud.Actors.Domain.Instances.InstanceUnpaused, Cloud.Actors.Domain");
        Add<InstanceSuspended>("instance-suspended", "Cloud.Actors.Domain.Instances.InstanceSuspended, Cloud.Actors.Domain");
        Add<InstanceResumed>("instance-resumed", "Cloud.Actors.Domain.Instances.InstanceResumed, Cloud.Actors.Domain");
        Add<InstanceRebuildStarted>("instance-rebuild-started", "Cloud.Actors.Domain.Instances.InstanceRebuildStarted, Cloud.Actors.Domain");
        Add<InstanceRebuilt>("instance-rebuilt", "Cloud.Actors.Domain.Instances.InstanceRebuilt, Cloud.Actors.Domain");
        Add<PowerStateSynced>("instance-power-state-synced", "Cloud.Actors.Domain.Instances.PowerStateSynced, Cloud.Actors.Domain");
        Add<TaskReverted>("instance-task-reverted", "Cloud.Actors.Domain.Instances.TaskReverted, Cloud.Actors.Domain");
        Add<InstanceFailed>("instance-failed", "Cloud.Actors.Domain.Instances.InstanceFailed, Cloud.Actors.Domain");
        Add<InstanceRescheduled>("instance-rescheduled", "Cloud.Actors.Domain.Instances.InstanceRescheduled, Cloud.Actors.Domain");
        Add<InstanceDeleted>("instance-deleted", "Cloud.Actors.Domain.Instances.InstanceDeleted, Cloud.Actors.Domain");
        Add<ConsoleLoginPromptSeen>("instance-login-prompt-seen", "Cloud.Actors.Domain.Instances.ConsoleLoginPromptSeen, Cloud.Actors.Domain");
        Add<InstanceRenamed>("instance-renamed", "Cloud.Actors.Domain.Instances.InstanceRenamed, Cloud.Actors.Domain");
        Add<InstanceAttributesChanged>("instance-attributes-changed");
        Add<InstanceState>("instance-state", "Cloud.Actors.Domain.Instances.InstanceState, Cloud.Actors.Domain");

        // compute-<host>: the compute actor's events and its snapshot.
        Add<InstanceAssigned>("compute-instance-assigned", "Cloud.Actors.Domain.Hosts.InstanceAssigned, Cloud.Actors.Domain");
        Add<InstanceLeft>("compute-instance-left", "Cloud.Actors.Domain.Hosts.InstanceLeft, Cloud.Actors.Domain");
        Add<ComputeServiceStatusChanged>("compute-service-status-changed", "Cloud.Actors.Domain.Hosts.ComputeServiceStatusChanged, Cloud.Actors.Domain");
        Add<ComputeSnapshot>("compute-snapshot", "Cloud.Actors.Domain.Hosts.ComputeSnapshot, Cloud.Actors.Domain");

        // Messages/CatalogProtocol.cs
        Add<GetCatalog>("msg-get-catalog");
        Add<CatalogView>("msg-catalog-view");
        Add<AddKeyPair>("msg-add-key-pair");
        Add<DeleteKeyPair>("msg-delete-key-pair");
        Add<RegisterImage>("msg-register-image");
        Add<CreateImage>("msg-create-image");
        Add<UpdateImage>("msg-update-image");
        Add<DeleteImage>("msg-delete-image");
        Add<CreateNetwork>("msg-create-network");
        Add<CatalogChanged>("msg-catalog-changed");
        Add<CatalogRejected>("msg-catalog-rejected");

        // Messages/ComputeProtocol.cs
        Add<BuildInstance>("msg-build-instance");
        Add<BuildAccepted>("msg-build-accepted");
        Add<InstanceCommand>("msg-instance-command");
        Add<ActionAccepted>("msg-action-accepted");
        Add<ActionRejected>("msg-action-rejected");
        Add<RenameInstance>("msg-rename-instance");
        Add<ChangeInstanceAttributes>("msg-change-instance-attributes");
        Add<RebuildInstance>("msg-rebuild-instance");
        Add<GetInstanceActions>("msg-get-instance-actions");
        Add<InstanceActionList>("msg-instance-action-list");
        Add<GetConsoleOutput>("msg-get-console-output");
        Add<ConsoleOutput>("msg-console-output");
        Add<FollowConsole>("msg-follow-console");
        Add<ConsoleChunk>("msg-console-chunk");
        Add<ConsoleFollowEnded>("msg-console-follow-ended");
        Add<GetHostStatus>("msg-get-host-status");
        Add<HostStatus>("msg-host-status");

        // Messages/DirectoryProtocol.cs
        Add<BootRequest>("msg-boot-request");
        Add<BootAccepted>("msg-boot-accepted");
        Add<BootRejected>("msg-boot-rejected");
        Add<FindInstance>("msg-find-instance");
        Add<InstanceFound>("msg-instance-found");
        Add<InstanceNotFound>("msg-instance-not-found");
        Add<ListInstances>("msg-list-instances");
        Add<InstanceList>("msg-instance-list");
        Add<InstanceActionRequest>("msg-instance-action-request");
        Add<RenameInstanceRequest>("msg-rename-instance-request");
        Add<ChangeInstanceAttributesRequest>("msg-change-instance-attributes-request");
        Add<RebuildInstanceRequest>("msg-rebuild-instance-request");
        Add<InstanceActionsRequest>("msg-instance-actions-request");
        Add<ConsoleOutputRequest>("msg-console-output-request");
        Add<ComputeAvailable>("msg-compute-available");
        Add<InstanceChanged>("msg-instance-changed");
        Add<RescheduleBuild>("msg-reschedule-build");
        Add<ReportInstances>("msg-report-instances");
        Add<HostInstances>("msg-host-instances");
        Add<PublishInstance>("msg-publish-instance");

        // Messages/ImageProtocol.cs
        Add<FetchImage>("msg-fetch-image");
        Add<ImageOffer>("msg-image-offer");
        Add<ImageFetchRejected>("msg-image-fetch-rejected");
        Add<FetchStoredImage>("msg-fetch-stored-image");
        Add<StoredImageOffer>("msg-stored-image-offer");
        Add<PullImage>("msg-pull-image");
        Add<ImagePulled>("msg-image-pulled");

        // Messages/SchedulerProtocol.cs
        Add<RegisterHost>("msg-register-host");
        Add<SelectDestination>("msg-select-destination");
        Add<DestinationSelected>("msg-destination-selected");
        Add<NoValidHost>("msg-no-valid-host");
        Add<ReleaseClaim>("msg-release-claim");
        Add<SetHostEnabled>("msg-set-host-enabled");
        Add<ChangeServiceStatus>("msg-change-service-status");
        Add<ServiceStatusChanged>("msg-service-status-changed");
        Add<GetHosts>("msg-get-hosts");
        Add<HostView>("msg-host-view");
        Add<HostsReport>("msg-hosts-report");
        Add<RegisterNow>("msg-register-now");

        // the network service
        Add<CreateNetworkRequest>("msg-net-create-network");
        Add<DeleteNetworkRequest>("msg-net-delete-network");
        Add<CreateSubnetRequest>("msg-net-create-subnet");
        Add<DeleteSubnetRequest>("msg-net-delete-subnet");
        Add<CreatePortRequest>("msg-net-create-port");
        Add<BindPortRequest>("msg-net-bind-port");
        Add<DeletePortRequest>("msg-net-delete-port");
        Add<ReleaseDevicePorts>("msg-net-release-device-ports");
        Add<ListNetworks>("msg-net-list-networks");
        Add<NetworksAnswer>("msg-net-networks");
        Add<ListPorts>("msg-net-list-ports");
        Add<PortsAnswer>("msg-net-ports");
        Add<NetworkAnswer>("msg-net-network");
        Add<SubnetAnswer>("msg-net-subnet");
        Add<PortAnswer>("msg-net-port");
        Add<NetworkingDone>("msg-net-done");
        Add<NetworkingRejected>("msg-net-rejected");
        Add<AdoptInstancePorts>("msg-net-adopt-instance-ports");
    }
}
