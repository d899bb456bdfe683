namespace GreenLoop.Accounting.Tests;

// The shipped data set (Reference/factors.csv, version 2026.12): 409 data rows under one header.
public sealed class ReferenceLibraryTests
{
    private static readonly ReferenceLibrary _library = ReferenceLibrary.Shipped;

    [Fact]
    public void Shipped_ParsesAllRows()
    {
        Assert.Equal(409, _library.Factors.Count);
        Assert.Equal("2026.12", ReferenceLibrary.Version);
        Assert.All(_library.Factors, f => Assert.False(string.IsNullOrEmpty(f.Kind)));
        Assert.All(_library.Factors, f => Assert.False(string.IsNullOrEmpty(f.Key)));
        Assert.Equal(_library.Factors.Count, _library.Factors.Select(f => f.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("coal_coef")]
    [InlineData("grid_ef")]
    [InlineData("cn_fuel_ncv")]
    [InlineData("cn_fuel_cc")]
    [InlineData("cn_fuel_of")]
    [InlineData("ipcc_ef_co2")]
    [InlineData("ipcc_ef_ch4")]
    [InlineData("ipcc_ef_n2o")]
    [InlineData("gwp")]
    [InlineData("process_ef_carbonate")]
    [InlineData("energy_limit")]
    [InlineData("heat_ef")]
    public void Shipped_NumericRowsOfUsedKinds_KeepTheirSource(string kind)
    {
        var rows = _library.OfKind(kind).Where(f => f.Value is not null).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, f => Assert.False(string.IsNullOrWhiteSpace(f.Source), $"{f.Id} has no source"));
    }

    /// <summary>
    /// Every row cites its standard or publication in both languages (issue 12, item 21): no research notes, no
    /// repository or person in the citation; how the value was obtained is said apart, in <c>provenance</c>.
    /// </summary>
    [Fact]
    public void Shipped_EveryRow_CitesItsStandardInBothLanguages_WithoutResearchNotes()
    {
        string[] notes = ["github", "transcribed", "mcavoy", "adgo07", "aravindjk", "carbon-ledger", "same", ".com", "script"];
        foreach (var f in _library.Factors)
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Source), $"{f.Id}: no English citation");
            Assert.True(f.SourceZh.Any(c => c is >= '\u4e00' and <= '\u9fff'), $"{f.Id}: the Chinese citation '{f.SourceZh}' has no Chinese");
            foreach (var word in notes)
            {
                Assert.False(f.Source.Contains(word, StringComparison.OrdinalIgnoreCase), $"{f.Id}: citation '{f.Source}' reads like a research note ('{word}')");
                Assert.False(f.SourceZh.Contains(word, StringComparison.OrdinalIgnoreCase), $"{f.Id}: citation '{f.SourceZh}' reads like a research note ('{word}')");
            }
            Assert.DoesNotContain("McAvoy", f.Provenance, StringComparison.OrdinalIgnoreCase);
        }
        // Known citations: standard number, title and table.
        var grid = _library.Find("grid_ef", "CN.national.2023")!;
        Assert.Contains("生态环境部、国家统计局公告2025年第47号", grid.SourceZh, StringComparison.Ordinal);
        Assert.Contains("Announcement No. 47 of 2025", grid.Source, StringComparison.Ordinal);
        var limit = _library.OfKind("energy_limit").First(f => f.Key.StartsWith("GB 21252-2023", StringComparison.Ordinal));
        Assert.StartsWith("GB 21252-2023《建筑卫生陶瓷和耐磨氧化铝球单位产品能源消耗限额》", limit.SourceZh, StringComparison.Ordinal);
        Assert.Contains("Table 1.2", _library.OfKind("ipcc_ncv").First().Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Shipped_KnownRows_HaveTheirValues()
    {
        Assert.Equal(0.1229, _library.Require("coal_coef", "electricity_equivalent").Value);
        Assert.Equal(0.5306, _library.Require("grid_ef", "CN.national.2023").Value);
        Assert.Equal(0.6096, _library.Require("grid_ef", "CN.national_excl_market_nonfossil.2023").Value);
        Assert.Equal(0.4419, _library.Require("grid_ef", "CN.province.guangdong.2023").Value);
        Assert.Equal(389.31, _library.Require("cn_fuel_ncv", "natural_gas").Value);
        Assert.Equal("GJ/10^4Nm3", _library.Require("cn_fuel_ncv", "natural_gas").Unit);
        Assert.Equal(0.43971, _library.Require("process_ef_carbonate", "CaCO3").Value);
        Assert.Equal(6.5, _library.Require("energy_limit", "GB 21252-2023.tile_dry_pressed_abs_0.2_0.5.L3").Value);
    }

    [Theory]
    [InlineData("coal_coef", "natural_gas_gasfield", true)]
    [InlineData("coal_coef", "fresh_water", true)]
    [InlineData("coal_coef", "steam_low_pressure", true)]
    [InlineData("coal_coef", "electricity_equivalent", false)]
    [InlineData("grid_ef", "CN.national.2023", false)]
    public void Shipped_RowsSayingUnverified_AreFlagged(string kind, string key, bool unverified)
    {
        Assert.Equal(unverified, _library.Find(kind, key)!.Unverified);
    }

    [Fact]
    public void Shipped_FreshWater_HasNoNumberButKeepsRawText()
    {
        var water = _library.Find("coal_coef", "fresh_water")!;

        Assert.Null(water.Value);
        Assert.Equal("UNVERIFIED", water.RawValue);
        Assert.Throws<InvalidOperationException>(() => _library.Require("coal_coef", "fresh_water"));
        Assert.Throws<KeyNotFoundException>(() => _library.Require("coal_coef", "no_such_row"));
    }

    [Fact]
    public void Shipped_QuotedFieldWithComma_KeepsColumns()
    {
        // coal_coef,electricity_equivalent,电力(当量值),"Electricity, equivalent (calorific) value",0.1229,kgce/kWh,"…; …",2020,…
        var row = _library.Find("coal_coef", "electricity_equivalent")!;

        Assert.Equal("Electricity, equivalent (calorific) value", row.NameEn);
        Assert.Equal(0.1229, row.Value);
        Assert.Equal("kgce/kWh", row.Unit);
        Assert.Equal("2020", row.Year);
        Assert.Equal("3600 kJ/kWh (860 kcal/kWh)", row.Notes);
    }

    [Fact]
    public void Parse_QuotedCommasAndEscapedQuotes_SplitsRfc4180()
    {
        const string csv = "\uFEFFkind,key,name_zh,name_en,value,unit,source_zh,source_en,year,notes,provenance\n"
            + "k,a,甲,\"One, two\",1.5,t,来源甲,\"Src \"\"A\"\", p. 3\",2020,,\"copy, checked\"\n"
            + "\n"
            + "k,b,乙,B,n/a,t,来源,Src,,\"see source, UNVERIFIED\",\n";

        var rows = ReferenceLibrary.Parse(new StringReader(csv));

        Assert.Equal(2, rows.Count);
        Assert.Equal(new ReferenceFactor("k", "a", "甲", "One, two", 1.5, "1.5", "t", "Src \"A\", p. 3", "2020", "", false, "来源甲", "copy, checked"), rows[0]);
        Assert.Null(rows[1].Value);
        Assert.Equal("n/a", rows[1].RawValue);
        Assert.True(rows[1].Unverified);
        Assert.Equal("see source, UNVERIFIED", rows[1].Notes);
    }

    [Fact]
    public void Parse_MissingColumn_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ReferenceLibrary.Parse(new StringReader("kind,key,value\n")));
    }
}
