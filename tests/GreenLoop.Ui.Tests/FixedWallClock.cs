namespace GreenLoop.Ui.Tests;

/// <summary>
/// A clock whose wall time stands still at one instant while its timers, delays and timestamps run in real time.
/// The pages' figures ("today", completeness so far) follow the wall time and so stay the same for a whole run, and the
/// server's background work (the derivation worker's pauses, the demo's periodic timer) still moves on; a
/// FakeTimeProvider would hold those timers forever.
/// </summary>
public sealed class FixedWallClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
