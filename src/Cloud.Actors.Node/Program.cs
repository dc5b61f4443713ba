using Cloud.Actors.Node;
using Microsoft.Extensions.Hosting;

// One process = one cluster node; its roles (controller, compute) come from hocon/ and CLOUD_ACTORS_* variables.
var hoconDir = Environment.GetEnvironmentVariable("CLOUD_ACTORS_HOCON_DIR") ?? Path.Combine(AppContext.BaseDirectory, "hocon");
var settings = NodeSettings.Load(hoconDir);

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddCloudActors(settings);
builder.Services.AddCloudActorsShell(settings);
builder.Services.AddCloudActorsRest(settings);
await builder.Build().RunAsync();
