//! Findings with their places in the submission, and the result for one record.

use super::{Finding, Status};
use crate::source::Snippet;
use std::sync::Arc;

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
    /// The typed record, for reports that show its facts (the HTML review
    /// sheet); `None` for a record that could not be read.
    pub record: Option<std::sync::Arc<super::Record>>,
}
