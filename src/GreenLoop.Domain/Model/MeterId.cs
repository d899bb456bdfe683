namespace GreenLoop.Domain.Model;

/// <summary>
/// The stored id of a meter. A type of its own at the storage seams so that a meter id cannot be swapped with a tenant
/// id, a site id or an instant, all of which are 64-bit numbers too.
/// </summary>
public readonly record struct MeterId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
