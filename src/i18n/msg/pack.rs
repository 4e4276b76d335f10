//! What plancheck says about a rule pack: syntax, names, types, units,
//! citations and loading (codes `P0xx`, `T1xx`, `U2xx`, `C3xx`, `E4xx`).

catalogue! {
    // ---------------------------------------------------------------- messages
    /// T101
    unknown(what: &str, name: &str) { zh: "未声明的{what} `{name}`", en: "unknown {what} `{name}`" }
    /// T102
    not_in_enum(value: &str, enumeration: &str) {
        zh: "`{value}` 不是 `{enumeration}` 的取值",
        en: "`{value}` is not a value of `{enumeration}`",
    }
    /// T103
    type_mismatch(context: &str, expected: &str, found: &str) {
        zh: "{context}应为{expected}，实际为{found}",
        en: "{context} expects {expected}, found {found}",
    }
    /// T103, arity
    wrong_arity(function: &str, expected: usize, found: usize) {
        zh: "`{function}` 需要 {expected} 个参数，实际为 {found} 个",
        en: "`{function}` expects {expected} argument(s), found {found}",
    }
    /// T103, nesting
    group_nesting(field: &str) {
        zh: "字段 `{field}` 的字段组嵌套超过 8 层，或用在了列表中",
        en: "field `{field}` expects a group nested at most 8 deep, not in a list, found deeper nesting",
    }
    /// T103, groups expanding past the limit
    group_fields(field: &str, limit: usize) {
        zh: "字段 `{field}` 的字段组展开后，一种记录的字段超过 {limit} 个",
        en: "the groups of field `{field}` expand one kind of record to more than {limit} fields",
    }
    group_nesting_help() {
        zh: "字段组可以包含其他字段组，至多 8 层，不能包含自身，也不能用在列表中",
        en: "a group may hold other groups up to 8 deep, never itself, and never inside a list",
    }
    group_fields_help(limit: usize) {
        zh: "减少字段组的嵌套或重复使用：展开后每种记录至多 {limit} 个字段",
        en: "nest or repeat groups less: once expanded, a kind of record has at most {limit} fields",
    }
    /// U201
    dimension_mismatch(op: &str, left: &str, right: &str) {
        zh: "不能{op}{left}与{right}",
        en: "cannot {op} {left} and {right}",
    }
    /// U202
    unknown_unit(unit: &str) { zh: "未知的单位 `{unit}`", en: "unknown unit `{unit}`" }
    /// U203
    bad_unit(unit: &str, reason: &str) {
        zh: "不能声明单位 `{unit}`：{reason}",
        en: "unit `{unit}` cannot be declared: {reason}",
    }
    unit_factor_not_a_number() { zh: "倍数不是数值", en: "its factor is not a number" }
    unit_factor_not_positive() { zh: "倍数须大于 0", en: "its factor must be above 0" }
    unit_help() {
        zh: "写作 `unit 符号 = 倍数 已知单位`，如 `unit 亩 = 10000/15 m²`；语言已知各量纲的基本单位（m²、元、美元、吨标准煤、kW、µg、m³、年、人、件、辆、%、‰）及倍数词 十、百、千、万、亿",
        en: "write `unit SYMBOL = FACTOR KNOWN-UNIT`, e.g. `unit 亩 = 10000/15 m²`; the language knows each dimension's base unit (m², 元, 美元, 吨标准煤, kW, µg, m³, 年, 人, 件, 辆, %, ‰) and the multipliers 十, 百, 千, 万, 亿",
    }
    unit_is_the_languages() {
        zh: "这是语言自带的单位，无需声明",
        en: "the language knows this unit: it needs no declaration",
    }
    unit_declared_once() { zh: "每个单位只声明一次", en: "declare each unit once" }
    /// T104
    duplicate(what: &str, name: &str) { zh: "{what} `{name}` 重复声明", en: "{what} `{name}` is declared twice" }
    /// T105
    missing_part(what: &str, name: &str, part: &str) {
        zh: "{what} `{name}` 缺少{part}",
        en: "{what} `{name}` has no {part}",
    }
    /// C301
    no_citation(rule: &str) { zh: "规则 `{rule}` 没有引用规划原文", en: "rule `{rule}` has no citation" }
    /// C302
    quote_not_found(document: &str) {
        zh: "在 `{document}` 中找不到与引文逐字相同的原文",
        en: "quote not found verbatim in `{document}`",
    }
    /// C303
    source_unreadable(document: &str, reason: &str) {
        zh: "无法读取规划原文 `{document}`：{reason}",
        en: "cannot read the source document `{document}`: {reason}",
    }
    /// T107
    not_constant(what: &str) { zh: "{what}必须是常量", en: "{what} must be a constant" }
    /// T109
    cycle(name: &str) { zh: "`{name}` 的定义引用了它自身", en: "`{name}` is defined in terms of itself" }
    /// T110
    chain_too_long(name: &str, max: usize) {
        zh: "`{name}` 所依赖的派生值层层嵌套超过 {max} 层",
        en: "`{name}` rests on derived values more than {max} deep",
    }
    /// T111
    ends_before_start(start: &str, end: &str) {
        zh: "日期范围在开始（{start}）之前就已结束（{end}）",
        en: "the range ends ({end}) before it starts ({start})",
    }
    /// Label of T111.
    label_reversed() { zh: "结束早于开始", en: "ends before it starts" }
    /// Help of T111.
    swap_dates() { zh: "检查日期：开始日期在前，结束日期在后", en: "check the dates: the start comes first, the end second" }
    /// T112
    outside_period(rule: &str, period: &str) {
        zh: "规则 `{rule}` 的生效期完全在规则包的期间（{period}）之外，永远不会适用",
        en: "rule `{rule}` is in force only outside the pack's period ({period}), so it never applies",
    }
    /// Label of T112.
    label_never_in_force() { zh: "永不生效", en: "never in force" }
    /// Help of T112.
    within_period() { zh: "让生效期与规则包的期间相交，或删除这条规则", en: "let the rule's range meet the pack's period, or remove the rule" }
    /// Label of T110.
    label_built_on() { zh: "建立在层层派生值之上", en: "built on derived values this deep" }
    /// Help for T110.
    shorten_chain() {
        zh: "直接以字段表达派生值，减少派生值之间的层层引用",
        en: "write derived values from fields more directly, with fewer built on one another",
    }
    /// T106
    no_header() {
        zh: "规则包没有 `pack \"name\" {{ … }}` 包头",
        en: "the pack has no `pack \"name\" {{ … }}` header",
    }
    /// T108
    example_not_json(reason: &str) {
        zh: "示例不是有效的 JSON：{reason}",
        en: "example is not valid JSON: {reason}",
    }
    /// P001
    unexpected(found: &str, expected: &str) {
        zh: "此处不应出现{found}；应为{expected}",
        en: "unexpected {found}; expected {expected}",
    }
    /// P002, a date literal.
    not_a_date(text: &str) { zh: "`{text}` 不是有效的日期", en: "`{text}` is not a calendar date" }
    /// E401
    rules_file_unreadable(path: &str, reason: &str) {
        zh: "无法读取规则文件 `{path}`：{reason}",
        en: "cannot read the rules file `{path}`: {reason}",
    }
    /// E401
    rules_unreadable(path: &str, reason: &str) {
        zh: "无法读取规则文件夹 `{path}`：{reason}",
        en: "cannot read the rules folder `{path}`: {reason}",
    }
    /// E402
    rules_empty(path: &str) {
        zh: "文件夹 `{path}` 中没有 `.rules` 文件",
        en: "the folder `{path}` holds no `.rules` file",
    }
    /// E403
    path_unreadable(path: &str, reason: &str) { zh: "无法读取 `{path}`：{reason}", en: "cannot read `{path}`: {reason}" }
    /// E404
    path_unsupported(path: &str) {
        zh: "`{path}` 不是 plancheck 读取的申报文件",
        en: "`{path}` is not a submission file plancheck reads",
    }

    // ---------------------------------------------------------------- labels
    /// Label of T101.
    label_not_declared() { zh: "未声明", en: "not declared" }
    /// Label of T102.
    label_not_in_enum() { zh: "不是该枚举的取值", en: "not a value of the enumeration" }
    /// Label of T103.
    label_wrong_type() { zh: "类型不符", en: "wrong type" }
    /// Label of U201.
    label_dimensions_differ() { zh: "量纲不同", en: "dimensions differ" }
    /// Label of U202.
    label_unknown_unit() { zh: "未知单位", en: "unknown unit" }
    /// Label of T104.
    label_declared_again() { zh: "此处重复声明", en: "declared again here" }
    /// Label of T105 and C301.
    label_declared_here() { zh: "在此声明", en: "declared here" }
    /// Label of C302.
    label_not_in_source() { zh: "规划原文中没有", en: "not in the source document" }
    /// Label of C303.
    label_named_here() { zh: "在此指定", en: "named here" }
    /// Label of anything else.
    label_here() { zh: "此处", en: "here" }
    /// Label of T107.
    label_reads_record() { zh: "读取了记录", en: "reads the record" }
    /// Label of T108.
    label_this_example() { zh: "此示例", en: "this example" }
    /// Label of T109.
    label_refers_back() { zh: "引用了自身", en: "refers back to itself" }

    // ---------------------------------------------------------------- what and where
    /// A thing declared in a pack.
    thing_field() { zh: "字段", en: "field" }
    thing_field_or_value() { zh: "字段或值", en: "field or value" }
    thing_enum() { zh: "枚举", en: "enumeration" }
    thing_enum_value() { zh: "枚举值", en: "enumeration value" }
    thing_derived() { zh: "派生值", en: "derived value" }
    thing_local() { zh: "局部值", en: "local value" }
    thing_record_kind() { zh: "记录类型", en: "record kind" }
    thing_record() { zh: "记录", en: "record" }
    thing_rule() { zh: "规则", en: "rule" }
    thing_table() { zh: "查找表", en: "table" }
    thing_table_key() { zh: "表键", en: "table key" }
    thing_function() { zh: "函数", en: "function" }
    thing_outcome() { zh: "结果", en: "outcome" }
    thing_pack() { zh: "规则包", en: "pack" }
    thing_pack_header() { zh: "规则包头", en: "pack header" }
    thing_path_kind() { zh: "路径类型", en: "path kind" }
    thing_template() { zh: "模板", en: "template" }
    thing_unit() { zh: "单位", en: "unit" }
    thing_parameter() { zh: "模板参数", en: "template parameter" }
    thing_force() { zh: "效力", en: "force" }
    thing_type_or_unit() { zh: "类型或单位", en: "type or unit" }
    /// A part a declaration lacks.
    part_source() { zh: "`source` 原文文件", en: "`source` document" }
    /// Where a value is used, as a keyword.
    ctx_keyword(word: &str) { zh: "`{word}` ", en: "`{word}`" }
    ctx_default_value() { zh: "默认值", en: "a default value" }
    ctx_derived_value() { zh: "派生值", en: "a derived value" }
    ctx_bound() { zh: "下限", en: "a bound" }
    ctx_number() { zh: "数值", en: "a number" }
    ctx_list() { zh: "列表", en: "a list" }
    ctx_if_branches() { zh: "`if` 的两个分支", en: "the branches of `if`" }
    ctx_table_key() { zh: "表键", en: "a table key" }
    ctx_compare() { zh: "比较", en: "compare" }
    ctx_path_to_target() { zh: "目标路径", en: "a path to a target" }
    ctx_table(name: &str) { zh: "查找表 `{name}` ", en: "table `{name}`" }
    ctx_field(name: &str) { zh: "字段 `{name}` ", en: "field `{name}`" }
    ctx_table_entry() { zh: "查找表的项", en: "a table entry" }
    ctx_value() { zh: "此处的值", en: "this value" }
    /// What a value should be.
    expect_condition() { zh: "条件（真或假）", en: "a condition (true or false)" }
    expect_numbers() { zh: "数值", en: "numbers" }
    expect_number() { zh: "数值", en: "a number" }
    expect_number_field() { zh: "数值字段", en: "a number field" }
    expect_date_or_year() { zh: "日期或年份字段", en: "a date or year field" }
    expect_field_path() { zh: "字段路径", en: "a field path" }
    expect_list_of(of: &str) { zh: "{of}的列表", en: "a list of {of}" }
    expect_comparison() {
        zh: "形如 `value <= target` 或 `value >= target` 的要求",
        en: "a requirement `value <= target` or `value >= target`",
    }
    expect_digits() { zh: "十进制数字", en: "decimal digits" }
    /// What a value is instead.
    found_another_type() { zh: "其他类型", en: "another type" }
    found_expression() { zh: "表达式", en: "an expression" }
    found_another_condition() { zh: "其他条件", en: "another condition" }
    found_both(a: &str, b: &str) { zh: "{a}和{b}", en: "{a} and {b}" }
    /// Operations on quantities.
    op_compare() { zh: "比较", en: "compare" }
    op_add() { zh: "相加", en: "add" }
    op_subtract() { zh: "相减", en: "subtract" }
    op_compare_baseline() { zh: "比较基期值与", en: "compare a baseline with" }
    op_use_as_year() { zh: "作为年份使用", en: "use as a year" }
    op_call(name: &str) { zh: "用 `{name}` 比较", en: "{name}" }
    /// Types in words.
    type_condition() { zh: "条件", en: "a condition" }
    type_text() { zh: "文本", en: "text" }
    type_date() { zh: "日期", en: "a date" }
    type_number() { zh: "数值", en: "a number" }
    type_quantity(dim: &str) { zh: "{dim}量", en: "a quantity of {dim}" }
    type_enum_value(name: &str) { zh: "`{name}` 的取值", en: "a value of `{name}`" }
    type_list(of: &str) { zh: "{of}的列表", en: "a list of {of}" }
    type_waivers() { zh: "豁免", en: "waivers" }
    pure_numbers() { zh: "纯数", en: "pure numbers" }
    dim_with_base(dim: &str, base: &str) { zh: "{dim}（{base}）", en: "{dim} ({base})" }

    // ---------------------------------------------------------------- help
    add_header() {
        zh: "添加包头，写明规则包名称、有效期和引用的规划原文",
        en: "add a header with the pack's name, period and source document",
    }
    one_header() { zh: "每个规则包只保留一个 `pack` 包头", en: "keep one `pack` header per pack" }
    add_period() { zh: "添加 `period YYYY-MM-DD to YYYY-MM-DD`", en: "add `period YYYY-MM-DD to YYYY-MM-DD`" }
    relative_source() { zh: "路径相对于规则包所在文件夹", en: "the path is relative to the pack's folder" }
    add_source() {
        zh: "写明规则引用的规划原文：`source \"../seeds/plan.txt\"`",
        en: "name the document the rules cite: `source \"../seeds/plan.txt\"`",
    }
    type_help() {
        zh: "类型为 `text`、`bool`、`date`、`year`、`number`、`waivers`、枚举、字段组或单位（如 `万元/亩`）",
        en: "a type is `text`, `bool`, `date`, `year`, `number`, `waivers`, an enumeration, a group or a unit such as `万元/亩`",
    }
    tables_constant() {
        zh: "查找表只写明数值、文本和列表；由记录推导的值用 `let`",
        en: "tables hold numbers, texts and lists written out; derive record values with `let`",
    }
    table_same_type() {
        zh: "查找表的每一项类型和量纲相同",
        en: "every entry of a table has the same type and dimension",
    }
    break_cycle() {
        zh: "打破循环：派生值只能读取字段和其他派生值",
        en: "break the cycle: a derived value may only read fields and other derived values",
    }
    unique_rule_ids() { zh: "规则编号在规则包内唯一", en: "rule ids are unique in a pack" }
    in_rule_use(rule: &str, used: &str) {
        zh: "出现在规则 `{rule}` 的 `{used}` 中",
        en: "in rule `{rule}`, from its `{used}`",
    }
    template_once_per_rule() {
        zh: "一条规则只使用同一模板一次；需要两次时写成两条规则，或给模板更多参数",
        en: "a rule uses a template once; write two rules, or give the template more parameters",
    }
    unique_template_names() { zh: "模板名称在规则包内唯一", en: "template names are unique in a pack" }
    declare_template() {
        zh: "用 `template 名称(参数, …) {{ … }}` 声明模板后再以 `use` 引用",
        en: "declare it with `template name(param, …) {{ … }}` before a rule can `use` it",
    }
    template_params(name: &str, params: &str) {
        zh: "模板 `{name}` 的参数依次为：{params}",
        en: "template `{name}` takes, in order: {params}",
    }
    declare_param() {
        zh: "在模板的参数表中声明它，或改用已声明的参数",
        en: "declare it in the template's parameter list, or use a declared one",
    }
    param_outside_template() {
        zh: "`$名称` 代表模板的实参，只能用在 `template` 的条目中；请写出字段路径或数值",
        en: "`$name` stands for a template's argument and may only appear in a `template`'s entries; write the field path or value itself",
    }
    ctx_param(name: &str) { zh: "模板参数 `${name}` 用在路径或路径类型中，", en: "template parameter `${name}`, used in a path or as a path kind," }
    want_name() { zh: "一个名称（如 `pm25` 或 `linear`）", en: "a name (such as `pm25` or `linear`)" }
    found_written(text: &str) { zh: "`{text}`", en: "`{text}`" }
    force_help() {
        zh: "效力为 `binding`、`expected`、`in_principle` 或 `prohibition`",
        en: "a force is `binding`, `expected`, `in_principle` or `prohibition`",
    }
    add_title() { zh: "添加 `title zh \"…\" en \"…\"`", en: "add `title zh \"…\" en \"…\"`" }
    add_force() {
        zh: "添加 `force binding|expected|in_principle|prohibition`",
        en: "add `force binding|expected|in_principle|prohibition`",
    }
    add_subject() {
        zh: "添加 `subject project` 或规则检查的记录类型",
        en: "add `subject project` or the record kind the rule checks",
    }
    add_require() {
        zh: "添加 `require 条件 message zh \"…\" en \"…\"`",
        en: "add `require CONDITION message zh \"…\" en \"…\"`",
    }
    add_cite() {
        zh: "引用规划原文：`cite \"第二十一章 第三节\" \"规划原文\"`",
        en: "cite the plan: `cite \"第二十一章 第三节\" \"exact words of the plan\"`",
    }
    list_same_type() { zh: "列表的每一项类型相同", en: "every item of a list has the same type" }
    only_constants() { zh: "此处只能写常量", en: "only constants may be written here" }
    dimension_help(left: &str, right: &str) {
        zh: "左边是{left}，右边是{right}；只能比较同一量纲的量",
        en: "the left side is in {left}, the right in {right}; compare quantities of one dimension",
    }
    group_help(path: &str, example: &str) {
        zh: "`{path}` 是一组字段；请写出其中一个，如 `{example}`",
        en: "`{path}` is a group of fields; name one of them, such as `{example}`",
    }
    special_help(name: &str) {
        zh: "`{name}` 只能用在比较数值的要求的提示消息中",
        en: "`{name}` is only available in the message of a requirement that compares numbers",
    }
    target_help() {
        zh: "`target` 只能用在带目标路径的要求的提示消息中",
        en: "`target` is only available in the message of a requirement that compares numbers along a path",
    }
    quote_nothing() {
        zh: "请逐字照抄规划原文；连第一个字都不相符",
        en: "copy the words from the plan exactly; not even the first character matches",
    }
    quote_prefix(found: &str, rest: &str) {
        zh: "引文与原文一致到 `{found}`，从 `{rest}` 起不同；请逐字照抄规划原文（制表符写作 `\\t`）",
        en: "the quote matches the plan up to `{found}` and differs from `{rest}` on; copy the plan's words exactly (a TAB is written `\\t`)",
    }
    syntax_help() {
        zh: "各声明的写法见 docs/rule-language.md",
        en: "see docs/rule-language.md for the shape of each declaration",
    }
    date_help() { zh: "写成真实的日期 YYYY-MM-DD", en: "write a real day as YYYY-MM-DD" }
    rules_folder_help() { zh: "用 --rules DIR 指定 `.rules` 文件所在的文件夹", en: "give a folder of `.rules` files with --rules DIR" }
    rules_empty_help() {
        zh: "规则包是一个存放 `.rules` 文件的文件夹，其中一个文件写有 `pack` 包头",
        en: "a rule pack is a folder of `.rules` files, one of which has the `pack` header",
    }
    path_help() {
        zh: "核对路径；文件夹会逐层查找 .json、.jsonl、.csv、.xlsx 和 .xls 文件",
        en: "check the path; folders are searched recursively for .json, .jsonl, .csv, .xlsx and .xls files",
    }
    unsupported_help() {
        zh: "申报文件为 .json（对象或对象数组）、.jsonl（每行一个对象）、.csv、.xlsx 或 .xls（每行一条记录）",
        en: "submissions are .json (an object or an array of objects), .jsonl (one object per line), .csv, .xlsx or .xls (one record per row)",
    }
    did_you_mean(name: &str) { zh: "是否应为 `{name}`？", en: "did you mean `{name}`?" }
}
