//! The command line as users run it.

use super::{plancheck, plancheck_in, settings};

#[test]
fn exit_two_for_unreadable_paths_and_bad_usage() {
    let run = plancheck(&["check", "no/such/folder"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    let run = plancheck(&["check", "Cargo.toml"]);
    assert_eq!(run.code, 2);
    let run = plancheck(&["check"]);
    assert_eq!(run.code, 2);
    let run = plancheck(&["check", "seeds/samples", "--select", "no.such-rule"]);
    assert_eq!(run.code, 2);
    // Bad usage is a diagnostic like every other exit-2 message (§2), in
    // the language asked for, with the usage line as help.
    for (lang, says) in [
        ("en", "unexpected argument `--bogus`"),
        ("zh", "未知的参数 `--bogus`"),
    ] {
        let run = plancheck(&["check", "--bogus", "seeds/samples", "--lang", lang]);
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains("E400"), "{}", run.stderr);
        assert!(run.stderr.contains(says), "{}", run.stderr);
        if lang == "en" {
            assert!(
                run.stderr.contains("Usage: plancheck check"),
                "{}",
                run.stderr
            );
        }
    }
    // Help and version are no errors: stdout, exit 0.
    let run = plancheck(&["--version"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn rules_list_explain_lint_and_test() {
    let list = plancheck(&["rules", "list", "--lang", "en"]);
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains("land.investment-intensity"));
    let explain = plancheck(&[
        "rules",
        "explain",
        "land.investment-intensity",
        "--lang",
        "zh",
    ]);
    assert_eq!(explain.code, 0);
    assert!(explain
        .stdout
        .contains("350 万元/亩、280 万元/亩、220 万元/亩"));
    assert!(
        explain
            .stdout
            .contains("seeds/liaocheng-13th-five-year-plan.txt:948"),
        "{}",
        explain.stdout
    );
    let unknown = plancheck(&["rules", "explain", "land.plot-ration"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("land.plot-ratio"));
    let lint = plancheck(&["rules", "lint", "rules"]);
    assert_eq!(lint.code, 0, "{}{}", lint.stdout, lint.stderr);
    let test = plancheck(&["rules", "test"]);
    assert_eq!(test.code, 0, "{}", test.stdout);
    assert!(test.stdout.contains(" 0 failed"), "{}", test.stdout);
}

#[test]
fn every_rule_has_a_passing_and_a_failing_example() {
    let list = plancheck(&["rules", "list"]);
    let ids: Vec<String> = list
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.contains('.'))
        .map(String::from)
        .collect();
    assert!(!ids.is_empty());
    for id in ids {
        let explain = plancheck(&["rules", "explain", &id, "--lang", "en"]);
        let examples = explain
            .stdout
            .split("examples (")
            .nth(1)
            .unwrap_or_default();
        // Rules that can only be violated where they apply have a not-applicable example instead.
        assert!(
            examples.contains("\n  pass ") || examples.contains("\n  not_applicable "),
            "{id} has no passing example"
        );
        assert!(
            ["violated", "off_track", "missing"]
                .iter()
                .any(|o| examples.contains(&format!("\n  {o} "))),
            "{id} has no failing example"
        );
    }
}

#[test]
fn a_typo_in_a_rule_file_points_at_the_exact_spot() {
    let dir = tempfile::tempdir().unwrap();
    super::pack_copy(dir.path(), |text| {
        text.replace("require plot_ratio >= 1.0", "require plot_ration >= 1.0")
    });
    let run = plancheck_in(
        dir.path(),
        &[
            "check",
            &super::root().join("seeds/samples").to_string_lossy(),
            "--rules",
            "rules",
        ],
    );
    assert_eq!(run.code, 2);
    settings().bind(|| insta::assert_snapshot!("typo_in_rule_file", run.stderr));
}

#[test]
fn schema_is_generated_from_the_declarations() {
    let run = plancheck(&["schema", "project"]);
    assert_eq!(run.code, 0);
    let s: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(
        s["properties"]["land"]["properties"]["area"]["x-unit"],
        "亩"
    );
    assert!(s["required"].as_array().unwrap().iter().any(|r| r == "id"));
    assert!(
        s["properties"]["location"]["properties"]["zone_level"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v == "provincial")
    );
    let run = plancheck(&["schema", "county"]);
    assert_eq!(run.code, 0);
    let s: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(s["properties"]["indicators"]["properties"]["pm25"].is_object());
    assert_eq!(plancheck(&["schema", "countie"]).code, 2);
}

#[test]
fn human_output_labels_the_value_and_quotes_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.json"),
        r#"{
  "kind": "project", "id": "t-2", "submitted": "2017-06-01",
  "category": "industrial", "construction": "new",
  "location": {"zone_level": "provincial"},
  "investment": {"total": 8000, "fixed_assets": 5400},
  "land": {"area": 30}
}"#,
    )
    .unwrap();
    let run = plancheck_in(
        dir.path(),
        &[
            "check",
            "a.json",
            "--lang",
            "zh",
            "--select",
            "land.investment-intensity",
        ],
    );
    assert_eq!(run.code, 1);
    settings().bind(|| insta::assert_snapshot!("human_investment_intensity_zh", run.stdout));
}

/// `-o -` is standard output for every command that writes a file, as
/// `serve --audit-log -` is: no file named `-` appears beside the user's.
#[test]
fn output_dash_is_standard_output() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = super::root().join("seeds/samples/project-below-min-scale.json");
    let sample = sample.to_str().unwrap();
    let run = plancheck_in(
        tmp.path(),
        &["check", sample, "--format", "json", "-o", "-"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["summary"]["records"], 1);
    let run = plancheck_in(
        tmp.path(),
        &["template", "project", "--format", "csv", "-o", "-"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.lines().count() >= 2, "{}", run.stdout);
    assert!(!tmp.path().join("-").exists(), "no file named `-`");
}
