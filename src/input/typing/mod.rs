//! Typing: a record's JSON text → a [`Record`] of the pack's declared fields.
//!
//! The text is read by the submission reader ([`super::json`]), which keeps
//! every value's place and exact text, so every finding here carries the
//! bytes it is about: a bad value becomes one `input.invalid` finding at
//! that value and an `Invalid` slot; an undeclared member one
//! `input.unknown-field` warning at its name; a member given twice one
//! `input.invalid` at the second name, with the field checked without
//! either value. A record that cannot be checked at all (not an object, no
//! or an unknown `kind`, a required field absent, no valid date) gets one
//! `input.record` finding and no record.

mod direct;
mod values;
mod walk;

use super::json::{self, Doc, Kind, Node};
use crate::diagnostics::did_you_mean;
use crate::i18n::{msg, Lang};
use crate::model::{Finding, Record, Reserved, Slot, WaiverEntry};
use crate::pack::{pointer_of, KindId, Pack, RecordDef, Value};
use crate::units::Date;
use std::borrow::Cow;
use std::cell::RefCell;
use walk::Walk;

pub(crate) use values::kind_name;

/// The result of typing one record.
#[derive(Debug)]
pub struct Typed {
    /// The record, unless it is invalid as a whole.
    pub record: Option<Record>,
    /// The record's kind as written, if readable.
    pub kind: Option<String>,
    /// The `id` as written, shown for a record that cannot be checked.
    pub id: Option<String>,
    /// Findings about the input, each placed at bytes of the record's text
    /// where it is about a value.
    pub findings: Vec<Finding>,
    /// The record's kind and own date where they could be read, even when
    /// the record cannot be checked: a record outside the plan's period is
    /// said to be so, valid or not (§4.1).
    pub dated: Option<(KindId, Option<Date>)>,
}

/// What typing a record needs besides its text.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// The kind implied by the file name, for records without `kind`.
    pub hint: Option<&'a str>,
    /// `--date`: records need no date of their own.
    pub date: Option<Date>,
    /// The language of findings.
    pub lang: Lang,
    /// Fields named as the user wrote them (spreadsheet columns), for messages.
    pub names: Option<&'a ColumnNames>,
    /// Dotted paths of fields given twice where the text cannot say so (two
    /// columns of a spreadsheet row, already reported): invalid, as a JSON
    /// member given twice is.
    pub given_twice: &'a [String],
}

/// Fields named as the user wrote them: dotted path → column header.
pub type ColumnNames = std::collections::HashMap<String, String>;

thread_local! {
    /// The nodes of the record being typed, reused from record to record.
    static NODES: RefCell<Vec<json::Node>> = const { RefCell::new(Vec::new()) };
}

/// Parses and types one record's JSON text; the error is where and why the
/// text is not JSON.
pub fn type_text(pack: &Pack, text: &str, cx: &Settings<'_>) -> Result<Typed, json::Error> {
    // The usual record is read straight into its slots; the general path
    // below reads anything else, and says what is wrong with it.
    if let Some(typed) = direct::type_direct(pack, text, cx) {
        return Ok(typed);
    }
    type_general(pack, text, cx)
}

/// Parses `text` into nodes and types the tree: every record can be read
/// so, and every finding about its text is made here.
pub(crate) fn type_general(
    pack: &Pack,
    text: &str,
    cx: &Settings<'_>,
) -> Result<Typed, json::Error> {
    NODES.with(|cell| {
        // A record typed inside another's typing (never today) gets its own nodes.
        let mut own = Vec::new();
        let mut borrowed = cell.try_borrow_mut();
        let nodes = match borrowed.as_mut() {
            Ok(n) => &mut **n,
            Err(_) => &mut own,
        };
        json::parse(text, nodes)?;
        let typed = type_doc(pack, &Doc { text, nodes }, cx);
        // A huge record's nodes are not kept for the next one.
        if nodes.capacity() > 1 << 16 {
            *nodes = Vec::new();
        }
        Ok(typed)
    })
}

/// Panics unless the direct reader, where it answers for `text`, answers
/// as the general path does; returns whether it answered. The oracle of
/// the fuzz targets and of typing's tests for the two readers, which no
/// output tells apart.
pub(crate) fn assert_direct_agrees(pack: &Pack, text: &str, cx: &Settings<'_>) -> bool {
    let Some(direct) = direct::type_direct(pack, text, cx) else {
        return false;
    };
    let general = type_general(pack, text, cx);
    assert!(
        general.is_ok(),
        "the direct reader read text that is not JSON ({general:?}): {text}"
    );
    let direct = format!("{:?}", Ok::<_, json::Error>(direct));
    let general = format!("{general:?}");
    assert!(
        direct == general,
        "{text}\ndirect: {direct}\ngeneral: {general}"
    );
    true
}

fn invalid(
    pointer: String,
    message: String,
    help: Option<String>,
    span: (usize, usize),
) -> Finding {
    Finding::input(Reserved::InputInvalid, message, help, Some(pointer)).at(span)
}

fn record_error(pointer: Option<String>, message: String, help: Option<String>) -> Finding {
    Finding::input(Reserved::InputRecord, message, help, pointer)
}

/// Escapes a member name for a JSON Pointer.
fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Types the parsed record `doc` against the pack.
pub fn type_doc(pack: &Pack, doc: &Doc<'_>, cx: &Settings<'_>) -> Typed {
    let lang = cx.lang;
    let mut findings = Vec::new();
    let Some(root) = doc.root() else {
        return Typed {
            record: None,
            kind: None,
            id: None,
            findings,
            dated: None,
        };
    };
    if root.kind != Kind::Object {
        let found = kind_name(root.kind, lang);
        findings.push(
            record_error(
                Some(String::new()),
                msg::input::not_an_object(lang, &found),
                Some(msg::input::not_an_object_help(lang)),
            )
            .at(first_char(doc, root)),
        );
        return Typed {
            record: None,
            kind: None,
            id: None,
            findings,
            dated: None,
        };
    }
    let repeats = repeated_members(doc, root);
    // `id` and `kind` in one pass over the members: a name given twice is
    // never silently taken, so each is kept only when given once.
    let (mut id_node, mut ids, mut kind_node, mut kinds_given) = (None, 0u32, None, 0u32);
    let mut last_kind = None;
    for m in doc.children(root) {
        match m.key(doc.text).as_ref() {
            "id" => {
                ids += 1;
                id_node = Some(m);
            }
            "kind" => {
                kinds_given += 1;
                kind_node = Some(m);
                last_kind = Some(m);
            }
            _ => {}
        }
    }
    let id = id_node
        .filter(|n| ids == 1 && n.kind == Kind::String)
        .map(|n| n.string(doc.text).into_owned());
    let kind_given_twice = kinds_given > 1;
    let kind_node = kind_node.filter(|_| kinds_given == 1);
    let kind_name: Option<String> = match kind_node {
        Some(n) if n.kind == Kind::String => Some(n.string(doc.text).into_owned()),
        None if !kind_given_twice => cx.hint.map(str::to_string),
        Some(n) if n.kind == Kind::Null => cx.hint.map(str::to_string),
        _ => None,
    };
    let Some((kind_id, def)) = kind_name.as_deref().and_then(|k| pack.record(k)) else {
        let kinds: Vec<&str> = pack.records.iter().map(|r| r.kind.as_str()).collect();
        let (message, help) = match &kind_name {
            Some(k) => (
                msg::input::unknown_kind(lang, k),
                did_you_mean(k, kinds.iter().copied()).map(|s| msg::input::did_you_mean(lang, &s)),
            ),
            None if kind_given_twice => (msg::input::kind_twice(lang), None),
            None => (msg::input::no_kind(lang), None),
        };
        let help = help.or_else(|| {
            Some(msg::input::kinds_are(
                lang,
                &kinds.join(lang.list_separator()),
            ))
        });
        let (pointer, span) = match last_kind {
            Some(m) => ("/kind".to_string(), m.span()),
            None => (String::new(), first_char(doc, root)),
        };
        findings.push(record_error(Some(pointer.clone()), message, help).at(span));
        // The key given twice has its own finding, as any other's (§4.1).
        if let Some(m) = last_kind.filter(|_| kind_given_twice) {
            let twice = Finding::input(
                Reserved::InputInvalid,
                msg::input::given_twice(lang, "kind"),
                Some(msg::input::given_twice_help(lang)),
                Some(pointer),
            );
            findings.push(twice.at(m.key_span()));
        }
        return Typed {
            record: None,
            kind: kind_name,
            id,
            findings,
            dated: None,
        };
    };

    let mut slots = Slot::absent(def.fields.len());
    let mut waivers = Vec::new();
    let mut walk = Walk {
        pack,
        def,
        doc,
        lang,
        slots: &mut slots,
        waivers: &mut waivers,
        findings: &mut findings,
        names: cx.names,
        twice: Vec::new(),
    };
    walk.object(root, 0, &repeats);
    let mut twice = walk.twice;
    for path in cx.given_twice {
        if let Some(f) = def.field(path) {
            if let Some(slot) = slots.get_mut(f.0) {
                *slot = Slot::Invalid(None);
            }
            twice.push(f);
        }
    }
    let mut typed = finish(
        def,
        kind_id,
        Filled {
            slots,
            waivers,
            twice: &twice,
        },
        findings,
        cx,
        first_char(doc, root),
    );
    typed.id = id;
    typed
}

/// The first character of a value, where a finding about the whole record points.
fn first_char(doc: &Doc<'_>, n: &Node) -> (usize, usize) {
    let (s, e) = n.span();
    let len = doc
        .text
        .get(s..e)
        .and_then(|t| t.chars().next())
        .map_or(0, char::len_utf8);
    (s, s + len)
}

/// Which members of an object repeat the name of an earlier member: the
/// second and later members of a name given twice (empty: none repeats).
fn repeated_members(doc: &Doc<'_>, obj: &Node) -> Vec<bool> {
    // The usual object: a few members, none repeated, names without
    // escapes. Each name is kept as a cheap fingerprint (length, first and
    // last byte) beside its place in the text, names are compared only when
    // fingerprints agree, and nothing is allocated unless a name repeats (an
    // empty answer means none does).
    const FEW: usize = 16;
    let mut prints = [(0u64, 0usize, 0usize); FEW];
    let mut seen = 0usize;
    let mut bits = 0u64;
    let mut repeats: Vec<bool> = Vec::new();
    let mut plain = true;
    for (i, m) in doc.children(obj).enumerate() {
        if i >= FEW || m.key_has_escapes() {
            plain = false;
            break;
        }
        let (s, e) = (m.key_start as usize, m.key_end as usize);
        let k = doc.text.as_bytes().get(s..e).unwrap_or(&[]);
        let print = ((k.len() as u64) << 16)
            | (u64::from(k.first().copied().unwrap_or(0)) << 8)
            | u64::from(k.last().copied().unwrap_or(0));
        // One bit per fingerprint: names are compared only when a bit is
        // already set, which distinct names rarely share.
        let bit = 1u64 << (print.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58);
        let maybe_seen = bits & bit != 0;
        bits |= bit;
        let earlier = prints.get(..seen).unwrap_or(&[]);
        if maybe_seen
            && earlier
                .iter()
                .any(|&(p, ps, pe)| p == print && doc.text.as_bytes().get(ps..pe) == Some(k))
        {
            if repeats.is_empty() {
                repeats = vec![false; doc.children(obj).count()];
            }
            if let Some(r) = repeats.get_mut(i) {
                *r = true;
            }
        }
        if let Some(slot) = prints.get_mut(i) {
            *slot = (print, s, e);
        }
        seen = i + 1;
    }
    if plain {
        return repeats;
    }
    let keys: Vec<Cow<'_, str>> = doc.children(obj).map(|m| m.key(doc.text)).collect();
    let mut repeats = vec![false; keys.len()];
    if keys.len() <= 16 {
        for (i, k) in keys.iter().enumerate() {
            if keys.get(..i).is_some_and(|before| before.contains(k)) {
                if let Some(r) = repeats.get_mut(i) {
                    *r = true;
                }
            }
        }
        return repeats;
    }
    // Many members (hostile input can give thousands): a set keeps it linear.
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        if !seen.insert(k.as_ref()) {
            if let Some(r) = repeats.get_mut(i) {
                *r = true;
            }
        }
    }
    repeats
}

/// What the walk over a record's members filled in.
pub(super) struct Filled<'t> {
    slots: Vec<Slot>,
    waivers: Vec<WaiverEntry>,
    /// Fields invalid because given twice.
    twice: &'t [crate::pack::FieldId],
}

/// Checks what a typed record needs as a whole: its required fields and its date.
pub(super) fn finish(
    def: &RecordDef,
    kind_id: KindId,
    filled: Filled<'_>,
    mut findings: Vec<Finding>,
    cx: &Settings<'_>,
    whole: (usize, usize),
) -> Typed {
    let Filled {
        slots,
        waivers,
        twice,
    } = filled;
    let lang = cx.lang;
    let shown = |f: &crate::pack::FieldDef| {
        cx.names
            .and_then(|n| n.get(&f.path).cloned())
            .unwrap_or_else(|| f.path.clone())
    };
    // Required fields.
    let mut whole_invalid = false;
    for (i, field) in def.fields.iter().enumerate() {
        if !field.required {
            continue;
        }
        // A required text given blank is as good as absent (a project with id "" has no id).
        let blank =
            matches!(slots.get(i), Some(Slot::Value(Value::Text(t))) if t.trim().is_empty());
        if (matches!(slots.get(i), Some(Slot::Absent)) || blank)
            && Some(crate::pack::FieldId(i)) != def.dated_by
        {
            whole_invalid = true;
            findings.push(
                record_error(
                    Some(String::new()),
                    msg::input::required_absent(lang, &shown(field), field.title(lang)),
                    Some(msg::input::add_field(lang, &shown(field))),
                )
                .at(whole),
            );
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
    if date.is_none() && cx.date.is_none() {
        if let Some(fd) = def.dated_by.and_then(|f| def.get(f)) {
            whole_invalid = true;
            let given = matches!(
                slots.get(def.dated_by.map_or(0, |f| f.0)),
                Some(Slot::Invalid(_))
            );
            let pointer = pointer_of(&fd.path);
            // The finding about the date value itself becomes the record's finding, in place.
            let at = findings
                .iter()
                .find(|f| given && f.pointer.as_deref() == Some(pointer.as_str()))
                .and_then(|f| f.span);
            // Given twice, neither value dates the record: say so, not
            // "invalid"; the key given twice keeps its own finding (§4.1).
            let twice = def.dated_by.is_some_and(|f| twice.contains(&f));
            findings
                .retain(|f| twice || !(given && f.pointer.as_deref() == Some(pointer.as_str())));
            let (message, help) = match (given, twice, fd.is_year) {
                (true, true, _) => (
                    msg::input::date_twice(lang, &shown(fd)),
                    msg::input::date_twice_help(lang),
                ),
                (true, false, true) => (
                    msg::input::year_invalid(lang, &shown(fd)),
                    msg::input::year_help(lang),
                ),
                (true, false, false) => (
                    msg::input::date_invalid(lang, &shown(fd)),
                    msg::input::date_help(lang),
                ),
                (false, _, _) => (
                    msg::input::date_absent(lang, &shown(fd)),
                    msg::input::date_help(lang),
                ),
            };
            let finding = record_error(
                Some(if given { pointer } else { String::new() }),
                message,
                Some(help),
            );
            findings.push(match (given, at) {
                (true, Some(span)) => finding.at(span),
                (true, None) => finding,
                (false, _) => finding.at(whole),
            });
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
        id: None,
        findings,
        dated: Some((kind_id, date)),
    }
}

#[cfg(test)]
mod tests;
