//! `--format json`: exactly CONTRACT.md §5.

use super::RunReport;
use crate::eval::Outcome;
use crate::pack::Pack;
use serde_json::{json, Map, Value};

/// The JSON document of a run.
pub fn render_json(pack: &Pack, report: &RunReport) -> Value {
    let s = report.summary();
    let records: Vec<Value> = report
        .records
        .iter()
        .map(|r| {
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
                    m.insert("path".into(), f.finding.pointer.as_ref().map_or(Value::Null, |p| json!(p)));
                    m.insert("line".into(), f.line.map_or(Value::Null, |l| json!(l)));
                    m.insert("column".into(), f.column.map_or(Value::Null, |c| json!(c)));
                    if let Some(n) = &f.finding.numbers {
                        m.insert("actual".into(), json!(n.actual));
                        m.insert("limit".into(), json!(n.limit));
                        m.insert("unit".into(), json!(n.unit));
                    }
                    if let Some(rule) = pack.rule(&f.finding.rule) {
                        if let Some(c) = rule.cites.first() {
                            let quote = c.quotes.iter().map(|(q, _)| q.as_str()).collect::<Vec<_>>().join(" … ");
                            m.insert("citation".into(), json!({ "section": c.section, "quote": quote }));
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
        })
        .collect();
    json!({
        "plancheck": env!("CARGO_PKG_VERSION"),
        "pack": { "name": pack.name, "rules": pack.rules.len() },
        "summary": {
            "files": report.files,
            "records": report.records.len(),
            "pass": s.pass,
            "warn": s.warn,
            "fail": s.fail,
            "invalid": s.invalid,
            "findings": { "error": s.errors, "warning": s.warnings, "note": s.notes },
        },
        "records": records,
    })
}
