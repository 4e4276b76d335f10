//! What people do to sheets, and what each must give: a field in two
//! columns, a value under no header, a misspelt header in a table with a
//! kind column, a cell merged down over the rows it applies to. Each sheet
//! is made here from a shipped sample, and compared with the same facts as
//! JSON.

use super::check_json as check;
use serde_json::Value;
use std::path::Path;

/// A shipped sample's members as dotted paths and cell texts, in order.
fn columns(sample: &str) -> Vec<(String, String)> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&path, v, out);
                }
            }
            Value::Array(_) => {}
            Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    let text = std::fs::read_to_string(format!("seeds/samples/{sample}")).unwrap();
    let mut out = Vec::new();
    walk("", &serde_json::from_str(&text).unwrap(), &mut out);
    out
}

fn csv(cols: &[(String, String)]) -> String {
    let header: Vec<&str> = cols.iter().map(|(h, _)| h.as_str()).collect();
    let row: Vec<&str> = cols.iter().map(|(_, v)| v.as_str()).collect();
    format!("{}\n{}\n", header.join(","), row.join(","))
}

/// Each record's status and its findings' rule and outcome: what must not
/// depend on the format.
fn verdicts(doc: &Value) -> Vec<String> {
    doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut f: Vec<String> = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| format!("{}:{}", f["rule"], f["outcome"]))
                .collect();
            f.sort();
            format!("{} [{}]", r["status"], f.join(" "))
        })
        .collect()
}

fn findings(doc: &Value, record: usize) -> Vec<Value> {
    doc["records"][record]["findings"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_field_in_two_columns_is_given_twice_and_neither_value_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let mut cols = columns("project-pass-all.json");
    let area = cols.iter().position(|(h, _)| h == "land.area").unwrap();
    // The same field again at the end, by its title with a unit, and again.
    cols.push(("用地面积（公顷）".to_string(), "1".to_string()));
    cols.push(("land.area".to_string(), "15".to_string()));
    let file = dir.path().join("projects.csv");
    std::fs::write(&file, csv(&cols)).unwrap();
    let second = plancheck::input::column_letter(cols.len() - 2);
    let third = plancheck::input::column_letter(cols.len() - 1);
    for lang in ["en", "zh"] {
        let (doc, code) = check(&file, lang);
        assert_eq!(code, 1, "{doc}");
        let f = findings(&doc, 0);
        let twice: Vec<&Value> = f.iter().filter(|f| f["rule"] == "input.invalid").collect();
        assert_eq!(twice.len(), 1, "one finding for the field: {f:?}");
        assert_eq!(
            twice[0]["cell"],
            format!("{second}2"),
            "at the second column"
        );
        assert_eq!(twice[0]["path"], "land.area");
        let message = twice[0]["message"].as_str().unwrap();
        let first = plancheck::input::column_letter(area);
        for column in [&first, &second, &third] {
            assert!(message.contains(column.as_str()), "{column}: {message}");
        }
        assert!(twice[0]["help"].as_str().is_some_and(|h| !h.is_empty()));
        // No rule decides on either value, and none calls the area missing.
        assert!(
            f.iter().all(|f| f["rule"] == "input.invalid"),
            "{lang}: {f:?}"
        );
    }
    // The same facts as JSON: a member given twice.
    let text = std::fs::read_to_string("seeds/samples/project-pass-all.json")
        .unwrap()
        .replacen("\"area\":", "\"area\": 1, \"area\":", 1);
    let json = dir.path().join("project.json");
    std::fs::write(&json, text).unwrap();
    assert_eq!(
        verdicts(&check(&file, "en").0),
        verdicts(&check(&json, "en").0)
    );
    // The date given twice leaves the record undated, and says so: no
    // valid date is called invalid.
    let mut dated = columns("project-pass-all.json");
    dated.push(("申请日期".to_string(), "2017-06-16".to_string()));
    std::fs::write(&file, csv(&dated)).unwrap();
    let text = std::fs::read_to_string("seeds/samples/project-pass-all.json")
        .unwrap()
        .replacen(
            "\"submitted\":",
            "\"submitted\": \"2017-06-16\", \"submitted\":",
            1,
        );
    std::fs::write(&json, text).unwrap();
    for doc in [check(&file, "en").0, check(&json, "en").0] {
        assert_eq!(doc["records"][0]["status"], "invalid");
        let f = findings(&doc, 0);
        let record = f.iter().find(|f| f["rule"] == "input.record").unwrap();
        let message = record["message"].as_str().unwrap();
        assert!(message.contains("given twice"), "{message}");
        assert!(!message.contains("not a valid"), "{message}");
    }
}

#[test]
fn of_two_columns_for_a_field_the_one_with_a_value_counts() {
    let dir = tempfile::tempdir().unwrap();
    // `land.min-scale` blames the land area of this application.
    let cols = columns("project-waiver-expired.json");
    let one = dir.path().join("one.csv");
    std::fs::write(&one, csv(&cols)).unwrap();
    let mut two = cols.clone();
    let area = two.iter().position(|(h, _)| h == "land.area").unwrap();
    let value = std::mem::take(&mut two[area].1);
    two.push(("用地面积".to_string(), value));
    let file = dir.path().join("two.csv");
    std::fs::write(&file, csv(&two)).unwrap();
    let (doc, _) = check(&file, "en");
    assert_eq!(verdicts(&doc), verdicts(&check(&one, "en").0));
    // The finding about the area points at the cell that holds it.
    let last = format!("{}2", plancheck::input::column_letter(two.len() - 1));
    let f = findings(&doc, 0);
    let scale = f.iter().find(|f| f["rule"] == "land.min-scale").unwrap();
    assert_eq!(scale["path"], "land.area", "{scale}");
    assert_eq!(scale["cell"], last, "{scale}");
}

#[test]
fn a_value_under_no_header_is_never_dropped_without_a_word() {
    let dir = tempfile::tempdir().unwrap();
    let mut cols = columns("project-pass-all.json");
    cols.push((String::new(), "是".to_string()));
    let file = dir.path().join("projects.csv");
    std::fs::write(&file, csv(&cols)).unwrap();
    let letter = plancheck::input::column_letter(cols.len() - 1);
    for (lang, says) in [("en", "were not read"), ("zh", "未读取")] {
        let (doc, _) = check(&file, lang);
        assert_eq!(doc["records"][0]["status"], "warn", "{doc}");
        let f = findings(&doc, 0);
        let unheaded = f
            .iter()
            .find(|f| f["cell"] == format!("{letter}2"))
            .unwrap_or_else(|| panic!("{f:?}"));
        assert_eq!(unheaded["rule"], "input.unknown-field");
        assert!(unheaded["message"].as_str().unwrap().contains(says));
        assert!(unheaded["message"].as_str().unwrap().contains(&letter));
        assert!(unheaded["help"].as_str().is_some_and(|h| !h.is_empty()));
    }
    // So is a value under a header naming a field of another kind only
    // (a county indicator in a row of projects), once for the row.
    cols.push(("indicators.pm25".to_string(), "48".to_string()));
    std::fs::write(&file, csv(&cols)).unwrap();
    let (doc, _) = check(&file, "en");
    let f = findings(&doc, 0);
    let unread: Vec<&Value> = f
        .iter()
        .filter(|f| f["rule"] == "input.unknown-field")
        .collect();
    assert_eq!(unread.len(), 1, "{f:?}");
    let pm25 = plancheck::input::column_letter(cols.len() - 1);
    let message = unread[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&letter) && message.contains(&pm25),
        "{message}"
    );
    cols.pop();
    // A blank cell under no header says nothing.
    cols.last_mut().unwrap().1 = String::new();
    std::fs::write(&file, csv(&cols)).unwrap();
    assert_eq!(check(&file, "en").0["records"][0]["status"], "pass");
}

/// In a sheet of one kind (no kind column), a column naming a field of
/// another kind only is one warning at its header cell, not one per row.
#[test]
fn a_column_of_another_kind_is_said_once_at_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("county-2018.csv");
    std::fs::write(
        &file,
        "county,year,indicators.pm25,用地面积（亩）\n\
         临清市,2018,58,12\n\
         冠县,2018,62,13\n\
         莘县,2018,60,14\n",
    )
    .unwrap();
    for (lang, says) in [("en", "another kind of record"), ("zh", "其他类型记录")] {
        let (doc, _) = check(&file, lang);
        let records = doc["records"].as_array().unwrap();
        assert_eq!(records.len(), 3, "{doc}");
        let unread: Vec<&Value> = records
            .iter()
            .flat_map(|r| r["findings"].as_array().unwrap())
            .filter(|f| f["rule"] == "input.unknown-field")
            .collect();
        assert_eq!(unread.len(), 1, "{unread:?}");
        assert_eq!(unread[0]["cell"], "D1", "{}", unread[0]);
        let message = unread[0]["message"].as_str().unwrap();
        assert!(
            message.contains("用地面积（亩）") && message.contains(says),
            "{message}"
        );
    }
}

/// A header giving a field's last name alone is pointed to the field.
#[test]
fn a_header_of_a_field_s_last_name_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("county-2018.csv");
    std::fs::write(&file, "county,year,pm25\n临清市,2018,58\n").unwrap();
    let (doc, _) = check(&file, "en");
    let f = findings(&doc, 0);
    let unknown = f
        .iter()
        .find(|f| f["rule"] == "input.unknown-field")
        .unwrap_or_else(|| panic!("{f:?}"));
    let help = unknown["help"].as_str().unwrap();
    assert!(help.contains("`indicators.pm25`"), "{help}");
}

#[test]
fn a_misspelt_header_beside_a_kind_column_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let mut cols = columns("project-pass-all.json");
    assert_eq!(cols[0].0, "kind", "the kind column says each row's kind");
    let area = cols.iter().position(|(h, _)| h == "land.area").unwrap();
    cols[area].0 = "land.aera".to_string();
    let tax = cols.iter().position(|(h, _)| h == "tax.annual").unwrap();
    cols[tax].0 = "达产后年税金".to_string();
    let file = dir.path().join("projects.csv");
    std::fs::write(&file, csv(&cols)).unwrap();
    let (doc, _) = check(&file, "en");
    let f = findings(&doc, 0);
    let unknown: Vec<&str> = f
        .iter()
        .filter(|f| f["rule"] == "input.unknown-field")
        .map(|f| f["help"].as_str().unwrap())
        .collect();
    assert_eq!(unknown.len(), 2, "{f:?}");
    assert!(unknown[0].contains("`land.area`"), "{unknown:?}");
    assert!(unknown[1].contains("`tax.annual`"), "{unknown:?}");
}

#[test]
fn a_cell_merged_down_gives_its_value_to_every_row_it_spans() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let cols = columns("project-chemical-urban-2019.json");
    let urban = cols
        .iter()
        .position(|(h, _)| h == "location.urban_area")
        .unwrap();
    let county = cols
        .iter()
        .position(|(h, _)| h == "location.county")
        .unwrap();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("项目").unwrap();
    // A title merged across the top, the header, then three applications.
    let plain = Format::new();
    sheet
        .merge_range(0, 0, 0, 5, "聊城市2019年化工项目申报表", &plain)
        .unwrap();
    let mut json = Vec::new();
    for (c, (header, _)) in cols.iter().enumerate() {
        sheet.write_string(1, c as u16, header).unwrap();
    }
    for r in 0..3u32 {
        let mut record: Value = serde_json::from_str(
            &std::fs::read_to_string("seeds/samples/project-chemical-urban-2019.json").unwrap(),
        )
        .unwrap();
        let id = format!("2019-371581-26-03-00009{r}");
        record["id"] = Value::String(id.clone());
        json.push(record);
        for (c, (header, value)) in cols.iter().enumerate() {
            if c == urban || c == county {
                continue;
            }
            let value = if header == "id" { &id } else { value };
            sheet.write_string(2 + r, c as u16, value).unwrap();
        }
    }
    // The urban-area and county cells merged down over the three rows; the
    // county's merge runs on past the table, which makes no records.
    let urban_value = if cols[urban].1 == "true" {
        "是"
    } else {
        "否"
    };
    sheet
        .merge_range(2, urban as u16, 4, urban as u16, urban_value, &plain)
        .unwrap();
    sheet
        .merge_range(2, county as u16, 9, county as u16, &cols[county].1, &plain)
        .unwrap();
    let xlsx = dir.path().join("projects.xlsx");
    book.save(&xlsx).unwrap();
    let batch = dir.path().join("projects.json");
    std::fs::write(&batch, serde_json::to_string(&json).unwrap()).unwrap();
    let (doc, code) = check(&xlsx, "en");
    assert_eq!(code, 1);
    assert_eq!(doc["records"].as_array().unwrap().len(), 3, "{doc}");
    assert_eq!(verdicts(&doc), verdicts(&check(&batch, "en").0));
    for r in 0..3 {
        let f = findings(&doc, r);
        let urban_finding = f
            .iter()
            .find(|f| f["rule"] == "env.chemical-urban")
            .unwrap_or_else(|| panic!("row {}: {f:?}", r + 3));
        // Placed at the row's own cell of the merged area.
        assert_eq!(
            urban_finding["cell"],
            format!("{}{}", plancheck::input::column_letter(urban), r + 3)
        );
    }
}

#[test]
fn a_value_that_is_not_a_boolean_is_told_what_is() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("seeds/samples/project-pass-all.json")
        .unwrap()
        .replacen("\"energy_review\": true", "\"energy_review\": \"有\"", 1);
    assert!(text.contains("有"), "the sample names energy_review");
    let file = dir.path().join("project.json");
    std::fs::write(&file, text).unwrap();
    for (lang, says) in [("en", "true or false"), ("zh", "是/否")] {
        let (doc, _) = check(&file, lang);
        let f = findings(&doc, 0);
        let invalid = f.iter().find(|f| f["rule"] == "input.invalid").unwrap();
        assert!(
            invalid["help"].as_str().is_some_and(|h| h.contains(says)),
            "{lang}: {invalid}"
        );
    }
}

#[test]
fn dates_numbers_and_years_as_spreadsheets_export_them() {
    let dir = tempfile::tempdir().unwrap();
    let set = |cols: &mut Vec<(String, String)>, path: &str, value: &str| {
        let at = cols.iter().position(|(h, _)| h == path).unwrap();
        cols[at].1 = value.to_string();
    };
    let mut project = columns("project-pass-all.json");
    set(&mut project, "submitted", "2017/06/15 00:00:00");
    set(&mut project, "investment.fixed_assets", "2.8E+04");
    let file = dir.path().join("projects.csv");
    std::fs::write(&file, csv(&project)).unwrap();
    let (doc, code) = check(&file, "en");
    assert_eq!(code, 0, "{doc}");
    assert_eq!(
        verdicts(&doc),
        verdicts(&check(Path::new("seeds/samples/project-pass-all.json"), "en").0)
    );
    let mut county = columns("county-2018-off-track.json");
    set(&mut county, "year", "2018 年度");
    let file = dir.path().join("county.csv");
    std::fs::write(&file, csv(&county)).unwrap();
    assert_eq!(
        verdicts(&check(&file, "en").0),
        verdicts(&check(Path::new("seeds/samples/county-2018-off-track.json"), "en").0)
    );
    // A year that is none is called a year, not a date.
    set(&mut county, "year", "二〇一八");
    std::fs::write(&file, csv(&county)).unwrap();
    for (lang, says) in [("en", "not a valid year"), ("zh", "年份")] {
        let (doc, _) = check(&file, lang);
        let f = findings(&doc, 0);
        assert_eq!(doc["records"][0]["status"], "invalid");
        let record = f.iter().find(|f| f["rule"] == "input.record").unwrap();
        assert!(
            record["message"].as_str().unwrap().contains(says),
            "{lang}: {record}"
        );
    }
}

#[test]
fn a_row_of_units_under_the_header_gives_the_columns_their_units() {
    let dir = tempfile::tempdir().unwrap();
    let mut cols = columns("project-pass-all.json");
    let mut units = vec![String::new(); cols.len()];
    for (path, unit, value) in [
        ("investment.total", "亿元", "3.2"),
        ("investment.fixed_assets", "（亿元）", "2.8"),
    ] {
        let at = cols.iter().position(|(h, _)| h == path).unwrap();
        cols[at].1 = value.to_string();
        units[at] = unit.to_string();
    }
    units[0] = "单位".to_string();
    let header: Vec<&str> = cols.iter().map(|(h, _)| h.as_str()).collect();
    let row: Vec<&str> = cols.iter().map(|(_, v)| v.as_str()).collect();
    let file = dir.path().join("projects.csv");
    let with_units = format!(
        "{}\n{}\n{}\n",
        header.join(","),
        units.join(","),
        row.join(",")
    );
    std::fs::write(&file, with_units).unwrap();
    let (doc, code) = check(&file, "en");
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["records"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(doc["records"][0]["index"], 2);
    assert_eq!(
        verdicts(&doc),
        verdicts(&check(Path::new("seeds/samples/project-pass-all.json"), "en").0)
    );
    // Without the row, the same figures are 万元 and the project fails.
    std::fs::write(&file, csv(&cols)).unwrap();
    assert_eq!(check(&file, "en").1, 1);
    // A first row that holds values is a record, not units.
    let twice = format!(
        "{}\n{}\n{}\n",
        header.join(","),
        row.join(","),
        row.join(",")
    );
    std::fs::write(&file, twice).unwrap();
    assert_eq!(check(&file, "en").0["records"].as_array().unwrap().len(), 2);
}

#[test]
fn a_row_of_report_facts_above_the_table_is_no_header() {
    let dir = tempfile::tempdir().unwrap();
    let cols = columns("county-2018-off-track.json");
    // Above the table, as offices head a report: a title, and a row that
    // names two fields (by their titles) beside their values.
    let text = format!(
        "冠县2018年主要指标完成情况\n填报单位,冠县,报告年份,2018\n\n{}",
        csv(&cols)
    );
    let file = dir.path().join("county.csv");
    std::fs::write(&file, &text).unwrap();
    let (doc, _) = check(&file, "en");
    assert_eq!(doc["records"].as_array().unwrap().len(), 1, "{doc}");
    assert_eq!(
        verdicts(&doc),
        verdicts(&check(Path::new("seeds/samples/county-2018-off-track.json"), "en").0)
    );
}
