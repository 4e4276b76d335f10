//! `rules explain`: a rule as an approval officer needs it: force, subject,
//! period, condition, requirement, the message a finding gives, the names
//! it reads, the plan's sentence, the note and the examples.

use crate::eval::format_value;
use crate::i18n::{msg, Lang};
use crate::pack::{
    Expr, ExprKind, FieldId, Force, LetId, Pack, RuleDef, TableId, Template, TemplatePart,
    TrackKind,
};
use crate::source::Span;

/// The source text of a pack part, as written in the rule file.
fn written(pack: &Pack, span: Span) -> String {
    spaced(pack.sources.snippet(span))
}

/// Runs of white space as one space: a part written over several lines
/// reads as one.
fn spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of a part of `rule` as the rule reads: a part that comes from
/// a template has each `$param` in it replaced by the argument the rule
/// gave (the spans of the replaced parameters are the rule's `written`).
pub(super) fn written_in(pack: &Pack, rule: &RuleDef, span: Span) -> String {
    let text = pack.sources.snippet(span);
    let mut inside: Vec<&(Span, String, bool)> = rule
        .written
        .iter()
        .filter(|(at, _, _)| {
            at.source == span.source && at.start >= span.start && at.end <= span.end
        })
        .collect();
    if inside.is_empty() {
        return spaced(text);
    }
    inside.sort_by_key(|(at, _, _)| at.start);
    let mut out = String::with_capacity(text.len());
    let mut from = span.start;
    for (at, arg, grouped) in inside {
        // Nested replacements cannot occur (a replaced parameter is a
        // leaf); an overlapping one is skipped rather than garbled.
        if at.start < from {
            continue;
        }
        out.push_str(
            text.get(from - span.start..at.start - span.start)
                .unwrap_or(""),
        );
        if *grouped && *at != span {
            out.push('(');
            out.push_str(arg);
            out.push(')');
        } else {
            out.push_str(arg);
        }
        from = at.end;
    }
    out.push_str(text.get(from - span.start..).unwrap_or(""));
    spaced(&out)
}

/// The names a rule reads: fields, derived values and tables, in first-use order.
#[derive(Default)]
struct Uses {
    fields: Vec<FieldId>,
    lets: Vec<LetId>,
    tables: Vec<TableId>,
}

impl Uses {
    /// Adds what `e` reads, following derived values once each.
    fn expr(&mut self, pack: &Pack, e: &Expr) {
        let mut stack = vec![e];
        while let Some(x) = stack.pop() {
            match &x.kind {
                ExprKind::Field(f) | ExprKind::Present(f) => {
                    if !self.fields.contains(f) {
                        self.fields.push(*f);
                    }
                }
                ExprKind::Let(id) => {
                    if !self.lets.contains(id) {
                        self.lets.push(*id);
                        if let Some(l) = pack.lets.get(id.0) {
                            stack.push(&l.value);
                        }
                    }
                }
                _ => {
                    if let ExprKind::Lookup(t, _) = &x.kind {
                        if !self.tables.contains(t) {
                            self.tables.push(*t);
                        }
                    }
                    let before = stack.len();
                    stack.extend(x.children());
                    if let Some(added) = stack.get_mut(before..) {
                        added.reverse();
                    }
                }
            }
        }
    }
}

/// A rule's condition as it reads. Conditions joined when the rule was
/// read (a `forbid when`, a template's `when`) are not one stretch of text:
/// each part is quoted and the parts joined with `and`.
pub(super) fn condition_text(pack: &Pack, rule: &RuleDef, e: &crate::pack::Expr) -> String {
    if let crate::pack::ExprKind::Binary(crate::pack::Op::And, a, b) = &e.kind {
        let between = (a.span.source == b.span.source && a.span.end <= b.span.start)
            .then(|| {
                pack.sources.snippet(crate::source::Span::new(
                    a.span.source,
                    a.span.end,
                    b.span.start,
                ))
            })
            // Parentheses around either side belong to what was written.
            .map(|t| t.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace()));
        if between != Some("and") {
            // `or` binds less tightly than `and`: such a side is grouped.
            let side = |e: &crate::pack::Expr| {
                let text = condition_text(pack, rule, e);
                match &e.kind {
                    crate::pack::ExprKind::Binary(crate::pack::Op::Or, ..)
                        if !is_grouped(&text) =>
                    {
                        format!("({text})")
                    }
                    _ => text,
                }
            };
            return format!("{} and {}", side(a), side(b));
        }
    }
    written_in(pack, rule, e.span)
}

/// Whether `text` is one parenthesised group: `(a or b)`, not `(a) or (b)`.
fn is_grouped(text: &str) -> bool {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i + 1 < text.len() {
                    return false;
                }
            }
            _ if depth == 0 => return false,
            _ => {}
        }
    }
    text.starts_with('(') && depth == 0
}

/// A table's rows in one line: each key (its label in `lang`) and value.
pub fn table_rows(pack: &Pack, t: &crate::pack::TableDef, lang: Lang) -> String {
    let en = pack.enums.get(t.key.0);
    let entries: Vec<String> = t
        .entries
        .iter()
        .map(|(k, v)| {
            let key = en
                .and_then(|e| e.values.iter().find(|(x, _)| x == k))
                .and_then(|(_, l)| l.as_ref())
                .map_or(k.clone(), |l| l.text(lang).to_string());
            format!(
                "{key} {}",
                format_value(v, Some(&t.ty), 4, Some(pack), lang)
            )
        })
        .collect();
    entries.join(&msg::rules::entry_separator(lang))
}

/// A message template as written, for showing what a finding says.
fn template_text(pack: &Pack, rule: &RuleDef, t: &Template) -> String {
    t.0.iter()
        .map(|p| match p {
            TemplatePart::Text(s) => s.clone(),
            TemplatePart::Expr(e) => format!("{{{}}}", written_in(pack, rule, e.span)),
        })
        .collect()
}

/// The full text of a rule for `rules explain`.
pub fn explain_text(pack: &Pack, r: &RuleDef, lang: Lang) -> String {
    let mut s = String::new();
    let record = pack.records.get(r.subject.0);
    let kind = record.map_or("?", |k| k.kind.as_str());
    let subject = match record.and_then(|k| k.labels.as_ref()) {
        Some(l) => format!("{} ({kind})", l.text(lang)),
        None => kind.to_string(),
    };
    let label = |zh: &str, en: &str| msg::rules::label(lang, zh, en);
    // The rule's title in the language of the run (in English also the plan's Chinese).
    match lang {
        Lang::Zh => s.push_str(&format!("{}\n  {}\n\n", r.id, r.title.zh)),
        Lang::En => s.push_str(&format!("{}\n  {}\n  {}\n\n", r.id, r.title.zh, r.title.en)),
    }
    let force = match r.force {
        Force::Expected => msg::rules::force_expected(lang),
        f => msg::rules::force_other(lang, f.zh(), f.as_str()),
    };
    s.push_str(&format!("{} {force}\n", label("效力", "force")));
    if r.force == Force::InPrinciple {
        s.push_str(&msg::rules::in_principle_note(lang));
    }
    s.push_str(&format!("{} {subject}\n", label("适用对象", "subject")));
    let from = r.from.unwrap_or(pack.period_start);
    let until = r.until.unwrap_or(pack.period_end);
    s.push_str(&format!(
        "{} {from} … {until}\n",
        label("有效期", "in force")
    ));
    let when = r.when.as_ref().map_or_else(
        || msg::rules::every_record(lang),
        |w| condition_text(pack, r, w),
    );
    s.push_str(&format!("{} {when}\n", label("适用条件", "applies when")));
    for (name, e) in &r.locals {
        s.push_str(&format!(
            "      let {name} = {}\n",
            written_in(pack, r, e.span)
        ));
    }
    for q in &r.requires {
        // `forbid when …` requires a `false` written nowhere: say so.
        let mut line = match &q.condition.kind {
            crate::pack::ExprKind::Const(crate::pack::Value::Bool(false)) => "false".to_string(),
            _ => written_in(pack, r, q.condition.span),
        };
        if let Some(t) = &q.track {
            let kind = match t.kind {
                TrackKind::Linear => msg::rules::path_linear(lang),
                TrackKind::Compound => msg::rules::path_compound(lang),
            };
            line.push_str(&msg::rules::path_explained(
                lang,
                t.by,
                &kind,
                &written_in(pack, r, t.from.span),
                &written_in(pack, r, t.since.span),
            ));
        }
        s.push_str(&format!("{} {line}\n", label("要求", "requires")));
        s.push_str(&format!(
            "      {} {}\n",
            msg::rules::finding_says(lang),
            template_text(pack, r, q.message.get(lang))
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
        s.push_str(&format!("\n{}\n", msg::rules::where_(lang)));
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
        s.push_str(&format!("  {}: {}\n", t.name, table_rows(pack, t, lang)));
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
    s.push_str(&format!("\n{}\n", msg::rules::the_plan_says(lang)));
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
            msg::rules::note(lang),
            n.text(lang)
        ));
    }
    if !r.examples.is_empty() {
        s.push_str(&format!("\n{}\n", msg::rules::examples(lang)));
        for e in &r.examples {
            let compact = serde_json::from_str::<serde_json::Value>(&e.json)
                .map(|v| v.to_string())
                .unwrap_or_else(|_| e.json.clone());
            s.push_str(&format!("  {:<15} {compact}\n", e.outcome));
        }
    }
    s
}
