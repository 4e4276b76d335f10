//! CSV, XLSX and XLS: one record per row under a header, findings at the cell.
//!
//! Sheets are read as they are kept: title rows above the header are
//! skipped, headers name fields by path or title (with a unit in brackets),
//! percent cells hold fractions, and a row becomes the same JSON object a
//! `.json` submission would hold, so typing and evaluation are shared; only
//! the places differ: a finding points at the cell (`Sheet1!D7`) and shows
//! the cell's content.
//!
//! - `header`: what a header cell names.
//! - `sheet`: one sheet's rows → records.
//! - `merged`: cells merged down over rows of data.
//! - `values`: a cell → the JSON value typing reads.
//! - `csv`, `workbook`, `biff`, `formats`: reading the files.

mod biff;
mod csv;
mod formats;
mod header;
mod merged;
mod sheet;
mod values;
mod workbook;
mod zipscan;

pub(crate) use csv::CsvReader;
pub use header::TitleIndex;
pub use values::{number_text, percent_text};

/// What the `序号` cell of a template's example row says: the row is not a record.
pub const EXAMPLE_MARK: [&str; 2] = ["示例", "example"];
pub(crate) use workbook::workbook_records;

use crate::i18n::{msg, Lang};
use crate::model::{Finding, LocatedFinding};
use crate::source::Snippet;
use std::sync::Arc;

/// The spreadsheet letters of a 0-based column: 0 → `A`, 26 → `AA`.
pub fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + u8::try_from(col % 26).unwrap_or(0));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// One cell of a row.
#[derive(Debug)]
pub struct Cell {
    /// The dotted path its header names (resolved for the row's kind).
    pub path: String,
    /// Column letters.
    pub letter: String,
    /// The cell's content as shown.
    pub text: String,
    /// Its bytes in the row's line of text (CSV).
    pub span: Option<(usize, usize)>,
    /// Findings about its value point at the header cell: the header's
    /// unit is what is wrong.
    pub at_header: bool,
    /// Its 0-based column.
    pub column: usize,
}

/// A CSV row's text and the byte range of each of its cells in it.
pub type LineCells = (Arc<Snippet>, Vec<(usize, usize)>);

/// The header row of a table, for findings about a column as a whole.
#[derive(Debug)]
pub struct HeaderRow {
    /// 1-based row.
    pub row: usize,
    /// Column letters and the headers as written.
    pub cells: Vec<(String, String)>,
    /// For CSV: the header's text and each cell's byte range in it.
    pub line: Option<LineCells>,
}

impl HeaderRow {
    /// A finding at the header cell of column `column` of `file` (and sheet).
    pub fn at(
        &self,
        place: &(String, Option<String>),
        column: usize,
        finding: Finding,
    ) -> LocatedFinding {
        let (letter, text) = self
            .cells
            .get(column)
            .cloned()
            .unwrap_or_else(|| (column_letter(column), String::new()));
        let cells = RowCells {
            file: place.0.clone(),
            sheet: place.1.clone(),
            row: self.row,
            cells: Vec::new(),
            line: self.line.as_ref().map(|(l, _)| l.clone()),
            header: None,
        };
        let span = self.line.as_ref().and_then(|(_, s)| s.get(column).copied());
        cells.at(finding, &letter, &text, span, None)
    }
}

/// A row's cells, for locating findings.
#[derive(Debug)]
pub struct RowCells {
    /// The file as the user named it.
    pub file: String,
    /// The sheet, for XLSX.
    pub sheet: Option<String>,
    /// 1-based row.
    pub row: usize,
    /// The cells under a header, empty ones included.
    pub cells: Vec<Cell>,
    /// The row's text with its first line (CSV), so a finding shows the row
    /// with the cell underlined at its real line and column.
    pub line: Option<Arc<Snippet>>,
    /// The table's header row.
    pub header: Option<Arc<HeaderRow>>,
}

impl RowCells {
    fn reference(&self, letter: &str) -> String {
        match &self.sheet {
            Some(s) => format!("{s}!{letter}{}", self.row),
            None => format!("{letter}{}", self.row),
        }
    }

    /// A snippet holding only a cell's content (XLSX has no lines of text).
    fn cell_snippet(&self, letter: &str, text: &str) -> Arc<Snippet> {
        // An empty cell still needs a character to point at.
        let text = if text.is_empty() { " " } else { text };
        Arc::new(Snippet::part(
            format!("{} {}", self.file, self.reference(letter)),
            Arc::from(text),
            self.row.saturating_sub(1),
            0,
        ))
    }

    /// A finding at the cell in column `letter` (text `text`, bytes `span` of the line).
    pub(crate) fn at(
        &self,
        finding: Finding,
        letter: &str,
        text: &str,
        span: Option<(usize, usize)>,
        label: Option<String>,
    ) -> LocatedFinding {
        let mut f = match (&self.line, span) {
            (Some(line), Some((s, e))) => LocatedFinding::at(
                finding,
                line,
                s,
                e.max(s + 1).min(line.text.len().max(s)),
                label,
            ),
            _ => {
                let snippet = self.cell_snippet(letter, text);
                LocatedFinding::at(finding, &snippet, 0, snippet.text.len(), label)
            }
        };
        f.row = Some(self.row);
        f.cell = Some(format!("{letter}{}", self.row));
        f.sheet = self.sheet.clone();
        f
    }

    /// Places a finding at its cell.
    pub fn locate(&self, finding: Finding, lang: Lang) -> LocatedFinding {
        let path = finding
            .pointer
            .as_deref()
            .map(|p| p.trim_start_matches('/').replace('/', "."))
            .unwrap_or_default();
        // Of two columns for one field, the one holding a value.
        let exact = self
            .cells
            .iter()
            .find(|c| !path.is_empty() && c.path == path && !c.text.trim().is_empty())
            .or_else(|| {
                self.cells
                    .iter()
                    .find(|c| !path.is_empty() && c.path == path)
            });
        // A waiver entry `/waivers/1` lies in the `waivers` cell.
        let within = exact.or_else(|| {
            self.cells
                .iter()
                .find(|c| !path.is_empty() && path.starts_with(&format!("{}.", c.path)))
        });
        match within {
            Some(c) if c.at_header => match &self.header {
                Some(h) => h.at(&(self.file.clone(), self.sheet.clone()), c.column, finding),
                None => self.at(finding, &c.letter, &c.text, c.span, None),
            },
            Some(c) => {
                let label = c
                    .text
                    .trim()
                    .is_empty()
                    .then(|| msg::input::cell_empty(lang, &path));
                self.at(finding, &c.letter, &c.text, c.span, label)
            }
            None => {
                let label = (!path.is_empty()).then(|| msg::input::no_column(lang, &path));
                match self.cells.first() {
                    Some(c) => self.at(finding, &c.letter, &c.text, c.span, label),
                    None => self.at(finding, "A", "", None, label),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(3), "D");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
