//! `--format github`: GitHub Actions workflow commands, one per finding,
//! which GitHub shows as annotations on the lines of a pull request.

use super::emit::{EmitOptions, Emitter, RunEnd};
use crate::i18n::Lang;
use crate::model::{RecordReport, Severity};
use crate::pack::Pack;
use std::io::{self, Write};

/// `--format github`: workflow commands, written as records come.
pub struct GithubEmitter<'p> {
    pack: &'p Pack,
    opts: EmitOptions,
}

impl<'p> GithubEmitter<'p> {
    /// An emitter for a run with `pack`.
    pub fn new(pack: &'p Pack, opts: EmitOptions) -> Self {
        GithubEmitter { pack, opts }
    }
}

impl Emitter for GithubEmitter<'_> {
    fn records(&mut self, out: &mut dyn Write, batch: &[RecordReport]) -> io::Result<()> {
        let text = render_github(self.pack, batch, self.opts.lang, self.opts.errors_only());
        out.write_all(text.as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write, _end: &RunEnd) -> io::Result<()> {
        out.flush()
    }
}

/// Escapes a command's message (`%`, CR, LF), as the Actions runner requires.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command per finding (only errors with `errors_only`).
pub fn render_github(
    pack: &Pack,
    records: &[RecordReport],
    lang: Lang,
    errors_only: bool,
) -> String {
    let mut out = String::new();
    for rec in records {
        for f in &rec.findings {
            if !f.finding.outcome.is_reported()
                || (errors_only && f.finding.severity != Severity::Error)
            {
                continue;
            }
            let command = match f.finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Note => "notice",
            };
            let title = match pack.rule(f.finding.rule.as_str()) {
                Some(r) => format!("{}: {}", r.id, r.title.text(lang)),
                None => f.finding.rule.to_string(),
            };
            // The file exactly as named: a `\` is part of a name on Linux.
            let mut props = vec![format!(
                "file={}",
                escape_property(&crate::text::escape(&rec.file))
            )];
            if let (Some(l), Some(c)) = (f.line, f.column) {
                props.push(format!("line={l}"));
                props.push(format!("col={c}"));
                if let (Some(el), Some(ec)) = (f.end_line, f.end_column) {
                    props.push(format!("endLine={el}"));
                    props.push(format!("endColumn={ec}"));
                }
            }
            props.push(format!(
                "title={}",
                escape_property(&crate::text::escape(&title))
            ));
            // In a spreadsheet the cell says where, the line alone does not.
            // Submitted text never breaks the command: its controls are escaped.
            let mut message = match f.cell_ref() {
                Some(cell) => format!("{cell}: {}", f.finding.message),
                None => f.finding.message.clone(),
            };
            message = crate::text::escape(&message).into_owned();
            if let Some(c) = super::citation_line(pack, f.finding.rule.as_str(), lang) {
                message.push('\n');
                message.push_str(&c);
            }
            out.push_str(&format!(
                "::{command} {}::{}\n",
                props.join(","),
                escape_data(&message)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_requires() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
