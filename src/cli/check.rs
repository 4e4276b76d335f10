//! `plancheck check PATH...`

use super::args::{CheckArgs, OutputFormat};
use super::{load_pack, print_pack_errors, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::eval::Options;
use crate::input::{check_file, format_of, Format};
use crate::pack::{Lang, Pack};
use crate::report::{RenderOptions, RunReport, Status};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

/// A submission file to read: the name users see and the path on disk.
pub struct Target {
    /// As the user named it.
    pub shown: String,
    /// On disk.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
}

/// Problems with the paths given, reported on stderr with exit 2.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum PathError {
    /// A path that does not exist or cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(E403), help("check the path; folders are searched recursively for .json, .jsonl, .csv and .xlsx files"))]
    Unreadable {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
    /// A named file of a format plancheck does not read.
    #[error("`{path}` is not a submission file plancheck reads")]
    #[diagnostic(code(E404), help("submissions are .json (an object or an array of objects), .jsonl (one object per line), .csv or .xlsx (one record per row)"))]
    Unsupported {
        /// The path.
        path: String,
    },
}

/// Expands files and folders into submission files, sorted within each folder.
pub fn collect_targets(paths: &[PathBuf], verbose: bool) -> Result<Vec<Target>, PathError> {
    let mut out = Vec::new();
    for p in paths {
        let shown = p.display().to_string();
        let meta = std::fs::metadata(p).map_err(|e| PathError::Unreadable {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        if meta.is_file() {
            let format = format_of(p).ok_or_else(|| PathError::Unsupported {
                path: shown.clone(),
            })?;
            out.push(Target {
                shown,
                path: p.clone(),
                format,
            });
            continue;
        }
        let mut found: Vec<Target> = Vec::new();
        let walker = ignore::WalkBuilder::new(p)
            .hidden(true)
            .git_ignore(true)
            .parents(true)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    return Err(PathError::Unreadable {
                        path: shown.clone(),
                        reason: e.to_string(),
                    })
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            let rel = path.strip_prefix(p).unwrap_or(path);
            let shown_path = p.join(rel).display().to_string();
            match format_of(path) {
                Some(format) => found.push(Target {
                    shown: shown_path,
                    path: path.to_path_buf(),
                    format,
                }),
                None => {
                    if verbose {
                        eprintln!("skipped {shown_path}: not a submission file");
                    }
                }
            }
        }
        out.extend(found);
    }
    Ok(out)
}

/// An unreadable file as one invalid record.
fn unreadable(t: &Target, e: &std::io::Error, lang: Lang) -> crate::report::RecordReport {
    let message = match lang {
        Lang::Zh => format!("无法读取文件：{e}"),
        Lang::En => format!("cannot read the file: {e}"),
    };
    let finding = crate::eval::Finding {
        rule: "input.parse".into(),
        outcome: crate::eval::Outcome::Invalid,
        severity: crate::eval::Severity::Error,
        message,
        help: None,
        pointer: None,
        numbers: None,
    };
    crate::report::RecordReport {
        file: t.shown.clone(),
        index: 0,
        id: None,
        kind: None,
        status: Status::Invalid,
        findings: vec![crate::report::LocatedFinding::unlocated(finding)],
    }
}

/// Files checked together on the thread pool; their results are emitted in order.
const FILE_WINDOW: usize = 64;

/// Checks every target, handing records to `emit` in batches, in the order
/// of the targets and of the records in each file, whatever the number of threads.
pub fn stream_targets(
    pack: &Pack,
    targets: &[Target],
    opts: &Options,
    emit: &mut dyn FnMut(Vec<crate::report::RecordReport>),
) {
    let mut i = 0;
    while let Some(t) = targets.get(i) {
        if t.format == Format::Jsonl {
            // A stream: checked in chunks, in parallel within the file.
            if let Err(e) = check_file(pack, &t.shown, &t.path, t.format, opts, emit) {
                emit(vec![unreadable(t, &e, opts.lang)]);
            }
            i += 1;
            continue;
        }
        let end = targets
            .iter()
            .skip(i)
            .take(FILE_WINDOW)
            .position(|t| t.format == Format::Jsonl)
            .map_or((i + FILE_WINDOW).min(targets.len()), |p| i + p);
        let window = targets.get(i..end).unwrap_or(&[]);
        let results: Vec<Vec<crate::report::RecordReport>> = window
            .par_iter()
            .map(|t| {
                let mut records = Vec::new();
                if let Err(e) = check_file(pack, &t.shown, &t.path, t.format, opts, &mut |batch| {
                    records.extend(batch)
                }) {
                    records.push(unreadable(t, &e, opts.lang));
                }
                records
            })
            .collect();
        emit(results.into_iter().flatten().collect());
        i = end.max(i + 1);
    }
}

/// Checks every target into one report held in memory.
pub fn check_targets(pack: &Pack, targets: &[Target], opts: &Options) -> RunReport {
    let mut report = RunReport {
        files: targets.len(),
        records: Vec::new(),
    };
    stream_targets(pack, targets, opts, &mut |batch| {
        report.records.extend(batch)
    });
    report
}

/// Runs `check`.
pub fn run(a: &CheckArgs) -> u8 {
    let started = std::time::Instant::now();
    let lang = super::args::resolve_lang(a.lang);
    let pack = match load_pack(a.rules.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            print_pack_errors(&e);
            return EXIT_ERROR;
        }
    };
    for s in a.select.iter().chain(&a.ignore) {
        if !pack.rules.iter().any(|r| r.id.starts_with(s.as_str())) {
            let help =
                crate::diagnostics::did_you_mean_help(s, pack.rules.iter().map(|r| r.id.as_str()))
                    .unwrap_or_else(|| "see `plancheck rules list`".into());
            eprintln!("error: `{s}` matches no rule id of the pack\n  help: {help}");
            return EXIT_ERROR;
        }
    }
    let targets = match collect_targets(&a.paths, a.verbose) {
        Ok(t) => t,
        Err(e) => {
            let opts = RenderOptions {
                lang,
                color: super::stderr_color(),
                width: super::terminal_width(),
                quiet: false,
                deny_warnings: false,
            };
            eprint!(
                "{}",
                crate::report::render_pack_errors(&[miette::Report::new(e)], &opts)
            );
            return EXIT_ERROR;
        }
    };
    let opts = Options {
        lang,
        date: a.date,
        select: a.select.clone(),
        ignore: a.ignore.clone(),
        all: a.all,
    };
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(a.jobs.unwrap_or(0))
        .build()
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: cannot start worker threads: {e}");
            return EXIT_ERROR;
        }
    };
    let progress = indicatif::ProgressBar::with_draw_target(
        None,
        indicatif::ProgressDrawTarget::stderr_with_hz(4),
    );
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {human_pos} records checked ({per_sec}) {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let mut summary = crate::report::Summary::default();
    let mut failed = false;
    let files = targets.len();
    let mut count = |r: &crate::report::RecordReport, summary: &mut crate::report::Summary| {
        summary.add(r);
        failed |= matches!(r.status, Status::Fail | Status::Invalid)
            || (a.deny_warnings && r.status == Status::Warn);
        progress.inc(1);
    };
    // `--quiet` keeps failures only; with `--deny-warnings` warnings are failures too.
    let only_errors = a.quiet && !a.deny_warnings;
    match a.format {
        OutputFormat::Human => {
            let color = a.color.for_stdout();
            let ropts = RenderOptions {
                lang,
                color,
                width: super::terminal_width(),
                quiet: a.quiet,
                deny_warnings: a.deny_warnings,
            };
            pool.install(|| {
                stream_targets(&pack, &targets, &opts, &mut |batch| {
                    // Rendering is the costly part: done in parallel, printed in order.
                    let texts: Vec<String> = batch
                        .par_iter()
                        .map(|r| crate::report::render_record(&pack, r, &ropts))
                        .collect();
                    for (r, text) in batch.iter().zip(texts) {
                        count(r, &mut summary);
                        progress.suspend(|| out!("{text}"));
                    }
                })
            });
            progress.finish_and_clear();
            out!(
                "{}",
                crate::report::render_summary(files, &summary, lang, Some(started.elapsed()))
            );
        }
        OutputFormat::Json => {
            // One document, written a record at a time so that memory stays flat.
            let (version, pack_v) = crate::report::json_header(&pack);
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
            let mut ok = write!(
                w,
                "{{\n  \"plancheck\": {version},\n  \"pack\": {pack_v},\n  \"records\": ["
            )
            .is_ok();
            let mut first = true;
            pool.install(|| {
                stream_targets(&pack, &targets, &opts, &mut |batch| {
                    // Serialized in parallel, written in order.
                    let texts: Vec<Vec<u8>> = batch
                        .par_iter()
                        .map(|r| {
                            let mut buf = Vec::with_capacity(512);
                            let _ = crate::report::write_json_record(&mut buf, &pack, r);
                            buf
                        })
                        .collect();
                    for (r, text) in batch.iter().zip(texts) {
                        count(r, &mut summary);
                        // A closed pipe stops the output, not the check (the exit status still counts).
                        if ok {
                            ok = w
                                .write_all(if first { b"\n    " } else { b",\n    " })
                                .is_ok()
                                && w.write_all(&text).is_ok();
                        }
                        first = false;
                    }
                })
            });
            progress.finish_and_clear();
            let summary_v = crate::report::json_summary(files, &summary);
            if ok {
                let _ = write!(w, "\n  ],\n  \"summary\": {summary_v}\n}}\n");
            }
            let _ = w.flush();
        }
        OutputFormat::Github => {
            pool.install(|| {
                stream_targets(&pack, &targets, &opts, &mut |batch| {
                    for r in &batch {
                        count(r, &mut summary);
                    }
                    let one = RunReport {
                        files: 1,
                        records: batch,
                    };
                    let text = crate::report::render_github(&pack, &one, lang, only_errors);
                    progress.suspend(|| out!("{text}"));
                })
            });
            progress.finish_and_clear();
        }
        OutputFormat::Sarif | OutputFormat::Junit => {
            let report = pool.install(|| {
                let mut report = RunReport {
                    files,
                    records: Vec::new(),
                };
                stream_targets(&pack, &targets, &opts, &mut |batch| {
                    for r in &batch {
                        count(r, &mut summary);
                    }
                    report.records.extend(batch);
                });
                report
            });
            progress.finish_and_clear();
            if a.format == OutputFormat::Sarif {
                let doc = crate::report::render_sarif(&pack, &report, lang, only_errors);
                outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            } else {
                out!(
                    "{}",
                    crate::report::render_junit(&pack, &report, lang, a.deny_warnings)
                );
            }
        }
    }
    if failed {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}
