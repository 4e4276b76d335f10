//! What evaluation says: outcomes that carry no rule message of their own,
//! waivers, the plan's period.

use crate::units::Date;

catalogue! {
    /// Between the values an undecided value may take.
    or_word() { zh: "或", en: " or " }
    /// A record dated outside the pack's period.
    out_of_period(date: Date, start: Date, end: Date) {
        zh: "记录日期 {date} 不在规划期 {start} 至 {end} 之内，未按本规划检查",
        en: "the record's date {date} lies outside the plan's period {start} to {end}; no rule of this plan was checked",
    }
    /// Help for [`out_of_period`].
    out_of_period_help() {
        zh: "核对日期；如需按规划期内某日检查，使用 --date YYYY-MM-DD",
        en: "check the date, or evaluate as of a day in the period with --date YYYY-MM-DD",
    }
    /// A waiver without `rule`.
    waiver_no_rule() {
        zh: "豁免未写明所豁免的规则（rule）",
        en: "the waiver names no `rule`",
    }
    /// A waiver naming a rule the pack does not have.
    waiver_unknown_rule(id: &str) {
        zh: "豁免所指规则 `{id}` 不存在",
        en: "the waiver names the unknown rule `{id}`",
    }
    /// A waiver of a rule that is not in-principle.
    waiver_not_waivable(id: &str, force_zh: &str, force: &str) {
        zh: "规则 `{id}` 的效力为{force_zh}，不能豁免；只有「原则上」规则可以豁免",
        en: "rule `{id}` is {force} and cannot be waived; only in-principle (原则上) rules can",
    }
    /// A waiver without an approval number.
    waiver_no_approval() {
        zh: "豁免缺少批准文号（approval）",
        en: "the waiver has no `approval` document number",
    }
    /// A waiver whose `expires` is not a date.
    waiver_bad_expiry(text: &str) {
        zh: "豁免的有效期 `{text}` 不是 YYYY-MM-DD 格式的日期",
        en: "the waiver's `expires` `{text}` is not a date YYYY-MM-DD",
    }
    /// A waiver past its last valid day.
    waiver_expired(expires: Date, date: Date) {
        zh: "豁免已于 {expires} 到期（检查日期 {date}）",
        en: "the waiver expired on {expires} (checked as of {date})",
    }
    /// Help for every unusable waiver.
    waiver_covers_nothing() {
        zh: "该豁免不覆盖任何规则；所指规则照常检查",
        en: "this waiver covers nothing; the rule it names is checked as usual",
    }
    /// A waiver entry that is not an object.
    waiver_not_object(found: &str) {
        zh: "豁免应为 JSON 对象，实际为{found}",
        en: "a waiver must be an object, found {found}",
    }
    /// A waiver whose `rule` is not text.
    waiver_rule_not_text() {
        zh: "豁免的 `rule` 应为文本形式的规则编号",
        en: "the waiver's `rule` must be a rule id as text",
    }
    /// A violation covered by a waiver.
    waived(message: &str, approval: &str) {
        zh: "{message}（已由批准文件 {approval} 豁免）",
        en: "{message} (waived by approval {approval})",
    }
    /// Why the waiver was granted.
    waiver_reason(reason: &str) {
        zh: "豁免理由：{reason}",
        en: "reason for the waiver: {reason}",
    }
    /// A rule that holds, listed with `--all`.
    holds(title: &str) {
        zh: "符合：{title}",
        en: "holds: {title}",
    }
    /// A rule that does not apply, listed with `--all`.
    does_not_apply(title: &str) {
        zh: "不适用：{title}",
        en: "does not apply: {title}",
    }
    /// A rule that divides by zero.
    division_by_zero(id: &str, title: &str) {
        zh: "无法判断「{title}」：计算中出现除以零（某个作为除数的数值为 0）",
        en: "`{id}` ({title}) cannot be decided: a value it divides by is zero",
    }
    /// Help for [`division_by_zero`].
    division_by_zero_help() {
        zh: "核对作为分母的数值（如基期值、用地面积）",
        en: "check the values the rule divides by (a baseline, a land area)",
    }
    /// One absent field named with its title.
    missing_field(path: &str, title: &str) {
        zh: "`{path}`（{title}）",
        en: "`{path}` ({title})",
    }
    /// Absent fields leave a rule undecided (`verb` is "is" or "are").
    missing(list: &str, verb: &str, id: &str, title: &str) {
        zh: "缺少 {list}，无法判断是否符合「{title}」",
        en: "{list} {verb} missing, so `{id}` ({title}) cannot be decided",
    }
    /// Help for [`missing`].
    missing_help() {
        zh: "补充缺少的数据后重新检查；缺少数据从不视为符合",
        en: "add the missing values and check again; missing data never passes",
    }
    /// Separator of the messages of several failing requirements.
    requirement_separator() {
        zh: "；",
        en: "; ",
    }
    /// A true value shown in a message.
    yes() { zh: "是", en: "true" }
    /// A false value shown in a message.
    no() { zh: "否", en: "false" }
}
