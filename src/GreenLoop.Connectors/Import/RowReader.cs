namespace GreenLoop.Connectors.Import;

/// <summary>
/// A source of rows of fields: a CSV text or the first sheet of an .xlsx workbook. The current row is valid until the
/// next <see cref="ReadAsync"/>; field accessors return trimmed text.
/// </summary>
internal abstract class RowReader : IDisposable
{
    /// <summary>1-based line (Excel: row) number of the current row.</summary>
    public int Row { get; protected set; }

    public abstract int FieldCount { get; }

    /// <summary>The row holds nothing but white space.</summary>
    public abstract bool IsBlank { get; }

    /// <summary>The row as text, for issue reports.</summary>
    public abstract string RawLine { get; }

    /// <summary>Why the row could not be split into fields (e.g. an unterminated quote), or null.</summary>
    public virtual string? RowError => null;

    public abstract long BytesRead { get; }

    public abstract long? TotalBytes { get; }

    public abstract ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The field's text without surrounding white space (and without quotes in CSV).</summary>
    public abstract ReadOnlySpan<char> Text(int field);

    /// <summary>A typed numeric cell (Excel); false for text.</summary>
    public virtual bool TryGetNumber(int field, out double value)
    {
        value = 0;
        return false;
    }

    /// <summary>A typed date cell (Excel), as the wall-clock time it shows; false for text.</summary>
    public virtual bool TryGetDateTime(int field, out DateTime value)
    {
        value = default;
        return false;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>Counts the bytes read through it, for progress. Seeks are passed through (the Excel reader seeks).</summary>
internal sealed class CountingStream(Stream inner, bool leaveOpen) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen) inner.Dispose();
        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        BytesRead += read;
        return read;
    }
}
