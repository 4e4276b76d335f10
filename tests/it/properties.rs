//! Property tests: parsers never panic, numbers round-trip exactly.

use plancheck::input::{locate, Format};
use plancheck::model::Options;
use plancheck::run::check_text;
use plancheck::source::SourceId;
use plancheck::units::Number;
use proptest::prelude::*;
use std::sync::OnceLock;

fn pack() -> &'static plancheck::pack::Pack {
    static PACK: OnceLock<plancheck::pack::Pack> = OnceLock::new();
    PACK.get_or_init(|| plancheck::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors)))
}

fn rule_like() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "rule ",
        "land.x ",
        "{",
        "}",
        "title ",
        "zh ",
        "en ",
        "\"t\" ",
        "force ",
        "binding ",
        "subject ",
        "project ",
        "require ",
        "when ",
        "land.area ",
        ">= ",
        "15 ",
        "亩 ",
        "and ",
        "or ",
        "not ",
        "(",
        ")",
        "[",
        "]",
        "message ",
        "\"{actual}\" ",
        "\"{",
        "example ",
        "pass ",
        "let ",
        "= ",
        "for ",
        "table ",
        "by ",
        ": ",
        "cite ",
        "in ",
        "if ",
        "then ",
        "else ",
        "\n",
        "#c\n",
        "万元/亩 ",
        "present(",
        ", ",
    ]);
    prop::collection::vec(tokens, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn the_rule_parser_never_panics(text in "\\PC{0,200}") {
        let _ = plancheck::syntax::parse_file(SourceId(0), &text);
    }

    #[test]
    fn rule_shaped_text_never_panics_parse_or_check(text in rule_like()) {
        let _ = plancheck::load::load_texts(vec![("r.rules".into(), text)], |_| Err(plancheck::i18n::both(|_| "none".to_string())));
    }

    #[test]
    fn decimals_round_trip_exactly(int in 0u64..1_000_000_000, frac in 0u32..10_000) {
        let text = format!("{int}.{frac:04}");
        let n = Number::parse(&text).unwrap();
        // What was written comes back, trailing zeros dropped.
        let written = format!("{int}.{frac:04}");
        let expected = written.trim_end_matches('0').trim_end_matches('.');
        prop_assert_eq!(n.format(4), expected);
        prop_assert!(n.fits_decimals(4));
        prop_assert_eq!(n.fits_decimals(3), frac % 10 == 0);
    }

    #[test]
    fn locating_never_panics(text in "[\\[\\]{}\":,a-z0-9 \\\\]{0,80}", pointer in "(/[a-z0-9]{0,3}){0,4}") {
        let _ = locate(&text, 0, &pointer);
    }

    #[test]
    fn any_submission_text_is_checked_without_panic(text in "\\PC{0,300}") {
        let _ = check_text(pack(), "x.json", text.as_str().into(), Format::Json, &Options::default());
        let _ = check_text(pack(), "x.jsonl", text.as_str().into(), Format::Jsonl, &Options::default());
        let _ = check_text(pack(), "x.csv", text.as_str().into(), Format::Csv, &Options::default());
    }

    #[test]
    fn any_json_record_is_checked_without_panic(
        land in prop::option::of(prop_oneof![Just(serde_json::json!(30)), Just(serde_json::json!("2 公顷")), Just(serde_json::json!(-1)), Just(serde_json::json!("x")), Just(serde_json::json!({"a": 1})), Just(serde_json::json!(null))]),
        kind in prop_oneof![Just("project"), Just("county"), Just("other")],
        year in prop_oneof![Just(serde_json::json!(2018)), Just(serde_json::json!("2018")), Just(serde_json::json!(1.5))],
    ) {
        let record = serde_json::json!({"kind": kind, "id": "p", "submitted": "2018-01-01", "county": "临清市", "year": year,
            "category": "industrial", "construction": "new", "land": {"area": land, "floor_area": 100},
            "indicators": {"pm25": land}, "waivers": [{"rule": "land.min-scale"}, 3]});
        let _ = check_text(pack(), "x.json", record.to_string().into(), Format::Json, &Options::default());
    }
}
