//! Targets: the submission files a command names, and checking many of
//! them in order on the thread pool.

use super::check_file;
use crate::diagnostics::Localized;
use crate::i18n::Lang;
use crate::i18n::{both, msg, Bilingual};
use crate::input::{format_of, Format};
use crate::load::io_reason;
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
#[derive(Debug, Clone)]
pub enum PathError {
    /// A path that does not exist or cannot be read (E403).
    Unreadable {
        /// The path.
        path: String,
        /// Why.
        reason: Bilingual<String>,
    },
    /// A named file of a format plancheck does not read (E404).
    Unsupported {
        /// The path.
        path: String,
    },
}

impl PathError {
    /// The diagnostic in both languages.
    pub fn localized(&self) -> Localized {
        match self {
            PathError::Unreadable { path, reason } => Localized::plain(
                "E403",
                both(|l| msg::pack::path_unreadable(l, path, reason.text(l))),
                Some(both(msg::pack::path_help)),
            ),
            PathError::Unsupported { path } => Localized::plain(
                "E404",
                both(|l| msg::pack::path_unsupported(l, path)),
                Some(both(msg::pack::unsupported_help)),
            ),
        }
    }
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
            reason: io_reason(&e),
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
                reason: both(|_| e.to_string()),
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
