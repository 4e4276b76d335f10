//! Typing: a JSON value → a [`Record`] of the pack's declared fields.
//!
//! Every bad value becomes one `input.invalid` finding at its JSON Pointer
//! and an `Invalid` slot; every undeclared member one `input.unknown-field`
//! warning. A record that cannot be checked at all (not an object, no or an
//! unknown `kind`, a required field absent, no valid date) gets one
//! `input.record` finding and no record.

use crate::diagnostics::did_you_mean;
use crate::eval::{pointer_of, Finding, Outcome, Record, Severity, Slot, WaiverEntry};
use crate::pack::{FieldDef, FieldId, KindId, Lang, Pack, RecordDef, Type, Value};
use crate::units::{self, parse_date, Date, Number, QuantityError};
use serde_json::Value as Json;
use std::sync::Arc;

/// The result of typing one JSON value.
pub struct Typed {
    /// The record, unless it is invalid as a whole.
    pub record: Option<Record>,
    /// The record's kind as written, if readable.
    pub kind: Option<String>,
    /// Findings about the input.
    pub findings: Vec<Finding>,
}

fn invalid(pointer: String, message: String, help: Option<String>) -> Finding {
    Finding::input(
        "input.invalid",
        Severity::Error,
        message,
        help,
        Some(pointer),
    )
}

fn record_error(pointer: Option<String>, message: String, help: Option<String>) -> Finding {
    Finding::input("input.record", Severity::Error, message, help, pointer)
}

fn tr(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Types `json` against the pack. `kind_hint` is the kind implied by a file
/// name where the record has no `kind`; `date_override` is `--date`.
pub fn type_record(
    pack: &Pack,
    json: &Json,
    kind_hint: Option<&str>,
    date_override: Option<Date>,
    lang: Lang,
) -> Typed {
    let mut findings = Vec::new();
    let Json::Object(obj) = json else {
        let found = json_kind(json);
        findings.push(record_error(
            Some(String::new()),
            tr(
                lang,
                format!("记录应为 JSON 对象，实际是{found}"),
                format!("a record must be a JSON object, found {found}"),
            ),
            Some(tr(
                lang,
                "每条记录是一个 {…} 对象，带有 \"kind\"".into(),
                "each record is an object {…} with a \"kind\"".into(),
            )),
        ));
        return Typed {
            record: None,
            kind: None,
            findings,
        };
    };
    let kinds: Vec<&str> = pack.records.iter().map(|r| r.kind.as_str()).collect();
    let kind_name: Option<String> = match obj.get("kind") {
        Some(Json::String(k)) => Some(k.clone()),
        None | Some(Json::Null) => kind_hint.map(str::to_string),
        Some(_) => None,
    };
    let Some((kind_id, def)) = kind_name.as_deref().and_then(|k| pack.record(k)) else {
        let (message, help) = match &kind_name {
            Some(k) => (
                tr(
                    lang,
                    format!("未知的记录类型 `{k}`"),
                    format!("unknown record kind `{k}`"),
                ),
                did_you_mean(k, kinds.iter().copied()).map(|s| {
                    tr(
                        lang,
                        format!("是否应为 `{s}`？"),
                        format!("did you mean `{s}`?"),
                    )
                }),
            ),
            None => (
                tr(
                    lang,
                    "记录缺少 \"kind\"".into(),
                    "the record has no \"kind\"".into(),
                ),
                None,
            ),
        };
        let help = help.or_else(|| {
            Some(tr(
                lang,
                format!("\"kind\" 取值：{}", kinds.join("、")),
                format!("\"kind\" is one of: {}", kinds.join(", ")),
            ))
        });
        let pointer = if obj.contains_key("kind") {
            "/kind".to_string()
        } else {
            String::new()
        };
        findings.push(record_error(Some(pointer), message, help));
        return Typed {
            record: None,
            kind: kind_name,
            findings,
        };
    };

    let mut slots = vec![Slot::Absent; def.fields.len()];
    let mut waivers = Vec::new();
    let mut walk = Walk {
        pack,
        def,
        lang,
        slots: &mut slots,
        waivers: &mut waivers,
        findings: &mut findings,
    };
    walk.object(obj, 0);
    finish(def, kind_id, slots, waivers, findings, date_override, lang)
}

/// Checks what a typed record needs as a whole: its required fields and its date.
fn finish(
    def: &RecordDef,
    kind_id: KindId,
    slots: Vec<Slot>,
    waivers: Vec<WaiverEntry>,
    mut findings: Vec<Finding>,
    date_override: Option<Date>,
    lang: Lang,
) -> Typed {
    // Required fields.
    let mut whole_invalid = false;
    for (i, field) in def.fields.iter().enumerate() {
        // A required text given blank is as good as absent (a project with id "" has no id).
        let blank =
            matches!(slots.get(i), Some(Slot::Value(Value::Text(t))) if t.trim().is_empty());
        if field.required
            && (matches!(slots.get(i), Some(Slot::Absent)) || blank)
            && Some(crate::pack::FieldId(i)) != def.dated_by
        {
            whole_invalid = true;
            findings.push(record_error(
                Some(String::new()),
                tr(
                    lang,
                    format!(
                        "记录缺少必填字段 `{}`（{}）",
                        field.path,
                        field.title(Lang::Zh)
                    ),
                    format!(
                        "the record has no `{}` ({})",
                        field.path,
                        field.title(Lang::En)
                    ),
                ),
                Some(tr(
                    lang,
                    format!("添加 \"{}\"", field.path),
                    format!("add \"{}\"", field.path),
                )),
            ));
        }
    }

    // The record's date.
    let date = def
        .dated_by
        .and_then(|f| match (slots.get(f.0), def.get(f)) {
            (Some(Slot::Value(Value::Date(d))), _) => Some(*d),
            (Some(Slot::Value(Value::Num(n, _))), Some(fd)) if fd.is_year => n
                .to_i64()
                .and_then(|y| i16::try_from(y).ok())
                .and_then(|y| Date::new(y, 12, 31).ok()),
            _ => None,
        });
    if date.is_none() && date_override.is_none() {
        if let Some(fd) = def.dated_by.and_then(|f| def.get(f)) {
            whole_invalid = true;
            let given = matches!(
                slots.get(def.dated_by.map_or(0, |f| f.0)),
                Some(Slot::Invalid(_))
            );
            findings.retain(|f| {
                !(given && f.pointer.as_deref() == Some(pointer_of(&fd.path).as_str()))
            });
            findings.push(record_error(
                Some(if given { pointer_of(&fd.path) } else { String::new() }),
                if given {
                    tr(lang, format!("记录日期 `{}` 无效，无法确定适用的规则", fd.path), format!("the record's `{}` is not a valid date, so the rules in force cannot be chosen", fd.path))
                } else {
                    tr(lang, format!("记录缺少日期 `{}`，无法确定适用的规则", fd.path), format!("the record has no `{}`, so the rules in force cannot be chosen", fd.path))
                },
                Some(tr(lang, "填写有效日期，或用 --date YYYY-MM-DD 指定检查日期".into(), "give a valid date, or evaluate as of a day with --date YYYY-MM-DD".into())),
            ));
        }
    }
    let record = (!whole_invalid).then_some(Record {
        kind: kind_id,
        slots,
        date,
        waivers,
    });
    Typed {
        record,
        kind: Some(def.kind.clone()),
        findings,
    }
}

/// The id of a typed record (its `id` field, or that field's default).
pub fn record_id(pack: &Pack, record: &Record) -> Option<String> {
    let def = pack.records.get(record.kind.0)?;
    let f = def.id_field?;
    match crate::eval::field_value(pack, record, f)? {
        Value::Text(t) => Some(t.to_string()),
        other => Some(crate::eval::format_value(
            &other,
            None,
            2,
            Some(pack),
            Lang::En,
        )),
    }
}

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

fn short(v: &Json) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// Types one value; the error is a message and a help line.
fn type_value(
    pack: &Pack,
    field: &FieldDef,
    v: &Json,
    lang: Lang,
) -> Result<Value, (String, Option<String>)> {
    let path = &field.path;
    let wrong = |expected_zh: &str, expected_en: &str, help: Option<String>| {
        (
            tr(
                lang,
                format!("`{path}` 应为{expected_zh}，实际为 {}", short(v)),
                format!("`{path}` must be {expected_en}, found {}", short(v)),
            ),
            help,
        )
    };
    match &field.ty {
        Type::Text => match v {
            Json::String(s) => Ok(Value::Text(Arc::from(s.as_str()))),
            _ => Err(wrong("文本", "text", None)),
        },
        Type::Bool => match v {
            Json::Bool(b) => Ok(Value::Bool(*b)),
            _ => Err(wrong("布尔值 true 或 false", "true or false", None)),
        },
        Type::Date => match v {
            Json::String(s) => parse_date(s)
                .map(Value::Date)
                .ok_or_else(|| wrong("YYYY-MM-DD 格式的日期", "a date YYYY-MM-DD", None)),
            _ => Err(wrong("YYYY-MM-DD 格式的日期", "a date YYYY-MM-DD", None)),
        },
        Type::Enum(id) => {
            let Some(en) = pack.enums.get(id.0) else {
                return Err(wrong("枚举值", "an enumeration value", None));
            };
            if let Json::String(s) = v {
                if let Some(v) = en.intern(s) {
                    return Ok(Value::Text(v));
                }
            }
            let values: Vec<&str> = en.values.iter().map(|(v, _)| v.as_str()).collect();
            let listing = values.join(if lang == Lang::Zh { "、" } else { ", " });
            match v {
                Json::String(s) => {
                    let help = match did_you_mean(s, values.iter().copied()) {
                        Some(best) => tr(
                            lang,
                            format!("是否应为 `{best}`？可选值：{listing}"),
                            format!("did you mean `{best}`? one of: {listing}"),
                        ),
                        None => tr(
                            lang,
                            format!("可选值：{listing}"),
                            format!("one of: {listing}"),
                        ),
                    };
                    Err((
                        tr(
                            lang,
                            format!("`{path}` 的值 `{s}` 不在允许范围内"),
                            format!("`{s}` is not a valid `{path}`"),
                        ),
                        Some(help),
                    ))
                }
                _ => Err(wrong(
                    "文本取值之一",
                    "one of the listed values",
                    Some(tr(
                        lang,
                        format!("可选值：{listing}"),
                        format!("one of: {listing}"),
                    )),
                )),
            }
        }
        Type::List(inner) => match v {
            Json::Array(items) if **inner == Type::Text => {
                let texts: Option<Vec<Value>> = items
                    .iter()
                    .map(|i| i.as_str().map(|s| Value::Text(Arc::from(s))))
                    .collect();
                texts
                    .map(|t| Value::List(t.into()))
                    .ok_or_else(|| wrong("文本数组", "a list of texts", None))
            }
            _ => Err(wrong("数组", "a list", None)),
        },
        Type::Waivers => Err(wrong("数组", "an array", None)),
        Type::Num(_) => {
            let unit = field.unit.unwrap_or_else(|| units::no_unit());
            let base = match v {
                Json::Number(n) => n
                    .as_i64()
                    .map(Number::int)
                    .or_else(|| Number::parse(&n.to_string()))
                    .map(|n| unit.to_base(&n))
                    .ok_or_else(|| wrong("数值", "a number", None))?,
                Json::String(s) if !field.is_year => units::parse_quantity(s, unit)
                    .map_err(|e| quantity_error(path, s, &e, unit, lang))?,
                _ => {
                    let unit_name = if unit.symbol.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", unit.symbol)
                    };
                    let example = format!(
                        "\"{}{}\"",
                        if field.is_year { "2018" } else { "30" },
                        unit_name
                    );
                    let help = tr(
                        lang,
                        format!(
                            "写数值（单位 {}）或带单位的字符串，如 {example}",
                            unit.symbol
                        ),
                        format!(
                            "write a number (in {}) or a string with a unit such as {example}",
                            if unit.symbol.is_empty() {
                                "plain numbers"
                            } else {
                                unit.symbol.as_str()
                            }
                        ),
                    );
                    return Err(wrong("数值", "a number", Some(help)));
                }
            };
            if field.is_year && base.to_i64().is_none_or(|y| !(1900..=2200).contains(&y)) {
                return Err(wrong("四位年份", "a year such as 2018", None));
            }
            if let Some((bound, inclusive)) = &field.bound {
                let ok = if *inclusive {
                    base >= *bound
                } else {
                    base > *bound
                };
                if !ok {
                    let shown = unit.from_base(bound).format(4);
                    let op = if *inclusive { "≥" } else { ">" };
                    let what_zh = if bound.is_zero() && !inclusive {
                        "必须大于 0".to_string()
                    } else if bound.is_zero() {
                        "不能为负数".to_string()
                    } else {
                        format!("必须 {op} {shown}")
                    };
                    let what_en = if bound.is_zero() && !inclusive {
                        "must be greater than 0".to_string()
                    } else if bound.is_zero() {
                        "cannot be negative".to_string()
                    } else {
                        format!("must be {op} {shown}")
                    };
                    return Err((
                        tr(
                            lang,
                            format!("`{path}` {what_zh}，实际为 {}", short(v)),
                            format!("`{path}` {what_en}, found {}", short(v)),
                        ),
                        Some(tr(
                            lang,
                            "核对数值和单位".into(),
                            "check the value and its unit".into(),
                        )),
                    ));
                }
            }
            Ok(Value::Num(base, field.unit))
        }
    }
}

fn quantity_error(
    path: &str,
    s: &str,
    e: &QuantityError,
    unit: &units::Unit,
    lang: Lang,
) -> (String, Option<String>) {
    let expected = match (unit.symbol.is_empty(), lang) {
        (true, Lang::Zh) => "纯数".to_string(),
        (true, Lang::En) => "a plain number".to_string(),
        (false, Lang::Zh) => unit.dim.name_zh(),
        (false, Lang::En) => unit.dim.to_string(),
    };
    let canonical = if unit.symbol.is_empty() {
        String::new()
    } else {
        format!("（{}）", unit.symbol)
    };
    match e {
        QuantityError::NotANumber => (
            tr(
                lang,
                format!("`{path}` 的值 \"{s}\" 不是数值"),
                format!("`{path}`: \"{s}\" is not a number"),
            ),
            Some(tr(
                lang,
                format!(
                    "写成数值{canonical}或 \"数值 单位\"，如 \"30 {}\"",
                    unit.symbol
                ),
                format!(
                    "write a number or \"<number> <unit>\", e.g. \"30 {}\"",
                    unit.symbol
                ),
            )),
        ),
        QuantityError::UnknownUnit(u) => {
            let help = crate::diagnostics::did_you_mean(
                u,
                units::known_symbols()
                    .filter(|k| units::parse_unit(k).is_some_and(|x| x.dim == unit.dim)),
            );
            (
                tr(
                    lang,
                    format!("`{path}` 的单位 `{u}` 无法识别"),
                    format!("`{path}`: unknown unit `{u}`"),
                ),
                Some(match help {
                    Some(h) => tr(
                        lang,
                        format!("是否应为 `{h}`？"),
                        format!("did you mean `{h}`?"),
                    ),
                    None => tr(
                        lang,
                        format!("使用{expected}单位，如 `{}`", unit.symbol),
                        format!("use a unit of {expected} such as `{}`", unit.symbol),
                    ),
                }),
            )
        }
        QuantityError::WrongDimension { unit: u, found } => (
            tr(
                lang,
                format!("`{path}` 的单位 `{u}` 量纲不对：应为{expected}"),
                format!("`{path}`: `{u}` is a unit of {found}, but this field is {expected}"),
            ),
            Some(tr(
                lang,
                format!("改用{expected}单位，如 `{}`", unit.symbol),
                format!("use a unit of {expected} such as `{}`", unit.symbol),
            )),
        ),
    }
}

fn read_waivers(v: &Json) -> Result<Vec<WaiverEntry>, ()> {
    let Json::Array(items) = v else {
        return Err(());
    };
    Ok(items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let Json::Object(o) = item else {
                return WaiverEntry {
                    index,
                    malformed: Some(format!(
                        "a waiver must be an object, found {}",
                        json_kind(item)
                    )),
                    ..WaiverEntry::default()
                };
            };
            let text = |k: &str| o.get(k).and_then(Json::as_str).map(str::to_string);
            let expires = match o.get("expires") {
                None | Some(Json::Null) => None,
                Some(Json::String(s)) => Some(parse_date(s).ok_or_else(|| s.clone())),
                Some(other) => Some(Err(other.to_string())),
            };
            let rule_bad = o
                .get("rule")
                .is_some_and(|r| !r.is_string() && !r.is_null());
            WaiverEntry {
                index,
                malformed: rule_bad
                    .then(|| "the waiver's `rule` must be a rule id as text".to_string()),
                rule: text("rule"),
                approval: text("approval"),
                approval_not_text: o
                    .get("approval")
                    .is_some_and(|a| !a.is_string() && !a.is_null()),
                expires,
                reason: text("reason"),
            }
        })
        .collect())
}

/// One pass over a record's JSON members against the schema tree.
struct Walk<'a> {
    pack: &'a Pack,
    def: &'a RecordDef,
    lang: Lang,
    slots: &'a mut Vec<Slot>,
    waivers: &'a mut Vec<WaiverEntry>,
    findings: &'a mut Vec<Finding>,
}

impl Walk<'_> {
    fn set(&mut self, f: FieldId, slot: Slot) {
        if let Some(s) = self.slots.get_mut(f.0) {
            *s = slot;
        }
    }

    /// Reads the members of `obj`, which sits at schema node `node`.
    fn object(&mut self, obj: &serde_json::Map<String, Json>, node: usize) {
        for (key, value) in obj {
            if node == 0 && key == "kind" {
                continue;
            }
            let Some(child) = self.def.tree.member(node, key) else {
                self.unknown(node, key);
                continue;
            };
            let Some(schema) = self.def.tree.nodes.get(child) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            if let Some(fid) = schema.field {
                self.field(fid, value);
                continue;
            }
            match value {
                Json::Object(inner) => self.object(inner, child),
                _ => self.not_object(child),
            }
        }
    }

    /// A group given as a scalar: every field under it is invalid.
    fn not_object(&mut self, child: usize) {
        let lang = self.lang;
        let Some(schema) = self.def.tree.nodes.get(child) else {
            return;
        };
        let path = schema.path.clone();
        let mut under = Vec::new();
        self.def.tree.fields_under(child, &mut under);
        let example = under
            .first()
            .and_then(|f| self.def.get(*f))
            .map(|f| f.path.clone())
            .unwrap_or_default();
        for f in under {
            self.set(f, Slot::Invalid(None));
        }
        self.findings.push(invalid(
            pointer_of(&path),
            tr(
                lang,
                format!("`{path}` 应为 JSON 对象"),
                format!("`{path}` must be an object"),
            ),
            Some(tr(
                lang,
                format!("其下应包含 `{example}` 等字段"),
                format!("it holds fields such as `{example}`"),
            )),
        ));
    }

    fn field(&mut self, fid: FieldId, value: &Json) {
        let lang = self.lang;
        let Some(field) = self.def.get(fid) else {
            return;
        };
        if field.ty == Type::Waivers {
            match read_waivers(value) {
                Ok(w) => {
                    *self.waivers = w;
                    self.waiver_keys(value, &field.path);
                }
                Err(()) => self.findings.push(Finding {
                    rule: "waiver.invalid".into(),
                    outcome: Outcome::Invalid,
                    severity: Severity::Error,
                    message: tr(
                        lang,
                        "`waivers` 应为数组".into(),
                        "`waivers` must be an array".into(),
                    ),
                    help: Some(tr(
                        lang,
                        "写成 [{\"rule\": …, \"approval\": …}]".into(),
                        "write [{\"rule\": …, \"approval\": …}]".into(),
                    )),
                    pointer: Some(pointer_of(&field.path)),
                    numbers: None,
                }),
            }
            return;
        }
        match type_value(self.pack, field, value, lang) {
            Ok(v) => self.set(fid, Slot::Value(v)),
            Err((message, help)) => {
                let raw = match value {
                    Json::String(s) => Some(Arc::from(s.as_str())),
                    Json::Number(n) => Some(Arc::from(n.to_string().as_str())),
                    _ => None,
                };
                self.set(fid, Slot::Invalid(raw));
                self.findings
                    .push(invalid(pointer_of(&field.path), message, help));
            }
        }
    }

    /// A field given as a string: text, enumeration values and dates are
    /// typed without building a JSON value; anything else takes [`Walk::field`].
    fn field_str(&mut self, fid: FieldId, s: &str) {
        let Some(field) = self.def.get(fid) else {
            return;
        };
        let fast = match &field.ty {
            Type::Text => Some(Value::Text(Arc::from(s))),
            Type::Enum(id) => self
                .pack
                .enums
                .get(id.0)
                .and_then(|e| e.intern(s))
                .map(Value::Text),
            Type::Date => parse_date(s).map(Value::Date),
            _ => None,
        };
        match fast {
            Some(v) => self.set(fid, Slot::Value(v)),
            None => self.field(fid, &Json::String(s.to_string())),
        }
    }

    /// Members of waiver entries other than the four a waiver has: a misspelt
    /// `expires` must not make a waiver last for ever without a word.
    fn waiver_keys(&mut self, value: &Json, path: &str) {
        const KEYS: [&str; 4] = ["rule", "approval", "reason", "expires"];
        let lang = self.lang;
        let Json::Array(items) = value else { return };
        for (i, item) in items.iter().enumerate() {
            let Json::Object(o) = item else { continue };
            for key in o.keys().filter(|k| !KEYS.contains(&k.as_str())) {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                let help = match did_you_mean(key, KEYS) {
                    Some(s) => tr(
                        lang,
                        format!("是否应为 `{s}`？"),
                        format!("did you mean `{s}`?"),
                    ),
                    None => tr(
                        lang,
                        "豁免只有 rule、approval、reason、expires 四项".into(),
                        "a waiver has `rule`, `approval`, `reason` and `expires`".into(),
                    ),
                };
                self.findings.push(Finding::input(
                    "input.unknown-field",
                    Severity::Warning,
                    tr(
                        lang,
                        format!("豁免中未声明的字段 `{key}`"),
                        format!("unknown field `{key}` in a waiver"),
                    ),
                    Some(help),
                    Some(format!("{}/{i}/{escaped}", pointer_of(path))),
                ));
            }
        }
    }

    /// A member the pack does not declare: a warning with a did-you-mean.
    fn unknown(&mut self, node: usize, key: &str) {
        let lang = self.lang;
        let prefix = self
            .def
            .tree
            .nodes
            .get(node)
            .map(|n| n.path.clone())
            .unwrap_or_default();
        let path = if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        };
        // The member's own name may hold dots or slashes: escape it as a whole.
        let escaped = key.replace('~', "~0").replace('/', "~1");
        let pointer = if prefix.is_empty() {
            format!("/{escaped}")
        } else {
            format!("{}/{escaped}", pointer_of(&prefix))
        };
        // Suggest among siblings first, then among the groups, then among field titles
        // (a spreadsheet column may be named by its title).
        let siblings: Vec<&str> = self
            .def
            .fields
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| prefix.is_empty() || p.starts_with(&format!("{prefix}.")))
            .collect();
        let suggestion = did_you_mean(&path, siblings.iter().copied())
            .or_else(|| {
                let groups: Vec<&str> = self
                    .def
                    .fields
                    .iter()
                    .filter_map(|f| f.path.split_once('.').map(|(g, _)| g))
                    .collect();
                did_you_mean(key, groups.iter().copied())
            })
            .map(|s| format!("`{s}`"))
            .or_else(|| {
                let titles: Vec<(&str, &str)> = self
                    .def
                    .fields
                    .iter()
                    .filter_map(|f| f.labels.as_ref().map(|l| (f.path.as_str(), l)))
                    .flat_map(|(p, l)| [(p, l.zh.as_str()), (p, l.en.as_str())])
                    .collect();
                let best = did_you_mean(key, titles.iter().map(|(_, t)| *t))?;
                let field = titles.iter().find(|(_, t)| *t == best).map(|(p, _)| *p)?;
                Some(format!("`{best}` (`{field}`)"))
            });
        self.findings.push(Finding::input(
            "input.unknown-field",
            Severity::Warning,
            tr(
                lang,
                format!("未声明的字段 `{path}`，本规则包不读取它"),
                format!("unknown field `{path}`: no rule reads it"),
            ),
            Some(match suggestion {
                Some(s) => tr(
                    lang,
                    format!("是否应为 {s}？"),
                    format!("did you mean {s}?"),
                ),
                None => tr(
                    lang,
                    "删除该字段，或查看 plancheck schema 中的字段名".into(),
                    "remove it, or see the field names in `plancheck schema`".into(),
                ),
            }),
            Some(pointer),
        ));
    }
}

/// Reads a record straight from its JSON text against the schema, without
/// building a `serde_json::Value` tree: the common case of a large batch.
///
/// Returns `None` whenever the record is not plain (no `kind` before the
/// other members and no kind from the file name, broken JSON, a record that
/// is invalid as a whole); the caller then takes the general path through
/// [`type_record`], which gives the same findings for plain records.
pub fn read_record(
    pack: &Pack,
    text: &str,
    kind_hint: Option<&str>,
    date_override: Option<Date>,
    lang: Lang,
) -> Option<Typed> {
    use serde::de::DeserializeSeed;
    let mut state = Fast {
        pack,
        kind_hint,
        lang,
        def: None,
        slots: Vec::new(),
        waivers: Vec::new(),
        findings: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    RecordSeed { state: &mut state }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    let (kind_id, def) = state.def?;
    let typed = finish(
        def,
        kind_id,
        state.slots,
        state.waivers,
        state.findings,
        date_override,
        lang,
    );
    typed.record.is_some().then_some(typed)
}

/// The state of one fast read.
struct Fast<'a> {
    pack: &'a Pack,
    kind_hint: Option<&'a str>,
    lang: Lang,
    def: Option<(KindId, &'a RecordDef)>,
    slots: Vec<Slot>,
    waivers: Vec<WaiverEntry>,
    findings: Vec<Finding>,
}

impl<'a> Fast<'a> {
    fn choose(&mut self, kind: &str) -> bool {
        match self.pack.record(kind) {
            Some((id, def)) => {
                self.slots = vec![Slot::Absent; def.fields.len()];
                self.def = Some((id, def));
                true
            }
            None => false,
        }
    }

    fn walk(&mut self) -> Option<Walk<'_>> {
        let (_, def) = self.def?;
        Some(Walk {
            pack: self.pack,
            def,
            lang: self.lang,
            slots: &mut self.slots,
            waivers: &mut self.waivers,
            findings: &mut self.findings,
        })
    }
}

/// A member name, borrowed from the text where it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads the record object.
struct RecordSeed<'s, 'a> {
    state: &'s mut Fast<'a>,
}

/// A private error: the fast path gives up and the general path decides.
fn give_up<E: serde::de::Error>() -> E {
    E::custom("not a plain record")
}

impl<'de> serde::de::DeserializeSeed<'de> for RecordSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RecordSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a record object")
    }
    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let state = self.state;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if key == "kind" {
                let kind: Key<'de> = map.next_value()?;
                // A second `kind`, or one that is not known, is for the general path.
                if state.def.is_some() || !state.choose(&kind.0) {
                    return Err(give_up());
                }
                continue;
            }
            if state.def.is_none() {
                let Some(hint) = state.kind_hint else {
                    return Err(give_up());
                };
                if !state.choose(hint) {
                    return Err(give_up());
                }
            }
            member(state, 0, &key, &mut map)?;
        }
        if state.def.is_none() {
            let Some(hint) = state.kind_hint else {
                return Err(give_up());
            };
            if !state.choose(hint) {
                return Err(give_up());
            }
        }
        Ok(())
    }
}

/// Reads the value of member `key` of schema node `node`.
fn member<'de, M: serde::de::MapAccess<'de>>(
    state: &mut Fast<'_>,
    node: usize,
    key: &str,
    map: &mut M,
) -> Result<(), M::Error> {
    let Some((_, def)) = state.def else {
        return Err(give_up());
    };
    let Some(child) = def.tree.member(node, key) else {
        map.next_value::<serde::de::IgnoredAny>()?;
        if let Some(mut w) = state.walk() {
            w.unknown(node, key);
        }
        return Ok(());
    };
    match def.tree.nodes.get(child).and_then(|n| n.field) {
        Some(fid) => {
            let value: Scalar<'de> = map.next_value()?;
            if let Some(mut w) = state.walk() {
                match value {
                    Scalar::Str(s) => w.field_str(fid, &s),
                    Scalar::Other(Json::Null) => {}
                    Scalar::Other(json) => w.field(fid, &json),
                }
            }
            Ok(())
        }
        None => map.next_value_seed(GroupSeed { state, node: child }),
    }
}

/// Reads a group of fields (a nested object).
struct GroupSeed<'s, 'a> {
    state: &'s mut Fast<'a>,
    node: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for GroupSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for GroupSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            member(self.state, self.node, &key, &mut map)?;
        }
        Ok(())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        // `null` is an absent group.
        Ok(())
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        self.scalar()
    }
}

impl GroupSeed<'_, '_> {
    fn scalar<E>(self) -> Result<(), E> {
        if let Some(mut w) = self.state.walk() {
            w.not_object(self.node);
        }
        Ok(())
    }
}

/// A member's value: a string borrowed from the text where possible, else a JSON value.
enum Scalar<'de> {
    Str(std::borrow::Cow<'de, str>),
    Other(Json),
}

impl<'de> serde::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(std::borrow::Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Str(std::borrow::Cow::Owned(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(Json::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(Json::Number(v.into())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(Json::Number(v.into())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(
                    serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number),
                ))
            }
            fn visit_unit<E>(self) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Other(Json::Null))
            }
            fn visit_seq<S: serde::de::SeqAccess<'de>>(
                self,
                mut seq: S,
            ) -> Result<Scalar<'de>, S::Error> {
                let mut items = Vec::new();
                while let Some(x) = seq.next_element::<Json>()? {
                    items.push(x);
                }
                Ok(Scalar::Other(Json::Array(items)))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Scalar<'de>, M::Error> {
                let mut obj = serde_json::Map::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    obj.insert(k, v);
                }
                Ok(Scalar::Other(Json::Object(obj)))
            }
        }
        d.deserialize_any(V)
    }
}
