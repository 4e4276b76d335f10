//! One record's page of the review report: its facts, the verdict, and
//! either the checklist of its rules (a review sheet) or, where its rules
//! judge values on a path to a target, a dashboard of its indicators.

use super::chart;
use crate::i18n::{msg, Lang};
use crate::model::{FindingId, LocatedFinding, Numbers, Outcome, RecordReport, Severity, Slot};
use crate::pack::{Pack, Type, Value};
use maud::{html, Markup};

/// A number as shown: at most four decimals, no trailing zeros.
fn num(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A number with its unit.
fn with_unit(x: f64, unit: &str) -> String {
    if unit.is_empty() {
        num(x)
    } else {
        format!("{} {unit}", num(x))
    }
}

/// A computed figure (a limit, a point on a path) with its unit: two decimals
/// at most, as the plan writes its figures.
fn figure(x: f64, unit: &str) -> String {
    with_unit((x * 100.0).round() / 100.0, unit)
}

/// The record's given facts that are not figures (text, choices, dates,
/// yes/no, years), in the order the pack declares them, with their titles.
fn facts(pack: &Pack, r: &RecordReport, lang: Lang) -> Vec<(String, String)> {
    let Some(record) = &r.record else {
        return Vec::new();
    };
    let Some(def) = pack.records.get(record.kind.0) else {
        return Vec::new();
    };
    def.fields
        .iter()
        .zip(&record.slots)
        .filter_map(|(f, slot)| {
            let Slot::Value(v) = slot else { return None };
            let shown =
                matches!(f.ty, Type::Text | Type::Enum(_) | Type::Date | Type::Bool) || f.is_year;
            if !shown {
                return None;
            }
            let text = match v {
                Value::Bool(b) => msg::report::yes_no(lang, *b),
                _ => crate::eval::format_value(v, Some(&f.ty), 4, Some(pack), lang),
            };
            Some((f.title(lang).to_string(), text))
        })
        .collect()
}

/// The record's name (its first text field other than the id) and place
/// (the value of its enumeration with the most values: where it is), for
/// the batch summary.
pub(super) fn name_and_place(
    pack: &Pack,
    r: &RecordReport,
    lang: Lang,
) -> (Option<String>, Option<String>) {
    let Some(record) = &r.record else {
        return (None, None);
    };
    let Some(def) = pack.records.get(record.kind.0) else {
        return (None, None);
    };
    let given = |i: usize| match record.slots.get(i) {
        Some(Slot::Value(v)) => Some(v),
        _ => None,
    };
    let name = def
        .fields
        .iter()
        .enumerate()
        .filter(|(i, f)| f.ty == Type::Text && Some(crate::pack::FieldId(*i)) != def.id_field)
        .find_map(|(i, _)| given(i))
        .map(|v| crate::eval::format_value(v, Some(&Type::Text), 4, Some(pack), lang));
    let place = def
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match f.ty {
            Type::Enum(e) => pack.enums.get(e.0).map(|en| (i, f, en.values.len())),
            _ => None,
        })
        .max_by_key(|(i, _, n)| (*n, usize::MAX - i))
        .and_then(|(i, f, _)| {
            given(i).map(|v| crate::eval::format_value(v, Some(&f.ty), 4, Some(pack), lang))
        });
    (name, place)
}

/// The outcome of a finding in words.
fn outcome_word(o: Outcome, lang: Lang) -> String {
    msg::report::outcome_word(lang, o.as_str())
}

/// The CSS class of an outcome.
fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::OffTrack | Outcome::Waived | Outcome::OutOfPeriod => "warn",
        Outcome::NotApplicable => "note",
        _ => "fail",
    }
}

/// The figures of a finding: actual, limit, and the margin (or gap).
fn figures(n: &Numbers, lang: Lang) -> (String, String, String) {
    let margin = if n.margin >= 0.0 {
        msg::report::margin(lang, &figure(n.margin, &n.unit))
    } else {
        msg::report::gap(lang, &figure(-n.margin, &n.unit))
    };
    (
        with_unit(n.actual, &n.unit),
        figure(n.limit, &n.unit),
        margin,
    )
}

/// The page of one record.
pub(super) fn record(pack: &Pack, r: &RecordReport, anchor: usize, lang: Lang) -> Markup {
    let rules: Vec<&LocatedFinding> = r
        .findings
        .iter()
        .filter(|f| matches!(f.finding.rule, FindingId::Rule(_)))
        .collect();
    let dashboard = rules.iter().any(|f| {
        f.finding
            .numbers
            .as_ref()
            .is_some_and(|n| n.track.is_some())
    });
    let applies: Vec<&&LocatedFinding> = rules
        .iter()
        .filter(|f| f.finding.outcome != Outcome::NotApplicable)
        .collect();
    let not_applicable: Vec<&&LocatedFinding> = rules
        .iter()
        .filter(|f| f.finding.outcome == Outcome::NotApplicable)
        .collect();
    let waived: Vec<&&LocatedFinding> = applies
        .iter()
        .filter(|f| f.finding.outcome == Outcome::Waived)
        .copied()
        .collect();
    let missing: Vec<&&LocatedFinding> = applies
        .iter()
        .filter(|f| f.finding.outcome == Outcome::Missing)
        .copied()
        .collect();
    let inputs: Vec<&LocatedFinding> = r
        .findings
        .iter()
        .filter(|f| matches!(f.finding.rule, FindingId::Reserved(_)))
        .collect();
    let count = |sev: Severity| {
        r.findings
            .iter()
            .filter(|f| f.finding.severity == sev && f.finding.outcome.is_reported())
            .count()
    };
    let title = if dashboard {
        msg::report::html_dashboard(lang)
    } else {
        msg::report::html_sheet(lang)
    };
    let facts = facts(pack, r, lang);
    html! {
        section.page id=(format!("r{anchor}")) {
            h2 { (title) " " span.rule-id { (r.id.as_deref().unwrap_or("")) } }
            dl.facts {
                dt { (msg::report::html_file(lang)) } dd { (format!("{} [{}]", r.file, r.index)) }
                dt { (msg::report::html_plan(lang)) } dd { (pack.title.text(lang)) }
                @for (k, v) in &facts { dt { (k) } dd { (v) } }
            }
            div class=(format!("banner {}", r.status.as_str())) {
                span { (super::super::status_name(r.status, lang)) }
                span.counts { (msg::report::html_counts(lang, count(Severity::Error), count(Severity::Warning), count(Severity::Note))) }
            }
            @if dashboard {
                (indicators(pack, &applies, lang))
            } @else {
                (checklist(pack, &applies, lang))
            }
            @if !waived.is_empty() {
                h3 { (msg::report::html_waivers(lang)) }
                ul.plain { @for f in &waived { li { (f.finding.message) } } }
            }
            @if !missing.is_empty() {
                h3 { (msg::report::html_missing(lang)) }
                ul.plain { @for f in &missing { li { (f.finding.message) } } }
            }
            @if !inputs.is_empty() {
                h3 { (msg::report::html_inputs(lang)) }
                ul.plain {
                    @for f in &inputs {
                        li class=(outcome_class(f.finding.outcome)) {
                            (f.finding.message)
                            @if let Some(at) = place(f) { " " span.cite { "(" (at) ")" } }
                        }
                    }
                }
            }
            @if !not_applicable.is_empty() {
                details {
                    summary { (msg::report::html_not_applicable(lang, not_applicable.len())) }
                    ul.plain {
                        @for f in &not_applicable {
                            @if let Some(rule) = pack.rule(f.finding.rule.as_str()) {
                                li {
                                    (rule.title.text(lang)) " "
                                    span.rule-id { (rule.id.as_ref()) }
                                    @if let Some(w) = &rule.when {
                                        br; span.cite { (msg::report::html_applies_when(lang, &super::super::explain::condition_text(pack, rule, w))) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p.footer { (msg::report::html_footer(lang)) }
        }
    }
}

/// Where a finding lies: `line 3, column 5` or `Sheet1!D7`.
fn place(f: &LocatedFinding) -> Option<String> {
    match (f.cell_ref(), f.line, f.column) {
        (Some(cell), _, _) => Some(cell),
        (None, Some(l), Some(c)) => Some(format!("{l}:{c}")),
        _ => None,
    }
}

/// The checklist of a review sheet: every rule that applies, its figures
/// and the plan's sentence.
fn checklist(pack: &Pack, rows: &[&&LocatedFinding], lang: Lang) -> Markup {
    html! {
        h3 { (msg::report::html_checklist(lang)) }
        table {
            thead { tr {
                th { (msg::report::html_rule(lang)) } th { (msg::report::html_force(lang)) }
                th { (msg::report::html_outcome(lang)) } th { (msg::report::html_actual(lang)) }
                th { (msg::report::html_limit(lang)) } th { (msg::report::html_margin(lang)) }
            } }
            tbody {
                @for f in rows {
                    @let rule = pack.rule(f.finding.rule.as_str());
                    tr {
                        td {
                            (rule.map_or(f.finding.rule.as_str(), |r| r.title.text(lang))) " "
                            span.rule-id { (f.finding.rule.as_str()) }
                            @for line in super::super::cite::section_lines(pack, f.finding.rule.as_str(), lang) {
                                br; span.cite { (line) }
                            }
                        }
                        td.force { (rule.map_or("", |r| r.force.name(lang))) }
                        td class=(format!("outcome {}", outcome_class(f.finding.outcome))) { (outcome_word(f.finding.outcome, lang)) }
                        @if let Some(n) = &f.finding.numbers {
                            @let (a, l, m) = figures(n, lang);
                            td.num { (a) } td.num { (l) } td.num { (m) }
                        } @else {
                            td {} td {} td {}
                        }
                    }
                }
            }
        }
    }
}

/// The dashboard of a report: indicators grouped as the plan's table
/// groups them, each against its path, with a chart each.
fn indicators(pack: &Pack, rows: &[&&LocatedFinding], lang: Lang) -> Markup {
    // Group by the category of the plan's table row each rule cites.
    let mut groups: Vec<(String, Vec<&&LocatedFinding>)> = Vec::new();
    for f in rows {
        let group = pack
            .rule(f.finding.rule.as_str())
            .and_then(|r| r.cites.first())
            .and_then(|c| c.quotes.first())
            .and_then(|(_, line)| super::super::cite::table_group(pack, *line))
            .unwrap_or_else(|| msg::report::html_other(lang));
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push(f),
            None => groups.push((group, vec![f])),
        }
    }
    html! {
        @for (group, list) in &groups {
            h3 { (group) }
            table {
                thead { tr {
                    th { (msg::report::html_indicator(lang)) } th { (msg::report::html_baseline(lang)) }
                    th { (msg::report::html_year_point(lang)) } th { (msg::report::html_actual(lang)) }
                    th { (msg::report::html_target(lang)) } th { (msg::report::html_outcome(lang)) }
                } }
                tbody {
                    @for f in list {
                        @let title = pack.rule(f.finding.rule.as_str()).map_or(f.finding.rule.as_str(), |r| r.title.text(lang));
                        tr {
                            td { (title) " " span.rule-id { (f.finding.rule.as_str()) } }
                            @if let Some(n) = &f.finding.numbers {
                                @if let Some(t) = &n.track {
                                    td.num { (figure(t.baseline, &n.unit)) span.yr { (t.baseline_year) } }
                                    td.num { (figure(n.limit, &n.unit)) span.yr { (t.year) } }
                                    td.num { (with_unit(n.actual, &n.unit)) }
                                    td.num { (figure(t.target, &n.unit)) span.yr { (t.target_year) } }
                                } @else {
                                    td {} td.num { (figure(n.limit, &n.unit)) } td.num { (with_unit(n.actual, &n.unit)) } td {}
                                }
                            } @else {
                                td {} td {} td {} td {}
                            }
                            td class=(format!("outcome {}", outcome_class(f.finding.outcome))) { (outcome_word(f.finding.outcome, lang)) }
                        }
                    }
                }
            }
            div.charts {
                @for f in list {
                    @if let Some(n) = &f.finding.numbers {
                        @let title = pack.rule(f.finding.rule.as_str()).map_or(f.finding.rule.as_str(), |r| r.title.text(lang));
                        figure.chart {
                            (chart::indicator(title, n, f.finding.outcome))
                            figcaption { (title) " · " span class=(outcome_class(f.finding.outcome)) { (outcome_word(f.finding.outcome, lang)) } }
                        }
                    }
                }
            }
        }
    }
}
