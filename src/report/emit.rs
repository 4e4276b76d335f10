//! Emitters: one per output format, each writing a run as it goes.
//!
//! The driver hands records to an [`Emitter`] in batches, in order; the
//! emitter writes what it can at once (human text, JSON, workflow commands
//! stream) or keeps what it needs for a document that is written whole
//! (SARIF, JUnit). The CLI, the watcher and the service only choose one.

use super::{github, html, human, json, junit, sarif, Summary};
use crate::i18n::Lang;
use crate::model::RecordReport;
use crate::pack::Pack;
use std::io::{self, Write};
use std::time::Duration;

/// The output formats (CONTRACT.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Diagnostics for people.
    Human,
    /// One JSON document (CONTRACT.md §5).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML for test reporters.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// The review report: one self-contained HTML page.
    Html,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 6] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
        Format::Html,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Github => "github",
            Format::Html => "html",
        }
    }
}

/// How to write a run: what every emitter may need.
#[derive(Clone, Copy, Debug)]
pub struct EmitOptions {
    /// Message language.
    pub lang: Lang,
    /// ANSI colours (human output).
    pub color: bool,
    /// Line width (human output).
    pub width: usize,
    /// Only records that fail and their failing findings.
    pub quiet: bool,
    /// Warnings count as failures.
    pub deny_warnings: bool,
}

impl EmitOptions {
    /// Whether only errors are shown: `--quiet` without `--deny-warnings`.
    pub fn errors_only(&self) -> bool {
        self.quiet && !self.deny_warnings
    }
}

/// The end of a run: what the closing part of an output says.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunEnd {
    /// Files read.
    pub files: usize,
    /// Counts of records and findings.
    pub summary: Summary,
    /// How long the run took, where the output shows it.
    pub elapsed: Option<Duration>,
    /// Files and folders in the folders given that were not checked.
    pub skipped: usize,
}

/// Writes one run in one format.
pub trait Emitter: Send {
    /// Writes what comes before the first record.
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let _ = out;
        Ok(())
    }
    /// Writes (or keeps) a batch of records, in order.
    fn records(&mut self, out: &mut dyn Write, batch: &[RecordReport]) -> io::Result<()>;
    /// Writes a batch of records that [`renderer`] wrote ahead, on the
    /// thread that checked them (only formats that have a renderer).
    fn rendered(&mut self, out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
        let _ = (out, bytes);
        Err(io::Error::other("this format has no renderer"))
    }
    /// Writes what comes after the last record.
    fn finish(&mut self, out: &mut dyn Write, end: &RunEnd) -> io::Result<()>;
}

/// The emitter of `format` for a run with `pack`.
pub fn emitter<'p>(format: Format, pack: &'p Pack, opts: EmitOptions) -> Box<dyn Emitter + 'p> {
    match format {
        Format::Human => Box::new(human::HumanEmitter::new(pack, opts)),
        Format::Json => Box::new(json::JsonEmitter::new(pack)),
        Format::Sarif => Box::new(sarif::SarifEmitter::new(pack, opts)),
        Format::Junit => Box::new(junit::JunitEmitter::new(pack, opts)),
        Format::Github => Box::new(github::GithubEmitter::new(pack, opts)),
        Format::Html => Box::new(html::HtmlEmitter::new(pack, opts)),
    }
}

/// Writes a batch of records as the emitter of a format would, on any
/// thread, at the end of a buffer: what its emitter's `rendered` then
/// writes. (The caller hands the buffer back for another batch: buffers of
/// megabytes made on one thread and freed on another would stay resident
/// in the allocator.)
pub type Renderer<'p> = Box<dyn Fn(&[RecordReport], &mut Vec<u8>) + Send + Sync + 'p>;

/// The renderer of `format`, where its records are written one after the
/// other, each independent of the rest (JSON); `None` for formats that
/// group, sort or number what they write.
pub fn renderer(format: Format, pack: &Pack) -> Option<Renderer<'_>> {
    match format {
        Format::Json => Some(Box::new(move |batch, buf| {
            json::render_records_into(pack, batch, buf)
        })),
        Format::Human | Format::Sarif | Format::Junit | Format::Github | Format::Html => None,
    }
}

/// A whole run written into a string, for tests and for the service.
pub fn render(
    format: Format,
    pack: &Pack,
    opts: EmitOptions,
    records: &[RecordReport],
    end: &RunEnd,
) -> String {
    let mut out = Vec::new();
    let mut e = emitter(format, pack, opts);
    let _ = e.begin(&mut out);
    let _ = e.records(&mut out, records);
    let _ = e.finish(&mut out, end);
    String::from_utf8(out).unwrap_or_default()
}
