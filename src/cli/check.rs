//! `plancheck check PATH...`

use super::args::CheckArgs;
use super::{load_pack, print_pack_errors, stderr_options, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::i18n::msg;
use crate::model::Options;
use crate::model::RecordReport;
use crate::report::{emitter, EmitOptions, Renderer, RunEnd, Summary};
use crate::run::{collect_targets, stream_targets, stream_targets_finished, Exclude, Finish};
use std::io::Write;

/// Runs `check`.
pub fn run(a: &CheckArgs) -> u8 {
    let started = std::time::Instant::now();
    let lang = super::args::resolve_lang(a.lang);
    let pack = match load_pack(a.rules.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            print_pack_errors(&e, lang);
            return EXIT_ERROR;
        }
    };
    for s in a.select.iter().chain(&a.ignore) {
        if !pack.rules.iter().any(|r| r.id.starts_with(s.as_str())) {
            let help = crate::diagnostics::suggest(s, pack.rules.iter().map(|r| &*r.id))
                .map(|h| h.text(lang).to_string())
                .unwrap_or_else(|| msg::cli::see_rules_list(lang));
            eprintln!(
                "{}\n{}",
                msg::cli::matches_no_rule(lang, s),
                msg::cli::help_line(lang, &help)
            );
            return EXIT_ERROR;
        }
    }
    let exclude = match Exclude::new(&a.exclude) {
        Ok(x) => x,
        Err((pattern, reason)) => {
            eprintln!("{}", msg::cli::bad_exclude(lang, &pattern, &reason));
            return EXIT_ERROR;
        }
    };
    // Paths that cannot be read are reported now; every other path is checked.
    let walk = collect_targets(&a.paths, &exclude);
    if !walk.errors.is_empty() {
        let reports: Vec<miette::Report> = walk
            .errors
            .iter()
            .map(|e| e.localized().report(lang))
            .collect();
        eprint!(
            "{}",
            crate::report::render_pack_errors(&reports, &stderr_options(lang))
        );
    }
    if a.verbose {
        for s in &walk.skipped {
            eprintln!("{}", s.line(lang));
        }
    }
    let targets = walk.targets;
    let opts = Options {
        lang,
        date: a.date,
        select: a.select.clone(),
        ignore: a.ignore.clone(),
        // The review report lists every rule, with its figures, and the record's facts.
        all: a.all || a.format == crate::report::Format::Html,
        cancel: crate::model::Cancel::default(),
        keep_records: a.format == crate::report::Format::Html,
    };
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(a.jobs.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", msg::cli::no_threads(lang, &e.to_string()));
            return EXIT_ERROR;
        }
    };
    let progress = indicatif::ProgressBar::with_draw_target(
        None,
        indicatif::ProgressDrawTarget::stderr_with_hz(4),
    );
    progress.set_style(
        indicatif::ProgressStyle::with_template(&msg::cli::progress(lang))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let eopts = EmitOptions {
        lang,
        color: a.color.for_stdout(),
        width: super::terminal_width(),
        quiet: a.quiet,
        deny_warnings: a.deny_warnings,
    };
    // `-o -` is standard output, as for `serve --audit-log -`.
    let sink: Box<dyn Write + Send> = match a.output.as_ref().filter(|p| p.as_os_str() != "-") {
        None => Box::new(std::io::stdout()),
        Some(path) => {
            // Submissions are only ever read: the output never replaces one.
            let same = |t: &crate::run::Target| match (
                std::fs::canonicalize(&t.path),
                std::fs::canonicalize(path),
            ) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            };
            if targets.iter().any(same) {
                let shown = crate::text::escape(&path.display().to_string()).into_owned();
                eprintln!("{}", msg::cli::output_is_input(lang, &shown));
                return EXIT_ERROR;
            }
            match std::fs::File::create(path) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    let shown = crate::text::escape(&path.display().to_string()).into_owned();
                    eprintln!("{}", msg::cli::cannot_write(lang, &shown, &e.to_string()));
                    return EXIT_ERROR;
                }
            }
        }
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, sink);
    let mut emit = emitter(a.format, &pack, eopts);
    // A closed pipe stops the output, not the check (the exit status still counts).
    let mut ok = emit.begin(&mut out).is_ok();
    let mut summary = Summary::default();
    let mut failed = false;
    match crate::report::renderer(a.format, &pack).filter(|_| !opts.keep_records) {
        // The output is written ahead on the thread that checked each
        // batch, which also counts it and drops its reports: threads
        // hand over bytes, not reports made on another core (issue 15).
        Some(render) => {
            let digests = Digests {
                render,
                deny_warnings: a.deny_warnings,
                spare: std::sync::Mutex::default(),
                closed: std::sync::atomic::AtomicBool::new(!ok),
            };
            pool.install(|| {
                stream_targets_finished(&pack, &targets, &opts, &digests, &mut |d: Digest| {
                    summary.merge(&d.summary);
                    failed |= d.failed;
                    progress.inc(d.summary.records() as u64);
                    if ok {
                        ok = progress.suspend(|| {
                            emit.rendered(&mut out, &d.bytes).is_ok() && out.flush().is_ok()
                        });
                        if !ok {
                            digests
                                .closed
                                .store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                    digests.give_back(d.bytes);
                })
            });
        }
        None => pool.install(|| {
            stream_targets(&pack, &targets, &opts, &mut |batch| {
                for r in &batch {
                    summary.add(r);
                    failed |= r.status.fails(a.deny_warnings);
                }
                progress.inc(batch.len() as u64);
                if ok {
                    ok = progress
                        .suspend(|| emit.records(&mut out, &batch).is_ok() && out.flush().is_ok());
                }
            })
        }),
    }
    progress.finish_and_clear();
    if ok {
        let end = RunEnd {
            files: targets.len(),
            summary,
            elapsed: Some(started.elapsed()),
            skipped: walk.skipped.len(),
        };
        let _ = emit.finish(&mut out, &end);
    }
    let _ = out.flush();
    // A path that could not be read: the command could not do all its job.
    if !walk.errors.is_empty() {
        return EXIT_ERROR;
    }
    // Nothing recognised is not a pass.
    if summary.records() == 0 {
        eprintln!("{}", msg::cli::no_submission_found(lang));
        return EXIT_FAIL;
    }
    if failed {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}

/// A batch as `check` needs it from the thread that checked it: its
/// counts, whether it fails the run, and its output.
struct Digest {
    summary: Summary,
    failed: bool,
    bytes: Vec<u8>,
}

/// Makes batches into digests with the format's renderer.
struct Digests<'p> {
    render: Renderer<'p>,
    deny_warnings: bool,
    /// Buffers written out, for the next batches: a few, reused for the
    /// whole run, rather than one allocated per batch on one thread and
    /// freed on another (with `--all` a batch's output is megabytes, and
    /// the allocator kept a hundred of them resident).
    spare: std::sync::Mutex<Vec<Vec<u8>>>,
    /// The output is closed (a pipe whose reader left): batches are still
    /// counted, for the exit status, but no longer rendered.
    closed: std::sync::atomic::AtomicBool,
}

/// How many spare buffers are kept: as many as batches are out at once on
/// up to five threads (three per thread, and one in each thread's hands);
/// with more threads, buffers past these are freed after writing.
const SPARE_BUFFERS: usize = 16;

impl Digests<'_> {
    fn give_back(&self, mut bytes: Vec<u8>) {
        bytes.clear();
        let mut spare = self.spare.lock().unwrap_or_else(|p| p.into_inner());
        if spare.len() < SPARE_BUFFERS {
            spare.push(bytes);
        }
    }
}

impl Finish for Digests<'_> {
    type Batch = Digest;
    fn finish(&self, reports: Vec<RecordReport>) -> Digest {
        let mut summary = Summary::default();
        let mut failed = false;
        for r in &reports {
            summary.add(r);
            failed |= r.status.fails(self.deny_warnings);
        }
        let mut bytes = self
            .spare
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_default();
        if !self.closed.load(std::sync::atomic::Ordering::Relaxed) {
            (self.render)(&reports, &mut bytes);
        }
        Digest {
            summary,
            failed,
            bytes,
        }
    }
    fn weight(batch: &Digest) -> usize {
        batch.bytes.len()
    }
}
