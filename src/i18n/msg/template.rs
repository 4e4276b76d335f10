//! What the fill-in templates say (`plancheck template`).

catalogue! {
    /// A yes in a boolean column.
    yes() { zh: "是", en: "yes" }
    /// A no in a boolean column.
    no() { zh: "否", en: "no" }
    /// The first column: the row number, `示例` on the example row.
    number_column() { zh: "序号", en: "No." }
    /// The note on the example row.
    example_note() {
        zh: "示例行：序号为“示例”的行不作为申报记录检查。请从下一行起填写，或覆盖本行并改写序号。",
        en: "Example row: a row numbered `example` is not checked as a submission. Fill in the rows below, or overwrite this one and number it.",
    }
    /// The name of the sheet that describes every field.
    guide_sheet() { zh: "填写说明", en: "Instructions" }
    /// Heading: the column as the template writes it.
    guide_column() { zh: "列名", en: "column" }
    /// Heading: the field's dotted path.
    guide_path() { zh: "字段路径", en: "field path" }
    /// Heading: the unit.
    guide_unit() { zh: "单位", en: "unit" }
    /// Heading: whether a record needs it.
    guide_required() { zh: "是否必填", en: "required" }
    /// Heading: the values it takes.
    guide_values() { zh: "可选值", en: "allowed values" }
    /// Heading: the rules that read it.
    guide_rules() { zh: "读取该字段的规则", en: "rules that read it" }
    /// Heading: an example value.
    guide_example() { zh: "示例", en: "example" }
    /// A field every record needs.
    required() { zh: "必填", en: "required" }
    /// A field with a default value.
    has_default() { zh: "选填（不填时取默认值）", en: "optional (a default applies)" }
    /// A field read where a rule needs it.
    read_where_needed() {
        zh: "规则用到时必填（缺少则该规则结果为“缺少数据”）",
        en: "needed where a rule reads it (absent: the rule is missing)",
    }
    /// A template of an unknown kind.
    no_such_kind(kind: &str) {
        zh: "规则包中没有记录类型 `{kind}`",
        en: "the pack has no record kind `{kind}`",
    }
}
