using GreenLoop.Pipeline.Monitor.Query;
using GreenLoop.Server.Api;
using GreenLoop.Storage;

namespace GreenLoop.Server.Tests;

/// <summary>The query-string text of the series queries (grain, from, to) read at the HTTP edge.</summary>
public sealed class QueryTextTests
{
    [Theory]
    [InlineData("15m", Grain.Minutes15)]
    [InlineData("15min", Grain.Minutes15)]
    [InlineData("Quarter", Grain.Minutes15)]
    [InlineData("hour", Grain.Hour)]
    [InlineData("1H", Grain.Hour)]
    [InlineData("", Grain.Hour)]
    [InlineData("day", Grain.Day)]
    [InlineData("1d", Grain.Day)]
    [InlineData("MONTH", Grain.Month)]
    public void TryGrain_NameOrAlias_ItsGrainWhateverTheDefault(string text, Grain expected)
    {
        Assert.True(QueryText.TryGrain(text, Grain.Day, out var grain, out var error));

        Assert.Equal(expected, grain);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(Grain.Hour)]
    [InlineData(Grain.Day)]
    public void TryGrain_Absent_TheEndpointDefault(Grain whenAbsent)
    {
        Assert.True(QueryText.TryGrain(null, whenAbsent, out var grain, out _));

        Assert.Equal(whenAbsent, grain);
    }

    [Fact]
    public void TryGrain_Unknown_ErrorNamingTheParameterAndTheChoices()
    {
        Assert.False(QueryText.TryGrain("week", Grain.Hour, out _, out var error));

        Assert.Equal(new QueryTextError("grain", "unknown grain 'week'; use 15m, hour, day or month"), error);
    }

    [Fact]
    public void TryBound_LocalDate_DateLeftForTheSiteCalendar()
    {
        Assert.True(QueryText.TryBound("from", "2026-11-23", out var bound, out _));

        Assert.Equal(RangeBound.OnDate(new DateOnly(2026, 11, 23)), bound);
    }

    [Theory]
    [InlineData("2026-11-23T08:00:00Z", 0)]
    [InlineData("2026-11-23T16:00:00+08:00", 8)]
    [InlineData("2026-11-23T03:00:00-05:00", -5)]
    public void TryBound_InstantWithOffset_TheInstant(string text, int offsetHours)
    {
        Assert.True(QueryText.TryBound("to", text, out var bound, out _));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), bound!.Instant);
        Assert.Equal(TimeSpan.FromHours(offsetHours), bound.Instant!.Value.Offset);
        Assert.Null(bound.Date);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void TryBound_Blank_NoBound(string? text)
    {
        Assert.True(QueryText.TryBound("from", text, out var bound, out _));

        Assert.Null(bound);
    }

    [Theory]
    [InlineData("from", "yesterday")]
    [InlineData("to", "2026-11-23T08:00:00")]
    [InlineData("to", "23.11.2026")]
    public void TryBound_NeitherDateNorInstantWithOffset_ErrorNamingTheParameter(string parameter, string text)
    {
        Assert.False(QueryText.TryBound(parameter, text, out _, out var error));

        Assert.Equal(new QueryTextError(parameter, $"'{text}' is neither a date (yyyy-MM-dd) nor an ISO 8601 instant with offset"), error);
    }

    [Fact]
    public void TryRequest_GrainAndDates_TypedRequest()
    {
        Assert.True(QueryText.TryRequest("15m", Grain.Hour, "2026-11-23", null, out var request, out _));

        Assert.Equal(Grain.Minutes15, request.Grain);
        Assert.Equal(new PeriodRange(RangeBound.OnDate(new DateOnly(2026, 11, 23)), null), request.Range);
    }

    [Fact]
    public void TryRequest_NothingGiven_DefaultGrainAndDefaultRange()
    {
        Assert.True(QueryText.TryRequest(null, Grain.Day, null, null, out var request, out _));

        Assert.Equal(new RangeRequest(Grain.Day, PeriodRange.Default), request);
    }

    [Theory]
    [InlineData("week", "soon", "later", "grain")]
    [InlineData("day", "soon", "later", "from")]
    [InlineData("day", "2026-11-23", "later", "to")]
    public void TryRequest_SeveralUnreadable_FirstOfGrainFromToIsTheError(string grain, string from, string to, string parameter)
    {
        Assert.False(QueryText.TryRequest(grain, Grain.Hour, from, to, out _, out var error));

        Assert.Equal(parameter, error.Parameter);
    }
}
