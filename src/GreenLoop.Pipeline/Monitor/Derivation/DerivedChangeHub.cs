using GreenLoop.Domain.Time;
using GreenLoop.Storage;

namespace GreenLoop.Pipeline.Monitor.Derivation;

/// <summary>What one committed derivation pass rewrote of one meter: its span [From, To), the meter with its tenant, site
/// and time zone resolved once for every subscriber.</summary>
public sealed record DerivedMeterChange(MeterRef Meter, Instant From, Instant To);

/// <summary>Something that follows derived data: the alarm evaluator's queue, the live pages, later KPIs.</summary>
public interface IDerivedChangeSubscriber
{
    /// <summary>Called after each commit, on the derivation worker: take the changes and return quickly (queue work
    /// for your own worker); never throw for your own trouble.</summary>
    ValueTask OnDerivedAsync(IReadOnlyList<DerivedMeterChange> changes, CancellationToken ct);
}

/// <summary>
/// Carries what each derivation commit changed to every subscriber registered for it, so derivation knows none of
/// its consumers. Subscribers are registered as <see cref="IDerivedChangeSubscriber"/> services.
/// </summary>
public sealed class DerivedChangeHub(IEnumerable<IDerivedChangeSubscriber> subscribers)
{
    private readonly IDerivedChangeSubscriber[] _subscribers = [.. subscribers];

    /// <summary>A hub nobody listens to (command-line tools, tests of derivation alone).</summary>
    public static DerivedChangeHub None { get; } = new([]);

    public async ValueTask PublishAsync(IReadOnlyList<DerivedMeterChange> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0) return;
        foreach (var s in _subscribers) await s.OnDerivedAsync(changes, ct);
    }
}
