using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace GreenLoop.Server.Web;

/// <summary>
/// Every string of the web UI in zh-CN and English, in one place. Razor pages use the indexer; the page scripts get the
/// same strings for the request's language as a JSON object (<see cref="ToJson"/>), so chart labels and tables built
/// in the browser say the same thing. Placeholders are <c>{0}</c>, <c>{1}</c>.
/// </summary>
public sealed class UiText
{
    private static readonly FrozenDictionary<string, (string Zh, string En)> _entries = new Dictionary<string, (string Zh, string En)>
    {
        ["app.name"] = ("GreenLoop 绿环", "GreenLoop 绿环"),
        ["app.tagline"] = ("能源与碳管理", "Energy and carbon management"),
        ["nav.overview"] = ("总览", "Overview"),
        ["nav.meters"] = ("计量表", "Meters"),
        ["nav.language"] = ("语言", "Language"),
        ["nav.energy"] = ("能源", "Energy"),
        ["nav.carbon"] = ("碳排放", "Carbon"),
        ["nav.factors"] = ("因子库", "Factors"),
        ["lang.zh-CN"] = ("中文", "中文"),
        ["lang.en"] = ("English", "English"),

        ["common.loading"] = ("加载中…", "Loading…"),
        ["common.none"] = ("—", "—"),
        ["common.noData"] = ("暂无数据", "No data"),
        ["common.retry"] = ("重试", "Retry"),
        ["common.apply"] = ("查询", "Apply"),
        ["common.siteLabel"] = ("站点", "Site"),
        ["common.updated"] = ("更新于 {0}", "Updated {0}"),
        ["common.autoRefresh"] = ("每 30 秒自动刷新", "Refreshes every 30 s"),
        ["common.today"] = ("今日", "Today"),
        ["common.month"] = ("本月", "This month"),
        ["common.completeness"] = ("数据完整率", "Data completeness"),
        ["common.completenessShort"] = ("完整率", "Complete"),
        ["common.cancel"] = ("取消", "Cancel"),
        ["common.rowsShown"] = ("显示最近 {0} 行，共 {1} 行", "Showing the last {0} of {1} rows"),

        ["error.siteNotFound"] = ("找不到站点“{0}”。请检查地址，或返回总览。", "Site \"{0}\" was not found. Check the address or go back to the overview."),
        ["error.meterNotFound"] = ("站点“{0}”中找不到计量表“{1}”。", "Meter \"{1}\" was not found in site \"{0}\"."),
        ["error.load"] = ("数据加载失败：{0}", "Could not load data: {0}"),
        ["error.loadRetrying"] = ("数据加载失败：{0}。将在 30 秒后重试，页面显示的是上次成功加载的数据。", "Could not load data: {0}. Retrying in 30 s; the page shows the last data that loaded."),
        ["error.network"] = ("无法连接服务器", "the server cannot be reached"),
        ["error.badRange"] = ("开始日期不能晚于结束日期。", "The start date must not be after the end date."),

        ["overview.title"] = ("能源总览", "Energy overview"),
        ["overview.localDate"] = ("本地日期", "Local date"),
        ["overview.timeZone"] = ("时区", "Time zone"),
        ["overview.localTime"] = ("本地时间", "Local time"),
        ["overview.loadCurve"] = ("今日负荷曲线", "Today's load curve"),
        ["overview.loadCurveNote"] = ("计入的购入电量，每 15 分钟平均功率", "Counted electricity import, mean power per 15 min"),
        ["overview.meanPower"] = ("平均功率", "Mean power"),
        ["overview.byCarrier"] = ("分介质能耗", "Energy by carrier"),
        ["overview.byWorkshop"] = ("分车间能耗", "Energy by workshop"),
        ["overview.completenessToday"] = ("今日数据完整率", "Data completeness today"),
        ["overview.completenessNote"] = ("已测量覆盖时长 / 已过时长", "Measured coverage / elapsed time"),
        ["overview.meters"] = ("计量表", "Meters"),
        ["overview.carrier"] = ("介质", "Carrier"),

        ["meters.title"] = ("计量表", "Meters"),
        ["meters.search"] = ("按编号或名称筛选", "Filter by key or name"),
        ["meters.count"] = ("共 {0} 块计量表", "{0} meters"),

        ["col.key"] = ("编号", "Key"),
        ["col.name"] = ("名称", "Name"),
        ["col.carrier"] = ("介质", "Carrier"),
        ["col.kind"] = ("类型", "Kind"),
        ["col.unit"] = ("单位", "Unit"),
        ["col.lastReading"] = ("最新读数", "Last reading"),
        ["col.completenessToday"] = ("今日完整率", "Complete today"),
        ["col.start"] = ("时段开始", "Period start"),
        ["col.value"] = ("数值", "Value"),
        ["col.consumption"] = ("用量", "Consumption"),
        ["col.mean"] = ("平均值", "Mean"),
        ["col.min"] = ("最小值", "Min"),
        ["col.max"] = ("最大值", "Max"),
        ["col.completeness"] = ("完整率", "Completeness"),
        ["col.flags"] = ("标记", "Flags"),
        ["col.time"] = ("时间", "Time"),
        ["col.event"] = ("事件", "Event"),
        ["col.detail"] = ("说明", "Detail"),

        ["meter.title"] = ("计量表", "Meter"),
        ["meter.grain"] = ("粒度", "Grain"),
        ["meter.from"] = ("开始日期", "From"),
        ["meter.to"] = ("结束日期", "To"),
        ["meter.chart"] = ("时间序列", "Time series"),
        ["meter.consumption"] = ("用量", "Consumption"),
        ["meter.mean"] = ("时间加权平均值", "Time-weighted mean"),
        ["meter.band"] = ("最小–最大", "Min–max"),
        ["meter.completeness"] = ("完整率", "Completeness"),
        ["meter.flags"] = ("数据标记", "Data flags"),
        ["meter.events"] = ("表计事件", "Meter events"),
        ["meter.noEvents"] = ("该时段没有事件。", "No events in this period."),
        ["meter.data"] = ("数据明细", "Data"),
        ["meter.noData"] = ("该时段没有数据。没有数据的时段不显示为零。", "No data in this period. Periods without data are never shown as zero."),
        ["meter.backToList"] = ("返回计量表列表", "Back to the meter list"),
        ["meter.unit"] = ("单位", "Unit"),

        ["period.type"] = ("期间类型", "Period type"),
        ["period.month"] = ("月", "Month"),
        ["period.year"] = ("年", "Year"),
        ["period.label"] = ("核算期", "Period"),
        ["period.monthLabel"] = ("{0}年{1}月", "{2} {0}"),
        ["period.yearLabel"] = ("{0}年", "Year {0}"),

        ["report.dataSet"] = ("参考数据版本", "Reference data set"),
        ["report.exportExcel"] = ("导出 Excel", "Export Excel"),
        ["report.noData"] = ("{0}没有计量数据，无可核算内容（不按零值报告）。", "No metered data in {0}: nothing to account (not reported as zero)."),

        ["energy.title"] = ("能源核算", "Energy account"),
        ["energy.subtitle"] = ("综合能耗按 GB/T 2589-2020 计算；单位产品能耗对照能耗限额标准", "Comprehensive energy consumption per GB/T 2589-2020; unit-product energy against the limit standard"),
        ["energy.summary"] = ("本期核算结果", "This period's account"),
        ["energy.total"] = ("综合能耗", "Comprehensive energy consumption"),
        ["energy.output"] = ("合格产品产量", "Qualified output"),
        ["energy.noOutput"] = ("本期未计量产量", "No output metered"),
        ["energy.unit"] = ("单位产品综合能耗", "Unit-product energy consumption"),
        ["energy.byCarrier"] = ("分能源品种", "By energy carrier"),
        ["energy.exportLine"] = ("{0}（外供，扣除）", "{0} supplied outside (deducted)"),
        ["energy.trend"] = ("逐月趋势", "Monthly trend"),
        ["energy.trendYear"] = ("{0}年逐月综合能耗", "Monthly energy consumption, {0}"),
        ["energy.trendNote"] = ("柱：综合能耗（tce，按能源品种堆叠）；线：单位产品综合能耗及限额等级。点击柱可切换到该月。", "Bars: comprehensive energy (tce, stacked by carrier); line: unit-product energy and the limit levels. Click a bar to open that month."),
        ["energy.trendFailed"] = ("有 {0} 个月的数据加载失败，图中留空。", "{0} months could not be loaded and are left blank."),

        ["verdict.title"] = ("能耗限额对标", "Energy limit verdict"),
        ["verdict.pass"] = ("达标：单位产品综合能耗 {0}，达到 {1} {2}。", "Pass: unit-product energy of {0} meets {1} {2}."),
        ["verdict.fail"] = ("不达标：单位产品综合能耗 {0}，超过 {1} 3级限定值 {2}。", "Fail: unit-product energy of {0} exceeds the level-3 mandatory limit of {1} ({2})."),
        ["verdict.noOutput"] = ("本期没有合格产品产量，无法计算单位产品综合能耗。", "No qualified output in this period, so unit-product energy cannot be computed."),
        ["verdict.noClass"] = ("站点核算配置未指定能耗限额标准的产品类别，无法对标。", "The site's accounting profile names no product class of a limit standard, so there is no verdict."),
        ["verdict.level"] = ("{0}级", "Level {0}"),
        ["verdict.over"] = ("超限", "Above limit"),
        ["verdict.plant"] = ("本厂 {0}", "Plant {0}"),
        ["verdict.productClass"] = ("产品类别", "Product class"),
        ["verdict.levels"] = ("限额等级（数值越低越先进）", "Levels (lower is more efficient)"),
        ["verdict.lowerIsBetter"] = ("限额值核实情况", "Limit values"),
        ["verdict.verifiedLimits"] = ("已核实", "Verified"),

        ["carbon.title"] = ("碳排放核算", "Carbon inventory"),
        ["carbon.subtitle"] = ("温室气体清单：范围一（燃烧与过程）、范围二（基于位置与基于市场），每个数值均可追溯", "GHG inventory: Scope 1 (combustion and process), Scope 2 (location- and market-based), every figure traceable"),
        ["carbon.method"] = ("核算方法", "Method"),
        ["carbon.gwp"] = ("GWP 取值", "GWP set"),
        ["carbon.totals"] = ("按范围汇总", "Totals by scope"),
        ["carbon.iso"] = ("ISO 14064-1 类别", "ISO 14064-1 categories"),
        ["carbon.isoNote"] = ("类别 3–6（其他间接排放）未纳入本清单。", "Categories 3–6 (other indirect emissions) are not part of this inventory."),
        ["carbon.locationBased"] = ("基于位置", "Location-based"),
        ["carbon.marketBased"] = ("基于市场", "Market-based"),
        ["carbon.total"] = ("合计", "Total"),
        ["carbon.bySource"] = ("按排放源", "By source"),
        ["carbon.bySourceNote"] = ("范围二按基于位置法；点击扇区查看追溯", "Scope 2 location-based; click a slice for its lineage"),
        ["carbon.lines"] = ("清单明细", "Inventory lines"),
        ["carbon.intensity"] = ("碳排放强度", "Carbon intensity"),
        ["carbon.noOutput"] = ("本期未计量产量", "No output metered"),

        ["scope.1"] = ("范围一", "Scope 1"),
        ["scope.2"] = ("范围二", "Scope 2"),
        ["iso.category"] = ("类别 {0}", "Category {0}"),
        ["iso.1"] = ("直接温室气体排放", "Direct GHG emissions"),
        ["iso.2"] = ("输入能源的间接排放", "Indirect emissions from imported energy"),
        ["source.combustion"] = ("化石燃料燃烧", "Fuel combustion"),
        ["source.process"] = ("过程排放", "Process"),
        ["source.electricity"] = ("外购电力", "Purchased electricity"),
        ["source.heat"] = ("外购热力", "Purchased heat"),
        ["basis.location"] = ("基于位置", "location-based"),
        ["basis.market"] = ("基于市场", "market-based"),

        ["figure.energy.total"] = ("综合能耗", "Comprehensive energy consumption"),
        ["figure.ghg.scope1"] = ("范围一", "Scope 1"),
        ["figure.ghg.scope2.location"] = ("范围二（基于位置）", "Scope 2, location-based"),
        ["figure.ghg.scope2.market"] = ("范围二（基于市场）", "Scope 2, market-based"),

        ["notCounted.title"] = ("未计入的计量项", "Metered but not counted"),
        ["notCounted.note"] = ("原因由核算程序给出（英文）", "Reason as given by the calculator"),

        ["lineage.title"] = ("数据追溯", "Lineage"),
        ["lineage.note"] = ("点击展开：计算公式、活动数据（计量表、期间、完整率）和所用因子（来源、年份、数据版本）", "Click to expand: formula, activity data (meters, period, completeness) and the factors used (source, year, data-set version)"),
        ["lineage.showing"] = ("当前：{0}。点击上方任一数值切换", "Showing: {0}. Click any figure above to switch"),
        ["lineage.clickHint"] = ("点击行或数值查看追溯", "Click a row or figure to trace it"),
        ["lineage.show"] = ("追溯", "Trace"),
        ["lineage.expand"] = ("展开追溯", "Expand lineage"),
        ["lineage.formula"] = ("公式", "Formula"),
        ["lineage.lowestCompleteness"] = ("最低数据完整率", "Lowest data completeness"),
        ["lineage.activity"] = ("活动数据", "Activity data"),
        ["lineage.factors"] = ("因子", "Factors"),
        ["lineage.parts"] = ("由 {0} 项组成", "Made of {0} figures"),
        ["lineage.noMeters"] = ("无计量表", "no meters"),
        ["lineage.overrideBy"] = ("站点覆盖值：{0}（{1}，{2}）", "Site override: {0} (by {1}, {2})"),
        ["lineage.yearVersion"] = ("{0} 年 · 数据版本 {1}", "year {0} · data set {1}"),

        ["badge.legend"] = ("标记说明", "What the badges mean"),
        ["badge.estimated"] = ("估算", "Estimated"),
        ["badge.estimated.help"] = ("部分活动数据跨数据缺口按时间比例估算（完整率低于 100%）", "Part of the activity data is estimated across data gaps (completeness below 100%)"),
        ["badge.unverified"] = ("未核实", "UNVERIFIED"),
        ["badge.unverified.help"] = ("该因子的数值尚未对照标准原文核实，仅可作参考；请核实后以站点覆盖值替代", "The factor's number has not been checked against the standard's own text; treat it as provisional and replace it with a site override once checked"),
        ["badge.override"] = ("站点覆盖", "Override"),
        ["badge.override.help"] = ("使用了站点自己的数值（如实测热值），已记录原因、操作人和时间", "The site's own value is used (e.g. a measured calorific value), recorded with reason, person and time"),
        ["badge.deducted"] = ("扣除", "Deducted"),
        ["badge.deducted.help"] = ("向核算边界外供出的能源，从综合能耗中扣除", "Energy supplied outside the boundary, deducted from the total"),

        ["lock.title"] = ("期间锁定", "Period lock"),
        ["lock.note"] = ("锁定后数值保持不变；之后到达的数据显示为调整项", "A locked period keeps its figures; later data shows as adjustments"),
        ["lock.button"] = ("锁定期间", "Lock period"),
        ["lock.alreadyLocked"] = ("已锁定", "Locked"),
        ["lock.confirmTitle"] = ("锁定 {0}？", "Lock {0}?"),
        ["lock.confirmText"] = ("锁定后，本期的能源与碳排放数值将保持为当前值，之后到达或更正的数据只显示为调整项。锁定不可撤销。", "Once locked, the period's energy and carbon figures stay as they are now; data that arrives or is corrected later shows only as adjustments. A lock cannot be undone."),
        ["lock.inProgress"] = ("注意：该期间尚未结束，之后的数据都将成为调整项。", "Note: this period has not ended yet; everything metered after now will be an adjustment."),
        ["lock.confirm"] = ("确认锁定", "Lock"),
        ["lock.failed"] = ("无法锁定：{0}", "Could not lock: {0}"),
        ["lock.locked"] = ("已锁定", "Locked"),
        ["lock.open"] = ("未锁定", "Open"),
        ["lock.lockedBy"] = ("于 {0} 由 {1} 锁定。", "Locked at {0} by {1}."),
        ["lock.lockedFigures"] = ("页面显示锁定时的数值。", "The page shows the figures as locked."),
        ["lock.openText"] = ("数值随新数据更新。", "Figures follow new data."),
        ["lock.noAdjustments"] = ("锁定后没有调整。", "No adjustments since the lock."),
        ["lock.notLockedNoAdjustments"] = ("期间未锁定，没有调整项。", "The period is not locked, so there are no adjustments."),
        ["lock.adjustmentsNotice"] = ("本期已锁定，锁定后有 {0} 项数值因新数据而变化（见调整项）。", "This period is locked; {0} figures changed with data that arrived after the lock (see adjustments)."),
        ["lock.seeAdjustments"] = ("查看调整项", "See adjustments"),

        ["factors.title"] = ("因子库", "Factor library"),
        ["factors.heading"] = ("参考数据集", "Reference data set"),
        ["factors.subtitle"] = ("折标系数、排放因子、GWP 与能耗限额，每行附来源、年份与核实状态", "Standard-coal coefficients, emission factors, GWP and energy limits, each row with its source, year and verification status"),
        ["factors.rows"] = ("条目数", "Rows"),
        ["factors.kind"] = ("类别", "Kind"),
        ["factors.allKinds"] = ("全部类别", "All kinds"),
        ["factors.search"] = ("按键名或名称搜索", "Search key or name"),
        ["factors.shown"] = ("显示 {0} 条，共 {1} 条", "{0} of {1} rows"),
        ["factors.none"] = ("没有符合条件的因子。", "No factor matches."),
        ["factors.noNumber"] = ("来源未给出可用的单一数值", "The source gives no single usable number"),

        ["overrides.title"] = ("站点覆盖值", "Site overrides"),
        ["overrides.note"] = ("站点自己的数值（如实测低位发热量）替代参考值，用于之后的核算", "The site's own values (e.g. a measured NCV) replace reference values in its accounts"),
        ["overrides.none"] = ("本站点还没有覆盖值。", "This site has no overrides yet."),
        ["overrides.add"] = ("新增覆盖值", "Add an override"),
        ["overrides.anyYear"] = ("所有年份", "All years"),
        ["overrides.reasonPlaceholder"] = ("依据，如：实测热值，化验报告 2025-031", "Reason, e.g. measured NCV, lab report 2025-031"),
        ["overrides.submit"] = ("保存", "Save"),
        ["overrides.use"] = ("覆盖", "Override"),
        ["overrides.current"] = ("参考值：", "Reference value:"),
        ["overrides.reference"] = ("参考值 {0}", "reference {0}"),
        ["overrides.needFactor"] = ("请填写因子编号（类别/键名）。", "Enter a factor id (kind/key)."),
        ["overrides.needValue"] = ("请填写数值。", "Enter a value."),
        ["overrides.saved"] = ("已保存：{0} = {1}", "Saved: {0} = {1}"),
        ["overrides.rejected"] = ("服务器拒绝：{0}", "Rejected by the server: {0}"),

        ["col.figure"] = ("数值项", "Figure"),
        ["col.locked"] = ("锁定值", "Locked"),
        ["col.current"] = ("当前值", "Current"),
        ["col.difference"] = ("差额", "Difference"),
        ["col.meters"] = ("计量表", "Meters"),
        ["col.quantity"] = ("实物量", "Quantity"),
        ["col.coefficient"] = ("折标系数", "Coefficient"),
        ["col.sourceYear"] = ("来源与年份", "Source and year"),
        ["col.kgce"] = ("折标准煤", "Standard coal"),
        ["col.share"] = ("占比", "Share"),
        ["col.reason"] = ("原因", "Reason"),
        ["col.scope"] = ("范围", "Scope"),
        ["col.category"] = ("类别", "Category"),
        ["col.source"] = ("来源", "Source"),
        ["col.basis"] = ("口径", "Basis"),
        ["col.co2e"] = ("CO₂ 当量", "CO₂e"),
        ["col.factor"] = ("因子", "Factor"),
        ["col.year"] = ("年份", "Year"),
        ["col.notes"] = ("备注", "Notes"),
        ["col.by"] = ("操作人", "By"),
        ["col.at"] = ("时间", "At"),

        ["grain.15m"] = ("15 分钟", "15 min"),
        ["grain.hour"] = ("小时", "Hour"),
        ["grain.day"] = ("日", "Day"),
        ["grain.month"] = ("月", "Month"),

        ["kind.Cumulative"] = ("累计型", "Cumulative"),
        ["kind.Interval"] = ("区间型", "Interval"),
        ["kind.Instantaneous"] = ("瞬时型", "Instantaneous"),

        ["flag.estimated"] = ("估算", "Estimated"),
        ["flag.estimated.help"] = ("跨数据缺口按时间比例分摊的估算值", "Spread across a data gap in proportion to time"),
        ["flag.gap"] = ("缺口", "Gap"),
        ["flag.gap.help"] = ("时段内有缺测，完整率低于 100%，缺测部分不补零", "Part of the period has no readings; the missing part is not filled with zero"),
        ["flag.drop"] = ("读数回落", "Drop"),
        ["flag.drop.help"] = ("累计读数无故下降，该部分不计入用量，并触发告警", "Unexplained counter drop: not counted, raised as an alarm"),
        ["flag.spike"] = ("尖峰", "Spike"),
        ["flag.spike.help"] = ("超过该表合理速率上限，请核实", "Faster than the meter's plausible rate: please check"),
        ["flag.event"] = ("表计事件", "Meter event"),
        ["flag.event.help"] = ("计数器翻转、换表或复位，已按记录处理", "Rollover, replacement or reset, handled as recorded"),
        ["flag.rollover"] = ("翻转", "Rollover"),
        ["flag.replacement"] = ("换表", "Replacement"),
        ["flag.reset"] = ("复位", "Reset"),

        ["carrier.electricity"] = ("电力", "Electricity"),
        ["carrier.pv_electricity"] = ("光伏发电", "PV electricity"),
        ["carrier.natural_gas"] = ("天然气", "Natural gas"),
        ["carrier.coal"] = ("煤", "Coal"),
        ["carrier.diesel"] = ("柴油", "Diesel"),
        ["carrier.lpg"] = ("液化石油气", "LPG"),
        ["carrier.steam"] = ("蒸汽", "Steam"),
        ["carrier.heat"] = ("热力", "Heat"),
        ["carrier.compressed_air"] = ("压缩空气", "Compressed air"),
        ["carrier.water"] = ("水", "Water"),
        ["carrier.fresh_water"] = ("新鲜水", "Fresh water"),
        ["carrier.recycled_water"] = ("回用水", "Recycled water"),
        ["carrier.waste_water"] = ("废水", "Waste water"),
        ["carrier.tile_output"] = ("瓷砖产量", "Tile output"),
        ["carrier.body_raw_material"] = ("坯体原料", "Body raw material"),
        ["carrier.kiln_temperature"] = ("窑温", "Kiln temperature"),
        ["carrier.power"] = ("功率", "Power"),
        ["carrier.so2"] = ("二氧化硫", "SO2"),
        ["carrier.nox"] = ("氮氧化物", "NOx"),
        ["carrier.particulates"] = ("颗粒物", "Particulates"),
        ["carrier.flue_gas_flow"] = ("烟气流量", "Flue-gas flow"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Escapes HTML-sensitive characters (so the JSON is safe inside a <script> element) but keeps CJK readable.
    private static readonly JsonSerializerOptions _jsonOptions = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static readonly UiText _chinese = new(UiLanguage.Chinese);
    private static readonly UiText _english = new(UiLanguage.English);

    private readonly bool _isChinese;
    private readonly string _json;

    private UiText(string language)
    {
        Language = language;
        _isChinese = language == UiLanguage.Chinese;
        _json = JsonSerializer.Serialize(_entries.ToDictionary(e => e.Key, e => _isChinese ? e.Value.Zh : e.Value.En), _jsonOptions);
    }

    /// <summary><see cref="UiLanguage.Chinese"/> or <see cref="UiLanguage.English"/>.</summary>
    public string Language { get; }

    /// <summary>Every key, for tests that check both languages are filled in.</summary>
    public static IEnumerable<string> Keys => _entries.Keys;

    /// <summary>The string for a key; an unknown key is a programming error.</summary>
    public string this[string key] => _entries.TryGetValue(key, out var entry)
        ? (_isChinese ? entry.Zh : entry.En)
        : throw new KeyNotFoundException($"No UI text for key '{key}'.");

    /// <summary>The string for a key with <c>{0}</c>, <c>{1}</c>... replaced.</summary>
    public string Format(string key, params object?[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], args);

    /// <summary>All strings of this language as one JSON object, safe to embed in a script element.</summary>
    public string ToJson() => _json;

    /// <summary>The texts of a language code (normalised; anything unknown means English).</summary>
    public static UiText For(string? language) => UiLanguage.Normalize(language) == UiLanguage.Chinese ? _chinese : _english;
}
