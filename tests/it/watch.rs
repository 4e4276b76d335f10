//! `plancheck watch` on a real temporary folder: every kind of file event,
//! read back from its newline-delimited JSON output. The operations run one
//! after another in a single test, each waiting for its result.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Watch {
    child: Child,
    lines: Receiver<Value>,
}

impl Watch {
    fn start(dir: &Path, extra: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck"))
            .arg("watch")
            .arg(dir)
            .args(["--format", "json", "--debounce-ms", "100"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("watch starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
            }
        });
        Watch { child, lines: rx }
    }

    /// Reads batches until one satisfies `pred` (a generous timeout).
    fn until(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(v) if pred(&v) => return v,
                Ok(_) => continue,
                Err(_) => break,
            }
        }
        panic!("timed out waiting for: {what}");
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn project(id: &str, floor_area: u32) -> String {
    format!(
        r#"{{"kind": "project", "id": "{id}", "submitted": "2017-06-01", "category": "industrial", "construction": "new",
 "location": {{"county": "茌平县", "zone_level": "provincial", "chemical_park": false}},
 "industry": {{"catalog_class": "permitted", "two_highs_one_resource": false, "chemical": false, "hazardous_chemical": false}},
 "approvals": {{"energy_review": true}}, "water": {{"saving_facilities_simultaneous": true}},
 "investment": {{"total": 8000, "fixed_assets": 9000}}, "land": {{"area": 30, "floor_area": {floor_area}, "footprint": 12000}}, "tax": {{"annual": 900}}}}"#
    )
}

fn summary(v: &Value, key: &str) -> u64 {
    v["summary"][key].as_u64().unwrap_or(u64::MAX)
}

#[test]
fn watch_follows_every_kind_of_file_event() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("a.json"), project("a", 30000)).unwrap();
    // What is checked is decided on the command line, never by files in the tree.
    std::fs::write(dir.join(".gitignore"), "*\n").unwrap();
    let w = Watch::start(dir, &["--exclude", "ignored"]);
    let start = w.until("initial check", |v| v["trigger"] == "start");
    assert_eq!(summary(&start, "pass"), 1);

    // A file written in two steps: an error first, then a clean re-check.
    let full = project("b", 15000);
    let (head, _) = full.split_at(40);
    std::fs::write(dir.join("b.json"), head).unwrap();
    w.until("half-written file is invalid", |v| {
        summary(v, "invalid") == 1
    });
    std::fs::write(dir.join("b.json"), &full).unwrap();
    let v = w.until("completed write re-checked", |v| {
        summary(v, "invalid") == 0 && summary(v, "fail") == 1
    });
    assert!(
        v["resolved"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "input.parse"),
        "no stale parse error: {v}"
    );

    // Save by rename: write a temporary file, then rename it over the target.
    std::fs::write(dir.join(".b.json.swp"), project("b", 30000)).unwrap();
    std::fs::rename(dir.join(".b.json.swp"), dir.join("b.json")).unwrap();
    w.until("renamed-over file passes", |v| {
        summary(v, "fail") == 0 && summary(v, "pass") == 2
    });

    // Editor temporaries and ignored paths never appear.
    std::fs::write(dir.join("b.json~"), "{").unwrap();
    std::fs::create_dir(dir.join("ignored")).unwrap();
    std::fs::write(dir.join("ignored/x.json"), "{").unwrap();

    // A new sub-folder with a file in it.
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/c.json"), project("c", 15000)).unwrap();
    let v = w.until("file in a new folder", |v| summary(v, "files") == 3);
    assert_eq!(
        summary(&v, "invalid"),
        0,
        "temporary and ignored files are not checked: {v}"
    );

    // Rename within the folder, then move out of it.
    std::fs::rename(dir.join("sub/c.json"), dir.join("c2.json")).unwrap();
    w.until("renamed file re-checked under its new name", |v| {
        summary(v, "files") == 3
            && v["changed"]
                .as_array()
                .is_some_and(|c| c.iter().any(|f| f.as_str().unwrap().ends_with("c2.json")))
    });
    let outside = tempfile::tempdir().unwrap();
    std::fs::rename(dir.join("c2.json"), outside.path().join("c2.json")).unwrap();
    w.until("moved-out file forgotten", |v| {
        summary(v, "files") == 2 && summary(v, "fail") == 0
    });

    // Delete: its results disappear.
    std::fs::remove_file(dir.join("b.json")).unwrap();
    w.until("deleted file forgotten", |v| summary(v, "files") == 1);

    // A burst of many files is batched, not a storm of re-checks.
    for i in 0..200 {
        std::fs::write(
            dir.join(format!("burst-{i}.json")),
            project(&format!("p{i}"), 30000),
        )
        .unwrap();
    }
    let v = w.until("burst checked", |v| summary(v, "files") == 201);
    assert!(v["batch"].as_u64().unwrap() < 40, "a burst is batched: {v}");

    // Ctrl-C ends the watch cleanly with the last summary.
    let mut w = w;
    let pid = w.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let last = w.until("final summary on interrupt", |v| {
        v["trigger"] == "interrupt"
    });
    assert_eq!(summary(&last, "files"), 201);
    let status = w.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_broken_rule_file_keeps_the_last_good_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let rules = super::pack_copy(tmp.path(), str::to_string);
    std::fs::write(data.join("a.json"), project("a", 15000)).unwrap();
    let w = Watch::start(&data, &["--rules", rules.to_str().unwrap()]);
    let start = w.until("initial check", |v| v["trigger"] == "start");
    assert_eq!(summary(&start, "fail"), 1);
    let land = rules.join("20-land.rules");
    let text = std::fs::read_to_string(&land).unwrap();
    std::fs::write(&land, text.replace("force binding", "force bindng")).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    // Still watching with the last good pack: a change is checked as before.
    std::fs::write(data.join("a.json"), project("a", 16000)).unwrap();
    w.until("checked with the last good pack", |v| {
        v["trigger"] == "change" && summary(v, "fail") == 1
    });
    // A fixed pack that drops the plot-ratio minimum to 0.5 re-checks everything.
    std::fs::write(
        &land,
        text.replace("require plot_ratio >= 1.0", "require plot_ratio >= 0.5"),
    )
    .unwrap();
    w.until("reloaded pack re-checks everything", |v| {
        v["trigger"] == "rules" && summary(v, "fail") == 0
    });
}

/// The summary a fresh `check` of `dir` gives.
fn fresh_summary(dir: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    v["summary"].clone()
}

/// The counts two summaries share (the watcher's has no `skipped`).
fn counts(s: &Value) -> Vec<u64> {
    ["files", "records", "pass", "warn", "fail", "invalid"]
        .iter()
        .map(|k| s[*k].as_u64().unwrap_or(u64::MAX))
        .collect()
}

#[test]
fn after_a_storm_the_watch_equals_a_fresh_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for i in 0..40 {
        std::fs::write(
            dir.join(format!("f{i}.json")),
            project(&format!("p{i}"), 30000),
        )
        .unwrap();
    }
    let w = Watch::start(&dir, &[]);
    w.until("initial check", |v| v["trigger"] == "start");
    // Renames, moves, deletes, rewrites and creations, faster than the debounce window.
    let mut seed: u64 = 42;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let started = Instant::now();
    let mut ops = 0;
    while started.elapsed() < Duration::from_secs(3) {
        let a = dir.join(format!("f{}.json", next(60)));
        let b = dir.join(format!("f{}.json", next(60)));
        let s = dir.join(format!("sub/f{}.json", next(60)));
        let _ = match next(6) {
            0 => std::fs::rename(&a, &b),
            1 => std::fs::rename(&a, &s),
            2 => std::fs::remove_file(&a),
            3 => std::fs::write(&a, project("x", 15000)),
            4 => std::fs::write(&a, project("y", 30000)),
            _ => std::fs::write(&s, "{"),
        };
        ops += 1;
        if ops % 20 == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let fresh = counts(&fresh_summary(&dir));
    let v = w.until("the state of a fresh check", |v| {
        counts(&v["summary"]) == fresh
    });
    assert_eq!(counts(&v["summary"]), fresh, "after {ops} operations");
}

#[test]
fn a_vanished_folder_is_watched_again_when_it_comes_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.json"), project("a", 30000)).unwrap();
    let w = Watch::start(&dir, &[]);
    w.until("initial check", |v| {
        v["trigger"] == "start" && summary(v, "files") == 1
    });
    std::fs::remove_dir_all(&dir).unwrap();
    w.until("results of the vanished folder removed", |v| {
        summary(v, "files") == 0
    });
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("b.json"), project("b", 15000)).unwrap();
    w.until("the folder watched again", |v| {
        summary(v, "files") == 1 && summary(v, "fail") == 1
    });
    // Changes in the new folder are seen.
    std::fs::write(dir.join("b.json"), project("b", 30000)).unwrap();
    w.until("a change in the new folder", |v| {
        summary(v, "files") == 1 && summary(v, "pass") == 1
    });
}

#[test]
fn ctrl_c_stops_a_check_in_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    let mut csv = String::from("kind,id,submitted,land.area,land.floor_area\n");
    for i in 0..150_000 {
        csv.push_str(&format!("project,P-{i},2017-06-15,30,20000\n"));
    }
    std::fs::write(dir.join("big.csv"), csv).unwrap();
    let w = Watch::start(&dir, &[]);
    std::thread::sleep(Duration::from_millis(1500));
    let pid = w.child.id().to_string();
    let sent = Instant::now();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let mut w = w;
    loop {
        if w.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "still checking 5 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Polls `path` until it parses as JSON satisfying `pred`.
fn file_until(path: &Path, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Some(v) = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        {
            if pred(&v) {
                return v;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

#[test]
fn watch_keeps_a_report_in_any_format_of_check_current() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.json"), project("A", 10000)).unwrap();
    let sarif = tmp.path().join("report.sarif");
    let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .arg("watch")
        .arg(&dir)
        .args(["--format", "sarif", "--debounce-ms", "100", "-o"])
        .arg(&sarif)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("watch starts");
    let results = |v: &Value| v["runs"][0]["results"].as_array().map_or(0, Vec::len);
    // The first check: one application, one finding (the plot ratio).
    let first = file_until(&sarif, "the first report", |v| results(v) == 1);
    assert_eq!(first["version"], "2.1.0");
    // A second failing application: the report on disk is written over.
    std::fs::write(dir.join("b.json"), project("B", 12000)).unwrap();
    file_until(&sarif, "the report after the batch", |v| results(v) == 2);
    std::fs::remove_file(dir.join("a.json")).unwrap();
    file_until(&sarif, "the report after a removal", |v| results(v) == 1);
    let _ = child.kill();
    let _ = child.wait();
    // GitHub workflow commands go to standard output, batch after batch.
    let mut run = Command::new(env!("CARGO_BIN_EXE_plancheck"))
        .arg("watch")
        .arg(&dir)
        .args(["--format", "github"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("watch starts");
    let mut lines = BufReader::new(run.stdout.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    let _ = run.kill();
    let _ = run.wait();
    assert!(line.starts_with("::error file="), "{line}");
}

/// `watch -o` never writes over a submission (nor makes a new one in a
/// watched folder), and says so where `-o` has nothing to write: both are
/// refused before anything is watched.
#[test]
fn watch_refuses_an_output_it_cannot_write_as_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    let a = dir.join("a.json");
    std::fs::write(&a, project("A", 10000)).unwrap();
    let cases: [(&[&str], &str); 3] = [
        (
            &["--format", "sarif", "-o", "in/a.json"],
            "submissions are only ever read",
        ),
        (
            &["--format", "html", "-o", "in/new.csv"],
            "submissions are only ever read",
        ),
        (
            &["--format", "json", "-o", "changes.json"],
            "whole-document format",
        ),
    ];
    for (args, says) in cases {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plancheck"))
            .arg("watch")
            .arg("in")
            .args(args)
            .args(["--lang", "en"])
            .current_dir(tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = child.kill();
                panic!("{args:?}: watch ran instead of refusing");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(&a).unwrap(), project("A", 10000));
    assert!(!dir.join("new.csv").exists());
}
