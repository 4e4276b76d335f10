//! Spreadsheets as officials keep them: CSV in UTF-8, UTF-8 with a BOM and
//! GB18030, and XLSX workbooks; findings name the cell.

use super::{plancheck, settings};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--lang", "en"]);
    let run = plancheck(&all);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

fn outcomes(doc: &Value) -> Vec<String> {
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
                    format!(
                        "{}:{}@{}",
                        f["rule"].as_str().unwrap(),
                        f["outcome"].as_str().unwrap(),
                        match (f["sheet"].as_str(), f["cell"].as_str()) {
                            (Some(sheet), Some(cell)) => format!("{sheet}!{cell}"),
                            (None, Some(cell)) => cell.to_string(),
                            _ => "-".to_string(),
                        }
                    )
                })
                .collect();
            format!(
                "{} {} {} [{}]",
                r["index"],
                r["id"],
                r["status"],
                f.join(", ")
            )
        })
        .collect()
}

#[test]
fn csv_encodings_read_the_same() {
    let utf8 = json(&["tests/fixtures/tabular/projects-utf8.csv"]);
    let bom = json(&["tests/fixtures/tabular/projects-bom.csv"]);
    let gb = json(&["tests/fixtures/tabular/projects-gb18030.csv"]);
    assert_eq!(outcomes(&utf8), outcomes(&bom));
    // The GB18030 file names `land.area` by its Chinese title 用地面积.
    assert_eq!(outcomes(&utf8), outcomes(&gb));
    let o = outcomes(&utf8);
    assert!(o[0].contains("\"2018-A\" \"pass\""), "{o:?}");
    assert!(
        o[1].contains("input.parse:invalid@U3"),
        "a malformed row in the middle is one invalid record: {o:?}"
    );
    assert!(o[2].contains("land.plot-ratio:violated@O4"), "{o:?}");
    assert!(
        // A blank line before this row counts: it is on line 6.
        o[3].contains("input.invalid:invalid@F6") && o[3].contains("input.invalid:invalid@N6"),
        "{o:?}"
    );
    assert!(
        !o[3].contains("missing"),
        "an invalid land area does not also make the plot ratio missing: {o:?}"
    );
    let first = &utf8["records"][2]["findings"][0];
    assert_eq!(first["row"], 4);
    assert_eq!(first["cell"], "O4");
    assert_eq!(first["path"], "land.floor_area");
    // The cell's real place in the file.
    assert_eq!(first["line"], 4);
    assert_eq!(utf8["records"][2]["index"], 3);
    assert_eq!(utf8["records"][3]["index"], 5, "blank lines are counted");
    assert_eq!(utf8["records"][3]["index"], 5, "blank lines are counted");
}

#[test]
fn xlsx_sheets_with_a_header_are_read() {
    let doc = json(&[
        "tests/fixtures/tabular/county-report.xlsx",
        "tests/fixtures/tabular/project-register.xlsx",
    ]);
    let o = outcomes(&doc);
    assert!(
        o.iter()
            .any(|r| r.contains("冠县-2018") && r.contains("county.pm25:off_track@2018年报!D2")),
        "{o:#?}"
    );
    assert!(
        o.iter()
            .any(|r| r.contains("临青市") || r.contains("input.invalid:invalid@2018年报!B4")),
        "{o:#?}"
    );
    assert!(
        o.iter()
            .any(|r| r.contains("input.invalid:invalid@2018年报!L4")),
        "a text in a number cell: {o:#?}"
    );
    assert!(
        o.iter()
            .any(|r| r.contains("000002")
                && r.contains("land.investment-intensity:violated@项目!L3")),
        "{o:#?}"
    );
    assert!(
        o.iter()
            .any(|r| r.contains("000003") && r.contains("input.record:invalid@项目!B5")),
        "{o:#?}"
    );
    // The sheet 说明 has no header of field names and is skipped.
    assert!(doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["file"].as_str().unwrap().ends_with(".xlsx")));
}

#[test]
fn spreadsheet_diagnostics_show_the_cell() {
    settings().bind(|| {
        insta::glob!("../fixtures/tabular", "*", |path| {
            let rel = path
                .strip_prefix(super::root())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let run = plancheck(&["check", &rel, "--lang", "zh"]);
            insta::assert_snapshot!("tabular", format!("exit: {}\n{}", run.code, run.stdout));
        });
    });
}
