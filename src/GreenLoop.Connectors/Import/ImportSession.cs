using System.Text.Json;
using GreenLoop.Storage.Catalog;

namespace GreenLoop.Connectors.Import;

/// <summary>Where an uploaded file stands.</summary>
public enum ImportState
{
    /// <summary>Uploaded; can be previewed, validated and committed.</summary>
    Uploaded,
    /// <summary>The import runs in the background; see the progress.</summary>
    Committing,
    /// <summary>Imported (some values may have been rejected: see the summary); the uploaded file is deleted.</summary>
    Committed,
    /// <summary>The import stopped with an error; what was stored before stays. The file is kept, so it can be committed again.</summary>
    Failed,
}

/// <summary>A moment's view of an upload: what it is, where it stands, and the import's outcome once there is one.</summary>
public sealed record ImportStatus
{
    public required string Id { get; init; }
    public required string FileName { get; init; }
    public long SizeBytes { get; init; }
    /// <summary><c>csv</c> or <c>xlsx</c>.</summary>
    public required string Kind { get; init; }
    public ImportState State { get; init; }
    public DateTimeOffset UploadedAt { get; init; }
    public required string UploadedBy { get; init; }
    /// <summary>Data rows imported so far (committing), of <see cref="RowsTotal"/> (null until counted).</summary>
    public long RowsDone { get; init; }
    public long? RowsTotal { get; init; }
    public string? CommittedBy { get; init; }
    public DateTimeOffset? CommitStartedAt { get; init; }
    public DateTimeOffset? CommitFinishedAt { get; init; }
    /// <summary>The import's outcome (committed or failed).</summary>
    public ImportResult? Result { get; init; }
    /// <summary>Why the import stopped (failed), or null.</summary>
    public string? Error { get; init; }
}

/// <summary>
/// One uploaded file held in the data directory until it is committed or expires. State changes happen under a lock;
/// at most one piece of work (a validation or the commit) runs at a time.
/// </summary>
public sealed class ImportSession
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _work = new(1, 1);
    private ImportState _state = ImportState.Uploaded;
    private long _rowsDone;
    private long? _rowsTotal;
    private string? _committedBy;
    private DateTimeOffset? _commitStarted;
    private DateTimeOffset? _commitFinished;
    private ImportResult? _result;
    private string? _error;
    private DateTimeOffset _lastTouched;

    internal ImportSession(string id, long tenantId, string fileName, string path, long size, DateTimeOffset uploadedAt, string uploadedBy)
    {
        Id = id;
        TenantId = tenantId;
        FileName = fileName;
        FilePath = path;
        SizeBytes = size;
        UploadedAt = uploadedAt;
        UploadedBy = uploadedBy;
        _lastTouched = uploadedAt;
    }

    public string Id { get; }

    public long TenantId { get; }

    /// <summary>The name the file was uploaded with (no folders).</summary>
    public string FileName { get; }

    /// <summary>The upload's copy in the data directory.</summary>
    internal string FilePath { get; }

    public long SizeBytes { get; }

    public DateTimeOffset UploadedAt { get; }

    public string UploadedBy { get; }

    public string Kind => FileImporter.IsWorkbook(FilePath) ? "xlsx" : "csv";

    /// <summary>Last time someone looked at or worked on the upload; it expires that long after.</summary>
    internal DateTimeOffset LastTouched
    {
        get
        {
            lock (_gate) return _lastTouched;
        }
    }

    internal bool IsBusy => _work.CurrentCount == 0;

    public ImportState State
    {
        get
        {
            lock (_gate) return _state;
        }
    }

    public ImportStatus Snapshot()
    {
        lock (_gate)
        {
            return new ImportStatus
            {
                Id = Id,
                FileName = FileName,
                SizeBytes = SizeBytes,
                Kind = Kind,
                State = _state,
                UploadedAt = UploadedAt,
                UploadedBy = UploadedBy,
                RowsDone = _rowsDone,
                RowsTotal = _rowsTotal,
                CommittedBy = _committedBy,
                CommitStartedAt = _commitStarted,
                CommitFinishedAt = _commitFinished,
                Result = _result,
                Error = _error,
            };
        }
    }

    internal void Touch(DateTimeOffset now)
    {
        lock (_gate) _lastTouched = now;
    }

    /// <summary>Takes the session for a piece of work; false when another is running.</summary>
    internal bool TryBeginWork() => _work.Wait(0);

    internal void EndWork() => _work.Release();

    internal void CommitStarted(string by, DateTimeOffset at)
    {
        lock (_gate)
        {
            _state = ImportState.Committing;
            _committedBy = by;
            _commitStarted = at;
            _commitFinished = null;
            _rowsDone = 0;
            _rowsTotal = null;
            _result = null;
            _error = null;
        }
    }

    internal void Counted(long total)
    {
        lock (_gate) _rowsTotal = total;
    }

    internal void Progressed(long rows)
    {
        lock (_gate) _rowsDone += rows;
    }

    internal void CommitFinished(ImportResult? result, string? error, DateTimeOffset at)
    {
        lock (_gate)
        {
            _state = error is null ? ImportState.Committed : ImportState.Failed;
            _result = result;
            _error = error;
            _commitFinished = at;
            _lastTouched = at;
        }
    }

    /// <summary>The session as the catalogue keeps it (the outcome as JSON).</summary>
    internal ImportSessionRecord ToRecord()
    {
        lock (_gate)
        {
            return new ImportSessionRecord
            {
                Id = Id,
                TenantId = TenantId,
                FileName = FileName,
                FilePath = FilePath,
                SizeBytes = SizeBytes,
                UploadedAt = UploadedAt.ToUnixTimeMilliseconds(),
                UploadedBy = UploadedBy,
                LastTouchedAt = _lastTouched.ToUnixTimeMilliseconds(),
                State = _state.ToString(),
                RowsDone = _rowsDone,
                RowsTotal = _rowsTotal,
                CommittedBy = _committedBy,
                CommitStartedAt = _commitStarted?.ToUnixTimeMilliseconds(),
                CommitFinishedAt = _commitFinished?.ToUnixTimeMilliseconds(),
                Error = _error,
                Result = _result is null ? null : JsonSerializer.Serialize(_result, ResultJson),
            };
        }
    }

    /// <summary>A session from the catalogue, as it was when last saved.</summary>
    internal static ImportSession FromRecord(ImportSessionRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var session = new ImportSession(r.Id, r.TenantId, r.FileName, r.FilePath, r.SizeBytes, DateTimeOffset.FromUnixTimeMilliseconds(r.UploadedAt), r.UploadedBy)
        {
            _lastTouched = DateTimeOffset.FromUnixTimeMilliseconds(r.LastTouchedAt),
            _state = Enum.Parse<ImportState>(r.State),
            _rowsDone = r.RowsDone,
            _rowsTotal = r.RowsTotal,
            _committedBy = r.CommittedBy,
            _commitStarted = r.CommitStartedAt is { } s ? DateTimeOffset.FromUnixTimeMilliseconds(s) : null,
            _commitFinished = r.CommitFinishedAt is { } f ? DateTimeOffset.FromUnixTimeMilliseconds(f) : null,
            _error = r.Error,
            _result = r.Result is null ? null : JsonSerializer.Deserialize<ImportResult>(r.Result, ResultJson),
        };
        return session;
    }

    private static readonly JsonSerializerOptions ResultJson = new(JsonSerializerDefaults.Web);
}
