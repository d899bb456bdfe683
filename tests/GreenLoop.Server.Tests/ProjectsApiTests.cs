using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenLoop.Testing;
using static GreenLoop.Testing.AccountingTestPlant;

namespace GreenLoop.Server.Tests;

/// <summary>
/// Projects and savings verification through the real server (issue 14): baseline models on a plant's own daily meter
/// data, savings against a known 8 % cut, the EnPI range refusal, non-routine adjustments, project economics and
/// state, documents, the MAC curve, the M&amp;V workbook and the audit trail — each against a hand calculation written here.
/// <para>
/// The plant ("mvp", Guangdong grid): an air compressor's electricity sub-meter (the subject, IPMVP Option B) under the
/// incomer, and a tile output meter, all daily interval meters. The data come from a fixed-seed generator: 120 baseline
/// days with energy = 2000 + 0.05 · output ± 1 % (output 20,000 m² ± 20 %), 60 reporting days with energy 8 % below that
/// formula, then 30 days at three times the output. One baseline day of the compressor is left out (a gap).
/// The days lie in last year, the year whose GHG inventory the projects take their carbon intensity from.
/// </para>
/// </summary>
public sealed class ProjectsApiTests : IAsyncLifetime
{
    private const string Site = "mvp";
    private const string Compressor = "mvp.air";
    private const string Output = "mvp.output";
    private const string Incomer = "mvp.elec";
    private const string Person = "li.engineer";
    private const string Actor = Person + " via key:bootstrap";
    private const int BaselineDays = 120;
    private const int ReportingDays = 60;
    private const int HighDays = 30;
    private const int GapDay = 50;
    private const double Price = 0.72;

    private static readonly DateOnly _start = new(DateTime.UtcNow.Year - 1, 1, 1);
    private static readonly DateOnly _baselineTo = _start.AddDays(BaselineDays - 1);
    private static readonly DateOnly _reportingFrom = _start.AddDays(BaselineDays);
    private static readonly DateOnly _reportingTo = _start.AddDays(BaselineDays + ReportingDays - 1);
    private static readonly DateOnly _highFrom = _start.AddDays(BaselineDays + ReportingDays);
    private static readonly DateOnly _highTo = _start.AddDays(BaselineDays + ReportingDays + HighDays - 1);

    private readonly GreenLoopAppFactory _factory = new();
    private HttpClient _client = null!;

    private const string SiteJson = """
        {"key":"mvp","name":"M&V plant","nameZh":"节能验证工厂","timeZone":"Asia/Shanghai","gridRegion":"CN-Guangdong",
         "nodes":[{"key":"air","name":"Compressor house","nameZh":"空压站","kind":"Workshop"}],
         "meters":[
          {"key":"mvp.elec","name":"Incomer","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":1440,"stamp":"PeriodEnding"},
          {"key":"mvp.air","name":"Air compressor","node":"air","parent":"mvp.elec","carrier":"electricity","unit":"kWh","kind":"Interval","intervalMinutes":1440,"stamp":"PeriodEnding"},
          {"key":"mvp.output","name":"Tile output","quantity":"ProductOutput","carrier":"tile_output","unit":"m2","kind":"Interval","intervalMinutes":1440,"stamp":"PeriodEnding"}]}
        """;

    /// <summary>A fixed-seed generator (a 64-bit linear congruential one, Knuth's MMIX constants): the same numbers on every run.</summary>
    private sealed class Lcg(ulong seed)
    {
        private ulong _state = seed;

        /// <summary>Uniform in [0, 1).</summary>
        public double Next()
        {
            _state = (_state * 6364136223846793005UL) + 1442695040888963407UL;
            return (_state >> 11) * (1.0 / (1UL << 53));
        }

        /// <summary>Uniform in [-1, 1).</summary>
        public double Symmetric() => (2 * Next()) - 1;
    }

    /// <summary>One day of the plant: the compressor's energy (null on the gap day) and the output.</summary>
    private sealed record Day(DateOnly Date, double? Energy, double Output);

    /// <summary>The plant's days: baseline, reporting (8 % saved), then three times the output.</summary>
    private static List<Day> Days()
    {
        var random = new Lcg(20250101);
        var days = new List<Day>();
        for (var i = 0; i < BaselineDays + ReportingDays + HighDays; i++)
        {
            var output = 20_000 * (1 + (0.2 * random.Symmetric())) * (i >= BaselineDays + ReportingDays ? 3 : 1);
            var formula = 2000 + (0.05 * output);
            var energy = (i >= BaselineDays ? 0.92 * formula : formula) * (1 + (0.01 * random.Symmetric()));
            days.Add(new Day(_start.AddDays(i), i == GapDay ? null : energy, output));
        }
        return days;
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        _client.DefaultRequestHeaders.Add("X-GreenLoop-User", Person);
        using var put = await _client.PutAsync($"/api/v1/sites/{Site}", new StringContent(SiteJson, Encoding.UTF8, "application/json"));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var readings = new List<(string, DateTimeOffset, double)>();
        foreach (var day in Days())
        {
            // Period-ending: the reading at the next local midnight is the day's use.
            var end = new DateTimeOffset(day.Date.AddDays(1).ToDateTime(TimeOnly.MinValue), Shanghai);
            if (day.Energy is { } e)
            {
                readings.Add((Compressor, end, e));
                readings.Add((Incomer, end, e + 5000));
            }
            else
            {
                readings.Add((Incomer, end, 7000));
            }
            readings.Add((Output, end, day.Output));
        }
        foreach (var chunk in readings.Chunk(2000))
        {
            using var posted = await _client.PostAsync("/api/v1/readings", Body(chunk));
            Assert.True(posted.StatusCode == HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
        }
        await Http.WaitForDerivationAsync(_client);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Assert.Empty(_factory.ErrorLogs.Errors);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers

    private static object ModelBody(string? reportingFrom = null, string? reportingTo = null, string name = "Compressor baseline",
        string subject = "meter:" + Compressor, string grain = "day", string[]? drivers = null, string? baselineFrom = null, string? baselineTo = null) => new
    {
        name,
        nameZh = "空压机基准模型",
        subject,
        grain,
        baselineFrom = baselineFrom ?? Date(_start),
        baselineTo = baselineTo ?? Date(_baselineTo),
        form = "Linear",
        drivers = drivers ?? ["meter:" + Output],
        reportingFrom = reportingFrom ?? Date(_reportingFrom),
        reportingTo = reportingTo ?? Date(_reportingTo),
    };

    private async Task<JsonElement> CreateModelAsync(object body)
    {
        using var created = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/mv-models", body);
        var json = await Http.JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, json.ToString());
        return json;
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<JsonElement> SavingsAsync(long model, string query = "") => GetAsync($"/api/v1/sites/{Site}/mv-models/{model}/savings{query}");

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string url, object? body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> StateAsync(long project, object body) =>
        SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/projects/{project}/state", body);

    /// <summary>A problem's reason: the field-keyed errors of a validation problem, or the detail of a bad-input problem.</summary>
    private static string Reason(JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors) ? string.Join("; ", errors.EnumerateObject().Select(e => e.Name + ": " + e.Value))
        : problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : problem.ToString();

    private static double D(JsonElement e, string name) => e.GetProperty(name).GetDouble();

    private static double? N(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();

    /// <summary>The compressor project of the tests: 325,000 ¥ of investment, 200,000 kWh a year at 0.72 ¥/kWh and a 30,000 ¥ subsidy.</summary>
    private static object ProjectBody(string title = "Air compressor leak-and-pressure programme", double energy = 200_000, double equipment = 300_000,
        string category = "energy-saving", double running = 10_000) => new
    {
        title,
        titleZh = "空压机泄漏与压力优化",
        category,
        description = "Fix leaks, lower the header pressure by 0.5 bar",
        owner = "王工",
        node = "air",
        startDate = Date(_reportingFrom.AddDays(-20)),
        commissionDate = Date(_reportingFrom.AddDays(-1)),
        lifeYears = 10,
        discountRate = 0.08,
        annualRunningCost = running,
        investment = new object[]
        {
            new { category = "equipment", amount = equipment, description = "leak detector, controls" },
            new { category = "consulting", amount = 20_000.0 },
            new { category = "training", amount = 5_000.0 },
        },
        benefits = new object[]
        {
            new { category = "energy", carrier = "electricity", annualEnergy = energy, description = "estimated saving" },
            new { category = "subsidies", annualAmount = 30_000.0, description = "energy-saving award" },
        },
        prices = new[] { new { carrier = "electricity", price = Price, unit = "kWh", source = "2025 industrial tariff, flat" } },
    };

    private async Task<JsonElement> CreateProjectAsync(object body)
    {
        using var created = await _client.PostAsJsonAsync($"/api/v1/sites/{Site}/projects", body);
        var json = await Http.JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, json.ToString());
        return json;
    }

    /// <summary>NPV of yearly flows at a rate, flow t discounted by (1 + r)^t.</summary>
    private static double Npv(double rate, double[] flows)
    {
        double npv = 0;
        for (var t = 0; t < flows.Length; t++) npv += flows[t] / Math.Pow(1 + rate, t);
        return npv;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 1. A model on the baseline finds the known 8 % saving within its uncertainty.

    [Fact]
    public async Task Model_LinearOnOutput_FitsTheFormulaAndFindsTheEightPercentSavingWithinItsUncertainty()
    {
        var model = await CreateModelAsync(ModelBody());
        var id = model.GetProperty("id").GetInt64();
        var result = model.GetProperty("result");
        var fit = result.GetProperty("fit");
        var coefficients = fit.GetProperty("ols").GetProperty("coefficients").EnumerateArray().ToList();
        var savings = await SavingsAsync(id);

        Assert.Equal("B", model.GetProperty("option").GetString());
        Assert.True(result.GetProperty("usable").GetBoolean(), result.GetProperty("refusal").ToString());
        Assert.All(result.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
        Assert.Equal(2, coefficients.Count);
        // 2000 kWh/day + 0.05 kWh/m², each within four standard errors.
        var (b0, se0, b1, se1) = (D(coefficients[0], "estimate"), D(coefficients[0], "standardError"), D(coefficients[1], "estimate"), D(coefficients[1], "standardError"));
        Assert.True(Math.Abs(b0 - 2000) <= 4 * se0, $"intercept {b0} ± {se0}, expected 2000");
        Assert.True(Math.Abs(b1 - 0.05) <= 4 * se1, $"slope {b1} ± {se1}, expected 0.05");
        Assert.Equal("meter:" + Output, coefficients[1].GetProperty("name").GetString());
        // 120 baseline days, one of them a gap: 119 points.
        Assert.Equal(BaselineDays - 1, fit.GetProperty("ols").GetProperty("n").GetInt32());

        // The savings: 8 % of the adjusted baseline, within the 90 % fractional uncertainty.
        Assert.True(savings.GetProperty("usable").GetBoolean(), savings.GetProperty("refusal").ToString());
        var fraction = D(savings, "savingsFraction");
        var u90 = D(savings, "uncertainty90");
        Assert.True(Math.Abs(fraction - 0.08) <= u90 * fraction, $"savings fraction {fraction}, uncertainty at 90 % ±{u90 * fraction}; the data hold 8 %");
        Assert.True(savings.GetProperty("exceeds90").GetBoolean());
        Assert.True(savings.GetProperty("exceeds68").GetBoolean());
        Assert.True(D(savings, "uncertainty68") < u90);
        Assert.Equal(ReportingDays, savings.GetProperty("days").GetInt32());
        Assert.Equal(ReportingDays, D(savings, "coveredDays"));
        var periods = savings.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(ReportingDays, periods.Count);
        Assert.Equal(Date(_reportingFrom), periods[0].GetProperty("period").GetString());
        Assert.Empty(savings.GetProperty("excluded").EnumerateArray());

        // By hand over the periods: Σ adjusted baseline - Σ actual = savings = the last cumulative; each period's saving
        // is its adjusted baseline less its actual, and its prediction is b0 + b1 · output.
        var total = D(savings, "savings");
        var data = Days().Where(d => d.Date >= _reportingFrom && d.Date <= _reportingTo).ToList();
        double baselineSum = 0, actualSum = 0, running = 0;
        for (var k = 0; k < periods.Count; k++)
        {
            var p = periods[k];
            Assert.Equal(data[k].Energy!.Value, D(p, "actual"), 6);
            Assert.Equal(b0 + (b1 * data[k].Output), D(p, "predicted"), 6);
            Assert.Equal(D(p, "adjustedBaseline") - D(p, "actual"), D(p, "savings"), 9);
            running += D(p, "savings");
            Assert.Equal(running, D(p, "cumulative"), 6);
            baselineSum += D(p, "adjustedBaseline");
            actualSum += D(p, "actual");
        }
        Assert.Equal(D(periods[^1], "cumulative"), total, 6);
        Assert.Equal(baselineSum - actualSum, total, 6);
        Assert.Equal(baselineSum, D(savings, "adjustedBaseline"), 6);
        Assert.Equal(actualSum, D(savings, "actual"), 6);
        Assert.Equal(total / baselineSum, fraction, 12);
        // The band at 90 % is the fractional uncertainty times the savings.
        Assert.Equal(u90 * total, D(savings, "band90"), 6);

        // The fit by hand (one driver, closed form) on the 119 baseline days, then the Guideline 14 statistics and the
        // fractional savings uncertainty with the autocorrelation correction, as the formulas state them.
        var used = Days().Take(BaselineDays).Where(d => d.Energy is not null).ToList();
        double n = used.Count, xMean = used.Average(d => d.Output), yMean = used.Average(d => d.Energy!.Value);
        var sxx = used.Sum(d => (d.Output - xMean) * (d.Output - xMean));
        var sxy = used.Sum(d => (d.Output - xMean) * (d.Energy!.Value - yMean));
        var slope = sxy / sxx;
        var intercept = yMean - (slope * xMean);
        var residuals = used.Select(d => d.Energy!.Value - intercept - (slope * d.Output)).ToList();
        var sse = residuals.Sum(e => e * e);
        var sst = used.Sum(d => (d.Energy!.Value - yMean) * (d.Energy!.Value - yMean));
        Assert.Equal(1, b1 / slope, 9);
        Assert.Equal(1, b0 / intercept, 9);
        Assert.Equal(1, se1 / Math.Sqrt(sse / (n - 2) / sxx), 9);
        Assert.Equal(1, se0 / Math.Sqrt(sse / (n - 2) * ((1 / n) + (xMean * xMean / sxx))), 9);
        Assert.Equal(1 - (sse / sst), D(fit.GetProperty("ols"), "rSquared"), 9);
        var cv = 100 * Math.Sqrt(sse / (n - 2)) / yMean;
        Assert.Equal(1, D(fit, "cvRmse") / cv, 9);
        Assert.Equal(100 * residuals.Sum() / ((n - 2) * yMean), D(fit, "nmbe"), 9);
        double lagged = 0;
        for (var i = 1; i < residuals.Count; i++) lagged += residuals[i] * residuals[i - 1];
        var rho = lagged / sse;
        Assert.Equal(rho, D(fit, "autocorrelation"), 9);
        var nPrime = n * (1 - Math.Max(0, rho)) / (1 + Math.Max(0, rho));
        foreach (var (confidence, name) in new[] { (0.68, "uncertainty68"), (0.90, "uncertainty90") })
        {
            var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, n - 2, 1 - ((1 - confidence) / 2));
            var u = t * 1.26 * (cv / 100) * Math.Sqrt(n / nPrime * (1 + (2 / nPrime)) / ReportingDays) / fraction;
            Assert.Equal(1, D(savings, name) / u, 9);
        }
        Assert.Contains("greenloop-mv/1", savings.GetProperty("method").GetString(), StringComparison.Ordinal);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 2. Output far outside the baseline range: refused, with the reason.

    [Fact]
    public async Task Savings_ReportingOutputThreeTimesTheBaselineRange_RefusedNamingTheRangeCheck()
    {
        var model = await CreateModelAsync(ModelBody(Date(_highFrom), Date(_highTo), "High-output period"));
        var savings = await SavingsAsync(model.GetProperty("id").GetInt64());

        Assert.False(savings.GetProperty("usable").GetBoolean());
        Assert.Equal(JsonValueKind.Null, savings.GetProperty("savings").ValueKind);
        Assert.Equal(JsonValueKind.Null, savings.GetProperty("savingsFraction").ValueKind);
        var range = Assert.Single(savings.GetProperty("checks").EnumerateArray(), c => c.GetProperty("key").GetString() == "range:meter:" + Output);
        Assert.False(range.GetProperty("passed").GetBoolean());
        // The first reporting day's output (three times 20,000 ± 20 %) is the example given.
        var first = Days().First(d => d.Date == _highFrom).Output;
        Assert.Equal(first, D(range, "value"), 6);
        Assert.Contains("outside the baseline range", savings.GetProperty("refusal").GetString(), StringComparison.Ordinal);
        Assert.Contains("超出基准期范围", savings.GetProperty("refusalZh").GetString(), StringComparison.Ordinal);
        // The other checks pass: the refusal is the range's alone.
        Assert.All(savings.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("key").GetString() != range.GetProperty("key").GetString() && c.GetProperty("key").GetString() != "fsu-68"),
            c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
        // The same model over the normal reporting days is usable.
        var normal = await SavingsAsync(model.GetProperty("id").GetInt64(), $"?from={Date(_reportingFrom)}&to={Date(_reportingTo)}");
        Assert.True(normal.GetProperty("usable").GetBoolean(), normal.GetProperty("refusal").ToString());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 3. Non-routine adjustments.

    [Fact]
    public async Task Adjustment_AddsItsAmountToEachCoveredPeriod_WithReasonAndWho()
    {
        var model = await CreateModelAsync(ModelBody());
        var id = model.GetProperty("id").GetInt64();
        var before = await SavingsAsync(id);
        var (from, to) = (_reportingFrom.AddDays(10), _reportingFrom.AddDays(19));

        var (noReason, noReasonBody) = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/mv-models/{id}/adjustments", new { from = Date(from), to = Date(to), amount = 150.0, reason = "" });
        var (added, addedBody) = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/mv-models/{id}/adjustments",
            new { from = Date(from), to = Date(to), amount = 150.0, reason = "a second dryer line ran on the compressed-air header for ten days" });
        var after = await SavingsAsync(id);

        Assert.Equal(HttpStatusCode.BadRequest, noReason);
        Assert.Contains("adjustment.reason", Reason(noReasonBody), StringComparison.Ordinal);
        Assert.True(added == HttpStatusCode.OK, addedBody.ToString());
        var adjustment = Assert.Single(addedBody.GetProperty("spec").GetProperty("adjustments").EnumerateArray());
        Assert.Equal(Actor, adjustment.GetProperty("by").GetString());
        Assert.False(string.IsNullOrEmpty(adjustment.GetProperty("at").GetString()));
        Assert.Equal(150.0, D(adjustment, "amount"));

        var was = before.GetProperty("periods").EnumerateArray().ToList();
        var now = after.GetProperty("periods").EnumerateArray().ToList();
        Assert.Equal(was.Count, now.Count);
        var covered = 0;
        for (var k = 0; k < now.Count; k++)
        {
            var day = DateOnly.ParseExact(now[k].GetProperty("period").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var expected = day >= from && day <= to ? 150.0 : 0.0;
            if (expected != 0) covered++;
            Assert.Equal(expected, D(now[k], "adjustment"));
            Assert.Equal(D(now[k], "predicted") + expected, D(now[k], "adjustedBaseline"), 9);
            Assert.Equal(D(was[k], "adjustedBaseline") + expected, D(now[k], "adjustedBaseline"), 9);
            Assert.Equal(D(was[k], "actual"), D(now[k], "actual"));
        }
        Assert.Equal(10, covered);
        Assert.Equal(D(before, "savings") + (10 * 150.0), D(after, "savings"), 6);
        // The stored fit is not touched by an adjustment.
        var stored = await GetAsync($"/api/v1/sites/{Site}/mv-models/{id}");
        Assert.Equal(model.GetProperty("result").GetProperty("fit").ToString(), stored.GetProperty("result").GetProperty("fit").ToString());

        // A changed spec is fitted again; the adjustment stays, with its reason and who.
        var (updated, updatedBody) = await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/mv-models/{id}", ModelBody(name: "Compressor baseline, renamed"));
        Assert.True(updated == HttpStatusCode.OK, updatedBody.ToString());
        Assert.Equal("Compressor baseline, renamed", updatedBody.GetProperty("spec").GetProperty("name").GetString());
        Assert.Equal(adjustment.GetRawText(), Assert.Single(updatedBody.GetProperty("spec").GetProperty("adjustments").EnumerateArray()).GetRawText());
        Assert.Equal(D(after, "savings"), D(await SavingsAsync(id), "savings"), 9);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 4. Validation, an unknown site, and gaps left out with their reason.

    [Fact]
    public async Task ModelSpec_Invalid_400NamingTheField_UnknownSite404_GapsListedNotZero()
    {
        var cases = new (object Body, string Field)[]
        {
            (ModelBody(subject: "pump:" + Compressor), "subject"),
            (ModelBody(subject: "meter:nope"), "subject"),
            (ModelBody(grain: "year"), "grain"),
            (ModelBody(drivers: ["meter:nope"]), "drivers"),
            (ModelBody(Date(_start.AddDays(30)), Date(_start.AddDays(40))), "reportingFrom"),
            (ModelBody(baselineFrom: Date(_baselineTo), baselineTo: Date(_start)), "baselineTo"),
        };
        foreach (var (body, field) in cases)
        {
            var (status, problem) = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/mv-models", body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{field}: {(int)status} {problem}");
            Assert.Contains(field + ":", Reason(problem), StringComparison.Ordinal);
        }
        var (missingSite, _) = await SendAsync(HttpMethod.Post, "/api/v1/sites/nowhere/mv-models", ModelBody());
        var (missingSiteList, _) = await SendAsync(HttpMethod.Get, "/api/v1/sites/nowhere/mv-models", null);
        var (missingModel, _) = await SendAsync(HttpMethod.Get, $"/api/v1/sites/{Site}/mv-models/999999/savings", null);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (missingSite, missingSiteList, missingModel));
        Assert.Empty((await GetAsync($"/api/v1/sites/{Site}/mv-models")).EnumerateArray());

        // The gap day of the baseline, and a reporting day after the data end: listed with the reason, never as zero.
        var model = await CreateModelAsync(ModelBody(Date(_reportingFrom), Date(_highTo.AddDays(1))));
        var gap = Date(_start.AddDays(GapDay));
        var baseline = model.GetProperty("result").GetProperty("baseline").EnumerateArray().ToList();
        Assert.Equal(BaselineDays, baseline.Count);
        var left = Assert.Single(baseline, p => p.GetProperty("excluded").ValueKind != JsonValueKind.Null);
        Assert.Equal(gap, left.GetProperty("period").GetString());
        Assert.Equal(JsonValueKind.Null, left.GetProperty("y").ValueKind);
        Assert.Contains("meter:" + Compressor, left.GetProperty("excluded").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(left.GetProperty("excludedZh").GetString()));
        Assert.Equal(BaselineDays - 1, model.GetProperty("result").GetProperty("fit").GetProperty("ols").GetProperty("n").GetInt32());
        var savings = await SavingsAsync(model.GetProperty("id").GetInt64());
        var excluded = Assert.Single(savings.GetProperty("excluded").EnumerateArray());
        Assert.Equal(Date(_highTo.AddDays(1)), excluded.GetProperty("period").GetString());
        Assert.Equal(JsonValueKind.Null, excluded.GetProperty("y").ValueKind);
        Assert.False(string.IsNullOrEmpty(excluded.GetProperty("excluded").GetString()));
        Assert.DoesNotContain(savings.GetProperty("periods").EnumerateArray(), p => p.GetProperty("period").GetString() == Date(_highTo.AddDays(1)));
        Assert.Equal(ReportingDays + HighDays, savings.GetProperty("periods").GetArrayLength());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 5. Project economics against the hand calculation.

    [Fact]
    public async Task Project_PlannedEconomics_EqualTheHandCalculation_AndBadBodies400NamingTheField()
    {
        var project = await CreateProjectAsync(ProjectBody());
        var planned = project.GetProperty("planned");

        // Investment 300,000 + 20,000 + 5,000; benefit 200,000 kWh × 0.72 ¥ + 30,000 ¥ subsidy; running 10,000 ¥.
        const double investment = 325_000, benefit = (200_000 * Price) + 30_000, running = 10_000, net = benefit - running;
        Assert.Equal("Idea", project.GetProperty("state").GetString());
        Assert.Equal("planned", planned.GetProperty("basis").GetString());
        Assert.Equal(investment, D(planned, "investment"), 9);
        Assert.Equal(benefit, D(planned, "annualBenefit"), 9);
        Assert.Equal(net, D(planned, "annualNetBenefit"), 9);
        Assert.Equal(benefit / investment * 100, D(planned, "roi"), 9);
        Assert.Equal(investment / net, D(planned, "simplePayback"), 12);
        Assert.Equal(200_000 * Price, D(planned.GetProperty("benefits")[0], "annualAmount"), 9);
        var flows = new double[11];
        flows[0] = -investment;
        for (var t = 1; t <= 10; t++) flows[t] = net;
        Assert.Equal(flows, planned.GetProperty("flows").EnumerateArray().Select(f => f.GetDouble()));
        var npv = Npv(0.08, flows);
        Assert.Equal(npv, D(planned, "npv"), 6);
        // Discounted payback: the year the cumulative discounted flow turns non-negative, interpolated inside it.
        double cumulative = -investment, payback = double.NaN;
        for (var t = 1; t <= 10; t++)
        {
            var discounted = net / Math.Pow(1.08, t);
            if (cumulative + discounted >= 0)
            {
                payback = t - 1 + (-cumulative / discounted);
                break;
            }
            cumulative += discounted;
        }
        Assert.Equal(payback, D(planned, "discountedPayback"), 9);
        var irr = planned.GetProperty("irr");
        Assert.Equal("single", irr.GetProperty("kind").GetString());
        Assert.Equal(1, irr.GetProperty("signChanges").GetInt32());
        var rate = D(irr, "rate");
        Assert.True(Math.Abs(Npv(rate, flows)) < 1e-3, $"NPV at the IRR {rate}: {Npv(rate, flows)}");
        Assert.True(Npv(rate - 0.001, flows) > 0 && Npv(rate + 0.001, flows) < 0);

        // Carbon: the site's own electricity intensity (its GHG inventory of last year, location-based), with lineage.
        var term = Assert.Single(planned.GetProperty("carbon").EnumerateArray());
        Assert.Equal(("electricity", 200_000.0), (term.GetProperty("carrier").GetString(), D(term, "annualEnergy")));
        var intensity = D(term, "intensity");
        var factor = Assert.Single(term.GetProperty("factors").EnumerateArray());
        // The Guangdong grid factor (the site's grid region), in kgCO2/kWh.
        Assert.StartsWith("grid_ef/CN.province.guangdong", factor.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("kgCO2/kWh", factor.GetProperty("unit").GetString());
        // The inventory's electricity is the grid factor times the incomer's kWh (the sub-meter not counted twice): per kWh, the factor / 1000 t.
        Assert.Equal(D(factor, "value") / 1000, intensity, 12);
        Assert.Equal(200_000 * intensity, D(term, "tonnes"), 9);
        Assert.Equal(D(term, "tonnes"), D(planned, "tonnesPerYear"), 12);
        var crf = 0.08 * Math.Pow(1.08, 10) / (Math.Pow(1.08, 10) - 1);
        Assert.Equal(((investment * crf) + running - benefit) / (200_000 * intensity), D(planned, "abatementCost"), 6);
        Assert.Equal(JsonValueKind.Null, project.GetProperty("verified").ValueKind);

        // A measure whose running cost exceeds its benefit never pays back: no IRR, no payback, no wrong number.
        var loss = await CreateProjectAsync(ProjectBody("Loss-maker", energy: 1_000, running: 200_000));
        var lossPlanned = loss.GetProperty("planned");
        Assert.Equal("none", lossPlanned.GetProperty("irr").GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, lossPlanned.GetProperty("irr").GetProperty("rate").ValueKind);
        Assert.Null(N(lossPlanned, "simplePayback"));
        Assert.Null(N(lossPlanned, "discountedPayback"));

        // Bad bodies: 400 with the field named, nothing saved.
        var priceless = new
        {
            title = "No price", category = "energy-saving", owner = "王工", investment = new[] { new { category = "equipment", amount = 1000.0 } },
            benefits = new[] { new { category = "energy", carrier = "electricity", annualEnergy = 1000.0 } },
        };
        var negative = new { title = "Negative", category = "energy-saving", owner = "王工", investment = new[] { new { category = "equipment", amount = -1.0 } } };
        foreach (var (body, field) in new (object, string)[] { (priceless, "benefits"), (negative, "investment"), (ProjectBody(category: "miracle"), "category") })
        {
            var (status, problem) = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/projects", body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{field}: {(int)status} {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} not named: {problem}");
        }
        var (missing, _) = await SendAsync(HttpMethod.Post, "/api/v1/sites/nowhere/projects", ProjectBody());
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(2, (await GetAsync($"/api/v1/sites/{Site}/projects")).GetArrayLength());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 6. State flow, verification frozen.

    [Fact]
    public async Task WeeklyModel_VerifiedYearlySavings_CountOnlyTheDaysOfTheWeeksUsed()
    {
        // 60 reporting days hold 8 whole Monday-to-Sunday weeks at most: a yearly figure over 60 days would understate it.
        var model = await CreateModelAsync(ModelBody(name: "Weekly", grain: "week"));
        var modelId = model.GetProperty("id").GetInt64();
        var savings = await SavingsAsync(modelId);
        Assert.True(savings.GetProperty("usable").GetBoolean(), savings.GetProperty("refusal").ToString());
        var weeks = savings.GetProperty("periods").GetArrayLength();
        Assert.Equal(7.0 * weeks, D(savings, "coveredDays"));
        Assert.True(7 * weeks < ReportingDays);
        Assert.Equal(ReportingDays, savings.GetProperty("days").GetInt32());

        var id = (await CreateProjectAsync(ProjectBody(title: "Weekly verified"))).GetProperty("id").GetInt64();
        foreach (var state in new[] { "Proposed", "Approved", "InProgress", "Commissioned" }) Assert.Equal(HttpStatusCode.OK, (await StateAsync(id, new { state })).Status);
        Assert.Equal(HttpStatusCode.OK, (await StateAsync(id, new { modelId })).Status);
        var (status, view) = await StateAsync(id, new { state = "Verified" });
        Assert.True(status == HttpStatusCode.OK, view.ToString());
        Assert.Equal(D(savings, "savings") * 365 / (7.0 * weeks), D(view.GetProperty("verification"), "annualEnergy"), 6);
    }

    [Fact]
    public async Task Project_CommissionedThenVerifiedByItsModel_FreezesTheVerificationAndReplacesTheEnergyBenefit()
    {
        var project = await CreateProjectAsync(ProjectBody());
        var id = project.GetProperty("id").GetInt64();
        var model = await CreateModelAsync(ModelBody());
        var modelId = model.GetProperty("id").GetInt64();

        var (early, earlyBody) = await StateAsync(id, new { state = "Verified" });
        Assert.Equal(HttpStatusCode.BadRequest, early);
        Assert.Contains("commissioned", Reason(earlyBody), StringComparison.Ordinal);
        foreach (var state in new[] { "Proposed", "Approved", "InProgress", "Commissioned" })
        {
            var (status, body) = await StateAsync(id, new { state, note = $"to {state}" });
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            Assert.Equal(state, body.GetProperty("state").GetString());
        }
        var (unlinked, unlinkedBody) = await StateAsync(id, new { state = "Verified" });
        Assert.Equal(HttpStatusCode.BadRequest, unlinked);
        Assert.StartsWith("modelId:", Reason(unlinkedBody), StringComparison.Ordinal);
        var (badModel, badModelBody) = await StateAsync(id, new { modelId = 999_999 });
        Assert.Equal(HttpStatusCode.BadRequest, badModel);
        Assert.Contains("modelId", Reason(badModelBody), StringComparison.Ordinal);
        var (linked, linkedBody) = await StateAsync(id, new { modelId });
        Assert.True(linked == HttpStatusCode.OK, linkedBody.ToString());
        Assert.Equal(modelId, linkedBody.GetProperty("modelId").GetInt64());
        Assert.Equal("Commissioned", linkedBody.GetProperty("state").GetString());

        var savings = await SavingsAsync(modelId);
        var (verified, view) = await StateAsync(id, new { state = "Verified", note = "verified by Option B" });
        Assert.True(verified == HttpStatusCode.OK, view.ToString());
        Assert.Equal("Verified", view.GetProperty("state").GetString());
        var verification = view.GetProperty("verification");
        Assert.Equal(modelId, verification.GetProperty("modelId").GetInt64());
        var annual = D(savings, "savings") * 365 / ReportingDays;
        Assert.Equal(annual, D(verification, "annualEnergy"), 6);
        Assert.Equal(annual * Price, D(verification, "annualMoney"), 6);
        Assert.Equal(("kWh", "electricity", Actor), (verification.GetProperty("unit").GetString(), verification.GetProperty("carrier").GetString(), verification.GetProperty("verifiedBy").GetString()));
        Assert.Contains("greenloop-mv/1", verification.GetProperty("result").GetProperty("method").GetString(), StringComparison.Ordinal);
        Assert.Equal(D(savings, "savings"), D(verification.GetProperty("result"), "savings"), 9);

        // Verified economics: the estimated energy line replaced by the verified one, the subsidy kept.
        var ve = view.GetProperty("verified");
        Assert.Equal("verified", ve.GetProperty("basis").GetString());
        var lines = ve.GetProperty("benefits").EnumerateArray().ToList();
        var energy = Assert.Single(lines, l => l.GetProperty("category").GetString() == "energy");
        Assert.Equal(annual, D(energy, "annualEnergy"), 6);
        Assert.Equal(annual * Price, D(energy, "annualAmount"), 6);
        Assert.Single(lines, l => l.GetProperty("category").GetString() == "subsidies");
        Assert.Equal((annual * Price) + 30_000, D(ve, "annualBenefit"), 6);
        Assert.Equal(325_000, D(ve, "investment"));
        Assert.Equal((200_000 * Price) + 30_000, D(view.GetProperty("planned"), "annualBenefit"), 9);
        var term = Assert.Single(ve.GetProperty("carbon").EnumerateArray());
        Assert.Equal(annual * D(term, "intensity"), D(ve, "tonnesPerYear"), 6);

        // A refit and an adjustment change the model's savings, not the frozen verification.
        var frozen = verification.GetRawText();
        using (var refit = await _client.PostAsync($"/api/v1/sites/{Site}/mv-models/{modelId}/refit", null)) Assert.Equal(HttpStatusCode.OK, refit.StatusCode);
        var (adjusted, _) = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/mv-models/{modelId}/adjustments",
            new { from = Date(_reportingFrom), to = Date(_reportingTo), amount = 100.0, reason = "new dryer on the header" });
        Assert.Equal(HttpStatusCode.OK, adjusted);
        Assert.NotEqual(D(savings, "savings"), D(await SavingsAsync(modelId), "savings"), 3);
        var again = await GetAsync($"/api/v1/sites/{Site}/projects/{id}");
        Assert.Equal(frozen, again.GetProperty("verification").GetRawText());
        Assert.Equal(ve.GetRawText(), again.GetProperty("verified").GetRawText());

        // A changed record (a new estimate) changes the planned economics; the verification stays as frozen.
        var (edited, editedBody) = await SendAsync(HttpMethod.Put, $"/api/v1/sites/{Site}/projects/{id}", ProjectBody(energy: 250_000));
        Assert.True(edited == HttpStatusCode.OK, editedBody.ToString());
        Assert.Equal((250_000 * Price) + 30_000, D(editedBody.GetProperty("planned"), "annualBenefit"), 9);
        Assert.Equal(frozen, editedBody.GetProperty("verification").GetRawText());
        Assert.Equal((annual * Price) + 30_000, D(editedBody.GetProperty("verified"), "annualBenefit"), 6);
        Assert.Equal("Verified", editedBody.GetProperty("state").GetString());
        again = editedBody;

        // Verified stays verified (or is rejected).
        var (back, backBody) = await StateAsync(id, new { state = "Idea" });
        Assert.Equal(HttpStatusCode.BadRequest, back);
        Assert.Contains("state:", Reason(backBody), StringComparison.Ordinal);
        Assert.Equal("Verified", (await GetAsync($"/api/v1/sites/{Site}/projects/{id}")).GetProperty("state").GetString());

        // History: who and when, every step.
        var history = again.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(
            ["registered", "state Idea -> Proposed", "state Proposed -> Approved", "state Approved -> InProgress", "state InProgress -> Commissioned", $"model {modelId}"],
            history.Take(6).Select(h => h.GetProperty("what").GetString()));
        Assert.StartsWith("state Commissioned -> Verified; verified: ", history[6].GetProperty("what").GetString(), StringComparison.Ordinal);
        Assert.Equal("record changed", history[7].GetProperty("what").GetString());
        Assert.Equal(8, history.Count);
        Assert.All(history, h =>
        {
            Assert.Equal(Actor, h.GetProperty("by").GetString());
            Assert.True(DateTimeOffset.TryParse(h.GetProperty("at").GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at));
            Assert.True(Math.Abs((DateTimeOffset.UtcNow - at).TotalMinutes) < 10, $"at {at}");
        });
        Assert.Equal("to Proposed", history[1].GetProperty("note").GetString());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 7. Documents.

    [Fact]
    public async Task Documents_UploadedAndDownloadedByteForByte_LargerThan10MB413()
    {
        var id = (await CreateProjectAsync(ProjectBody())).GetProperty("id").GetInt64();
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7 % 256)).ToArray();

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "offer.pdf");
        using var uploaded = await _client.PostAsync($"/api/v1/sites/{Site}/projects/{id}/documents", form);
        var doc = await Http.JsonAsync(uploaded);
        Assert.True(uploaded.StatusCode == HttpStatusCode.Created, doc.ToString());
        var docId = doc.GetProperty("id").GetInt64();
        Assert.Equal(("offer.pdf", "application/pdf", 5000L, Actor), (doc.GetProperty("name").GetString(), doc.GetProperty("contentType").GetString(),
            doc.GetProperty("bytes").GetInt64(), doc.GetProperty("uploadedBy").GetString()));

        using var download = await _client.GetAsync($"/api/v1/sites/{Site}/projects/{id}/documents/{docId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        var listed = Assert.Single((await GetAsync($"/api/v1/sites/{Site}/projects/{id}")).GetProperty("documents").EnumerateArray());
        Assert.Equal(docId, listed.GetProperty("id").GetInt64());

        using var limit = new MultipartFormDataContent();
        limit.Add(new ByteArrayContent(new byte[10 * 1024 * 1024]), "file", "drawing.dwg");
        using var atLimit = await _client.PostAsync($"/api/v1/sites/{Site}/projects/{id}/documents", limit);
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
        Assert.Equal(10L * 1024 * 1024, (await Http.JsonAsync(atLimit)).GetProperty("bytes").GetInt64());
        using var big = new MultipartFormDataContent();
        big.Add(new ByteArrayContent(new byte[(10 * 1024 * 1024) + 1]), "file", "drawing.dwg");
        using var tooLarge = await _client.PostAsync($"/api/v1/sites/{Site}/projects/{id}/documents", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        using var empty = new MultipartFormDataContent { { new ByteArrayContent([]), "file", "empty.txt" } };
        using var emptyAnswer = await _client.PostAsync($"/api/v1/sites/{Site}/projects/{id}/documents", empty);
        Assert.Equal(HttpStatusCode.BadRequest, emptyAnswer.StatusCode);
        using var elsewhere = await _client.GetAsync($"/api/v1/sites/{Site}/projects/{id + 1}/documents/{docId}");
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        // The one too large and the empty one were not kept.
        Assert.Equal([5000L, 10L * 1024 * 1024], (await GetAsync($"/api/v1/sites/{Site}/projects/{id}")).GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("bytes").GetInt64()));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 8. Portfolio: the MAC curve.

    [Fact]
    public async Task Portfolio_MacCurve_CheapestTonneFirstWithRunningTonnes_RejectedLeftOut()
    {
        // Abatement cost falls with the energy saved (same cost, more savings per tonne): 100,000 kWh is dearest.
        var dear = await CreateProjectAsync(ProjectBody("Dear", energy: 100_000));
        var cheap = await CreateProjectAsync(ProjectBody("Cheap", energy: 400_000));
        var middle = await CreateProjectAsync(ProjectBody("Middle", energy: 200_000));
        var rejected = await CreateProjectAsync(ProjectBody("Rejected", energy: 900_000));
        var noEnergy = await CreateProjectAsync(new
        {
            title = "Training only", category = "other", owner = "王工", investment = new[] { new { category = "training", amount = 5000.0 } },
            benefits = new[] { new { category = "other", annualAmount = 1000.0 } },
        });
        var (r, _) = await StateAsync(rejected.GetProperty("id").GetInt64(), new { state = "Rejected", note = "no budget" });
        Assert.Equal(HttpStatusCode.OK, r);

        var portfolio = await GetAsync($"/api/v1/sites/{Site}/projects/portfolio");
        var curve = portfolio.GetProperty("curve").EnumerateArray().ToList();

        Assert.Equal([cheap.GetProperty("id").GetInt64(), middle.GetProperty("id").GetInt64(), dear.GetProperty("id").GetInt64()],
            curve.Select(b => b.GetProperty("project").GetInt64()));
        var costs = curve.Select(b => D(b, "abatementCost")).ToList();
        Assert.Equal(costs.Order(), costs);
        double cumulative = 0;
        foreach (var (bar, project) in curve.Zip(new[] { cheap, middle, dear }))
        {
            cumulative += D(bar, "tonnesPerYear");
            Assert.Equal(cumulative, D(bar, "cumulativeTonnes"), 9);
            Assert.Equal(D(project.GetProperty("planned"), "tonnesPerYear"), D(bar, "tonnesPerYear"), 12);
            Assert.Equal(D(project.GetProperty("planned"), "abatementCost"), D(bar, "abatementCost"), 9);
            Assert.Equal("planned", bar.GetProperty("basis").GetString());
        }
        Assert.Equal([rejected.GetProperty("id").GetInt64(), noEnergy.GetProperty("id").GetInt64()],
            portfolio.GetProperty("notOnCurve").EnumerateArray().Select(e => e.GetInt64()).Order());
        var totals = portfolio.GetProperty("totals").EnumerateArray().ToDictionary(t => t.GetProperty("state").GetString()!, t => t);
        Assert.Equal(4, totals["Idea"].GetProperty("projects").GetInt32());
        Assert.Equal(1, totals["Rejected"].GetProperty("projects").GetInt32());
        Assert.Equal((3 * 325_000) + 5000, D(totals["Idea"], "investment"), 9);
        Assert.False(totals.ContainsKey("Verified"));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 9. The M&V workbook, read by openpyxl.

    [Fact]
    public async Task Workbook_OpenedByOpenpyxl_HasTheReportSheetsAndTheSavingsTotalOfTheApi()
    {
        var id = (await CreateProjectAsync(ProjectBody())).GetProperty("id").GetInt64();
        var modelId = (await CreateModelAsync(ModelBody())).GetProperty("id").GetInt64();
        var (linked, _) = await StateAsync(id, new { modelId });
        Assert.Equal(HttpStatusCode.OK, linked);
        var savings = await SavingsAsync(modelId);

        using var response = await _client.GetAsync($"/api/v1/sites/{Site}/projects/{id}/verification.xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        var book = await OpenPyxl.ReadAsync(await response.Content.ReadAsByteArrayAsync());

        foreach (var sheet in new[] { "概况 Summary", "基准模型 Baseline model", "节能量 Savings (kWh)", "经济性 Economics", "检验 Checks", "基准期数据 Baseline data", "非常规调整 Adjustments" })
            Assert.True(book.ContainsKey(sheet), $"no sheet '{sheet}' in {string.Join(", ", book.Keys)}");
        var rows = book["节能量 Savings (kWh)"];
        var total = Assert.Single(rows, r => r.Count > 5 && r[0].ValueKind == JsonValueKind.String && r[0].GetString() == "合计 Total");
        var expected = D(savings, "savings");
        Assert.True(Math.Abs(total[5].GetDouble() - expected) <= 1e-9 * Math.Abs(expected), $"workbook {total[5]}, API {expected}");
        Assert.True(Math.Abs(total[4].GetDouble() - D(savings, "adjustedBaseline")) <= 1e-9 * D(savings, "adjustedBaseline"));
        Assert.Equal(ReportingDays, rows.Count(r => r.Count > 0 && r[0].ValueKind == JsonValueKind.String && DateOnly.TryParseExact(r[0].GetString(), "yyyy-MM-dd", out _)));
        // The coefficients sheet carries the model's intercept as the API gives it.
        var model = await GetAsync($"/api/v1/sites/{Site}/mv-models/{modelId}");
        var intercept = D(model.GetProperty("result").GetProperty("fit").GetProperty("ols").GetProperty("coefficients")[0], "estimate");
        Assert.Contains(book["基准模型 Baseline model"], r => r.Count > 1 && r[1].ValueKind == JsonValueKind.Number && r[1].GetDouble() == intercept);
        var investment = Assert.Single(book["经济性 Economics"], r => r.Count > 1 && r[0].ValueKind == JsonValueKind.String && r[0].GetString()!.StartsWith("总投资", StringComparison.Ordinal));
        Assert.Equal(325_000, investment[1].GetDouble());

        using var missing = await _client.GetAsync($"/api/v1/sites/{Site}/projects/{id + 100}/verification.xlsx");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 10. The audit trail.

    [Fact]
    public async Task Changes_ToProjectsAndModels_RecordedInTheAuditTrailWithWhoAndTheBody()
    {
        var project = await CreateProjectAsync(ProjectBody("Audited project"));
        var id = project.GetProperty("id").GetInt64();
        var (changed, _) = await StateAsync(id, new { state = "Proposed", note = "for the budget round" });
        Assert.Equal(HttpStatusCode.OK, changed);
        var model = await CreateModelAsync(ModelBody());
        var (bad, _) = await SendAsync(HttpMethod.Post, $"/api/v1/sites/{Site}/projects", ProjectBody(category: "miracle"));
        Assert.Equal(HttpStatusCode.BadRequest, bad);

        var entries = (await GetAsync("/api/v1/audit")).EnumerateArray()
            .Where(e => e.GetProperty("subject").GetString()!.StartsWith($"/api/v1/sites/{Site}/", StringComparison.Ordinal)).ToList();

        Assert.Equal(
            [
                (Actor, $"/api/v1/sites/{Site}/mv-models"),
                (Actor, $"/api/v1/sites/{Site}/projects/{id}/state"),
                (Actor, $"/api/v1/sites/{Site}/projects"),
            ],
            entries.Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("subject").GetString())));
        Assert.StartsWith("POST /api/v1/sites/{site}/mv-models", entries[0].GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("PUT /api/v1/sites/{site}/projects/{id", entries[1].GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("POST /api/v1/sites/{site}/projects", entries[2].GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.Equal(201, entries[2].GetProperty("detail").GetProperty("status").GetInt32());
        Assert.Equal("Audited project", entries[2].GetProperty("detail").GetProperty("body").GetProperty("title").GetString());
        Assert.Equal(("Proposed", "for the budget round"), (entries[1].GetProperty("detail").GetProperty("body").GetProperty("state").GetString(),
            entries[1].GetProperty("detail").GetProperty("body").GetProperty("note").GetString()));
        Assert.Equal("meter:" + Compressor, entries[0].GetProperty("detail").GetProperty("body").GetProperty("subject").GetString());
        Assert.Equal(model.GetProperty("id").GetInt64(), (await GetAsync($"/api/v1/sites/{Site}/mv-models")).EnumerateArray().Single().GetProperty("id").GetInt64());
    }
}
