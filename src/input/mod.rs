//! Inputs: submission text → typed records, each with how to place its findings.
//!
//! Input: the text (or, for a workbook, the file) of a submission and its
//! format. Output: one [`Item`] per record in file order: a [`Typed`] record
//! with the [`Locator`] that places its findings at the exact line and
//! column (or spreadsheet cell) of a value, or the one finding of a file,
//! line or row that cannot be read as a record. Input never evaluates a
//! rule; the driver ([`crate::run`]) does. Submissions are only ever read.
//!
//! - `typing`: a JSON value → a typed record (the general path).
//! - `fast`: a record's JSON text → a typed record without building a value.
//! - `locate`: JSON Pointers → byte spans, and the [`Locator`] of a record.
//! - `tabular`: CSV and XLSX rows → the same JSON objects, placed at cells.
//! - `jsonl`: `.jsonl` streams in chunks.

mod fast;
pub mod jsonl;
mod locate;
mod tabular;
mod typing;

pub use fast::read_record;
pub use locate::{array_elements, locate, Located, Locator};
pub use tabular::{column_letter, decode_text, number_text, percent_text, RowCells, EXAMPLE_MARK};
pub use typing::{type_record, ColumnNames, Typed};

use crate::i18n::{msg, Lang};
use crate::model::{Finding, LocatedFinding, Reserved};
use crate::pack::Pack;
use crate::source::{line_offset, Snippet};
use crate::units::Date;
use std::path::Path;
use std::sync::Arc;

/// Submission file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One object or an array of objects.
    Json,
    /// One object per line.
    Jsonl,
    /// One record per row under a header naming fields.
    Csv,
    /// A workbook (`.xlsx`, `.xlsm`, `.xls`): every sheet with such a header.
    Workbook,
}

/// The format of a file by its extension, or `None` for files to skip.
/// Lock and temporary files of office programs (`~$report.xlsx`,
/// `.~lock.report.xlsx#`) are never submissions.
pub fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    if is_office_lock(name) {
        return None;
    }
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        "xlsx" | "xlsm" | "xls" => Some(Format::Workbook),
        _ => None,
    }
}

/// Whether a file name is a lock or owner file of Excel, WPS or LibreOffice.
pub fn is_office_lock(name: &str) -> bool {
    name.starts_with("~$") || (name.starts_with(".~lock.") && name.ends_with('#'))
}

/// The kind implied by a file name, for records without `kind`: the one
/// kind whose name (`*project*`, `*county*`), or a word of whose Chinese
/// label (`项目台账.xlsx` for 建设项目申请, `指标.csv` for 县（市、区）指标报告),
/// the file name holds.
pub fn kind_hint<'p>(pack: &'p Pack, file_name: &str) -> Option<&'p str> {
    let name = Path::new(file_name)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(file_name);
    let lower = name.to_lowercase();
    let unique = |hits: Vec<&'p str>| match hits.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let by_code: Vec<&str> = pack
        .records
        .iter()
        .filter(|r| lower.contains(&r.kind.to_lowercase()))
        .map(|r| r.kind.as_str())
        .collect();
    if !by_code.is_empty() {
        return unique(by_code);
    }
    // Two-character words of the Chinese labels that only one kind has.
    let words = |r: &crate::pack::RecordDef| -> Vec<String> {
        let label: Vec<char> = r
            .labels
            .as_ref()
            .map(|l| {
                l.zh.chars()
                    .filter(|c| !c.is_ascii() && c.is_alphanumeric())
                    .collect()
            })
            .unwrap_or_default();
        label.windows(2).map(|w| w.iter().collect()).collect()
    };
    let by_label: Vec<&str> = pack
        .records
        .iter()
        .filter(|r| {
            words(r).iter().any(|w| {
                lower.contains(w.as_str())
                    && pack
                        .records
                        .iter()
                        .filter(|o| o.kind != r.kind)
                        .all(|o| !words(o).contains(w))
            })
        })
        .map(|r| r.kind.as_str())
        .collect();
    unique(by_label)
}

/// How a record is read: the settings every record of a file shares.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions<'a> {
    /// The kind implied by the file name, for records without `kind`.
    pub hint: Option<&'a str>,
    /// `--date`: records need no date of their own.
    pub date: Option<Date>,
    /// The language of findings.
    pub lang: Lang,
}

/// One record's input before typing, and how to point into it.
pub enum Raw {
    /// A JSON value whose text starts at byte `start` of `snippet`.
    Json {
        /// The value.
        value: serde_json::Value,
        /// The text it was read from.
        snippet: Arc<Snippet>,
        /// Where its text starts.
        start: usize,
    },
    /// A spreadsheet row.
    Row {
        /// The row as the JSON object a `.json` submission would hold.
        value: serde_json::Value,
        /// Its cells, for placing findings.
        row: Arc<RowCells>,
        /// Fields named as the user wrote the columns, for messages.
        names: Arc<ColumnNames>,
        /// Findings about the sheet's header given to this record, placed.
        extra: Vec<LocatedFinding>,
    },
    /// Input that could not be read as a record.
    Broken(Box<LocatedFinding>),
}

/// One record, read and typed.
pub enum Item {
    /// A record typed against the pack (possibly invalid as a whole).
    Typed {
        /// The typing result.
        typed: Typed,
        /// The `id` as written, shown for a record that cannot be checked.
        raw_id: Option<String>,
        /// How its findings are placed.
        locator: Locator,
        /// Findings already placed (about a spreadsheet's header).
        extra: Vec<LocatedFinding>,
    },
    /// Input that could not be read as a record, with its one finding.
    Broken(Box<LocatedFinding>),
}

/// The raw records of a text held in memory (`.json`, `.csv`; `.jsonl`
/// is read line by line with [`read_line`]).
pub fn raws_of_text(
    pack: &Pack,
    name: &str,
    text: Arc<str>,
    format: Format,
    lang: Lang,
) -> Vec<(usize, Raw)> {
    match format {
        Format::Json => json_raws(name, text, lang),
        Format::Jsonl => text
            .split_inclusive('\n')
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| {
                let line = jsonl::decode_line(line.as_bytes().to_vec(), i == 0);
                (i, line_raw(name, i, line, lang))
            })
            .collect(),
        Format::Csv => tabular::csv_records(pack, name, &text, lang),
        // A workbook is binary: it is read from its file, never from text.
        // Say so rather than return no records.
        Format::Workbook => {
            let finding = Finding::input(
                Reserved::InputParse,
                msg::input::workbook_from_text(lang),
                None,
                None,
            );
            vec![(0, Raw::Broken(Box::new(LocatedFinding::unlocated(finding))))]
        }
    }
}

/// The raw records of the workbook at `path`.
pub fn raws_of_workbook(pack: &Pack, name: &str, path: &Path, lang: Lang) -> Vec<(usize, Raw)> {
    tabular::workbook_records(pack, name, path, lang)
}

/// The records of a `.json` text: one object, or every element of an array.
fn json_raws(name: &str, text: Arc<str>, lang: Lang) -> Vec<(usize, Raw)> {
    let snippet = Arc::new(Snippet::file(name, text.clone()));
    match serde_json::from_str::<serde_json::Value>(&text) {
        Err(e) => vec![(0, Raw::Broken(Box::new(parse_failure(&snippet, &e, lang))))],
        Ok(serde_json::Value::Array(items)) => {
            let spans = array_elements(&text, 0);
            items
                .into_iter()
                .enumerate()
                .map(|(i, value)| {
                    let start = spans.get(i).map_or(0, |s| s.0);
                    (
                        i,
                        Raw::Json {
                            value,
                            snippet: snippet.clone(),
                            start,
                        },
                    )
                })
                .collect()
        }
        Ok(value) => {
            let start = text
                .find(|c: char| !c.is_whitespace() && c != '\u{feff}')
                .unwrap_or(0);
            vec![(
                0,
                Raw::Json {
                    value,
                    snippet,
                    start,
                },
            )]
        }
    }
}

/// One line of a `.jsonl` file as a raw record.
fn line_raw(name: &str, index: usize, line: String, lang: Lang) -> Raw {
    let snippet = line_snippet(name, index, line);
    match serde_json::from_str::<serde_json::Value>(&snippet.text) {
        Err(e) => Raw::Broken(Box::new(parse_failure(&snippet, &e, lang))),
        Ok(value) => {
            let start = snippet.text.len() - snippet.text.trim_start().len();
            Raw::Json {
                value,
                snippet,
                start,
            }
        }
    }
}

fn line_snippet(name: &str, index: usize, line: String) -> Arc<Snippet> {
    Arc::new(Snippet {
        name: name.to_string(),
        text: Arc::from(line),
        first_line: index,
    })
}

/// Reads and types one line of a `.jsonl` file (`None` for a blank line).
/// Most lines are plain records, read straight against the schema; the
/// others take the general path.
pub fn read_line(
    pack: &Pack,
    name: &str,
    index: usize,
    line: String,
    ro: &ReadOptions<'_>,
) -> Option<Item> {
    if line.trim().is_empty() {
        return None;
    }
    let snippet = line_snippet(name, index, line);
    let start = snippet.text.len() - snippet.text.trim_start().len();
    if let Some(typed) = read_record(pack, &snippet.text, ro.hint, ro.date, ro.lang) {
        return Some(Item::Typed {
            typed,
            raw_id: None,
            locator: Locator::Json { snippet, start },
            extra: Vec::new(),
        });
    }
    let raw = match serde_json::from_str::<serde_json::Value>(&snippet.text) {
        Err(e) => Raw::Broken(Box::new(parse_failure(&snippet, &e, ro.lang))),
        Ok(value) => Raw::Json {
            value,
            snippet,
            start,
        },
    };
    Some(type_raw(pack, raw, ro))
}

/// Types one raw record.
pub fn type_raw(pack: &Pack, raw: Raw, ro: &ReadOptions<'_>) -> Item {
    let (value, locator, names, extra) = match raw {
        Raw::Broken(f) => return Item::Broken(f),
        Raw::Json {
            value,
            snippet,
            start,
        } => (value, Locator::Json { snippet, start }, None, Vec::new()),
        Raw::Row {
            value,
            row,
            names,
            extra,
        } => (value, Locator::Row(row), Some(names), extra),
    };
    let typed = type_record(pack, &value, ro.hint, ro.date, ro.lang, names.as_deref());
    let raw_id = match value.get("id") {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    Item::Typed {
        typed,
        raw_id,
        locator,
        extra,
    }
}

/// A file (or line) that is not valid JSON: the finding at the error.
fn parse_failure(snippet: &Arc<Snippet>, e: &serde_json::Error, lang: Lang) -> LocatedFinding {
    // serde_json counts lines from 1 and columns in bytes.
    let text = &snippet.text;
    let line_start = line_offset(text, e.line().max(1));
    let mut offset = (line_start + e.column().max(1) - 1).min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let end = text
        .get(offset..)
        .and_then(|r| r.chars().next())
        .map_or(offset, |c| offset + c.len_utf8());
    let reason = e.to_string();
    let reason = reason
        .split(" at line")
        .next()
        .unwrap_or(&reason)
        .to_string();
    let reason = match lang {
        Lang::En => reason,
        Lang::Zh => msg::input::json_reason_zh(&reason),
    };
    let finding = Finding::input(
        Reserved::InputParse,
        msg::input::not_json(lang, &reason),
        Some(msg::input::not_json_help(lang)),
        None,
    );
    LocatedFinding::at(finding, snippet, offset, end, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_say_the_kind_in_english_or_chinese() {
        let pack = crate::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors));
        assert_eq!(kind_hint(&pack, "data/projects-2018.csv"), Some("project"));
        assert_eq!(kind_hint(&pack, "冠县2018年指标.xlsx"), Some("county"));
        assert_eq!(kind_hint(&pack, "项目台账.xlsx"), Some("project"));
        assert_eq!(kind_hint(&pack, "data.csv"), None);
        assert_eq!(kind_hint(&pack, "project-and-county.csv"), None);
    }

    #[test]
    fn lock_files_are_not_submissions() {
        assert_eq!(format_of(Path::new("a/~$report.xlsx")), None);
        assert_eq!(format_of(Path::new("a/.~lock.report.xlsx#")), None);
        assert_eq!(format_of(Path::new("a/report.XLS")), Some(Format::Workbook));
    }
}
