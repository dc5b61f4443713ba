using Akka.Cluster;
using Akka.Discovery.Config.Hosting;
using Akka.Hosting;
using Akka.Management.Dsl;
using Akka.Management.Cluster.Bootstrap;

namespace Cloud.Actors.Node;

/// <summary>How a node joins its cluster (<see cref="ClusterFormation"/>).</summary>
public static class ClusterFormationHosting
{
    /// <summary>The service name under which config discovery lists the contact points.</summary>
    private const string ServiceName = "cloud-actors";

    public static AkkaConfigurationBuilder WithClusterFormation(this AkkaConfigurationBuilder akka, NodeSettings settings, ClusterFormation formation) =>
        formation switch
        {
            ClusterFormation.Bootstrap => akka.WithBootstrap(settings),
            ClusterFormation.JoinSelf => akka.WithActors((system, _) => Cluster.Get(system).Join(Cluster.Get(system).SelfAddress)),
            _ => akka,
        };

    /// <summary>
    /// Akka.Management's cluster bootstrap over config discovery (the contact points of the settings). A node that
    /// finds any contact point in a cluster joins that cluster. A new one is formed only when every contact point
    /// answered that it is in none (contact-with-all-contact-points), and then only by the lowest address: a node
    /// restarted while the others run can never start a second cluster beside theirs, as a node listed as its own
    /// seed does (Akka's first seed joins itself when the others do not answer within seed-node-timeout).
    /// </summary>
    /// <remarks>
    /// The contact point route is served by the node's <see cref="ManagementEndpoint"/> (ASP.NET Core), not by
    /// Akka.Management's HTTP server, which cannot start with the Ceen.Httpd served here; so the bootstrap is started
    /// by hand, after being told the endpoint's address as Akka.Management's route provider would tell it.
    /// </remarks>
    private static AkkaConfigurationBuilder WithBootstrap(this AkkaConfigurationBuilder akka, NodeSettings settings)
    {
        akka.WithConfigDiscovery(discovery => discovery.Services.Add(new Service { Name = ServiceName, Endpoints = [.. settings.ContactPoints] }));
        akka.WithClusterBootstrap(bootstrap =>
        {
            bootstrap.ContactPointDiscovery.ServiceName = ServiceName;
            bootstrap.ContactPointDiscovery.DiscoveryMethod = "config";
            bootstrap.ContactPointDiscovery.RequiredContactPointsNr = settings.ContactPoints.Count;
            bootstrap.ContactPointDiscovery.ContactWithAllContactPoints = true;
            // Config discovery never changes its answer: no need to wait long for it to settle.
            bootstrap.ContactPointDiscovery.StableMargin = TimeSpan.FromSeconds(2);
            bootstrap.ContactPointDiscovery.Interval = TimeSpan.FromSeconds(1);
            // Every node of one machine has a management port of its own: keep contact points on any port.
            bootstrap.ContactPoint.FilterOnFallbackPort = false;
            bootstrap.ContactPoint.ProbeInterval = TimeSpan.FromSeconds(1);
        }, autoStart: false);
        akka.AddStartup(async (system, _) =>
        {
            // A node started again at once after a crash joins only once its old incarnation is out of the cluster.
            var log = Akka.Event.Logging.GetLogger(system, typeof(PreviousIncarnation));
            await PreviousIncarnation.WaitUntilGoneAsync(settings, Cluster.Get(system).SelfAddress.ToString(), log);
            var bootstrap = ClusterBootstrap.Get(system);
            bootstrap.Routes(ManagementRouteProviderSettings.Create(ManagementEndpoint.UriOf(settings), readOnly: true));
            await bootstrap.Start();
        });
        return akka;
    }
}
