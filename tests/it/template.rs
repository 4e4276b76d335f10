//! Templates (`plancheck template`) and the round trip: every sample
//! written into the template as a workbook, and as a GB18030 CSV, checks
//! exactly as its JSON does.

use super::{plancheck, plancheck_in, root};
use plancheck::i18n::Lang;
use plancheck::pack::Pack;
use serde_json::Value;
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| plancheck::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors)))
}

/// Findings that must not depend on the format: rule findings whole, and
/// findings about the input by id and outcome (their messages name the
/// column as written, their places are cells).
fn verdicts(doc: &Value) -> Vec<String> {
    doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let f: Vec<String> = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let rule = f["rule"].as_str().unwrap();
                    if rule.starts_with("input.") {
                        format!("{rule} {}", f["outcome"])
                    } else {
                        format!(
                            "{rule} {} {} {} actual={} limit={}",
                            f["outcome"], f["severity"], f["message"], f["actual"], f["limit"]
                        )
                    }
                })
                .collect();
            format!("{} {} [{}]", r["id"], r["status"], f.join("; "))
        })
        .collect()
}

fn check_json(path: &std::path::Path) -> Value {
    super::check_json(path, "en").0
}

/// The records of each sample file, for files whose records all have one known kind.
fn samples() -> Vec<(String, String, Vec<Value>)> {
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(root().join("seeds/samples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    for path in names {
        let Ok(v) = serde_json::from_str::<Value>(&std::fs::read_to_string(&path).unwrap()) else {
            continue; // malformed.json
        };
        let records = match v {
            Value::Array(items) => items,
            other => vec![other],
        };
        let kinds: Vec<&str> = records.iter().filter_map(|r| r["kind"].as_str()).collect();
        let Some(kind) = kinds.first().copied() else {
            continue;
        };
        if kinds.len() != records.len() || kinds.iter().any(|k| *k != kind) {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        out.push((name, kind.to_string(), records));
    }
    out
}

#[test]
fn every_sample_reads_alike_as_json_jsonl_a_workbook_and_a_gb18030_csv() {
    let dir = tempfile::tempdir().unwrap();
    let samples = samples();
    assert!(samples.len() >= 25, "{} samples", samples.len());
    for (name, kind, records) in samples {
        let want = verdicts(&check_json(&root().join("seeds/samples").join(&name)));
        // A member no field declares has no column to be written in.
        if want.iter().any(|v| v.contains("input.unknown-field")) {
            continue;
        }
        // The same records, one per line.
        let stem = name.trim_end_matches(".json");
        let jsonl = dir.path().join(format!("{stem}.jsonl"));
        let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
        std::fs::write(&jsonl, lines.join("\n")).unwrap();
        assert_eq!(verdicts(&check_json(&jsonl)), want, "{name} as JSON Lines");
        for lang in Lang::ALL {
            let xlsx = dir.path().join(format!("{stem}-{}.xlsx", lang.code()));
            let bytes = plancheck::template::workbook(pack(), &kind, lang, &records).unwrap();
            std::fs::write(&xlsx, bytes).unwrap();
            assert_eq!(
                verdicts(&check_json(&xlsx)),
                want,
                "{name} as a workbook ({lang:?})"
            );

            let csv = dir.path().join(format!("{stem}-{}.csv", lang.code()));
            let text = plancheck::template::csv(pack(), &kind, lang, &records).unwrap();
            let text = text.trim_start_matches('\u{feff}');
            let (gb, _, _) = encoding_rs::GB18030.encode(text);
            std::fs::write(&csv, gb).unwrap();
            assert_eq!(
                verdicts(&check_json(&csv)),
                want,
                "{name} as a GB18030 CSV ({lang:?})"
            );
        }
    }
}

#[test]
fn the_template_command_writes_a_workbook_with_instructions() {
    let dir = tempfile::tempdir().unwrap();
    let run = plancheck_in(
        dir.path(),
        &["template", "project", "--lang", "zh", "-o", "p.xlsx"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = dir.path().join("p.xlsx");
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(&path).unwrap();
    assert_eq!(wb.sheet_names(), vec!["建设项目申请", "填写说明"]);
    let data = wb.worksheet_range("建设项目申请").unwrap();
    let header: Vec<String> = data
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[0], "序号");
    assert!(header.contains(&"用地面积（亩）".to_string()), "{header:?}");
    assert!(header.contains(&"项目类别".to_string()), "{header:?}");
    // The example row is marked and is not a record: an empty template holds none.
    let example: Vec<String> = data
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(example[0], "示例");
    assert!(example.contains(&"工业".to_string()), "{example:?}");
    let guide = wb.worksheet_range("填写说明").unwrap();
    let rows: Vec<String> = guide
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("用地面积（亩）|land.area|亩|")),
        "{rows:#?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("land.plot-ratio")),
        "every field names the rules that read it"
    );
    let check = plancheck_in(dir.path(), &["check", "p.xlsx", "--format", "json"]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("input.record"), "{}", check.stdout);

    let csv = plancheck_in(
        dir.path(),
        &["template", "county", "--format", "csv", "--lang", "en"],
    );
    assert_eq!(csv.code, 0);
    assert!(csv.stdout.starts_with('\u{feff}'));
    let first = csv.stdout.lines().next().unwrap();
    assert!(
        first.contains("PM2.5 annual mean concentration (µg/m³)"),
        "{first}"
    );
    let unknown = plancheck(&["template", "bogus"]);
    assert_eq!(unknown.code, 2);
}
