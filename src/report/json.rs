//! `--format json`: exactly CONTRACT.md §5. The document can be written a
//! record at a time (header, records, summary), so a large batch streams.

use super::{RecordReport, RunReport, Summary};
use crate::eval::Outcome;
use crate::pack::Pack;
use serde_json::{json, Map, Value};

/// One record as the contract shows it.
pub fn json_record(pack: &Pack, r: &RecordReport) -> Value {
    let findings: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let mut m = Map::new();
            m.insert("rule".into(), json!(f.finding.rule));
            m.insert("outcome".into(), json!(f.finding.outcome.as_str()));
            let severity = match f.finding.outcome {
                Outcome::Pass | Outcome::NotApplicable => Value::Null,
                _ => json!(f.finding.severity.as_str()),
            };
            m.insert("severity".into(), severity);
            m.insert("message".into(), json!(f.finding.message));
            let path = match (&f.finding.pointer, &f.cell) {
                // In a spreadsheet, the column's dotted path.
                (Some(p), Some(_)) => json!(p.trim_start_matches('/').replace('/', ".")),
                (Some(p), None) => json!(p),
                (None, _) => Value::Null,
            };
            m.insert("path".into(), path);
            m.insert("line".into(), f.line.map_or(Value::Null, |l| json!(l)));
            m.insert("column".into(), f.column.map_or(Value::Null, |c| json!(c)));
            if let Some(cell) = &f.cell {
                m.insert("row".into(), f.row.map_or(Value::Null, |r| json!(r)));
                m.insert("cell".into(), json!(cell));
            }
            if let Some(n) = &f.finding.numbers {
                m.insert("actual".into(), json!(n.actual));
                m.insert("limit".into(), json!(n.limit));
                m.insert("unit".into(), json!(n.unit));
            }
            if let Some(rule) = pack.rule(&f.finding.rule) {
                if let Some(c) = rule.cites.first() {
                    let quote = c
                        .quotes
                        .iter()
                        .map(|(q, _)| q.as_str())
                        .collect::<Vec<_>>()
                        .join(" … ");
                    m.insert(
                        "citation".into(),
                        json!({ "section": c.section, "quote": quote }),
                    );
                }
            }
            if let Some(h) = &f.finding.help {
                m.insert("help".into(), json!(h));
            }
            Value::Object(m)
        })
        .collect();
    json!({
        "file": r.file,
        "index": r.index,
        "id": r.id,
        "kind": r.kind,
        "status": r.status.as_str(),
        "findings": findings,
    })
}

/// The document's opening members.
pub fn json_header(pack: &Pack) -> (Value, Value) {
    (
        json!(env!("CARGO_PKG_VERSION")),
        json!({ "name": pack.name, "rules": pack.rules.len() }),
    )
}

/// The `summary` member.
pub fn json_summary(files: usize, s: &Summary) -> Value {
    json!({
        "files": files,
        "records": s.records(),
        "pass": s.pass,
        "warn": s.warn,
        "fail": s.fail,
        "invalid": s.invalid,
        "findings": { "error": s.errors, "warning": s.warnings, "note": s.notes },
    })
}

/// The JSON document of a run held in memory.
pub fn render_json(pack: &Pack, report: &RunReport) -> Value {
    let (version, pack_v) = json_header(pack);
    json!({
        "plancheck": version,
        "pack": pack_v,
        "summary": json_summary(report.files, &report.summary()),
        "records": report.records.iter().map(|r| json_record(pack, r)).collect::<Vec<_>>(),
    })
}
