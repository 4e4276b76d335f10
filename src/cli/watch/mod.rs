//! `plancheck watch DIR...`: check everything once, then re-check what
//! changes and print only what changed in the results, until interrupted.
//!
//! The loop keeps the current results per file. A batch of debounced events
//! is reduced to a set of touched paths (classified by [`classify`]); each
//! touched submission is re-checked or forgotten, each touched folder
//! rescanned, and a touched rule file reloads the pack (keeping the last good
//! pack when the new one does not load). Bad input never ends the loop.

pub mod classify;

use super::args::WatchArgs;
use super::check::{check_targets, collect_targets, Target};
use super::{load_pack, print_pack_errors, EXIT_ERROR, EXIT_FAIL, EXIT_OK};
use crate::eval::Options;
use crate::input::format_of;
use crate::pack::{Lang, Pack};
use crate::report::{
    render_human, render_json, RecordReport, RenderOptions, RunReport, Status, Summary,
};
use classify::{classify_event, Class, Context};
use notify::RecursiveMode;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the loop is woken by.
enum Wake {
    Events(Vec<notify::Event>),
    Errors(Vec<String>),
    Interrupt,
}

/// A finding as compared between two checks of a file.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    index: usize,
    rule: String,
    pointer: String,
    message: String,
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
    /// Current results per file (absolute path).
    files: BTreeMap<PathBuf, RunReport>,
    batch: u64,
    color: bool,
}

/// Runs `watch`.
pub fn run(args: &WatchArgs) -> u8 {
    let lang = super::args::resolve_lang(args.check.lang);
    let pack = match load_pack(args.check.rules.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            print_pack_errors(&e);
            return EXIT_ERROR;
        }
    };
    let mut roots = Vec::new();
    for d in &args.check.paths {
        match std::fs::canonicalize(d) {
            Ok(abs) if abs.is_dir() => roots.push((abs, d.clone())),
            Ok(_) => {
                eprintln!(
                    "error: `{}` is not a folder\n  help: watch takes folders of submissions",
                    d.display()
                );
                return EXIT_ERROR;
            }
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", d.display());
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
    let color = args.check.color.for_stdout();
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
        files: BTreeMap::new(),
        batch: 0,
        color,
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
            eprintln!("error: cannot watch files: {e}");
            return EXIT_ERROR;
        }
    };
    for (abs, shown) in w
        .roots
        .clone()
        .iter()
        .map(|(a, s)| (a.clone(), s.clone()))
        .chain(w.rules_dir.clone().map(|r| (r.clone(), r)))
    {
        if let Err(e) = debouncer.watch(&abs, RecursiveMode::Recursive) {
            eprintln!("error: cannot watch `{}`: {e}", shown.display());
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
                    eprintln!("warning: file watching: {e}");
                }
            }
            Wake::Interrupt => break,
        }
    }
    drop(debouncer);
    w.finish()
}

impl Watcher<'_> {
    fn now() -> String {
        jiff::Zoned::now().strftime("%H:%M:%S").to_string()
    }

    fn shown(&self, abs: &Path) -> String {
        for (root, shown) in &self.roots {
            if let Ok(rel) = abs.strip_prefix(root) {
                return shown.join(rel).display().to_string();
            }
        }
        abs.display().to_string()
    }

    fn check_file(&self, abs: &Path) -> Option<RunReport> {
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
        match collect_targets(&[under.to_path_buf()], false) {
            Ok(t) => t
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

    fn summary(&self) -> (Summary, usize, usize) {
        let mut s = Summary::default();
        let mut records = 0;
        for r in self.files.values() {
            let x = r.summary();
            s.pass += x.pass;
            s.warn += x.warn;
            s.fail += x.fail;
            s.invalid += x.invalid;
            s.errors += x.errors;
            s.warnings += x.warnings;
            s.notes += x.notes;
            records += r.records.len();
        }
        (s, self.files.len(), records)
    }

    fn summary_line(&self, elapsed: Duration, what: &str) -> String {
        let (s, files, records) = self.summary();
        let ms = elapsed.as_secs_f64() * 1000.0;
        match self.lang {
            Lang::Zh => format!(
                "[{}] {what}共 {files} 个文件、{records} 条记录：通过 {}，警告 {}，不通过 {}，无效 {}（用时 {ms:.0} 毫秒）",
                Self::now(),
                s.pass,
                s.warn,
                s.fail,
                s.invalid
            ),
            Lang::En => format!("[{}] {what}{files} file(s), {records} record(s): {} pass, {} warn, {} fail, {} invalid ({ms:.0} ms)", Self::now(), s.pass, s.warn, s.fail, s.invalid),
        }
    }

    fn render_opts(&self) -> RenderOptions {
        RenderOptions {
            lang: self.lang,
            color: self.color,
            width: super::terminal_width(),
            quiet: self.args.check.quiet,
            deny_warnings: self.args.check.deny_warnings,
        }
    }

    fn initial(&mut self) {
        let started = Instant::now();
        let roots: Vec<PathBuf> = self.roots.iter().map(|r| r.0.clone()).collect();
        for root in roots {
            for p in self.all_targets(&root) {
                if let Some(r) = self.check_file(&p) {
                    self.files.insert(p, r);
                }
            }
        }
        self.emit_initial(started.elapsed());
    }

    fn emit_initial(&mut self, elapsed: Duration) {
        self.batch += 1;
        if self.json() {
            let changed: Vec<PathBuf> = self.files.keys().cloned().collect();
            let old = BTreeMap::new();
            self.emit_json("start", &changed, &[], &old);
            return;
        }
        let mut out = String::new();
        for r in self.files.values() {
            let text = render_human(&self.pack, r, &self.render_opts(), None);
            // Drop the per-file summary line: one summary follows for the folder.
            let body: Vec<&str> = text.lines().collect();
            out.push_str(
                &body
                    .get(..body.len().saturating_sub(1))
                    .unwrap_or(&[])
                    .join("\n"),
            );
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        }
        let what = if self.lang == Lang::Zh {
            "初次检查："
        } else {
            "checked "
        };
        out.push_str(&self.summary_line(elapsed, what));
        out.push_str(if self.lang == Lang::Zh {
            "；正在监视变化（Ctrl-C 退出）\n"
        } else {
            "; watching for changes (Ctrl-C to stop)\n"
        });
        print_flush(&out);
    }

    fn json(&self) -> bool {
        self.args.check.format == super::args::OutputFormat::Json
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
                    } else if self.files.contains_key(p) {
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
        let mut old: BTreeMap<PathBuf, Option<RunReport>> = BTreeMap::new();
        let mut changed = Vec::new();
        for p in &recheck {
            match self.check_file(p) {
                Some(r) => {
                    old.insert(p.clone(), self.files.insert(p.clone(), r));
                    changed.push(p.clone());
                }
                None => {
                    // It vanished between the event and the read.
                    if let Some(prev) = self.files.remove(p) {
                        old.insert(p.clone(), Some(prev));
                    }
                }
            }
        }
        let mut gone = Vec::new();
        for p in &removed {
            if let Some(prev) = self.files.remove(p) {
                old.insert(p.clone(), Some(prev));
                gone.push(p.clone());
            }
        }
        for (p, prev) in &old {
            if !self.files.contains_key(p) && prev.is_some() && !gone.contains(p) {
                gone.push(p.clone());
            }
        }
        if changed.is_empty() && gone.is_empty() {
            return;
        }
        self.batch += 1;
        if self.json() {
            self.emit_json(trigger, &changed, &gone, &old);
        } else {
            self.emit_human(&changed, &gone, &old, started.elapsed());
        }
    }

    fn keys(report: &RunReport) -> BTreeMap<Key, (usize, usize)> {
        let mut out = BTreeMap::new();
        for (ri, r) in report.records.iter().enumerate() {
            for (fi, f) in r.findings.iter().enumerate() {
                let key = Key {
                    index: r.index,
                    rule: f.finding.rule.clone(),
                    pointer: f.finding.pointer.clone().unwrap_or_default(),
                    message: f.finding.message.clone(),
                };
                out.insert(key, (ri, fi));
            }
        }
        out
    }

    fn emit_human(
        &self,
        changed: &[PathBuf],
        gone: &[PathBuf],
        old: &BTreeMap<PathBuf, Option<RunReport>>,
        elapsed: Duration,
    ) {
        let zh = self.lang == Lang::Zh;
        let mut out = String::new();
        for p in gone {
            let n = old.get(p).and_then(|o| o.as_ref()).map_or(0, |r| {
                r.records.iter().map(|x| x.findings.len()).sum::<usize>()
            });
            out.push_str(&if zh {
                format!("− {} 已删除或移出，其 {n} 项结果已清除\n", self.shown(p))
            } else {
                format!(
                    "− {} was removed; its {n} finding(s) are gone\n",
                    self.shown(p)
                )
            });
        }
        for p in changed {
            let Some(now) = self.files.get(p) else {
                continue;
            };
            let before = old.get(p).and_then(|o| o.as_ref());
            let new_keys = Self::keys(now);
            let old_keys = before.map(Self::keys).unwrap_or_default();
            let added: Vec<&(usize, usize)> = new_keys
                .iter()
                .filter(|(k, _)| !old_keys.contains_key(*k))
                .map(|(_, v)| v)
                .collect();
            let resolved: Vec<(&Key, &(usize, usize))> = old_keys
                .iter()
                .filter(|(k, _)| !new_keys.contains_key(*k))
                .collect();
            let status: Vec<&str> = now.records.iter().map(|r| r.status.as_str()).collect();
            out.push_str(&format!(
                "{} {} ({})\n",
                if before.is_some() { "~" } else { "+" },
                self.shown(p),
                status.join(", ")
            ));
            if added.is_empty() && resolved.is_empty() {
                out.push_str(if zh {
                    "  结果未变\n"
                } else {
                    "  no change in findings\n"
                });
            }
            if !added.is_empty() {
                // Render only the new findings, with their source.
                let mut sub = RunReport {
                    files: 1,
                    records: Vec::new(),
                };
                for r in &now.records {
                    let mut r2: RecordReport = r.clone();
                    r2.findings.clear();
                    sub.records.push(r2);
                }
                for (ri, fi) in &added {
                    if let (Some(r), Some(f)) = (
                        sub.records.get_mut(*ri),
                        now.records.get(*ri).and_then(|r| r.findings.get(*fi)),
                    ) {
                        r.findings.push(f.clone());
                    }
                }
                sub.records.retain(|r| !r.findings.is_empty());
                let text = render_human(&self.pack, &sub, &self.render_opts(), None);
                let lines: Vec<&str> = text.lines().collect();
                out.push_str(
                    &lines
                        .get(..lines.len().saturating_sub(1))
                        .unwrap_or(&[])
                        .join("\n"),
                );
                out.push('\n');
            }
            if let Some(before) = before {
                for (k, (ri, fi)) in resolved {
                    let at = before
                        .records
                        .get(*ri)
                        .and_then(|r| r.findings.get(*fi))
                        .and_then(|f| f.line.zip(f.column))
                        .map(|(l, c)| format!(":{l}:{c}"))
                        .unwrap_or_default();
                    out.push_str(&if zh {
                        format!(
                            "  ✓ 已解决 {} {}{at}：{}\n",
                            k.rule,
                            self.shown(p),
                            k.message
                        )
                    } else {
                        format!(
                            "  ✓ resolved {} at {}{at}: {}\n",
                            k.rule,
                            self.shown(p),
                            k.message
                        )
                    });
                }
            }
        }
        let what = if zh {
            format!(
                "第 {} 批：重新检查 {} 个文件，删除 {} 个；",
                self.batch,
                changed.len(),
                gone.len()
            )
        } else {
            format!(
                "batch {}: re-checked {}, removed {}; ",
                self.batch,
                changed.len(),
                gone.len()
            )
        };
        out.push_str(&self.summary_line(elapsed, &what));
        out.push('\n');
        print_flush(&out);
    }

    fn emit_json(
        &self,
        trigger: &str,
        changed: &[PathBuf],
        gone: &[PathBuf],
        old: &BTreeMap<PathBuf, Option<RunReport>>,
    ) {
        let mut records = Vec::new();
        let mut new_findings = Vec::new();
        let mut resolved = Vec::new();
        for p in changed {
            let Some(now) = self.files.get(p) else {
                continue;
            };
            let doc = render_json(&self.pack, now);
            if let Some(rs) = doc["records"].as_array() {
                records.extend(rs.iter().cloned());
            }
            let new_keys = Self::keys(now);
            let old_keys = old
                .get(p)
                .and_then(|o| o.as_ref())
                .map(Self::keys)
                .unwrap_or_default();
            for k in new_keys.keys().filter(|k| !old_keys.contains_key(*k)) {
                new_findings.push(serde_json::json!({ "file": self.shown(p), "index": k.index, "rule": k.rule, "path": k.pointer, "message": k.message }));
            }
            for k in old_keys.keys().filter(|k| !new_keys.contains_key(*k)) {
                resolved.push(serde_json::json!({ "file": self.shown(p), "index": k.index, "rule": k.rule, "path": k.pointer, "message": k.message }));
            }
        }
        for p in gone {
            if let Some(Some(before)) = old.get(p) {
                for k in Self::keys(before).keys() {
                    resolved.push(serde_json::json!({ "file": self.shown(p), "index": k.index, "rule": k.rule, "path": k.pointer, "message": k.message }));
                }
            }
        }
        let (s, files, nrec) = self.summary();
        let doc = serde_json::json!({
            "plancheck": env!("CARGO_PKG_VERSION"),
            "batch": self.batch,
            "time": jiff::Timestamp::now().to_string(),
            "trigger": trigger,
            "changed": changed.iter().map(|p| self.shown(p)).collect::<Vec<_>>(),
            "removed": gone.iter().map(|p| self.shown(p)).collect::<Vec<_>>(),
            "new": new_findings,
            "resolved": resolved,
            "summary": {
                "files": files, "records": nrec, "pass": s.pass, "warn": s.warn, "fail": s.fail, "invalid": s.invalid,
                "findings": { "error": s.errors, "warning": s.warnings, "note": s.notes },
            },
            "records": records,
        });
        print_flush(&format!("{doc}\n"));
    }

    fn reload(&mut self, started: Instant) {
        let Some(dir) = self.args.check.rules.clone() else {
            return;
        };
        match crate::load::from_dir(&dir) {
            Ok(pack) => {
                self.pack = pack;
                if !self.json() {
                    print_flush(if self.lang == Lang::Zh {
                        "规则包已重新加载，重新检查全部文件\n"
                    } else {
                        "rule pack reloaded; re-checking everything\n"
                    });
                }
                let all: BTreeSet<PathBuf> = self.files.keys().cloned().collect();
                let roots: Vec<PathBuf> = self.roots.iter().map(|r| r.0.clone()).collect();
                let mut recheck = all;
                for root in roots {
                    recheck.extend(self.all_targets(&root));
                }
                self.apply(recheck, BTreeSet::new(), started, "rules");
            }
            Err(e) => {
                print_pack_errors(&e);
                eprintln!(
                    "{}",
                    if self.lang == Lang::Zh {
                        "规则包有错误，继续使用上一版规则"
                    } else {
                        "the rule pack has errors; still using the last good pack"
                    }
                );
            }
        }
    }

    fn finish(&self) -> u8 {
        if self.json() {
            let (s, files, records) = self.summary();
            print_flush(&format!(
                "{}\n",
                serde_json::json!({ "plancheck": env!("CARGO_PKG_VERSION"), "batch": self.batch + 1, "trigger": "interrupt", "summary": {
                    "files": files, "records": records, "pass": s.pass, "warn": s.warn, "fail": s.fail, "invalid": s.invalid,
                    "findings": { "error": s.errors, "warning": s.warnings, "note": s.notes } } })
            ));
        } else {
            let what = if self.lang == Lang::Zh {
                "停止监视。"
            } else {
                "stopped. "
            };
            print_flush(&format!("{}\n", self.summary_line(Duration::ZERO, what)));
        }
        let failed = self.files.values().flat_map(|r| &r.records).any(|r| {
            matches!(r.status, Status::Fail | Status::Invalid)
                || (self.args.check.deny_warnings && r.status == Status::Warn)
        });
        if failed {
            EXIT_FAIL
        } else {
            EXIT_OK
        }
    }
}

fn print_flush(s: &str) {
    out!("{s}");
}
