//! `plancheck rules list|explain|lint|test`

use super::{load_pack, print_pack_errors, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::diagnostics::did_you_mean_help;
use crate::eval::{evaluate, Options, Outcome};
use crate::input::type_record;
use crate::pack::{Lang, Pack, RuleDef};
use std::path::Path;

/// `rules list`: one line per rule.
pub fn list(pack: &Pack, lang: Lang) -> u8 {
    let width = pack.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &pack.rules {
        let subject = pack
            .records
            .get(r.subject.0)
            .map_or("?", |k| k.kind.as_str());
        outln!(
            "{:<width$}  {:<12}  {:<8}  {}",
            r.id,
            r.force.as_str(),
            subject,
            r.title.get(lang)
        );
    }
    outln!("{} rules in pack `{}`", pack.rules.len(), pack.name);
    EXIT_OK
}

/// The source text of a rule part, as written in the rule file.
fn written(pack: &Pack, span: crate::source::Span) -> String {
    pack.sources
        .snippet(span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `rules explain ID`
pub fn explain(pack: &Pack, id: &str, lang: Lang) -> u8 {
    let Some(r) = pack.rule(id) else {
        let help = did_you_mean_help(id, pack.rules.iter().map(|r| r.id.as_str()))
            .unwrap_or_else(|| "see `plancheck rules list`".into());
        eprintln!("error: unknown rule `{id}`\n  help: {help}");
        return EXIT_ERROR;
    };
    out!("{}", explain_text(pack, r, lang));
    EXIT_OK
}

/// The full text of a rule for `rules explain`.
pub fn explain_text(pack: &Pack, r: &RuleDef, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let subject = pack
        .records
        .get(r.subject.0)
        .map_or("?", |k| k.kind.as_str());
    let severity = match r.force {
        crate::pack::Force::Expected => {
            if zh {
                "警告"
            } else {
                "warning"
            }
        }
        _ => {
            if zh {
                "错误"
            } else {
                "error"
            }
        }
    };
    s.push_str(&format!("{}\n  {}\n  {}\n\n", r.id, r.title.zh, r.title.en));
    let label = |zh_l: &str, en_l: &str| {
        if zh {
            format!("{zh_l}：")
        } else {
            format!("{en_l}:")
        }
    };
    s.push_str(&format!(
        "{} {} ({}) → {}\n",
        label("效力", "force"),
        r.force.as_str(),
        r.force.zh(),
        severity
    ));
    if r.force == crate::pack::Force::InPrinciple {
        s.push_str(if zh { "  原则上规则：可凭有效、未过期的批准文件豁免（submission 的 waivers）\n" } else { "  an in-principle rule: a valid, unexpired approval in the submission's `waivers` can waive it\n" });
    }
    s.push_str(&format!("{} {}\n", label("适用对象", "subject"), subject));
    let from = r.from.unwrap_or(pack.period_start);
    let until = r.until.unwrap_or(pack.period_end);
    s.push_str(&format!(
        "{} {from} … {until}\n",
        label("有效期", "in force")
    ));
    match &r.when {
        Some(w) => s.push_str(&format!(
            "{} {}\n",
            label("适用条件", "applies when"),
            written(pack, w.span)
        )),
        None => s.push_str(&format!(
            "{} {}\n",
            label("适用条件", "applies when"),
            if zh { "所有记录" } else { "every record" }
        )),
    }
    for (name, e) in &r.locals {
        s.push_str(&format!("  let {name} = {}\n", written(pack, e.span)));
    }
    for q in &r.requires {
        let mut line = written(pack, q.condition.span);
        if let Some(t) = &q.track {
            let kind = match t.kind {
                crate::pack::TrackKind::Linear => {
                    if zh {
                        "线性"
                    } else {
                        "linear"
                    }
                }
                crate::pack::TrackKind::Compound => {
                    if zh {
                        "复合增长"
                    } else {
                        "compound"
                    }
                }
            };
            line.push_str(&if zh {
                format!("（{} 年达到；此前按{kind}路径从基期值 {}（基期年份 {}）推进，路径不严于目标）", t.by, written(pack, t.from.span), written(pack, t.since.span))
            } else {
                format!(" (by {}; before that, on a {kind} path from the baseline {} in {}, never stricter than the target)", t.by, written(pack, t.from.span), written(pack, t.since.span))
            });
        }
        s.push_str(&format!("{} {line}\n", label("要求", "requires")));
    }
    let doc = pack
        .source_doc
        .as_ref()
        .map(|(n, _)| n.trim_start_matches("../").to_string())
        .unwrap_or_default();
    s.push_str(&format!(
        "\n{}\n",
        if zh {
            "规划依据："
        } else {
            "the plan says:"
        }
    ));
    for c in &r.cites {
        for (q, line) in &c.quotes {
            s.push_str(&format!(
                "  {} — {doc}:{line}\n    「{}」\n",
                c.section,
                q.replace('\t', " ")
            ));
        }
    }
    if let Some(n) = &r.note {
        s.push_str(&format!(
            "\n{}\n  {}\n",
            if zh { "说明：" } else { "note:" },
            n.get(lang)
        ));
    }
    if !r.examples.is_empty() {
        s.push_str(&format!("\n{}\n", if zh { "示例：" } else { "examples:" }));
        for e in &r.examples {
            let compact = serde_json::from_str::<serde_json::Value>(&e.json)
                .map(|v| v.to_string())
                .unwrap_or_else(|_| e.json.clone());
            s.push_str(&format!("  {:<15} {compact}\n", e.outcome.as_str()));
        }
    }
    s
}

/// `rules lint [DIR]`
pub fn lint(dir: Option<&Path>) -> u8 {
    match load_pack(dir) {
        Ok(p) => {
            let quotes: usize = p
                .rules
                .iter()
                .flat_map(|r| &r.cites)
                .map(|c| c.quotes.len())
                .sum();
            outln!(
                "ok: pack `{}`: {} rules, {} quotes found verbatim in the source document",
                p.name,
                p.rules.len(),
                quotes
            );
            EXIT_OK
        }
        Err(e) => {
            print_pack_errors(&e);
            EXIT_FAIL
        }
    }
}

/// The result of one example.
pub struct ExampleResult {
    /// The rule.
    pub rule: String,
    /// Position among the rule's examples.
    pub index: usize,
    /// Expected outcome.
    pub expected: Outcome,
    /// Outcome found (`None`: no outcome at all).
    pub got: Option<Outcome>,
    /// What the rule said.
    pub message: String,
}

/// Runs every example of the pack.
pub fn run_examples(pack: &Pack, lang: Lang) -> Vec<ExampleResult> {
    let mut out = Vec::new();
    for r in &pack.rules {
        let Some(def) = pack.records.get(r.subject.0) else {
            continue;
        };
        for (index, ex) in r.examples.iter().enumerate() {
            let mut json: serde_json::Value =
                serde_json::from_str(&ex.json).unwrap_or(serde_json::Value::Null);
            if let serde_json::Value::Object(o) = &mut json {
                o.entry("kind").or_insert_with(|| def.kind.clone().into());
                if def
                    .field("id")
                    .is_some_and(|f| def.get(f).is_some_and(|f| f.required))
                {
                    o.entry("id")
                        .or_insert_with(|| format!("{}#{index}", r.id).into());
                }
                // An example without a date is dated on the first day the rule is in force.
                if let Some(dated) = def.dated_by.and_then(|f| def.get(f)) {
                    if !o.contains_key(&dated.path) {
                        let day = r.from.unwrap_or(pack.period_start);
                        let value: serde_json::Value = if dated.is_year {
                            i64::from(day.year()).into()
                        } else {
                            day.to_string().into()
                        };
                        o.insert(dated.path.clone(), value);
                    }
                }
            }
            let opts = Options {
                lang,
                all: true,
                ..Options::default()
            };
            let typed = type_record(pack, &json, None, None, lang);
            let (got, message) = match &typed.record {
                None => (
                    Some(Outcome::Invalid),
                    typed
                        .findings
                        .first()
                        .map(|f| f.message.clone())
                        .unwrap_or_default(),
                ),
                Some(rec) => {
                    let findings = evaluate(pack, rec, &opts);
                    match findings.iter().find(|f| f.rule == r.id) {
                        Some(f) => (Some(f.outcome), f.message.clone()),
                        None => match typed
                            .findings
                            .iter()
                            .chain(findings.iter())
                            .find(|f| f.outcome == Outcome::Invalid)
                        {
                            Some(f) => (Some(Outcome::Invalid), f.message.clone()),
                            None => (None, String::new()),
                        },
                    }
                }
            };
            out.push(ExampleResult {
                rule: r.id.clone(),
                index,
                expected: ex.outcome,
                got,
                message,
            });
        }
    }
    out
}

/// `rules test [DIR]`
pub fn test(pack: &Pack, lang: Lang) -> u8 {
    let results = run_examples(pack, lang);
    let mut failed = 0;
    for res in &results {
        if res.got == Some(res.expected) {
            continue;
        }
        failed += 1;
        let got = res.got.map_or("no outcome", |o| o.as_str());
        outln!(
            "FAIL {} example {}: expected {}, got {got}",
            res.rule,
            res.index + 1,
            res.expected.as_str()
        );
        if !res.message.is_empty() {
            outln!("     {}", res.message);
        }
    }
    let passed = results.len() - failed;
    outln!(
        "rules test: {passed} passed, {failed} failed ({} rules)",
        pack.rules.len()
    );
    if failed > 0 {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}
