//! The walk over a record's members against the schema tree: each member
//! a field's value, a group, a name given twice, or an unknown name.

use super::values::{read_waivers, type_value};
use super::{escape_pointer, invalid, repeated_members, ColumnNames};
use crate::diagnostics::did_you_mean;
use crate::i18n::{msg, Lang};
use crate::input::json::{Doc, Kind, Node};
use crate::model::{Finding, Reserved, Slot, WaiverEntry};
use crate::pack::{pointer_of, FieldId, Pack, RecordDef, Type};
use std::borrow::Cow;

/// One pass over a record's members against the schema tree.
pub(super) struct Walk<'a, 't> {
    pub(super) pack: &'a Pack,
    pub(super) def: &'a RecordDef,
    pub(super) doc: &'a Doc<'t>,
    pub(super) lang: Lang,
    pub(super) slots: &'a mut Vec<Slot>,
    pub(super) waivers: &'a mut Vec<WaiverEntry>,
    pub(super) findings: &'a mut Vec<Finding>,
    /// Names of fields as the user wrote them (spreadsheet columns), for messages.
    pub(super) names: Option<&'a ColumnNames>,
    /// Fields made invalid by a name given twice.
    pub(super) twice: Vec<FieldId>,
}

impl Walk<'_, '_> {
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

    /// Every field at or below schema node `node` is invalid.
    fn invalidate(&mut self, node: usize) {
        let mut under = Vec::new();
        self.def.tree.fields_under(node, &mut under);
        for f in under {
            self.set(f, Slot::Invalid(None));
        }
    }

    /// The dotted path of member `key` of schema node `node`.
    fn path_of(&self, node: usize, key: &str) -> String {
        let prefix = self
            .def
            .tree
            .nodes
            .get(node)
            .map(|n| n.path.as_str())
            .unwrap_or_default();
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    }

    /// The JSON Pointer of member `key` of schema node `node` (the name
    /// escaped as a whole: it may hold dots or slashes).
    fn pointer_to(&self, node: usize, key: &str) -> String {
        let prefix = self
            .def
            .tree
            .nodes
            .get(node)
            .map(|n| n.path.as_str())
            .unwrap_or_default();
        if prefix.is_empty() {
            format!("/{}", escape_pointer(key))
        } else {
            format!("{}/{}", pointer_of(prefix), escape_pointer(key))
        }
    }

    /// Reads the members of `obj`, which sits at schema node `node`;
    /// `repeats` marks the members that repeat an earlier name.
    pub(super) fn object(&mut self, obj: &Node, node: usize, repeats: &[bool]) {
        let doc = self.doc;
        // Names given twice: neither value is read.
        let twice: Vec<Cow<'_, str>> = doc
            .children(obj)
            .zip(repeats)
            .filter(|(_, r)| **r)
            .map(|(m, _)| m.key(doc.text))
            .collect();
        let mut cursor = 0;
        for (member, repeat) in doc
            .children(obj)
            .zip(repeats.iter().chain(std::iter::repeat(&false)))
        {
            let key = member.key(doc.text);
            if *repeat {
                self.given_twice(node, &key, member);
                continue;
            }
            if twice.contains(&key) {
                continue;
            }
            if node == 0 && key == "kind" {
                continue;
            }
            let Some(child) = self.def.tree.member_after(node, &key, &mut cursor) else {
                self.unknown(node, &key, member);
                continue;
            };
            let Some(schema) = self.def.tree.nodes.get(child) else {
                continue;
            };
            if member.kind == Kind::Null {
                continue;
            }
            if let Some(fid) = schema.field {
                self.field(fid, member);
                continue;
            }
            match member.kind {
                Kind::Object => {
                    let inner = repeated_members(doc, member);
                    self.object(member, child, &inner);
                }
                _ => self.not_object(child, member),
            }
        }
    }

    /// A member whose name an earlier member of the same object has.
    fn given_twice(&mut self, node: usize, key: &str, member: &Node) {
        let lang = self.lang;
        let path = self.path_of(node, key);
        if let Some(child) = self.def.tree.member(node, key) {
            self.invalidate(child);
            self.def.tree.fields_under(child, &mut self.twice);
        }
        self.findings.push(invalid(
            self.pointer_to(node, key),
            msg::input::given_twice(lang, &path),
            Some(msg::input::given_twice_help(lang)),
            member.key_span(),
        ));
    }

    /// A group given as a scalar: every field under it is invalid.
    fn not_object(&mut self, child: usize, value: &Node) {
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
        self.invalidate(child);
        self.findings.push(invalid(
            pointer_of(&path),
            msg::input::group_not_object(lang, &path),
            Some(msg::input::group_holds(lang, &example)),
            value.span(),
        ));
    }

    fn field(&mut self, fid: FieldId, value: &Node) {
        let lang = self.lang;
        let doc = self.doc;
        let Some(field) = self.def.get(fid) else {
            return;
        };
        if matches!(field.ty, Type::Waivers) {
            match read_waivers(doc, value, lang) {
                Some(w) => {
                    *self.waivers = w;
                    self.waiver_keys(value, &field.path);
                }
                None => self.findings.push(
                    Finding::input(
                        Reserved::WaiverInvalid,
                        msg::input::waivers_not_array(lang),
                        Some(msg::input::waivers_shape(lang)),
                        Some(pointer_of(&field.path)),
                    )
                    .at(value.span()),
                ),
            }
            return;
        }
        match type_value(self.pack, field, doc, value, lang, self.shown(field)) {
            Ok(v) => self.set(fid, Slot::Value(v)),
            Err((message, help)) => {
                let raw = match value.kind {
                    Kind::String => Some(std::sync::Arc::from(value.string(doc.text).as_ref())),
                    Kind::Number => Some(std::sync::Arc::from(value.raw(doc.text))),
                    _ => None,
                };
                self.set(fid, Slot::Invalid(raw));
                self.findings.push(invalid(
                    pointer_of(&field.path),
                    message,
                    help,
                    value.span(),
                ));
            }
        }
    }

    /// Members of waiver entries other than the four a waiver has: a misspelt
    /// `expires` must not make a waiver last for ever without a word.
    fn waiver_keys(&mut self, value: &Node, path: &str) {
        const KEYS: [&str; 4] = ["rule", "approval", "reason", "expires"];
        let lang = self.lang;
        let doc = self.doc;
        for (i, item) in doc.children(value).enumerate() {
            if item.kind != Kind::Object {
                continue;
            }
            for member in doc.children(item) {
                let key = member.key(doc.text);
                if KEYS.contains(&key.as_ref()) {
                    continue;
                }
                let help = match did_you_mean(&key, KEYS) {
                    Some(s) => msg::input::did_you_mean(lang, &s),
                    None => msg::input::waiver_members(lang),
                };
                self.findings.push(
                    Finding::input(
                        Reserved::InputUnknownField,
                        msg::input::waiver_unknown_member(lang, &key),
                        Some(help),
                        Some(format!("{}/{i}/{}", pointer_of(path), escape_pointer(&key))),
                    )
                    .at(member.span()),
                );
            }
        }
    }

    /// A member the pack does not declare: a warning with a did-you-mean.
    fn unknown(&mut self, node: usize, key: &str, member: &Node) {
        let lang = self.lang;
        let prefix = self
            .def
            .tree
            .nodes
            .get(node)
            .map(|n| n.path.clone())
            .unwrap_or_default();
        let path = self.path_of(node, key);
        let pointer = self.pointer_to(node, key);
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
        self.findings.push(
            Finding::input(
                Reserved::InputUnknownField,
                msg::input::unknown_field(lang, &path),
                Some(match suggestion {
                    Some(s) => msg::input::did_you_mean_quoted(lang, &s),
                    None => msg::input::unknown_field_help(lang),
                }),
                Some(pointer),
            )
            .at(member.span()),
        );
    }
}
