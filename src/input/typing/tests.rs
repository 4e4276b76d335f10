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
