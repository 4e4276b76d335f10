//! What `rules list|explain|lint|test` say.

catalogue! {
    /// A label such as `force:` before a value.
    label(zh_label: &str, en_label: &str) {
        zh: "{zh_label}：",
        en: "{en_label}:",
    }
    /// An expected rule.
    force_expected() {
        zh: "预期性（expected）：未达到时给出警告",
        en: "expected (预期性): a shortfall is a warning",
    }
    /// Another force (`zh_name`: the plan's word, `name`: the pack's spelling).
    force_other(zh_name: &str, name: &str) {
        zh: "{zh_name}（{name}）：违反即为错误，申请不予通过",
        en: "{name} ({zh_name}): a violation is an error and fails the submission",
    }
    /// What an in-principle rule allows.
    in_principle_note() {
        zh: "      原则上规则：申请中附有效、未过期的批准文件（waivers）时予以豁免\n",
        en: "      an in-principle rule: a valid, unexpired approval in the submission's `waivers` waives it\n",
    }
    /// A rule with no condition.
    every_record() { zh: "所有记录", en: "every record" }
    /// A linear path.
    path_linear() { zh: "线性", en: "linear" }
    /// A compound path.
    path_compound() { zh: "按固定年增速", en: "compound (constant growth)" }
    /// How a requirement with a path is judged.
    path_explained(by: i64, kind: &str, from: &str, since: &str) {
        zh: "\n      {by} 年起须达到；此前按{kind}路径从基期值 {from}（基期年份 {since}）推进，路径限值不严于目标，落后于路径为“偏离路径”（警告）",
        en: "\n      from {by} on; before that, on a {kind} path from the baseline {from} in {since}, never stricter than the target; behind the path is off_track (a warning)",
    }
    /// What a finding of a requirement says.
    finding_says() { zh: "不符合时提示：", en: "finding says:" }
    /// Heading of the names a rule reads.
    where_() { zh: "其中：", en: "where:" }
    /// Heading of the plan's sentences.
    the_plan_says() { zh: "规划依据：", en: "the plan says:" }
    /// Heading of the note.
    note() { zh: "说明：", en: "note:" }
    /// Heading of the examples.
    examples() {
        zh: "示例（`plancheck rules test` 逐条验证）：",
        en: "examples (each run by `plancheck rules test`):",
    }
    /// The separator of a table's entries.
    entry_separator() { zh: "；", en: "; " }
}
