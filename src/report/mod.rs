//! Report: findings with positions → what users read.
//!
//! Input: a [`RunReport`]. Output: text in one of the formats of
//! CONTRACT.md §2 and §5. Reporting never evaluates anything and never
//! prints; the CLI decides where the text goes.

pub mod cite;
mod emit;
mod explain;
mod github;
mod html;
mod human;
mod json;
mod junit;
mod sarif;
mod spill;

pub use emit::{emitter, render, renderer, EmitOptions, Emitter, Format, Renderer, RunEnd};
pub use explain::{explain_text, table_rows};
pub use github::{escape_data, escape_property, render_github};
pub use html::render_html;
pub use human::{
    citation_line, render_pack_errors, render_record, render_summary, status_name, RenderOptions,
};
pub use json::{json_header, json_record, json_summary, render_json, write_json_record};
pub use junit::render_junit;
pub use sarif::render_sarif;

use crate::model::{RecordReport, Severity, Status};

/// The result of one run.
#[derive(Clone, Debug, Default)]
pub struct RunReport {
    /// Files read.
    pub files: usize,
    /// Records in file order.
    pub records: Vec<RecordReport>,
}

/// Counts for the summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records that passed.
    pub pass: usize,
    /// Records with warnings only.
    pub warn: usize,
    /// Records that failed.
    pub fail: usize,
    /// Records that could not be checked.
    pub invalid: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Note findings.
    pub notes: usize,
}

impl Summary {
    /// Adds one record's counts. Passing and not-applicable outcomes listed
    /// with `--all` are not counted as notes.
    pub fn add(&mut self, r: &RecordReport) {
        let s = self;
        {
            match r.status {
                Status::Pass => s.pass += 1,
                Status::Warn => s.warn += 1,
                Status::Fail => s.fail += 1,
                Status::Invalid => s.invalid += 1,
            }
            for f in &r.findings {
                if !f.finding.outcome.is_reported() {
                    continue;
                }
                match f.finding.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Note => s.notes += 1,
                }
            }
        }
    }

    /// Adds the counts of `other` (a batch counted on another thread).
    pub fn merge(&mut self, other: &Summary) {
        self.pass += other.pass;
        self.warn += other.warn;
        self.fail += other.fail;
        self.invalid += other.invalid;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.notes += other.notes;
    }

    /// Records counted.
    pub fn records(&self) -> usize {
        self.pass + self.warn + self.fail + self.invalid
    }
}

impl RunReport {
    /// Counts by status and severity.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for r in &self.records {
            s.add(r);
        }
        s
    }
}

#[cfg(test)]
mod tests;
