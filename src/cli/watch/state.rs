//! The watcher's state: the current results of every file, and how a
//! batch of re-checks changes them.

use crate::model::RecordReport;
use crate::report::Summary;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The current results per file (absolute path), and the batches so far.
#[derive(Default)]
pub struct State {
    /// Results per file.
    pub files: BTreeMap<PathBuf, Vec<RecordReport>>,
    /// Which version of each file the results are of.
    pub stamps: BTreeMap<PathBuf, Stamp>,
    /// Batches emitted.
    pub batch: u64,
}

/// A file's identity and version as its metadata tells them: a file
/// replaced, renamed over or written has a different stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    id: (u64, u64),
}

impl Stamp {
    /// The stamp of the file at `p` now (all zero when it cannot be read).
    pub fn of(p: &std::path::Path) -> Stamp {
        let Ok(meta) = std::fs::metadata(p) else {
            return Stamp {
                len: 0,
                modified: None,
                id: (0, 0),
            };
        };
        #[cfg(unix)]
        let id = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let id = (0, 0);
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            id,
        }
    }
}

/// What one batch changed.
#[derive(Default)]
pub struct Change {
    /// Files re-checked, in path order.
    pub changed: Vec<PathBuf>,
    /// Files that are gone.
    pub gone: Vec<PathBuf>,
    /// The results before the batch, for every file it touched (`None`: unknown before).
    pub old: BTreeMap<PathBuf, Option<Vec<RecordReport>>>,
}

impl Change {
    /// Whether the batch changed nothing.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.gone.is_empty()
    }

    /// The results of `p` before the batch.
    pub fn before(&self, p: &PathBuf) -> Option<&[RecordReport]> {
        self.old.get(p).and_then(|o| o.as_deref())
    }
}

impl State {
    /// Applies re-checks (`None`: the file vanished before it was read) and removals.
    pub fn apply(
        &mut self,
        rechecked: Vec<(PathBuf, Option<Vec<RecordReport>>)>,
        removed: impl IntoIterator<Item = PathBuf>,
    ) -> Change {
        let mut change = Change::default();
        for (p, result) in rechecked {
            match result {
                Some(r) => {
                    change
                        .old
                        .insert(p.clone(), self.files.insert(p.clone(), r));
                    change.changed.push(p);
                }
                None => {
                    if let Some(prev) = self.files.remove(&p) {
                        change.old.insert(p, Some(prev));
                    }
                }
            }
        }
        for p in removed {
            if let Some(prev) = self.files.remove(&p) {
                change.old.insert(p.clone(), Some(prev));
                change.gone.push(p);
            }
        }
        let vanished: Vec<PathBuf> = change
            .old
            .iter()
            .filter(|(p, prev)| {
                !self.files.contains_key(*p) && prev.is_some() && !change.gone.contains(p)
            })
            .map(|(p, _)| p.clone())
            .collect();
        change.gone.extend(vanished);
        change
    }

    /// Counts over every file: the summary, the number of files and of records.
    pub fn summary(&self) -> (Summary, usize, usize) {
        let mut s = Summary::default();
        let mut records = 0;
        for rs in self.files.values() {
            for r in rs {
                s.add(r);
            }
            records += rs.len();
        }
        (s, self.files.len(), records)
    }

    /// Whether any current record fails.
    pub fn failed(&self, deny_warnings: bool) -> bool {
        self.files
            .values()
            .flatten()
            .any(|r| r.status.fails(deny_warnings))
    }
}
