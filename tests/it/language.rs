//! Constructs of the rule language that are said another way: each must
//! mean exactly what its longer form means, on every record.

use plancheck::input::Format;
use plancheck::model::Options;
use std::sync::Arc;

const PACK: &str = r#"
pack "t" {
  title zh "测试" en "test"
  period 2016-01-01 to 2020-12-31
  source "doc.txt"
}
enum Color { red green blue }
record item {
  dated by day
  id    : text required
  day   : date
  color : Color
  big   : bool
  n     : number
}
"#;

/// A pack of `PACK` and one rule `a.b` of `item` with `body`.
fn pack(body: &str) -> plancheck::pack::Pack {
    let rule = format!(
        "rule a.b {{\n  title zh \"x\" en \"x\"\n  force prohibition\n  subject item\n  cite \"s\" \"the plan says\"\n{body}\n}}\n"
    );
    let files = vec![("t.rules".to_string(), format!("{PACK}{rule}"))];
    match plancheck::load::load_texts(files, |_| Ok(Arc::from("the plan says so"))) {
        Ok(p) => p,
        Err(e) => panic!(
            "{:?}",
            e.errors
                .iter()
                .map(|d| d.message.en.clone())
                .collect::<Vec<_>>()
        ),
    }
}

/// Every combination of the fields, present or absent.
fn records() -> Vec<String> {
    let mut out = Vec::new();
    for color in [
        None,
        Some("red"),
        Some("green"),
        Some("blue"),
        Some("purple"),
    ] {
        for big in [None, Some(true), Some(false)] {
            for n in [None, Some(1), Some(5)] {
                let mut fields =
                    vec![r#""kind": "item", "id": "x", "day": "2018-01-01""#.to_string()];
                if let Some(c) = color {
                    fields.push(format!(r#""color": "{c}""#));
                }
                if let Some(b) = big {
                    fields.push(format!(r#""big": {b}"#));
                }
                if let Some(n) = n {
                    fields.push(format!(r#""n": {n}"#));
                }
                out.push(format!("{{{}}}", fields.join(", ")));
            }
        }
    }
    out
}

/// What `pack` decides on every record: the JSON report.
fn decisions(pack: &plancheck::pack::Pack) -> Vec<String> {
    records()
        .into_iter()
        .map(|r| {
            let reports = plancheck::run::check_text(
                pack,
                "r.json",
                Arc::from(r.as_str()),
                Format::Json,
                &Options::default(),
            );
            reports
                .iter()
                .map(|x| {
                    let outcomes: Vec<String> = x
                        .findings
                        .iter()
                        .map(|f| format!("{:?} {}", f.finding.outcome, f.finding.message))
                        .collect();
                    format!("{r}: {:?} {outcomes:?}", x.status)
                })
                .collect()
        })
        .collect()
}

#[test]
fn forbid_when_is_when_with_require_false() {
    let msg = "message zh \"禁止：{color}\" en \"forbidden: {color}\"";
    for (short, long) in [
        (
            format!("  forbid when big at big {msg}"),
            format!("  when big\n  require false at big {msg}"),
        ),
        (
            format!("  when n > 2\n  forbid when color in [\"red\", \"blue\"] and big at color\n    {msg}"),
            format!("  when n > 2 and (color in [\"red\", \"blue\"] and big)\n  require false at color {msg}"),
        ),
        (
            // `when` after `forbid`: the same rule.
            format!("  forbid when big {msg}\n  when n > 2"),
            format!("  when n > 2 and big\n  require false {msg}"),
        ),
    ] {
        let a = decisions(&pack(&short));
        let b = decisions(&pack(&long));
        assert_eq!(a, b, "{short}");
        assert!(a.iter().any(|d| d.contains("Violated")), "{short}");
    }
}

#[test]
fn not_in_is_not_of_in() {
    let msg = "message zh \"颜色：{color}\" en \"colour: {color}\"";
    for (short, long) in [
        (
            format!("  require color not in [\"red\", \"blue\"] at color {msg}"),
            format!("  require not (color in [\"red\", \"blue\"]) at color {msg}"),
        ),
        (
            format!("  require n > 2 and color not  in [\"red\"] or big {msg}"),
            format!("  require n > 2 and not (color in [\"red\"]) or big {msg}"),
        ),
    ] {
        let a = decisions(&pack(&short));
        let b = decisions(&pack(&long));
        assert_eq!(a, b, "{short}");
        assert!(a.iter().any(|d| d.contains("Violated")), "{short}");
        assert!(a.iter().any(|d| d.contains("Pass")), "{short}");
    }
}

#[test]
fn forbid_and_not_remain_usable_as_names_where_they_are_not_keywords() {
    // `forbid` is a keyword only at the start of a rule entry.
    let files = vec![(
        "t.rules".to_string(),
        PACK.replace("  n     : number\n", "  n     : number\n  forbid : bool\n")
            + "rule a.b {\n  title zh \"x\" en \"x\"\n  force prohibition\n  subject item\n  cite \"s\" \"the plan says\"\n  forbid when forbid at forbid message zh \"x\" en \"x\"\n}\n",
    )];
    let pack = plancheck::load::load_texts(files, |_| Ok(Arc::from("the plan says so")));
    assert!(
        pack.is_ok(),
        "{:?}",
        pack.err().map(|e| e
            .errors
            .iter()
            .map(|d| d.message.en.clone())
            .collect::<Vec<_>>())
    );
}

/// The rule files of the default pack.
fn pack_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(super::root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rules"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_default_pack_is_formatted() {
    let run = super::plancheck(&["rules", "fmt", "--check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    for (name, text) in pack_files() {
        assert_eq!(plancheck::syntax::format::format(&text), text, "{name}");
    }
}

#[test]
fn formatting_is_idempotent_and_keeps_the_tree_on_any_layout() {
    use plancheck::syntax::format::{format, format_checked};
    for (name, text) in pack_files() {
        // Every line's indentation and trailing space disturbed.
        let messy: String = text
            .lines()
            .enumerate()
            .map(|(i, l)| {
                let pad = [" ", "", "\t", "     "][i % 4];
                format!(
                    "{pad}{}{}\n",
                    l.trim_start(),
                    if i % 3 == 0 { "  " } else { "" }
                )
            })
            .collect();
        let once = format_checked(&messy).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(
            format(&once),
            once,
            "{name}: formatting twice changes nothing"
        );
        // Where nothing was aligned by hand, one layout whatever the input.
        let canonical = format_checked(&text).unwrap();
        let plain = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| {
                    l.trim_start()
                        .starts_with(['}', 'r', 't', 'f', 's', 'c', 'w', 'e', 'p'])
                })
                .filter(|l| l.len() - l.trim_start().len() <= 2)
                .map(str::to_string)
                .collect()
        };
        assert_eq!(
            plain(&once),
            plain(&canonical),
            "{name}: entries and braces in one layout"
        );
    }
}

#[test]
fn a_comment_after_every_line_survives_formatting() {
    use plancheck::syntax::format::format_checked;
    for (name, text) in pack_files() {
        let mut in_string = false;
        let mut probes = 0;
        let commented: String = text
            .lines()
            .map(|l| {
                // A line that ends inside a string cannot take a comment.
                let quotes = l.chars().filter(|c| *c == '"').count() - l.matches("\\\"").count();
                let ends_in_string = in_string ^ (quotes % 2 == 1);
                let out = if in_string || ends_in_string || l.contains('#') || l.trim().is_empty() {
                    format!("{l}\n")
                } else {
                    probes += 1;
                    format!("{l} # probe {probes}\n")
                };
                in_string = ends_in_string;
                out
            })
            .collect();
        let formatted = format_checked(&commented).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        for p in 1..=probes {
            assert!(
                formatted.contains(&format!("# probe {p}\n")),
                "{name}: probe {p}"
            );
        }
        // And each comment stays on the line of the code it followed.
        let code = |s: &str| -> Vec<String> {
            s.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect()
        };
        for (a, b) in code(&commented).iter().zip(code(&formatted).iter()) {
            assert_eq!(a.split(" # probe").nth(1), b.split(" # probe").nth(1));
        }
    }
}

#[test]
fn entry_words_may_name_fields() {
    // `title`, `period`, `source`, `default` and `path` are keywords only
    // where they begin an entry; as fields they read like any other.
    let files = vec![(
        "t.rules".to_string(),
        PACK.replace(
            "  n     : number\n",
            "  n     : number\n  title : text\n  period : number default 3\n  source : Color\n  default : bool\n  path : number\n",
        ) + "rule a.b {\n  title zh \"x\" en \"x\"\n  force binding\n  subject item\n  cite \"s\" \"the plan says\"\n  when default and source in [\"red\"] and present(title)\n  require path + period >= 5\n    message zh \"{path}\" en \"{path}\"\n  example violated {\"default\": true, \"source\": \"red\", \"title\": \"t\", \"path\": 1}\n  example pass {\"default\": true, \"source\": \"red\", \"title\": \"t\", \"path\": 2}\n  example not_applicable {\"default\": false, \"source\": \"red\", \"title\": \"t\", \"path\": 1}\n}\n",
    )];
    let pack = plancheck::load::load_texts(files, |_| Ok(Arc::from("the plan says so")))
        .unwrap_or_else(|e| {
            panic!(
                "{:?}",
                e.errors
                    .iter()
                    .map(|d| d.message.en.clone())
                    .collect::<Vec<_>>()
            )
        });
    let results = plancheck::run::run_examples(&pack, plancheck::i18n::Lang::En);
    assert_eq!(results.len(), 3);
    for r in &results {
        assert_eq!(Some(r.expected), r.got, "{r:?}");
    }
    let text = r#"{"kind": "item", "id": "x", "day": "2018-01-01", "default": true, "source": "red", "title": "t", "path": 1}"#;
    let reports = plancheck::run::check_text(
        &pack,
        "r.json",
        Arc::from(text),
        Format::Json,
        &Options::default(),
    );
    assert_eq!(
        reports[0].findings[0].finding.outcome,
        plancheck::model::Outcome::Violated
    );
}

/// A pack of `PACK` with templates and rules (each given whole).
fn pack_with(extra: &str) -> Result<plancheck::pack::Pack, Vec<(String, String)>> {
    let files = vec![("t.rules".to_string(), format!("{PACK}{extra}"))];
    plancheck::load::load_texts(files, |_| Ok(Arc::from("the plan says so"))).map_err(|e| {
        e.errors
            .iter()
            .map(|d| (d.code.to_string(), d.message.en.clone()))
            .collect()
    })
}

/// A rule `id` with a title and `body`.
fn rule(id: &str, body: &str) -> String {
    format!("rule {id} {{\n  title zh \"数量\" en \"count\"\n  force binding\n  subject item\n  cite \"s\" \"the plan says\"\n{body}\n}}\n")
}

const TEMPLATE: &str = r#"
template at_least(field, floor, also) {
  # a comment inside a template says nothing
  when $also
  let twice = $field * 2
  require $field >= $floor
    message zh "{$title}：{actual}，低于 {limit}（两倍 {twice}）"
            en "{$title}: {actual} is below {limit} (twice {twice})"
}
"#;

#[test]
fn a_template_means_what_its_entries_say_written_out() {
    let used = pack_with(&format!(
        "{TEMPLATE}{}",
        rule(
            "a.b",
            "  when color != \"red\"\n  use at_least(n, 3, big or color == \"blue\")"
        )
    ))
    .unwrap();
    let written = pack_with(&rule(
        "a.b",
        "  when color != \"red\" and (big or color == \"blue\")\n  let twice = n * 2\n  require n >= 3\n    message zh \"数量：{actual}，低于 {limit}（两倍 {twice}）\"\n            en \"count: {actual} is below {limit} (twice {twice})\"",
    ))
    .unwrap();
    let (a, b) = (decisions(&used), decisions(&written));
    assert_eq!(a, b);
    assert!(a.iter().any(|d| d.contains("Violated")), "{a:?}");
    assert!(a.iter().any(|d| d.contains("Pass")), "{a:?}");
    assert!(
        a.iter()
            .any(|d| d.contains("count: 1 is below 3 (twice 2)")),
        "{a:?}"
    );
    // `rules explain` quotes the rule as it reads, not as the template is written.
    for lang in [plancheck::i18n::Lang::Zh, plancheck::i18n::Lang::En] {
        let explain = |p: &plancheck::pack::Pack| {
            plancheck::report::explain_text(p, p.rule("a.b").unwrap(), lang)
        };
        let (e_used, e_written) = (explain(&used), explain(&written));
        for line in [
            "color != \"red\" and (big or color == \"blue\")",
            "let twice = n * 2",
            "n >= 3",
        ] {
            assert!(e_used.contains(line), "{line} not in\n{e_used}");
        }
        assert!(!e_used.contains('$'), "{e_used}");
        // The whole explanation reads the same either way.
        assert_eq!(e_used, e_written);
    }
}

#[test]
fn an_argument_of_several_parts_is_grouped_where_it_is_quoted() {
    let template =
        "template twice(x) {\n  let t = $x * 2\n  require $x >= 1 message zh \"x\" en \"x\"\n}\n";
    let pack = pack_with(&format!("{template}{}", rule("a.b", "  use twice(n + 1)"))).unwrap();
    let text = plancheck::report::explain_text(
        &pack,
        pack.rule("a.b").unwrap(),
        plancheck::i18n::Lang::En,
    );
    assert!(text.contains("let t = (n + 1) * 2"), "{text}");
    // Grouped even where precedence would not need it: never misread.
    assert!(text.contains("requires: (n + 1) >= 1"), "{text}");
}

#[test]
fn a_parameter_may_be_a_segment_of_a_path_or_the_kind_of_a_path() {
    let pack_text = PACK.replace(
        "  n     : number\n",
        "  n     : number\n  m.a   : number\n  m.b   : number\n",
    );
    let files = |rules: &str| vec![("t.rules".to_string(), format!("{pack_text}{rules}"))];
    let load = |rules: &str| {
        plancheck::load::load_texts(files(rules), |_| Ok(Arc::from("the plan says so")))
    };
    let template = r#"
template floor(key, target, curve) {
  require m.$key >= $target
    by 2020 path $curve from 0 since 2016
    message zh "{m.$key} 低于 {limit}" en "{m.$key} is below {limit}"
}
"#;
    let used = load(&format!(
        "{template}{}",
        rule("a.b", "  use floor(b, 4, linear)")
    ))
    .unwrap();
    let written = load(&rule(
        "a.b",
        "  require m.b >= 4\n    by 2020 path linear from 0 since 2016\n    message zh \"{m.b} 低于 {limit}\" en \"{m.b} is below {limit}\"",
    ))
    .unwrap();
    let record = |v: &str| {
        let text = format!(
            r#"{{"kind": "item", "id": "x", "day": "2018-06-01", "m": {{"a": 9, "b": {v}}}}}"#
        );
        [&used, &written].map(|p| {
            let r = plancheck::run::check_text(
                p,
                "r.json",
                Arc::from(text.as_str()),
                Format::Json,
                &Options::default(),
            );
            format!(
                "{:?}",
                r.iter()
                    .map(|x| (
                        x.status,
                        x.findings
                            .iter()
                            .map(|f| f.finding.message.clone())
                            .collect::<Vec<_>>()
                    ))
                    .collect::<Vec<_>>()
            )
        })
    };
    for v in ["0.5", "1.6", "3", "4"] {
        let [a, b] = record(v);
        assert_eq!(a, b, "m.b = {v}");
    }
    assert!(
        record("0.5")[0].contains("0.5 is below"),
        "{:?}",
        record("0.5")
    );
}

#[test]
fn template_mistakes_are_pack_errors_with_help() {
    let cases: [(&str, &str, &str); 9] = [
        (
            "",
            "  use at_least(n, 3, true)\n  use at_least(n, 4, true)",
            "template `at_least` is declared twice",
        ),
        (
            "template nothing(x) {\n  when $x\n}\n",
            "  use nothing(big)",
            "rule `a.b` has no `require`",
        ),
        (
            "template nested(x) {\n  require $x > 1 message zh \"{abs($title)}\" en \"x\"\n}\n",
            "  use nested(n)",
            "unknown template parameter `$title`",
        ),
        (
            "",
            "  use at_least($n, 3, true)",
            "unknown template parameter `$n`",
        ),
        (
            "",
            "  use at_lest(n, 3, true)",
            "unknown template `at_lest`",
        ),
        (
            "",
            "  use at_least(n, 3)",
            "`at_least` expects 3 argument(s), found 2",
        ),
        (
            "template bad(x) {\n  require $y > 1 message zh \"x\" en \"x\"\n}\n",
            "  use at_least(n, 3, true)",
            "unknown template parameter `$y`",
        ),
        (
            "",
            "  require $n > 1 message zh \"x\" en \"x\"",
            "unknown template parameter `$n`",
        ),
        (
            "template seg(k) {\n  require m.$k > 1 message zh \"x\" en \"x\"\n}\n",
            "  use seg(n + 1)",
            "template parameter `$k`",
        ),
    ];
    for (templates, body, expected) in cases {
        let errors = pack_with(&format!("{TEMPLATE}{templates}{}", rule("a.b", body)))
            .err()
            .unwrap_or_else(|| panic!("{body} loaded"));
        assert!(
            errors.iter().any(|(_, m)| m.contains(expected)),
            "{body}: {errors:?}"
        );
    }
}

#[test]
fn a_pack_declares_its_units_and_the_language_knows_bases_and_multipliers() {
    let pack_text = PACK.replace("  n     : number\n", "  n     : number\n  area  : 亩\n");
    let load = |units: &str, body: &str| {
        let files = vec![(
            "t.rules".to_string(),
            format!("{pack_text}{units}{}", rule("a.b", body)),
        )];
        plancheck::load::load_texts(files, |_| Ok(Arc::from("the plan says so"))).map_err(|e| {
            e.errors
                .iter()
                .map(|d| {
                    (
                        d.code.to_string(),
                        d.message.en.clone(),
                        d.help.as_ref().map(|h| h.en.clone()),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let msg = "message zh \"{actual} < {limit}\" en \"{actual} is below {limit}\"";
    // Declared below its first use: declarations are read before the schema.
    let pack = load(
        "unit 亩 = 10000/15 m²\nunit 公顷 = 15 亩\n",
        &format!("  require area >= 1 公顷 {msg}"),
    )
    .unwrap();
    let check = |area: &str| {
        let text = format!(r#"{{"kind": "item", "id": "x", "day": "2018-01-01", "area": {area}}}"#);
        let r = plancheck::run::check_text(
            &pack,
            "r.json",
            Arc::from(text.as_str()),
            Format::Json,
            &Options::default(),
        );
        format!(
            "{:?} {:?}",
            r[0].status,
            r[0].findings
                .iter()
                .map(|f| f.finding.message.clone())
                .collect::<Vec<_>>()
        )
    };
    assert!(check("15").starts_with("Pass"), "{}", check("15"));
    // A submission may write any unit the pack knows, with a multiplier.
    assert!(
        check("\"10000 m²\"").starts_with("Pass"),
        "{}",
        check("\"10000 m²\"")
    );
    assert!(check("\"0.0001万公顷\"").starts_with("Pass"));
    assert!(
        check("\"14 亩\"").contains("0.93 公顷 is below 1 公顷"),
        "{}",
        check("\"14 亩\"")
    );

    // Without the declaration, 亩 is unknown (the language does not know it).
    let errors = load("", &format!("  require area >= 1 m² {msg}")).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|(c, m, _)| c == "T101" && m.contains("`亩`")),
        "{errors:?}"
    );
    // The mistakes a declaration can make.
    for (units, code, says) in [
        (
            "unit 亩 = 10000/15 m²\nunit 亩 = 666 m²\n",
            "T104",
            "unit `亩` is declared twice",
        ),
        (
            "unit 亩 = 10000/15 m²\nunit m² = 1 m²\n",
            "T104",
            "unit `m²` is declared twice",
        ),
        (
            "unit 亩 = 10000/15 m²\nunit x = 3 furlong\n",
            "U202",
            "unknown unit `furlong`",
        ),
        (
            "unit 亩 = 0 m²\n",
            "U203",
            "unit `亩` cannot be declared: its factor must be above 0",
        ),
        (
            "unit 亩 = 10000/0 m²\n",
            "U203",
            "unit `亩` cannot be declared: its factor must be above 0",
        ),
        (
            "unit 亩 = 10000/15 m²\nunit 万元 = 1 元\n",
            "T104",
            "unit `万元` is declared twice",
        ),
    ] {
        let errors = load(units, &format!("  require n >= 1 {msg}")).unwrap_err();
        assert!(
            errors.iter().any(|(c, m, _)| c == code && m.contains(says)),
            "{units}: {errors:?}"
        );
    }
    // A misspelt base unit gets a suggestion from the units known.
    let errors = load("unit 亩 = 10000/15 m2\n", "").unwrap_err();
    assert!(
        errors
            .iter()
            .any(|(_, _, h)| h.as_deref() == Some("did you mean `m²`?")),
        "{errors:?}"
    );
}

#[test]
fn an_error_inside_a_template_names_the_rule_and_its_use() {
    let files = vec![(
        "t.rules".to_string(),
        format!(
            "{PACK}{TEMPLATE}{}",
            rule("a.b", "  use at_least(n, 3 万元, true)")
        ),
    )];
    let errors = plancheck::load::load_texts(files, |_| Ok(Arc::from("the plan says so")))
        .expect_err("a number compared with money");
    let e = errors
        .errors
        .iter()
        .find(|e| e.code == "U201")
        .expect("U201");
    let help = e.help.as_ref().expect("help").en.clone();
    assert!(
        help.contains("in rule `a.b`, from its `use at_least(n, 3 万元, true)`"),
        "{help}"
    );
}
