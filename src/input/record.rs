//! Typing: a JSON value → a [`Record`] of the pack's declared fields.
//!
//! Every bad value becomes one `input.invalid` finding at its JSON Pointer
//! and an `Invalid` slot; every undeclared member one `input.unknown-field`
//! warning. A record that cannot be checked at all (not an object, no or an
//! unknown `kind`, a required field absent, no valid date) gets one
//! `input.record` finding and no record.

use crate::diagnostics::did_you_mean;
use crate::eval::{pointer_of, Finding, Outcome, Record, Severity, Slot, WaiverEntry};
use crate::pack::{FieldDef, Lang, Pack, RecordDef, Type, Value};
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
    Finding {
        rule: "input.invalid".into(),
        outcome: Outcome::Invalid,
        severity: Severity::Error,
        message,
        help,
        pointer: Some(pointer),
        numbers: None,
    }
}

fn record_error(pointer: Option<String>, message: String, help: Option<String>) -> Finding {
    Finding {
        rule: "input.record".into(),
        outcome: Outcome::Invalid,
        severity: Severity::Error,
        message,
        help,
        pointer,
        numbers: None,
    }
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
    let mut broken_parents: Vec<String> = Vec::new();
    for (i, field) in def.fields.iter().enumerate() {
        let (value, parent_problem) = navigate(obj, &field.path);
        if let Some(parent) = parent_problem {
            if !broken_parents.contains(&parent) {
                broken_parents.push(parent.clone());
                findings.push(invalid(
                    pointer_of(&parent),
                    tr(
                        lang,
                        format!("`{parent}` 应为 JSON 对象"),
                        format!("`{parent}` must be an object"),
                    ),
                    Some(tr(
                        lang,
                        format!("其下应包含 `{}` 等字段", field.path),
                        format!("it holds fields such as `{}`", field.path),
                    )),
                ));
            }
            if let Some(slot) = slots.get_mut(i) {
                *slot = Slot::Invalid;
            }
            continue;
        }
        let Some(value) = value else { continue };
        if field.ty == Type::Waivers {
            match read_waivers(value) {
                Ok(w) => waivers = w,
                Err(()) => findings.push(Finding {
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
            continue;
        }
        match type_value(pack, field, value, lang) {
            Ok(v) => {
                if let Some(slot) = slots.get_mut(i) {
                    *slot = Slot::Value(v);
                }
            }
            Err((message, help)) => {
                if let Some(slot) = slots.get_mut(i) {
                    *slot = Slot::Invalid;
                }
                findings.push(invalid(pointer_of(&field.path), message, help));
            }
        }
    }
    unknown_fields(def, obj, "", lang, &mut findings);

    // Required fields.
    let mut whole_invalid = false;
    for (i, field) in def.fields.iter().enumerate() {
        if field.required
            && matches!(slots.get(i), Some(Slot::Absent))
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
                Some(Slot::Invalid)
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

/// The value at a dotted path, and the first ancestor that is not an object.
fn navigate<'a>(
    obj: &'a serde_json::Map<String, Json>,
    path: &str,
) -> (Option<&'a Json>, Option<String>) {
    let mut current = obj;
    let mut segments = path.split('.').peekable();
    let mut walked = String::new();
    while let Some(seg) = segments.next() {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(seg);
        let value = current.get(seg);
        if segments.peek().is_none() {
            return (value.filter(|v| !v.is_null()), None);
        }
        match value {
            None | Some(Json::Null) => return (None, None),
            Some(Json::Object(o)) => current = o,
            Some(_) => return (None, Some(walked)),
        }
    }
    (None, None)
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
            let values: Vec<&str> = en.values.iter().map(|(v, _)| v.as_str()).collect();
            let listing = values.join(if lang == Lang::Zh { "、" } else { ", " });
            match v {
                Json::String(s) if en.contains(s) => Ok(Value::Text(Arc::from(s.as_str()))),
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
            let unit = field
                .unit
                .clone()
                .unwrap_or_else(|| Arc::new(units::Unit::none()));
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
            let base = match v {
                Json::Number(n) => Number::parse(&n.to_string())
                    .map(|n| unit.to_base(&n))
                    .ok_or_else(|| wrong("数值", "a number", None))?,
                Json::String(s) if !field.is_year => units::parse_quantity(s, &unit)
                    .map_err(|e| quantity_error(path, s, &e, &unit, lang))?,
                _ => {
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
            Ok(Value::Num(base, field.unit.clone()))
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
    let expected = if unit.symbol.is_empty() {
        "a plain number".to_string()
    } else {
        unit.dim.to_string()
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

fn unknown_fields(
    def: &RecordDef,
    obj: &serde_json::Map<String, Json>,
    prefix: &str,
    lang: Lang,
    out: &mut Vec<Finding>,
) {
    for (key, value) in obj {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if prefix.is_empty() && key == "kind" {
            continue;
        }
        if def.field(&path).is_some() {
            continue;
        }
        let group_prefix = format!("{path}.");
        if def.fields.iter().any(|f| f.path.starts_with(&group_prefix)) {
            if let Json::Object(inner) = value {
                unknown_fields(def, inner, &path, lang, out);
            }
            continue;
        }
        // Suggest among siblings first, then among all paths.
        let siblings: Vec<&str> = def
            .fields
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| {
                if prefix.is_empty() {
                    true
                } else {
                    p.starts_with(&format!("{prefix}."))
                }
            })
            .collect();
        let suggestion = did_you_mean(&path, siblings.iter().copied()).or_else(|| {
            // A misspelt group name: compare the first segment.
            let groups: Vec<&str> = def
                .fields
                .iter()
                .filter_map(|f| f.path.split_once('.').map(|(g, _)| g))
                .collect();
            did_you_mean(key, groups.iter().copied())
        });
        out.push(Finding {
            rule: "input.unknown-field".into(),
            outcome: Outcome::Invalid,
            severity: Severity::Warning,
            message: tr(
                lang,
                format!("未声明的字段 `{path}`，本规则包不读取它"),
                format!("unknown field `{path}`: no rule reads it"),
            ),
            help: Some(match suggestion {
                Some(s) => tr(
                    lang,
                    format!("是否应为 `{s}`？"),
                    format!("did you mean `{s}`?"),
                ),
                None => tr(
                    lang,
                    "删除该字段，或查看 plancheck schema 中的字段名".into(),
                    "remove it, or see the field names in `plancheck schema`".into(),
                ),
            }),
            pointer: Some(pointer_of(&path)),
            numbers: None,
        });
    }
}
