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
    check_targets, collect_targets, stream_targets, stream_targets_finished, Exclude, PathError,
    SkipReason, Skipped, Target, Walk,
};

use crate::eval::{evaluate, record_id};
use crate::input::{self, Format, Item, ReadOptions};
use crate::model::{LocatedFinding, Options, Outcome, RecordReport, Reserved, Status};
use crate::pack::Pack;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Checks one file, handing the records' reports to `emit` in file order,
/// in batches (a chunk of the stream, each chunk checked on one thread
/// while others check the next). A file that holds no record at all is
/// reported as such: nothing recognised never passes.
pub fn check_file(
    pack: &Pack,
    shown: &str,
    path: &Path,
    format: Format,
    opts: &Options,
    emit: &mut dyn FnMut(Vec<RecordReport>),
) -> std::io::Result<()> {
    check_file_finished(pack, shown, path, format, opts, &AsIs, emit)
}

/// What a batch of reports becomes on the thread that checked it, before
/// batches are handed out in order: the command line writes a batch's
/// output there and drops its reports where they were made, so that
/// threads share no more than bytes to write (issue 15).
///
/// `finish` must neither block nor use rayon: it runs inside the
/// pipeline's helpers, which must always run to the end of their chunk
/// (see `pipeline`).
pub trait Finish: Sync {
    /// What is handed out.
    type Batch: Send;
    /// Makes the batch of `reports` (in file order).
    fn finish(&self, reports: Vec<RecordReport>) -> Self::Batch;
    /// About how many bytes `batch` holds, that waiting batches are
    /// bounded by (0: not counted).
    fn weight(batch: &Self::Batch) -> usize {
        let _ = batch;
        0
    }
}

/// Reports handed out as they are.
pub struct AsIs;

impl Finish for AsIs {
    type Batch = Vec<RecordReport>;
    fn finish(&self, reports: Vec<RecordReport>) -> Vec<RecordReport> {
        reports
    }
}

/// [`check_file`], each batch made by `finish` where it was checked.
pub fn check_file_finished<F: Finish>(
    pack: &Pack,
    shown: &str,
    path: &Path,
    format: Format,
    opts: &Options,
    finish: &F,
    emit: &mut dyn FnMut(F::Batch),
) -> std::io::Result<()> {
    let ro = ReadOptions {
        hint: input::kind_hint(
            pack,
            path.file_name().and_then(|f| f.to_str()).unwrap_or(shown),
        ),
        date: opts.date,
        lang: opts.lang,
    };
    // Counted as batches are made, on whichever thread makes them.
    let records = std::sync::atomic::AtomicUsize::new(0);
    let counting = Counting {
        inner: finish,
        records: &records,
    };
    if format == Format::Workbook {
        input::workbook_records(pack, shown, path, opts.lang, &mut |raws| {
            if opts.cancel.is_set() {
                return false;
            }
            if let Some(batch) = counting.made(check_raws(pack, shown, raws, &ro, opts)) {
                emit(batch);
            }
            true
        });
    } else {
        let file = std::fs::File::open(path)?;
        let whole = file.metadata()?.len() <= WHOLE_JSON_BYTES;
        check_stream(pack, shown, file, format, whole, &ro, opts, &counting, emit)?;
    }
    // A run stopped early says nothing about what it did not read.
    if records.into_inner() == 0 && !opts.cancel.is_set() {
        emit(finish.finish(vec![no_record(shown, opts)]));
    }
    Ok(())
}

/// A `Finish` that counts the reports it is given, and makes nothing of an
/// empty batch (a chunk cut short by a cancelled run).
struct Counting<'f, F> {
    inner: &'f F,
    records: &'f std::sync::atomic::AtomicUsize,
}

impl<F: Finish> Counting<'_, F> {
    fn made(&self, reports: Vec<RecordReport>) -> Option<F::Batch> {
        if reports.is_empty() {
            return None;
        }
        self.records
            .fetch_add(reports.len(), std::sync::atomic::Ordering::Relaxed);
        Some(self.inner.finish(reports))
    }
}

impl<F: Finish> Finish for Counting<'_, F> {
    type Batch = Option<F::Batch>;
    fn finish(&self, reports: Vec<RecordReport>) -> Option<F::Batch> {
        self.made(reports)
    }
    fn weight(batch: &Self::Batch) -> usize {
        batch.as_ref().map_or(0, F::weight)
    }
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
fn check_stream<R: std::io::Read + Send, F: Finish>(
    pack: &Pack,
    name: &str,
    source: R,
    format: Format,
    whole: bool,
    ro: &ReadOptions<'_>,
    opts: &Options,
    finish: &Counting<'_, F>,
    emit: &mut dyn FnMut(F::Batch),
) -> std::io::Result<()> {
    // Only a table's header needs the index of field titles.
    let titles = (format == Format::Csv).then(|| input::titles(pack));
    let mut records =
        input::TextRecords::new(pack, titles.as_deref(), name, source, format, opts.lang)?;
    let Some(first) = records.next_chunk()? else {
        return Ok(());
    };
    let one_chunk = records.finished();
    if whole && format == Format::Json {
        // A file that is not JSON is one invalid record, wherever the
        // error is: the reports are held until the whole file is read.
        let mut held: Vec<RecordReport> = Vec::new();
        if one_chunk {
            if !opts.cancel.is_set() {
                held = check_raws(pack, name, first, ro, opts);
            }
        } else {
            pipeline::check_chunks(pack, name, &mut records, first, ro, opts, &AsIs, &mut |r| {
                held.extend(r)
            })?;
        }
        if let Some(i) = held.iter().position(is_parse_failure) {
            let mut broken = held.swap_remove(i);
            broken.index = 0;
            broken.id = None;
            held = vec![broken];
        }
        if let Some(batch) = finish.made(held) {
            emit(batch);
        }
        return Ok(());
    }
    let mut hand_over = |batch: Option<F::Batch>| {
        if let Some(batch) = batch {
            emit(batch);
        }
    };
    if one_chunk {
        // One chunk (often a file checked by itself): its records are
        // checked in parallel.
        if !opts.cancel.is_set() {
            hand_over(finish.finish(check_raws(pack, name, first, ro, opts)));
        }
    } else {
        pipeline::check_chunks(
            pack,
            name,
            &mut records,
            first,
            ro,
            opts,
            finish,
            &mut hand_over,
        )?;
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
    let records = std::sync::atomic::AtomicUsize::new(0);
    let counting = Counting {
        inner: &AsIs,
        records: &records,
    };
    let read = check_stream(
        pack,
        name,
        text.as_bytes(),
        format,
        true,
        &ro,
        opts,
        &counting,
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
        .map(|piece| check_one(pack, name, piece, ro, opts))
        .collect()
}

/// Types and checks the record at `index` in the file: what every way of
/// checking a chunk does for each of its records.
fn check_one(
    pack: &Pack,
    name: &str,
    (index, raw): (usize, input::Raw),
    ro: &ReadOptions<'_>,
    opts: &Options,
) -> RecordReport {
    report(pack, name, index, input::type_raw(pack, raw, ro), opts)
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
        // A record that cannot be checked still shows the id it gave, and
        // is said to lie outside the plan's period where it does (§4.1:
        // nothing else besides the findings that it cannot be read).
        None => {
            let outside = typed.dated.and_then(|(kind, own)| {
                let date = opts.date.or(own)?;
                crate::eval::out_of_period(pack, kind, date, opts.lang)
            });
            if let Some(outside) = outside {
                findings.retain(|f| {
                    f.rule.is(Reserved::InputParse) || f.rule.is(Reserved::InputRecord)
                });
                findings.push(outside);
            }
            typed.id.clone()
        }
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

    /// Batches as the indexes of their records, and the pool thread each
    /// was made on.
    struct Indexes;

    impl Finish for Indexes {
        type Batch = (Vec<usize>, Option<usize>);
        fn finish(&self, reports: Vec<RecordReport>) -> Self::Batch {
            let indexes = reports.iter().map(|r| r.index).collect();
            (indexes, rayon::current_thread_index())
        }
    }

    #[test]
    fn batches_are_made_where_they_are_checked_and_handed_out_in_order() {
        let pack = crate::load::embedded().expect("pack");
        let sample = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/seeds/samples/projects-stream.jsonl"
        ))
        .expect("sample");
        let line = sample.lines().next().expect("a line");
        let n = input::CHUNK_RECORDS * 20 + 9;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("many.jsonl");
        std::fs::write(&path, format!("{line}\n").repeat(n)).expect("write");
        let empty = dir.path().join("empty.jsonl");
        std::fs::write(&empty, "\n\n").expect("write");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        let mut batches = Vec::new();
        let read = pool.install(|| {
            let o = Options::default();
            // A slow writer: the other thread has time to start helping.
            let mut emit = |b| {
                std::thread::sleep(std::time::Duration::from_millis(1));
                batches.push(b)
            };
            check_file_finished(&pack, "many", &path, Format::Jsonl, &o, &Indexes, &mut emit)?;
            check_file_finished(
                &pack,
                "empty",
                &empty,
                Format::Jsonl,
                &o,
                &Indexes,
                &mut emit,
            )
        });
        assert!(read.is_ok());
        let (last, _) = batches.pop().expect("the empty file's batch");
        // A file with no record is one report, made into a batch too.
        assert_eq!(last, vec![0]);
        let indexes: Vec<usize> = batches.iter().flat_map(|(i, _)| i.clone()).collect();
        assert_eq!(indexes, (0..n).collect::<Vec<_>>());
        // Both threads made batches: none was made by the writer alone.
        let threads: std::collections::BTreeSet<_> = batches.iter().map(|(_, t)| *t).collect();
        assert_eq!(threads.len(), 2, "{threads:?}");
    }

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
