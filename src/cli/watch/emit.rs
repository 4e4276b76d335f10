//! What the watcher prints: the first check, each batch of changes, a
//! reloaded pack and the end, as human text, one JSON document per batch,
//! or the whole current state in any other format of `check` per batch.

use super::diff::{diff, keys};
use super::state::{Change, State};
use crate::i18n::{msg, Lang};
use crate::model::RecordReport;
use crate::pack::Pack;
use crate::report::{render, render_json, render_record, EmitOptions, Format, RunEnd, Summary};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The watcher's output in one format.
pub trait WatchEmitter {
    /// After the first check of every file.
    fn initial(&self, cx: &Cx<'_>, elapsed: Duration) -> String;
    /// After a batch of re-checks (`trigger`: `change` or `rules`).
    fn batch(&self, cx: &Cx<'_>, change: &Change, trigger: &str, elapsed: Duration) -> String;
    /// A new pack was loaded.
    fn reloaded(&self, lang: Lang) -> String;
    /// The watcher stops.
    fn finish(&self, cx: &Cx<'_>) -> String;
    /// Whether each output is a whole document of the current state (then
    /// `-o FILE` is written over each time, not appended to).
    fn whole_documents(&self) -> bool {
        false
    }
}

/// What the emitters read: the pack, the state and how files are named.
pub struct Cx<'a> {
    /// The pack in use.
    pub pack: &'a Pack,
    /// The current results.
    pub state: &'a State,
    /// How to render.
    pub opts: EmitOptions,
    /// The name users see for an absolute path.
    pub shown: &'a dyn Fn(&Path) -> String,
    /// Set by Ctrl-C: rendering thousands of findings stops too.
    pub cancel: &'a crate::model::Cancel,
}

fn now() -> String {
    jiff::Zoned::now().strftime("%H:%M:%S").to_string()
}

fn summary_line(cx: &Cx<'_>, elapsed: Duration, what: &str) -> String {
    let (s, files, records) = cx.state.summary();
    let ms = format!("{:.0}", elapsed.as_secs_f64() * 1000.0);
    msg::cli::watch_summary(
        cx.opts.lang,
        &now(),
        what,
        files,
        records,
        s.pass,
        s.warn,
        s.fail,
        s.invalid,
        &ms,
    )
}

/// Human text.
pub struct Human;

impl WatchEmitter for Human {
    fn initial(&self, cx: &Cx<'_>, elapsed: Duration) -> String {
        let lang = cx.opts.lang;
        let mut out = String::new();
        for rs in cx.state.files.values() {
            let text: String = rs
                .iter()
                .take_while(|_| !cx.cancel.is_set())
                .map(|r| render_record(cx.pack, r, &cx.opts))
                .collect();
            // One line break after a file's findings, not a blank line.
            out.push_str(&text.lines().collect::<Vec<_>>().join("\n"));
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        }
        out.push_str(&summary_line(cx, elapsed, &msg::cli::watch_initial(lang)));
        out.push_str(&msg::cli::watching(lang));
        out
    }

    fn batch(&self, cx: &Cx<'_>, change: &Change, _trigger: &str, elapsed: Duration) -> String {
        let lang = cx.opts.lang;
        let mut out = String::new();
        for p in &change.gone {
            let n = change
                .before(p)
                .map_or(0, |r| r.iter().map(|x| x.findings.len()).sum::<usize>());
            out.push_str(&msg::cli::watch_removed(lang, &(cx.shown)(p), n));
        }
        for p in &change.changed {
            if cx.cancel.is_set() {
                break;
            }
            let Some(now) = cx.state.files.get(p) else {
                continue;
            };
            let before = change.before(p);
            let d = diff(before, now);
            let status: Vec<&str> = now.iter().map(|r| r.status.as_str()).collect();
            out.push_str(&format!(
                "{} {} ({})\n",
                if before.is_some() { "~" } else { "+" },
                (cx.shown)(p),
                status.join(", ")
            ));
            if d.is_empty() {
                out.push_str(&msg::cli::watch_no_change(lang));
            }
            if !d.added.is_empty() {
                // Render only the new findings, with their source.
                let mut sub: Vec<RecordReport> = now
                    .iter()
                    .map(|r| RecordReport {
                        findings: Vec::new(),
                        ..r.clone()
                    })
                    .collect();
                for (ri, fi) in &d.added {
                    if let (Some(r), Some(f)) = (
                        sub.get_mut(*ri),
                        now.get(*ri).and_then(|r| r.findings.get(*fi)),
                    ) {
                        r.findings.push(f.clone());
                    }
                }
                let text: String = sub
                    .iter()
                    .take_while(|_| !cx.cancel.is_set())
                    .filter(|r| !r.findings.is_empty())
                    .map(|r| render_record(cx.pack, r, &cx.opts))
                    .collect();
                out.push_str(&text.lines().collect::<Vec<_>>().join("\n"));
                out.push('\n');
            }
            if let Some(before) = before {
                for (k, (ri, fi)) in &d.resolved {
                    let at = before
                        .get(*ri)
                        .and_then(|r| r.findings.get(*fi))
                        .and_then(|f| f.line.zip(f.column))
                        .map(|(l, c)| format!(":{l}:{c}"))
                        .unwrap_or_default();
                    out.push_str(&msg::cli::watch_resolved(
                        lang,
                        &k.rule,
                        &(cx.shown)(p),
                        &at,
                        &k.message,
                    ));
                }
            }
        }
        let what = msg::cli::watch_batch(
            lang,
            cx.state.batch,
            change.changed.len(),
            change.gone.len(),
        );
        out.push_str(&summary_line(cx, elapsed, &what));
        out.push('\n');
        out
    }

    fn reloaded(&self, lang: Lang) -> String {
        msg::cli::watch_reloaded(lang)
    }

    fn finish(&self, cx: &Cx<'_>) -> String {
        let what = msg::cli::watch_stopped(cx.opts.lang);
        format!("{}\n", summary_line(cx, Duration::ZERO, &what))
    }
}

/// One JSON document per batch (newline-delimited).
pub struct Json;

fn summary_json(s: &Summary, files: usize, records: usize) -> serde_json::Value {
    serde_json::json!({
        "files": files, "records": records, "pass": s.pass, "warn": s.warn, "fail": s.fail, "invalid": s.invalid,
        "findings": { "error": s.errors, "warning": s.warnings, "note": s.notes },
    })
}

impl Json {
    fn doc(cx: &Cx<'_>, change: &Change, trigger: &str) -> String {
        let mut records = Vec::new();
        let mut new_findings = Vec::new();
        let mut resolved = Vec::new();
        let entry = |p: &PathBuf, k: &super::diff::Key| serde_json::json!({ "file": (cx.shown)(p), "index": k.index, "rule": k.rule, "path": k.pointer, "message": k.message });
        for p in &change.changed {
            if cx.cancel.is_set() {
                break;
            }
            let Some(now) = cx.state.files.get(p) else {
                continue;
            };
            // In chunks, so that Ctrl-C stops a file of many records too.
            for chunk in now.chunks(1024) {
                if cx.cancel.is_set() {
                    break;
                }
                let doc = render_json(cx.pack, 1, chunk);
                if let Some(rs) = doc["records"].as_array() {
                    records.extend(rs.iter().cloned());
                }
            }
            let new_keys = keys(now);
            let old_keys = change.before(p).map(keys).unwrap_or_default();
            for k in new_keys.keys().filter(|k| !old_keys.contains_key(*k)) {
                new_findings.push(entry(p, k));
            }
            for k in old_keys.keys().filter(|k| !new_keys.contains_key(*k)) {
                resolved.push(entry(p, k));
            }
        }
        for p in &change.gone {
            if let Some(before) = change.before(p) {
                for k in keys(before).keys() {
                    resolved.push(entry(p, k));
                }
            }
        }
        let (s, files, nrec) = cx.state.summary();
        let doc = serde_json::json!({
            "plancheck": env!("CARGO_PKG_VERSION"),
            "batch": cx.state.batch,
            "time": jiff::Timestamp::now().to_string(),
            "trigger": trigger,
            "changed": change.changed.iter().map(|p| (cx.shown)(p)).collect::<Vec<_>>(),
            "removed": change.gone.iter().map(|p| (cx.shown)(p)).collect::<Vec<_>>(),
            "new": new_findings,
            "resolved": resolved,
            "summary": summary_json(&s, files, nrec),
            "records": records,
        });
        format!("{doc}\n")
    }
}

impl WatchEmitter for Json {
    fn initial(&self, cx: &Cx<'_>, _elapsed: Duration) -> String {
        let change = Change {
            changed: cx.state.files.keys().cloned().collect(),
            ..Change::default()
        };
        Self::doc(cx, &change, "start")
    }

    fn batch(&self, cx: &Cx<'_>, change: &Change, trigger: &str, _elapsed: Duration) -> String {
        Self::doc(cx, change, trigger)
    }

    fn reloaded(&self, _lang: Lang) -> String {
        String::new()
    }

    fn finish(&self, cx: &Cx<'_>) -> String {
        let (s, files, records) = cx.state.summary();
        format!(
            "{}\n",
            serde_json::json!({ "plancheck": env!("CARGO_PKG_VERSION"), "batch": cx.state.batch + 1, "trigger": "interrupt", "summary": summary_json(&s, files, records) })
        )
    }
}

/// SARIF, JUnit, GitHub workflow commands or the HTML review report: after
/// the first check and after every batch, the whole current state exactly
/// as `check` writes it in that format (one document per batch; with `-o
/// FILE` the file is written over, so a report on disk stays current).
pub struct Report(pub Format);

impl Report {
    fn whole(&self, cx: &Cx<'_>) -> String {
        let reports: Vec<RecordReport> = cx.state.files.values().flatten().cloned().collect();
        let (summary, files, _) = cx.state.summary();
        let end = RunEnd {
            files,
            summary,
            elapsed: None,
            skipped: 0,
        };
        render(self.0, cx.pack, cx.opts, &reports, &end)
    }
}

impl WatchEmitter for Report {
    fn initial(&self, cx: &Cx<'_>, _elapsed: Duration) -> String {
        self.whole(cx)
    }

    fn batch(&self, cx: &Cx<'_>, _change: &Change, _trigger: &str, _elapsed: Duration) -> String {
        self.whole(cx)
    }

    fn reloaded(&self, _lang: Lang) -> String {
        String::new()
    }

    fn finish(&self, _cx: &Cx<'_>) -> String {
        String::new()
    }

    fn whole_documents(&self) -> bool {
        true
    }
}
