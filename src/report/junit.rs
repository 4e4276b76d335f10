//! `--format junit`: JUnit XML for GitLab, Jenkins and GitHub test
//! reporters: a test suite per file, a test case per record, a `failure`
//! per error finding (CONTRACT.md §5), warnings and notes as system-out.
//!
//! Written with `quick-xml`'s writer, which escapes text and attributes;
//! characters XML 1.0 cannot hold at all (control characters) are replaced.

use super::emit::{EmitOptions, Emitter, RunEnd};
use crate::i18n::Lang;
use crate::model::{LocatedFinding, RecordReport, Severity, Status};
use crate::pack::Pack;
use std::io::{self, Write};

/// `--format junit`: one XML document, written when the run ends.
pub struct JunitEmitter<'p> {
    pack: &'p Pack,
    opts: EmitOptions,
    records: Vec<RecordReport>,
}

impl<'p> JunitEmitter<'p> {
    /// An emitter for a run with `pack`.
    pub fn new(pack: &'p Pack, opts: EmitOptions) -> Self {
        JunitEmitter {
            pack,
            opts,
            records: Vec::new(),
        }
    }
}

impl Emitter for JunitEmitter<'_> {
    fn records(&mut self, _out: &mut dyn Write, batch: &[RecordReport]) -> io::Result<()> {
        self.records.extend_from_slice(batch);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _end: &RunEnd) -> io::Result<()> {
        let xml = render_junit(
            self.pack,
            &self.records,
            self.opts.lang,
            self.opts.deny_warnings,
        );
        out.write_all(xml.as_bytes())?;
        out.flush()
    }
}
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// Text XML 1.0 can carry: control characters other than tab and newlines become U+FFFD.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Where a finding lies, as `file:line:column` or `file Sheet1!D7`.
fn place(rec: &RecordReport, f: &LocatedFinding) -> String {
    match (f.cell_ref(), f.line, f.column) {
        (Some(cell), _, _) => format!("{} {cell}", rec.file),
        (None, Some(l), Some(c)) => format!("{}:{l}:{c}", rec.file),
        _ => rec.file.clone(),
    }
}

fn shown(f: &LocatedFinding) -> bool {
    f.finding.outcome.is_reported()
}

/// The JUnit XML of a run; with `deny_warnings`, warnings fail too.
pub fn render_junit(
    pack: &Pack,
    records: &[RecordReport],
    lang: Lang,
    deny_warnings: bool,
) -> String {
    let fails = |f: &LocatedFinding| {
        f.finding.severity == Severity::Error
            || (deny_warnings && f.finding.severity == Severity::Warning)
    };
    // Files in order of first appearance, each with its records.
    let mut files: Vec<(&str, Vec<&RecordReport>)> = Vec::new();
    for rec in records {
        match files.iter_mut().find(|(f, _)| *f == rec.file) {
            Some((_, recs)) => recs.push(rec),
            None => files.push((&rec.file, vec![rec])),
        }
    }
    let count = |recs: &[&RecordReport]| {
        recs.iter()
            .map(|r| r.findings.iter().filter(|f| shown(f) && fails(f)).count())
            .sum::<usize>()
    };
    let tests: usize = files.iter().map(|(_, r)| r.len()).sum();
    let failures: usize = files.iter().map(|(_, r)| count(r)).sum();

    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut ok = w
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .is_ok();
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "plancheck"));
    root.push_attribute(("tests", tests.to_string().as_str()));
    root.push_attribute(("failures", failures.to_string().as_str()));
    root.push_attribute(("errors", "0"));
    ok &= w.write_event(Event::Start(root)).is_ok();
    for (file, recs) in &files {
        let file = xml_safe(file);
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", file.as_str()));
        suite.push_attribute(("tests", recs.len().to_string().as_str()));
        suite.push_attribute(("failures", count(recs).to_string().as_str()));
        suite.push_attribute(("errors", "0"));
        ok &= w.write_event(Event::Start(suite)).is_ok();
        for rec in recs {
            let name = match &rec.id {
                Some(id) => format!(
                    "{} [{}] {id}",
                    rec.kind.as_deref().unwrap_or("record"),
                    rec.index
                ),
                None => format!("record [{}]", rec.index),
            };
            let mut case = BytesStart::new("testcase");
            case.push_attribute(("name", xml_safe(&name).as_str()));
            case.push_attribute(("classname", file.as_str()));
            ok &= w.write_event(Event::Start(case)).is_ok();
            let mut out = Vec::new();
            for f in rec.findings.iter().filter(|f| shown(f)) {
                let cite = super::citation_line(pack, f.finding.rule.as_str(), lang)
                    .map(|c| format!("\n{c}"))
                    .unwrap_or_default();
                let text = format!(
                    "{}: {} [{}] {}{cite}",
                    place(rec, f),
                    f.finding.severity.as_str(),
                    f.finding.rule,
                    f.finding.message
                );
                if fails(f) {
                    let mut failure = BytesStart::new("failure");
                    failure.push_attribute((
                        "message",
                        xml_safe(&format!("[{}] {}", f.finding.rule, f.finding.message)).as_str(),
                    ));
                    let kind = if rec.status == Status::Invalid {
                        "invalid"
                    } else {
                        f.finding.outcome.as_str()
                    };
                    failure.push_attribute(("type", kind));
                    ok &= w.write_event(Event::Start(failure)).is_ok();
                    ok &= w
                        .write_event(Event::Text(BytesText::new(&xml_safe(&text))))
                        .is_ok();
                    ok &= w.write_event(Event::End(BytesEnd::new("failure"))).is_ok();
                } else {
                    out.push(text);
                }
            }
            if !out.is_empty() {
                ok &= w
                    .write_event(Event::Start(BytesStart::new("system-out")))
                    .is_ok();
                ok &= w
                    .write_event(Event::Text(BytesText::new(&xml_safe(&out.join("\n")))))
                    .is_ok();
                ok &= w
                    .write_event(Event::End(BytesEnd::new("system-out")))
                    .is_ok();
            }
            ok &= w.write_event(Event::End(BytesEnd::new("testcase"))).is_ok();
        }
        ok &= w
            .write_event(Event::End(BytesEnd::new("testsuite")))
            .is_ok();
    }
    ok &= w
        .write_event(Event::End(BytesEnd::new("testsuites")))
        .is_ok();
    let mut xml = String::from_utf8(w.into_inner()).unwrap_or_default();
    xml.push('\n');
    if ok {
        xml
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::xml_safe;

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(xml_safe("a\u{1}b\tc\n"), "a\u{FFFD}b\tc\n");
    }
}
