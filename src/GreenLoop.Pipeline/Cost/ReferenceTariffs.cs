using GreenLoop.Domain.Cost;

namespace GreenLoop.Pipeline.Cost;

/// <summary>
/// The electricity tariffs GreenLoop ships, each with its sources and the values not checked against them flagged
/// UNVERIFIED. A tenant uses one as it is, or saves its own (the month's agency-purchase price from the grid's notice)
/// under the same key or another. See <c>docs/cost.md</c>.
/// </summary>
public static class ReferenceTariffs
{
    public const string GuangdongKey = "cn-gd-industrial-2part-10kv";

    private static readonly TouPeriod[] _summer =
    [
        new("00:00", "08:00", TouBand.Valley), new("08:00", "10:00", TouBand.Flat), new("10:00", "11:00", TouBand.Peak),
        new("11:00", "12:00", TouBand.CriticalPeak), new("12:00", "14:00", TouBand.Flat), new("14:00", "15:00", TouBand.Peak),
        new("15:00", "17:00", TouBand.CriticalPeak), new("17:00", "19:00", TouBand.Peak), new("19:00", "24:00", TouBand.Flat),
    ];

    private static readonly TouPeriod[] _year =
    [
        new("00:00", "08:00", TouBand.Valley), new("08:00", "10:00", TouBand.Flat), new("10:00", "12:00", TouBand.Peak),
        new("12:00", "14:00", TouBand.Flat), new("14:00", "19:00", TouBand.Peak), new("19:00", "24:00", TouBand.Flat),
    ];

    /// <summary>The flat energy price of the example, ¥/kWh without the funds: illustrative (the real one is the month's agency-purchase price).</summary>
    public const double GuangdongFlat = 0.65;

    /// <summary>
    /// Guangdong, industrial and commercial two-part tariff at 1-10 kV under the grid's agency purchase (代理购电), outside
    /// Shenzhen: the time-of-use hours and ratios of 粤发改价格〔2021〕331号 (peak 1.7, valley 0.38 × flat; critical peak
    /// 1.25 × peak in July-September), the basic charge of the third regulatory period, the government funds.
    /// </summary>
    public static readonly ElectricityTariff Guangdong = new()
    {
        Key = GuangdongKey,
        Name = "Guangdong industrial two-part tariff, 1-10 kV (agency purchase; example flat price)",
        NameZh = "广东省工商业两部制电价 1-10千伏（代理购电；平段电价为示例）",
        Region = "CN-Guangdong (outside Shenzhen)",
        VoltageLevel = "1-10 kV",
        Versions =
        [
            new TariffVersion
            {
                ValidFrom = "2023-06-01",
                Prices =
                [
                    new(TouBand.Flat, GuangdongFlat),
                    new(TouBand.Peak, GuangdongFlat * 1.7),
                    new(TouBand.Valley, GuangdongFlat * 0.38),
                    new(TouBand.CriticalPeak, GuangdongFlat * 1.7 * 1.25),
                ],
                Seasons =
                [
                    new TouSeason { Months = [7, 8, 9], Periods = _summer },
                    new TouSeason { Periods = _year },
                ],
                DemandPrice = 36.1,
                CapacityPrice = 22.6,
                Surcharges =
                [
                    new PerKwhCharge("Government funds and surcharges (total)", "政府性基金及附加（合计）", 0.02766875,
                        "2.766875 fen/kWh for industrial and commercial users, read in secondary copies of Guangdong grid price tables"),
                ],
                Source = "Hours and ratios: 广东省发展改革委《关于进一步完善我省峰谷分时电价政策有关问题的通知》粤发改价格〔2021〕331号 (2021-08-31, in force 2021-10-01): "
                    + "peak 10-12, 14-19; valley 0-8; flat otherwise; peak : flat : valley = 1.7 : 1 : 0.38 applied to the price without funds; critical peak 11-12 and 15-17, "
                    + "peak + 25 %, all of July-September. Basic charge: 广东电网 代理购电工商业用户电价表, 两部制 1-10(20) kV: 36.1 ¥/kW·month (maximum demand), "
                    + "22.6 ¥/kVA·month (transformer capacity) (third regulatory period, 发改价格〔2023〕526号). Read in secondary copies (news reposts, transcribed tables), not in the notices themselves.",
                Unverified =
                [
                    "prices: the flat price 0.65 ¥/kWh is an example; use the month's agency-purchase price (代理购电价格, without funds) from the grid's notice",
                    "demandPrice 36.1 and capacityPrice 22.6: read in copies of the grid's 2026-02 table, not in the 526号 annex; the fourth regulatory period (发改价格〔2026〕1077号, reportedly from 2026-08-01) may change them",
                    "surcharges: the total 0.02766875 ¥/kWh was read; its split into funds was not",
                    "seasons: critical peak on other days when Guangzhou's forecast maximum is ≥ 35 °C is not modelled (billed as peak)",
                ],
            },
        ],
    };

    public static readonly IReadOnlyList<ElectricityTariff> All = [Guangdong];
}
