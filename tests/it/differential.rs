//! Differential tests: two code paths that must agree.
//!
//! The fast typing path (a record's JSON text read straight against the
//! schema) against the general one (`serde_json::Value` → typed record), on
//! every sample record, every rule example and generated records.

use plancheck::i18n::Lang;
use plancheck::input::{array_elements, read_record, type_record, Typed};
use plancheck::pack::Pack;
use proptest::prelude::*;
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| plancheck::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors)))
}

/// Both paths on `text`; where the fast path takes the record, they agree exactly.
/// Returns whether the fast path took it.
fn agree(text: &str, hint: Option<&str>) -> bool {
    for lang in Lang::ALL {
        let Some(fast) = read_record(pack(), text, hint, None, lang) else {
            return false;
        };
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("the fast path took text that is not JSON ({e}): {text}"),
        };
        let general = type_record(pack(), &value, hint, None, lang, None);
        same(&fast, &general, text);
    }
    true
}

fn same(fast: &Typed, general: &Typed, text: &str) {
    assert_eq!(fast.kind, general.kind, "kind of {text}");
    assert_eq!(fast.findings, general.findings, "findings of {text}");
    match (&fast.record, &general.record) {
        (Some(a), Some(b)) => {
            assert_eq!(a.kind, b.kind, "{text}");
            assert_eq!(a.slots, b.slots, "slots of {text}");
            assert_eq!(a.date, b.date, "date of {text}");
            assert_eq!(a.waivers, b.waivers, "waivers of {text}");
        }
        (None, None) => {}
        _ => panic!("one path typed the record, the other did not: {text}"),
    }
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
            Some("json") => {
                let trimmed = text.trim_start();
                if trimmed.starts_with('[') {
                    for (s, e) in array_elements(&text, 0) {
                        out.push(text[s..e].to_string());
                    }
                } else {
                    out.push(text.clone());
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn fast_and_general_typing_agree_on_every_sample() {
    let records = sample_records();
    assert!(records.len() >= 30, "the samples hold records");
    let taken = records.iter().filter(|t| agree(t, None)).count();
    // Most samples are plain records: the comparison must not be vacuous.
    assert!(
        taken >= records.len() / 2,
        "fast path took {taken} of {}",
        records.len()
    );
}

#[test]
fn fast_and_general_typing_agree_on_every_rule_example() {
    let mut taken = 0;
    for rule in &pack().rules {
        let kind = &pack().records[rule.subject.0].kind;
        for (i, ex) in rule.examples.iter().enumerate() {
            let mut v: serde_json::Value = serde_json::from_str(&ex.json).unwrap();
            let o = v.as_object_mut().unwrap();
            o.entry("id")
                .or_insert_with(|| format!("{}#{i}", rule.id).into());
            o.entry("submitted").or_insert_with(|| "2017-06-01".into());
            o.entry("year").or_insert_with(|| 2018.into());
            // The kind first, as the fast path wants it; then the same without it,
            // read with the kind the file name would give.
            let mut with_kind = serde_json::Map::new();
            with_kind.insert("kind".into(), kind.clone().into());
            with_kind.extend(o.clone());
            let text = serde_json::Value::Object(with_kind).to_string();
            taken += usize::from(agree(&text, None));
            agree(
                &serde_json::Value::Object(o.clone()).to_string(),
                Some(kind),
            );
        }
    }
    assert!(taken > 400, "fast path took {taken} examples");
}

/// Values of every shape, good and bad, for generated records.
fn value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!(null)),
        Just(json!(true)),
        Just(json!(false)),
        Just(json!(0)),
        Just(json!(-3)),
        Just(json!(15)),
        Just(json!(2018)),
        Just(json!(0.5)),
        Just(json!(1e3)),
        Just(json!(12345678901234567890u64)),
        Just(json!("30")),
        Just(json!("2 公顷")),
        Just(json!("1.2 亿元")),
        Just(json!("15 万元")),
        Just(json!("abc")),
        Just(json!("")),
        Just(json!("2017-06-01")),
        Just(json!("industrial")),
        Just(json!("new")),
        Just(json!("provincial")),
        Just(json!("临清市")),
        Just(json!([])),
        Just(json!(["a"])),
        Just(json!({})),
        Just(json!({"area": 3})),
        Just(json!([{"rule": "land.min-scale", "approval": "x"}])),
        Just(json!([{"rule": 1, "expire": "2019-01-01"}])),
    ]
}

fn member() -> impl Strategy<Value = String> {
    let fields: Vec<String> = pack()
        .records
        .iter()
        .flat_map(|r| r.fields.iter().map(|f| f.path.clone()))
        .chain([
            "land".into(),
            "indicators".into(),
            "bogus".into(),
            "land.aera".into(),
        ])
        .collect();
    prop::sample::select(fields)
}

/// A record of either kind with a random set of members (dotted paths nested).
fn record() -> impl Strategy<Value = (String, Option<&'static str>)> {
    (
        prop::sample::select(vec!["project", "county"]),
        any::<bool>(),
        prop::collection::vec((member(), value()), 0..12),
    )
        .prop_map(|(kind, kind_first, members)| {
            let mut obj = serde_json::Map::new();
            if kind_first {
                obj.insert("kind".into(), kind.into());
            }
            for (path, v) in members {
                let mut node = &mut obj;
                let segs: Vec<&str> = path.split('.').collect();
                for (i, seg) in segs.iter().enumerate() {
                    if i + 1 == segs.len() {
                        node.insert(seg.to_string(), v.clone());
                    } else {
                        let e = node
                            .entry(seg.to_string())
                            .or_insert_with(|| serde_json::json!({}));
                        if !e.is_object() {
                            *e = serde_json::json!({});
                        }
                        node = e.as_object_mut().unwrap();
                    }
                }
            }
            let hint = if kind_first { None } else { Some(kind) };
            (serde_json::Value::Object(obj).to_string(), hint)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    #[test]
    fn fast_and_general_typing_agree_on_generated_records((text, hint) in record()) {
        agree(&text, hint);
    }
}
