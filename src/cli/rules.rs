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

/// The names a rule reads: fields, derived values and tables, in first-use order.
#[derive(Default)]
struct Uses {
    fields: Vec<crate::pack::FieldId>,
    lets: Vec<crate::pack::LetId>,
    tables: Vec<crate::pack::TableId>,
}

impl Uses {
    fn expr(&mut self, pack: &Pack, e: &crate::pack::Expr) {
        use crate::pack::ExprKind as K;
        match &e.kind {
            K::Field(f) | K::Present(f) => {
                if !self.fields.contains(f) {
                    self.fields.push(*f);
                }
            }
            K::Let(id) => {
                if !self.lets.contains(id) {
                    self.lets.push(*id);
                    if let Some(l) = pack.lets.get(id.0) {
                        self.expr(pack, &l.value);
                    }
                }
            }
            K::Lookup(t, k) => {
                if !self.tables.contains(t) {
                    self.tables.push(*t);
                }
                self.expr(pack, k);
            }
            K::List(xs) | K::Call(_, xs) => xs.iter().for_each(|x| self.expr(pack, x)),
            K::If(a, b, c) => {
                self.expr(pack, a);
                self.expr(pack, b);
                self.expr(pack, c);
            }
            K::Not(x) | K::Neg(x) => self.expr(pack, x),
            K::Binary(_, a, b) => {
                self.expr(pack, a);
                self.expr(pack, b);
            }
            K::Const(_) | K::Local(_) | K::Special(_) => {}
        }
    }
}

/// A message template as written, for showing what a finding says.
fn template_text(pack: &Pack, t: &crate::pack::Template) -> String {
    t.0.iter()
        .map(|p| match p {
            crate::pack::TemplatePart::Text(s) => s.clone(),
            crate::pack::TemplatePart::Expr(e) => format!("{{{}}}", written(pack, e.span)),
        })
        .collect()
}

/// The full text of a rule for `rules explain`.
pub fn explain_text(pack: &Pack, r: &RuleDef, lang: Lang) -> String {
    use crate::pack::{Force, TrackKind};
    let zh = lang == Lang::Zh;
    let mut s = String::new();
    let record = pack.records.get(r.subject.0);
    let subject = match record.and_then(|k| k.labels.as_ref()) {
        Some(l) => format!(
            "{} ({})",
            l.get(lang),
            record.map_or("?", |k| k.kind.as_str())
        ),
        None => record.map_or("?", |k| k.kind.as_str()).to_string(),
    };
    let label = |zh_l: &str, en_l: &str| {
        if zh {
            format!("{zh_l}：")
        } else {
            format!("{en_l}:")
        }
    };
    s.push_str(&format!("{}\n  {}\n  {}\n\n", r.id, r.title.zh, r.title.en));
    let force = match (r.force, zh) {
        (Force::Expected, true) => "预期性（expected）：未达到时给出警告".to_string(),
        (Force::Expected, false) => "expected (预期性): a shortfall is a warning".to_string(),
        (f, true) => format!("{}（{}）：违反即为错误，申请不予通过", f.zh(), f.as_str()),
        (f, false) => format!(
            "{} ({}): a violation is an error and fails the submission",
            f.as_str(),
            f.zh()
        ),
    };
    s.push_str(&format!("{} {force}\n", label("效力", "force")));
    if r.force == Force::InPrinciple {
        s.push_str(if zh { "      原则上规则：申请中附有效、未过期的批准文件（waivers）时予以豁免\n" } else { "      an in-principle rule: a valid, unexpired approval in the submission's `waivers` waives it\n" });
    }
    s.push_str(&format!("{} {subject}\n", label("适用对象", "subject")));
    let from = r.from.unwrap_or(pack.period_start);
    let until = r.until.unwrap_or(pack.period_end);
    s.push_str(&format!(
        "{} {from} … {until}\n",
        label("有效期", "in force")
    ));
    let when = r.when.as_ref().map_or_else(
        || (if zh { "所有记录" } else { "every record" }).to_string(),
        |w| written(pack, w.span),
    );
    s.push_str(&format!("{} {when}\n", label("适用条件", "applies when")));
    for (name, e) in &r.locals {
        s.push_str(&format!("      let {name} = {}\n", written(pack, e.span)));
    }
    for q in &r.requires {
        let mut line = written(pack, q.condition.span);
        if let Some(t) = &q.track {
            let kind = match (t.kind, zh) {
                (TrackKind::Linear, true) => "线性",
                (TrackKind::Linear, false) => "linear",
                (TrackKind::Compound, true) => "按固定年增速",
                (TrackKind::Compound, false) => "compound (constant growth)",
            };
            line.push_str(&if zh {
                format!("\n      {} 年起须达到；此前按{kind}路径从基期值 {}（基期年份 {}）推进，路径限值不严于目标，落后于路径为“偏离路径”（警告）", t.by, written(pack, t.from.span), written(pack, t.since.span))
            } else {
                format!("\n      from {} on; before that, on a {kind} path from the baseline {} in {}, never stricter than the target; behind the path is off_track (a warning)", t.by, written(pack, t.from.span), written(pack, t.since.span))
            });
        }
        s.push_str(&format!("{} {line}\n", label("要求", "requires")));
        s.push_str(&format!(
            "      {} {}\n",
            if zh {
                "不符合时提示："
            } else {
                "finding says:"
            },
            template_text(pack, q.message.get(lang))
        ));
    }

    // What the names in the condition and requirement mean.
    let mut uses = Uses::default();
    if let Some(w) = &r.when {
        uses.expr(pack, w);
    }
    for (_, e) in &r.locals {
        uses.expr(pack, e);
    }
    for q in &r.requires {
        uses.expr(pack, &q.condition);
        if let Some(t) = &q.track {
            uses.expr(pack, &t.from);
            uses.expr(pack, &t.since);
        }
    }
    if !(uses.lets.is_empty() && uses.tables.is_empty() && uses.fields.is_empty()) {
        s.push_str(&format!("\n{}\n", if zh { "其中：" } else { "where:" }));
    }
    for id in &uses.lets {
        if let Some(l) = pack.lets.get(id.0) {
            s.push_str(&format!("  {} = {}\n", l.name, written(pack, l.value.span)));
        }
    }
    for id in &uses.tables {
        let Some(t) = pack.tables.get(id.0) else {
            continue;
        };
        let en = pack.enums.get(t.key.0);
        let entries: Vec<String> = t
            .entries
            .iter()
            .map(|(k, v)| {
                let key = en
                    .and_then(|e| e.values.iter().find(|(x, _)| x == k))
                    .and_then(|(_, l)| l.as_ref())
                    .map_or(k.clone(), |l| l.get(lang).to_string());
                format!(
                    "{key} {}",
                    crate::eval::format_value(v, Some(&t.ty), 4, Some(pack), lang)
                )
            })
            .collect();
        s.push_str(&format!(
            "  {}: {}\n",
            t.name,
            entries.join(if zh { "；" } else { "; " })
        ));
    }
    if let Some(def) = record {
        for f in &uses.fields {
            let Some(fd) = def.get(*f) else { continue };
            let unit = fd
                .unit
                .filter(|u| !u.symbol.is_empty())
                .map(|u| format!(" [{}]", u.symbol))
                .unwrap_or_default();
            s.push_str(&format!("  {} — {}{unit}\n", fd.path, fd.title(lang)));
        }
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
        s.push_str(&format!(
            "\n{}\n",
            if zh {
                "示例（plancheck rules test 逐条验证）："
            } else {
                "examples (each run by `plancheck rules test`):"
            }
        ));
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
