//! `--format json`: exactly CONTRACT.md §5. The document can be written a
//! record at a time (header, records, summary), so a large batch streams.

use super::emit::{Emitter, RunEnd};
use super::Summary;
use crate::model::{Outcome, RecordReport};
use crate::pack::Pack;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Value};
use std::borrow::Cow;
use std::io::{self, Write};

/// `--format json`: the document of CONTRACT.md §5, written a record at a
/// time (records serialized in parallel, written in order), so memory stays
/// flat; `summary` follows `records`.
pub struct JsonEmitter<'p> {
    pack: &'p Pack,
    first: bool,
}

impl<'p> JsonEmitter<'p> {
    /// An emitter for a run with `pack`.
    pub fn new(pack: &'p Pack) -> Self {
        JsonEmitter { pack, first: true }
    }
}

impl Emitter for JsonEmitter<'_> {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let (version, pack_v) = json_header(self.pack);
        let head =
            format!("{{\n  \"plancheck\": {version},\n  \"pack\": {pack_v},\n  \"records\": [");
        out.write_all(crate::text::json_safe(&head).as_bytes())
    }

    fn records(&mut self, out: &mut dyn Write, batch: &[RecordReport]) -> io::Result<()> {
        // Runs of records are serialized in parallel, each run into one
        // buffer, then written in order.
        const RUN: usize = 64;
        let texts: Vec<Vec<u8>> = batch
            .par_chunks(RUN)
            .map(|run| render_records(self.pack, run))
            .collect();
        for text in texts {
            self.rendered(out, &text)?;
        }
        Ok(())
    }

    fn rendered(&mut self, out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        out.write_all(if self.first { b"\n    " } else { b",\n    " })?;
        self.first = false;
        out.write_all(bytes)
    }

    fn finish(&mut self, out: &mut dyn Write, end: &RunEnd) -> io::Result<()> {
        let mut summary = json_summary(end.files, &end.summary);
        // Additive to CONTRACT.md §5: files of the folders given not checked.
        if let Some(o) = summary.as_object_mut() {
            o.insert("skipped".into(), end.skipped.into());
        }
        write!(out, "\n  ],\n  \"summary\": {summary}\n}}\n")?;
        out.flush()
    }
}

/// Records as the document's `records` array holds them, joined as it
/// joins them (what comes before the first is the emitter's to write).
pub fn render_records(pack: &Pack, records: &[RecordReport]) -> Vec<u8> {
    let mut buf = Vec::with_capacity(records.len() * 160);
    render_records_into(pack, records, &mut buf);
    buf
}

/// [`render_records`] at the end of `buf`.
pub fn render_records_into(pack: &Pack, records: &[RecordReport], buf: &mut Vec<u8>) {
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            buf.extend_from_slice(b",\n    ");
        }
        let _ = write_json_record(buf, pack, r);
    }
}

/// One finding as the contract shows it.
#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    outcome: &'static str,
    severity: Option<&'static str>,
    message: &'a str,
    path: Option<Cow<'a, str>>,
    line: Option<usize>,
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actual: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    track: Option<TrackOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<CitationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

/// The path to a target a limit lies on (additive to CONTRACT.md §5).
#[derive(Serialize)]
struct TrackOut {
    baseline: f64,
    baseline_year: i64,
    target: f64,
    target_year: i64,
    year: i64,
}

#[derive(Serialize)]
struct CitationOut<'a> {
    section: &'a str,
    quote: Cow<'a, str>,
}

/// One record as the contract shows it.
#[derive(Serialize)]
struct RecordOut<'a> {
    file: &'a str,
    index: usize,
    id: Option<&'a str>,
    kind: Option<&'a str>,
    status: &'static str,
    findings: Vec<FindingOut<'a>>,
}

fn record_out<'a>(pack: &'a Pack, r: &'a RecordReport) -> RecordOut<'a> {
    RecordOut {
        file: &r.file,
        index: r.index,
        id: r.id.as_deref(),
        kind: r.kind.as_deref(),
        status: r.status.as_str(),
        findings: findings_out(pack, r),
    }
}

/// A record's findings as the contract shows them.
fn findings_out<'a>(pack: &'a Pack, r: &'a RecordReport) -> Vec<FindingOut<'a>> {
    r.findings
        .iter()
        .map(|f| {
            let path = match (&f.finding.pointer, &f.cell) {
                // In a spreadsheet, the column's dotted path.
                (Some(p), Some(_)) => Some(Cow::Owned(p.trim_start_matches('/').replace('/', "."))),
                (Some(p), None) => Some(Cow::Borrowed(p.as_str())),
                (None, _) => None,
            };
            let citation = pack
                .rule(f.finding.rule.as_str())
                .and_then(|rule| rule.cites.first())
                .map(|c| CitationOut {
                    section: &c.section,
                    quote: match c.quotes.as_slice() {
                        [(one, _)] => Cow::Borrowed(one.as_str()),
                        many => Cow::Owned(
                            many.iter()
                                .map(|(q, _)| q.as_str())
                                .collect::<Vec<_>>()
                                .join(" … "),
                        ),
                    },
                });
            FindingOut {
                rule: f.finding.rule.as_str(),
                outcome: f.finding.outcome.as_str(),
                severity: match f.finding.outcome {
                    Outcome::Pass | Outcome::NotApplicable => None,
                    _ => Some(f.finding.severity.as_str()),
                },
                message: &f.finding.message,
                path,
                line: f.line,
                column: f.column,
                row: f.cell.as_ref().and(f.row),
                cell: f.cell.as_deref(),
                sheet: f.sheet.as_deref(),
                actual: f.finding.numbers.as_ref().map(|n| n.actual),
                limit: f.finding.numbers.as_ref().map(|n| n.limit),
                unit: f.finding.numbers.as_ref().map(|n| n.unit.as_str()),
                margin: f.finding.numbers.as_ref().map(|n| n.margin),
                track: f
                    .finding
                    .numbers
                    .as_ref()
                    .and_then(|n| n.track.as_ref())
                    .map(|t| TrackOut {
                        baseline: t.baseline,
                        baseline_year: t.baseline_year,
                        target: t.target,
                        target_year: t.target_year,
                        year: t.year,
                    }),
                citation,
                help: f.finding.help.as_deref(),
            }
        })
        .collect()
}

/// One record as the contract shows it.
pub fn json_record(pack: &Pack, r: &RecordReport) -> Value {
    serde_json::to_value(record_out(pack, r)).unwrap_or(Value::Null)
}

/// Appends one record to `buf` as compact JSON, without building a `Value`:
/// the bytes serde_json writes for `RecordOut`, the record's own members
/// written directly (a batch is mostly records that pass, with nothing
/// but these), its findings by serde_json.
pub fn write_json_record(buf: &mut Vec<u8>, pack: &Pack, r: &RecordReport) -> io::Result<()> {
    let start = buf.len();
    let written = (|| {
        buf.extend_from_slice(b"{\"file\":");
        write_json_str(buf, &r.file)?;
        buf.extend_from_slice(b",\"index\":");
        write!(buf, "{}", r.index).map_err(serde_json::Error::io)?;
        for (name, value) in [(&b",\"id\":"[..], &r.id), (&b",\"kind\":"[..], &r.kind)] {
            buf.extend_from_slice(name);
            match value {
                Some(v) => write_json_str(buf, v)?,
                None => buf.extend_from_slice(b"null"),
            }
        }
        buf.extend_from_slice(b",\"status\":");
        write_json_str(buf, r.status.as_str())?;
        buf.extend_from_slice(b",\"findings\":");
        if r.findings.is_empty() {
            buf.extend_from_slice(b"[]");
        } else {
            serde_json::to_writer(&mut *buf, &findings_out(pack, r))?;
        }
        buf.push(b'}');
        Ok::<_, serde_json::Error>(())
    })();
    if let Err(e) = written {
        // Nothing half-written stays behind.
        buf.truncate(start);
        return Err(io::Error::other(e));
    }
    let written = buf.get(start..).unwrap_or(&[]);
    if crate::text::may_need_json_escape(written) {
        let text = String::from_utf8_lossy(written).into_owned();
        buf.truncate(start);
        buf.extend_from_slice(crate::text::json_safe(&text).as_bytes());
    }
    Ok(())
}

/// A JSON string as serde_json writes it: text without a quote, a
/// backslash or a control character (nearly all) as it is, in quotes;
/// anything else by serde_json itself.
fn write_json_str(buf: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        return serde_json::to_writer(&mut *buf, s);
    }
    buf.push(b'"');
    buf.extend_from_slice(s.as_bytes());
    buf.push(b'"');
    Ok(())
}

/// The document's opening members.
pub fn json_header(pack: &Pack) -> (Value, Value) {
    (
        json!(env!("CARGO_PKG_VERSION")),
        json!({ "name": pack.name, "rules": pack.rules.len() }),
    )
}

/// The `summary` member.
pub fn json_summary(files: usize, s: &Summary) -> Value {
    json!({
        "files": files,
        "records": s.records(),
        "pass": s.pass,
        "warn": s.warn,
        "fail": s.fail,
        "invalid": s.invalid,
        "findings": { "error": s.errors, "warning": s.warnings, "note": s.notes },
    })
}

/// The JSON document of a run held in memory.
pub fn render_json(pack: &Pack, files: usize, records: &[RecordReport]) -> Value {
    let (version, pack_v) = json_header(pack);
    let mut summary = Summary::default();
    records.iter().for_each(|r| summary.add(r));
    json!({
        "plancheck": version,
        "pack": pack_v,
        "summary": json_summary(files, &summary),
        "records": records.iter().map(|r| json_record(pack, r)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RecordReport, Status};

    #[test]
    fn records_are_written_as_serde_json_writes_them() {
        let pack = crate::load::embedded().unwrap_or_else(|e| panic!("{:?}", e.errors));
        let mut reports = crate::report::tests::reports();
        for (file, id) in [
            ("a \"quoted\" \\ name.jsonl", Some("tab\there")),
            ("聊城\u{1}.json", None),
            ("plain.json", Some("line\nbreak \u{7f} \u{2028}")),
        ] {
            reports.push(RecordReport {
                file: file.into(),
                index: 12345,
                id: id.map(str::to_string),
                kind: None,
                status: Status::Pass,
                findings: Vec::new(),
                record: None,
            });
        }
        for r in &reports {
            let mut written = Vec::new();
            write_json_record(&mut written, &pack, r).expect("written");
            let by_serde = serde_json::to_string(&record_out(&pack, r)).expect("serialised");
            let by_serde = crate::text::json_safe(&by_serde).into_owned();
            assert_eq!(String::from_utf8(written).expect("UTF-8"), by_serde);
        }
    }
}
