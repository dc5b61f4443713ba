using System.Security.Cryptography;
using Akka.Configuration;
using Xunit.Abstractions;

namespace Cloud.Actors.Controller.Tests;

/// <summary>A TestKit with an in-memory journal, and a scratch directory removed afterwards.</summary>
public abstract class ControllerSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output: output)
{
    public static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.loglevel = INFO
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """);

    /// <summary>For actors that follow the cluster's membership (the directory): a cluster provider on a free port.</summary>
    public static readonly Config ClusterNode = ConfigurationFactory.ParseString("""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp.hostname = 127.0.0.1
        akka.remote.dot-netty.tcp.port = 0
        """);

    protected string Scratch { get; } = System.IO.Directory.CreateTempSubdirectory("cloud-actors-controller-").FullName;

    protected string ScratchFile(string name) => Path.Combine(Scratch, name);

    protected static byte[] RandomBytes(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) System.IO.Directory.Delete(Scratch, recursive: true);
    }
}
