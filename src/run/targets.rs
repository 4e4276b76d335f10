//! Targets: the submission files a command names, and checking many of
//! them in order on the thread pool.

use super::check_file;
use crate::i18n::msg;
use crate::i18n::Lang;
use crate::input::{format_of, Format};
use crate::model::{Finding, LocatedFinding, Options, RecordReport, Reserved, Status};
use crate::pack::Pack;
use rayon::prelude::*;
use std::path::PathBuf;

/// A submission file to read: the name users see and the path on disk.
#[derive(Clone, Debug)]
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

/// Expands files and folders into submission files, sorted within each
/// folder; also returns the files of a folder that were skipped, with why.
pub fn collect_targets(paths: &[PathBuf]) -> Result<(Vec<Target>, Vec<String>), PathError> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
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
        let walker = ignore::WalkBuilder::new(p)
            .hidden(true)
            .git_ignore(true)
            .parents(true)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| PathError::Unreadable {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            let rel = path.strip_prefix(p).unwrap_or(path);
            let shown_path = p.join(rel).display().to_string();
            match format_of(path) {
                Some(format) => out.push(Target {
                    shown: shown_path,
                    path: path.to_path_buf(),
                    format,
                }),
                None => skipped.push(format!("skipped {shown_path}: not a submission file")),
            }
        }
    }
    Ok((out, skipped))
}

/// An unreadable file as one invalid record.
fn unreadable(t: &Target, e: &std::io::Error, lang: Lang) -> RecordReport {
    let finding = Finding::input(
        Reserved::InputParse,
        msg::input::cannot_read_file(lang, &e.to_string()),
        None,
        None,
    );
    RecordReport {
        file: t.shown.clone(),
        index: 0,
        id: None,
        kind: None,
        status: Status::Invalid,
        findings: vec![LocatedFinding::unlocated(finding)],
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
    emit: &mut dyn FnMut(Vec<RecordReport>),
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
        let results: Vec<Vec<RecordReport>> = window
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

/// Checks every target into one list of reports held in memory.
pub fn check_targets(pack: &Pack, targets: &[Target], opts: &Options) -> Vec<RecordReport> {
    let mut records = Vec::new();
    stream_targets(pack, targets, opts, &mut |batch| records.extend(batch));
    records
}
