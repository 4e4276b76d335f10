//! CI formats: SARIF validated against the official schema, JUnit parsed
//! back as XML, GitHub workflow commands, and exit codes for each format.

use super::{plancheck, plancheck_in, settings};

const FORMATS: [&str; 5] = ["human", "json", "sarif", "junit", "github"];

fn write_samples(dir: &std::path::Path) {
    let pass = r#"{"kind": "project", "id": "ok-1", "submitted": "2017-06-01", "category": "commercial", "construction": "renovation", "approvals": {"energy_review": true}}"#;
    let warn = r#"{"kind": "project", "id": "warn-1", "submitted": "2017-06-01", "category": "commercial", "construction": "renovation", "approvals": {"energy_review": true}, "extra_field": 1}"#;
    let fail = r#"{"kind": "project", "id": "fail-1", "submitted": "2017-06-01", "category": "industrial", "construction": "new",
  "land": {"area": 30, "floor_area": 15000}}"#;
    std::fs::write(dir.join("pass.json"), pass).unwrap();
    std::fs::write(dir.join("warn.json"), warn).unwrap();
    std::fs::write(dir.join("fail.json"), fail).unwrap();
}

#[test]
fn exit_codes_are_the_same_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write_samples(dir.path());
    for format in FORMATS {
        let run = |args: &[&str]| {
            let mut all = vec!["check"];
            all.extend_from_slice(args);
            all.extend_from_slice(&["--format", format]);
            plancheck_in(dir.path(), &all).code
        };
        assert_eq!(run(&["pass.json"]), 0, "{format}");
        assert_eq!(run(&["warn.json"]), 0, "{format}");
        assert_eq!(run(&["warn.json", "--deny-warnings"]), 1, "{format}");
        assert_eq!(run(&["fail.json"]), 1, "{format}");
        assert_eq!(run(&["missing.json"]), 2, "{format}");
    }
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(super::root().join("tests/schemas/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    // Findings without a line too: a file holding no record, a sheet that
    // cannot be read, findings placed at workbook cells.
    let odd = tempfile::tempdir().unwrap();
    std::fs::write(odd.path().join("empty.json"), "[]").unwrap();
    for fixture in [
        "tests/fixtures/hostile/corrupt-sheet.xlsx",
        "tests/fixtures/office/county-report-office.xlsx",
    ] {
        let name = std::path::Path::new(fixture).file_name().unwrap();
        std::fs::copy(super::root().join(fixture), odd.path().join(name)).unwrap();
    }
    for input in ["seeds/samples", odd.path().to_str().unwrap()] {
        let run = plancheck(&["check", input, "--format", "sarif", "--lang", "zh"]);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{input}: {errors:#?}");
        assert!(!doc["runs"][0]["results"].as_array().unwrap().is_empty());
    }
    let run = plancheck(&[
        "check",
        "seeds/samples",
        "--format",
        "sarif",
        "--lang",
        "zh",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let run0 = &doc["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "land.plot-ratio" && r["defaultConfiguration"]["level"] == "error"));
    for result in run0["results"].as_array().unwrap() {
        let idx = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_results_point_at_the_value() {
    let dir = tempfile::tempdir().unwrap();
    write_samples(dir.path());
    let run = plancheck_in(dir.path(), &["check", "fail.json", "--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let result = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "land.plot-ratio")
        .expect("plot ratio result");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!(region["startColumn"], 38);
    assert_eq!(region["endColumn"], 43);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fail.json"
    );
}

#[test]
fn junit_parses_back_as_xml() {
    let dir = tempfile::tempdir().unwrap();
    write_samples(dir.path());
    let run = plancheck_in(dir.path(), &["check", ".", "--format", "junit"]);
    let mut reader = quick_xml::Reader::from_str(&run.stdout);
    let (mut suites, mut cases, mut failures, mut out) = (0, 0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testsuite" => suites += 1,
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    b"system-out" => out += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    // One failure per error finding (CONTRACT.md §5), all in fail.json.
    let errors = plancheck_in(dir.path(), &["check", "fail.json", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&errors.stdout).unwrap();
    let expected = doc["summary"]["findings"]["error"].as_u64().unwrap() as usize;
    assert!(expected >= 2);
    assert_eq!(
        (suites, cases, failures),
        (3, 3, expected),
        "{}",
        run.stdout
    );
    assert!(out >= 1, "warnings go to system-out: {}", run.stdout);
}

#[test]
fn github_commands_carry_positions_and_titles() {
    let dir = tempfile::tempdir().unwrap();
    write_samples(dir.path());
    let run = plancheck_in(
        dir.path(),
        &[
            "check",
            "fail.json",
            "warn.json",
            "--format",
            "github",
            "--lang",
            "en",
        ],
    );
    let plot = run
        .stdout
        .lines()
        .find(|l| l.contains("title=land.plot-ratio"))
        .expect("plot ratio annotation");
    assert!(plot.starts_with("::error file=fail.json,line=2,col=38,endLine=2,endColumn=43,title=land.plot-ratio%3A plot ratio of new industrial projects::"), "{plot}");
    assert!(!plot.contains('\n'));
    assert!(run
        .stdout
        .lines()
        .any(|l| l.starts_with("::warning file=warn.json,") && l.contains("input.unknown-field")));
    let quiet = plancheck_in(
        dir.path(),
        &[
            "check",
            "fail.json",
            "warn.json",
            "--format",
            "github",
            "--quiet",
        ],
    );
    assert!(quiet.stdout.lines().all(|l| l.starts_with("::error ")));
}

#[test]
fn golden_outputs_of_each_format() {
    let s = settings();
    s.bind(|| {
        for format in ["sarif", "junit", "github"] {
            let run = plancheck(&["check", "seeds/samples", "--format", format, "--lang", "en"]);
            insta::assert_snapshot!(format!("format_{format}"), run.stdout);
        }
    });
}
