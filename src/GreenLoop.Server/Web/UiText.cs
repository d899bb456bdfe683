using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using GreenLoop.Notifications;

namespace GreenLoop.Server.Web;

/// <summary>
/// Every string of the web UI in zh-CN and English, in one place. Razor pages use the indexer; the page scripts get the
/// same strings for the request's language as a JSON object (<see cref="ToJson"/>), so chart labels and tables built
/// in the browser say the same thing. Placeholders are <c>{0}</c>, <c>{1}</c>.
/// </summary>
public sealed partial class UiText
{
    private static readonly FrozenDictionary<string, (string Zh, string En)> _entries =
        CoreStrings().Concat(AccountingStrings()).Concat(MonitoringStrings()).Concat(ConnectorStrings()).Concat(SecurityStrings()).Concat(DataStrings()).Concat(OptimiseStrings()).Concat(FieldStrings()).Concat(CostStrings()).Concat(FlowStrings())
            .Concat(SeverityStrings()).ToFrozenDictionary(e => e.Key, e => (e.Zh, e.En), StringComparer.Ordinal);

    /// <summary>Severity labels: the notifications' own (<see cref="AlarmWording"/>), so a page and a message never disagree.</summary>
    private static IEnumerable<(string Key, string Zh, string En)> SeverityStrings() =>
        AlarmWording.Severities.Select(s => ($"live.severity.{s}", AlarmWording.Severity(s).Zh, AlarmWording.Severity(s).En));

    /// <summary>Shell, overview and meter pages, shared labels: key, Chinese, English.</summary>
    private static (string Key, string Zh, string En)[] CoreStrings() =>
    [
        ("app.name", "GreenLoop 绿环", "GreenLoop 绿环"),
        ("app.tagline", "能源与碳管理", "Energy and carbon management"),
        ("nav.overview", "总览", "Overview"),
        ("nav.meters", "计量表", "Meters"),
        ("nav.language", "语言", "Language"),
        ("nav.site", "站点", "Site"),
        ("nav.menu", "菜单", "Menu"),
        ("nav.energy", "能源", "Energy"),
        ("nav.carbon", "碳排放", "Carbon"),
        ("nav.factors", "因子库", "Factors"),
        ("lang.zh-CN", "中文", "中文"),
        ("lang.en", "English", "English"),
        ("common.loading", "加载中…", "Loading…"),
        ("common.none", "—", "—"),
        ("common.noData", "暂无数据", "No data"),
        ("common.retry", "重试", "Retry"),
        ("common.apply", "查询", "Apply"),
        ("common.siteLabel", "站点", "Site"),
        ("common.updated", "更新于 {0}", "Updated {0}"),
        ("common.autoRefresh", "每 30 秒自动刷新", "Refreshes every 30 s"),
        ("common.today", "今日", "Today"),
        ("common.month", "本月", "This month"),
        ("common.completeness", "数据完整率", "Data completeness"),
        ("common.completenessShort", "完整率", "Complete"),
        ("common.cancel", "取消", "Cancel"),
        ("common.rowsShown", "显示最近 {0} 行，共 {1} 行", "Showing the last {0} of {1} rows"),
        ("live.connecting", "连接中", "Connecting"),
        ("live.live", "实时", "Live"),
        ("live.offline", "离线", "Offline"),
        ("live.help.connecting", "正在连接实时更新…", "Connecting to live updates…"),
        ("live.help.live", "新数据和告警到达时，页面即时更新", "The page updates as new data and alarms arrive"),
        ("live.help.offline", "实时连接已断开，正在重连；其间每 30 秒刷新一次", "Live updates are down and reconnecting; meanwhile the page refreshes every 30 s"),
        ("live.updatesLive", "实时更新", "Updates live"),
        ("live.alarm", "告警", "Alarm"),
        ("live.close", "关闭", "Close"),
        ("live.state.active", "告警中", "Active"),
        ("live.state.acknowledged", "已确认", "Acknowledged"),
        ("live.state.cleared", "已恢复", "Cleared"),
        ("live.state.clearedUnack", "已恢复，未确认", "Cleared, not acknowledged"),
        ("error.siteNotFound", "找不到站点“{0}”。请检查地址，或返回总览。", "Site \"{0}\" was not found. Check the address or go back to the overview."),
        ("error.meterNotFound", "站点“{0}”中找不到计量表“{1}”。", "Meter \"{1}\" was not found in site \"{0}\"."),
        ("sources.derivationFailures", "推导搁置的计量表", "Meters set aside by derivation"),
        ("sources.derivationFailuresNote", "这些计量表的数据推导失败，会按退避间隔自动重试；其他计量表照常推导。", "Their derivation failed; they are retried with back-off while every other meter is derived as usual."),
        ("sources.derivationMeter", "计量表", "Meter"),
        ("sources.derivationError", "错误", "Error"),
        ("sources.derivationAttempts", "尝试次数", "Attempts"),
        ("sources.derivationRetry", "下次重试", "Next try"),
        ("meter.derivationFailed", "该计量表的数据推导失败，已暂时搁置（第 {1} 次尝试，下次重试 {2}）；其他计量表照常推导。错误：{0}",
            "Derivation of this meter failed; it is set aside (attempt {1}, next try {2}) while every other meter carries on. Error: {0}"),
        ("error.load", "数据加载失败：{0}", "Could not load data: {0}"),
        ("error.loadRetrying", "数据加载失败：{0}。将在 30 秒后重试，页面显示的是上次成功加载的数据。", "Could not load data: {0}. Retrying in 30 s; the page shows the last data that loaded."),
        ("error.network", "无法连接服务器", "the server cannot be reached"),
        ("error.badRange", "开始日期不能晚于结束日期。", "The start date must not be after the end date."),
        ("overview.title", "能源总览", "Energy overview"),
        ("overview.localDate", "本地日期", "Local date"),
        ("overview.timeZone", "时区", "Time zone"),
        ("overview.localTime", "本地时间", "Local time"),
        ("overview.loadCurve", "今日负荷曲线", "Today's load curve"),
        ("overview.loadCurveNote", "计入的购入电量，每 15 分钟平均功率", "Counted electricity import, mean power per 15 min"),
        ("overview.meanPower", "平均功率", "Mean power"),
        ("overview.byCarrier", "分介质能耗", "Energy by carrier"),
        ("overview.byWorkshop", "分车间能耗", "Energy by workshop"),
        ("overview.completenessToday", "今日数据完整率", "Data completeness today"),
        ("overview.completenessNote", "已测量覆盖时长 / 已过时长", "Measured coverage / elapsed time"),
        ("overview.meters", "计量表", "Meters"),
        ("overview.carrier", "介质", "Carrier"),
        ("meters.title", "计量表", "Meters"),
        ("meters.search", "按编号或名称筛选", "Filter by key or name"),
        ("meters.count", "共 {0} 块计量表", "{0} meters"),
        ("col.key", "编号", "Key"),
        ("col.name", "名称", "Name"),
        ("col.carrier", "介质", "Carrier"),
        ("col.kind", "类型", "Kind"),
        ("col.unit", "单位", "Unit"),
        ("col.lastReading", "最新读数", "Last reading"),
        ("col.completenessToday", "今日完整率", "Complete today"),
        ("col.start", "时段开始", "Period start"),
        ("col.value", "数值", "Value"),
        ("col.consumption", "用量", "Consumption"),
        ("col.mean", "平均值", "Mean"),
        ("col.min", "最小值", "Min"),
        ("col.max", "最大值", "Max"),
        ("col.completeness", "完整率", "Completeness"),
        ("col.flags", "标记", "Flags"),
        ("col.time", "时间", "Time"),
        ("col.event", "事件", "Event"),
        ("col.detail", "说明", "Detail"),
        ("meter.title", "计量表", "Meter"),
        ("meter.grain", "粒度", "Grain"),
        ("meter.from", "开始日期", "From"),
        ("meter.to", "结束日期", "To"),
        ("meter.chart", "时间序列", "Time series"),
        ("meter.consumption", "用量", "Consumption"),
        ("meter.mean", "时间加权平均值", "Time-weighted mean"),
        ("meter.band", "最小–最大", "Min–max"),
        ("meter.completeness", "完整率", "Completeness"),
        ("meter.flags", "数据标记", "Data flags"),
        ("meter.events", "表计事件", "Meter events"),
        ("meter.noEvents", "该时段没有事件。", "No events in this period."),
        ("meter.data", "数据明细", "Data"),
        ("meter.noData", "该时段没有数据。没有数据的时段不显示为零。", "No data in this period. Periods without data are never shown as zero."),
        ("meter.backToList", "返回计量表列表", "Back to the meter list"),
        ("meter.unit", "单位", "Unit"),
        ("col.figure", "数值项", "Figure"),
        ("col.locked", "锁定值", "Locked"),
        ("col.current", "当前值", "Current"),
        ("col.difference", "差额", "Difference"),
        ("col.meters", "计量表", "Meters"),
        ("col.quantity", "实物量", "Quantity"),
        ("col.coefficient", "折标系数", "Coefficient"),
        ("col.sourceYear", "来源与年份", "Source and year"),
        ("col.kgce", "折标准煤", "Standard coal"),
        ("col.share", "占比", "Share"),
        ("col.reason", "原因", "Reason"),
        ("col.scope", "范围", "Scope"),
        ("col.category", "类别", "Category"),
        ("col.source", "来源", "Source"),
        ("col.basis", "口径", "Basis"),
        ("col.co2e", "CO₂ 当量", "CO₂e"),
        ("col.factor", "因子", "Factor"),
        ("col.year", "年份", "Year"),
        ("col.notes", "备注", "Notes"),
        ("col.by", "操作人", "By"),
        ("col.at", "时间", "At"),
        ("grain.15m", "15 分钟", "15 min"),
        ("grain.hour", "小时", "Hour"),
        ("grain.day", "日", "Day"),
        ("grain.month", "月", "Month"),
        ("kind.Cumulative", "累计型", "Cumulative"),
        ("kind.Interval", "区间型", "Interval"),
        ("kind.Instantaneous", "瞬时型", "Instantaneous"),
        ("flag.estimated", "估算", "Estimated"),
        ("flag.estimated.help", "跨数据缺口按时间比例分摊的估算值", "Spread across a data gap in proportion to time"),
        ("flag.gap", "缺口", "Gap"),
        ("flag.gap.help", "时段内有缺测，完整率低于 100%，缺测部分不补零", "Part of the period has no readings; the missing part is not filled with zero"),
        ("flag.drop", "读数回落", "Drop"),
        ("flag.drop.help", "累计读数无故下降，该部分不计入用量，并触发告警", "Unexplained counter drop: not counted, raised as an alarm"),
        ("flag.spike", "尖峰", "Spike"),
        ("flag.spike.help", "超过该表合理速率上限，请核实", "Faster than the meter's plausible rate: please check"),
        ("flag.event", "表计事件", "Meter event"),
        ("flag.event.help", "计数器翻转、换表或复位，已按记录处理", "Rollover, replacement or reset, handled as recorded"),
        ("flag.rollover", "翻转", "Rollover"),
        ("flag.replacement", "换表", "Replacement"),
        ("flag.reset", "复位", "Reset"),
        ("carrier.electricity", "电力", "Electricity"),
        ("carrier.pv_electricity", "光伏发电", "PV electricity"),
        ("carrier.natural_gas", "天然气", "Natural gas"),
        ("carrier.coal", "煤", "Coal"),
        ("carrier.diesel", "柴油", "Diesel"),
        ("carrier.lpg", "液化石油气", "LPG"),
        ("carrier.steam", "蒸汽", "Steam"),
        ("carrier.heat", "热力", "Heat"),
        ("carrier.compressed_air", "压缩空气", "Compressed air"),
        ("carrier.water", "水", "Water"),
        ("carrier.fresh_water", "新鲜水", "Fresh water"),
        ("carrier.recycled_water", "回用水", "Recycled water"),
        ("carrier.waste_water", "废水", "Waste water"),
        ("carrier.tile_output", "瓷砖产量", "Tile output"),
        ("carrier.body_raw_material", "坯体原料", "Body raw material"),
        ("carrier.kiln_temperature", "窑温", "Kiln temperature"),
        ("carrier.power", "功率", "Power"),
        ("carrier.so2", "二氧化硫", "SO2"),
        ("carrier.nox", "氮氧化物", "NOx"),
        ("carrier.particulates", "颗粒物", "Particulates"),
        ("carrier.flue_gas_flow", "烟气流量", "Flue-gas flow"),
        ("nav.alarms", "告警", "Alarms"),
        ("nav.alarmRules", "告警规则", "Rules"),
        ("nav.channels", "通知通道", "Channels"),
    ];

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
