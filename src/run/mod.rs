//! The driver: the one place a submission becomes reports.
//!
//! read → type (`input`) → evaluate (`eval`) → locate (`input::Locator`) →
//! status (`model::Status`). A file's records come out in file order, in
//! batches (a chunk of a `.jsonl` stream, or a whole file), checked in
//! parallel on the current rayon pool; the order of results never depends
//! on the number of threads. The driver never prints.
//!
//! - `targets`: which files a command names, and checking many in order.
//! - `examples`: the examples written next to the rules (`rules test`).

mod examples;
mod targets;

pub use examples::{run_examples, ExampleResult};
pub use targets::{check_targets, collect_targets, stream_targets, PathError, Target};

use crate::eval::{evaluate, record_id};
use crate::input::{self, Format, Item, ReadOptions};
use crate::model::{LocatedFinding, Options, Outcome, RecordReport, Reserved, Status};
use crate::pack::Pack;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Checks one file, handing the records' reports to `emit` in file order,
/// in batches (a chunk of a stream, or a whole file). A file that holds no
/// record at all is reported as such: nothing recognised never passes.
pub fn check_file(
    pack: &Pack,
    shown: &str,
    path: &Path,
    format: Format,
    opts: &Options,
    emit: &mut dyn FnMut(Vec<RecordReport>),
) -> std::io::Result<()> {
    let mut records = 0usize;
    let mut counted = |batch: Vec<RecordReport>| {
        records += batch.len();
        if !batch.is_empty() {
            emit(batch);
        }
    };
    read_file(pack, shown, path, format, opts, &mut counted)?;
    if records == 0 {
        emit(vec![no_record(shown, opts)]);
    }
    Ok(())
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
    }
}

fn read_file(
    pack: &Pack,
    shown: &str,
    path: &Path,
    format: Format,
    opts: &Options,
    emit: &mut dyn FnMut(Vec<RecordReport>),
) -> std::io::Result<()> {
    let hint = input::kind_hint(
        pack,
        path.file_name().and_then(|f| f.to_str()).unwrap_or(shown),
    );
    let ro = ReadOptions {
        hint,
        date: opts.date,
        lang: opts.lang,
    };
    match format {
        Format::Jsonl => {
            let file = std::fs::File::open(path)?;
            let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
            let mut index = 0usize;
            let mut chunk = input::jsonl::read_chunk(&mut reader, &mut index)?;
            while !chunk.is_empty() {
                // Check this chunk while the next one is read.
                let (reports, next) = rayon::join(
                    || {
                        chunk
                            .into_par_iter()
                            .filter_map(|(i, line)| {
                                let item = input::read_line(pack, shown, i, line, &ro)?;
                                Some(report(pack, shown, i, item, opts))
                            })
                            .collect::<Vec<RecordReport>>()
                    },
                    || input::jsonl::read_chunk(&mut reader, &mut index),
                );
                emit(reports);
                chunk = next?;
            }
            Ok(())
        }
        Format::Json | Format::Csv => {
            let bytes = std::fs::read(path)?;
            let text: Arc<str> = Arc::from(input::decode_text(&bytes));
            let raws = input::raws_of_text(pack, shown, text, format, opts.lang);
            emit(check_raws(pack, shown, raws, &ro, opts));
            Ok(())
        }
        Format::Workbook => {
            let raws = input::raws_of_workbook(pack, shown, path, opts.lang);
            emit(check_raws(pack, shown, raws, &ro, opts));
            Ok(())
        }
    }
}

/// Checks the text of a submission file held in memory.
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
    if format == Format::Jsonl {
        let reports: Vec<RecordReport> = text
            .split_inclusive('\n')
            .enumerate()
            .collect::<Vec<_>>()
            .into_par_iter()
            .filter_map(|(i, line)| {
                let line = input::jsonl::decode_line(line.as_bytes().to_vec(), i == 0);
                let item = input::read_line(pack, name, i, line, &ro)?;
                Some(report(pack, name, i, item, opts))
            })
            .collect();
        if reports.is_empty() {
            return vec![no_record(name, opts)];
        }
        return reports;
    }
    let raws = input::raws_of_text(pack, name, text, format, opts.lang);
    let reports = check_raws(pack, name, raws, &ro, opts);
    if reports.is_empty() {
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
    raws.into_par_iter()
        .map(|(i, raw)| report(pack, name, i, input::type_raw(pack, raw, ro), opts))
        .collect()
}

/// Evaluates a read record, places its findings and decides its status.
pub fn report(pack: &Pack, name: &str, index: usize, item: Item, opts: &Options) -> RecordReport {
    let (typed, raw_id, locator, extra) = match item {
        Item::Broken(f) => {
            return RecordReport {
                file: name.to_string(),
                index,
                id: None,
                kind: None,
                status: Status::Invalid,
                findings: vec![*f],
            }
        }
        Item::Typed {
            typed,
            raw_id,
            locator,
            extra,
        } => (typed, raw_id, locator, extra),
    };
    let mut findings = typed.findings;
    let invalid = typed.record.is_none();
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
        None => raw_id,
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
