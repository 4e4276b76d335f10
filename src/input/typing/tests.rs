//! Typing: exact numbers, names given twice, findings placed at their bytes.

use super::*;

fn pack() -> crate::pack::Pack {
    crate::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors))
}

fn typed(text: &str) -> Typed {
    let cx = Settings {
        hint: None,
        date: None,
        lang: Lang::En,
        names: None,
        given_twice: &[],
    };
    type_text(&pack(), text, &cx).unwrap_or_else(|e| panic!("{text}: {e:?}"))
}

const BASE: &str = r#""kind": "project", "id": "P-1", "submitted": "2018-05-01""#;

#[test]
fn numbers_are_read_from_their_text_exactly() {
    let t = typed(&format!(
        r#"{{{BASE}, "land": {{"floor_area": 19999.999999999999999999}}}}"#
    ));
    let rec = t.record.expect("record");
    let area = rec
        .slots
        .iter()
        .find_map(|s| match s {
            Slot::Value(Value::Num(n, _)) => Some(n.clone()),
            _ => None,
        })
        .expect("a number");
    assert!(
        area < crate::units::Number::int(20000),
        "not rounded up to 20000"
    );
}

#[test]
fn a_number_beyond_reading_is_invalid_at_that_value_only() {
    let text = format!(r#"{{{BASE}, "land": {{"area": 1e999, "floor_area": 100}}}}"#);
    let t = typed(&text);
    assert!(t.record.is_some(), "the record is still checked");
    let bad: Vec<&Finding> = t
        .findings
        .iter()
        .filter(|f| f.rule.is(Reserved::InputInvalid))
        .collect();
    assert_eq!(bad.len(), 1, "{:?}", t.findings);
    let (s, e) = bad[0].span.expect("placed");
    assert_eq!(&text[s..e], "1e999");
}

#[test]
fn a_name_given_twice_is_invalid_at_the_second_and_neither_value_is_read() {
    let text = format!(r#"{{{BASE}, "land": {{"area": 20000, "area": 1}}}}"#);
    let t = typed(&text);
    let twice: Vec<&Finding> = t
        .findings
        .iter()
        .filter(|f| f.rule.is(Reserved::InputInvalid))
        .collect();
    assert_eq!(twice.len(), 1, "{:?}", t.findings);
    let (s, e) = twice[0].span.expect("placed");
    assert_eq!(s, text.rfind("\"area\"").expect("second"));
    assert_eq!(&text[s..e], "\"area\"");
    let rec = t.record.expect("record");
    assert!(rec.slots.iter().any(|s| matches!(s, Slot::Invalid(_))));
    assert!(!rec
        .slots
        .iter()
        .any(|s| matches!(s, Slot::Value(Value::Num(..)))));
}

#[test]
fn kind_given_twice_is_never_taken() {
    let t = typed(r#"{"kind": "project", "kind": "county", "id": "x"}"#);
    assert!(t.record.is_none());
    assert!(t.findings.iter().any(|f| f.rule.is(Reserved::InputRecord)));
}

#[test]
fn thousands_of_unknown_members_are_each_placed_at_their_name() {
    let mut text = format!("{{{BASE}");
    for i in 0..5000 {
        text.push_str(&format!(", \"extra{i}\": {i}"));
    }
    text.push('}');
    let t = typed(&text);
    let unknown = t
        .findings
        .iter()
        .filter(|f| f.rule.is(Reserved::InputUnknownField))
        .count();
    assert_eq!(unknown, 5000);
    assert!(t.findings.iter().all(|f| f.span.is_some()));
}

proptest::proptest! {
    /// The allocation-free pass over a few plain names and the general one
    /// agree with the plain definition: a member repeats a name given before.
    #[test]
    fn repeated_names_are_found_on_every_path(
        keys in proptest::collection::vec("[ab]{0,2}|a\\\\u0062|\\\\u0061", 0..24),
    ) {
        let body: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("\"{k}\": {i}")).collect();
        let text = format!("{{{}}}", body.join(", "));
        let mut nodes = Vec::new();
        crate::input::json::parse(&text, &mut nodes).expect("valid JSON");
        let doc = Doc { text: &text, nodes: &nodes };
        let root = doc.root().expect("root");
        let names: Vec<String> = doc.children(root).map(|m| m.key(doc.text).into_owned()).collect();
        let expected: Vec<bool> = (0..names.len()).map(|i| names[..i].contains(&names[i])).collect();
        let got = repeated_members(&doc, root);
        if got.is_empty() {
            proptest::prop_assert!(!expected.contains(&true));
        } else {
            proptest::prop_assert_eq!(got, expected);
        }
    }
}

/// Whatever the direct reader answers, the general path answers the same
/// (else a panic); whether the direct reader answered.
fn assert_agree(text: &str, hint: Option<&str>) -> bool {
    let cx = Settings {
        hint,
        date: None,
        lang: Lang::Zh,
        names: None,
        given_twice: &[],
    };
    assert_direct_agrees(&pack(), text, &cx)
}

/// A complete application as the generator and most forms write it.
const FULL: &str = r#"{"kind": "project", "id": "2018-371503-64-03-000000", "name": "聊城市某industrial项目0", "submitted": "2018-12-22", "category": "industrial", "construction": "expansion", "location": {"county": "聊城经济技术开发区", "town": "清平镇", "zone_level": "none", "urban_area": false, "chemical_park": false}, "industry": {"code": "C1029", "catalog_class": "encouraged", "two_highs_one_resource": false, "chemical": false, "hazardous_chemical": false}, "investment": {"total": 44903, "fixed_assets": 36480}, "land": {"area": 96, "floor_area": 51225, "footprint": 37778}, "tax": {"annual": 2400}, "approvals": {"energy_review": true}, "water": {"saving_facilities_simultaneous": true}, "waivers": []}"#;

#[test]
fn the_direct_reader_takes_the_usual_records_and_agrees_on_them() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/samples");
    let mut texts = vec![FULL.to_string()];
    for entry in std::fs::read_dir(samples).expect("samples") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl") => texts.extend(text.lines().map(str::to_string)),
            Some("json") if text.trim_start().starts_with('{') => texts.push(text),
            _ => {}
        }
    }
    let taken = texts.iter().filter(|t| assert_agree(t, None)).count();
    // Most samples are clean records (a few carry waivers or bad values on purpose).
    assert!(taken * 3 >= texts.len() * 2, "{taken} of {}", texts.len());
    assert!(
        assert_agree(FULL, None),
        "the usual record is read directly"
    );
    let kind_last = FULL.replacen(r#""kind": "project", "#, "", 1);
    assert!(
        assert_agree(&kind_last, Some("project")),
        "the hint gives the kind"
    );
    assert!(
        !assert_agree(&kind_last, None),
        "no kind: the general path says so"
    );
}

#[test]
fn anything_the_general_path_would_remark_on_is_left_to_it() {
    let edits: &[(&str, &str)] = &[
        (r#""town": "清平镇""#, r#""town": "清\u5E73镇""#),
        (
            r#""tax": {"annual": 2400}"#,
            r#""tax": {"annual": 2400, "annual": 1}"#,
        ),
        (r#""tax": {"annual": 2400}"#, r#""tax": {"anual": 2400}"#),
        (r#""tax": {"annual": 2400}"#, r#""tax": 2400"#),
        (r#""tax": {"annual": 2400}"#, r#""tax": {"annual": -1}"#),
        (r#""tax": {"annual": 2400}"#, r#""tax": {"annual": 1e999}"#),
        (r#""tax": {"annual": 2400}"#, r#""tax": {"annual": 01}"#),
        (
            r#""tax": {"annual": 2400}"#,
            r#""tax": {"annual": "2400 元/亩"}"#,
        ),
        (r#""tax": {"annual": 2400}"#, r#""tax": {"annual": [2400]}"#),
        (r#""urban_area": false"#, r#""urban_area": "no""#),
        (r#""waivers": []"#, r#""waivers": [{"rule": "x"}]"#),
        (r#""waivers": []"#, r#""waivers": {}"#),
        (r#""category": "industrial""#, r#""category": "industrail""#),
        (r#""id": "2018-371503-64-03-000000""#, r#""id": 7"#),
        (
            r#""kind": "project", "#,
            r#""kind": "project", "kind": "project", "#,
        ),
        (r#""kind": "project""#, r#""kind": null"#),
        (r#""kind": "project""#, r#""kind": "projects""#),
        (r#""waivers": []}"#, r#""waivers": [],}"#),
        (r#""waivers": []}"#, r#""waivers": []} x"#),
        (r#""waivers": []}"#, r#""waivers": []"#),
        (r#""submitted": "2018-12-22""#, r#""submitted": "someday""#),
        // A name's opening quote lost, the name still in place.
        (r#", "water": "#, r#", swater": "#),
    ];
    for (from, to) in edits {
        let text = FULL.replacen(from, to, 1);
        assert_ne!(text, FULL, "{from}");
        assert!(!assert_agree(&text, None), "read directly: {text}");
    }
    // What the direct reader may take besides: null, other spacing, quantities with units.
    for (from, to) in [
        (r#""tax": {"annual": 2400}"#, r#""tax": {"annual": null}"#),
        (
            r#""tax": {"annual": 2400}"#,
            r#""tax":{ "annual" :2400.50 }"#,
        ),
        (
            r#""tax": {"annual": 2400}"#,
            r#""tax": {"annual": "2400 万元"}"#,
        ),
        (r#""land": {"#, r#""land": {"area": 5, "#),
    ] {
        let text = FULL.replacen(from, to, 1);
        let agreed = assert_agree(&text, None);
        // A member given twice (the last edit) must go the general way.
        assert_eq!(agreed, !to.contains("\"area\": 5"), "{text}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    /// Any edit of a record: whatever the direct reader answers, the general
    /// path answers the same.
    #[test]
    fn the_direct_reader_never_answers_otherwise_than_the_general_path(
        edits in proptest::collection::vec(
            (0usize..2000, 0usize..6, proptest::sample::select(vec![
                "", "\"", "\\", ",", ":", "{", "}", "[", "]", " ", "null", "1", "-", ".", "e",
                "0", "\"kind\": \"county\", ", "\"x\": 1, ", "\u{1}", "true", "\"a\"",
            ])),
            1..4,
        ),
    ) {
        let mut text = FULL.to_string();
        for (at, cut, insert) in edits {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, insert);
        }
        assert_agree(&text, None);
        assert_agree(&text, Some("project"));
    }
}
