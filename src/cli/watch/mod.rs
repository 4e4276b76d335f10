//! `plancheck watch DIR...`: check everything once, then re-check what
//! changes and print only what changed in the results, until interrupted.
//!
//! - `classify`: the pure event filter (which paths an event touches, and how).
//! - `state`: the current results per file and how a batch changes them.
//! - `diff`: new and resolved findings of a file, pure.
//! - `emit`: the watcher's output: human, JSON, or any format of `check` per batch.
//!
//! Events only say *that* something changed. After every batch the folders
//! are walked again (as `check` walks them) and each file's identity and
//! version compared with what was checked: files that are new or changed
//! are re-checked, files that are gone are forgotten, so the state always
//! equals a fresh `check` of the folders, whatever the events said (a storm
//! of renames inside one debounce window leaves no phantom). A touched rule
//! file reloads the pack (keeping the last good pack when the new one does
//! not load). A watched folder that vanishes is reported and watched again
//! when it comes back. Ctrl-C stops a check in progress. Bad input never
//! ends the loop.

pub mod classify;
mod diff;
mod emit;
mod state;

use super::args::WatchArgs;
use super::{load_pack, print_pack_errors, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::i18n::{msg, Lang};
use crate::input::format_of;
use crate::model::{Options, RecordReport};
use crate::pack::Pack;
use crate::report::{EmitOptions, Format};
use crate::run::{check_targets, collect_targets, Exclude, Target};
use classify::{classify_event, Class, Context};
use emit::{Cx, WatchEmitter};
use notify::RecursiveMode;
use state::{Stamp, State};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the loop is woken by.
enum Wake {
    Events(Vec<notify::Event>),
    Errors(Vec<String>),
    Interrupt,
}

/// How often the watched folders are looked at (are they still there?).
const POLL: Duration = Duration::from_millis(250);

/// A watched folder.
struct Root {
    /// Its absolute path.
    abs: PathBuf,
    /// The name the user gave it.
    shown: PathBuf,
    /// Which folder it is (device and inode), while it exists.
    id: Option<(u64, u64, u128)>,
}

/// Which folder is at `p` now: a folder replaced by another of the same
/// name is a different folder (the old one's watch is gone with it).
fn folder_id(p: &Path) -> Option<(u64, u64, u128)> {
    let meta = std::fs::metadata(p)
        .ok()
        .filter(std::fs::Metadata::is_dir)?;
    // A folder removed and made again may get the same inode number: its
    // birth time (where the file system keeps one) tells them apart.
    let born = meta
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino(), born))
    }
    #[cfg(not(unix))]
    {
        Some((0, 0, born))
    }
}

struct Watcher<'a> {
    args: &'a WatchArgs,
    pack: Pack,
    opts: Options,
    lang: Lang,
    roots: Vec<Root>,
    rules_dir: Option<PathBuf>,
    exclude: Exclude,
    state: State,
    emitter: Box<dyn WatchEmitter>,
    color: bool,
}

/// Whether `path` (which need not exist yet) lies inside one of the watched folders.
fn inside(path: &Path, roots: &[Root]) -> bool {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(parent), path.file_name()) {
        (Ok(dir), Some(name)) => {
            let abs = dir.join(name);
            roots.iter().any(|r| abs.starts_with(&r.abs))
        }
        _ => false,
    }
}

/// Runs `watch`.
pub fn run(args: &WatchArgs) -> u8 {
    let lang = super::args::resolve_lang(args.check.lang);
    let emitter: Box<dyn WatchEmitter> = match args.check.format {
        Format::Human => Box::new(emit::Human),
        Format::Json => Box::new(emit::Json),
        other => Box::new(emit::Report(other)),
    };
    let exclude = match Exclude::new(&args.check.exclude) {
        Ok(x) => x,
        Err((pattern, reason)) => {
            eprintln!("{}", msg::cli::bad_exclude(lang, &pattern, &reason));
            return EXIT_ERROR;
        }
    };
    let pack = match load_pack(args.check.rules.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            print_pack_errors(&e, lang);
            return EXIT_ERROR;
        }
    };
    let mut roots = Vec::new();
    for d in &args.check.paths {
        match std::fs::canonicalize(d) {
            Ok(abs) if abs.is_dir() => roots.push(Root {
                id: folder_id(&abs),
                abs,
                shown: d.clone(),
            }),
            Ok(_) => {
                let shown = crate::text::escape(&d.display().to_string()).into_owned();
                eprintln!("{}", msg::cli::not_a_folder(lang, &shown));
                return EXIT_ERROR;
            }
            Err(e) => {
                let shown = crate::text::escape(&d.display().to_string()).into_owned();
                eprintln!("{}", msg::cli::cannot_read(lang, &shown, &e.to_string()));
                return EXIT_ERROR;
            }
        }
    }
    if let Some(out) = args.check.output.as_ref().filter(|p| p.as_os_str() != "-") {
        if !emitter.whole_documents() {
            eprintln!("{}", msg::cli::watch_output_needs_document(lang));
            return EXIT_ERROR;
        }
        // Submissions are only ever read: a report written into a watched
        // folder under a submission's name would replace one (or become one,
        // and be checked after every batch it is rewritten in).
        if crate::input::format_of(out).is_some() && inside(out, &roots) {
            let shown = crate::text::escape(&out.display().to_string()).into_owned();
            eprintln!("{}", msg::cli::output_is_input(lang, &shown));
            return EXIT_ERROR;
        }
    }
    let rules_dir = args
        .check
        .rules
        .as_ref()
        .and_then(|r| std::fs::canonicalize(r).ok());
    let opts = Options {
        lang,
        date: args.check.date,
        select: args.check.select.clone(),
        ignore: args.check.ignore.clone(),
        all: args.check.all,
        cancel: crate::model::Cancel::default(),
        // The review report shows each record's facts.
        keep_records: args.check.format == Format::Html,
    };
    let mut w = Watcher {
        args,
        pack,
        opts,
        lang,
        roots,
        rules_dir,
        exclude,
        state: State::default(),
        emitter,
        color: args.check.color.for_stdout(),
    };

    let (tx, rx) = mpsc::channel::<Wake>();
    let tx_events = tx.clone();
    // The debouncer looks for quiet files once per tick (by default a
    // quarter of the window, up to 25 ms late): a 5 ms tick keeps a save's
    // result within a few milliseconds of the window's end.
    let window = Duration::from_millis(args.debounce_ms.max(10));
    let debouncer = notify_debouncer_full::new_debouncer(
        window,
        Some(Duration::from_millis(5).min(window / 2)),
        move |res: notify_debouncer_full::DebounceEventResult| {
            let wake = match res {
                Ok(events) => Wake::Events(events.into_iter().map(|e| e.event).collect()),
                Err(errors) => Wake::Errors(errors.into_iter().map(|e| e.to_string()).collect()),
            };
            let _ = tx_events.send(wake);
        },
    );
    let mut debouncer = match debouncer {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{}", msg::cli::cannot_watch_files(lang, &e.to_string()));
            return EXIT_ERROR;
        }
    };
    let watched: Vec<(PathBuf, PathBuf)> = w
        .roots
        .iter()
        .map(|r| (r.abs.clone(), r.shown.clone()))
        .chain(w.rules_dir.clone().map(|r| (r.clone(), r)))
        .collect();
    for (abs, shown) in watched {
        if let Err(e) = debouncer.watch(&abs, RecursiveMode::Recursive) {
            eprintln!(
                "{}",
                msg::cli::cannot_watch(lang, &shown.display().to_string(), &e.to_string())
            );
            return EXIT_ERROR;
        }
    }
    // Ctrl-C stops a check in progress at its next chunk, then the loop.
    let tx_int = tx.clone();
    let cancel = w.opts.cancel.clone();
    let _ = ctrlc::set_handler(move || {
        cancel.set();
        let _ = tx_int.send(Wake::Interrupt);
    });

    w.initial();
    loop {
        match rx.recv_timeout(POLL) {
            Ok(Wake::Events(events)) => w.on_events(&events),
            Ok(Wake::Errors(errors)) => {
                for e in errors {
                    let reason = msg::input::reader_reason(lang, &e);
                    eprintln!(
                        "{}",
                        msg::cli::watch_warning(lang, &crate::text::escape(&reason))
                    );
                }
            }
            Ok(Wake::Interrupt) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if w.opts.cancel.is_set() {
            break;
        }
        w.look_at_roots(&mut debouncer);
    }
    drop(debouncer);
    w.finish()
}

impl Watcher<'_> {
    fn shown(&self, abs: &Path) -> String {
        for root in &self.roots {
            if let Ok(rel) = abs.strip_prefix(&root.abs) {
                return root.shown.join(rel).display().to_string();
            }
        }
        abs.display().to_string()
    }

    fn check_file(&self, abs: &Path) -> Option<Vec<RecordReport>> {
        let format = format_of(abs)?;
        if !abs.is_file() {
            return None;
        }
        let target = Target {
            shown: self.shown(abs),
            path: abs.to_path_buf(),
            format,
        };
        Some(check_targets(
            &self.pack,
            std::slice::from_ref(&target),
            &self.opts,
        ))
    }

    /// Every submission file in the watched folders now, as `check` finds them.
    fn walk(&self) -> BTreeSet<PathBuf> {
        let present: Vec<PathBuf> = self
            .roots
            .iter()
            .filter(|r| r.id.is_some())
            .map(|r| r.abs.clone())
            .collect();
        let walk = collect_targets(&present, &self.exclude);
        for e in &walk.errors {
            let text = e.localized().message.text(self.lang).to_string();
            eprintln!(
                "{}",
                msg::cli::watch_warning(self.lang, &crate::text::escape(&text))
            );
        }
        walk.targets.into_iter().map(|t: Target| t.path).collect()
    }

    fn emit_options(&self) -> EmitOptions {
        EmitOptions {
            lang: self.lang,
            color: self.color,
            width: super::terminal_width(),
            quiet: self.args.check.quiet,
            deny_warnings: self.args.check.deny_warnings,
        }
    }

    /// Prints what `f` writes with the emitter and the current state.
    fn print(&self, f: impl FnOnce(&dyn WatchEmitter, &Cx<'_>) -> String) {
        self.print_until(f, &self.opts.cancel);
    }

    /// Prints what `f` renders, stopping early when `cancel` is set; a line
    /// cut short is ended, so that the next one (the last summary) is whole.
    fn print_until(
        &self,
        f: impl FnOnce(&dyn WatchEmitter, &Cx<'_>) -> String,
        cancel: &crate::model::Cancel,
    ) {
        let shown = |p: &Path| self.shown(p);
        let cx = Cx {
            pack: &self.pack,
            state: &self.state,
            opts: self.emit_options(),
            shown: &shown,
            cancel: &self.opts.cancel,
        };
        let text = f(self.emitter.as_ref(), &cx);
        // A whole document goes over `-o FILE` each time (a report on disk
        // that stays current); nothing is written where there is nothing new.
        let file = self
            .args
            .check
            .output
            .as_ref()
            .filter(|p| p.as_os_str() != "-");
        if let (true, Some(path)) = (self.emitter.whole_documents(), file) {
            if !text.is_empty() {
                if let Err(e) = std::fs::write(path, &text) {
                    let shown = path.display().to_string();
                    eprintln!(
                        "{}",
                        msg::cli::cannot_write(self.lang, &shown, &e.to_string())
                    );
                }
            }
            return;
        }
        // Written in pieces, so that Ctrl-C is not kept waiting by a slow
        // reader of thousands of findings.
        let mut rest = text.as_str();
        while !rest.is_empty() && !cancel.is_set() {
            let mut cut = rest.len().min(64 * 1024);
            while !rest.is_char_boundary(cut) {
                cut += 1;
            }
            let (piece, tail) = rest.split_at(cut);
            out!("{piece}");
            rest = tail;
        }
        if !rest.is_empty() {
            out!("\n");
        }
    }

    fn initial(&mut self) {
        let started = Instant::now();
        let (recheck, _) = self.differences(&BTreeSet::new());
        for p in recheck {
            let stamp = Stamp::of(&p);
            if let Some(r) = self.check_file(&p) {
                self.state.files.insert(p.clone(), r);
                self.state.stamps.insert(p, stamp);
            }
        }
        self.state.batch += 1;
        let elapsed = started.elapsed();
        self.print(|e, cx| e.initial(cx, elapsed));
    }

    /// What to re-check and what to forget for the state to equal the
    /// folders now: new files, files whose identity or version changed, and
    /// `forced` ones; files no longer there.
    fn differences(&self, forced: &BTreeSet<PathBuf>) -> (BTreeSet<PathBuf>, BTreeSet<PathBuf>) {
        let now = self.walk();
        let removed: BTreeSet<PathBuf> = self
            .state
            .files
            .keys()
            .filter(|p| !now.contains(*p))
            .cloned()
            .collect();
        let recheck: BTreeSet<PathBuf> = now
            .into_iter()
            .filter(|p| {
                forced.contains(p) || self.state.stamps.get(p).is_none_or(|s| *s != Stamp::of(p))
            })
            .collect();
        (recheck, removed)
    }

    fn on_events(&mut self, events: &[notify::Event]) {
        let started = Instant::now();
        // A watched folder itself removed: its watch is gone with it, even if
        // a new folder soon takes its name (and its inode number).
        for e in events.iter().filter(|e| e.kind.is_remove()) {
            for r in &mut self.roots {
                if e.paths.contains(&r.abs) {
                    // Equal to no folder's id: the next look says gone or back.
                    r.id = Some((u64::MAX, u64::MAX, u128::MAX));
                }
            }
        }
        let roots: Vec<PathBuf> = self.roots.iter().map(|r| r.abs.clone()).collect();
        let exclude = &self.exclude;
        let excluded = |p: &Path| {
            roots
                .iter()
                .find_map(|r| p.strip_prefix(r).ok())
                .is_some_and(|rel| exclude.matches(rel))
        };
        let cx = Context {
            roots: &roots,
            rules: self.rules_dir.as_deref(),
            excluded: &excluded,
        };
        let mut touched: BTreeSet<PathBuf> = BTreeSet::new();
        let mut relevant = false;
        let mut rules_changed = false;
        for e in events {
            for (p, c) in classify_event(e, &cx) {
                match c {
                    Class::RuleFile => rules_changed = true,
                    Class::Ignored => {}
                    Class::Submission => {
                        relevant = true;
                        touched.insert(p);
                    }
                    Class::Folder => relevant = true,
                }
            }
        }
        if rules_changed {
            self.reload(started);
            return;
        }
        if relevant {
            self.sync(&touched, started, "change");
        }
    }

    /// Brings the state to what the folders hold now (see [`Self::differences`]).
    fn sync(&mut self, forced: &BTreeSet<PathBuf>, started: Instant, trigger: &str) {
        let (recheck, removed) = self.differences(forced);
        let mut results: Vec<(PathBuf, Option<Vec<RecordReport>>)> = Vec::new();
        for p in recheck {
            if self.opts.cancel.is_set() {
                break;
            }
            let stamp = Stamp::of(&p);
            let r = self.check_file(&p);
            // A check cut short by Ctrl-C is not a result.
            if self.opts.cancel.is_set() {
                break;
            }
            if r.is_some() {
                self.state.stamps.insert(p.clone(), stamp);
            }
            results.push((p, r));
        }
        for p in &removed {
            self.state.stamps.remove(p);
        }
        let change = self.state.apply(results, removed);
        if change.is_empty() {
            return;
        }
        self.state.batch += 1;
        let elapsed = started.elapsed();
        self.print(|e, cx| e.batch(cx, &change, trigger, elapsed));
    }

    /// Notices watched folders that vanished, were replaced or came back.
    fn look_at_roots<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
        &mut self,
        debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    ) {
        let mut moved = false;
        for i in 0..self.roots.len() {
            let Some(root) = self.roots.get(i) else {
                continue;
            };
            let now = folder_id(&root.abs);
            if now == root.id {
                continue;
            }
            let shown = crate::text::escape(&root.shown.display().to_string()).into_owned();
            let abs = root.abs.clone();
            match now {
                None => eprintln!("{}", msg::cli::watch_root_gone(self.lang, &shown)),
                Some(_) => {
                    // A new folder by the old name: watch it afresh.
                    let _ = debouncer.unwatch(&abs);
                    if let Err(e) = debouncer.watch(&abs, RecursiveMode::Recursive) {
                        eprintln!(
                            "{}",
                            msg::cli::cannot_watch(self.lang, &shown, &e.to_string())
                        );
                        continue;
                    }
                    eprintln!("{}", msg::cli::watch_root_back(self.lang, &shown));
                }
            }
            if let Some(r) = self.roots.get_mut(i) {
                r.id = now;
            }
            moved = true;
        }
        if moved {
            self.sync(&BTreeSet::new(), Instant::now(), "change");
        }
    }

    fn reload(&mut self, started: Instant) {
        let Some(dir) = self.args.check.rules.clone() else {
            return;
        };
        match crate::load::from_dir(&dir) {
            Ok(pack) => {
                self.pack = pack;
                let note = self.emitter.reloaded(self.lang);
                out!("{note}");
                // Every file is checked again under the new pack.
                let all: BTreeSet<PathBuf> = self.walk();
                self.sync(&all, started, "rules");
            }
            Err(e) => {
                print_pack_errors(&e, self.lang);
                eprintln!("{}", msg::cli::watch_keeps_pack(self.lang));
            }
        }
    }

    fn finish(&self) -> u8 {
        self.print_until(|e, cx| e.finish(cx), &crate::model::Cancel::default());
        if self.state.failed(self.args.check.deny_warnings) {
            EXIT_FAIL
        } else {
            EXIT_OK
        }
    }
}
