using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using GreenLoop.Pipeline.Meter.Ingest;
using GreenLoop.Storage;
using GreenLoop.Storage.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GreenLoop.Connectors.Import;

/// <summary>Where uploads are kept and for how long.</summary>
public sealed record ImportSessionOptions
{
    /// <summary>Folder of the uploaded files (one sub-folder per upload), e.g. <c>data/imports</c>. Emptied when the first upload of a run arrives.</summary>
    public required string Directory { get; init; }

    /// <summary>Largest upload accepted, in bytes. Default 50 MB.</summary>
    public long MaxUploadBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>An upload nobody looked at for this long is deleted. Default 24 hours.</summary>
    public TimeSpan Expiry { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Data rows in a preview. Default 20.</summary>
    public int PreviewRows { get; init; } = 20;

    /// <summary>Rows per chunk, and readings per ingest call, of a commit (small enough for smooth progress). Default 1000.</summary>
    public int BatchSize { get; init; } = 1000;
}

/// <summary>Why an upload was refused.</summary>
public enum UploadProblem
{
    None,
    /// <summary>Not .csv, .txt, .tsv or .xlsx.</summary>
    UnsupportedType,
    /// <summary>Larger than <see cref="ImportSessionOptions.MaxUploadBytes"/>.</summary>
    TooLarge,
    /// <summary>The file cannot be read as configured (not a workbook, no header line).</summary>
    Unreadable,
}

/// <summary>The new upload and its preview, or why there is none.</summary>
public sealed record UploadOutcome(ImportSession? Session, FilePreviewResult? Preview, UploadProblem Problem, string? Reason);

/// <summary>What asking for a commit did.</summary>
public enum CommitStart
{
    /// <summary>The import runs in the background.</summary>
    Started,
    /// <summary>A validation or a commit of this upload is running.</summary>
    Busy,
    /// <summary>The file was imported already (and deleted).</summary>
    AlreadyCommitted,
}

/// <summary>
/// File import for the web UI: uploads kept in the data directory, previews, dry runs, and commits that run in the
/// background with progress. A commit is the CLI's import (the same <see cref="FileImporter"/>, <see cref="ImportRunner"/>
/// and <see cref="IngestService"/>), so values are accepted, rejected, repaired and quarantined exactly as
/// <c>greenloop import</c> does; in addition the rows the parser could not read are quarantined with their row number
/// and raw line. Each upload is a catalogue record (<see cref="ImportSessionRecord"/>) beside its folder, so a restart
/// keeps uploads and the outcome of finished imports (<see cref="RestoreAsync"/>); an import that a restart broke off
/// is marked failed with what to do.
/// </summary>
public sealed partial class ImportSessions(
    ImportSessionOptions options, IngestService ingest, ImportDryRun dryRun, IReadingStore store, ICatalogDb catalog, TimeProvider clock,
    ILogger<ImportSessions> logger) : IAsyncDisposable
{
    private const int MaxRawLine = 1000;
    private readonly ConcurrentDictionary<string, ImportSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _commits = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _rootGate = new();
    private readonly ConcurrentDictionary<UploadProblem, bool> _refusalsLogged = new();
    private readonly ConcurrentQueue<ImportSession> _expired = new();
    private bool _rootReady;

    public ImportSessionOptions Options => options;

    /// <summary>Stores an uploaded file and reads its preview (default settings: header on line 1, delimiter detected).</summary>
    public async Task<UploadOutcome> UploadAsync(long tenantId, string? fileName, Stream content, string uploadedBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(uploadedBy);
        Sweep();
        await ForgetExpiredAsync(ct).ConfigureAwait(false);
        var name = Path.GetFileName(fileName ?? "").Trim();
        if (name.Length == 0 || !FileImporter.IsSupported(name))
        {
            var reason = $"Cannot import '{name}': only .csv, .txt, .tsv and .xlsx files are supported (save .xls files as .xlsx or CSV).";
            Refused(UploadProblem.UnsupportedType, reason);
            return new UploadOutcome(null, null, UploadProblem.UnsupportedType, reason);
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var folder = Path.Combine(Root(), id);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "upload" + Path.GetExtension(name).ToLowerInvariant());
        long? size;
        try
        {
            size = await CopyAsync(content, path, ct).ConfigureAwait(false);
        }
        catch
        {
            // The upload broke off (the client went away, the server's body limit struck first): keep nothing of it.
            DeleteFolder(folder);
            throw;
        }

        if (size is null)
        {
            DeleteFolder(folder);
            var reason = $"'{name}' is larger than the {FormatMegabytes(options.MaxUploadBytes)} allowed for an upload; split the file, or import it with the command line (greenloop import).";
            Refused(UploadProblem.TooLarge, reason);
            return new UploadOutcome(null, null, UploadProblem.TooLarge, reason);
        }

        FilePreviewResult preview;
        try
        {
            preview = await FilePreview.ReadAsync(path, new PreviewSettings(), options.PreviewRows, countAll: false, ct).ConfigureAwait(false);
        }
        catch (ImportFormatException e)
        {
            DeleteFolder(folder);
            Refused(UploadProblem.Unreadable, e.Message);
            return new UploadOutcome(null, null, UploadProblem.Unreadable, e.Message);
        }

        var session = new ImportSession(id, tenantId, name, path, size.Value, clock.GetUtcNow(), uploadedBy);
        await SaveAsync(session, ct).ConfigureAwait(false);
        _sessions[id] = session;
        LogUploaded(id, name, size.Value, uploadedBy);
        return new UploadOutcome(session, preview, UploadProblem.None, null);
    }

    /// <summary>The tenant's upload with this id, or null (unknown, another tenant's, or expired).</summary>
    public ImportSession? Find(long tenantId, string id)
    {
        Sweep();
        if (!_sessions.TryGetValue(id, out var session) || session.TenantId != tenantId) return null;
        session.Touch(clock.GetUtcNow());
        return session;
    }

    /// <summary>The head of the file with these settings. Null when the file is gone (committed).</summary>
    /// <exception cref="ImportFormatException">The file cannot be read with these settings.</exception>
    public async Task<FilePreviewResult?> PreviewAsync(ImportSession session, PreviewSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!File.Exists(session.FilePath)) return null;
        return await FilePreview.ReadAsync(session.FilePath, settings, options.PreviewRows, countAll: false, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A dry run: the file read with <paramref name="importOptions"/> and every value checked as the ingest would check
    /// it, against the readings stored now; nothing is written. Null when a validation or the commit is running, or the
    /// file is gone.
    /// </summary>
    public async Task<ImportResult?> ValidateAsync(ImportSession session, ImportOptions importOptions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(importOptions);
        if (!session.TryBeginWork()) return null;
        try
        {
            if (session.State is ImportState.Committing or ImportState.Committed || !File.Exists(session.FilePath)) return null;
            var runner = new ImportRunner((batch, token) => dryRun.CheckAsync(session.TenantId, batch, token), clock) { BatchSize = options.BatchSize };
            return await runner.RunFileAsync(session.FilePath, importOptions, null, ct).ConfigureAwait(false);
        }
        finally
        {
            session.EndWork();
        }
    }

    /// <summary>Starts the import in the background; progress and outcome are in <see cref="ImportSession.Snapshot"/>.</summary>
    public CommitStart Commit(ImportSession session, ImportOptions importOptions, string by)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(importOptions);
        if (!session.TryBeginWork()) return CommitStart.Busy;
        if (session.State == ImportState.Committed)
        {
            session.EndWork();
            return CommitStart.AlreadyCommitted;
        }

        session.CommitStarted(by, clock.GetUtcNow());
        var run = Task.Run(() => RunCommitAsync(session, importOptions, by, _stopping.Token));
        _commits[session.Id] = run;
        return CommitStart.Started;
    }

    /// <summary>Waits for a running commit of this upload (tests, shutdown); returns at once when none runs.</summary>
    public Task WhenCommittedAsync(string id) => _commits.TryGetValue(id, out var run) ? run : Task.CompletedTask;

    /// <summary>Deletes an upload that is not being imported; false when it is busy.</summary>
    public async Task<bool> DiscardAsync(ImportSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.TryBeginWork()) return false;
        try
        {
            _sessions.TryRemove(session.Id, out _);
            await ForgetAsync(session, ct).ConfigureAwait(false);
            DeleteFolder(Path.GetDirectoryName(session.FilePath)!);
            return true;
        }
        finally
        {
            session.EndWork();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_commits.Values).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The commit recorded why it stopped.
        }

        _stopping.Dispose();
    }

    private async Task RunCommitAsync(ImportSession session, ImportOptions importOptions, string by, CancellationToken ct)
    {
        try
        {
            await SaveAsync(session, ct).ConfigureAwait(false);
            if (!File.Exists(session.FilePath))
            {
                session.CommitFinished(null, "The uploaded file is gone; upload it again.", clock.GetUtcNow());
                return;
            }

            session.Counted(await FilePreview.CountRowsAsync(session.FilePath, PreviewSettings.Of(importOptions), ct).ConfigureAwait(false));
            var source = "import:" + session.FileName;
            var runner = new ImportRunner((batch, token) => ingest.IngestAsync(session.TenantId, new IngestRequest(batch, source), token), clock)
            {
                BatchSize = options.BatchSize,
            };
            var importer = new FileImporter(importOptions, clock) { ChunkSize = options.BatchSize };
            var result = await runner.RunAsync(TrackAsync(importer.ReadFileAsync(session.FilePath, null, ct), session, source, ct), ct).ConfigureAwait(false);
            session.CommitFinished(result, result.Error, clock.GetUtcNow());
            if (result.Error is null)
            {
                DeleteFolder(Path.GetDirectoryName(session.FilePath)!);
                var s = result.Summary;
                LogCommitted(session.Id, session.FileName, by, s.Accepted, s.Rejected, s.Values, s.Elapsed.TotalSeconds);
            }
            else
            {
                LogCommitStopped(session.Id, session.FileName, result.Error);
            }
        }
        catch (ImportFormatException e)
        {
            session.CommitFinished(null, e.Message, clock.GetUtcNow());
            LogCommitStopped(session.Id, session.FileName, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            session.CommitFinished(null, Interrupted, clock.GetUtcNow());
        }
        catch (Exception e)
        {
            // Not the file's fault (the store failed): keep the file so the same commit can be tried again.
            session.CommitFinished(null, $"The import stopped: {e.Message}", clock.GetUtcNow());
            LogCommitFailed(e, session.Id, session.FileName);
        }
        finally
        {
            // The outcome is kept even when the server is stopping: a restart shows it.
            try
            {
                await SaveAsync(session, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogSaveFailed(e, session.Id);
            }

            session.EndWork();
            _commits.TryRemove(session.Id, out _);
        }
    }

    /// <summary>
    /// Brings back the uploads the catalogue holds (the server calls this once at start, after the migrations): an upload
    /// whose file is still there can be validated and committed again, a finished import shows its outcome, an import a
    /// restart broke off is marked failed; folders no upload record names are deleted.
    /// </summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        List<ImportSessionRecord> records;
        await using (var db = catalog.Open(0))
        {
            records = await db.ImportSessions.IgnoreQueryFilters().AsNoTracking().ToListAsync(ct).ConfigureAwait(false);
        }

        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var session = ImportSession.FromRecord(record);
            if (session.State == ImportState.Uploaded && !File.Exists(session.FilePath))
            {
                await ForgetAsync(session, ct).ConfigureAwait(false);
                continue;
            }

            if (session.State == ImportState.Committing)
            {
                session.CommitFinished(null, Interrupted, clock.GetUtcNow());
                await SaveAsync(session, ct).ConfigureAwait(false);
            }

            _sessions[session.Id] = session;
            keep.Add(session.Id);
        }

        lock (_rootGate)
        {
            if (Directory.Exists(options.Directory))
            {
                foreach (var folder in Directory.EnumerateDirectories(options.Directory))
                {
                    if (!keep.Contains(Path.GetFileName(folder))) DeleteFolder(folder);
                }
            }

            Directory.CreateDirectory(options.Directory);
            _rootReady = true;
        }

        Sweep();
        await ForgetExpiredAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes the records of uploads that expired (the sweep runs where nothing can be awaited).</summary>
    private async Task ForgetExpiredAsync(CancellationToken ct)
    {
        while (_expired.TryDequeue(out var session)) await ForgetAsync(session, ct).ConfigureAwait(false);
    }

    private const string Interrupted =
        "The server shut down during the import; what was stored stays. Upload the file again to finish (stored rows count as already stored).";

    private Task SaveAsync(ImportSession session, CancellationToken ct) =>
        catalog.WriteAsync(session.TenantId, async db =>
        {
            var record = session.ToRecord();
            var stored = await db.ImportSessions.FirstOrDefaultAsync(r => r.Id == record.Id, ct).ConfigureAwait(false);
            if (stored is null) db.ImportSessions.Add(record);
            else db.Entry(stored).CurrentValues.SetValues(record);
            return await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }, ct);

    private Task ForgetAsync(ImportSession session, CancellationToken ct) =>
        catalog.WriteAsync(session.TenantId, db => db.ImportSessions.Where(r => r.Id == session.Id).ExecuteDeleteAsync(ct), ct);

    /// <summary>
    /// Passes the chunks through; when the runner asks for the next one it has ingested the previous one, so that
    /// chunk's rows are done and its unreadable rows are quarantined.
    /// </summary>
    private async IAsyncEnumerable<ImportChunk> TrackAsync(IAsyncEnumerable<ImportChunk> chunks, ImportSession session, string source,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var chunk in chunks.WithCancellation(ct).ConfigureAwait(false))
        {
            yield return chunk;
            if (chunk.Issues.Count > 0) await QuarantineAsync(session.TenantId, source, chunk.Issues, ct).ConfigureAwait(false);
            session.Progressed(chunk.RowsRead);
        }
    }

    private Task QuarantineAsync(long tenantId, string source, IReadOnlyList<ImportIssue> issues, CancellationToken ct)
    {
        var received = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return store.QuarantineAsync([.. issues.Select(i => new QuarantineEntry
        {
            TenantId = tenantId,
            ReceivedAt = received,
            Source = source,
            // The row could not be read into a reading: its raw line is what there is to keep.
            Value = i.RawLine.Length <= MaxRawLine ? i.RawLine : i.RawLine[..MaxRawLine],
            Field = i.Field,
            Reason = $"row {i.Row}: {i.Reason}",
        })], ct);
    }

    private async Task<long?> CopyAsync(Stream content, string path, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            long total = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > options.MaxUploadBytes) return null;
                await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string Root()
    {
        lock (_rootGate)
        {
            if (!_rootReady)
            {
                // Without RestoreAsync (a host that does not keep uploads across runs), uploads of an earlier run are orphans.
                if (Directory.Exists(options.Directory))
                {
                    foreach (var folder in Directory.EnumerateDirectories(options.Directory)) DeleteFolder(folder);
                }

                Directory.CreateDirectory(options.Directory);
                _rootReady = true;
            }
        }

        return options.Directory;
    }

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var session in _sessions.Values)
        {
            if (now - session.LastTouched <= options.Expiry || session.IsBusy) continue;
            if (!_sessions.TryRemove(session.Id, out _)) continue;
            DeleteFolder(Path.GetDirectoryName(session.FilePath)!);
            _expired.Enqueue(session);
            LogExpired(session.Id, session.FileName);
        }
    }

    private void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException e)
        {
            LogDeleteFailed(e, folder);
        }
        catch (UnauthorizedAccessException e)
        {
            LogDeleteFailed(e, folder);
        }
    }

    /// <summary>The person is told every time; the log says it once per kind of refusal (Debug after that).</summary>
    private void Refused(UploadProblem kind, string reason)
    {
        if (_refusalsLogged.TryAdd(kind, true)) LogUploadRefused(kind, reason);
        else LogUploadRefusedAgain(kind, reason);
    }

    private static string FormatMegabytes(long bytes) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB");

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Import {Id} uploaded: {File} ({Bytes} bytes) by {By}")]
    private partial void LogUploaded(string id, string file, long bytes, string by);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Upload refused ({Kind}; later ones of this kind are logged at Debug): {Reason}")]
    private partial void LogUploadRefused(UploadProblem kind, string reason);

    [LoggerMessage(EventId = 9108, Level = LogLevel.Debug, Message = "Upload refused ({Kind}): {Reason}")]
    private partial void LogUploadRefusedAgain(UploadProblem kind, string reason);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Information,
        Message = "Import {Id} of {File} committed by {By}: {Accepted} accepted, {Rejected} rejected of {Values} values in {Seconds:0.0} s")]
    private partial void LogCommitted(string id, string file, string by, long accepted, long rejected, long values, double seconds);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "Import {Id} of {File} stopped: {Error}")]
    private partial void LogCommitStopped(string id, string file, string error);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Error, Message = "Import {Id} of {File} failed")]
    private partial void LogCommitFailed(Exception ex, string id, string file);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Information, Message = "Import {Id} of {File} expired; its upload was deleted")]
    private partial void LogExpired(string id, string file);

    [LoggerMessage(EventId = 9109, Level = LogLevel.Error, Message = "Import {Id}: its record could not be saved")]
    private partial void LogSaveFailed(Exception ex, string id);

    [LoggerMessage(EventId = 9107, Level = LogLevel.Warning, Message = "Could not delete the upload folder {Folder}")]
    private partial void LogDeleteFailed(Exception ex, string folder);
}
