//! `plancheck watch DIR...`: check everything once, then re-check what
//! changes and print only what changed in the results, until interrupted.
//!
//! - `classify`: the pure event filter (which paths an event touches, and how).
//! - `state`: the current results per file and how a batch changes them.
//! - `diff`: new and resolved findings of a file, pure.
//! - `emit`: the watcher's output, human or JSON.
//!
//! A batch of debounced events is reduced to a set of touched paths; each
//! touched submission is re-checked or forgotten, each touched folder
//! rescanned, and a touched rule file reloads the pack (keeping the last good
//! pack when the new one does not load). Bad input never ends the loop.

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
use crate::run::{check_targets, collect_targets, Target};
use classify::{classify_event, Class, Context};
use emit::{Cx, WatchEmitter};
use notify::RecursiveMode;
use state::State;
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

struct Watcher<'a> {
    args: &'a WatchArgs,
    pack: Pack,
    opts: Options,
    lang: Lang,
    /// Absolute folders watched, with the names users gave them.
    roots: Vec<(PathBuf, PathBuf)>,
    rules_dir: Option<PathBuf>,
    gitignore: ignore::gitignore::Gitignore,
    state: State,
    emitter: Box<dyn WatchEmitter>,
    color: bool,
}

/// Runs `watch`.
pub fn run(args: &WatchArgs) -> u8 {
    let lang = super::args::resolve_lang(args.check.lang);
    let emitter: Box<dyn WatchEmitter> = match args.check.format {
        Format::Human => Box::new(emit::Human),
        Format::Json => Box::new(emit::Json),
        _ => {
            eprintln!("{}", msg::cli::watch_formats(lang));
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
            Ok(abs) if abs.is_dir() => roots.push((abs, d.clone())),
            Ok(_) => {
                eprintln!("{}", msg::cli::not_a_folder(lang, &d.display().to_string()));
                return EXIT_ERROR;
            }
            Err(e) => {
                eprintln!(
                    "{}",
                    msg::cli::cannot_read(lang, &d.display().to_string(), &e.to_string())
                );
                return EXIT_ERROR;
            }
        }
    }
    let rules_dir = args
        .check
        .rules
        .as_ref()
        .and_then(|r| std::fs::canonicalize(r).ok());
    let mut gi = ignore::gitignore::GitignoreBuilder::new(
        roots.first().map_or(Path::new("/"), |r| r.0.as_path()),
    );
    for (abs, _) in &roots {
        let _ = gi.add(abs.join(".gitignore"));
    }
    let gitignore = gi
        .build()
        .unwrap_or_else(|_| ignore::gitignore::Gitignore::empty());
    let opts = Options {
        lang,
        date: args.check.date,
        select: args.check.select.clone(),
        ignore: args.check.ignore.clone(),
        all: args.check.all,
    };
    let mut w = Watcher {
        args,
        pack,
        opts,
        lang,
        roots,
        rules_dir,
        gitignore,
        state: State::default(),
        emitter,
        color: args.check.color.for_stdout(),
    };

    let (tx, rx) = mpsc::channel::<Wake>();
    let tx_events = tx.clone();
    let debouncer = notify_debouncer_full::new_debouncer(
        Duration::from_millis(args.debounce_ms.max(10)),
        None,
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
        .cloned()
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
    let tx_int = tx.clone();
    let _ = ctrlc::set_handler(move || {
        let _ = tx_int.send(Wake::Interrupt);
    });

    w.initial();
    while let Ok(wake) = rx.recv() {
        match wake {
            Wake::Events(events) => w.on_events(&events),
            Wake::Errors(errors) => {
                for e in errors {
                    eprintln!(
                        "{}",
                        msg::cli::watch_warning(lang, &msg::input::reader_reason(lang, &e))
                    );
                }
            }
            Wake::Interrupt => break,
        }
    }
    drop(debouncer);
    w.finish()
}

impl Watcher<'_> {
    fn shown(&self, abs: &Path) -> String {
        for (root, shown) in &self.roots {
            if let Ok(rel) = abs.strip_prefix(root) {
                return shown.join(rel).display().to_string();
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

    fn all_targets(&self, under: &Path) -> Vec<PathBuf> {
        match collect_targets(&[under.to_path_buf()]) {
            Ok((t, _)) => t
                .into_iter()
                .map(|t: Target| t.path)
                .filter(|p| {
                    !(self
                        .gitignore
                        .matched_path_or_any_parents(p, false)
                        .is_ignore())
                })
                .collect(),
            Err(_) => Vec::new(),
        }
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
        let shown = |p: &Path| self.shown(p);
        let cx = Cx {
            pack: &self.pack,
            state: &self.state,
            opts: self.emit_options(),
            shown: &shown,
        };
        let text = f(self.emitter.as_ref(), &cx);
        out!("{text}");
    }

    fn initial(&mut self) {
        let started = Instant::now();
        let roots: Vec<PathBuf> = self.roots.iter().map(|r| r.0.clone()).collect();
        for root in roots {
            for p in self.all_targets(&root) {
                if let Some(r) = self.check_file(&p) {
                    self.state.files.insert(p, r);
                }
            }
        }
        self.state.batch += 1;
        let elapsed = started.elapsed();
        self.print(|e, cx| e.initial(cx, elapsed));
    }

    fn on_events(&mut self, events: &[notify::Event]) {
        let started = Instant::now();
        let roots: Vec<PathBuf> = self.roots.iter().map(|r| r.0.clone()).collect();
        let gitignore = &self.gitignore;
        let gitignored = |p: &Path| gitignore.matched_path_or_any_parents(p, false).is_ignore();
        let cx = Context {
            roots: &roots,
            rules: self.rules_dir.as_deref(),
            gitignored: &gitignored,
        };
        let mut touched: BTreeSet<(PathBuf, Class)> = BTreeSet::new();
        let mut rules_changed = false;
        for e in events {
            for (p, c) in classify_event(e, &cx) {
                match c {
                    Class::RuleFile => rules_changed = true,
                    Class::Ignored => {}
                    other => {
                        touched.insert((p, other));
                    }
                }
            }
        }
        if rules_changed {
            self.reload(started);
            return;
        }
        if touched.is_empty() {
            return;
        }
        // Which files to re-check, and which to forget.
        let mut recheck: BTreeSet<PathBuf> = BTreeSet::new();
        let mut removed: BTreeSet<PathBuf> = BTreeSet::new();
        for (p, class) in &touched {
            match class {
                Class::Submission => {
                    if p.is_file() {
                        recheck.insert(p.clone());
                    } else if self.state.files.contains_key(p) {
                        removed.insert(p.clone());
                    }
                }
                Class::Folder => {
                    // A folder created, moved in, moved out or deleted: what lies under it now.
                    let now: BTreeSet<PathBuf> = if p.is_dir() {
                        self.all_targets(p).into_iter().collect()
                    } else {
                        BTreeSet::new()
                    };
                    for known in self
                        .state
                        .files
                        .keys()
                        .filter(|k| k.starts_with(p) && !now.contains(*k))
                    {
                        removed.insert(known.clone());
                    }
                    recheck.extend(now);
                }
                Class::RuleFile | Class::Ignored => {}
            }
        }
        self.apply(recheck, removed, started, "change");
    }

    fn apply(
        &mut self,
        recheck: BTreeSet<PathBuf>,
        removed: BTreeSet<PathBuf>,
        started: Instant,
        trigger: &str,
    ) {
        let results: Vec<(PathBuf, Option<Vec<RecordReport>>)> = recheck
            .into_iter()
            .map(|p| {
                let r = self.check_file(&p);
                (p, r)
            })
            .collect();
        let change = self.state.apply(results, removed);
        if change.is_empty() {
            return;
        }
        self.state.batch += 1;
        let elapsed = started.elapsed();
        self.print(|e, cx| e.batch(cx, &change, trigger, elapsed));
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
                let all: BTreeSet<PathBuf> = self.state.files.keys().cloned().collect();
                let roots: Vec<PathBuf> = self.roots.iter().map(|r| r.0.clone()).collect();
                let mut recheck = all;
                for root in roots {
                    recheck.extend(self.all_targets(&root));
                }
                self.apply(recheck, BTreeSet::new(), started, "rules");
            }
            Err(e) => {
                print_pack_errors(&e, self.lang);
                eprintln!("{}", msg::cli::watch_keeps_pack(self.lang));
            }
        }
    }

    fn finish(&self) -> u8 {
        self.print(|e, cx| e.finish(cx));
        if self.state.failed(self.args.check.deny_warnings) {
            EXIT_FAIL
        } else {
            EXIT_OK
        }
    }
}
