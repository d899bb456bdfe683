using GreenLoop.Cli.Import;
using GreenLoop.Connectors.Import;
using Microsoft.Extensions.Time.Testing;

namespace GreenLoop.Cli.Tests.Import;

public sealed class ConsoleProgressTests
{
    [Fact]
    public void Report_Interactive_OneLineRewrittenAndThrottled()
    {
        var time = new FakeTimeProvider();
        using var output = new StringWriter();
        var progress = new ConsoleProgress(output, redirected: false, time);

        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(new ImportProgress(1000, 500, 1000, Completed: false));
        time.Advance(TimeSpan.FromMilliseconds(50));
        progress.Report(new ImportProgress(1100, 550, 1000, Completed: false)); // within 100 ms: skipped
        time.Advance(TimeSpan.FromMilliseconds(950));
        progress.Report(new ImportProgress(2000, 1000, 1000, Completed: true));

        // 1000 rows after 1 s = 1,000 rows/s; 2000 rows after 2 s = 1,000 rows/s.
        var expectedFirst = "[############............] 50.0%  1,000 rows 行  1,000 rows/s";
        var expectedLast = "[########################] 100.0%  2,000 rows 行  1,000 rows/s  read 读取完成";
        Assert.Equal("\r" + expectedFirst + "\r" + expectedLast + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Report_Redirected_PlainLinesAtMostOncePerSecond()
    {
        var time = new FakeTimeProvider();
        using var output = new StringWriter();
        var progress = new ConsoleProgress(output, redirected: true, time);

        time.Advance(TimeSpan.FromSeconds(2));
        progress.Report(new ImportProgress(1000, 100, null, Completed: false));
        time.Advance(TimeSpan.FromMilliseconds(500));
        progress.Report(new ImportProgress(1500, 150, null, Completed: false));
        time.Advance(TimeSpan.FromMilliseconds(500));
        progress.Report(new ImportProgress(2000, 200, null, Completed: false));
        progress.Report(new ImportProgress(2100, 210, null, Completed: true));
        progress.Report(new ImportProgress(2100, 210, null, Completed: true));

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "1,000 rows 行  500 rows/s",
                "2,000 rows 行  667 rows/s",
                "100.0%  2,100 rows 行  700 rows/s  read 读取完成",
            ],
            lines);
        Assert.DoesNotContain('\r', output.ToString());
    }
}
