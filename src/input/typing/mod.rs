//! Typing: a JSON value → a [`Record`] of the pack's declared fields.
//!
//! Every bad value becomes one `input.invalid` finding at its JSON Pointer
//! and an `Invalid` slot; every undeclared member one `input.unknown-field`
//! warning. A record that cannot be checked at all (not an object, no or an
//! unknown `kind`, a required field absent, no valid date) gets one
//! `input.record` finding and no record.

mod values;

pub(crate) use values::json_kind;

use crate::diagnostics::did_you_mean;
use crate::i18n::{msg, Lang};
use crate::model::{Finding, Record, Reserved, Slot, WaiverEntry};
use crate::pack::Type;
use crate::pack::{pointer_of, FieldId, KindId, Pack, RecordDef, Value};
use crate::units::parse_date_lenient;
use crate::units::Date;
use serde_json::Value as Json;
use std::sync::Arc;
use values::{read_waivers, type_value};

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
    Finding::input(Reserved::InputInvalid, message, help, Some(pointer))
}

fn record_error(pointer: Option<String>, message: String, help: Option<String>) -> Finding {
    Finding::input(Reserved::InputRecord, message, help, pointer)
}

/// Types `json` against the pack. `kind_hint` is the kind implied by a file
/// name where the record has no `kind`; `date_override` is `--date`.
pub fn type_record(
    pack: &Pack,
    json: &Json,
    kind_hint: Option<&str>,
    date_override: Option<Date>,
    lang: Lang,
    names: Option<&ColumnNames>,
) -> Typed {
    let mut findings = Vec::new();
    let Json::Object(obj) = json else {
        let found = json_kind(json, lang);
        findings.push(record_error(
            Some(String::new()),
            msg::input::not_an_object(lang, &found),
            Some(msg::input::not_an_object_help(lang)),
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
                msg::input::unknown_kind(lang, k),
                did_you_mean(k, kinds.iter().copied()).map(|s| msg::input::did_you_mean(lang, &s)),
            ),
            None => (msg::input::no_kind(lang), None),
        };
        let help = help.or_else(|| {
            Some(msg::input::kinds_are(
                lang,
                &kinds.join(lang.list_separator()),
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
        names,
    };
    walk.object(obj, 0);
    let cx = Settings {
        date_override,
        lang,
        names,
    };
    finish(def, kind_id, slots, waivers, findings, cx)
}

/// Checks what a typed record needs as a whole: its required fields and its date.
pub(super) fn finish(
    def: &RecordDef,
    kind_id: KindId,
    slots: Vec<Slot>,
    waivers: Vec<WaiverEntry>,
    mut findings: Vec<Finding>,
    cx: Settings<'_>,
) -> Typed {
    let Settings {
        date_override,
        lang,
        names,
    } = cx;
    let shown = |f: &crate::pack::FieldDef| {
        names
            .and_then(|n| n.get(&f.path).cloned())
            .unwrap_or_else(|| f.path.clone())
    };
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
                msg::input::required_absent(lang, &shown(field), field.title(lang)),
                Some(msg::input::add_field(lang, &shown(field))),
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
                Some(if given {
                    pointer_of(&fd.path)
                } else {
                    String::new()
                }),
                if given {
                    msg::input::date_invalid(lang, &shown(fd))
                } else {
                    msg::input::date_absent(lang, &shown(fd))
                },
                Some(msg::input::date_help(lang)),
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

/// One pass over a record's JSON members against the schema tree.
pub(super) struct Walk<'a> {
    pub(super) pack: &'a Pack,
    pub(super) def: &'a RecordDef,
    pub(super) lang: Lang,
    pub(super) slots: &'a mut Vec<Slot>,
    pub(super) waivers: &'a mut Vec<WaiverEntry>,
    pub(super) findings: &'a mut Vec<Finding>,
    /// Names of fields as the user wrote them (spreadsheet columns), for messages.
    pub(super) names: Option<&'a ColumnNames>,
}

/// What typing a record needs besides the record: `--date`, the language,
/// and the names of fields as the user wrote them.
#[derive(Clone, Copy)]
pub(super) struct Settings<'a> {
    pub(super) date_override: Option<Date>,
    pub(super) lang: Lang,
    pub(super) names: Option<&'a ColumnNames>,
}

/// Fields named as the user wrote them: dotted path → column header.
pub type ColumnNames = std::collections::HashMap<String, String>;

impl Walk<'_> {
    /// How a field is named in messages: its column as written, else its path.
    fn shown<'f>(&'f self, field: &'f crate::pack::FieldDef) -> &'f str {
        self.names
            .and_then(|n| n.get(&field.path))
            .map_or(field.path.as_str(), String::as_str)
    }

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
    pub(super) fn not_object(&mut self, child: usize) {
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
            msg::input::group_not_object(lang, &path),
            Some(msg::input::group_holds(lang, &example)),
        ));
    }

    pub(super) fn field(&mut self, fid: FieldId, value: &Json) {
        let lang = self.lang;
        let Some(field) = self.def.get(fid) else {
            return;
        };
        if field.ty == Type::Waivers {
            match read_waivers(value, lang) {
                Ok(w) => {
                    *self.waivers = w;
                    self.waiver_keys(value, &field.path);
                }
                Err(()) => self.findings.push(Finding::input(
                    Reserved::WaiverInvalid,
                    msg::input::waivers_not_array(lang),
                    Some(msg::input::waivers_shape(lang)),
                    Some(pointer_of(&field.path)),
                )),
            }
            return;
        }
        match type_value(self.pack, field, value, lang, self.shown(field)) {
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
    pub(super) fn field_str(&mut self, fid: FieldId, s: &str) {
        let Some(field) = self.def.get(fid) else {
            return;
        };
        let fast = match &field.ty {
            Type::Text => Some(Value::Text(Arc::from(s))),
            Type::Enum(id) => self
                .pack
                .enums
                .get(id.0)
                .and_then(|e| e.resolve(s))
                .map(Value::Text),
            Type::Date => parse_date_lenient(s).map(Value::Date),
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
                    Some(s) => msg::input::did_you_mean(lang, &s),
                    None => msg::input::waiver_members(lang),
                };
                self.findings.push(Finding::input(
                    Reserved::InputUnknownField,
                    msg::input::waiver_unknown_member(lang, key),
                    Some(help),
                    Some(format!("{}/{i}/{escaped}", pointer_of(path))),
                ));
            }
        }
    }

    /// A member the pack does not declare: a warning with a did-you-mean.
    pub(super) fn unknown(&mut self, node: usize, key: &str) {
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
            Reserved::InputUnknownField,
            msg::input::unknown_field(lang, &path),
            Some(match suggestion {
                Some(s) => msg::input::did_you_mean_quoted(lang, &s),
                None => msg::input::unknown_field_help(lang),
            }),
            Some(pointer),
        ));
    }
}
