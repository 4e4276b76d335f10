//! Every emitter on the same in-memory reports: a record that fails with
//! numbers, one with a warning at a spreadsheet cell, and one that cannot be
//! read at all. Snapshots pin each format.

use super::{render, EmitOptions, Format, RunEnd, Summary};
use crate::i18n::Lang;
use crate::model::{
    Finding, FindingId, LocatedFinding, Numbers, Outcome, RecordReport, Reserved, Severity, Status,
};
use crate::pack::Pack;
use crate::source::Snippet;
use std::sync::{Arc, OnceLock};

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| match crate::load::embedded() {
        Ok(p) => p,
        Err(e) => panic!("the embedded pack loads: {:?}", e.errors),
    })
}

pub(super) fn reports() -> Vec<RecordReport> {
    let text =
        "{\n  \"kind\": \"project\",\n  \"land\": {\"area\": 30, \"floor_area\": 15000}\n}\n";
    let snippet = Arc::new(Snippet::file("apps/a.json", Arc::from(text)));
    let start = text.find("15000").unwrap_or(0);
    let plot = LocatedFinding::at(
        Finding {
            rule: FindingId::Rule(Arc::from("land.plot-ratio")),
            outcome: Outcome::Violated,
            severity: Severity::Error,
            message: "plot ratio 0.75 is below the minimum 1.0 for new industrial projects, short by 0.25".into(),
            help: None,
            span: None,
            pointer: Some("/land/floor_area".into()),
            numbers: Some(Numbers {
                actual: 0.75,
                limit: 1.0,
                unit: String::new(),
                margin: -0.25,
                track: None,
            }),
        },
        &snippet,
        start,
        start + 5,
        None,
    );
    let cell = Arc::new(Snippet::part("reports.xlsx 2018!D2", Arc::from("68"), 1, 0));
    let mut pm = LocatedFinding::at(
        Finding {
            rule: FindingId::Rule(Arc::from("county.pm25")),
            outcome: Outcome::OffTrack,
            severity: Severity::Warning,
            message: "PM2.5 annual mean concentration 68 µg/m³ is above the 2018 limit 61.4 µg/m³"
                .into(),
            help: None,
            span: None,
            pointer: Some("/indicators/pm25".into()),
            numbers: Some(Numbers {
                actual: 68.0,
                limit: 61.4,
                unit: "µg/m³".into(),
                margin: -6.6,
                track: Some(crate::model::Track {
                    baseline: 101.0,
                    baseline_year: 2015,
                    target: 35.0,
                    target_year: 2020,
                    year: 2018,
                }),
            }),
        },
        &cell,
        0,
        2,
        None,
    );
    pm.row = Some(2);
    pm.cell = Some("D2".into());
    pm.sheet = Some("2018".into());
    let broken = LocatedFinding::unlocated(Finding::input(
        Reserved::InputParse,
        "not valid JSON: EOF while parsing an object".into(),
        None,
        None,
    ));
    vec![
        RecordReport {
            file: "apps/a.json".into(),
            index: 0,
            id: Some("2016-371523-32-03-000417".into()),
            kind: Some("project".into()),
            status: Status::Fail,
            findings: vec![plot],
            record: None,
        },
        RecordReport {
            file: "reports.xlsx".into(),
            index: 1,
            id: Some("冠县-2018".into()),
            kind: Some("county".into()),
            status: Status::Warn,
            findings: vec![pm],
            record: None,
        },
        RecordReport {
            file: "apps/broken.json".into(),
            index: 0,
            id: None,
            kind: None,
            status: Status::Invalid,
            findings: vec![broken],
            record: None,
        },
    ]
}

fn rendered(format: Format, lang: Lang) -> String {
    let records = reports();
    let (opts, end) = run_of(&records, lang);
    render(format, pack(), opts, &records, &end)
}

/// The options and run end of a run of `records` (three files) in `lang`.
fn run_of(records: &[RecordReport], lang: Lang) -> (EmitOptions, RunEnd) {
    let mut summary = Summary::default();
    records.iter().for_each(|r| summary.add(r));
    let opts = EmitOptions {
        lang,
        color: false,
        width: 100,
        quiet: false,
        deny_warnings: false,
    };
    let end = RunEnd {
        files: 3,
        summary,
        elapsed: None,
        skipped: 0,
    };
    (opts, end)
}

#[test]
fn human() {
    insta::assert_snapshot!("human_en", rendered(Format::Human, Lang::En));
    insta::assert_snapshot!("human_zh", rendered(Format::Human, Lang::Zh));
}

#[test]
fn json() {
    let text = rendered(Format::Json, Lang::En);
    let doc: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!("one JSON document: {e}\n{text}"),
    };
    assert_eq!(doc["summary"]["records"], 3);
    insta::assert_snapshot!("json", text);
}

#[test]
fn sarif() {
    insta::assert_snapshot!("sarif", rendered(Format::Sarif, Lang::En));
}

#[test]
fn junit() {
    insta::assert_snapshot!("junit", rendered(Format::Junit, Lang::En));
}

#[test]
fn github() {
    insta::assert_snapshot!("github", rendered(Format::Github, Lang::En));
}

#[test]
fn a_batch_rendered_ahead_is_written_as_the_emitter_writes_it() {
    let mut records = reports();
    // Enough records for several runs of the emitter's own writing.
    for _ in 0..50 {
        records.extend(reports());
    }
    let (opts, end) = run_of(&records, Lang::En);
    for format in Format::ALL {
        let mut out = Vec::new();
        let mut e = super::emitter(format, pack(), opts);
        let Some(ahead) = super::renderer(format, pack()) else {
            // A format without a renderer refuses bytes rather than
            // writing them where its own structure goes.
            assert!(e.rendered(&mut out, b"x").is_err(), "{format:?}");
            assert!(out.is_empty());
            continue;
        };
        let whole = render(format, pack(), opts, &records, &end);
        assert!(e.begin(&mut out).is_ok());
        // Batches of every size, empty ones included, in order.
        let cuts = [0, 0, 1, 1, 8, 70, 71, records.len()];
        for pair in cuts.windows(2) {
            let batch = &records[pair[0]..pair[1]];
            // Into a buffer used before, as `check` reuses them.
            let mut buf = b"left over".to_vec();
            buf.clear();
            ahead(batch, &mut buf);
            assert!(e.rendered(&mut out, &buf).is_ok());
        }
        assert!(e.finish(&mut out, &end).is_ok());
        assert_eq!(String::from_utf8_lossy(&out), whole, "{format:?}");
    }
}
