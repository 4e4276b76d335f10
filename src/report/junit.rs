//! `--format junit`: JUnit XML for GitLab, Jenkins and GitHub test
//! reporters: a test suite per file, a test case per record, a `failure`
//! per error finding (CONTRACT.md §5), warnings and notes as system-out.
//!
//! Written a test case at a time (escaped with `quick-xml`); characters
//! XML 1.0 cannot hold at all (control characters) and bidi controls are
//! written as visible escapes.

use super::emit::{EmitOptions, Emitter, RunEnd};
use super::spill::Spill;
use crate::i18n::Lang;
use crate::model::{LocatedFinding, RecordReport, Severity, Status};
use crate::pack::Pack;
use std::io::{self, Write};

/// `--format junit`: one XML document. Its opening tags carry counts known
/// only at the end, so test cases are kept until then: in memory while
/// small, spilled to an anonymous temporary file beyond [`SPILL_BYTES`], so
/// a run of millions of findings takes constant memory.
pub struct JunitEmitter<'p> {
    pack: &'p Pack,
    opts: EmitOptions,
    /// Finished test suites.
    suites: Spill,
    /// The suite being written: its file, counts and test cases.
    suite: Option<(String, usize, usize, Spill)>,
    tests: usize,
    failures: usize,
}

impl<'p> JunitEmitter<'p> {
    /// An emitter for a run with `pack`.
    pub fn new(pack: &'p Pack, opts: EmitOptions) -> Self {
        JunitEmitter {
            pack,
            opts,
            suites: Spill::default(),
            suite: None,
            tests: 0,
            failures: 0,
        }
    }

    /// Closes the suite being written, if any.
    fn close_suite(&mut self) -> io::Result<()> {
        let Some((file, tests, failures, mut cases)) = self.suite.take() else {
            return Ok(());
        };
        let file = attr(&file);
        self.suites.write(
            format!(
                "  <testsuite name=\"{file}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
            )
            .as_bytes(),
        )?;
        cases.copy_to(&mut self.suites)?;
        self.suites.write(b"  </testsuite>\n")
    }
}

impl Emitter for JunitEmitter<'_> {
    fn records(&mut self, _out: &mut dyn Write, batch: &[RecordReport]) -> io::Result<()> {
        for rec in batch {
            // Records of a file come together: a new file starts a new suite.
            if self.suite.as_ref().is_none_or(|s| s.0 != rec.file) {
                self.close_suite()?;
                self.suite = Some((rec.file.clone(), 0, 0, Spill::default()));
            }
            let (text, failures) =
                test_case(self.pack, rec, self.opts.lang, self.opts.deny_warnings);
            if let Some(suite) = self.suite.as_mut() {
                suite.1 += 1;
                suite.2 += failures;
                suite.3.write(text.as_bytes())?;
            }
            self.tests += 1;
            self.failures += failures;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _end: &RunEnd) -> io::Result<()> {
        self.close_suite()?;
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"plancheck\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
            self.tests, self.failures
        )?;
        let mut out = out;
        self.suites.copy_to(&mut out)?;
        out.write_all(b"</testsuites>\n")?;
        out.flush()
    }
}

/// Text safe in XML and on a screen: characters XML 1.0 cannot hold and
/// characters that reorder or control a display are written as visible
/// escapes; `<`, `>`, `&` and quotes as entities.
fn text(s: &str) -> String {
    quick_xml::escape::escape(crate::text::escape_keeping(s, &['\n', '\t']).as_ref()).into_owned()
}

/// An attribute value: as [`text`], line breaks escaped too.
fn attr(s: &str) -> String {
    quick_xml::escape::escape(crate::text::escape(s).as_ref()).into_owned()
}

/// Where a finding lies, as `file:line:column` or `file Sheet1!D7`.
fn place(rec: &RecordReport, f: &LocatedFinding) -> String {
    match (f.cell_ref(), f.line, f.column) {
        (Some(cell), _, _) => format!("{} {cell}", rec.file),
        (None, Some(l), Some(c)) => format!("{}:{l}:{c}", rec.file),
        _ => rec.file.clone(),
    }
}

/// One record's test case, and how many failures it holds.
fn test_case(pack: &Pack, rec: &RecordReport, lang: Lang, deny_warnings: bool) -> (String, usize) {
    let fails = |f: &LocatedFinding| {
        f.finding.severity == Severity::Error
            || (deny_warnings && f.finding.severity == Severity::Warning)
    };
    let name = match &rec.id {
        Some(id) => format!(
            "{} [{}] {id}",
            rec.kind.as_deref().unwrap_or("record"),
            rec.index
        ),
        None => format!("record [{}]", rec.index),
    };
    let mut xml = format!(
        "    <testcase name=\"{}\" classname=\"{}\">\n",
        attr(&name),
        attr(&rec.file)
    );
    let mut failures = 0;
    let mut out = Vec::new();
    for f in rec
        .findings
        .iter()
        .filter(|f| f.finding.outcome.is_reported())
    {
        let cite = super::citation_line(pack, f.finding.rule.as_str(), lang)
            .map(|c| format!("\n{c}"))
            .unwrap_or_default();
        // Submitted text is escaped whole (a line break in it is not one of ours).
        let line = format!(
            "{}: {} [{}] {}{cite}",
            crate::text::escape(&place(rec, f)),
            f.finding.severity.as_str(),
            f.finding.rule,
            crate::text::escape(&f.finding.message)
        );
        if fails(f) {
            failures += 1;
            let kind = if rec.status == Status::Invalid {
                "invalid"
            } else {
                f.finding.outcome.as_str()
            };
            xml.push_str(&format!(
                "      <failure message=\"{}\" type=\"{kind}\">{}</failure>\n",
                attr(&format!("[{}] {}", f.finding.rule, f.finding.message)),
                text(&line)
            ));
        } else {
            out.push(line);
        }
    }
    if !out.is_empty() {
        xml.push_str(&format!(
            "      <system-out>{}</system-out>\n",
            text(&out.join("\n"))
        ));
    }
    xml.push_str("    </testcase>\n");
    (xml, failures)
}

/// The JUnit XML of a run held in memory; with `deny_warnings`, warnings fail too.
pub fn render_junit(
    pack: &Pack,
    records: &[RecordReport],
    lang: Lang,
    deny_warnings: bool,
) -> String {
    let opts = EmitOptions {
        lang,
        color: false,
        width: 100,
        quiet: false,
        deny_warnings,
    };
    let mut e = JunitEmitter::new(pack, opts);
    let mut out: Vec<u8> = Vec::new();
    let mut sink: &mut dyn Write = &mut out;
    let ok = e.records(sink, records).is_ok() && e.finish(&mut sink, &RunEnd::default()).is_ok();
    if ok {
        String::from_utf8(out).unwrap_or_default()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_visibly() {
        assert_eq!(text("a\u{1}b\tc\n<&>"), "a\\u{1}b\tc\n&lt;&amp;&gt;");
        assert_eq!(attr("x\ny\"\u{202e}"), "x\\u{a}y&quot;\\u{202e}");
    }

    #[test]
    fn suites_beyond_memory_spill_and_come_back_whole() {
        let mut spill = Spill::default();
        let line = vec![b'x'; 1000];
        for _ in 0..(super::super::spill::SPILL_BYTES / 1000 + 10) {
            spill.write(&line).unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(spill.file.is_some(), "spilled to a file");
        let mut out: Vec<u8> = Vec::new();
        let mut sink: &mut dyn Write = &mut out;
        spill.copy_to(&mut sink).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            out.len(),
            (super::super::spill::SPILL_BYTES / 1000 + 10) * 1000
        );
    }
}
