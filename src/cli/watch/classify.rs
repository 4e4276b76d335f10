//! Which file events matter: a pure function of the event and the folders
//! watched, so that every kind of editor and sync-tool event can be tested
//! with synthetic events.

use notify::event::{AccessKind, AccessMode, EventKind};
use std::path::{Path, PathBuf};

/// What a touched path asks of the watcher.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Not ours: an editor's temporary file, a hidden or ignored path, a file of another type.
    Ignored,
    /// A rule file of the `--rules` folder: reload the pack.
    RuleFile,
    /// A submission file: re-check it, or forget it if it is gone.
    Submission,
    /// Possibly a folder (created, moved or deleted): rescan what lies under it.
    Folder,
}

/// The folders being watched.
pub struct Context<'a> {
    /// The submission folders.
    pub roots: &'a [PathBuf],
    /// The rule pack's folder, with `--rules`.
    pub rules: Option<&'a Path>,
    /// Whether a path is excluded by `--exclude` (the caller's matcher).
    pub excluded: &'a dyn Fn(&Path) -> bool,
}

/// Whether the event kind can change a file's content or existence.
/// Opening, reading and closing without writing are our own reads, among others.
pub fn relevant_kind(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}

/// An editor's or sync tool's temporary file name.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".temp",
            ".part",
            ".crdownload",
            ".bak",
            ".orig",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        || name.contains(".goutputstream-")
        || name.contains(".sb-")
}

/// Classifies one touched path.
pub fn classify(path: &Path, cx: &Context<'_>) -> Class {
    if let Some(rules) = cx.rules {
        if path.starts_with(rules) {
            let is_rule = path.extension().is_some_and(|e| e == "rules")
                && !path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(is_temporary);
            return if is_rule {
                Class::RuleFile
            } else {
                Class::Ignored
            };
        }
    }
    let Some(root) = cx.roots.iter().find(|r| path.starts_with(r)) else {
        return Class::Ignored;
    };
    let rel = path.strip_prefix(root).unwrap_or(path);
    let temporary = rel
        .components()
        .any(|c| c.as_os_str().to_str().is_none_or(is_temporary));
    if temporary || (cx.excluded)(path) {
        return Class::Ignored;
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json" | "jsonl" | "ndjson" | "csv" | "xlsx" | "xlsm" | "xls") => Class::Submission,
        None => Class::Folder,
        Some(_) => Class::Ignored,
    }
}

/// The touched paths of an event with their classes (none for irrelevant kinds).
pub fn classify_event(event: &notify::Event, cx: &Context<'_>) -> Vec<(PathBuf, Class)> {
    if !relevant_kind(&event.kind) {
        return Vec::new();
    }
    event
        .paths
        .iter()
        .map(|p| (p.clone(), classify(p, cx)))
        .filter(|(_, c)| *c != Class::Ignored)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode};
    use notify::Event;

    fn cx<'a>(roots: &'a [PathBuf], ignored: &'a dyn Fn(&Path) -> bool) -> Context<'a> {
        Context {
            roots,
            rules: Some(Path::new("/pack")),
            excluded: ignored,
        }
    }

    fn ev(kind: EventKind, paths: &[&str]) -> Event {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        e
    }

    #[test]
    fn writes_creates_removes_and_renames_are_relevant() {
        let roots = [PathBuf::from("/data")];
        let no = |_: &Path| false;
        let c = cx(&roots, &no);
        let write = ev(
            EventKind::Modify(ModifyKind::Data(DataChange::Content)),
            &["/data/a.json"],
        );
        assert_eq!(
            classify_event(&write, &c),
            vec![(PathBuf::from("/data/a.json"), Class::Submission)]
        );
        let create = ev(EventKind::Create(CreateKind::File), &["/data/sub/b.jsonl"]);
        assert_eq!(classify_event(&create, &c).len(), 1);
        let remove = ev(EventKind::Remove(RemoveKind::File), &["/data/a.json"]);
        assert_eq!(classify_event(&remove, &c).len(), 1);
        // Save by rename: the temporary name is ignored, the target re-checked.
        let rename = ev(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &["/data/.a.json.swp", "/data/a.json"],
        );
        assert_eq!(
            classify_event(&rename, &c),
            vec![(PathBuf::from("/data/a.json"), Class::Submission)]
        );
        let closed = ev(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &["/data/a.json"],
        );
        assert_eq!(classify_event(&closed, &c).len(), 1);
    }

    #[test]
    fn reads_are_not_changes() {
        let roots = [PathBuf::from("/data")];
        let no = |_: &Path| false;
        let c = cx(&roots, &no);
        for kind in [
            AccessKind::Open(AccessMode::Any),
            AccessKind::Read,
            AccessKind::Close(AccessMode::Read),
        ] {
            assert!(classify_event(&ev(EventKind::Access(kind), &["/data/a.json"]), &c).is_empty());
        }
    }

    #[test]
    fn editor_temporaries_hidden_and_ignored_paths_are_skipped() {
        let roots = [PathBuf::from("/data")];
        let ignored = |p: &Path| p.starts_with("/data/build");
        let c = cx(&roots, &ignored);
        for p in [
            "/data/a.json~",
            "/data/.a.json.swp",
            "/data/4913",
            "/data/#a.json#",
            "/data/~$report.json",
            "/data/a.json.tmp",
            "/data/.git/index",
            "/data/.hidden/a.json",
            "/data/build/a.json",
            "/data/notes.txt",
            "/elsewhere/a.json",
        ] {
            assert_eq!(classify(Path::new(p), &c), Class::Ignored, "{p}");
        }
    }

    #[test]
    fn folders_and_rule_files_are_recognised() {
        let roots = [PathBuf::from("/data")];
        let no = |_: &Path| false;
        let c = cx(&roots, &no);
        assert_eq!(classify(Path::new("/data/2018"), &c), Class::Folder);
        assert_eq!(
            classify(Path::new("/data/report.csv"), &c),
            Class::Submission
        );
        assert_eq!(
            classify(Path::new("/data/report.XLSX"), &c),
            Class::Submission
        );
        assert_eq!(
            classify(Path::new("/data/~$report.xlsx"), &c),
            Class::Ignored
        );
        assert_eq!(
            classify(Path::new("/pack/20-land.rules"), &c),
            Class::RuleFile
        );
        assert_eq!(
            classify(Path::new("/pack/.20-land.rules.swp"), &c),
            Class::Ignored
        );
        assert_eq!(classify(Path::new("/pack/notes.md"), &c), Class::Ignored);
    }
}
