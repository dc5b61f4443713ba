using Akka.Configuration;
using Xunit.Abstractions;

namespace Cloud.Actors.Compute.Tests;

/// <summary>A TestKit with an in-memory journal and snapshot store.</summary>
public abstract class CloudSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output: output)
{
    public static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.loglevel = INFO
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);
}
