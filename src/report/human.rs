//! Human output through miette: one diagnostic per finding, the label on
//! the offending value, the plan's sentence in the help, and a summary.

use super::emit::{EmitOptions, Emitter, RunEnd};
use super::Summary;
use crate::i18n::{msg, Lang};
use crate::model::{LocatedFinding, Outcome, RecordReport, Severity, Status};
use crate::pack::Pack;
use crate::source::Snippet;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use rayon::prelude::*;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

/// How to render.
pub type RenderOptions = EmitOptions;

/// `--format human`: a diagnostic per finding, records rendered in parallel
/// and written in order, then the summary line.
pub struct HumanEmitter<'p> {
    pack: &'p Pack,
    opts: EmitOptions,
}

impl<'p> HumanEmitter<'p> {
    /// An emitter for a run with `pack`.
    pub fn new(pack: &'p Pack, opts: EmitOptions) -> Self {
        HumanEmitter { pack, opts }
    }
}

impl Emitter for HumanEmitter<'_> {
    fn records(&mut self, out: &mut dyn Write, batch: &[RecordReport]) -> io::Result<()> {
        // Rendering is the costly part: done in parallel, written in order.
        let texts: Vec<String> = batch
            .par_iter()
            .map(|r| render_record(self.pack, r, &self.opts))
            .collect();
        for t in texts {
            out.write_all(t.as_bytes())?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, end: &RunEnd) -> io::Result<()> {
        out.write_all(
            render_summary(end.files, &end.summary, self.opts.lang, end.elapsed).as_bytes(),
        )?;
        if end.skipped > 0 {
            out.write_all(msg::report::skipped_count(self.opts.lang, end.skipped).as_bytes())?;
        }
        out.flush()
    }
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

/// The plan's sentence behind a rule, as a help line: the rule's title and
/// force, then each citation (the plan's title, section and sentence).
pub fn citation_line(pack: &Pack, rule: &str, lang: Lang) -> Option<String> {
    let r = pack.rule(rule)?;
    let lines = super::cite::citation_lines(pack, rule, lang);
    let force = msg::report::title_with_force(lang, r.title.text(lang), r.force.name(lang));
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
                Some(msg::report::actual_and_limit(
                    lang,
                    &trim(n.actual),
                    &trim(n.limit),
                    &unit,
                ))
            }
            _ => Some(msg::report::here(lang)),
        });
    let label_text = match (&f.cell_ref(), label_text) {
        (Some(cell), Some(t)) => Some(format!("{cell}: {t}")),
        (_, t) => t,
    };
    let label_text = label_text.map(|t| crate::text::escape(&t).into_owned());
    // The submission's text is shown through a safe window (clipped, escaped).
    let window = match (&f.snippet, f.span) {
        (Some(snippet), Some(span)) => Some(snippet.window(span)),
        _ => None,
    };
    let label = window
        .as_ref()
        .map(|(_, (s, e))| LabeledSpan::new_with_span(label_text, (*s, e - s)));
    let mut help = Vec::new();
    if let Some(h) = &f.finding.help {
        help.push(h.clone());
    }
    if let Some(c) = citation_line(pack, f.finding.rule.as_str(), lang) {
        help.push(c);
    }
    FindingDiagnostic {
        code: crate::text::escape(f.finding.rule.as_str()).into_owned(),
        message: crate::text::escape(&f.finding.message).into_owned(),
        severity,
        source: window.map(|(w, _)| Arc::new(w)),
        label,
        help: (!help.is_empty())
            .then(|| crate::text::escape_keeping(&help.join("\n"), &['\n']).into_owned()),
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
    // An id is the submitter's text: clipped and escaped like any other.
    let id = r.id.as_deref().map_or("?".into(), |id| {
        crate::text::escape(&crate::text::clip(id, 80)).into_owned()
    });
    let status = status_name(r.status, lang);
    let file = crate::text::escape(&r.file);
    out.push_str(&format!("{file} [{}] {id}: {status}\n", r.index));
    // With `--all`, what holds and what does not apply is a compact checklist.
    for f in r
        .findings
        .iter()
        .filter(|f| matches!(f.finding.outcome, Outcome::Pass | Outcome::NotApplicable))
    {
        if !opts.quiet {
            out.push_str(&checklist_line(pack, f, lang));
        }
    }
    let mut listed = false;
    for f in &r.findings {
        if matches!(f.finding.outcome, Outcome::Pass | Outcome::NotApplicable) {
            continue;
        }
        let fails = f.finding.severity == Severity::Error
            || (opts.deny_warnings && f.finding.severity == Severity::Warning);
        if opts.quiet && !fails {
            continue;
        }
        if !listed && out.lines().count() > 1 {
            out.push('\n');
        }
        listed = true;
        let d = diagnostic(pack, f, lang);
        let mut s = String::new();
        if h.render_report(&mut s, &d).is_err() {
            s = format!("{}: {}\n", d.code, d.message);
        }
        let s = localize_rendered(&s, lang);
        out.push_str(&s);
        out.push('\n');
    }
    out
}

/// One line of the `--all` checklist: a mark, the rule, and its figures.
fn checklist_line(pack: &Pack, f: &LocatedFinding, lang: Lang) -> String {
    let rule = f.finding.rule.as_str();
    let title = pack
        .rule(rule)
        .map_or(rule.to_string(), |r| r.title.text(lang).to_string());
    let (mark, what) = match (f.finding.outcome, &f.finding.numbers) {
        (Outcome::Pass, Some(n)) => {
            let unit = if n.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", n.unit)
            };
            (
                "✓",
                msg::report::check_figures(
                    lang,
                    &trim(n.actual),
                    &trim(n.limit),
                    &unit,
                    &trim(n.margin),
                ),
            )
        }
        (Outcome::Pass, None) => ("✓", msg::report::status_pass(lang)),
        _ => ("–", msg::report::not_applicable(lang)),
    };
    let line = msg::report::check_line(
        lang,
        mark,
        &crate::text::escape(rule),
        &crate::text::escape(&title),
        &crate::text::escape(&what),
    );
    format!("  {line}\n")
}

/// The closing summary line.
pub fn render_summary(
    files: usize,
    s: &Summary,
    lang: Lang,
    elapsed: Option<std::time::Duration>,
) -> String {
    let time = elapsed
        .map(|e| msg::report::took(lang, &format!("{:.2}s", e.as_secs_f64())))
        .unwrap_or_default();
    msg::report::summary(
        lang,
        files,
        s.records(),
        s.pass,
        s.warn,
        s.fail,
        s.invalid,
        s.errors,
        s.warnings,
        s.notes,
        &time,
    )
}

/// A record's status in words.
pub fn status_name(status: Status, lang: Lang) -> String {
    match status {
        Status::Pass => msg::report::status_pass(lang),
        Status::Warn => msg::report::status_warn(lang),
        Status::Fail => msg::report::status_fail(lang),
        Status::Invalid => msg::report::status_invalid(lang),
    }
}

/// Renders errors of a rule pack (or any diagnostics) with their sources.
pub fn render_pack_errors(diags: &[miette::Report], opts: &RenderOptions) -> String {
    /// A pack with more errors than this is broken beyond reading them all:
    /// the first are shown (they come sorted by file and place), then how
    /// many more there are.
    const SHOWN: usize = 200;
    let h = handler(opts);
    let mut out = String::new();
    if diags.len() > SHOWN {
        let rest = diags.len() - SHOWN;
        out = render_pack_errors(&diags[..SHOWN], opts);
        out.push_str(&crate::i18n::msg::cli::pack_problems_not_shown(
            opts.lang, rest,
        ));
        out.push_str("\n\n");
        return out;
    }
    for d in diags {
        let mut s = String::new();
        if h.render_report(&mut s, &**d).is_err() {
            s = format!("{d}\n");
        }
        let s = localize_rendered(&s, opts.lang);
        out.push_str(&s);
        out.push('\n');
    }
    out
}

/// miette's own words in the language of the run: the `help:` before a
/// help line becomes `提示：` in Chinese (of the same width, so continuation
/// lines stay aligned).
fn localize_rendered(text: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    let word = crate::i18n::msg::report::help_word(lang);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        // The word follows two spaces, and an ANSI colour code where colours are on.
        let head_end = line
            .char_indices()
            .find(|(_, c)| {
                !(*c == ' '
                    || *c == '\u{1b}'
                    || *c == '['
                    || *c == ';'
                    || c.is_ascii_digit()
                    || *c == 'm')
            })
            .map_or(line.len(), |(i, _)| i);
        match line.get(head_end..) {
            Some(rest) if rest.starts_with("help: ") && head_end <= 24 => {
                out.push_str(line.get(..head_end).unwrap_or(""));
                out.push_str(&word);
                out.push_str(rest.get("help: ".len()..).unwrap_or(""));
            }
            _ => out.push_str(line),
        }
    }
    out
}
