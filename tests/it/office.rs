//! Workbooks as county statistics offices and approval offices make them
//! (`tests/fixtures/office/`, made by `make_fixtures.py`): title rows above
//! the header, Chinese headers with units in brackets, percent cells,
//! Chinese labels, `.xls`, GB18030 CSV, lock files. Each is checked exactly
//! as its JSON equivalent.

use super::{plancheck, plancheck_in, settings};
use serde_json::Value;
use std::path::Path;

const OFFICE: &str = "tests/fixtures/office";

fn json(args: &[&str]) -> (Value, i32) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--lang", "en"]);
    let run = plancheck(&all);
    let doc = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (doc, run.code)
}

/// Every record's id, status and findings (rule, outcome, severity, message,
/// numbers), without places: what must not depend on the file's format.
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
                    format!(
                        "{} {} {} {} actual={} limit={}",
                        f["rule"],
                        f["outcome"],
                        f["severity"],
                        f["message"],
                        f["actual"],
                        f["limit"]
                    )
                })
                .collect();
            format!("{} {} [{}]", r["id"], r["status"], f.join("; "))
        })
        .collect()
}

fn office(name: &str) -> String {
    format!("{OFFICE}/{name}")
}

#[test]
fn a_county_report_reads_alike_in_xlsx_xls_csv_and_json() {
    let (expected, code) = json(&[&office("county-report-office.expected.json")]);
    assert_eq!(code, 0, "the report has warnings only");
    let want = verdicts(&expected);
    assert!(want[0].contains("county.pm25"), "{want:?}");
    for file in [
        "county-report-office.xlsx",
        "county-report-office.xls",
        "county-report-office-gb18030.csv",
    ] {
        let (doc, code) = json(&[&office(file)]);
        assert_eq!(verdicts(&doc), want, "{file}");
        assert_eq!(code, 0, "{file}");
    }
}

#[test]
fn a_project_register_reads_alike_in_xlsx_xls_and_json() {
    let (expected, _) = json(&[&office("project-register-office.expected.json")]);
    let want = verdicts(&expected);
    assert_eq!(want.len(), 3);
    for file in [
        "project-register-office.xlsx",
        "project-register-office.xls",
    ] {
        let (doc, code) = json(&[&office(file)]);
        assert_eq!(verdicts(&doc), want, "{file}");
        assert_eq!(code, 1, "{file}");
    }
}

#[test]
fn a_workbook_is_read_by_what_it_holds_not_by_its_name() {
    // An `.xls` saved under `.xlsx` and an `.xlsx` under `.xls` (an office
    // renaming a file to get past an upload form) read as what they are.
    let tmp = tempfile::tempdir().unwrap();
    let renamed = [
        ("project-register-office.xls", "register-really-xls.xlsx"),
        ("project-register-office.xlsx", "register-really-xlsx.xls"),
    ];
    let (expected, _) = json(&[&office("project-register-office.expected.json")]);
    for (from, to) in renamed {
        std::fs::copy(super::root().join(office(from)), tmp.path().join(to)).unwrap();
        let (doc, code) = json(&[&tmp.path().join(to).to_string_lossy()]);
        assert_eq!(verdicts(&doc), verdicts(&expected), "{to}");
        assert_eq!(code, 1, "{to}");
    }
}

#[test]
fn a_password_protected_workbook_says_so() {
    // What Excel writes for a workbook with an opening password: a compound
    // file holding an `EncryptedPackage` stream (and no `Workbook`).
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("locked.xlsx");
    let mut file = cfb::create(&path).unwrap();
    let mut stream = file.create_stream("/EncryptedPackage").unwrap();
    std::io::Write::write_all(&mut stream, &[0u8; 4096]).unwrap();
    drop(stream);
    file.flush().unwrap();
    drop(file);
    for (lang, says, helps) in [
        ("en", "password protected", "remove the opening password"),
        ("zh", "密码", "去掉打开密码"),
    ] {
        let run = plancheck(&[
            "check",
            &path.to_string_lossy(),
            "--format",
            "json",
            "--lang",
            lang,
        ]);
        let doc: Value = serde_json::from_str(&run.stdout).unwrap();
        let f = &doc["records"][0]["findings"][0];
        assert_eq!(f["rule"], "input.parse", "{lang}: {f}");
        assert!(f["message"].as_str().unwrap().contains(says), "{lang}: {f}");
        assert!(f["help"].as_str().unwrap().contains(helps), "{lang}: {f}");
        assert_eq!(run.code, 1);
    }
}

#[test]
fn findings_name_the_cell_of_the_value() {
    let (doc, _) = json(&[&office("county-report-office.xlsx")]);
    let f = &doc["records"][0]["findings"][0];
    assert_eq!(f["sheet"], "2018年报");
    assert_eq!(f["cell"], "R4");
    assert_eq!(f["row"], 4);
    // The header sits under a merged title row: the record is row 4, index 3.
    assert_eq!(doc["records"][0]["index"], 3);
    let (doc, _) = json(&[&office("project-register-office.xls")]);
    assert_eq!(doc["records"][0]["findings"][0]["cell"], "U4");
    assert_eq!(doc["records"][0]["findings"][0]["sheet"], "项目台账");
}

#[test]
fn office_diagnostics_in_both_languages() {
    let s = settings();
    for (file, lang) in [
        ("county-report-office.xlsx", "zh"),
        ("project-register-office.xls", "en"),
        ("county-report-office-gb18030.csv", "zh"),
    ] {
        let run = plancheck(&["check", &office(file), "--lang", lang]);
        s.bind(|| insta::assert_snapshot!(format!("office-{lang}-{file}"), run.stdout));
    }
}

#[test]
fn lock_files_are_never_submissions() {
    let (doc, _) = json(&[OFFICE]);
    let files: Vec<&str> = doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["file"].as_str().unwrap())
        .collect();
    assert!(
        files
            .iter()
            .all(|f| !f.contains("~$") && !f.contains(".~lock")),
        "{files:?}"
    );
    assert_eq!(doc["summary"]["files"], 8);
    // Named directly, a lock file is not a submission either.
    let run = plancheck(&["check", &office("~$county-report-office.xlsx")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn an_unrecognisable_workbook_fails_loudly() {
    let (doc, code) = json(&[&office("unrecognised.xlsx")]);
    assert_eq!(code, 1);
    let r = &doc["records"][0];
    assert_eq!(r["status"], "invalid");
    let f = &r["findings"][0];
    assert_eq!(f["rule"], "input.record");
    // The help names the closest row and the titles it came nearest to.
    let help = f["help"].as_str().unwrap();
    assert!(help.contains("row 3"), "{help}");
    assert!(help.contains("`姓名`"), "{help}");
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn headers_as_people_write_them() {
    let dir = tempfile::tempdir().unwrap();
    // A title row, a unit in brackets (公顷 and 万平方米), a width-mixed title,
    // 序号 and 备注, an unknown column, Chinese labels and 是/否.
    write(
        dir.path(),
        "项目台账.csv",
        "2018年新建工业项目,,,,,,,,,,\n\
         序号,项目代码,申请日期,项目类别,建设性质,开发区级别,用地面积（公顷）,总建筑面积（万平方米）,固定资产投资(万元),达产后年税收,投资方\n\
         1,p1,2018年6月1日,工业,新建,省级开发区,2,\"2.4\",\"8,400\",600,某公司\n\
         2,p2,2018/6/2,工业,新建,省级开发区,1,1,\"2,000\",300,某公司\n",
    );
    let (doc, code) = json(&[dir.path().join("项目台账.csv").to_str().unwrap()]);
    assert_eq!(code, 1, "{doc:#}");
    let recs = doc["records"].as_array().unwrap();
    assert_eq!(recs.len(), 2);
    // 2 公顷 = 30 亩; 8400 万元 / 30 亩 = 280 万元/亩 holds; 2.4 万 m² / 20000 m² = 1.2.
    let first: Vec<&str> = recs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // Units in the headers, dates and labels were read: plot ratio and
    // intensity hold, nothing is invalid; the unknown column is said once.
    for rule in [
        "land.plot-ratio",
        "land.investment-intensity",
        "input.invalid",
        "input.record",
    ] {
        assert!(!first.contains(&rule), "{rule} in {:#}", recs[0]);
    }
    assert_eq!(
        first
            .iter()
            .filter(|r| **r == "input.unknown-field")
            .count(),
        1
    );
    let unknown = &recs[0]["findings"][0];
    assert_eq!(unknown["cell"], "K2", "at the header cell");
    assert!(unknown["message"].as_str().unwrap().contains("投资方"));
    // Only once, not on every row; the second record fails its own limits.
    let second: Vec<&str> = recs[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!second.contains(&"input.unknown-field"), "{second:?}");
    assert!(second.contains(&"land.investment-intensity"), "{second:?}");
}

#[test]
fn a_header_unit_of_the_wrong_dimension_is_invalid_at_the_header() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "projects.csv",
        "id,submitted,category,construction,用地面积（万元）\np1,2018-06-01,industrial,new,30\n",
    );
    let (doc, code) = json(&[dir.path().join("projects.csv").to_str().unwrap()]);
    assert_eq!(code, 1);
    let f = doc["records"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "input.invalid")
        .unwrap_or_else(|| panic!("{doc:#}"))
        .clone();
    assert_eq!(f["cell"], "E1", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("用地面积（万元）"),
        "{f:#}"
    );
}

#[test]
fn a_folder_where_nothing_is_recognised_does_not_pass() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty.json", "[]");
    write(dir.path(), "notes.csv", "会议纪要\n出席人员,张三\n");
    let run = plancheck_in(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let rules: Vec<&str> = doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["findings"][0]["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["input.record", "input.record"]);
}
