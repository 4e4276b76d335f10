//! Inputs: submission files → typed records → findings with positions.
//!
//! Input: a file and its format. Output: one [`RecordReport`] per record, in
//! file order, each finding located at the exact line and column (or
//! spreadsheet cell) of the value. A malformed file, line or row is one
//! `invalid` record; the rest of the batch is still checked. `.jsonl` files
//! are streamed in chunks whose records are checked in parallel (on the
//! current rayon pool), so memory does not grow with a file's length and the
//! order of results never depends on the number of threads. Submissions are
//! only ever read, never written.

mod locate;
mod record;
mod tabular;

pub use locate::{array_elements, locate, Located};
pub use record::{read_record, record_id, type_record, Typed};
pub use tabular::{column_letter, decode_text};

use crate::eval::{evaluate, Finding, Options, Outcome, Severity};
use crate::pack::{Lang, Pack};
use crate::report::{LocatedFinding, RecordReport, Status};
use crate::source::{line_offset, Snippet};
use rayon::prelude::*;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

/// Submission file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One object or an array of objects.
    Json,
    /// One object per line.
    Jsonl,
    /// One record per row under a header of dotted paths.
    Csv,
    /// Every sheet whose first row is such a header.
    Xlsx,
}

/// The format of a file by its extension, or `None` for files to skip.
pub fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        "xlsx" | "xlsm" => Some(Format::Xlsx),
        _ => None,
    }
}

/// The kind implied by a file name (`*project*`, `*county*`), for records without `kind`.
pub fn kind_hint<'p>(pack: &'p Pack, file_name: &str) -> Option<&'p str> {
    let lower = file_name.to_lowercase();
    let mut hits = pack
        .records
        .iter()
        .filter(|r| lower.contains(&r.kind.to_lowercase()));
    let first = hits.next()?;
    hits.next().is_none().then_some(first.kind.as_str())
}

/// Lines of a `.jsonl` file read and checked together: enough to keep every
/// thread busy, few enough that memory stays flat.
const CHUNK_LINES: usize = 4096;

/// One record's input before typing, and how to point into it.
pub(crate) enum Raw {
    /// A JSON value whose text starts at byte `start` of `snippet`.
    Json {
        value: serde_json::Value,
        snippet: Arc<Snippet>,
        start: usize,
    },
    /// A spreadsheet row.
    Row {
        value: serde_json::Value,
        row: Arc<tabular::RowCells>,
    },
    /// Input that could not be read as a record.
    Broken(Box<LocatedFinding>),
}

/// Checks one file, handing the records' reports to `emit` in file order,
/// in batches (a chunk of a stream, or a whole file).
pub fn check_file(
    pack: &Pack,
    shown: &str,
    path: &Path,
    format: Format,
    opts: &Options,
    emit: &mut dyn FnMut(Vec<RecordReport>),
) -> std::io::Result<()> {
    let hint = kind_hint(
        pack,
        path.file_name().and_then(|f| f.to_str()).unwrap_or(shown),
    );
    match format {
        Format::Jsonl => {
            let file = std::fs::File::open(path)?;
            let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
            let mut index = 0usize;
            let mut chunk = read_chunk(&mut reader, &mut index)?;
            while !chunk.is_empty() {
                // Check this chunk while the next one is read.
                let (reports, next) = rayon::join(
                    || {
                        chunk
                            .into_par_iter()
                            .map(|(i, line)| check_line(pack, shown, i, line, hint, opts))
                            .collect::<Vec<Option<RecordReport>>>()
                    },
                    || read_chunk(&mut reader, &mut index),
                );
                emit(reports.into_iter().flatten().collect());
                chunk = next?;
            }
            Ok(())
        }
        Format::Json => {
            let bytes = std::fs::read(path)?;
            let text: Arc<str> = Arc::from(decode_text(&bytes));
            emit(check_text(pack, shown, text, format, opts));
            Ok(())
        }
        Format::Csv => {
            let bytes = std::fs::read(path)?;
            let text = decode_text(&bytes);
            let raws = tabular::csv_records(pack, shown, &text, opts.lang);
            emit(check_raws(pack, shown, raws, hint, opts));
            Ok(())
        }
        Format::Xlsx => {
            let raws = tabular::xlsx_records(pack, shown, path, opts.lang);
            emit(check_raws(pack, shown, raws, hint, opts));
            Ok(())
        }
    }
}

/// The next lines of a `.jsonl` file, numbered from `index`.
fn read_chunk(
    reader: &mut impl BufRead,
    index: &mut usize,
) -> std::io::Result<Vec<(usize, String)>> {
    let mut chunk = Vec::with_capacity(CHUNK_LINES);
    while chunk.len() < CHUNK_LINES {
        let mut buf = Vec::with_capacity(1024);
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        chunk.push((*index, decode_line(buf, *index == 0)));
        *index += 1;
    }
    Ok(chunk)
}

/// A line of a `.jsonl` file as text (a UTF-8 BOM on the first line dropped).
fn decode_line(mut bytes: Vec<u8>, first: bool) -> String {
    while matches!(bytes.last(), Some(b'\n' | b'\r')) {
        bytes.pop();
    }
    if first && bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Checks one line of a `.jsonl` file (`None` for a blank line).
fn check_line(
    pack: &Pack,
    shown: &str,
    index: usize,
    line: String,
    hint: Option<&str>,
    opts: &Options,
) -> Option<RecordReport> {
    if line.trim().is_empty() {
        return None;
    }
    let snippet = Arc::new(Snippet {
        name: shown.to_string(),
        text: Arc::from(line),
        first_line: index,
    });
    let start = snippet.text.len() - snippet.text.trim_start().len();
    // Most lines are plain records: read them straight against the schema.
    if let Some(typed) = read_record(pack, &snippet.text, hint, opts.date, opts.lang) {
        return Some(report_typed(
            pack,
            shown,
            index,
            typed,
            None,
            Locator::Json { snippet, start },
            opts,
        ));
    }
    let raw = match serde_json::from_str::<serde_json::Value>(&snippet.text) {
        Err(e) => Raw::Broken(Box::new(parse_failure(&snippet, &e, opts.lang))),
        Ok(value) => {
            let start = snippet.text.len() - snippet.text.trim_start().len();
            Raw::Json {
                value,
                snippet,
                start,
            }
        }
    };
    Some(check_raw(pack, shown, index, raw, hint, opts))
}

/// Checks the text of a submission file held in memory.
pub fn check_text(
    pack: &Pack,
    name: &str,
    text: Arc<str>,
    format: Format,
    opts: &Options,
) -> Vec<RecordReport> {
    let hint = kind_hint(
        pack,
        Path::new(name)
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or(name),
    );
    let raws: Vec<(usize, Raw)> = match format {
        Format::Json => {
            let snippet = Arc::new(Snippet::file(name, text.clone()));
            match serde_json::from_str::<serde_json::Value>(&text) {
                Err(e) => vec![(
                    0,
                    Raw::Broken(Box::new(parse_failure(&snippet, &e, opts.lang))),
                )],
                Ok(serde_json::Value::Array(items)) => {
                    let spans = array_elements(&text, 0);
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(i, value)| {
                            (
                                i,
                                Raw::Json {
                                    value,
                                    snippet: snippet.clone(),
                                    start: spans.get(i).map_or(0, |s| s.0),
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
        Format::Jsonl => {
            return text
                .split_inclusive('\n')
                .enumerate()
                .collect::<Vec<_>>()
                .into_par_iter()
                .filter_map(|(i, line)| {
                    check_line(
                        pack,
                        name,
                        i,
                        decode_line(line.as_bytes().to_vec(), i == 0),
                        hint,
                        opts,
                    )
                })
                .collect();
        }
        Format::Csv => tabular::csv_records(pack, name, &text, opts.lang),
        // A workbook is binary: it is read from its file (`check_file`), never
        // from text. Say so rather than return no records.
        Format::Xlsx => {
            let message = match opts.lang {
                Lang::Zh => "Excel 工作簿只能从文件读取".to_string(),
                Lang::En => "an .xlsx workbook is read from its file, not from text".to_string(),
            };
            let finding = Finding::input("input.parse", Severity::Error, message, None, None);
            vec![(0, Raw::Broken(Box::new(LocatedFinding::unlocated(finding))))]
        }
    };
    check_raws(pack, name, raws, hint, opts)
}

fn check_raws(
    pack: &Pack,
    name: &str,
    raws: Vec<(usize, Raw)>,
    hint: Option<&str>,
    opts: &Options,
) -> Vec<RecordReport> {
    raws.into_par_iter()
        .map(|(i, raw)| check_raw(pack, name, i, raw, hint, opts))
        .collect()
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
    let message = match lang {
        Lang::Zh => format!("不是有效的 JSON：{reason}"),
        Lang::En => format!("not valid JSON: {reason}"),
    };
    let help = Some(match lang {
        Lang::Zh => "修正此处的 JSON 语法；本文件（或本行）的其余内容未被检查".to_string(),
        Lang::En => {
            "fix the JSON syntax here; the rest of this file (or line) was not checked".to_string()
        }
    });
    let finding = Finding::input("input.parse", Severity::Error, message, help, None);
    LocatedFinding::at(finding, snippet, offset, end, None)
}

/// Checks one raw record.
pub(crate) fn check_raw(
    pack: &Pack,
    name: &str,
    index: usize,
    raw: Raw,
    hint: Option<&str>,
    opts: &Options,
) -> RecordReport {
    let (value, locator) = match raw {
        Raw::Broken(f) => {
            return RecordReport {
                file: name.to_string(),
                index,
                id: None,
                kind: None,
                status: Status::Invalid,
                findings: vec![*f],
            }
        }
        Raw::Json {
            value,
            snippet,
            start,
        } => (value, Locator::Json { snippet, start }),
        Raw::Row { value, row } => (value, Locator::Row(row)),
    };
    let typed = type_record(pack, &value, hint, opts.date, opts.lang);
    let raw_id = match value.get("id") {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    report_typed(pack, name, index, typed, raw_id, locator, opts)
}

/// Evaluates a typed record and places its findings.
fn report_typed(
    pack: &Pack,
    name: &str,
    index: usize,
    typed: Typed,
    raw_id: Option<String>,
    locator: Locator,
    opts: &Options,
) -> RecordReport {
    let mut findings = typed.findings;
    let invalid = typed.record.is_none();
    let id = match &typed.record {
        Some(record) => {
            let evaluated = evaluate(pack, record, opts);
            // Outside the plan's period a record gets the period warning and
            // nothing else but findings that it cannot be read (CONTRACT.md §4.1).
            if evaluated.iter().any(|f| f.outcome == Outcome::OutOfPeriod) {
                findings.retain(|f| matches!(f.rule.as_str(), "input.parse" | "input.record"));
            }
            findings.extend(evaluated);
            record_id(pack, record)
        }
        // A record that cannot be checked still shows the id it gave.
        None => raw_id,
    };
    let status = status_of(invalid, &findings);
    let findings = findings
        .into_iter()
        .map(|f| locator.locate(f, opts.lang))
        .collect();
    RecordReport {
        file: name.to_string(),
        index,
        id,
        kind: typed.kind,
        status,
        findings,
    }
}

/// A record's status from its findings (CONTRACT.md §4).
pub fn status_of(invalid: bool, findings: &[Finding]) -> Status {
    if invalid {
        Status::Invalid
    } else if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Fail
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        Status::Warn
    } else {
        Status::Pass
    }
}

/// How a record's findings are given places.
enum Locator {
    Json { snippet: Arc<Snippet>, start: usize },
    Row(Arc<tabular::RowCells>),
}

impl Locator {
    fn locate(&self, finding: Finding, lang: Lang) -> LocatedFinding {
        match self {
            Locator::Row(row) => row.locate(finding, lang),
            Locator::Json { snippet, start } => {
                let start = *start;
                let text = &snippet.text;
                let Some(pointer) = finding.pointer.clone() else {
                    return LocatedFinding::unlocated(finding);
                };
                match locate(text, start, &pointer) {
                    Some(l) if pointer.is_empty() => LocatedFinding::at(
                        finding,
                        snippet,
                        l.value.0,
                        (l.value.0 + 1).min(l.value.1),
                        None,
                    ),
                    Some(l) if l.complete => {
                        LocatedFinding::at(finding, snippet, l.value.0, l.value.1, None)
                    }
                    Some(l) => {
                        // The value is absent: point at the deepest member that exists.
                        let (s, e) = l.key.unwrap_or((l.value.0, l.value.0 + 1));
                        let path = pointer.trim_start_matches('/').replace('/', ".");
                        let label = match lang {
                            Lang::Zh => format!("此处缺少 `{path}`"),
                            Lang::En => format!("`{path}` is absent here"),
                        };
                        LocatedFinding::at(finding, snippet, s, e, Some(label))
                    }
                    None => LocatedFinding::at(
                        finding,
                        snippet,
                        start,
                        (start + 1).min(text.len()),
                        None,
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbook_text_is_not_silently_empty() {
        let pack = crate::load::embedded().expect("pack");
        let records = check_text(
            &pack,
            "a.xlsx",
            Arc::from("PK"),
            Format::Xlsx,
            &Options::default(),
        );
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].status, Status::Invalid);
        assert_eq!(records[0].findings[0].finding.rule, "input.parse");
    }
}
