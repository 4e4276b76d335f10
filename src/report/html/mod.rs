//! `--format html`: the review report. One self-contained page (inline CSS
//! and SVG, no script, a Content-Security-Policy that forbids every
//! external load), written with maud, which escapes every text by default.
//!
//! A record whose rules judge values on a path to a target (a county's
//! report) gets a dashboard of its indicators with a chart each; any other
//! record (a project application) a review sheet: its facts, a verdict, a
//! checklist of every rule that applies with its figures and the plan's
//! sentence, the waivers used, the material to supplement, the inputs that
//! could not be read, and the rules that do not apply. A batch starts with
//! a summary of every record. Sheets are rendered as records come and kept
//! in a [`Spill`] until the summary, which comes first, is known.
//!
//! - `sheet`: one record's page.
//! - `chart`: an indicator's path as inline SVG.

mod chart;
mod sheet;

use super::emit::{EmitOptions, Emitter, RunEnd};
use super::spill::Spill;
use crate::i18n::{msg, Lang};
use crate::model::{RecordReport, Severity, Status};
use crate::pack::Pack;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::io::{self, Write};

/// The stylesheet, inlined in every page.
const STYLE: &str = include_str!("style.css");

/// What the batch summary keeps of each record.
struct Row {
    anchor: usize,
    file: String,
    index: usize,
    id: Option<String>,
    name: Option<String>,
    place: Option<String>,
    status: Status,
    errors: usize,
    warnings: usize,
}

/// `--format html`: the review report of a run.
pub struct HtmlEmitter<'p> {
    pack: &'p Pack,
    opts: EmitOptions,
    rows: Vec<Row>,
    sheets: Spill,
}

impl<'p> HtmlEmitter<'p> {
    /// An emitter for a run with `pack`.
    pub fn new(pack: &'p Pack, opts: EmitOptions) -> Self {
        HtmlEmitter {
            pack,
            opts,
            rows: Vec::new(),
            sheets: Spill::default(),
        }
    }
}

impl Emitter for HtmlEmitter<'_> {
    fn records(&mut self, _out: &mut dyn Write, batch: &[RecordReport]) -> io::Result<()> {
        for r in batch {
            let anchor = self.rows.len();
            let page = sheet::record(self.pack, r, anchor, self.opts.lang).into_string();
            // Escaped for HTML by maud; controls and bidi characters made visible here.
            let page = crate::text::escape_keeping(&page, &['\n', '\t']);
            self.sheets.write(page.as_bytes())?;
            let (name, place) = sheet::name_and_place(self.pack, r, self.opts.lang);
            self.rows.push(Row {
                anchor,
                file: r.file.clone(),
                index: r.index,
                id: r.id.clone(),
                name,
                place,
                status: r.status,
                errors: count(r, Severity::Error),
                warnings: count(r, Severity::Warning),
            });
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, end: &RunEnd) -> io::Result<()> {
        let lang = self.opts.lang;
        let head = page_head(self.pack, &self.rows, lang).into_string();
        out.write_all(crate::text::escape_keeping(&head, &['\n', '\t']).as_bytes())?;
        if self.rows.len() > 1 {
            let table = summary(&self.rows, end, lang).into_string();
            out.write_all(crate::text::escape_keeping(&table, &['\n', '\t']).as_bytes())?;
        }
        let mut out = out;
        self.sheets.copy_to(&mut out)?;
        out.write_all(b"</body></html>\n")?;
        out.flush()
    }
}

/// Findings of a severity that are reported.
fn count(r: &RecordReport, sev: Severity) -> usize {
    r.findings
        .iter()
        .filter(|f| f.finding.severity == sev && f.finding.outcome.is_reported())
        .count()
}

/// A text as a CSS string: every character but letters and digits as a
/// hex escape, so nothing submitted can end the string or the stylesheet.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", c as u32));
        }
    }
    out.push('"');
    out
}

/// The page up to `<body>` and the run's header: the CSP, the styles, and
/// for each record a named page whose footer carries its id and page number.
fn page_head(pack: &Pack, rows: &[Row], lang: Lang) -> Markup {
    let mut pages = String::new();
    for r in rows {
        let code =
            r.id.clone()
                .unwrap_or_else(|| format!("{} [{}]", r.file, r.index));
        pages.push_str(&format!(
            "#r{n} {{ page: r{n}; }}\n@page r{n} {{ @bottom-left {{ content: {code}; font-size: 8pt; color: #5b6475; }} @bottom-right {{ content: counter(page); font-size: 8pt; color: #5b6475; }} }}\n",
            n = r.anchor,
            code = css_string(&crate::text::clip(&code, 80)),
        ));
    }
    let title = pack.title.text(lang);
    let today = jiff::Zoned::now().date().to_string();
    let html_lang = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    html! {
        (DOCTYPE)
        // The document is opened here and closed after the sheets.
        (PreEscaped(format!("<html lang=\"{html_lang}\">")))
        head {
            meta charset="utf-8";
            meta http-equiv="Content-Security-Policy"
                content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="generator" content=(format!("plancheck {}", env!("CARGO_PKG_VERSION")));
            title { (msg::report::html_title(lang, title)) }
            style { (PreEscaped(STYLE)) (PreEscaped(pages)) }
        }
        (PreEscaped("<body>"))
        div.run {
            strong { (msg::report::html_report(lang)) } " · "
            (title) " · "
            (msg::report::html_pack(lang, &pack.name, pack.rules.len())) " · "
            (msg::report::html_checked_on(lang, &today)) " · "
            "plancheck " (env!("CARGO_PKG_VERSION"))
        }
    }
}

/// The batch summary: every record with a link to its page, and counts
/// by place and status.
fn summary(rows: &[Row], end: &RunEnd, lang: Lang) -> Markup {
    let mut places: Vec<(String, [usize; 4])> = Vec::new();
    for r in rows {
        let place = r.place.clone().unwrap_or_else(|| "—".to_string());
        let i = match places.iter().position(|(p, _)| *p == place) {
            Some(i) => i,
            None => {
                places.push((place, [0; 4]));
                places.len() - 1
            }
        };
        if let Some((_, counts)) = places.get_mut(i) {
            let k = match r.status {
                Status::Pass => 0,
                Status::Warn => 1,
                Status::Fail => 2,
                Status::Invalid => 3,
            };
            if let Some(c) = counts.get_mut(k) {
                *c += 1;
            }
        }
    }
    let s = &end.summary;
    html! {
        section.page.summary {
            h1 { (msg::report::html_batch(lang)) }
            p { (super::render_summary(end.files, s, lang, None)) }
            table {
                thead { tr {
                    th { "#" } th { (msg::report::html_id(lang)) } th { (msg::report::html_name(lang)) }
                    th { (msg::report::html_place(lang)) } th { (msg::report::html_status(lang)) }
                    th { (msg::report::html_errors(lang)) } th { (msg::report::html_warnings(lang)) }
                } }
                tbody {
                    @for r in rows {
                        tr {
                            td.num { (r.anchor + 1) }
                            td.id { a href=(format!("#r{}", r.anchor)) {
                                (r.id.clone().unwrap_or_else(|| format!("{} [{}]", r.file, r.index)))
                            } }
                            td { (r.name.as_deref().unwrap_or("")) }
                            td { (r.place.as_deref().unwrap_or("")) }
                            td { span class=(r.status.as_str()) { (super::status_name(r.status, lang)) } }
                            td.num { (r.errors) }
                            td.num { (r.warnings) }
                        }
                    }
                }
            }
            h3 { (msg::report::html_by_place(lang)) }
            table {
                thead { tr {
                    th { (msg::report::html_place(lang)) }
                    @for st in [Status::Pass, Status::Warn, Status::Fail, Status::Invalid] {
                        th { (super::status_name(st, lang)) }
                    }
                } }
                tbody {
                    @for (place, counts) in &places {
                        tr {
                            td { (place) }
                            @for c in counts { td.num { (c) } }
                        }
                    }
                }
            }
        }
    }
}

/// The review report of some records, whole (tests, the service).
pub fn render_html(pack: &Pack, records: &[RecordReport], lang: Lang, end: &RunEnd) -> String {
    let opts = EmitOptions {
        lang,
        color: false,
        width: 100,
        quiet: false,
        deny_warnings: false,
    };
    let mut e = HtmlEmitter::new(pack, opts);
    let mut out: Vec<u8> = Vec::new();
    if e.records(&mut out, records).is_err() || e.finish(&mut out, end).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_be_left() {
        let s = css_string("a\"; } </style><script>x</script>\\");
        assert!(!s[1..s.len() - 1].contains('"'));
        assert!(!s.contains('<') && !s.contains('}'));
    }
}
