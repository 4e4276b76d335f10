//! One test per kind of static error: the code, and the exact text its span
//! covers in the rule file.

use super::{check_pack, CheckErrorKind, Thing};
use crate::source::SourceMap;
use crate::syntax::parse_file;
use std::sync::Arc;

const DOC: &str = "the plan says one thing\nand another";

const BASE: &str = r#"
pack "t" {
  title zh "测试" en "test"
  period 2016-01-01 to 2020-12-31
  source "doc.txt"
}
unit 亩 = 10000/15 m²
enum Color { red green }
group Pair { a : number  b : number }
record item {
  dated by day
  id    : text required
  day   : date
  color : Color
  area  : 亩
  money : 万元
  n     : number
  pair  : Pair
}
"#;

/// A rule of `item` with the given `when`/`require` lines.
fn rule(body: &str) -> String {
    format!(
        "rule a.b {{\n  title zh \"x\" en \"x\"\n  force binding\n  subject item\n  cite \"s\" \"the plan says\"\n{body}\n}}\n"
    )
}

/// Every error of `BASE` + `extra`, as (code, kind, text under the span).
fn errors(extra: &str) -> Vec<(&'static str, CheckErrorKind, String)> {
    let text = format!("{BASE}{extra}");
    let mut sources = SourceMap::default();
    let id = sources.add("t.rules", text.as_str());
    let file = match parse_file(id, &text) {
        Ok(f) => f,
        Err(e) => panic!("the test pack does not parse: {e:?}"),
    };
    let doc = Some(("doc.txt".to_string(), Ok(Arc::from(DOC))));
    match check_pack(&[file], sources, doc) {
        Ok(_) => Vec::new(),
        Err(errs) => errs
            .into_iter()
            .map(|e| {
                let covered = text.get(e.at.start..e.at.end).unwrap_or("").to_string();
                (e.code(), e.kind, covered)
            })
            .collect(),
    }
}

/// The one error of `extra`: its code and covered text.
fn one(extra: &str) -> (&'static str, CheckErrorKind, String) {
    let mut all = errors(extra);
    assert_eq!(all.len(), 1, "expected one error, got {all:#?}");
    all.remove(0)
}

#[test]
fn a_correct_pack_has_no_error() {
    assert!(errors(&rule("  require n >= 1\n    message zh \"m\" en \"m\"")).is_empty());
}

#[test]
fn unknown_field() {
    let (code, kind, at) = one(&rule("  require nn >= 1\n    message zh \"m\" en \"m\""));
    assert_eq!(code, "T101");
    assert!(matches!(
        kind,
        CheckErrorKind::Unknown {
            what: Thing::FieldOrValue,
            ..
        }
    ));
    assert_eq!(at, "nn");
}

#[test]
fn value_not_in_enumeration() {
    let (code, kind, at) = one(&rule(
        "  when color == \"blue\"\n  require n >= 1\n    message zh \"m\" en \"m\"",
    ));
    assert_eq!(code, "T102");
    assert!(matches!(kind, CheckErrorKind::NotInEnum { .. }));
    assert_eq!(at, "\"blue\"");
}

#[test]
fn type_mismatch() {
    let (code, kind, at) = one(&rule("  require n and true\n    message zh \"m\" en \"m\""));
    assert_eq!(code, "T103");
    assert!(matches!(kind, CheckErrorKind::TypeMismatch { .. }));
    assert_eq!(at, "n");
}

#[test]
fn wrong_arity() {
    let (code, kind, at) = one(&rule(
        "  require abs(n, n) >= 1\n    message zh \"m\" en \"m\"",
    ));
    assert_eq!(code, "T103");
    assert_eq!(
        kind,
        CheckErrorKind::WrongArity {
            function: "abs".into(),
            expected: 1,
            found: 2
        }
    );
    assert_eq!(at, "abs(n, n)");
}

#[test]
fn group_nesting() {
    let (code, kind, at) = one("record other { dated by day  day : date  xs : list of Pair }\n");
    assert_eq!(code, "T103");
    assert_eq!(kind, CheckErrorKind::GroupNesting { field: "xs".into() });
    assert_eq!(at, "Pair");
}

#[test]
fn duplicate_rule() {
    let r = rule("  require n >= 1\n    message zh \"m\" en \"m\"");
    let (code, kind, at) = one(&format!("{r}{r}"));
    assert_eq!(code, "T104");
    assert!(matches!(
        kind,
        CheckErrorKind::Duplicate {
            what: Thing::Rule,
            ..
        }
    ));
    assert_eq!(at, "a.b");
}

#[test]
fn missing_part() {
    let (code, kind, at) = one("rule a.c {\n  title zh \"x\" en \"x\"\n  subject item\n  cite \"s\" \"the plan says\"\n  require n >= 1 message zh \"m\" en \"m\"\n}\n");
    assert_eq!(code, "T105");
    assert!(matches!(
        kind,
        CheckErrorKind::MissingPart {
            what: Thing::Rule,
            ..
        }
    ));
    assert_eq!(at, "a.c");
}

#[test]
fn second_pack_header() {
    let (code, kind, at) =
        one("pack \"u\" { period 2016-01-01 to 2020-12-31 source \"doc.txt\" }\n");
    assert_eq!(code, "T104");
    assert!(matches!(
        kind,
        CheckErrorKind::Duplicate {
            what: Thing::PackHeader,
            ..
        }
    ));
    assert_eq!(at, "\"u\"");
}

#[test]
fn table_entry_not_constant() {
    let (code, kind, at) = one("table t by Color { red: n }\n");
    assert_eq!(code, "T107");
    assert!(matches!(kind, CheckErrorKind::NotConstant { .. }));
    assert_eq!(at, "n");
}

#[test]
fn bad_example() {
    let (code, kind, at) = one(&rule(
        "  require n >= 1\n    message zh \"m\" en \"m\"\n  example passes {\"n\": 1}",
    ));
    assert_eq!(code, "T101");
    assert!(matches!(
        kind,
        CheckErrorKind::Unknown {
            what: Thing::Outcome,
            ..
        }
    ));
    assert_eq!(at, "passes");
}

#[test]
fn cycle() {
    let errs = errors("let x for item = y + 1\nlet y for item = x + 1\n");
    assert!(!errs.is_empty());
    assert!(errs.iter().all(|(code, _, _)| *code == "T109"));
    assert!(errs.iter().any(|(_, _, at)| at == "x" || at == "y"));
}

#[test]
fn ends_before_start() {
    let (code, _, at) = one(&rule(
        "  in force from 2019-01-01 until 2018-06-30\n  require n > 0 message zh \"m\" en \"m\"",
    ));
    assert_eq!(code, "T111");
    assert_eq!(at, "2019-01-01 until 2018-06-30");
}

#[test]
fn outside_period() {
    let (code, kind, at) = one(&rule(
        "  in force until 2015-12-31\n  require n > 0 message zh \"m\" en \"m\"",
    ));
    assert_eq!(code, "T112");
    assert!(matches!(kind, CheckErrorKind::OutsidePeriod { .. }));
    assert_eq!(at, "2015-12-31");
    let (code, _, _) = one(&rule(
        "  in force from 2021-01-01\n  require n > 0 message zh \"m\" en \"m\"",
    ));
    assert_eq!(code, "T112");
}

#[test]
fn period_ends_before_it_starts() {
    let text = BASE.replace(
        "period 2016-01-01 to 2020-12-31",
        "period 2020-12-31 to 2016-01-01",
    );
    let mut sources = SourceMap::default();
    let id = sources.add("t.rules", text.as_str());
    let file = parse_file(id, &text).unwrap_or_else(|e| panic!("{e:?}"));
    let doc = Some(("doc.txt".to_string(), Ok(Arc::from(DOC))));
    let errs = match check_pack(&[file], sources, doc) {
        Ok(_) => panic!("a reversed period is an error"),
        Err(e) => e,
    };
    assert!(errs.iter().any(|e| e.code() == "T111"), "{errs:?}");
}

#[test]
fn chain_too_long() {
    let chain: String = (0..30)
        .map(|i| {
            let base = if i == 0 {
                "1".to_string()
            } else {
                format!("v{}", i - 1)
            };
            format!("let v{i} for item = {base} + 1\n")
        })
        .collect();
    let errs = errors(&chain);
    assert!(!errs.is_empty());
    assert!(errs.iter().all(|(code, _, _)| *code == "T110"), "{errs:?}");
    // Declared in any order, a chain is measured the same.
    let reversed: String = chain.lines().rev().map(|l| format!("{l}\n")).collect();
    assert!(errors(&reversed).iter().any(|(code, _, _)| *code == "T110"));
}

#[test]
fn dimension_mismatch() {
    let (code, kind, at) = one(&rule(
        "  require area >= 5000 万元\n    message zh \"m\" en \"m\"",
    ));
    assert_eq!(code, "U201");
    assert!(matches!(kind, CheckErrorKind::DimensionMismatch { .. }));
    assert_eq!(at, "area >= 5000 万元");
}

#[test]
fn unknown_unit() {
    let (code, kind, at) = one(&rule(
        "  require area >= 15 muu\n    message zh \"m\" en \"m\"",
    ));
    assert_eq!(code, "U202");
    assert_eq!(kind, CheckErrorKind::UnknownUnit { unit: "muu".into() });
    assert_eq!(at, "muu");
}

#[test]
fn no_citation() {
    let (code, kind, at) = one("rule a.d {\n  title zh \"x\" en \"x\"\n  force binding\n  subject item\n  require n >= 1 message zh \"m\" en \"m\"\n}\n");
    assert_eq!(code, "C301");
    assert!(matches!(kind, CheckErrorKind::NoCitation { .. }));
    assert_eq!(at, "a.d");
}

#[test]
fn quote_not_found() {
    let (code, kind, at) = one("rule a.e {\n  title zh \"x\" en \"x\"\n  force binding\n  subject item\n  cite \"s\" \"the plan said\"\n  require n >= 1 message zh \"m\" en \"m\"\n}\n");
    assert_eq!(code, "C302");
    assert!(matches!(kind, CheckErrorKind::QuoteNotFound { .. }));
    assert_eq!(at, "\"the plan said\"");
}

#[test]
fn source_unreadable() {
    let mut sources = SourceMap::default();
    let id = sources.add("t.rules", BASE);
    let file = match parse_file(id, BASE) {
        Ok(f) => f,
        Err(e) => panic!("{e:?}"),
    };
    let doc = Some((
        "doc.txt".to_string(),
        Err(crate::i18n::both(|_| "no such file".to_string())),
    ));
    let errs = check_pack(&[file], sources, doc).err().unwrap_or_default();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].code(), "C303");
    assert_eq!(
        BASE.get(errs[0].at.start..errs[0].at.end),
        Some("\"doc.txt\"")
    );
}
