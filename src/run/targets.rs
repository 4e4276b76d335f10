//! Targets: the submission files a command names, and checking many of
//! them in order on the thread pool.

use super::{check_file_finished, AsIs, Finish};
use crate::diagnostics::Localized;
use crate::i18n::Lang;
use crate::i18n::{both, msg, Bilingual};
use crate::input::{format_of, is_office_lock, Format};
use crate::load::io_reason;
use crate::model::{Finding, LocatedFinding, Options, RecordReport, Reserved, Status};
use crate::pack::Pack;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

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

/// Why a file or folder in a checked folder was not checked (`-v` lists them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// A hidden file or folder (`.git/`, `.vscode/`, `.env`).
    Hidden,
    /// Excluded by `--exclude`.
    Excluded,
    /// A lock or temporary file of an office program.
    LockFile,
    /// A file of another type.
    NotSubmission,
    /// A symbolic link that leads out of the folder given.
    LinkOutside,
    /// A symbolic link that leads nowhere (or round in a loop).
    BrokenLink,
    /// A FIFO, socket or device.
    NotRegular,
}

/// A path not checked, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    /// The path as the user would name it.
    pub path: String,
    /// Why.
    pub why: SkipReason,
}

impl Skipped {
    /// The line `-v` prints.
    pub fn line(&self, lang: Lang) -> String {
        let why = match self.why {
            SkipReason::Hidden => msg::cli::skip_hidden(lang),
            SkipReason::Excluded => msg::cli::skip_excluded(lang),
            SkipReason::LockFile => msg::cli::skip_lock(lang),
            SkipReason::NotSubmission => msg::cli::skip_not_submission(lang),
            SkipReason::LinkOutside => msg::cli::skip_link_outside(lang),
            SkipReason::BrokenLink => msg::cli::skip_broken_link(lang),
            SkipReason::NotRegular => msg::cli::skip_not_regular(lang),
        };
        msg::cli::skipped_line(lang, &crate::text::escape(&self.path), &why)
    }
}

/// What the paths given hold: the files to check, what was skipped, and
/// the paths that could not be read (reported; the rest is still checked).
#[derive(Debug, Default)]
pub struct Walk {
    /// Submission files, in order.
    pub targets: Vec<Target>,
    /// Files and folders not checked, with why.
    pub skipped: Vec<Skipped>,
    /// Paths that could not be read.
    pub errors: Vec<PathError>,
}

/// `--exclude` patterns, matched against a path relative to the folder
/// given and against its file name.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    set: Option<globset::GlobSet>,
}

impl Exclude {
    /// The patterns; the error names the one that is not a glob.
    pub fn new(patterns: &[String]) -> Result<Self, (String, String)> {
        if patterns.is_empty() {
            return Ok(Exclude::default());
        }
        let mut set = globset::GlobSetBuilder::new();
        for p in patterns {
            let glob = globset::GlobBuilder::new(p)
                .literal_separator(false)
                .build()
                .map_err(|e| (p.clone(), e.kind().to_string()))?;
            set.add(glob);
        }
        let set = set.build().map_err(|e| (String::new(), e.to_string()))?;
        Ok(Exclude { set: Some(set) })
    }

    /// Whether the path `rel` (relative to a folder given) is excluded.
    pub fn matches(&self, rel: &Path) -> bool {
        self.excludes(rel)
    }

    fn excludes(&self, rel: &Path) -> bool {
        let Some(set) = &self.set else {
            return false;
        };
        set.is_match(rel) || rel.file_name().is_some_and(|n| set.is_match(n))
    }
}

/// Expands files and folders into submission files.
///
/// A file named is checked (or is an error when it is not a submission, or
/// not a regular file). In a folder, every non-hidden file with a
/// submission's extension is checked, sorted by name within each folder:
/// nothing inside the tree (`.gitignore`, `.ignore`) decides what is
/// checked; hidden files and folders are skipped, `--exclude` skips more,
/// and symbolic links are followed only while they stay inside the folder
/// given. A sub-folder that cannot be read is an error; the rest is walked.
pub fn collect_targets(paths: &[PathBuf], exclude: &Exclude) -> Walk {
    let mut walk = Walk::default();
    for p in paths {
        let shown = p.display().to_string();
        let unreadable = |reason: Bilingual<String>| PathError::Unreadable {
            path: shown.clone(),
            reason,
        };
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                walk.errors.push(unreadable(io_reason(&e)));
                continue;
            }
        };
        if meta.is_file() {
            match format_of(p) {
                Some(format) => walk.targets.push(Target {
                    shown,
                    path: p.clone(),
                    format,
                }),
                None => walk.errors.push(PathError::Unsupported { path: shown }),
            }
        } else if meta.is_dir() {
            walk_folder(p, exclude, &mut walk);
        } else {
            walk.errors.push(unreadable(both(msg::cli::io_not_regular)));
        }
    }
    walk
}

/// The entries of folder `dir`, sorted by name (an unreadable folder is an error).
fn sorted_entries(dir: &Path, walk: &mut Walk) -> std::vec::IntoIter<std::fs::DirEntry> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut entries: Vec<std::fs::DirEntry> = entries.filter_map(Result::ok).collect();
            entries.sort_by_key(std::fs::DirEntry::file_name);
            entries.into_iter()
        }
        Err(e) => {
            walk.errors.push(PathError::Unreadable {
                path: dir.display().to_string(),
                reason: io_reason(&e),
            });
            Vec::new().into_iter()
        }
    }
}

/// Walks the folder `top` (as the user named it) into `walk`, depth first
/// in name order (a sub-folder's files where its name sorts).
fn walk_folder(top: &Path, exclude: &Exclude, walk: &mut Walk) {
    let Ok(root) = top.canonicalize() else {
        return;
    };
    let mut visited: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    visited.insert(root.clone());
    // Open folders: the path through which each is reached (relative to
    // `top`) and its entries not yet seen. No recursion: any depth is fine.
    let first = sorted_entries(top, walk);
    let mut stack = vec![(PathBuf::new(), first)];
    while let Some((rel_dir, entries)) = stack.last_mut() {
        let Some(entry) = entries.next() else {
            stack.pop();
            continue;
        };
        let name = entry.file_name();
        let text = name.to_string_lossy();
        let rel = rel_dir.join(&name);
        let path = top.join(&rel);
        let shown = path.display().to_string();
        let skip = |why| Skipped {
            path: shown.clone(),
            why,
        };
        if text.starts_with('.') && !is_office_lock(&text) {
            walk.skipped.push(skip(SkipReason::Hidden));
            continue;
        }
        if exclude.excludes(&rel) {
            walk.skipped.push(skip(SkipReason::Excluded));
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            walk.skipped.push(skip(SkipReason::NotRegular));
            continue;
        };
        // What a symbolic link leads to, if it stays inside the folder given.
        let (is_dir, is_file) = if kind.is_symlink() {
            match path.canonicalize() {
                Err(_) => {
                    walk.skipped.push(skip(SkipReason::BrokenLink));
                    continue;
                }
                Ok(real) if !real.starts_with(&root) => {
                    walk.skipped.push(skip(SkipReason::LinkOutside));
                    continue;
                }
                Ok(real) => match std::fs::metadata(&real) {
                    Ok(m) if m.is_dir() => {
                        // A link back to a folder already walked would loop.
                        if !visited.insert(real) {
                            walk.skipped.push(skip(SkipReason::BrokenLink));
                            continue;
                        }
                        (true, false)
                    }
                    Ok(m) => (false, m.is_file()),
                    Err(_) => {
                        walk.skipped.push(skip(SkipReason::BrokenLink));
                        continue;
                    }
                },
            }
        } else {
            (kind.is_dir(), kind.is_file())
        };
        if is_dir {
            let entries = sorted_entries(&path, walk);
            stack.push((rel, entries));
        } else if !is_file {
            walk.skipped.push(skip(SkipReason::NotRegular));
        } else if is_office_lock(&text) {
            walk.skipped.push(skip(SkipReason::LockFile));
        } else {
            match format_of(&path) {
                Some(format) => walk.targets.push(Target {
                    shown,
                    path,
                    format,
                }),
                None => walk.skipped.push(skip(SkipReason::NotSubmission)),
            }
        }
    }
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
        record: None,
    }
}

/// Files checked together on the thread pool; their results are emitted in order.
const FILE_WINDOW: usize = 64;

/// Files up to this size are checked whole, many at once; larger ones
/// stream, one at a time (in parallel within the file), so that memory
/// never holds more than a chunk of a large file.
const SMALL_FILE: u64 = 1 << 20;

/// Whether a target is checked as a stream of its own.
fn streams(t: &Target) -> bool {
    t.format == Format::Jsonl || std::fs::metadata(&t.path).map_or(true, |m| m.len() > SMALL_FILE)
}

/// Checks every target, handing records to `emit` in batches, in the order
/// of the targets and of the records in each file, whatever the number of threads.
pub fn stream_targets(
    pack: &Pack,
    targets: &[Target],
    opts: &Options,
    emit: &mut dyn FnMut(Vec<RecordReport>),
) {
    stream_targets_finished(pack, targets, opts, &AsIs, emit);
}

/// [`stream_targets`], each batch made by `finish` on the thread that
/// checked it (see [`Finish`]).
pub fn stream_targets_finished<F: Finish>(
    pack: &Pack,
    targets: &[Target],
    opts: &Options,
    finish: &F,
    emit: &mut dyn FnMut(F::Batch),
) {
    let mut i = 0;
    while let Some(t) = targets.get(i) {
        if opts.cancel.is_set() {
            return;
        }
        if streams(t) {
            // A stream: checked in chunks, in parallel within the file.
            if let Err(e) =
                check_file_finished(pack, &t.shown, &t.path, t.format, opts, finish, emit)
            {
                emit(finish.finish(vec![unreadable(t, &e, opts.lang)]));
            }
            i += 1;
            continue;
        }
        let end = targets
            .iter()
            .skip(i)
            .take(FILE_WINDOW)
            .position(streams)
            .map_or((i + FILE_WINDOW).min(targets.len()), |p| i + p);
        let window = targets.get(i..end).unwrap_or(&[]);
        let results: Vec<Vec<F::Batch>> = window
            .par_iter()
            .map(|t| {
                let mut batches = Vec::new();
                let read = check_file_finished(
                    pack,
                    &t.shown,
                    &t.path,
                    t.format,
                    opts,
                    finish,
                    &mut |batch| batches.push(batch),
                );
                if let Err(e) = read {
                    batches.push(finish.finish(vec![unreadable(t, &e, opts.lang)]));
                }
                batches
            })
            .collect();
        for batch in results.into_iter().flatten() {
            emit(batch);
        }
        i = end.max(i + 1);
    }
}

/// Checks every target into one list of reports held in memory.
pub fn check_targets(pack: &Pack, targets: &[Target], opts: &Options) -> Vec<RecordReport> {
    let mut records = Vec::new();
    stream_targets(pack, targets, opts, &mut |batch| records.extend(batch));
    records
}
