//! What reading and typing submissions says: findings `input.parse`,
//! `input.record`, `input.invalid` and `input.unknown-field`.

catalogue! {
    /// A JSON text that does not parse.
    not_json(reason: &str) {
        zh: "不是有效的 JSON：{reason}",
        en: "not valid JSON: {reason}",
    }
    /// Help for [`not_json`].
    not_json_help() {
        zh: "修正此处的 JSON 语法；本文件（或本行）的其余内容未被检查",
        en: "fix the JSON syntax here; the rest of this file (or line) was not checked",
    }
    /// A workbook handed over as text.
    workbook_from_text() {
        zh: "Excel 工作簿只能从文件读取",
        en: "an .xlsx workbook is read from its file, not from text",
    }
    /// A file that cannot be read from disk.
    cannot_read_file(reason: &str) {
        zh: "无法读取文件：{reason}",
        en: "cannot read the file: {reason}",
    }
    /// Label where an absent value should be.
    absent_here(path: &str) {
        zh: "此处缺少 `{path}`",
        en: "`{path}` is absent here",
    }
    /// A record that is not an object (`found`: what it is, in words).
    not_an_object(found: &str) {
        zh: "记录应为 JSON 对象，实际是{found}",
        en: "a record must be a JSON object, found {found}",
    }
    /// Help for [`not_an_object`].
    not_an_object_help() {
        zh: "每条记录是一个 {{…}} 对象，带有 \"kind\"",
        en: "each record is an object {{…}} with a \"kind\"",
    }
    /// A record of a kind the pack does not declare.
    unknown_kind(kind: &str) {
        zh: "未知的记录类型 `{kind}`",
        en: "unknown record kind `{kind}`",
    }
    /// A record with no `kind`.
    no_kind() {
        zh: "记录缺少 \"kind\"",
        en: "the record has no \"kind\"",
    }
    /// The kinds a record may have.
    kinds_are(list: &str) {
        zh: "\"kind\" 取值：{list}",
        en: "\"kind\" is one of: {list}",
    }
    /// A did-you-mean for a name written by the submitter.
    did_you_mean(name: &str) {
        zh: "是否应为 `{name}`？",
        en: "did you mean `{name}`?",
    }
    /// A did-you-mean whose suggestion is already quoted.
    did_you_mean_quoted(suggestion: &str) {
        zh: "是否应为 {suggestion}？",
        en: "did you mean {suggestion}?",
    }
    /// A required field absent.
    required_absent(path: &str, title: &str) {
        zh: "记录缺少必填字段 `{path}`（{title}）",
        en: "the record has no `{path}` ({title})",
    }
    /// Help for [`required_absent`].
    add_field(path: &str) {
        zh: "添加 \"{path}\"",
        en: "add \"{path}\"",
    }
    /// A record whose date field is given but invalid.
    date_invalid(path: &str) {
        zh: "记录日期 `{path}` 无效，无法确定适用的规则",
        en: "the record's `{path}` is not a valid date, so the rules in force cannot be chosen",
    }
    /// A record whose date (or year) is given twice.
    date_twice(path: &str) {
        zh: "记录的 `{path}` 重复出现，两个值均不采用，无法确定适用的规则",
        en: "the record's `{path}` is given twice and neither value is used, so the rules in force cannot be chosen",
    }
    /// Help for [`date_twice`].
    date_twice_help() {
        zh: "只保留一个值，或用 --date YYYY-MM-DD 指定检查日期",
        en: "keep one of the values, or evaluate as of a day with --date YYYY-MM-DD",
    }
    /// A record whose year (what dates it) is invalid.
    year_invalid(path: &str) {
        zh: "记录年份 `{path}` 无效，无法确定适用的规则",
        en: "the record's `{path}` is not a valid year, so the rules in force cannot be chosen",
    }
    /// Help for [`year_invalid`].
    year_help() {
        zh: "填写四位数年份（如 2018、2018年），或用 --date YYYY-MM-DD 指定检查日期",
        en: "give the year in four digits (as 2018 or 2018年), or evaluate as of a day with --date YYYY-MM-DD",
    }
    /// A record without its date field.
    date_absent(path: &str) {
        zh: "记录缺少日期 `{path}`，无法确定适用的规则",
        en: "the record has no `{path}`, so the rules in force cannot be chosen",
    }
    /// Help for [`date_invalid`] and [`date_absent`].
    date_help() {
        zh: "填写有效日期，或用 --date YYYY-MM-DD 指定检查日期",
        en: "give a valid date, or evaluate as of a day with --date YYYY-MM-DD",
    }
    /// A group of fields given as a scalar.
    group_not_object(path: &str) {
        zh: "`{path}` 应为 JSON 对象",
        en: "`{path}` must be an object",
    }
    /// Help for [`group_not_object`].
    group_holds(example: &str) {
        zh: "其下应包含 `{example}` 等字段",
        en: "it holds fields such as `{example}`",
    }
    /// `waivers` that is not an array.
    waivers_not_array() {
        zh: "`waivers` 应为数组",
        en: "`waivers` must be an array",
    }
    /// Help for [`waivers_not_array`].
    waivers_shape() {
        zh: "写成 [{{\"rule\": …, \"approval\": …}}]",
        en: "write [{{\"rule\": …, \"approval\": …}}]",
    }
    /// The members a waiver has.
    waiver_members() {
        zh: "豁免只有 rule、approval、reason、expires 四项",
        en: "a waiver has `rule`, `approval`, `reason` and `expires`",
    }
    /// An unknown member inside a waiver.
    waiver_unknown_member(key: &str) {
        zh: "豁免中未声明的字段 `{key}`",
        en: "unknown field `{key}` in a waiver",
    }
    /// A member the pack does not declare.
    unknown_field(path: &str) {
        zh: "未声明的字段 `{path}`，本规则包不读取它",
        en: "unknown field `{path}`: no rule reads it",
    }
    /// Help for [`unknown_field`] without a suggestion.
    unknown_field_help() {
        zh: "删除该字段，或查看 plancheck schema 中的字段名",
        en: "remove it, or see the field names in `plancheck schema`",
    }
    /// A value of the wrong type (`expected`: one of the `expect_…` entries).
    wrong_type(path: &str, expected: &str, found: &str) {
        zh: "`{path}` 应为{expected}，实际为 {found}",
        en: "`{path}` must be {expected}, found {found}",
    }
    /// What a text field holds.
    expect_text() { zh: "文本", en: "text" }
    /// What a boolean field holds.
    expect_bool() { zh: "布尔值 true 或 false", en: "true or false" }
    /// Help for a value that is not a boolean: the spellings read as one.
    bool_help() {
        zh: "填写 true 或 false；表格中也可写 是/否、√/×、yes/no、1/0",
        en: "write true or false; a spreadsheet cell may also say 是/否, √/×, yes/no or 1/0",
    }
    /// What a date field holds.
    expect_date() { zh: "YYYY-MM-DD 格式的日期", en: "a date YYYY-MM-DD" }
    /// What an enumeration field holds.
    expect_enum_value() { zh: "枚举值", en: "an enumeration value" }
    /// What an enumeration field holds, with the values listed.
    expect_listed_value() { zh: "文本取值之一", en: "one of the listed values" }
    /// What a list of texts holds.
    expect_text_list() { zh: "文本数组", en: "a list of texts" }
    /// What a list field holds.
    expect_list() { zh: "数组", en: "a list" }
    /// What `waivers` holds.
    expect_array() { zh: "数组", en: "an array" }
    /// What a number field holds.
    expect_number() { zh: "数值", en: "a number" }
    /// What a year field holds.
    expect_year() { zh: "四位年份", en: "a year such as 2018" }
    /// The unit of pure numbers, in help texts.
    plain_numbers() { zh: "纯数", en: "plain numbers" }
    /// The dimension of pure numbers.
    a_plain_number() { zh: "纯数", en: "a plain number" }
    /// A bound `> 0`.
    bound_positive() { zh: "必须大于 0", en: "must be greater than 0" }
    /// A bound `>= 0`.
    bound_non_negative() { zh: "不能为负数", en: "cannot be negative" }
    /// Another bound.
    bound_at_least(op: &str, limit: &str) { zh: "必须 {op} {limit}", en: "must be {op} {limit}" }
    /// A value not in its enumeration.
    not_in_enum(path: &str, value: &str) {
        zh: "`{path}` 的值 `{value}` 不在允许范围内",
        en: "`{value}` is not a valid `{path}`",
    }
    /// The values of an enumeration, with a suggestion.
    enum_did_you_mean(best: &str, listing: &str) {
        zh: "是否应为 `{best}`？可选值：{listing}",
        en: "did you mean `{best}`? one of: {listing}",
    }
    /// The values of an enumeration.
    enum_one_of(listing: &str) {
        zh: "可选值：{listing}",
        en: "one of: {listing}",
    }
    /// How to write a number field (`unit`: the canonical unit; `example`: a sample value).
    number_help(unit: &str, example: &str) {
        zh: "写数值（单位 {unit}）或带单位的字符串，如 {example}",
        en: "write a number (in {unit}) or a string with a unit such as {example}",
    }
    /// A number out of its field's bound (`what`: one of the `bound_…` entries).
    out_of_bound(path: &str, what: &str, found: &str) {
        zh: "`{path}` {what}，实际为 {found}",
        en: "`{path}` {what}, found {found}",
    }
    /// Help for [`out_of_bound`].
    check_value_and_unit() {
        zh: "核对数值和单位",
        en: "check the value and its unit",
    }
    /// A quantity string that is not a number.
    quantity_not_number(path: &str, text: &str) {
        zh: "`{path}` 的值 \"{text}\" 不是数值",
        en: "`{path}`: \"{text}\" is not a number",
    }
    /// Help for [`quantity_not_number`] (`canonical`: the unit in brackets, or empty).
    quantity_help(canonical: &str, unit: &str) {
        zh: "写成数值{canonical}或 \"数值 单位\"，如 \"30 {unit}\"",
        en: "write a number or \"<number> <unit>\", e.g. \"30 {unit}\"",
    }
    /// A quantity with a unit plancheck does not know.
    unknown_unit(path: &str, unit: &str) {
        zh: "`{path}` 的单位 `{unit}` 无法识别",
        en: "`{path}`: unknown unit `{unit}`",
    }
    /// Which units a field takes (`dimension`: its dimension in words).
    use_unit_of(dimension: &str, unit: &str) {
        zh: "使用{dimension}单位，如 `{unit}`",
        en: "use a unit of {dimension} such as `{unit}`",
    }
    /// A quantity whose unit has the wrong dimension.
    wrong_dimension(path: &str, unit: &str, found: &str, expected: &str) {
        zh: "`{path}` 的单位 `{unit}` 量纲不对：应为{expected}",
        en: "`{path}`: `{unit}` is a unit of {found}, but this field is {expected}",
    }
    /// Help for [`wrong_dimension`].
    change_unit(dimension: &str, unit: &str) {
        zh: "改用{dimension}单位，如 `{unit}`",
        en: "use a unit of {dimension} such as `{unit}`",
    }
    /// Label of an empty cell.
    cell_empty(path: &str) {
        zh: "`{path}` 的单元格为空",
        en: "the `{path}` cell is empty",
    }
    /// Label where a row has no column for a field.
    no_column(path: &str) {
        zh: "本行没有 `{path}` 列",
        en: "this row has no `{path}` column",
    }
    /// A row with more cells than the header has columns.
    too_many_cells(cells: usize, columns: usize) {
        zh: "此行有 {cells} 个单元格，多于表头的 {columns} 列",
        en: "this row has {cells} cells but the header has {columns} columns",
    }
    /// Help for [`too_many_cells`].
    too_many_cells_help() {
        zh: "检查是否有多余的分隔符或未加引号的逗号；本行未被检查",
        en: "look for a stray separator or an unquoted comma; this row was not checked",
    }
    /// A CSV row that cannot be read.
    not_csv(reason: &str) {
        zh: "不是有效的 CSV 行：{reason}",
        en: "not a valid CSV row: {reason}",
    }
    /// A workbook that cannot be opened.
    not_workbook(reason: &str) {
        zh: "无法读取 Excel 工作簿：{reason}",
        en: "cannot read the Excel workbook: {reason}",
    }
    /// Help for [`not_workbook`].
    not_workbook_help() {
        zh: "用 Excel 另存为 .xlsx 后重试",
        en: "save it again as .xlsx and retry",
    }
    /// Help for a workbook with an opening password (saving it again keeps the password).
    password_help() {
        zh: "在 Excel 中去掉打开密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存，再重试",
        en: "remove the opening password in Excel (File → Info → Protect Workbook → Encrypt with Password, clear it), save, and retry",
    }
    /// A sheet of a workbook that cannot be read.
    sheet_unreadable(sheet: &str, reason: &str) {
        zh: "无法读取工作表 `{sheet}`：{reason}",
        en: "cannot read the sheet `{sheet}`: {reason}",
    }
    /// A cell beyond the last column a sheet may have.
    beyond_last_column() {
        zh: "单元格超出了最后一列 XFD",
        en: "a cell lies beyond the last column XFD",
    }
    /// An `.xls` sheet too large to read.
    sheet_too_large(sheet: &str, cells: u64, max: u64) {
        zh: "工作表 `{sheet}` 的范围有 {cells} 个单元格，超过了读取 .xls 工作簿的上限 {max}",
        en: "the sheet `{sheet}` spans {cells} cells, more than the {max} plancheck reads from an .xls workbook",
    }
    /// A header that names no field.
    unknown_column(header: &str) {
        zh: "列 `{header}` 不是规则包中的字段，本列未读取",
        en: "the column `{header}` names no field of the rule pack; it was not read",
    }
    /// A header naming a field of another kind of record than the sheet's.
    column_other_kind(header: &str, record: &str) {
        zh: "列 `{header}` 是其他类型记录的字段，不是{record}的字段，本列未读取",
        en: "the column `{header}` names a field of another kind of record, not of a {record}; it was not read",
    }
    /// Several columns of a row give values for one field.
    column_twice(name: &str, columns: &str) {
        zh: "`{name}` 在 {columns} 列重复填写；各列的值均不采用",
        en: "`{name}` is given in columns {columns}; none of the values is used",
    }
    /// Help for [`column_twice`].
    column_twice_help() {
        zh: "每个字段只保留一列：删除或清空多余的列（表头相同或带不同单位的同一字段都算重复）",
        en: "keep one column for each field: delete or clear the others (headers naming the same field, with or without a unit, are the same column)",
    }
    /// Values of a row that no field of its record takes.
    cells_unread(columns: &str, record: &str) {
        zh: "{columns} 列的值未读取：其表头为空，或不是{record}的字段",
        en: "the value(s) in column(s) {columns} were not read: the header is blank or names no field of a {record}",
    }
    /// Help for [`cells_unread`].
    cells_unread_help() {
        zh: "为这些列填写该记录字段的名称（可带单位，如“用地面积（亩）”），或清空这些单元格",
        en: "give each column a header naming a field of the record (a unit may follow in brackets, as in `land area (亩)`), or clear the cells",
    }
    /// A list cut short: the first items, and how many more.
    and_more(list: &str, more: usize) {
        zh: "{list} 等（另有 {more} 列）",
        en: "{list} and {more} more",
    }
    /// Help for [`unknown_column`] without a suggestion.
    unknown_column_help() {
        zh: "改用字段的中文或英文名称（可带单位，如“用地面积（亩）”），或查看 plancheck template 生成的模板",
        en: "name the column by a field's title (a unit may follow in brackets, as in `land area (亩)`), or see the workbook `plancheck template` writes",
    }
    /// A file or sheet in which no row names fields.
    no_header(place: &str) {
        zh: "`{place}` 中没有找到列名为字段名称的表头行，未读到任何记录",
        en: "no header row naming fields was found in `{place}`, so no record was read",
    }
    /// Help for [`no_header`]: the row that came closest.
    no_header_help(row: usize, cells: &str, nearest: &str) {
        zh: "最接近表头的是第 {row} 行（{cells}）；相近的字段名称：{nearest}。表头应使用字段的中文或英文名称，见 plancheck template",
        en: "the closest row is row {row} ({cells}); field titles nearest to it: {nearest}. A header names fields by their Chinese or English titles; see `plancheck template`",
    }
    /// Help for [`no_header`] when the sheet is empty.
    no_header_empty_help() {
        zh: "文件中没有内容；表头应使用字段的中文或英文名称，见 plancheck template",
        en: "the file holds nothing; a header names fields by their Chinese or English titles, see `plancheck template`",
    }
    /// A file with no record at all.
    no_record(file: &str) {
        zh: "`{file}` 中没有任何记录",
        en: "`{file}` holds no record",
    }
    /// Help for [`no_record`].
    no_record_help() {
        zh: "申报文件应包含一个 JSON 对象、对象数组、每行一个对象（.jsonl），或带表头的表格",
        en: "a submission holds a JSON object, an array of objects, one object per line (.jsonl), or a table under a header",
    }
    /// A number too large, too small or too long to be read exactly.
    number_beyond(path: &str, written: &str) {
        zh: "`{path}` 的数值 {written} 超出读取范围",
        en: "`{path}`: the number {written} is out of the range numbers are read in",
    }
    /// Help for [`number_beyond`].
    number_beyond_help() {
        zh: "数值最多 60 位数字，绝对值在 1e-300 到 1e300 之间（或为 0）；请检查数值和单位",
        en: "a number has at most 60 digits and lies between 1e-300 and 1e300 in size (or is 0); check the value and its unit",
    }
    /// A member name given twice in one object.
    given_twice(path: &str) {
        zh: "`{path}` 重复出现；两个值均不采用",
        en: "`{path}` is given twice; neither value is used",
    }
    /// Help for [`given_twice`].
    given_twice_help() {
        zh: "同一对象中每个字段只能出现一次：删除多余的一个",
        en: "each member appears once in an object: remove one of the two",
    }
    /// `kind` given twice.
    kind_twice() {
        zh: "\"kind\" 重复出现，无法确定记录类型",
        en: "\"kind\" is given twice, so the record's kind is unknown",
    }
    /// JSON: the text ends inside an object.
    json_eof_object() { zh: "对象未结束，文本就已结束", en: "the text ends inside an object" }
    /// JSON: the text ends inside an array.
    json_eof_array() { zh: "数组未结束，文本就已结束", en: "the text ends inside an array" }
    /// JSON: the text ends inside a string.
    json_eof_string() { zh: "字符串未结束，文本就已结束", en: "the text ends inside a string" }
    /// JSON: the text ends where a value should be.
    json_eof_value() { zh: "应有一个值，文本却已结束", en: "a value was expected, but the text ends" }
    /// JSON: a value was expected.
    json_expected_value() { zh: "此处应为一个值", en: "a value was expected here" }
    /// JSON: a colon was expected.
    json_expected_colon() { zh: "此处应为 `:`", en: "`:` was expected after the member name" }
    /// JSON: a comma or closing bracket was expected.
    json_expected_comma_bracket() { zh: "此处应为 `,` 或 `]`", en: "`,` or `]` was expected" }
    /// JSON: a comma or closing brace was expected.
    json_expected_comma_brace() { zh: "此处应为 `,` 或 `}}`", en: "`,` or `}}` was expected" }
    /// JSON: a member name that is not a string.
    json_key_string() { zh: "对象的键必须是带引号的字符串", en: "a member name must be a string in double quotes" }
    /// JSON: a trailing comma.
    json_trailing_comma() { zh: "结尾多了一个逗号", en: "a comma before the closing bracket" }
    /// JSON: characters after the value.
    json_trailing_characters() { zh: "值之后还有多余的字符", en: "characters after the end of the value" }
    /// JSON: a control character in a string.
    json_control_character() { zh: "字符串中有控制字符（应写作 \\u 转义）", en: "a control character inside a string (write it as a \\u escape)" }
    /// JSON: an unknown escape.
    json_invalid_escape() { zh: "无效的转义字符", en: "an escape that JSON does not have" }
    /// JSON: half a surrogate pair.
    json_lone_surrogate() { zh: "无效的 Unicode 转义（不成对的代理项）", en: "a \\u escape of half a surrogate pair" }
    /// JSON: a malformed number.
    json_invalid_number() { zh: "无效的数值", en: "a malformed number" }
    /// JSON: nesting too deep.
    json_too_deep(max: usize) { zh: "嵌套超过 {max} 层", en: "arrays and objects nested deeper than {max} levels" }
    /// JSON: a record larger than the reader takes.
    json_too_large(size: &str, max: &str) { zh: "记录长 {size}，超过上限 {max}", en: "a record of {size}, more than the {max} a record may take" }
    /// Help for a record too large.
    too_large_help() {
        zh: "一条记录不应如此之大：检查文件是否损坏或被拼接",
        en: "no real record is this large: check that the file is not damaged or run together",
    }
    /// A CSV row larger than a record may take.
    row_too_large(size: &str, max: &str) {
        zh: "此行长 {size}，超过上限 {max}",
        en: "a row of {size}, more than the {max} a record may take",
    }
    /// A CSV quote never closed.
    unterminated_quote(line: usize) {
        zh: "第 {line} 行的引号没有闭合：其后的全部内容都会落入这一个单元格",
        en: "the quote opened on line {line} is never closed: everything after it would fall into this one cell",
    }
    /// Help for [`unterminated_quote`].
    unterminated_quote_help() {
        zh: "补上结尾的引号（单元格中的引号写作 \"\"）；此行之后的内容未被检查",
        en: "close the quote (a quote inside a cell is written \"\"); nothing after this line was checked",
    }
    /// UTF-16 text with a byte-order mark where UTF-8 is needed.
    utf16_marked() {
        zh: "文件是 UTF-16 编码；JSON Lines 文件须为 UTF-8",
        en: "the file is encoded in UTF-16; a JSON Lines file is UTF-8",
    }
    /// UTF-16 text without a byte-order mark.
    utf16_unmarked() {
        zh: "文件似乎是没有字节序标记（BOM）的 UTF-16 编码，无法读取",
        en: "the file looks like UTF-16 without a byte-order mark and cannot be read",
    }
    /// Help for the UTF-16 findings.
    utf16_help() {
        zh: "请另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）",
        en: "save it as UTF-8 (in Notepad: Save As → Encoding: UTF-8)",
    }
    /// A workbook with more parts than any real one.
    xlsx_too_many_parts(n: usize) {
        zh: "压缩包中有 {n} 个部件，远多于任何真实的工作簿",
        en: "the archive holds {n} parts, far more than any real workbook",
    }
    /// A workbook part that decompresses beyond its limit.
    xlsx_part_too_large(part: &str, max: &str) {
        zh: "部件 `{part}` 解压后超过 {max}（可能是压缩炸弹）",
        en: "the part `{part}` decompresses to more than {max} (a zip bomb?)",
    }
    /// A workbook that decompresses beyond the limit.
    xlsx_too_large(max: &str) {
        zh: "工作簿解压后超过 {max}",
        en: "the workbook decompresses to more than {max}",
    }
    /// A cell longer than any cell may be.
    xlsx_cell_too_long(part: &str) {
        zh: "部件 `{part}` 中有超长的单元格文本（单元格最多 32767 个字符）",
        en: "the part `{part}` holds a text far longer than a cell may (32,767 characters)",
    }
    /// More merged cells than a workbook has.
    xlsx_too_many_merges(max: u64) {
        zh: "工作簿中合并单元格超过 {max} 个",
        en: "the workbook has more than {max} merged cells",
    }
    /// A CSV text read without the index of field titles (a caller's mistake).
    no_titles() {
        zh: "内部错误：读取 CSV 需要字段标题索引",
        en: "internal error: a CSV text is read with the index of field titles",
    }
    /// JSON `null`, in words.
    json_null() { zh: "null", en: "null" }
    /// A JSON boolean, in words.
    json_boolean() { zh: "布尔值", en: "a boolean" }
    /// A JSON number, in words.
    json_number() { zh: "数值", en: "a number" }
    /// A JSON string, in words.
    json_string() { zh: "字符串", en: "a string" }
    /// A JSON array, in words.
    json_array() { zh: "数组", en: "an array" }
    /// A JSON object, in words.
    json_object() { zh: "对象", en: "an object" }
}

/// A JSON parser's reason in Chinese (the parser speaks English): the
/// common reasons by their words, with what they quote kept.
pub fn json_reason_zh(reason: &str) -> String {
    let quoted = |r: &str| r.split('`').nth(1).map(str::to_string).unwrap_or_default();
    let table: [(&str, &str); 19] = [
        ("EOF while parsing an object", "对象未结束，文件就已结束"),
        ("EOF while parsing a list", "数组未结束，文件就已结束"),
        ("EOF while parsing a string", "字符串未结束，文件就已结束"),
        ("EOF while parsing a value", "应有一个值，文件却已结束"),
        ("expected value", "此处应为一个值"),
        ("expected ident", "此处应为 true、false 或 null"),
        ("trailing characters", "值之后还有多余的字符"),
        ("trailing comma", "结尾多了一个逗号"),
        ("key must be a string", "对象的键必须是带引号的字符串"),
        ("control character", "字符串中有控制字符（应写作 \\u 转义）"),
        ("invalid escape", "无效的转义字符"),
        ("invalid number", "无效的数值"),
        ("number out of range", "数值超出范围"),
        ("recursion limit exceeded", "嵌套层数过深"),
        ("lone leading surrogate", "无效的 Unicode 转义"),
        ("unexpected end of hex escape", "Unicode 转义不完整"),
        ("invalid unicode code point", "无效的 Unicode 码点"),
        ("invalid type", "类型错误"),
        ("EOF while parsing", "内容未结束，文件就已结束"),
    ];
    if reason.starts_with("expected `") {
        return format!("此处应为 `{}`", quoted(reason));
    }
    table
        .iter()
        .find(|(en, _)| reason.starts_with(en))
        .map_or_else(|| "JSON 语法错误".to_string(), |(_, zh)| zh.to_string())
}

/// A spreadsheet reader's reason in `lang` (the readers speak English).
pub fn reader_reason(lang: crate::i18n::Lang, reason: &str) -> String {
    if lang == crate::i18n::Lang::En {
        return reason.to_string();
    }
    let lower = reason.to_lowercase();
    let table: [(&str, &str); 12] = [
        ("malformed fat", "不是有效的 .xls 文件（扇区分配表损坏）"),
        ("password", "工作簿设有打开密码，无法读取"),
        ("zip", "不是有效的 Excel 文件（压缩包无法读取）"),
        ("cfb", "不是有效的 .xls 文件"),
        (
            "no workbook stream",
            "不是有效的 .xls 文件（缺少工作簿数据）",
        ),
        ("worksheet", "工作表缺失或无法读取"),
        ("string index", "共享字符串的编号超出范围"),
        ("xml", "工作表的 XML 内容损坏"),
        ("eof", "文件内容不完整"),
        ("utf", "文本编码错误"),
        ("panicked", "读取程序出错"),
        ("record", "行的格式错误"),
    ];
    if !reason.is_ascii() {
        // Already said in Chinese (our own reasons).
        return reason.to_string();
    }
    table
        .iter()
        .find(|(en, _)| lower.contains(en))
        .map_or_else(|| "文件格式错误".to_string(), |(_, zh)| zh.to_string())
}
