//! Human output through miette: one diagnostic per finding, the label on
//! the offending value, the plan's sentence in the help, and a summary.

use super::{LocatedFinding, RecordReport, RunReport, Status, Summary};
use crate::eval::{Outcome, Severity};
use crate::pack::{Lang, Pack};
use crate::source::Snippet;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use std::fmt;
use std::sync::Arc;

/// How to render.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    /// Message language.
    pub lang: Lang,
    /// ANSI colours.
    pub color: bool,
    /// Line width.
    pub width: usize,
    /// Only records that fail or are invalid.
    pub quiet: bool,
    /// Warnings count as failures (for `quiet`).
    pub deny_warnings: bool,
}

/// One finding as a miette diagnostic.
struct FindingDiagnostic {
    code: String,
    message: String,
    severity: miette::Severity,
    source: Option<Arc<Snippet>>,
    label: Option<LabeledSpan>,
    help: Option<String>,
}

impl fmt::Debug for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        if self.label.is_some() {
            self.source.as_deref().map(|s| s as &dyn miette::SourceCode)
        } else {
            None
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

fn handler(opts: &RenderOptions) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
}

/// The plan's sentence behind a rule, as a help line.
pub fn citation_line(pack: &Pack, rule: &str, lang: Lang) -> Option<String> {
    let r = pack.rule(rule)?;
    let doc = pack
        .source_doc
        .as_ref()
        .map(|(n, _)| n.trim_start_matches("../").to_string())
        .unwrap_or_default();
    let mut lines = Vec::new();
    for c in &r.cites {
        let quotes = c
            .quotes
            .iter()
            .map(|(q, _)| q.replace('\t', " "))
            .collect::<Vec<_>>()
            .join(" … ");
        let line = c.quotes.first().map_or(0, |(_, l)| *l);
        lines.push(match lang {
            Lang::Zh => format!(
                "规划原文（{}，{doc} 第 {line} 行）：「{quotes}」",
                c.section
            ),
            Lang::En => format!("the plan ({}, {doc} line {line}): 「{quotes}」", c.section),
        });
    }
    let force = match lang {
        Lang::Zh => format!("{}（{}）", r.title.zh, r.force.zh()),
        Lang::En => format!("{} ({})", r.title.en, r.force.as_str()),
    };
    Some(format!("{force}\n{}", lines.join("\n")))
}

fn diagnostic(pack: &Pack, f: &LocatedFinding, lang: Lang) -> FindingDiagnostic {
    let severity = match f.finding.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Note => miette::Severity::Advice,
    };
    let label_text = f
        .label
        .clone()
        .or_else(|| match (&f.finding.numbers, f.finding.outcome) {
            (Some(n), Outcome::Violated | Outcome::OffTrack | Outcome::Waived) => {
                let unit = if n.unit.is_empty() {
                    String::new()
                } else {
                    format!(" {}", n.unit)
                };
                Some(match lang {
                    Lang::Zh => format!(
                        "实际 {}{unit}，限值 {}{unit}",
                        trim(n.actual),
                        trim(n.limit)
                    ),
                    Lang::En => format!(
                        "actual {}{unit}, limit {}{unit}",
                        trim(n.actual),
                        trim(n.limit)
                    ),
                })
            }
            _ => Some(match lang {
                Lang::Zh => "此处".to_string(),
                Lang::En => "here".to_string(),
            }),
        });
    let label_text = match (&f.cell_ref(), label_text) {
        (Some(cell), Some(t)) => Some(format!("{cell}: {t}")),
        (_, t) => t,
    };
    let label = f
        .span
        .map(|(s, e)| LabeledSpan::new_with_span(label_text, (s, e - s)));
    let mut help = Vec::new();
    if let Some(h) = &f.finding.help {
        help.push(h.clone());
    }
    if let Some(c) = citation_line(pack, &f.finding.rule, lang) {
        help.push(c);
    }
    let source = f.snippet.clone();
    FindingDiagnostic {
        code: f.finding.rule.clone(),
        message: f.finding.message.clone(),
        severity,
        source,
        label,
        help: (!help.is_empty()).then(|| help.join("\n")),
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Renders one record: a header line and every finding.
pub fn render_record(pack: &Pack, r: &RecordReport, opts: &RenderOptions) -> String {
    let failing = matches!(r.status, Status::Fail | Status::Invalid)
        || (opts.deny_warnings && r.status == Status::Warn);
    if opts.quiet && !failing {
        return String::new();
    }
    let h = handler(opts);
    let lang = opts.lang;
    let mut out = String::new();
    let id = r.id.clone().unwrap_or_else(|| "?".into());
    let status = match (lang, r.status) {
        (Lang::Zh, Status::Pass) => "通过",
        (Lang::Zh, Status::Warn) => "警告",
        (Lang::Zh, Status::Fail) => "不通过",
        (Lang::Zh, Status::Invalid) => "无效",
        (Lang::En, s) => s.as_str(),
    };
    out.push_str(&format!("{} [{}] {}: {}\n", r.file, r.index, id, status));
    for f in &r.findings {
        let fails = f.finding.severity == Severity::Error
            || (opts.deny_warnings && f.finding.severity == Severity::Warning);
        if opts.quiet && !fails {
            continue;
        }
        let d = diagnostic(pack, f, lang);
        let mut s = String::new();
        if h.render_report(&mut s, &d).is_err() {
            s = format!("{}: {}\n", d.code, d.message);
        }
        out.push_str(&s);
        out.push('\n');
    }
    out
}

/// The closing summary line.
pub fn render_summary(
    files: usize,
    s: &Summary,
    lang: Lang,
    elapsed: Option<std::time::Duration>,
) -> String {
    let time = elapsed.map(|e| format!("{:.2}s", e.as_secs_f64()));
    match lang {
        Lang::Zh => format!(
            "共检查 {files} 个文件、{} 条记录：通过 {}，警告 {}，不通过 {}，无效 {}；错误 {} 项，警告 {} 项，提示 {} 项{}\n",
            s.records(),
            s.pass,
            s.warn,
            s.fail,
            s.invalid,
            s.errors,
            s.warnings,
            s.notes,
            time.map(|t| format!("，用时 {t}")).unwrap_or_default()
        ),
        Lang::En => format!(
            "checked {files} file(s), {} record(s): {} pass, {} warn, {} fail, {} invalid; {} error(s), {} warning(s), {} note(s){}\n",
            s.records(),
            s.pass,
            s.warn,
            s.fail,
            s.invalid,
            s.errors,
            s.warnings,
            s.notes,
            time.map(|t| format!(" in {t}")).unwrap_or_default()
        ),
    }
}

/// Renders every finding and a summary line.
pub fn render_human(
    pack: &Pack,
    report: &RunReport,
    opts: &RenderOptions,
    elapsed: Option<std::time::Duration>,
) -> String {
    let mut out = String::new();
    for r in &report.records {
        out.push_str(&render_record(pack, r, opts));
    }
    out.push_str(&render_summary(
        report.files,
        &report.summary(),
        opts.lang,
        elapsed,
    ));
    out
}

/// Renders errors of a rule pack (or any diagnostics) with their sources.
pub fn render_pack_errors(diags: &[miette::Report], opts: &RenderOptions) -> String {
    let h = handler(opts);
    let mut out = String::new();
    for d in diags {
        let mut s = String::new();
        if h.render_report(&mut s, &**d).is_err() {
            s = format!("{d}\n");
        }
        out.push_str(&s);
        out.push('\n');
    }
    out
}
