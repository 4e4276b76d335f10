//! Typing single values: a JSON value (a node of the record's text) → a
//! typed value of a field, or the message and help of an `input.invalid`
//! finding; waiver entries.

use crate::diagnostics::did_you_mean;
use crate::i18n::{msg, Lang};
use crate::input::json::{Doc, Kind, Node};
use crate::model::WaiverEntry;
use crate::pack::{FieldDef, Pack, Type, Value};
use crate::units::{self, parse_date_lenient, Number, QuantityError};
use smol_str::SmolStr;

/// What a JSON value is, in words.
pub(crate) fn kind_name(kind: Kind, lang: Lang) -> String {
    match kind {
        Kind::Null => msg::input::json_null(lang),
        Kind::Bool(_) => msg::input::json_boolean(lang),
        Kind::Number => msg::input::json_number(lang),
        Kind::String => msg::input::json_string(lang),
        Kind::Array => msg::input::json_array(lang),
        Kind::Object => msg::input::json_object(lang),
    }
}

/// A value as written, clipped for a message: a submitted value is never
/// echoed whole (it may be megabytes long).
fn short(text: &str) -> String {
    crate::text::clip(text, 40)
}

/// Whether the JSON number `text` lies within ±(1e-300 … 1e300) or is 0: a
/// number beyond is no quantity of any submission, and computing with it
/// exactly would cost without bound.
fn in_range(text: &str) -> bool {
    // Without an exponent a number the reader takes (at most 60 digits) is in range.
    if !text.bytes().any(|b| b | 0x20 == b'e') {
        return true;
    }
    let digits_and_exp = text.trim_start_matches('-');
    let (mantissa, exp) = match digits_and_exp.find(['e', 'E']) {
        Some(i) => (
            digits_and_exp.get(..i).unwrap_or(""),
            digits_and_exp
                .get(i + 1..)
                .and_then(|e| e.trim_start_matches('+').parse::<i64>().ok()),
        ),
        None => (digits_and_exp, Some(0)),
    };
    let Some(exp) = exp else {
        return false;
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The place of the first significant digit: 0 for 1.5, -3 for 0.0015.
    let lead = match int.trim_start_matches('0') {
        "" => match frac.find(|c: char| c != '0') {
            Some(i) => -(i as i64) - 1,
            None => return true,
        },
        rest => rest.len() as i64 - 1,
    };
    (-300..=300).contains(&(lead + exp))
}

/// Types one value; the error is a message and a help line. `shown` is
/// the field's name in messages: its path, or a column as the user wrote it.
pub(super) fn type_value(
    pack: &Pack,
    field: &FieldDef,
    doc: &Doc<'_>,
    v: &Node,
    lang: Lang,
    shown: &str,
) -> Result<Value, (String, Option<String>)> {
    let path = shown;
    let written = v.raw(doc.text);
    let wrong = |expected: String, help: Option<String>| {
        (
            msg::input::wrong_type(lang, path, &expected, &short(written)),
            help,
        )
    };
    let string = (v.kind == Kind::String).then(|| v.string(doc.text));
    match &field.ty {
        Type::Text => match &string {
            Some(s) => Ok(Value::Text(SmolStr::from(s.as_ref()))),
            None => Err(wrong(msg::input::expect_text(lang), None)),
        },
        Type::Bool => match v.kind {
            Kind::Bool(b) => Ok(Value::Bool(b)),
            _ => Err(wrong(
                msg::input::expect_bool(lang),
                Some(msg::input::bool_help(lang)),
            )),
        },
        Type::Date => match &string {
            Some(s) => parse_date_lenient(s)
                .map(Value::Date)
                .ok_or_else(|| wrong(msg::input::expect_date(lang), None)),
            None => Err(wrong(msg::input::expect_date(lang), None)),
        },
        Type::Enum(id) => {
            let Some(en) = pack.enums.get(id.0) else {
                return Err(wrong(msg::input::expect_enum_value(lang), None));
            };
            if let Some(s) = &string {
                if let Some(v) = en.resolve(s) {
                    return Ok(Value::Text(v));
                }
            }
            let values: Vec<&str> = en.values.iter().map(|(v, _)| v.as_str()).collect();
            let listing = enum_listing(en, lang);
            match &string {
                Some(s) => {
                    let help = match did_you_mean(s, values.iter().copied()) {
                        Some(best) => msg::input::enum_did_you_mean(lang, &best, &listing),
                        None => msg::input::enum_one_of(lang, &listing),
                    };
                    Err((msg::input::not_in_enum(lang, path, &short(s)), Some(help)))
                }
                _ => Err(wrong(
                    msg::input::expect_listed_value(lang),
                    Some(msg::input::enum_one_of(lang, &listing)),
                )),
            }
        }
        Type::List(inner) => match v.kind {
            Kind::Array if **inner == Type::Text => {
                let texts: Option<Vec<Value>> = doc
                    .children(v)
                    .map(|i| {
                        (i.kind == Kind::String)
                            .then(|| Value::Text(SmolStr::from(i.string(doc.text).as_ref())))
                    })
                    .collect();
                texts
                    .map(|t| Value::List(t.into()))
                    .ok_or_else(|| wrong(msg::input::expect_text_list(lang), None))
            }
            _ => Err(wrong(msg::input::expect_list(lang), None)),
        },
        Type::Waivers => Err(wrong(msg::input::expect_array(lang), None)),
        Type::Num(_) => {
            let unit = field.unit.unwrap_or_else(|| units::no_unit());
            let base = match (v.kind, &string) {
                // The number exactly as written: `19999.999999999999999999` is not 20000.
                (Kind::Number, _) => Number::parse(written)
                    .filter(|_| in_range(written))
                    .map(|n| unit.to_base(&n))
                    .ok_or_else(|| {
                        (
                            msg::input::number_beyond(lang, path, &short(written)),
                            Some(msg::input::number_beyond_help(lang)),
                        )
                    })?,
                (_, Some(s)) if field.is_year => units::parse_year(s)
                    .map(Number::int)
                    .ok_or_else(|| wrong(msg::input::expect_year(lang), None))?,
                (_, Some(s)) => units::parse_quantity(s, unit, &pack.units)
                    .map_err(|e| quantity_error(path, s, &e, unit, &pack.units, lang))?,
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
                    let unit_name = if unit.symbol.is_empty() {
                        msg::input::plain_numbers(lang)
                    } else {
                        unit.symbol.clone()
                    };
                    let help = msg::input::number_help(lang, &unit_name, &example);
                    return Err(wrong(msg::input::expect_number(lang), Some(help)));
                }
            };
            if field.is_year && base.to_i64().is_none_or(|y| !(1900..=2200).contains(&y)) {
                return Err(wrong(msg::input::expect_year(lang), None));
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
                    let what = if bound.is_zero() && !inclusive {
                        msg::input::bound_positive(lang)
                    } else if bound.is_zero() {
                        msg::input::bound_non_negative(lang)
                    } else {
                        msg::input::bound_at_least(lang, op, &shown)
                    };
                    return Err((
                        msg::input::out_of_bound(lang, path, &what, &short(written)),
                        Some(msg::input::check_value_and_unit(lang)),
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
    table: &units::UnitTable,
    lang: Lang,
) -> (String, Option<String>) {
    let expected = if unit.symbol.is_empty() {
        msg::input::a_plain_number(lang)
    } else {
        unit.dim.name(lang)
    };
    let canonical = if unit.symbol.is_empty() {
        String::new()
    } else {
        format!("（{}）", unit.symbol)
    };
    match e {
        QuantityError::NotANumber => (
            msg::input::quantity_not_number(lang, path, s),
            Some(msg::input::quantity_help(lang, &canonical, &unit.symbol)),
        ),
        QuantityError::UnknownUnit(u) => {
            // A multiplier stays in the suggestion: `2万平米` → `万平方米`.
            let (prefix, rest) = match units::multiplier(u) {
                Some((_, rest)) => (u.get(..u.len() - rest.len()).unwrap_or(""), rest),
                None => ("", u.as_str()),
            };
            let help = crate::diagnostics::did_you_mean(
                rest,
                table
                    .symbols()
                    .filter(|k| table.parse(k).is_some_and(|x| x.dim == unit.dim)),
            )
            .map(|s| format!("{prefix}{s}"));
            (
                msg::input::unknown_unit(lang, path, u),
                Some(match help {
                    Some(h) => msg::input::did_you_mean(lang, &h),
                    None => msg::input::use_unit_of(lang, &expected, &unit.symbol),
                }),
            )
        }
        QuantityError::WrongDimension { unit: u, found } => (
            msg::input::wrong_dimension(lang, path, u, &found.to_string(), &expected),
            Some(msg::input::change_unit(lang, &expected, &unit.symbol)),
        ),
    }
}

/// The values of an enumeration for a help line: codes, with their labels in Chinese.
fn enum_listing(en: &crate::pack::EnumDef, lang: Lang) -> String {
    en.values
        .iter()
        .map(|(code, labels)| match (lang, labels) {
            (Lang::Zh, Some(l)) if !l.zh.is_empty() && l.zh != *code => {
                format!("{code}（{}）", l.zh)
            }
            _ => code.clone(),
        })
        .collect::<Vec<_>>()
        .join(lang.list_separator())
}

/// The entries of a `waivers` array (`None` when it is not an array).
pub(super) fn read_waivers(doc: &Doc<'_>, v: &Node, lang: Lang) -> Option<Vec<WaiverEntry>> {
    if v.kind != Kind::Array {
        return None;
    }
    let text = doc.text;
    Some(
        doc.children(v)
            .enumerate()
            .map(|(index, item)| {
                if item.kind != Kind::Object {
                    return WaiverEntry {
                        index,
                        malformed: Some(msg::eval::waiver_not_object(
                            lang,
                            &kind_name(item.kind, lang),
                        )),
                        ..WaiverEntry::default()
                    };
                }
                let member = |k: &str| doc.member(item, k).filter(|m| m.kind != Kind::Null);
                let text_of = |k: &str| {
                    member(k)
                        .filter(|m| m.kind == Kind::String)
                        .map(|m| m.string(text).into_owned())
                };
                let expires = member("expires").map(|m| match m.kind {
                    Kind::String => {
                        let s = m.string(text);
                        parse_date_lenient(&s).ok_or_else(|| s.into_owned())
                    }
                    _ => Err(short(m.raw(text))),
                });
                let not_text = |k: &str| member(k).is_some_and(|m| m.kind != Kind::String);
                WaiverEntry {
                    index,
                    malformed: not_text("rule").then(|| msg::eval::waiver_rule_not_text(lang)),
                    rule: text_of("rule"),
                    approval: text_of("approval"),
                    approval_not_text: not_text("approval"),
                    expires,
                    reason: text_of("reason"),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::in_range;

    #[test]
    fn numbers_are_read_within_1e300() {
        for ok in [
            "0",
            "-0.0",
            "0e999",
            "1e300",
            "9.9e300",
            "1e-300",
            "0.001e-297",
            "123456",
            "-1.5",
        ] {
            assert!(in_range(ok), "{ok}");
        }
        for out in ["1e301", "10e300", "1e-301", "0.01e-299", "-1E400", "1e-400"] {
            assert!(!in_range(out), "{out}");
        }
    }
}
