//! Differential tests: plancheck's JSON reader against serde_json.
//!
//! Submissions are read by plancheck's own reader (it keeps every value's
//! place and exact number text, and sees duplicate keys). It must accept
//! exactly the texts serde_json accepts (numbers beyond a double's range
//! aside: plancheck reads those and says so at the value) and read the same
//! values from them; and a record must type the same whatever its layout.

use plancheck::i18n::Lang;
use plancheck::input::json::{self, Doc, Kind, Node};
use plancheck::input::{type_text, Settings, Typed};
use plancheck::pack::Pack;
use proptest::prelude::*;
use serde_json::Value;
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| plancheck::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors)))
}

/// Our reading of a parsed text as a serde_json value.
fn value_of(doc: &Doc<'_>, n: &Node) -> Value {
    match n.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(b),
        Kind::Number => serde_json::from_str(n.raw(doc.text)).expect("a number serde_json reads"),
        Kind::String => Value::String(n.string(doc.text).into_owned()),
        Kind::Array => Value::Array(doc.children(n).map(|c| value_of(doc, c)).collect()),
        Kind::Object => Value::Object(
            doc.children(n)
                .map(|c| (c.key(doc.text).into_owned(), value_of(doc, c)))
                .collect(),
        ),
    }
}

/// Both readers on `text`: they accept it alike, and read the same value.
fn agree(text: &str) {
    let theirs = serde_json::from_str::<Value>(text);
    let mut nodes = Vec::new();
    let ours = json::parse(text, &mut nodes);
    match (&ours, &theirs) {
        (Ok(()), Ok(v)) => {
            let doc = Doc {
                text,
                nodes: &nodes,
            };
            let root = doc.root().expect("a root");
            assert_eq!(&value_of(&doc, root), v, "{text:?}");
        }
        (Err(_), Err(_)) => {}
        // serde_json refuses numbers beyond a double, and nesting beyond 128.
        (Ok(()), Err(e)) if e.to_string().contains("out of range") => {}
        _ => panic!("ours {ours:?}, serde_json {theirs:?} on {text:?}"),
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
        "[\"\\\\\\n\\t\\u{0}-\\u{1f}\\u{7f}\\u{202e}临清]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z临/~.]{0,5}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn both_readers_read_generated_json_alike(v in any_json()) {
        agree(&v.to_string());
        agree(&serde_json::to_string_pretty(&v).expect("pretty"));
    }

    /// Text from JSON's own alphabet, most of it broken: accepted and refused alike.
    #[test]
    fn both_readers_accept_and_refuse_alike(text in "[\\[\\]{}\",: 0-9eE.+\\-tfnrulasx\\\\]{0,40}") {
        agree(&text);
    }
}

/// The settings of a check in `lang` with no kind from a file name.
fn settings(lang: Lang) -> Settings<'static> {
    Settings {
        hint: None,
        date: None,
        lang,
        names: None,
        given_twice: &[],
    }
}

/// What typing gave, without the bytes findings point at (layouts differ).
fn outline(t: &Typed) -> String {
    let findings: Vec<String> = t
        .findings
        .iter()
        .map(|f| format!("{} {:?} {}", f.rule, f.pointer, f.message))
        .collect();
    let record = t
        .record
        .as_ref()
        .map(|r| format!("{:?} {:?} {:?} {:?}", r.kind, r.slots, r.date, r.waivers));
    format!("{:?} {:?} {record:?} {findings:?}", t.kind, t.id)
}

/// The text of every record of the shipped samples.
fn sample_records() -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(super::root().join("seeds/samples")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => out.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string),
            ),
            Some("json") => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(items)) => out.extend(
                    items
                        .iter()
                        .map(|v| serde_json::to_string_pretty(v).expect("pretty")),
                ),
                _ => out.push(text.clone()),
            },
            _ => {}
        }
    }
    out
}

#[test]
fn a_record_types_alike_whatever_its_layout() {
    let records = sample_records();
    assert!(records.len() >= 30, "the samples hold records");
    let mut typed = 0;
    for text in &records {
        let Ok(compact) = serde_json::from_str::<Value>(text).map(|v| v.to_string()) else {
            continue;
        };
        for lang in Lang::ALL {
            let a = type_text(pack(), text, &settings(lang)).expect("sample is JSON");
            let b = type_text(pack(), &compact, &settings(lang)).expect("compact is JSON");
            assert_eq!(outline(&a), outline(&b), "{text}");
            typed += usize::from(a.record.is_some());
        }
    }
    assert!(
        typed >= 30,
        "only {typed} samples typed: the comparison is vacuous"
    );
}

#[test]
fn every_finding_about_a_value_points_at_that_value() {
    // Spans come from the reader: check each against the pointer's value.
    for text in sample_records() {
        let Ok(t) = type_text(pack(), &text, &settings(Lang::En)) else {
            continue; // the sample of a file that is not JSON
        };
        for f in &t.findings {
            let (Some((s, e)), Some(pointer)) = (f.span, f.pointer.as_deref()) else {
                continue;
            };
            if pointer.is_empty() {
                continue;
            }
            let found = plancheck::input::locate(&text, 0, pointer).expect("located");
            let at = (s, e);
            assert!(
                at == found.value || Some(at) == found.key,
                "{} at {at:?}, pointer {pointer} at {:?} in {text}",
                f.rule,
                found
            );
        }
    }
}
