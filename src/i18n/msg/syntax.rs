//! Words of syntax errors in rule files: what was found, what the grammar
//! expected (`P0xx`).

catalogue! {
    /// A piece the grammar guarantees, missing: a bug of plancheck.
    internal(what: &str) {
        zh: "内部错误：此处应有{what}（语法保证它存在）",
        en: "internal error: {what} is missing here, though the grammar guarantees it",
    }
    /// Help for [`internal`].
    internal_help() {
        zh: "这是 plancheck 的缺陷而非规则文件的错误，请连同此规则文件一并报告",
        en: "this is a bug of plancheck, not of the rules: please report it with this rules file",
    }
    /// Parentheses or brackets nested beyond the limit.
    too_deep(max: usize) {
        zh: "括号嵌套超过 {max} 层",
        en: "parentheses and brackets nested more than {max} deep",
    }
    /// More prefix operators in a row than the limit.
    too_many_prefixes(max: usize) {
        zh: "连续的 `not` 或 `-` 超过 {max} 个",
        en: "more than {max} `not` or `-` in a row",
    }
    /// More `if`s in one clause than the limit.
    too_many_ifs(max: usize) {
        zh: "一个子句中的 `if` 超过 {max} 个",
        en: "more than {max} `if`s in one clause",
    }
    /// An expression with more operands than the limit.
    too_many_operands(max: usize) {
        zh: "表达式的操作数超过 {max} 个",
        en: "an expression of more than {max} operands",
    }
    /// An expression whose tree is deeper than the limit.
    expression_too_deep(max: usize) {
        zh: "表达式嵌套超过 {max} 层",
        en: "an expression nested more than {max} deep",
    }
    /// Help for the limits of expressions.
    too_deep_help() {
        zh: "规则应简短可读：拆成多条 `require`，或用 `let` 为中间值命名",
        en: "rules stay short enough to read: split it into several `require`s, or name parts with `let`",
    }
    /// A file the parser gave up on: it would have retried its text too often.
    too_complex() {
        zh: "此处起的文本无法在限定步数内解析（括号或 `if … then … else` 未闭合，解析器反复回溯）",
        en: "the text from here cannot be parsed within the parser's step limit (unclosed parentheses or `if … then … else` make it backtrack over and over)",
    }
    /// Help for a file too complex to parse.
    too_complex_help() {
        zh: "检查此处附近的括号与 `if … then … else` 是否成对；必要时拆成多条 `let`",
        en: "check that the parentheses and `if … then … else` near here are complete; split long expressions into `let`s",
    }
    /// The end of the text.
    end_of_file() { zh: "文件结尾", en: "end of file" }
    /// Spaces.
    whitespace() { zh: "空白", en: "whitespace" }
    /// Nothing the grammar names.
    something_else() { zh: "其他内容", en: "something else" }
    /// The last of several choices.
    either(some: &str, last: &str) { zh: "{some}或{last}", en: "{some} or {last}" }
    /// A declaration.
    declaration() {
        zh: "声明（`pack`、`enum`、`group`、`record`、`table`、`let` 或 `rule`）",
        en: "a declaration (`pack`, `enum`, `group`, `record`, `table`, `let` or `rule`)",
    }
    /// A name.
    name() { zh: "名称", en: "a name" }
    /// A dotted path.
    field_path() { zh: "字段路径", en: "a field path" }
    /// A rule id.
    rule_id() { zh: "规则编号（如 `land.plot-ratio`）", en: "a rule id such as `land.plot-ratio`" }
    /// A string literal.
    string() { zh: "带引号的字符串", en: "a quoted string" }
    /// A number.
    number() { zh: "数值", en: "a number" }
    /// A date.
    date() { zh: "日期 YYYY-MM-DD", en: "a date YYYY-MM-DD" }
    /// A unit.
    unit() { zh: "单位", en: "a unit" }
    /// An enumeration value.
    enum_value() { zh: "枚举值", en: "an enumeration value" }
    /// A field declaration.
    field_decl() { zh: "字段声明 `path: type`", en: "a field declaration `path: type`" }
    /// A type or unit.
    type_or_unit() { zh: "类型或单位", en: "a type or unit" }
    /// A bound.
    bound() { zh: "下限（如 `> 0`）", en: "a bound such as `> 0`" }
    /// A table entry.
    table_entry() { zh: "查找表项 `key: value`", en: "a table entry `key: value`" }
    /// An expression.
    expression() { zh: "表达式", en: "an expression" }
    /// An operator.
    operator() { zh: "运算符", en: "an operator" }
    /// A function call.
    call() { zh: "函数调用", en: "a function call" }
    /// A table lookup.
    lookup() { zh: "查表", en: "a table lookup" }
    /// A list.
    list() { zh: "列表 `[…]`", en: "a list `[…]`" }
    /// A JSON object.
    json_object() { zh: "JSON 对象 `{{…}}`", en: "a JSON object `{{…}}`" }
    /// A JSON member.
    json_member() { zh: "JSON 成员 `\"name\": value`", en: "a JSON member `\"name\": value`" }
    /// A JSON value.
    json_value() { zh: "JSON 值", en: "a JSON value" }
    /// An interpolation left open.
    unclosed_brace() { zh: "消息中的 `{{` 没有闭合", en: "unclosed `{{` in a message" }
    /// Help for [`unclosed_brace`].
    unclosed_brace_help() {
        zh: "用 `}}` 结束插值，或写 `{{{{` 表示字面的花括号",
        en: "close the interpolation with `}}`, or write `{{{{` for a literal brace",
    }
}
