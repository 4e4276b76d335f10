//! The machine-readable output and the semantics users' scripts rely on (CONTRACT.md).

use super::plancheck_in;
use serde_json::Value;
use std::path::Path;

/// Asserts the document has the shape of CONTRACT.md §5.
pub fn assert_contract_shape(doc: &Value) {
    assert!(doc["plancheck"].is_string());
    assert_eq!(doc["pack"]["name"], "liaocheng-13th-fyp");
    assert!(doc["pack"]["rules"].as_u64().unwrap() >= 1);
    let s = &doc["summary"];
    for k in ["files", "records", "pass", "warn", "fail", "invalid"] {
        assert!(s[k].is_u64(), "summary.{k}");
    }
    for k in ["error", "warning", "note"] {
        assert!(s["findings"][k].is_u64(), "summary.findings.{k}");
    }
    let records = doc["records"].as_array().unwrap();
    assert_eq!(records.len() as u64, s["records"].as_u64().unwrap());
    let mut errors = 0;
    for r in records {
        assert!(r["file"].is_string());
        assert!(r["index"].is_u64());
        assert!(r["id"].is_string() || r["id"].is_null());
        assert!(["pass", "warn", "fail", "invalid"].contains(&r["status"].as_str().unwrap()));
        for f in r["findings"].as_array().unwrap() {
            assert!(f["rule"].is_string());
            let outcome = f["outcome"].as_str().unwrap();
            assert!(
                [
                    "violated",
                    "missing",
                    "waived",
                    "out_of_period",
                    "off_track",
                    "invalid",
                    "pass",
                    "not_applicable"
                ]
                .contains(&outcome),
                "{outcome}"
            );
            let sev = f["severity"].as_str().unwrap_or("");
            if sev == "error" {
                errors += 1;
            }
            assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()));
            if f.get("actual").is_some() {
                assert!(f["actual"].is_number() && f["limit"].is_number() && f["unit"].is_string());
            }
        }
    }
    assert_eq!(errors, s["findings"]["error"].as_u64().unwrap());
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn check_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--lang", "en"]);
    let run = plancheck_in(dir, &all);
    let doc: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    assert_contract_shape(&doc);
    (run.code, doc)
}

fn finding<'a>(doc: &'a Value, record: usize, rule: &str) -> Option<&'a Value> {
    doc["records"][record]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
}

const BASE: &str = r#""kind": "project", "id": "t-1", "submitted": "2017-06-01", "category": "industrial", "construction": "new",
 "location": {"county": "茌平县", "zone_level": "provincial", "chemical_park": false},
 "industry": {"catalog_class": "permitted", "two_highs_one_resource": false, "chemical": false, "hazardous_chemical": false},
 "approvals": {"energy_review": true}, "water": {"saving_facilities_simultaneous": true}"#;

fn project(extra: &str) -> String {
    format!("{{{BASE}, {extra}}}")
}

/// The rule ids of the first record's findings, in order.
fn rule_ids(doc: &Value) -> Vec<&str> {
    doc["records"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

#[test]
fn exact_boundaries_pass() {
    let dir = tempfile::tempdir().unwrap();
    // 1 公顷 is exactly 15 亩; floor area 10000 m² on 1 公顷 is a plot ratio of exactly 1.0.
    write(
        dir.path(),
        "a.json",
        &project(
            r#""investment": {"total": 5000, "fixed_assets": 4200}, "land": {"area": "1 公顷", "floor_area": 10000, "footprint": 4000}, "tax": {"annual": 300}"#,
        ),
    );
    let (code, doc) = check_json(dir.path(), &["a.json"]);
    assert_eq!(doc["records"][0]["status"], "pass", "{doc:#}");
    assert_eq!(code, 0);
}

#[test]
fn violations_carry_numbers_positions_and_citation() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json",
        &project(
            r#""investment": {"total": 8000, "fixed_assets": 6000}, "land": {"area": 30, "floor_area": 30000, "footprint": 12000}, "tax": {"annual": 900}"#,
        ),
    );
    let (code, doc) = check_json(dir.path(), &["a.json"]);
    assert_eq!(code, 1);
    let f = finding(&doc, 0, "land.investment-intensity").expect("finding");
    assert_eq!(f["outcome"], "violated");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["actual"], 200.0);
    assert_eq!(f["limit"], 280.0);
    assert_eq!(f["unit"], "万元/亩");
    assert_eq!(f["path"], "/investment/fixed_assets");
    assert_eq!(f["line"], 4);
    assert!(f["citation"]["quote"]
        .as_str()
        .unwrap()
        .contains("280 万元/亩"));
    assert!(
        f["message"].as_str().unwrap().contains("2400 万元"),
        "{}",
        f["message"]
    );
}

#[test]
fn absent_fields_are_missing_never_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json",
        &project(
            r#""investment": {"total": 8000, "fixed_assets": 9000}, "land": {"area": 30, "floor_area": null, "footprint": 12000}"#,
        ),
    );
    let (_, doc) = check_json(dir.path(), &["a.json"]);
    let f = finding(&doc, 0, "land.plot-ratio").expect("plot ratio finding");
    assert_eq!(f["outcome"], "missing");
    assert_eq!(f["severity"], "error");
    assert_eq!(
        finding(&doc, 0, "land.tax-per-mu").unwrap()["outcome"],
        "missing"
    );
    assert_eq!(doc["records"][0]["status"], "fail");
}

#[test]
fn a_known_false_part_decides_an_and() {
    let dir = tempfile::tempdir().unwrap();
    // Investment 4000 万元 and no land area: land.min-scale is violated, not missing.
    write(
        dir.path(),
        "a.json",
        &project(r#""investment": {"total": 4000}"#),
    );
    let (_, doc) = check_json(dir.path(), &["a.json"]);
    assert_eq!(
        finding(&doc, 0, "land.min-scale").unwrap()["outcome"],
        "violated"
    );
}

#[test]
fn malformed_files_and_lines_do_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.json", "{\"kind\": \"project\",\n  \"id\": ");
    let good = project(r#""investment": {"total": 8000, "fixed_assets": 9000}, "land": {"area": 30, "floor_area": 30000, "footprint": 12000}, "tax": {"annual": 900}"#).replace('\n', " ");
    write(
        dir.path(),
        "b.jsonl",
        &format!("{good}\n{{broken\n\n{good}\n"),
    );
    let (code, doc) = check_json(dir.path(), &["."]);
    assert_eq!(code, 1);
    let recs = doc["records"].as_array().unwrap();
    assert_eq!(recs.len(), 4, "{doc:#}");
    assert_eq!(recs[0]["status"], "invalid");
    assert_eq!(recs[0]["findings"][0]["rule"], "input.parse");
    assert_eq!(recs[0]["findings"][0]["line"], 2);
    assert_eq!(recs[1]["status"], "pass");
    assert_eq!(recs[2]["status"], "invalid");
    assert_eq!(recs[2]["index"], 1);
    assert_eq!(recs[3]["index"], 3, "blank lines count in the index");
    assert_eq!(recs[3]["status"], "pass");
}

#[test]
fn bad_values_are_invalid_with_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        project(r#""investment": {"total": "80 furlongs"}, "land": {"area": "3 万元", "aera": 3}"#)
            .replace("茌平县", "临青市");
    write(dir.path(), "a.json", &text);
    let (code, doc) = check_json(dir.path(), &["a.json"]);
    assert_eq!(code, 1);
    let f: Vec<&Value> = doc["records"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let county = f
        .iter()
        .find(|x| x["path"] == "/location/county")
        .expect("county finding");
    assert_eq!(county["rule"], "input.invalid");
    assert!(county["help"].as_str().unwrap().contains("临清市"));
    let unknown = f
        .iter()
        .find(|x| x["rule"] == "input.unknown-field")
        .expect("unknown field");
    assert_eq!(unknown["severity"], "warning");
    assert!(unknown["help"].as_str().unwrap().contains("land.area"));
    assert!(f
        .iter()
        .any(|x| x["path"] == "/land/area" && x["rule"] == "input.invalid"));
    assert!(f
        .iter()
        .any(|x| x["path"] == "/investment/total" && x["rule"] == "input.invalid"));
}

#[test]
fn waivers_cover_only_in_principle_rules() {
    let dir = tempfile::tempdir().unwrap();
    let w = r#""waivers": [{"rule": "land.min-scale", "approval": "聊政字〔2017〕1号", "expires": "2017-12-31"},
                          {"rule": "land.plot-ratio", "approval": "x"},
                          {"rule": "land.min-scale", "approval": "  "}]"#;
    write(
        dir.path(),
        "a.json",
        &project(&format!(
            r#""investment": {{"total": 4000, "fixed_assets": 9000}}, "land": {{"area": 30, "floor_area": 30000, "footprint": 12000}}, "tax": {{"annual": 900}}, {w}"#
        )),
    );
    let (_, doc) = check_json(dir.path(), &["a.json"]);
    let findings = doc["records"][0]["findings"].as_array().unwrap();
    assert_eq!(
        finding(&doc, 0, "land.min-scale").unwrap()["outcome"],
        "waived"
    );
    assert_eq!(
        finding(&doc, 0, "land.min-scale").unwrap()["severity"],
        "note"
    );
    let invalid: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "waiver.invalid")
        .collect();
    assert_eq!(invalid.len(), 2);
    assert_eq!(invalid[0]["path"], "/waivers/1");
    // An expired waiver covers nothing.
    let (_, doc) = check_json(dir.path(), &["a.json", "--date", "2018-01-01"]);
    assert_eq!(
        finding(&doc, 0, "land.min-scale").unwrap()["outcome"],
        "violated"
    );
}

#[test]
fn dates_select_the_period_and_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json",
        &project(r#""land": {"area": 30, "floor_area": 100, "aera": 1}, "tax": {"annual": "x"}"#)
            .replace("2017-06-01", "2021-01-05"),
    );
    let (code, doc) = check_json(dir.path(), &["a.json"]);
    let f = doc["records"][0]["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{doc:#}");
    assert_eq!(f[0]["rule"], "plan.out-of-period");
    assert_eq!(f[0]["outcome"], "out_of_period");
    assert_eq!(f[0]["severity"], "warning");
    assert_eq!(code, 0);
    let (_, doc) = check_json(dir.path(), &["a.json", "--date", "2018-01-01"]);
    assert!(finding(&doc, 0, "land.plot-ratio").is_some());
    // No date at all: the record is invalid unless --date is given.
    write(
        dir.path(),
        "b.json",
        &project("\"land\": {\"area\": 30}").replace("\"submitted\": \"2017-06-01\",", ""),
    );
    let (_, doc) = check_json(dir.path(), &["b.json"]);
    assert_eq!(doc["records"][0]["status"], "invalid");
    assert_eq!(doc["records"][0]["findings"][0]["rule"], "input.record");
    // A record that cannot be checked (no id) and lies outside the period
    // gets its input.record finding and the period warning, nothing else.
    write(
        dir.path(),
        "c.json",
        &project(r#""land": {"area": 30, "aera": 1}, "tax": {"annual": "x"}"#)
            .replace("\"id\": \"t-1\", ", "")
            .replace("2017-06-01", "2021-01-05"),
    );
    let (_, doc) = check_json(dir.path(), &["c.json"]);
    let rules = rule_ids(&doc);
    assert_eq!(rules, ["input.record", "plan.out-of-period"], "{doc:#}");
    assert_eq!(doc["records"][0]["status"], "invalid");
    // Inside the period it is only the record that cannot be checked.
    let (_, doc) = check_json(dir.path(), &["c.json", "--date", "2018-01-01"]);
    let f = doc["records"][0]["findings"].as_array().unwrap();
    assert!(
        f.iter().all(|f| f["rule"] != "plan.out-of-period"),
        "{doc:#}"
    );
}

#[test]
fn select_and_ignore_limit_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json",
        &project(r#""land": {"area": 30, "floor_area": 100}"#),
    );
    let (_, doc) = check_json(dir.path(), &["a.json", "--select", "land.plot"]);
    let rules = rule_ids(&doc);
    assert_eq!(rules, ["land.plot-ratio"]);
    let (_, doc) = check_json(dir.path(), &["a.json", "--ignore", "land"]);
    assert!(doc["records"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["rule"].as_str().unwrap().starts_with("land.")));
    let (_, doc) = check_json(
        dir.path(),
        &["a.json", "--select", "land.plot-ratio", "--all"],
    );
    assert_eq!(doc["records"][0]["findings"].as_array().unwrap().len(), 1);
}

/// A rule's full id names that rule alone, even where a longer id begins
/// with it; any other pattern is a prefix (`county.pm` is every air rule).
#[test]
fn a_full_rule_id_names_that_rule_alone() {
    let rules_of = |args: &[&str]| {
        let mut all = vec!["check", "seeds/samples/county-2018-off-track.json"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json", "--all"]);
        let run = super::plancheck(&all);
        let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let mut rules: Vec<String> = doc["records"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        rules.sort();
        rules
    };
    let exact = "county.energy-intensity";
    let longer = "county.energy-intensity-reduction";
    assert_eq!(rules_of(&["--select", exact]), [exact]);
    let kept = rules_of(&["--ignore", exact]);
    assert!(kept.iter().any(|r| r == longer) && !kept.iter().any(|r| r == exact));
    let air = rules_of(&["--select", "county.pm"]);
    assert!(
        air.len() >= 2 && air.iter().all(|r| r.starts_with("county.pm")),
        "{air:?}"
    );
}

#[test]
fn records_that_are_not_objects_or_have_no_kind_are_invalid() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json",
        r#"[1, {"id": "x"}, {"kind": "projekt", "id": "y"}]"#,
    );
    let (_, doc) = check_json(dir.path(), &["a.json"]);
    for r in doc["records"].as_array().unwrap() {
        assert_eq!(r["status"], "invalid");
        assert_eq!(r["findings"][0]["rule"], "input.record");
    }
    assert!(doc["records"][2]["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("projekt"));
    // A file named *project* gives its records that kind.
    write(
        dir.path(),
        "my-project.json",
        &project("\"land\": {\"area\": 30}").replace("\"kind\": \"project\",", ""),
    );
    let (_, doc) = check_json(dir.path(), &["my-project.json"]);
    assert_eq!(doc["records"][0]["kind"], "project");
}

#[test]
fn review_regressions() {
    let dir = tempfile::tempdir().unwrap();
    // A blank id is no id.
    write(
        dir.path(),
        "a.json",
        &project(r#""land": {"area": 30}"#).replace(r#""id": "t-1""#, r#""id": "  ""#),
    );
    let (_, doc) = check_json(dir.path(), &["a.json"]);
    assert_eq!(doc["records"][0]["status"], "invalid");
    assert_eq!(doc["records"][0]["findings"][0]["rule"], "input.record");
    // A misspelt waiver key is reported, and the declared plot ratio is what a finding points at.
    write(
        dir.path(),
        "b.json",
        &project(
            r#""investment": {"total": 4000}, "land": {"area": 15, "plot_ratio": 0.8}, "waivers": [{"rule": "land.min-scale", "approval": "A", "expirs": "2016-12-31"}]"#,
        ),
    );
    let (_, doc) = check_json(dir.path(), &["b.json"]);
    let typo = finding(&doc, 0, "input.unknown-field").expect("waiver key typo");
    assert_eq!(typo["path"], "/waivers/0/expirs");
    assert!(typo["help"].as_str().unwrap().contains("expires"));
    assert_eq!(
        finding(&doc, 0, "land.plot-ratio").unwrap()["path"],
        "/land/plot_ratio"
    );
    // An invalid floor area does not fall back to the declared plot ratio.
    write(
        dir.path(),
        "c.json",
        &project(r#""land": {"area": 15, "floor_area": -5, "plot_ratio": 2}"#),
    );
    let (_, doc) = check_json(dir.path(), &["c.json", "--all"]);
    assert!(finding(&doc, 0, "land.plot-ratio").is_none(), "{doc:#}");
    // A member name holding a dot keeps it in the pointer.
    write(
        dir.path(),
        "d.json",
        &project(r#""land": {"area": 15, "pm2.5": 1}"#),
    );
    let (_, doc) = check_json(dir.path(), &["d.json"]);
    assert_eq!(
        finding(&doc, 0, "input.unknown-field").unwrap()["path"],
        "/land/pm2.5"
    );
}

/// CONTRACT.md §4.1: an invalid value in a condition gives no outcome; what
/// absent values could be decides a requirement when every possibility agrees.
#[test]
fn undecided_parts_are_decided_over_what_they_could_be() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        // 80 % clears the limit of every building category: passes with no category.
        r#"{"kind": "project", "id": "a", "submitted": "2018-01-01", "construction": "new", "building": {"energy_saving": 80}}"#,
        // No site zone can be prohibited without a protected area: violated with the town absent.
        r#"{"kind": "project", "id": "b", "submitted": "2018-01-01", "category": "industrial", "location": {"county": "阳谷县", "zone_level": "none", "functional_zone": "prohibited"}}"#,
        // An invalid category: the building rules give nothing, not `missing`.
        r#"{"kind": "project", "id": "c", "submitted": "2018-01-01", "category": "bogus", "construction": "new"}"#,
        // An unknown county: no `city.*` outcome.
        r#"{"kind": "county", "county": "不存在县", "year": 2018}"#,
        // An invalid county counts as undecided like an absent one: no site
        // zone of any county is prohibited without a protected area.
        r#"{"kind": "project", "id": "e", "submitted": "2018-01-01", "category": "industrial", "location": {"county": "莘县x", "town": "古城镇", "zone_level": "none", "functional_zone": "prohibited"}}"#,
        // An invalid category leaves the building rules' condition undecided
        // (no outcome); a rule whose condition is decided still asks for the
        // field whose default the category would have given: giving it decides.
        r#"{"kind": "project", "id": "f", "submitted": "2018-01-01", "category": "industral", "construction": "new", "building": {"energy_saving": 80}}"#,
    ];
    write(dir.path(), "a.json", &format!("[{}]", records.join(",\n")));
    let (_, doc) = check_json(dir.path(), &["a.json", "--all"]);
    assert_eq!(
        finding(&doc, 0, "building.energy-saving").map(|f| f["outcome"].clone()),
        Some("pass".into())
    );
    let zone = finding(&doc, 1, "zone.declared-functional-zone").expect("an outcome");
    assert_eq!(zone["outcome"], "violated");
    assert!(
        zone["message"].as_str().unwrap().contains(" or "),
        "the possible zones are named: {zone}"
    );
    for rule in ["building.energy-saving", "building.community-sports"] {
        assert!(
            finding(&doc, 2, rule).is_none(),
            "{rule} on an invalid category"
        );
    }
    let city: Vec<&Value> = doc["records"][3]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("city."))
        .collect();
    assert!(city.is_empty(), "{city:?}");
    let zone = finding(&doc, 4, "zone.declared-functional-zone").expect("an outcome");
    assert_eq!(zone["outcome"], "violated", "{zone}");
    assert!(finding(&doc, 4, "input.invalid").is_some());
    let two_highs = finding(&doc, 5, "env.two-highs-one-resource").expect("an outcome");
    assert_eq!(two_highs["outcome"], "missing", "{two_highs}");
    assert!(finding(&doc, 5, "building.energy-saving").is_none());
    // A year given but invalid (checked as of `--date`) is not missing: the
    // paths, judged at the report's own year, give no outcome.
    write(
        dir.path(),
        "b.json",
        r#"{"kind": "county", "county": "冠县", "year": "2018x", "indicators": {"pm25": 30}}"#,
    );
    let (_, doc) = check_json(dir.path(), &["b.json", "--date", "2020-06-01"]);
    assert!(finding(&doc, 0, "input.invalid").is_some(), "{doc:#}");
    let findings = doc["records"][0]["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(
            |f| f["outcome"] != "missing" || !f["message"].as_str().unwrap().contains("`year`")
        ),
        "{findings:#?}"
    );
    assert!(finding(&doc, 0, "county.pm25").is_none(), "{doc:#}");
}

/// CONTRACT.md §4.1 and §5: a county report without an `id` is named
/// `<county>-<year>`; where a part of that name is absent the id is null
/// (never a made-up `?-2018`), and an invalid county still names it as written.
#[test]
fn county_report_ids_are_made_only_from_what_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        r#"{"kind": "county", "county": "冠县", "year": 2018, "indicators": {"pm25": 30}}"#,
        r#"{"kind": "county", "year": 2018, "indicators": {"pm25": 30}}"#,
        r#"{"kind": "county", "county": "冠县", "indicators": {"pm25": 30}}"#,
        r#"{"kind": "county", "county": "不存在县", "year": 2018, "indicators": {"pm25": 30}}"#,
        r#"{"kind": "county", "id": "GX-2018-Q4", "county": "冠县", "year": 2018}"#,
    ];
    write(dir.path(), "a.json", &format!("[{}]", records.join(",\n")));
    let (_, doc) = check_json(dir.path(), &["a.json", "--date", "2018-12-31"]);
    let ids: Vec<&Value> = (0..records.len())
        .map(|i| &doc["records"][i]["id"])
        .collect();
    assert_eq!(ids[0], "冠县-2018");
    assert!(ids[1].is_null(), "{ids:?}");
    assert!(ids[2].is_null(), "{ids:?}");
    assert_eq!(ids[3], "不存在县-2018");
    assert_eq!(ids[4], "GX-2018-Q4");
}
