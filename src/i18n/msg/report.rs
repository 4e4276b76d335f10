//! What the reports say around the findings: citations, labels, statuses
//! and summaries.

catalogue! {
    /// The plan's sentence behind a rule (`doc`: the document, `line`: where the quote starts).
    citation(section: &str, doc: &str, line: usize, quotes: &str) {
        zh: "规划原文（{section}，{doc} 第 {line} 行）：「{quotes}」",
        en: "the plan ({section}, {doc} line {line}): 「{quotes}」",
    }
    /// A rule's title with its force.
    title_with_force(title: &str, force: &str) {
        zh: "{title}（{force}）",
        en: "{title} ({force})",
    }
    /// The label on a compared value (`unit` starts with a space, or is empty).
    actual_and_limit(actual: &str, limit: &str, unit: &str) {
        zh: "实际 {actual}{unit}，限值 {limit}{unit}",
        en: "actual {actual}{unit}, limit {limit}{unit}",
    }
    /// The word before a help line (as wide as `help: `).
    help_word() { zh: "提示：", en: "help: " }
    /// The label on a value without numbers.
    here() {
        zh: "此处",
        en: "here",
    }
    /// A record that passed.
    status_pass() { zh: "通过", en: "pass" }
    /// A record with warnings only.
    status_warn() { zh: "警告", en: "warn" }
    /// A record that failed.
    status_fail() { zh: "不通过", en: "fail" }
    /// A record that could not be checked.
    status_invalid() { zh: "无效", en: "invalid" }
    /// The closing summary of a run (`time`: [`took`], or empty).
    #[expect(clippy::too_many_arguments, reason = "the summary counts every status and severity")]
    summary(files: usize, records: usize, pass: usize, warn: usize, fail: usize, invalid: usize, errors: usize, warnings: usize, notes: usize, time: &str) {
        zh: "共检查 {files} 个文件、{records} 条记录：通过 {pass}，警告 {warn}，不通过 {fail}，无效 {invalid}；错误 {errors} 项，警告 {warnings} 项，提示 {notes} 项{time}\n",
        en: "checked {files} file(s), {records} record(s): {pass} pass, {warn} warn, {fail} fail, {invalid} invalid; {errors} error(s), {warnings} warning(s), {notes} note(s){time}\n",
    }
    /// Files of the folders given that were not checked.
    skipped_count(n: usize) {
        zh: "另有 {n} 个文件或文件夹未检查（-v 列出它们及原因）\n",
        en: "{n} file(s) or folder(s) in the folders given were not checked (-v lists them and why)\n",
    }
    /// How long a run took, appended to [`summary`].
    took(time: &str) {
        zh: "，用时 {time}",
        en: " in {time}",
    }
    /// What `input.parse` means.
    about_input_parse() { zh: "文件或行不是有效的 JSON", en: "a file or line is not valid JSON" }
    /// What `input.record` means.
    about_input_record() { zh: "记录无法检查", en: "a record that cannot be checked" }
    /// What `input.invalid` means.
    about_input_invalid() { zh: "数值类型、单位或取值无效", en: "a value of the wrong type, unit or enumeration" }
    /// What `input.unknown-field` means.
    about_unknown_field() { zh: "未声明的字段", en: "a field the rule pack does not declare" }
    /// What `waiver.invalid` means.
    about_waiver_invalid() { zh: "无效的豁免", en: "a waiver that covers nothing" }
    /// What `plan.out-of-period` means.
    about_out_of_period() { zh: "记录日期不在规划期内", en: "a record dated outside the plan's period" }
}

/// What a reserved finding id means, for rule entries of SARIF and the like.
pub fn about_reserved(lang: crate::i18n::Lang, id: crate::model::Reserved) -> String {
    use crate::model::Reserved as R;
    match id {
        R::InputParse => about_input_parse(lang),
        R::InputRecord => about_input_record(lang),
        R::InputInvalid => about_input_invalid(lang),
        R::InputUnknownField => about_unknown_field(lang),
        R::WaiverInvalid => about_waiver_invalid(lang),
        R::PlanOutOfPeriod => about_out_of_period(lang),
    }
}
