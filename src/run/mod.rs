//! The driver: the one place a submission becomes reports.
//!
//! read → type (`input`) → evaluate (`eval`) → locate (`input::Locator`) →
//! status (`model::Status`). A file's records come out in file order, in
//! batches (a chunk of a `.jsonl` stream, or a whole file), checked in
//! parallel on the current rayon pool (`pipeline`: a stream's chunks each on
//! one thread); the order of results never depends on the number of
//! threads. The driver never prints.
//!
//! - `targets`: which files a command names, and checking many in order.
//! - `examples`: the examples written next to the rules (`rules test`).
//! - `pipeline`: a stream of many chunks checked on every thread, in order.

mod examples;
mod pipeline;
mod targets;

pub use examples::{run_examples, ExampleResult};
pub use targets::{
    check_targets, collect_targets, stream_targets, Exclude, PathError, SkipReason, Skipped,
    Target, Walk,
};

use crate::eval::{evaluate, record_id};
use crate::input::{self, Format, Item, ReadOptions};
use crate::model::{LocatedFinding, Options, Outcome, RecordReport, Reserved, Status};
use crate::pack::Pack;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Checks one file, handing the records' reports to `emit` in file order,
/// in batches (a chunk of the stream), each checked in parallel while the
/// next is read. A file that holds no record at all is reported as such:
/// nothing recognised never passes.
pub fn check_file(
    pack: &Pack,
    shown: &str,
    path: &Path,
    format: Format,
    opts: &Options,
    emit: &mut dyn FnMut(Vec<RecordReport>),
) -> std::io::Result<()> {
    let ro = ReadOptions {
        hint: input::kind_hint(
            pack,
            path.file_name().and_then(|f| f.to_str()).unwrap_or(shown),
        ),
        date: opts.date,
        lang: opts.lang,
    };
    let mut records = 0usize;
    let mut counted = |batch: Vec<RecordReport>| {
        records += batch.len();
        if !batch.is_empty() {
            emit(batch);
        }
    };
    if format == Format::Workbook {
        input::workbook_records(pack, shown, path, opts.lang, &mut |raws| {
            if opts.cancel.is_set() {
                return false;
            }
            counted(check_raws(pack, shown, raws, &ro, opts));
            true
        });
    } else {
        let file = std::fs::File::open(path)?;
        let whole = file.metadata()?.len() <= WHOLE_JSON_BYTES;
        check_stream(pack, shown, file, format, whole, &ro, opts, &mut counted)?;
    }
    // A run stopped early says nothing about what it did not read.
    if records == 0 && !opts.cancel.is_set() {
        emit(vec![no_record(shown, opts)]);
    }
    Ok(())
}

/// A `.json` file up to this size is judged whole: if any of it is not
/// JSON, the file is the one invalid record (CONTRACT.md §4.1). A larger
/// file streams: the records before a syntax error are checked and the
/// error is one more invalid record, so memory stays bounded.
pub const WHOLE_JSON_BYTES: u64 = 16 << 20;

/// Checks the records of a text stream, chunk by chunk (`pipeline`: many
/// chunks are checked at once, each on one thread).
#[expect(
    clippy::too_many_arguments,
    reason = "the stream, how to read it and where results go are all distinct"
)]
fn check_stream<R: std::io::Read + Send>(
    pack: &Pack,
    name: &str,
    source: R,
    format: Format,
    whole: bool,
    ro: &ReadOptions<'_>,
    opts: &Options,
    emit: &mut dyn FnMut(Vec<RecordReport>),
) -> std::io::Result<()> {
    // Only a table's header needs the index of field titles.
    let titles = (format == Format::Csv).then(|| input::titles(pack));
    let mut records =
        input::TextRecords::new(pack, titles.as_deref(), name, source, format, opts.lang)?;
    let hold = whole && format == Format::Json;
    let mut held: Vec<RecordReport> = Vec::new();
    let mut hand_over = |reports: Vec<RecordReport>| {
        if hold {
            held.extend(reports);
        } else {
            emit(reports);
        }
    };
    if let Some(first) = records.next_chunk()? {
        if records.finished() {
            // One chunk (often a file checked by itself): its records are
            // checked in parallel.
            if !opts.cancel.is_set() {
                hand_over(check_raws(pack, name, first, ro, opts));
            }
        } else {
            pipeline::check_chunks(pack, name, &mut records, first, ro, opts, &mut hand_over)?;
        }
    }
    if hold {
        // A file that is not JSON is one invalid record, wherever the error is.
        match held.iter().position(is_parse_failure) {
            Some(i) => {
                let mut broken = held.swap_remove(i);
                broken.index = 0;
                broken.id = None;
                emit(vec![broken]);
            }
            None => emit(held),
        }
    }
    Ok(())
}

/// Whether a report is of text that could not be read at all.
fn is_parse_failure(r: &RecordReport) -> bool {
    r.status == Status::Invalid
        && r.findings
            .first()
            .is_some_and(|f| f.finding.rule.is(Reserved::InputParse))
}

/// The one record of a file that holds none.
fn no_record(name: &str, opts: &Options) -> RecordReport {
    let finding = crate::model::Finding::input(
        Reserved::InputRecord,
        crate::i18n::msg::input::no_record(opts.lang, name),
        Some(crate::i18n::msg::input::no_record_help(opts.lang)),
        None,
    );
    RecordReport {
        file: name.to_string(),
        index: 0,
        id: None,
        kind: None,
        status: Status::Invalid,
        findings: vec![LocatedFinding::unlocated(finding)],
        record: None,
    }
}

/// Checks the text of a submission file held in memory (the service, the
/// watcher's tests): the same reading as a file's.
pub fn check_text(
    pack: &Pack,
    name: &str,
    text: Arc<str>,
    format: Format,
    opts: &Options,
) -> Vec<RecordReport> {
    let ro = ReadOptions {
        hint: input::kind_hint(pack, name),
        date: opts.date,
        lang: opts.lang,
    };
    let mut reports = Vec::new();
    let read = check_stream(
        pack,
        name,
        text.as_bytes(),
        format,
        true,
        &ro,
        opts,
        &mut |batch| reports.extend(batch),
    );
    // Reading from memory cannot fail; were it to, the text is not a pass.
    if read.is_err() || reports.is_empty() {
        return vec![no_record(name, opts)];
    }
    reports
}

fn check_raws(
    pack: &Pack,
    name: &str,
    raws: Vec<(usize, input::Raw)>,
    ro: &ReadOptions<'_>,
    opts: &Options,
) -> Vec<RecordReport> {
    // A run asked to stop (Ctrl-C in `watch`) checks no further record.
    raws.into_par_iter()
        .filter(|_| !opts.cancel.is_set())
        .map(|(i, raw)| report(pack, name, i, input::type_raw(pack, raw, ro), opts))
        .collect()
}

/// Evaluates a read record, places its findings and decides its status.
pub fn report(pack: &Pack, name: &str, index: usize, item: Item, opts: &Options) -> RecordReport {
    let (typed, locator, extra) = match item {
        Item::Broken(f) => {
            return RecordReport {
                file: name.to_string(),
                index,
                id: None,
                kind: None,
                status: Status::Invalid,
                findings: vec![*f],
                record: None,
            }
        }
        Item::Typed {
            typed,
            locator,
            extra,
        } => (typed, locator, extra),
    };
    let mut findings = typed.findings;
    let invalid = typed.record.is_none();
    let kept = if opts.keep_records {
        typed.record.clone().map(Arc::new)
    } else {
        None
    };
    let id = match &typed.record {
        Some(record) => {
            let evaluated = evaluate(pack, record, opts);
            // Outside the plan's period a record gets the period warning and
            // nothing else but findings that it cannot be read (CONTRACT.md §4.1).
            if evaluated.iter().any(|f| f.outcome == Outcome::OutOfPeriod) {
                findings.retain(|f| {
                    f.rule.is(Reserved::InputParse) || f.rule.is(Reserved::InputRecord)
                });
            }
            findings.extend(evaluated);
            record_id(pack, record)
        }
        // A record that cannot be checked still shows the id it gave.
        None => typed.id.clone(),
    };
    let status = Status::of(
        invalid,
        findings
            .iter()
            .chain(extra.iter().map(|f| &f.finding))
            .map(|f| f.severity),
    );
    // Findings about a spreadsheet's header come first, as the header does.
    let findings: Vec<LocatedFinding> = extra
        .into_iter()
        .chain(findings.into_iter().map(|f| locator.place(f, opts.lang)))
        .collect();
    RecordReport {
        file: name.to_string(),
        index,
        id,
        kind: typed.kind,
        status,
        findings,
        record: kept,
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
            Format::Workbook,
            &Options::default(),
        );
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].status, Status::Invalid);
        assert_eq!(records[0].findings[0].finding.rule, "input.parse");
    }
}
