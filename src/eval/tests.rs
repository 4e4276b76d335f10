//! The shortcuts of evaluation against evaluation itself: whatever
//! [`Cx::test`] and [`Cx::lend`] answer, [`Cx::eval`] answers the same, on
//! every expression of every rule and derived value, for the shipped
//! samples with each field in turn given, absent and invalid.

use super::expr::Cx;
use super::value::Eval;
use crate::input::{type_text, Settings};
use crate::model::{Record, Slot};
use crate::pack::{Expr, Pack, Value};

fn pack() -> Pack {
    crate::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors))
}

/// The records of the shipped samples that can be checked.
fn sample_records(pack: &Pack) -> Vec<Record> {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/samples");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(samples).expect("samples") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => texts.extend(text.lines().map(str::to_string)),
            Some("json") => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(serde_json::Value::Array(items)) => {
                    texts.extend(items.iter().map(|i| i.to_string()));
                }
                Ok(one) => texts.push(one.to_string()),
                Err(_) => {}
            },
            _ => {}
        }
    }
    let settings = Settings {
        hint: None,
        date: None,
        lang: crate::i18n::Lang::En,
        names: None,
        given_twice: &[],
    };
    texts
        .iter()
        .filter_map(|t| type_text(pack, t, &settings).ok()?.record)
        .collect()
}

/// Every expression of `e`, itself included.
fn all_of<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    out.push(e);
    for c in e.children() {
        all_of(c, out);
    }
}

/// Checks the shortcuts on every expression of the pack over `record`.
fn agree(pack: &Pack, record: &Record) {
    let mut exprs = Vec::new();
    for rule in pack.rules.iter().filter(|r| r.subject == record.kind) {
        if let Some(w) = &rule.when {
            all_of(w, &mut exprs);
        }
        for req in &rule.requires {
            all_of(&req.condition, &mut exprs);
            if let Some(c) = &req.comparison {
                all_of(&c.actual, &mut exprs);
                all_of(&c.limit, &mut exprs);
            }
        }
    }
    for l in pack.lets.iter().filter(|l| l.kind == record.kind) {
        all_of(&l.value, &mut exprs);
    }
    let no_locals: [Eval; 0] = [];
    for e in exprs {
        // A fresh context each time: a shortcut must not lean on values
        // another expression happened to compute first.
        let (shortcut, general) = (Cx::new(pack, record), Cx::new(pack, record));
        let expected = general.eval(e, &no_locals, None);
        if let Some(b) = shortcut.test(e, &no_locals) {
            assert_eq!(expected, Ok(Value::Bool(b)), "test: {e:?}");
        }
        let shortcut = Cx::new(pack, record);
        if let Some(v) = shortcut.lend(e, &no_locals) {
            assert_eq!(expected.as_ref(), Ok(v), "lend: {e:?}");
        }
    }
}

#[test]
fn shortcuts_answer_as_evaluation_does() {
    let pack = pack();
    let records = sample_records(&pack);
    assert!(records.len() >= 20, "{} sample records", records.len());
    let mut checked = 0;
    for record in &records {
        agree(&pack, record);
        for i in 0..record.slots.len() {
            for slot in [Slot::Absent, Slot::Invalid(None)] {
                let mut changed = record.clone();
                if let Some(s) = changed.slots.get_mut(i) {
                    *s = slot;
                }
                agree(&pack, &changed);
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked} variants");
}
