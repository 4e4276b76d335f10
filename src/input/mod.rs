//! Inputs: submission files → typed records → findings with positions.
//!
//! Input: a file's text and its format. Output: one [`RecordReport`] per
//! record, its findings located at the exact line and column of the value.
//! A malformed file or line is one `invalid` record; the rest of the batch is
//! still checked. Submissions are only ever read, never written.

mod locate;
mod record;

pub use locate::{array_elements, locate, Located};
pub use record::{record_id, type_record, Typed};

use crate::eval::{evaluate, Finding, Options, Outcome, Severity};
use crate::pack::{Lang, Pack};
use crate::report::{LocatedFinding, RecordReport, Status};
use crate::source::{line_column, line_offset, SourceId, SourceMap, Span};
use std::path::Path;
use std::sync::Arc;

/// Submission file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One object or an array of objects.
    Json,
    /// One object per line.
    Jsonl,
}

/// The format of a file by its extension, or `None` for files to skip.
pub fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        _ => None,
    }
}

/// The kind implied by a file name (`*project*`, `*county*`), for records without `kind`.
pub fn kind_hint<'p>(pack: &'p Pack, file_name: &str) -> Option<&'p str> {
    let lower = file_name.to_lowercase();
    let mut hits = pack.records.iter().filter(|r| lower.contains(&r.kind.to_lowercase()));
    let first = hits.next()?;
    hits.next().is_none().then_some(first.kind.as_str())
}

/// Checks the text of one submission file.
pub fn check_text(pack: &Pack, sources: &mut SourceMap, name: &str, text: Arc<str>, format: Format, opts: &Options) -> Vec<RecordReport> {
    let source = sources.add(name, text.clone());
    let hint = kind_hint(pack, Path::new(name).file_name().and_then(|f| f.to_str()).unwrap_or(name));
    let mut out = Vec::new();
    match format {
        Format::Json => match serde_json::from_str::<serde_json::Value>(&text) {
            Err(e) => out.push(parse_failure(name, source, &text, 0, 0, &e, opts.lang)),
            Ok(serde_json::Value::Array(items)) => {
                let spans = array_elements(&text, 0);
                for (index, item) in items.iter().enumerate() {
                    let start = spans.get(index).map_or(0, |s| s.0);
                    out.push(check_value(pack, name, source, &text, start, index, item, hint, opts));
                }
            }
            Ok(value) => {
                let start = text.find(|c: char| !c.is_whitespace() && c != '\u{feff}').unwrap_or(0);
                out.push(check_value(pack, name, source, &text, start, 0, &value, hint, opts));
            }
        },
        Format::Jsonl => {
            let mut offset = 0usize;
            for (index, line) in text.split_inclusive('\n').enumerate() {
                let start = offset;
                offset += line.len();
                let body = line.trim_end_matches(['\n', '\r']);
                if body.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str::<serde_json::Value>(body) {
                    Err(e) => out.push(parse_failure(name, source, &text, start, index, &e, opts.lang)),
                    Ok(value) => {
                        let lead = body.len() - body.trim_start_matches([' ', '\t', '\u{feff}']).len();
                        out.push(check_value(pack, name, source, &text, start + lead, index, &value, hint, opts));
                    }
                }
            }
        }
    }
    out
}

/// A file (or line) that is not valid JSON: one invalid record.
fn parse_failure(name: &str, source: SourceId, text: &str, base: usize, index: usize, e: &serde_json::Error, lang: Lang) -> RecordReport {
    // serde_json counts lines from the start of what it parsed, columns in bytes.
    let (line_in, col) = (e.line().max(1), e.column().max(1));
    let base_line = line_column(text, base).0;
    let line_start = line_offset(text, base_line + line_in - 1);
    let mut offset = (line_start + col - 1).min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let end = text.get(offset..).and_then(|r| r.chars().next()).map_or(offset, |c| offset + c.len_utf8());
    let reason = e.to_string();
    let reason = reason.split(" at line").next().unwrap_or(&reason).to_string();
    let message = match lang {
        Lang::Zh => format!("不是有效的 JSON：{reason}"),
        Lang::En => format!("not valid JSON: {reason}"),
    };
    let help = Some(match lang {
        Lang::Zh => "修正此处的 JSON 语法；本文件（或本行）的其余内容未被检查".to_string(),
        Lang::En => "fix the JSON syntax here; the rest of this file (or line) was not checked".to_string(),
    });
    let finding = Finding { rule: "input.parse".into(), outcome: Outcome::Invalid, severity: Severity::Error, message, help, pointer: None, numbers: None };
    let located = LocatedFinding::at(finding, Span::new(source, offset, end), text, None);
    RecordReport { file: name.to_string(), source, index, id: None, kind: None, status: Status::Invalid, findings: vec![located] }
}

#[expect(clippy::too_many_arguments, reason = "one record's full context")]
fn check_value(pack: &Pack, name: &str, source: SourceId, text: &str, start: usize, index: usize, value: &serde_json::Value, hint: Option<&str>, opts: &Options) -> RecordReport {
    let typed = type_record(pack, value, hint, opts.date, opts.lang);
    let mut findings = typed.findings;
    let mut id = None;
    let invalid = typed.record.is_none();
    if let Some(record) = &typed.record {
        id = record_id(pack, record);
        findings.extend(evaluate(pack, record, opts));
    } else if let Some(serde_json::Value::String(s)) = value.get("id") {
        id = Some(s.clone());
    }
    let status = status_of(invalid, &findings);
    let findings = findings.into_iter().map(|f| locate_finding(pack, source, text, start, f, opts.lang)).collect();
    RecordReport { file: name.to_string(), source, index, id, kind: typed.kind, status, findings }
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

fn locate_finding(pack: &Pack, source: SourceId, text: &str, start: usize, finding: Finding, lang: Lang) -> LocatedFinding {
    let Some(pointer) = &finding.pointer else {
        return LocatedFinding::unlocated(finding);
    };
    let (span, label) = match locate(text, start, pointer) {
        Some(l) if pointer.is_empty() => (Span::new(source, l.value.0, (l.value.0 + 1).min(l.value.1)), None),
        Some(l) if l.complete => (Span::new(source, l.value.0, l.value.1), None),
        Some(l) => {
            // The value is absent: point at the deepest member that exists.
            let (s, e) = match l.key {
                Some(k) => k,
                None => (l.value.0, l.value.0 + 1),
            };
            let path = pointer.trim_start_matches('/').replace('/', ".");
            let label = match lang {
                Lang::Zh => format!("此处缺少 `{path}`"),
                Lang::En => format!("`{path}` is absent here"),
            };
            (Span::new(source, s, e), Some(label))
        }
        None => (Span::new(source, start, (start + 1).min(text.len())), None),
    };
    let _ = pack;
    LocatedFinding::at(finding, span, text, label)
}
