//! Report: findings with positions → what users read.
//!
//! Input: a [`RunReport`]. Output: text in one of the formats of
//! CONTRACT.md §2 and §5. Reporting never evaluates anything and never
//! prints; the CLI decides where the text goes.

mod github;
mod human;
mod json;
mod junit;
mod sarif;

pub use github::render_github;
pub use human::{
    citation_line, render_human, render_pack_errors, render_record, render_summary, RenderOptions,
};
pub use json::{json_header, json_record, json_summary, render_json, write_json_record};
pub use junit::render_junit;
pub use sarif::render_sarif;

use crate::eval::{Finding, Severity};
use crate::source::Snippet;
use std::sync::Arc;

/// A record's overall status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// No error or warning.
    Pass,
    /// Warnings only.
    Warn,
    /// At least one error.
    Fail,
    /// Could not be checked as a whole.
    Invalid,
}

impl Status {
    /// The contract's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Invalid => "invalid",
        }
    }
}

/// A finding with its place in the submission.
#[derive(Clone, Debug)]
pub struct LocatedFinding {
    /// The finding.
    pub finding: Finding,
    /// The text the finding points into.
    pub snippet: Option<Arc<Snippet>>,
    /// The offending value: a byte range of the snippet.
    pub span: Option<(usize, usize)>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column in characters.
    pub column: Option<usize>,
    /// 1-based line of the end of the value.
    pub end_line: Option<usize>,
    /// 1-based column just after the value.
    pub end_column: Option<usize>,
    /// The spreadsheet row (1-based), for CSV and XLSX.
    pub row: Option<usize>,
    /// The spreadsheet cell such as `D7`, for CSV and XLSX.
    pub cell: Option<String>,
    /// The sheet of the cell, for XLSX.
    pub sheet: Option<String>,
    /// A label for the span when the value itself is absent.
    pub label: Option<String>,
}

impl LocatedFinding {
    /// The spreadsheet reference of the finding: `Sheet1!D7`, `D7`, or none.
    pub fn cell_ref(&self) -> Option<String> {
        let cell = self.cell.as_ref()?;
        Some(match &self.sheet {
            Some(sheet) => format!("{sheet}!{cell}"),
            None => cell.clone(),
        })
    }

    /// A finding at bytes `start..end` of `snippet`, with lines and columns computed.
    pub fn at(
        finding: Finding,
        snippet: &Arc<Snippet>,
        start: usize,
        end: usize,
        label: Option<String>,
    ) -> Self {
        let (line, column) = snippet.line_column(start);
        let (end_line, end_column) = snippet.line_column(end.max(start));
        LocatedFinding {
            finding,
            snippet: Some(snippet.clone()),
            span: Some((start, end.max(start))),
            line: Some(line),
            column: Some(column),
            end_line: Some(end_line),
            end_column: Some(end_column),
            row: None,
            cell: None,
            sheet: None,
            label,
        }
    }

    /// A finding with no place in a file (an unreadable file).
    pub fn unlocated(finding: Finding) -> Self {
        LocatedFinding {
            finding,
            snippet: None,
            span: None,
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            row: None,
            cell: None,
            sheet: None,
            label: None,
        }
    }
}

/// The result for one record.
#[derive(Clone, Debug)]
pub struct RecordReport {
    /// The file as the user named it.
    pub file: String,
    /// 0-based position in the file.
    pub index: usize,
    /// The record's id, if readable.
    pub id: Option<String>,
    /// The record's kind, if readable.
    pub kind: Option<String>,
    /// Status.
    pub status: Status,
    /// Findings.
    pub findings: Vec<LocatedFinding>,
}

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
                if matches!(
                    f.finding.outcome,
                    crate::eval::Outcome::Pass | crate::eval::Outcome::NotApplicable
                ) {
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
