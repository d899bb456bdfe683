using System.Globalization;

using GreenLoop.Connectors.Import;

namespace GreenLoop.Cli.Import;

/// <summary>
/// Shows import progress on a console: one line rewritten in place (<c>\r</c>) with a bar, percent, rows and rows/s,
/// at most 10 times a second; when output is redirected to a file or pipe, plain lines at most once a second instead.
/// The final report (reading completed) is always written and ends the line.
/// </summary>
public sealed class ConsoleProgress : IProgress<ImportProgress>
{
    private const int BarWidth = 24;
    private static readonly TimeSpan _interactiveInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan _redirectedInterval = TimeSpan.FromSeconds(1);
    private readonly TextWriter _output;
    private readonly bool _redirected;
    private readonly TimeProvider _timeProvider;
    private readonly long _started;
    private readonly Lock _gate = new();
    private long? _lastWrite;
    private int _lastLength;
    private bool _done;

    /// <summary>Writes to <see cref="Console.Out"/>, plain lines when <see cref="Console.IsOutputRedirected"/>.</summary>
    public ConsoleProgress()
        : this(Console.Out, Console.IsOutputRedirected, TimeProvider.System)
    {
    }

    public ConsoleProgress(TextWriter output, bool redirected, TimeProvider timeProvider)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _redirected = redirected;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _started = timeProvider.GetTimestamp();
    }

    public void Report(ImportProgress value)
    {
        lock (_gate)
        {
            if (_done) return;
            var now = _timeProvider.GetTimestamp();
            var interval = _redirected ? _redirectedInterval : _interactiveInterval;
            if (!value.Completed && _lastWrite is { } last && _timeProvider.GetElapsedTime(last, now) < interval) return;
            _lastWrite = now;
            _done = value.Completed;

            var text = Describe(value, _timeProvider.GetElapsedTime(_started, now));
            if (_redirected)
            {
                _output.WriteLine(text);
            }
            else
            {
                var line = Bar(value.Fraction) + " " + text;
                _output.Write("\r" + line.PadRight(_lastLength));
                _lastLength = line.Length;
                if (_done) _output.WriteLine();
            }

            _output.Flush();
        }
    }

    private static string Describe(ImportProgress value, TimeSpan elapsed)
    {
        var parts = new List<string>(4);
        if (value.Fraction is { } fraction) parts.Add(fraction.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal));
        parts.Add(value.RowsRead.ToString("N0", CultureInfo.InvariantCulture) + " rows 行");
        if (elapsed > TimeSpan.Zero)
            parts.Add((value.RowsRead / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) + " rows/s");
        if (value.Completed) parts.Add("read 读取完成");
        return string.Join("  ", parts);
    }

    private static string Bar(double? fraction)
    {
        if (fraction is not { } f) return "[" + new string('.', BarWidth) + "]";
        var filled = (int)Math.Round(f * BarWidth, MidpointRounding.ToZero);
        return "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
    }
}
