using GreenLoop.Server;

var app = GreenLoopServer.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls) Console.WriteLine($"GreenLoop is running at {url}  (Ctrl+C to stop)");
    Console.WriteLine($"Data: {GreenLoopServer.DataLocation(app)}");
});
await app.RunAsync();

/// <summary>Entry point, also the anchor for WebApplicationFactory in tests.</summary>
public partial class Program;
