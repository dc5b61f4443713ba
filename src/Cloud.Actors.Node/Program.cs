using Cloud.Actors.Node;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// One process = one cluster node; its roles (controller, compute) come from hocon/ and CLOUD_ACTORS_* variables.
var hoconDir = Environment.GetEnvironmentVariable("CLOUD_ACTORS_HOCON_DIR") ?? Path.Combine(AppContext.BaseDirectory, "hocon");
var settings = NodeSettings.Load(hoconDir);

var builder = Host.CreateApplicationBuilder(args);
// One line per entry, stamped: node.log is read with grep and tail, next to the other nodes' logs.
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.UseUtcTimestamp = true;
    console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
});
// The shell and the REST API are hosted services that start before the actor system's: their ports answer at once
// (/healthcheck says 503 until the node is ready) even while the node waits for its journal or its cluster.
builder.Services.AddCloudActorsShell(settings);
builder.Services.AddCloudActorsRest(settings);
builder.Services.AddCloudActors(settings);
await builder.Build().RunAsync();
