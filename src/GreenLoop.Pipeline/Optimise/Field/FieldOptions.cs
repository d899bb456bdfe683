namespace GreenLoop.Pipeline.Optimise.Field;

/// <summary>Field work settings (<c>GreenLoop:Field</c>).</summary>
public sealed class FieldOptions
{
    public const string Section = "GreenLoop:Field";

    /// <summary>
    /// Keep the photos' metadata (EXIF and XMP in JPEG, text chunks in PNG, which can carry the GPS position) and the
    /// location a phone sends with a submission. Default false: removed before anything is stored.
    /// </summary>
    public bool KeepPhotoLocation { get; set; }

    /// <summary>Seconds between two passes of the field watcher (alarm-born work orders, overdue reminders). Default 30.</summary>
    public int CheckSeconds { get; set; } = 30;

    /// <summary>Service time of a work order by priority, days: its due date is the day it is opened plus these.</summary>
    public int UrgentDays { get; set; } = 1;
    public int HighDays { get; set; } = 3;
    public int MediumDays { get; set; } = 7;
    public int LowDays { get; set; } = 14;
}
