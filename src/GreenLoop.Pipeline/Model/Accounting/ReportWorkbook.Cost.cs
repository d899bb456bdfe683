using System.Globalization;
using GreenLoop.Domain.Cost;
using GreenLoop.Pipeline.Cost;

namespace GreenLoop.Pipeline.Model.Accounting;

public static partial class ReportWorkbook
{
    /// <summary>Sheet names of the electricity bill.</summary>
    public const string BillEnergySheet = "电度电费 Energy charge";
    public const string BillBasicSheet = "基本电费 Basic charge";
    public const string BillPowerFactorSheet = "力调电费 Power factor";
    public const string BillFundsSheet = "基金及附加 Funds";
    public const string BillSourcesSheet = "来源 Sources";

    private static readonly SheetColumn[] _billLineColumns =
    [
        new("电价版本生效日 Tariff version from", 20),
        new("时段 Band", 22),
        new("电量 Energy (kWh)", 18, XlStyle.Number2),
        new("电价 Price (¥/kWh)", 18, XlStyle.Factor),
        new("金额 Amount (¥)", 18, XlStyle.Number2),
    ];

    private static readonly SheetColumn[] _billFundColumns =
    [
        new("名称 Name (中文)", 30),
        new("名称 Name (English)", 40),
        new("电量 Energy (kWh)", 18, XlStyle.Number2),
        new("单价 Price (¥/kWh)", 18, XlStyle.Factor),
        new("金额 Amount (¥)", 18, XlStyle.Number2),
    ];

    private static readonly SheetColumn[] _billSourceColumns = [new("类别 Kind", 22), new("内容 Text", 140)];

    /// <summary>A time-of-use band in both languages: "高峰 Peak".</summary>
    public static string BandLabel(TouBand band) => band switch
    {
        TouBand.CriticalPeak => "尖峰 Critical peak",
        TouBand.Peak => "高峰 Peak",
        TouBand.Flat => "平段 Flat",
        TouBand.Valley => "低谷 Valley",
        _ => "深谷 Deep valley",
    };

    private static string BasisLabel(BasicChargeBasis basis) => basis switch
    {
        BasicChargeBasis.Demand => "按最大需量 By maximum demand",
        BasicChargeBasis.Capacity => "按变压器容量 By transformer capacity",
        _ => "无基本电费 None (single-part tariff)",
    };

    /// <summary>A file name like <c>electricity-bill-demo-2026-11.xlsx</c> (the site key made safe for a file name).</summary>
    public static string BillFileName(string site, string month, string extension) => $"electricity-bill-{Safe(site)}-{month}.{extension}";

    /// <summary>
    /// A month's electricity bill as an .xlsx file: the summary (total ¥, kWh, average price, peak share, completeness),
    /// the energy charge by tariff version and band, the basic charge with the maximum demand and its interval, the
    /// power-factor adjustment, the funds, and the sources with every value flagged UNVERIFIED. Amounts in ¥ as
    /// reckoned (unrounded; the format shows two decimals).
    /// </summary>
    public static byte[] ElectricityBill(BillView view, string siteName)
    {
        ArgumentNullException.ThrowIfNull(view);
        var b = view.Bill;
        var summary = new SheetBuilder(SummarySheet, _summaryColumns, filter: false)
            .Row("工厂 Site", $"{siteName} ({view.Site})")
            .Row("月份 Month", view.Month)
            .Row("电价 Tariff", view.TariffNameZh is { Length: > 0 } zh ? $"{zh} / {view.TariffName}" : view.TariffName, null, view.Tariff)
            .Row("基本电费方式 Basic charge basis", BasisLabel(view.Account.Basis))
            .Row("计费电表 Billed meters (kWh)", string.Join(", ", view.Meters))
            .Row("无功电表 Reactive meters (kvarh)", view.ReactiveMeters.Count == 0 ? "无 None" : string.Join(", ", view.ReactiveMeters))
            .Row("币种 Currency", view.Currency, null, "金额单位 amounts in ¥ (CNY)");
        var complete = view.IntervalsFound >= view.IntervalsExpected;
        summary.Row("数据完整度 Completeness", new Styled(view.Completeness, XlStyle.Percent), "%",
            complete ? (object)$"{view.IntervalsFound} / {view.IntervalsExpected} 个15分钟区间 15-minute intervals"
                : new Styled($"缺 {view.IntervalsExpected - view.IntervalsFound} 个15分钟区间，未计费 / 15-minute intervals missing, not billed: {view.IntervalsExpected - view.IntervalsFound} ({view.IntervalsFound} / {view.IntervalsExpected})", XlStyle.Warning));
        summary.Row("电量 Energy", new Styled(b.Kwh, XlStyle.Number2), "kWh");
        summary.Row("电度电费 Energy charge", new Styled(b.EnergyCharge, XlStyle.Number2), "¥", "sheet " + BillEnergySheet);
        summary.Row("基本电费 Basic charge", new Styled(b.Basic?.Amount ?? 0, XlStyle.Number2), "¥", b.Basic is null ? "无 none" : "sheet " + BillBasicSheet);
        summary.Row("力调电费 Power-factor adjustment", new Styled(b.PowerFactor?.Amount ?? 0, XlStyle.Number2), "¥",
            b.PowerFactor is null ? "未调整 no adjustment" : "sheet " + BillPowerFactorSheet);
        summary.Row("政府性基金及附加 Funds and surcharges", new Styled(b.Surcharges.Sum(s => s.Amount), XlStyle.Number2), "¥", "sheet " + BillFundsSheet);
        summary.TotalRow("电费合计 Total", new Styled(b.Total, XlStyle.BoldNumber2), "¥");
        summary.Row("平均电价 Average price", new Styled(b.Kwh > 0 ? b.Total / b.Kwh : null, XlStyle.Factor), "¥/kWh", "total / kWh");
        summary.Row("峰段电量占比 Peak share", new Styled(b.PeakShare, XlStyle.Percent), "%", "(高峰 peak + 尖峰 critical peak kWh) / kWh");
        summary.Row("待核实 UNVERIFIED values", view.Unverified.Count > 0 ? new Styled($"是 Yes ({view.Unverified.Count})", XlStyle.Warning) : "否 No", null,
            view.Unverified.Count > 0 ? new Styled("the bill uses example or unverified values: see sheet " + BillSourcesSheet, XlStyle.Warning) : null);

        var energy = new SheetBuilder(BillEnergySheet, _billLineColumns);
        foreach (var l in b.Energy) energy.Row(l.ValidFrom, BandLabel(l.Band), l.Kwh, l.Price, l.Amount);
        energy.TotalRow("合计 Total", null, b.Kwh, null, b.EnergyCharge);

        var basic = new SheetBuilder(BillBasicSheet, _summaryColumns, filter: false);
        if (b.Basic is { } c)
        {
            var priceUnit = c.Basis == BasicChargeBasis.Capacity ? "¥/kVA·月 month" : "¥/kW·月 month";
            var quantityUnit = c.Basis == BasicChargeBasis.Capacity ? "kVA" : "kW";
            basic.Row("计费方式 Basis", BasisLabel(c.Basis), null, c.QuantityRule);
            if (c.MaxDemandKw is { } max)
                basic.Row("最大需量 Maximum demand", new Styled(max, XlStyle.Number2), "kW",
                    c.MaxDemandAt is { } at ? $"15分钟区间 15-minute interval {at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}–{at.AddMinutes(15).ToString("HH:mm", CultureInfo.InvariantCulture)} (当地时间 local)" : null);
            if (view.Account.ContractDemandKw is { } contract) basic.Row("合同需量 Contracted demand", new Styled(contract, XlStyle.Number2), "kW");
            if (view.Account.Basis == BasicChargeBasis.Capacity && view.Account.CapacityKva is { } kva) basic.Row("变压器容量 Transformer capacity", new Styled(kva, XlStyle.Number2), "kVA");
            basic.Row("计费数量 Quantity billed", new Styled(c.Quantity, XlStyle.Number2), quantityUnit);
            if (c.ExcessKw > 0)
                basic.Row(new Styled("超出合同需量105%部分 Excess above 105 %", XlStyle.Warning), new Styled(c.ExcessKw, XlStyle.Number2), "kW",
                    new Styled("按两倍电价 billed at twice the price (UNVERIFIED)", XlStyle.Warning));
            var days = DateTime.DaysInMonth(int.Parse(view.Month[..4], CultureInfo.InvariantCulture), int.Parse(view.Month[5..], CultureInfo.InvariantCulture));
            foreach (var p in c.Parts)
            {
                basic.Row($"{p.ValidFrom} 单价 Price", new Styled(p.Price, XlStyle.Factor), priceUnit);
                basic.Row($"{p.ValidFrom} 天数 Days in force", new Styled(p.Days, XlStyle.Factor), "d", $"of {days} days in the month");
                basic.Row($"{p.ValidFrom} 金额 Amount", new Styled(p.Amount, XlStyle.Number2), "¥");
            }
            basic.TotalRow("基本电费 Basic charge", new Styled(c.Amount, XlStyle.BoldNumber2), "¥");
        }
        else
        {
            basic.Row("计费方式 Basis", BasisLabel(BasicChargeBasis.None), null, "no basic charge");
        }

        var pf = new SheetBuilder(BillPowerFactorSheet, _summaryColumns, filter: false);
        if (b.PowerFactor is { } f)
        {
            pf.Row("有功电量 Active energy", new Styled(f.ActiveKwh, XlStyle.Number2), "kWh");
            pf.Row("无功电量 Reactive energy", new Styled(f.ReactiveKvarh, XlStyle.Number2), "kvarh");
            pf.Row("功率因数 Power factor cos φ", new Styled(f.PowerFactor, XlStyle.Factor), null, "P / √(P² + Q²)");
            pf.Row("结算功率因数 Billed cos φ", new Styled(f.Billed, XlStyle.Factor), null, "两位小数，四舍五入 two decimals, rounded half up");
            pf.Row("考核标准 Standard", new Styled(f.Standard, XlStyle.Factor), null, PowerFactorAdjustment.Verified(f.Standard) ? null : new Styled("UNVERIFIED table", XlStyle.Warning));
            pf.Row("调整比例 Adjustment", new Styled(f.Percent, XlStyle.Factor), "%", "+ 增收 surcharge, − 减收 reduction");
            pf.Row("调整基数 Base (basic + energy charge)", new Styled(f.Base, XlStyle.Number2), "¥", "不含基金 funds not adjusted");
            pf.TotalRow("力调电费 Power-factor adjustment", new Styled(f.Amount, XlStyle.BoldNumber2), "¥");
        }
        else
        {
            pf.Row("力调电费 Power-factor adjustment", "不调整 No adjustment", null,
                view.ReactiveMeters.Count == 0 ? "无无功电表 no reactive meter" : "账户未设功率因数标准 the account has no power-factor standard");
        }

        var funds = new SheetBuilder(BillFundsSheet, _billFundColumns);
        foreach (var s in b.Surcharges) funds.Row(s.NameZh, s.Name, s.Kwh, s.Price, s.Amount);
        funds.TotalRow("合计 Total", null, null, null, b.Surcharges.Sum(s => s.Amount));

        var sources = new SheetBuilder(BillSourcesSheet, _billSourceColumns);
        foreach (var s in view.Sources) sources.Row("来源 Source", s);
        foreach (var u in view.Unverified) sources.Row(new Styled("待核实 UNVERIFIED", XlStyle.Warning), new Styled(u, XlStyle.Warning));

        using var stream = new MemoryStream();
        Write(stream, $"{siteName} 电费 Electricity bill {view.Month}", [summary, energy, basic, pf, funds, sources]);
        return stream.ToArray();
    }
}
